"""The plan linter finds the defects the analyses list in the real seeds."""

from __future__ import annotations

import pytest

from itog.plans.parsing import deadlines as grammar
from itog.plans.parsing.lint import lint_plan
from itog.plans.parsing.readers import read_plan
from tests.seeds import seed_path


def linted(prefix: str, year: str):
    plan = read_plan(seed_path(prefix))
    academic_year = grammar.AcademicYear.parse(year)
    for item in plan.items:
        item.deadline = grammar.parse_deadline(item.deadline_raw, academic_year).to_json()
    return plan, lint_plan(plan, academic_year)


@pytest.fixture(scope="module")
def kalmykia():
    return linted("001", "2023/24")


@pytest.fixture(scope="module")
def kuzbass():
    return linted("004", "2020/21")


def codes_for(findings, item):
    return {f.code for f in findings if f.item == item}


@pytest.mark.parametrize("item", ["E2", "F5"])
def test_001_end_before_start(kalmykia, item):
    _, findings = kalmykia
    finding = next(f for f in findings if f.item == item and f.code == "end_before_start")
    assert "раньше, чем начинается" in finding.message
    assert "2023 года" in finding.quote


def test_001_exact_duplicates(kalmykia):
    _, findings = kalmykia
    assert "duplicate_item" in codes_for(findings, "B8")
    assert "B4" in next(f for f in findings if f.item == "B8" and f.code == "duplicate_item").message
    assert "duplicate_item" in codes_for(findings, "B9")


def test_001_duplicate_with_conflicting_deadlines(kalmykia):
    _, findings = kalmykia
    finding = next(f for f in findings if f.item == "C51" and f.code == "duplicate_conflict")
    assert "C33" in finding.message and "различаются" in finding.message


def test_001_missing_responsible(kalmykia):
    assert "missing_responsible" in codes_for(kalmykia[1], "G5")


def test_001_relative_deadline_without_anchor_date(kalmykia):
    finding = next(f for f in kalmykia[1] if f.item == "G4" and f.code == "unresolved_anchor")
    assert finding.quote == "за 2 недели до начала ГИА"


def test_001_external_schedule_not_linked(kalmykia):
    assert "external_schedule" in codes_for(kalmykia[1], "E1")


def test_001_stale_date_in_activity(kalmykia):
    finding = next(f for f in kalmykia[1] if f.item == "C53" and f.code == "stale_date_in_text")
    assert "10.04.2023" in finding.message
    # The essay dates that do belong to the campaign are not flagged.
    assert "stale_date_in_text" not in codes_for(kalmykia[1], "C11")
    assert "stale_date_in_text" not in codes_for(kalmykia[1], "C26")


def test_001_clean_items_have_no_findings(kalmykia):
    for item in ("A1", "C3", "C11"):
        assert codes_for(kalmykia[1], item) <= {"external_schedule"}, item


def test_004_year_before_campaign(kuzbass):
    finding = next(f for f in kuzbass[1] if f.item == "S6.2.2.7" and f.code == "year_outside_campaign")
    assert "2020" in finding.message
    # Its ГИА-9 twin has the right year.
    assert "year_outside_campaign" not in codes_for(kuzbass[1], "S6.3.2.7")


def test_year_shortly_before_campaign_is_a_warning_far_before_an_error():
    """Other regions open a 2025/26 roadmap with the analysis of ГИА-2025 in July: worth a look, not an
    error; February of the year before is a wrong year."""
    plan = read_plan(
        (
            "План мероприятий на 2025/2026 учебный год\n\n№\tМероприятие\tСрок\tОтветственные\n"
            "1.\tАнализ итогов ГИА-2025\tиюль 2025 года\tРЦОИ\n"
            "2.\tОбучение членов ПК\tфевраль 2025 года\tИРО\n"
            "3.\tСочинение\tдекабрь 2025 года\tОО\n"
        ).encode()
    )
    year = grammar.AcademicYear.parse("2025/26")
    for item in plan.items:
        item.deadline = grammar.parse_deadline(item.deadline_raw, year).to_json()
    found = {f.item: f for f in lint_plan(plan, year) if f.code == "year_outside_campaign"}
    assert found["1"].severity == "warning" and "итоги прошлой кампании" in found["1"].message
    assert found["2"].severity == "error" and "01.02.2025" in found["2"].message
    assert "3" not in found


def test_004_duplicate_number(kuzbass):
    assert "duplicate_number" in codes_for(kuzbass[1], "S6.3.24") | codes_for(kuzbass[1], "S6.3.24-2")


def test_004_children_outside_parent(kuzbass):
    assert "child_outside_parent" in codes_for(kuzbass[1], "S6.9.1")
    assert "child_outside_parent" in codes_for(kuzbass[1], "S1.1.10")


def test_004_organization_in_deadline_column(kuzbass):
    assert "actor_in_deadline" in codes_for(kuzbass[1], "S6.3.2.16")


def test_004_date_in_responsible_column(kuzbass):
    assert "date_in_responsible" in codes_for(kuzbass[1], "S2.2.12")


def test_004_bullets_and_dates_disagree(kuzbass):
    assert "bullets_dates_mismatch" in codes_for(kuzbass[1], "S3.1.32")
    # Three bullets, three windows: consistent.
    assert "bullets_dates_mismatch" not in codes_for(kuzbass[1], "S3.2.24")


def test_every_finding_is_complete(kalmykia, kuzbass):
    for _, findings in (kalmykia, kuzbass):
        for f in findings:
            assert f.code and f.message and f.severity in ("info", "warning", "error")
            assert f.quote or f.code in ("missing_responsible",), f
