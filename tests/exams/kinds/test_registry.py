"""The registry of exam kinds, ``session.rules``, the one registry of violation codes, and the rule that
shared code never imports a kind's modules."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from itog.exams import kinds as registry
from itog.exams import violations
from itog.exams.kinds.base import STAGES, CalendarRules, KindRules, SessionKind, Violation

ITOG = Path(__file__).resolve().parents[3] / "itog"


def test_the_essay_is_one_rules_object_covering_every_stage():
    rules = registry.get_rules("essay")
    assert isinstance(rules, KindRules) and rules.kind == "essay"
    assert rules.missing() == {}, rules.missing()
    assert set(STAGES) >= {
        "calendar",
        "registration",
        "commissions",
        "seating",
        "examday",
        "checking",
        "results",
        "recheck",
        "readmission",
        "retention",
    }
    assert registry.get_rules("essay") is rules  # resolved once
    assert rules.label == "итоговое сочинение (изложение)"
    assert [s.date for s in rules.calendar.session_dates("2023/24")] == [
        date(2023, 12, 6),
        date(2024, 2, 7),
        date(2024, 4, 10),
    ]


def test_unknown_kind_is_refused_with_the_known_ones():
    with pytest.raises(registry.UnknownExamKind) as err:
        registry.get_rules("ege")
    assert "essay" in str(err.value) and isinstance(err.value, LookupError)
    with pytest.raises(registry.UnknownExamKind):
        registry.calendar_of("ege")


def test_a_kind_known_by_its_calendar_only(monkeypatch):
    monkeypatch.setattr(registry, "_CALENDARS", {"oge": "itog.exams.kinds.interview.calendar"})
    assert not registry.has_rules("oge")
    with pytest.raises(registry.UnknownExamKind, match="calendar only"):
        registry.get_rules("oge")
    assert isinstance(registry.calendar_of("oge"), CalendarRules)


def test_the_interview_has_full_rules_and_its_calendar():
    assert {"essay", "interview"} <= set(registry.known_kinds())
    assert registry.has_rules("interview")
    assert registry.get_rules("interview").missing() == {}
    cal = registry.calendar_of("interview")
    assert isinstance(cal, CalendarRules)
    dates = cal.session_dates("2023/24")
    assert [(d.kind, d.date) for d in dates] == [
        (SessionKind.MAIN, date(2024, 2, 14)),
        (SessionKind.ADDITIONAL, date(2024, 3, 13)),
        (SessionKind.ADDITIONAL, date(2024, 4, 15)),
    ]
    assert [d.date for d in cal.session_dates("2024/25")][0] == date(2025, 2, 12)


def test_register_plugs_in_another_kind(monkeypatch):
    monkeypatch.setattr(registry, "_RULES", dict(registry._RULES))
    monkeypatch.setattr(registry, "_LOADED", {})
    registry.register("ege", "itog.exams.kinds.essay.rules:RULES")
    assert registry.get_rules("ege").calendar.session_dates("2023/24")[0].date == date(2023, 12, 6)
    with pytest.raises(ValueError):
        registry.register("oge")


def test_session_rules_is_the_kinds_rules_object(region):
    from itog.exams.registration.services import ensure_sessions

    session = ensure_sessions(region.ministry, "2023/24")[0]
    assert session.date == date(2023, 12, 6)
    assert session.rules is registry.get_rules("essay")
    assert session.rules.examday.release_at(session.date, "Asia/Vladivostok", "essay").hour == 9
    session.kind = "interview"
    assert session.rules is registry.get_rules("interview")
    session.kind = "ege"
    with pytest.raises(registry.UnknownExamKind):
        session.rules  # noqa: B018 - the property raises


# ---------------------------------------------------------------- violation codes


def test_one_registry_of_violation_codes():
    registry.get_rules("essay")  # registers the essay's codes
    table = violations.code_table()
    assert {"V01", "V74", "X01", "X25", "X30", "X58"} <= set(table)
    assert table["V61"].owner == "essay" and table["X30"].owner == "services"
    v = violations.violation("X30", date="06.12.2023")
    assert isinstance(v, Violation) and v.item == "п. 7.11.3" and "06.12.2023" in v.message
    # the same code with another text is refused; the same text again is fine
    violations.register({"X30": (table["X30"].item, table["X30"].template)}, owner="services")
    with pytest.raises(ValueError, match="X30"):
        violations.register({"X30": ("п. 1", "другой текст")}, owner="interview")


def test_every_code_used_in_the_code_is_registered():
    registry.get_rules("essay")
    table = violations.code_table()
    used = set()
    for path in ITOG.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bviolation\(\s*["']([VX]\d\d)["']""", text))
    assert used and used <= set(table), sorted(used - set(table))


def test_refused_carries_the_violations():
    exc = violations.Refused([violations.violation("X44")])
    assert exc.violations[0].code == "X44" and str(exc) == "Не выбрано ни одного хранимого комплекта."
    with pytest.raises(violations.Refused):
        violations.refuse_if([exc.violations[0]])
    violations.refuse_if([Violation("V99", "п. 1", "предупреждение", severity="warning")])  # warnings pass


# ---------------------------------------------------------------- no direct imports of a kind


def test_no_module_outside_a_kinds_folder_imports_a_kinds_rules():
    """Shared code reaches a kind only through the registry (``session.rules``, ``get_rules``,
    ``calendar_of``); only ``itog.exams.kinds.base`` (the interface) may be imported by name."""
    offenders = []
    for path in ITOG.rglob("*.py"):
        rel = path.relative_to(ITOG)
        if rel.parts[:2] == ("exams", "kinds") and len(rel.parts) > 3:
            continue  # inside a kind's own folder
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if not stripped.startswith(("from ", "import ")):
                continue
            if re.match(
                r"(from|import)\s+itog\.exams\.kinds\.(essay|interview|\w+)\b", stripped
            ) and not stripped.startswith(("from itog.exams.kinds.base", "import itog.exams.kinds.base")):
                offenders.append(f"{rel}: {stripped}")
            if re.match(r"from\s+itog\.exams\.kinds\s+import\s+.*\b(essay|interview)\b", stripped):
                offenders.append(f"{rel}: {stripped}")
            if re.match(r"from\s+\.+kinds\.(?!base\b)\w+", stripped):
                offenders.append(f"{rel}: {stripped}")
    assert not offenders, "\n".join(offenders)


def test_the_grep_catches_a_direct_import(tmp_path):
    """The check above is not vacuous: a direct import is what it looks for."""
    line = "from itog.exams.kinds.essay import after as R"
    assert re.match(r"(from|import)\s+itog\.exams\.kinds\.(essay|interview|\w+)\b", line)


# ---------------------------------------------------------------- one home for each exam calendar


@pytest.mark.parametrize("year", ["2022/23", "2023/24", "2024/25", "2025/26", "2030/31"])
def test_the_plan_parser_takes_exam_days_from_the_kinds_calendars(year):
    from itog.plans.parsing.deadlines import SESSION_MAIN, exam_calendar

    table = exam_calendar(year)
    for kind in ("essay", "interview"):
        dates = registry.calendar_of(kind).session_dates(year)
        assert list(table[f"exam_day:{kind}"].values()) == [d.date for d in dates]
        assert next(iter(table[f"exam_day:{kind}"])) == SESSION_MAIN


def test_the_plan_parser_keeps_its_session_labels():
    from itog.plans.parsing.deadlines import exam_calendar

    table = exam_calendar("2023/24")
    assert list(table["exam_day:essay"]) == [
        "основной срок",
        "дополнительный срок (февраль)",
        "дополнительный срок (апрель)",
    ]
    assert list(table["exam_day:interview"]) == [
        "основной срок",
        "дополнительный срок (март)",
        "дополнительный срок (апрель)",
    ]


def test_calendar_command_knows_the_interview(capsys):
    import json

    from django.core.management import call_command

    call_command("calendar", "--kind", "interview", "--year", "2023/24", "--json")
    out = json.loads(capsys.readouterr().out)
    assert [(s["stage"], s["date"]) for s in out] == [
        ("main", "2024-02-14"),
        ("additional", "2024-03-13"),
        ("additional", "2024-04-15"),
    ]
    call_command("calendar", "--kind", "essay", "--year", "2023/24", "--json")
    essay = json.loads(capsys.readouterr().out)
    assert essay[0]["date"] == "2023-12-06" and essay[0]["deadlines"]["mouo_to_rcoi"] == "2023-11-22"
