"""Checking (section E): assignment by the own-school rule, the expert's screen by work code, marks once,
the authorized person's independent second entry, mismatches blocking, deadlines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from itog.audit.models import AuditEvent
from itog.conduct import services as S
from itog.conduct.models import TransferAppointment, Work, WorkStatus
from itog.people.models import Employee
from tests.conduct.fixtures import finished_session

ALL_PASS_REQ = {"T1": "зачет", "T2": "зачет"}


@pytest.fixture
def unchecked(region):
    return finished_session(region, leave_unchecked=10_000)


def _all_pass(criteria):
    return ({r.code: "зачет" for r in criteria.requirements}, {c.code: "зачет" for c in criteria.criteria})


def test_no_expert_ever_receives_a_work_of_their_own_school(region, unchecked):
    """п. 8.1.3 (V56) over the whole session: the saved assignment never gives an expert a work of the school
    where the expert works; every work has exactly one expert (п. 8.1.4)."""
    works = Work.objects.filter(session=unchecked).select_related("expert")
    assert works.count() > 30
    assert all(w.expert is not None for w in works)
    assert not [w.code for w in works if w.expert.organization_id == w.school_id]


def test_expert_sees_only_their_works_by_code_never_the_name(region, unchecked, login):
    expert = Employee.objects.get(user=region.user("expert"))
    mine = Work.objects.filter(session=unchecked, expert=expert).select_related("application__participant").first()
    if mine is None:  # give the demo expert a work legally (not of their school)
        mine = Work.objects.filter(session=unchecked).exclude(school=expert.organization).first()
        mine.expert = expert
        mine.save()
    other = Work.objects.filter(session=unchecked).exclude(expert=expert).first()
    client = login("expert")
    listing = client.get("/checking/").content.decode()
    assert mine.code in listing and other.code not in listing
    page = client.get(f"/works/{mine.pk}/check/").content.decode()
    assert mine.code in page
    assert mine.application.participant.last_name not in page  # the work is anonymous to the expert
    assert client.get(f"/works/{other.pk}/check/").status_code == 404


def test_expert_marks_are_aggregated_and_cannot_be_changed_after_submission(region, unchecked, login):
    """п. 8.1.4 (E8, E11): «зачет»/«незачет» per criterion of the configured set, the overall result computed;
    submitted — handed to the head of the commission — once."""
    expert = Employee.objects.get(user=region.user("expert"))
    work = Work.objects.filter(session=unchecked).exclude(school=expert.organization).first()
    work.expert = expert
    work.save()
    client = login("expert")
    data = {"T1": "зачет", "T2": "зачет", "K1": "зачет", "K2": "незачет", "K3": "зачет", "K4": "зачет", "K5": "зачет"}
    # first the confirmation: nothing is saved yet, the marks and the overall result are shown
    ask = client.post(f"/works/{work.pk}/check/", data)
    assert ask.status_code == 200 and 'id="confirm-marks"' in ask.content.decode()
    assert 'id="confirm-overall">незачет<' in ask.content.decode()
    work.refresh_from_db()
    assert work.checked_at is None
    assert client.post(f"/works/{work.pk}/check/", {**data, "confirm": "1"}).status_code == 302
    work.refresh_from_db()
    assert work.expert_result == "незачет"  # К2 is mandatory
    assert work.status == WorkStatus.CHECKED
    shown = client.get(f"/works/{work.pk}/check/").content.decode()  # afterwards: the submitted marks, no form
    assert 'id="submitted-marks"' in shown and 'name="K1"' not in shown and "К2 «" in shown
    again = client.post(f"/works/{work.pk}/check/", {**data, "K2": "зачет"})
    assert "изменить оценки нельзя" in again.content.decode()
    work.refresh_from_db()
    assert work.expert_marks["K2"] == "незачет"
    assert AuditEvent.objects.filter(kind="refused", description__contains=work.code).exists()


def test_failed_volume_requirement_fails_the_work_without_criteria(region, unchecked):
    """п. 8.1.4 (E7): a failed requirement → «незачет» for the whole work; the criteria are not checked."""
    expert = Employee.objects.get(user=region.user("expert"))
    work = Work.objects.filter(session=unchecked).exclude(school=expert.organization).first()
    work.expert = expert
    work.save()
    outcome = S.submit_expert_marks(work, region.user("expert"), {"T1": "незачет"}, {})
    assert outcome.overall == "незачет" and not outcome.checked_criteria


def test_expert_cannot_even_open_a_work_of_their_own_school(region, unchecked, login):
    """п. 8.1.3 (V56): opening is refused with the rule's message and logged; nothing is shown."""
    expert = Employee.objects.get(user=region.user("expert"))
    work = Work.objects.filter(session=unchecked).select_related("application__participant").first()
    work.expert, work.school = expert, expert.organization
    work.save()
    resp = login("expert").get(f"/works/{work.pk}/check/")
    page = resp.content.decode()
    assert resp.status_code == 403 and "работает в ОО участника" in page and 'name="K1"' not in page
    assert AuditEvent.objects.filter(kind="refused", description__contains=f"Открытие работы {work.code}").exists()


def test_expert_of_the_participants_school_is_refused(region, unchecked):
    """п. 8.1.3 (V56): even if a work of the expert's own school were assigned by hand, marking is refused."""
    expert = Employee.objects.get(user=region.user("expert"))
    work = Work.objects.filter(session=unchecked).first()
    work.expert, work.school = expert, expert.organization
    work.save()
    req, marks = _all_pass(S.marks_form_spec(unchecked, "essay"))
    with pytest.raises(S.Refused) as exc:
        S.submit_expert_marks(work, region.user("expert"), req, marks)
    assert exc.value.violations[0].code == "V56"
    work.refresh_from_db()
    assert work.checked_at is None


def _checked_work(region, session):
    expert = Employee.objects.get(user=region.user("expert"))
    work = (
        Work.objects.filter(session=session, application__participant__registration_org__parent=region.mouo1)
        .exclude(school=expert.organization)
        .first()
    )
    work.expert = expert
    work.save()
    req, marks = _all_pass(S.marks_form_spec(session, "essay"))
    S.submit_expert_marks(work, region.user("expert"), req, marks)
    return work, req, marks


def test_transfer_mismatch_blocks_until_a_matching_entry(region, unchecked, login):
    """п. 8.1.2: the authorized person's entry is compared with the expert's; a mismatch blocks the work and is
    shown to РЦОИ; a corrected entry releases it."""
    work, req, marks = _checked_work(region, unchecked)
    client = login("transfer")
    page = client.get(f"/works/{work.pk}/transfer/").content.decode()
    assert work.code in page and "зачет" in page
    wrong = {**req, **marks, "K3": "незачет"}
    client.post(f"/works/{work.pk}/transfer/", wrong)
    work.refresh_from_db()
    assert work.status == WorkStatus.BLOCKED and work.mismatch == ["K3"] and work.result == ""
    assert "Расхождения при переносе" in " ".join(S.processing_blockers(unchecked))
    client.post(f"/works/{work.pk}/transfer/", {**req, **marks})
    work.refresh_from_db()
    assert work.status == WorkStatus.TRANSFERRED and work.result == "зачет" and work.mismatch == []


def test_transfer_without_an_mouo_order_is_refused(region, unchecked):
    """п. 8.1.2 (V30): only a person appointed by an МОУО order transfers marks."""
    work, req, marks = _checked_work(region, unchecked)
    TransferAppointment.objects.filter(user=region.user("transfer")).delete()
    with pytest.raises(S.Refused) as exc:
        S.transfer_marks(work, region.user("transfer"), req, marks)
    assert exc.value.violations[0].code == "V30"


def test_transfer_person_of_another_municipality_gets_404(region, unchecked, login):
    work, req, marks = _checked_work(region, unchecked)
    work2 = Work.objects.filter(
        session=unchecked, application__participant__registration_org__parent=region.mouo2
    ).first()
    client = login("transfer")  # appointed by mouo1
    assert client.get(f"/works/{work2.pk}/transfer/").status_code == 404
    assert client.get(f"/works/{work.pk}/transfer/").status_code == 200


def test_expert_leaving_hands_unchecked_works_to_others_legally(region, unchecked):
    session = unchecked
    busiest = (
        Work.objects.filter(session=session)
        .values("expert")
        .order_by()
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("pk"))
        .order_by("-n")
        .first()
    )
    leaving = busiest["expert"]
    one = Work.objects.filter(session=session, expert_id=leaving).first()
    one.checked_at, one.status = timezone.now(), WorkStatus.CHECKED  # a checked work stays with its expert
    one.save()
    S.expert_leaves(session, leaving, region.user("rcoi"))
    assert list(Work.objects.filter(session=session, expert_id=leaving).values_list("pk", flat=True)) == [one.pk]
    works = Work.objects.filter(session=session).select_related("expert")
    assert all(w.expert_id for w in works)
    assert not [w for w in works if w.expert.organization_id == w.school_id]


def test_delivery_deadline_is_day_after_checking_capped_at_d_plus_7(region, unchecked):
    """пп. 8.1.1, 9.1.1 (V60, E15): originals to РЦОИ not later than D+7; no date while works are unchecked."""
    d = unchecked.date
    assert S.checking_deadlines(unchecked)["latest"] == date.fromordinal(d.toordinal() + 7)
    assert S.checking_deadlines(unchecked)["completed"] is None


def test_checking_page_for_rcoi_only(region, unchecked, login):
    page = login("rcoi").get(f"/sessions/{unchecked.pk}/checking/").content.decode()
    assert "Нагрузка экспертов" in page and "Всего работ" in page
    assert login("school").get(f"/sessions/{unchecked.pk}/checking/").status_code == 403


def test_daily_capacity_and_consultant_flag_of_experts_are_respected(region):
    """п. 8.1.3: experts' checking days and daily capacity, consultants with a smaller share."""
    from collections import Counter

    from itog.exams.models import CommissionMember

    session = finished_session(region, leave_unchecked=10_000)
    Work.objects.filter(session=session).update(expert=None, status=WorkStatus.WAITING, check_day=None)
    members = list(CommissionMember.objects.filter(commission__session=session, role="expert"))
    d1, d2 = session.date + timedelta(days=1), session.date + timedelta(days=2)
    for m in members:
        m.check_days, m.capacity_per_day = [d1.isoformat(), d2.isoformat()], 40
        m.save()
    members[0].consultant = True
    members[0].save()
    result = S.assign_experts(session, region.user("rcoi"))
    per_day = Counter(Work.objects.filter(session=session).values_list("expert_id", "check_day"))
    assert per_day and max(per_day.values()) <= 40
    assert {day for _, day in per_day} <= {d1, d2}
    loads = Counter(Work.objects.filter(session=session).values_list("expert_id", flat=True))
    ordinary = [loads[m.employee_id] for m in members[1:] if m.employee_id in loads]
    if ordinary and loads.get(members[0].employee_id) is not None:
        assert loads[members[0].employee_id] <= min(ordinary)
    assert not result.unassigned or all("Нет доступного эксперта" in r for _, r in result.unassigned)


def test_mouo_records_the_order_appointing_an_authorized_person(region, login):
    """п. 8.1.2: the МОУО's order; only a user with the role in that МОУО; another МОУО does not see it."""
    from itog.conduct.models import TransferAppointment

    TransferAppointment.objects.all().delete()
    client = login("mouo")
    refused = client.post(
        "/transfer-orders/", {"username": "school", "order_number": "15", "order_date": "2026-11-20"}
    ).content.decode()
    assert "нет роли «Уполномоченное лицо МОУО»" in refused and not TransferAppointment.objects.exists()
    assert (
        client.post(
            "/transfer-orders/", {"username": "transfer", "order_number": "15-УЛ", "order_date": "2026-11-20"}
        ).status_code
        == 302
    )
    a = TransferAppointment.objects.get()
    assert a.mouo == region.mouo1 and a.history.first().history_user == region.user("mouo")
    assert "15-УЛ" in client.get("/transfer-orders/").content.decode()
    assert "15-УЛ" not in login("mouo2").get("/transfer-orders/").content.decode()


def test_v57_a_work_is_checked_only_by_the_expert_it_is_assigned_to(region, unchecked):
    """п. 8.1.4 (V57, C22, E10): each work is checked by one expert once — another expert's marks are refused
    with the K.3 message naming the assigned expert; nothing is saved."""
    expert = Employee.objects.get(user=region.user("expert"))
    work = Work.objects.filter(session=unchecked).exclude(school=expert.organization).exclude(expert=expert).first()
    holder = work.expert
    req, marks = _all_pass(S.marks_form_spec(unchecked, "essay"))
    with pytest.raises(S.Refused) as exc:
        S.submit_expert_marks(work, region.user("expert"), req, marks)
    assert [v.code for v in exc.value.violations] == ["V57"]
    assert exc.value.violations[0].message == (
        f"Работа {work.code} уже назначена эксперту {holder.full_name}; каждая работа проверяется одним "
        "экспертом один раз."
    )
    work.refresh_from_db()
    assert work.checked_at is None and work.expert_id == holder.pk


def test_v59_an_expert_does_not_enter_marks_into_the_original(region, unchecked, login):
    """пп. 8.1.3, 8.1.4 (V59; E9, E13): experts enter marks into the copy only. An expert of the session who
    also holds an МОУО transfer order is refused on the transfer page (the original); the appointed person who
    is not an expert transfers."""
    from itog.exams.models import CommissionMember

    work, req, marks = _checked_work(region, unchecked)
    expert_user = region.user("expert")
    TransferAppointment.objects.create(mouo=region.mouo1, user=expert_user, order_number="15", order_date=date.today())
    assert CommissionMember.objects.filter(
        commission__session=unchecked, role="expert", employee__user=expert_user
    ).exists()
    with pytest.raises(S.Refused) as exc:
        S.transfer_marks(work, expert_user, req, marks)
    assert [v.code for v in exc.value.violations] == ["V59"]
    assert exc.value.violations[0].message == "Эксперты вносят оценки только в копию бланка регистрации."
    work.refresh_from_db()
    assert work.status == WorkStatus.CHECKED and work.transferred_at is None
    assert S.transfer_marks(work, region.user("transfer"), req, marks) == []
