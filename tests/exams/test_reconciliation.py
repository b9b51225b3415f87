"""Выверка counted in the database, pinned on a fixture with known numbers: statuses per school, duplicates by
identity document, missing documents of several combinations (one query for all of them), and the schools that
sent nothing — 46 of 47 silent must not read «Все передали»."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itog.exams.models import Application, Participant, Submission, SupportingDocument
from itog.exams.registration.services import ensure_sessions, reconcile
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization

_n = iter(range(1, 10_000))


def _app(session, school, status="registered", series="4600", number=None, health="", **app_fields):
    i = next(_n)
    p = Participant.objects.create(
        last_name=f"Участник{i}",
        first_name="Иван",
        sex="м",
        birth_date=date(2009, 1, 1),
        document_series=series,
        document_number=number or f"{500000 + i}",
        health_category=health,
        category="student",
        school=school,
        grade=11,
        registration_org=school,
    )
    return Application.objects.create(
        participant=p,
        session=session,
        application_form="app1",
        registration_number=f"REC-{i:05d}",
        status=status,
        **app_fields,
    )


@pytest.fixture
def known(region):
    """A fresh session (no demo data in it) of a region grown to exactly 47 active schools."""
    session = ensure_sessions(region.ministry, "2027/28")[0]
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
    for k in range(47 - schools.count()):
        Organization.objects.create(kind=OrgKind.SCHOOL, code=f"REC{k:03d}", name=f"Школа {k}", parent=region.mouo1)
    assert schools.count() == 47
    s1, s1b, s2 = region.school1, region.school1b, region.school2
    for status in ("registered", "registered", "submitted_mouo", "submitted_rcoi", "withdrawn"):
        _app(session, s1, status)
    for _ in range(3):
        _app(session, s1b)
    # two identity documents used twice each (across schools), one used once
    for number in ("000777", "000778"):
        _app(session, s1, number=number)
        _app(session, s2, number=number)
    _app(session, s2, number="000779")
    # documents: three combinations that need different documents, one application of each lacking them
    ovz_ok = _app(session, s2, health="ovz", extra_time=True)
    SupportingDocument.objects.create(participant=ovz_ok.participant, kind="pmpk")
    ovz_lacking = _app(session, s2, health="ovz", extra_time=True)
    disabled_lacking = _app(session, s2, health="disabled", extra_time=True)
    at_home_half = _app(session, s1b, health="ovz", at_home=True)
    SupportingDocument.objects.create(participant=at_home_half.participant, kind="pmpk")
    # one school of 47 sent its list
    Submission.objects.create(
        session=session, from_org=s1, to_org=region.mouo1, applications=5, deadline=date(2027, 11, 20)
    )
    return session, {
        "lacking": {ovz_lacking.pk: ["pmpk"], disabled_lacking.pk: ["disability"], at_home_half.pk: ["med_conclusion"]}
    }


def test_reconcile_counts_what_was_registered(region, known):
    session, expect = known
    r = reconcile(session, region.user("minobr"))
    rows = {row["participant__registration_org"]: row for row in r.by_school}
    s1 = rows[region.school1.pk]
    assert (s1["total"], s1["n_registered"], s1["n_submitted_mouo"], s1["n_submitted_rcoi"], s1["n_withdrawn"]) == (
        7,
        4,
        1,
        1,
        1,
    )
    assert rows[region.school1b.pk]["total"] == 4 and rows[region.school2.pk]["total"] == 6
    assert r.applications == 17 == sum(row["total"] for row in r.by_school)
    assert [row["participant__registration_org__code"] for row in r.by_school] == sorted(
        row["participant__registration_org__code"] for row in r.by_school
    )
    # duplicates: exactly the two documents used twice, each with both applications
    assert r.duplicates_total == 2
    assert [(doc, sorted(a.participant.registration_org_id for a in apps)) for doc, apps in r.duplicates] == [
        ("4600 000777", sorted([region.school1.pk, region.school2.pk])),
        ("4600 000778", sorted([region.school1.pk, region.school2.pk])),
    ]
    # missing documents: one of each combination, with the kinds it lacks
    assert r.missing_total == 3
    assert {a.pk: kinds for a, kinds in r.missing_documents} == expect["lacking"]
    # 1 of 47 schools sent its list
    assert (r.schools, r.submitted) == (47, 1)
    assert r.not_submitted.count() == 46 and region.school1 not in r.not_submitted


def test_reconcile_reads_duplicates_and_documents_without_a_query_per_key(region, known):
    session, _ = known
    user = region.user("minobr")
    reconcile(session, user)  # grants read
    with CaptureQueriesContext(connection) as few:
        reconcile(session, user)
    for number in ("000880", "000881", "000882"):  # three more duplicate keys, two more lacking combinations
        _app(session, region.school1, number=number)
        _app(session, region.school2, number=number)
    _app(session, region.school1, health="disabled_child", extra_time=True)
    _app(session, region.school1, health="ovz", form="exposition")
    with CaptureQueriesContext(connection) as more:
        r = reconcile(session, user)
    assert r.duplicates_total == 5 and r.missing_total == 5
    assert len(more) == len(few) <= 9, [q["sql"][:120] for q in more]


def test_reconciliation_page_when_46_of_47_schools_sent_nothing(login, region, known):
    session, _ = known
    page = html.unescape(login("minobr").get(f"/sessions/{session.pk}/reconciliation/").content.decode())
    assert 'ОО передали списки</div><div class="big">1 из 47' in page
    section = page.split('id="not-submitted"')[1].split("</section>")[0]
    assert "Не передали списки: 46 организаций из 47" in section
    assert "Все" not in section and "передали списки." not in section
    assert region.school2.code in section and region.school1.code not in section
    assert "Страница 1 из 1" in section or "npage=" not in section
