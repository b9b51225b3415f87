"""The generated table of where each V-code is enforced (issue 13): complete, current, and the
pending list may only shrink. Regenerate with
``python -m itog.exams.kinds.essay.enforcement [--write-pending]``."""

from __future__ import annotations

import re

import pytest

from itog.exams.kinds.essay import enforcement as E


@pytest.fixture(scope="module")
def cov() -> E.Coverage:
    return E.compute()


def test_every_v_code_is_a_row_of_the_table(cov):
    rows = re.findall(r"^\| (V\d\d) \|", E.render(cov), flags=re.MULTILINE)
    assert rows == [f"V{n:02d}" for n in range(1, 79)]


def test_every_numbered_rule_is_a_row(cov):
    rows = re.findall(r"^\| ([A-J]\d+) \|", E.render(cov), flags=re.MULTILINE)
    assert rows == list(E.NUMBERED_RULES) and len(rows) > 200
    assert {"A38", "A39", "A40", "H2", "H6", "J1", "J15"} <= set(rows)


def test_the_checked_in_table_is_current(cov):
    assert E.DOC.read_text(encoding="utf-8") == E.render(cov), "run: python -m itog.exams.kinds.essay.enforcement"


def test_the_pending_list_matches_and_may_only_shrink(cov):
    listed, now = E.read_pending(), set(cov.pending())
    assert now - listed == set(), f"newly uncovered (enforce and test them, do not list them): {sorted(now - listed)}"
    assert listed - now == set(), f"covered now: remove from docs/enforcement/pending.txt: {sorted(listed - now)}"


def test_sites_are_application_code_and_tests_use_the_database(cov):
    """V56 (п. 8.1.3) is refused by the checking service and tested over the database; no site lies in
    the pure rule modules; a pure rule test (no database) does not count as an application-level test."""
    assert any(s.startswith("itog/conduct/checking/services.py:") for s in cov.app_sites["V56"])
    assert any(t.startswith("tests/conduct/test_checking.py::") for t in cov.app_tests["V56"])
    assert "itog/exams/kinds/essay/after.py:check_expert_assignment" in cov.rule_functions["V56"]
    sites = {s for sites in cov.app_sites.values() for s in sites}
    assert not any(s.startswith(("itog/exams/kinds/", "tests/")) or "/migrations/" in s for s in sites)
    tests = {t for ts in cov.app_tests.values() for t in ts}
    assert not any(t.startswith("tests/exams/kinds/essay/test_essay_validations.py") for t in tests)


def test_rule_citations_expand_ranges_and_skip_values():
    import ast

    source = '# A33–A43: the consent\ndef test_b2_c3():\n    check("A1", ["A1"])\n    x = ("C9", 1, "п. 3.2")\n'
    found = E._rule_references(source, ast.parse(source))
    assert found == {f"A{n}" for n in range(33, 44)} | {"B2", "C3", "C9"}


def test_the_script_checks():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "itog.exams.kinds.essay.enforcement", "--check"],
        capture_output=True,
        text=True,
        cwd=E.REPO,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stdout + done.stderr


def test_rules_the_application_does_not_apply_stay_pending_even_when_cited(cov, monkeypatch):
    """A rule declared not applied stays pending whatever cites it. A38, A39 were such until the consent recorded
    its purposes and third parties and exports were checked against them (itog/exams/consents.py): now applied,
    cited by tests through the application, not pending."""
    assert set(E.NOT_APPLIED) <= set(cov.pending_rules())
    assert all(cov.rule_tests.get(r) for r in ("A38", "A39")) and not {"A38", "A39"} & set(cov.pending_rules())
    monkeypatch.setitem(E.NOT_APPLIED, "A38", "declared for the test")
    assert "A38" in cov.pending_rules()
    assert "H6" not in cov.pending_rules(), "the Памятка acknowledgement is tested through the form"


def test_rules_declared_not_automated_say_why_and_are_not_pending(cov):
    """Informing under signature (H2–H4) is done on paper: declared with the reason, shown as such, not pending."""
    text = E.render(cov)
    assert {"H2", "H3", "H4", "H5", "A29"} <= set(E.NOT_AUTOMATED)
    assert not set(E.NOT_AUTOMATED) & set(cov.pending_rules())
    assert all(reason.strip() for reason in E.NOT_AUTOMATED.values())
    assert "| H2 | п. 6.1 | — | не автоматизируется: информирование участников ЕГЭ" in text
    assert set(E.NOT_AUTOMATED) <= set(E.NUMBERED_RULES)


def test_interview_codes_cover_the_k3_interview_validations(cov):
    """V75 (J1) is enforced where the interview's I12 is: registration of an application after I−14 is refused."""
    assert cov.covered_by["V75"] == ("I12",)
    assert "itog/exams/registration/services.py:register" in cov.app_sites["V75"]
    assert any(t.startswith("tests/conduct/test_interview_flow.py::") for t in cov.app_tests["V75"])
    assert "(the interview's I12)" in E.render(cov)


def test_keys_of_a_rule_table_and_rules_asked_for_by_name_are_application_sites(cov):
    """The venue's day journal passes the keys of TIME_RULES to check_time_rule (V35, V36, V38, V39); the expert
    briefing asks the stage for check_checking_place by name through a helper (V54)."""
    for code in ("V35", "V36", "V38", "V39"):
        assert "itog/conduct/examday/services.py:record_venue_day" in cov.app_sites[code]
    assert "itog/conduct/checking/services.py:record_expert_briefing" in cov.app_sites["V54"]
