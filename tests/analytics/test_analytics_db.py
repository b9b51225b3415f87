"""The aggregates against the works they come from, the pages, exports, the report and the scoping."""

from __future__ import annotations

import io

import pytest
from django.db.models import Sum

from itog.analytics.models import CriterionFact, ExpertFact, RegionFact, ResultFact
from itog.conduct.models import DayRecord, Work
from itog.exams.kinds.essay.after import ENTERED_STATES
from tests.analytics.fixtures import analytics_story


@pytest.fixture
def story(region, django_capture_on_commit_callbacks):
    return analytics_story(region, django_capture_on_commit_callbacks)


def test_publication_builds_aggregates_that_match_the_works(region, story):
    session = story["session"]
    facts = ResultFact.objects.filter(session=session)
    assert facts.exists() and set(facts.values_list("source", flat=True)) == {"works"}
    sums = facts.aggregate(
        **{
            k: Sum(k)
            for k in (
                "registered",
                "participants",
                "removed",
                "not_finished",
                "checked",
                "failed",
                "pereproverki",
                "pereproverka_changed",
            )
        }
    )
    works = Work.objects.filter(session=session)
    assert sums["checked"] == works.filter(result__in=["зачет", "незачет"]).count()
    assert sums["failed"] == works.filter(result="незачет").count() > 0
    day = DayRecord.objects.filter(application__session=session)
    assert sums["participants"] == day.filter(state__in=[s.value for s in ENTERED_STATES]).count()
    assert sums["removed"] == day.filter(state="removed").count()
    assert sums["registered"] == session.applications.count()
    # the closed перепроверка (signal on close) is counted, with its changed result
    assert sums["pereproverki"] == 1 and sums["pereproverka_changed"] == 1
    k1 = CriterionFact.objects.filter(fact__session=session, code="K1").aggregate(f=Sum("failed"))["f"]
    assert k1 == works.filter(transfer_marks__K1="незачет").count()
    t1 = CriterionFact.objects.filter(fact__session=session, code="T1").aggregate(f=Sum("failed"))["f"]
    assert t1 == works.filter(transfer_requirements__T1="незачет").count()
    region_total = RegionFact.objects.filter(session=session).aggregate(f=Sum("failed"))["f"]
    assert region_total == sums["failed"]
    experts = ExpertFact.objects.filter(session=session).aggregate(c=Sum("checked"))["c"]
    assert experts == works.exclude(expert_result="").count()
    # three academic years now: two archived, one from the works
    assert sorted(set(RegionFact.objects.values_list("academic_year", flat=True))) == ["2023/24", "2024/25", "2025/26"]


def test_refresh_command_is_idempotent(region, story):
    from django.core.management import call_command

    session = story["session"]
    before = list(
        ResultFact.objects.filter(session=session)
        .order_by("org_id", "category", "health", "form")
        .values_list("org_id", "category", "failed", "checked")
    )
    out = io.StringIO()
    call_command("analytics", "refresh", "--all", stdout=out)
    assert "обновлено" in out.getvalue()
    after = list(
        ResultFact.objects.filter(session=session)
        .order_by("org_id", "category", "health", "form")
        .values_list("org_id", "category", "failed", "checked")
    )
    assert before == after
    # the archive survives a refresh (no works behind it); loading it again adds nothing
    assert ResultFact.objects.filter(academic_year="2023/24", source="archive").exists()
    from itog.analytics.demo import load_demo_history

    count = ResultFact.objects.count()
    assert load_demo_history(region.ministry, 2025, progress=lambda *a: None) == 0
    assert ResultFact.objects.count() == count


def test_drill_down_pages_and_scoping(region, story, login):
    c = login("minobr")
    page = c.get("/analytics/").content.decode()
    assert "Муниципалитет" in page and "<svg" in page
    assert region.mouo1.display_name in page
    page = c.get(f"/analytics/?org={region.mouo1.pk}").content.decode()
    assert region.school1.display_name in page and "Образовательная организация" in page
    page = c.get(f"/analytics/?org={region.school1.pk}&year=2024/25").content.decode()
    assert "K2" in page and "Требования и критерии" in page
    # HTMX filter answers the fragment only
    frag = c.get(f"/analytics/?org={region.mouo1.pk}&category=student", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in frag and 'id="analytics-filters"' in frag
    years = c.get("/analytics/years/").content.decode()
    assert "2023/24" in years and "2024/25" in years and "2025/26" in years and "значимо" in years
    risks = c.get("/analytics/risks/?year=2024/25").content.decode()
    assert "Все работы — «зачет»" in risks
    experts = c.get("/analytics/experts/?year=2024/25").content.decode()
    assert 'id="experts-table"' in experts and "95 % ДИ" in experts and "<svg" in experts
    assert "/analytics/works/?" in risks
    # the school sees itself and the region's totals, not another school; another municipality's school: 404
    s = login("school")
    page = s.get("/analytics/").content.decode()
    assert region.school1.display_name in page and region.school1b.display_name not in page
    assert s.get(f"/analytics/?org={region.school2.pk}").status_code == 404
    assert s.get("/analytics/experts/").status_code == 403
    m2 = login("mouo2")
    assert m2.get(f"/analytics/?org={region.school1.pk}").status_code == 404
    assert m2.get(f"/analytics/works/?org={region.school1.pk}").status_code == 404
    assert m2.get(f"/analytics/report.docx?org={region.school1.pk}").status_code == 404
    page = m2.get("/analytics/?year=2024/25").content.decode()
    assert region.school2.display_name in page and region.school1.display_name not in page


def test_small_groups_show_no_percentages(region, story, login):
    from itog.analytics.queries import Row

    row = Row(1, "x", {"checked": 4, "failed": 1, "passed": 3})
    assert row.fail_text == "менее 5 участников" and row.shown("failed") == "—" and row.ci_text == ""
    page = login("minobr").get(f"/analytics/?org={region.school1.pk}&year=2024/25").content.decode()
    # the school's ОВЗ group is a handful of people: its share is not shown
    assert "менее 5 участников" in page


def test_works_behind_a_flag_are_within_scope(region, story, login):
    session = story["session"]
    c = login("mouo")
    page = c.get(f"/analytics/works/?year=2025/26&org={region.school1.pk}&result=незачет").content.decode()
    codes = set(
        Work.objects.filter(
            session=session, result="незачет", application__participant__registration_org=region.school1
        ).values_list("work_code", flat=True)
    )
    assert codes and all(code in page for code in codes)
    other = (
        Work.objects.filter(session=session, result="незачет")
        .exclude(application__participant__registration_org__path__startswith=region.mouo1.path)
        .first()
    )
    page = c.get("/analytics/works/?year=2025/26&result=незачет").content.decode()
    if other is not None:
        assert other.code not in page


def test_every_table_exports_to_xlsx(region, story, login):
    from openpyxl import load_workbook

    c = login("minobr")
    for table in ("units", "categories", "dates", "forms", "criteria", "years", "risks", "experts"):
        response = c.get(f"/analytics/export/{table}.xlsx?year=2024/25")
        assert response.status_code == 200, table
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) >= 2 and all(isinstance(h, str) and h for h in rows[0]), table
    # the export is logged (aggregates: not personal data; the experts' names are)
    from itog.audit.models import AuditEvent

    assert AuditEvent.objects.filter(description__startswith="Аналитика: Эксперты").exists()
    assert c.get("/analytics/export/nonsense.xlsx").status_code == 404


def test_report_docx_has_the_sections_and_charts(region, story, login):
    from docx import Document

    response = login("minobr").get("/analytics/report.docx?year=2024/25")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for section in (
        "1. Участие",
        "2. Результаты",
        "3. Результаты по требованиям и критериям",
        "4. Сравнение с предыдущими годами",
        "5. Зоны риска",
        "6. Выводы и предложения",
    ):
        assert section in headings
    assert len(doc.inline_shapes) >= 4  # the charts
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Все работы — «зачет»" in text and "2023/24" in "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )


def test_kind_neutral_without_results_says_so(region, login):
    """A kind with no published results (the interview here): an explicit message, no error; its criteria
    come from its own data (the interview's federal criteria by points)."""
    from itog.analytics.refresh import criteria_codes

    assert [c for c, _ in criteria_codes("essay", ["essay"], "2025/26")][:3] == ["T1", "T2", "K1"]
    interview = dict(criteria_codes("interview", ["interview"], "2025/26"))
    assert interview["1.ИЧ"] == "ИЧ «Интонация»" and len(interview) == 19
    assert criteria_codes("ege", ["ege"], "2025/26") == []  # a kind without rules has no criteria rows
    page = login("minobr").get("/analytics/?kind=interview").content.decode()
    assert 'id="no-data"' in page and "Опубликованных результатов пока нет" in page


def test_school_compares_with_the_region(region, story, login):
    page = login("school").get("/analytics/?year=2024/25").content.decode()
    assert "регион —" in page and "Регион" in page  # the region's share beside the school's own
    years = login("school").get("/analytics/years/").content.decode()
    assert "Регион в целом" in years and region.school1.display_name in years
