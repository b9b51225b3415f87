"""Re-check on application and перепроверка (section F), re-admission (п. 10)."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from itog.conduct import services as S
from itog.conduct.models import RecheckCase, Work
from itog.exams.models import Application, Commission
from tests.conduct.fixtures import finished_session, repeated_fail


@pytest.fixture
def story(region):
    return repeated_fail(region)


def _at(work, hh, mm, ss=0, day=None):
    tz = ZoneInfo(work.application.participant.registration_org.time_zone)
    return datetime.combine(day or work.session.results_date, time(hh, mm, ss), tzinfo=tz)


def _regional_commission(session, region):
    return Commission.objects.create(session=session, kind="regional_recheck", organization=region.ministry)


def test_first_fail_cannot_apply_and_repeated_fail_can_until_1800(region, story):
    """п. 8.2.1 (V62, V63, V64; F1–F4): a first «незачет» may not apply; a repeated one may, on the results day until
    18:00 local time (18:00:59 counts, 18:01 does not), in two copies certified by the school head."""
    main, additional, work = story
    first = Work.objects.filter(session=main, result="незачет").first()
    with pytest.raises(S.Refused) as exc:
        S.file_recheck(first, region.user("school"), _at(first, 12, 0), 2, "Директор")
    assert "V62" in [v.code for v in exc.value.violations]
    with pytest.raises(S.Refused) as exc:
        S.file_recheck(work, region.user("school"), _at(work, 18, 1), 2, "Директор")
    assert [v.code for v in exc.value.violations] == ["V63"]
    with pytest.raises(S.Refused) as exc:
        S.file_recheck(
            work, region.user("school"), _at(work, 12, 0, day=work.session.results_date + timedelta(1)), 2, "Директор"
        )
    assert [v.code for v in exc.value.violations] == ["V63"]
    with pytest.raises(S.Refused) as exc:
        S.file_recheck(work, region.user("school"), _at(work, 12, 0), 1, "")
    assert "V64" in [v.code for v in exc.value.violations]
    assert not RecheckCase.objects.exists()
    case = S.file_recheck(work, region.user("school"), _at(work, 18, 0, 59), 2, "Директор Иванова")
    keys = set(case.tasks.values_list("key", flat=True))
    assert len(keys) == 5  # L2/L3: every forwarding obligation is its own task
    assert all(t.due >= work.session.results_date for t in case.tasks.all())


def test_recheck_chain_decision_protocol_final_with_history(region, story, login):
    """п. 3.1 (V66, F9), 8.2.4 (F11), 8.2.5 (V67, F14), 8.2.6 (V68, F15): the ministry decides and gives the case
    to the regional commission, its protocol is delivered to РЦОИ the same day, its result is final and replaces
    the earlier one."""
    main, additional, work = story
    case = S.file_recheck(work, region.user("school"), _at(work, 10, 0), 2, "Директор")
    criteria = S.marks_form_spec(additional, "essay")
    passing = ({r.code: "зачет" for r in criteria.requirements}, {c.code: "зачет" for c in criteria.criteria})
    with pytest.raises(S.Refused) as exc:
        S.record_protocol(case, region.user("rcoi"), *passing, timezone.localdate(), timezone.localdate(), "1")
    assert "V66" in [v.code for v in exc.value.violations]
    commission = _regional_commission(additional, region)
    client = login("minobr")
    client.post(
        f"/rechecks/{case.pk}/",
        {"action": "decide", "approve": "1", "commission": commission.pk, "note": "Заявление обоснованно"},
    )
    case.refresh_from_db()
    assert case.status == "decided" and case.decided_by == region.user("minobr") and case.commission == commission
    today = timezone.localdate()
    with pytest.raises(S.Refused) as exc:
        S.record_protocol(case, region.user("rcoi"), *passing, today, today + timedelta(days=1), "7")
    assert "V67" in [v.code for v in exc.value.violations]
    rcoi = login("rcoi")
    data = {"action": "protocol", "number": "7", "completed_on": today.isoformat(), "delivered_on": today.isoformat()}
    data.update({f"m-{k}": v for k, v in {**passing[0], **passing[1]}.items()})
    assert rcoi.post(f"/rechecks/{case.pk}/", data).status_code == 302
    work.refresh_from_db()
    assert work.result == "зачет" and work.result_final
    assert [h.result for h in work.history.all()[:2]] == ["зачет", "незачет"]
    from pypdf import PdfReader

    pdf = rcoi.get(f"/rechecks/{case.pk}/protocol.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Протокол" in text and work.code in text and "окончательный" in text
    with pytest.raises(S.Refused) as exc:
        S.start_pereproverka([work], region.user("minobr"), "", commission)
    assert exc.value.violations[0].code == "V68"


def test_pereproverka_is_started_by_the_ministry_only(region, story, login):
    """п. 8.2.3 (F10): перепроверка on the ministry's decision, without an application."""
    main, additional, work = story
    commission = _regional_commission(main, region)
    target = Work.objects.filter(session=main).exclude(result_final=True).first()
    assert (
        login("school")
        .post(f"/sessions/{main.pk}/pereproverka/", {"codes": target.code, "commission": commission.pk})
        .status_code
        == 403
    )
    login("minobr").post(f"/sessions/{main.pk}/pereproverka/", {"codes": target.code, "commission": commission.pk})
    case = RecheckCase.objects.get(work=target)
    assert case.kind == "pereproverka" and case.status == "decided"


def test_chain_task_done_late_is_marked(region, story, login):
    main, additional, work = story
    case = S.file_recheck(work, region.user("school"), _at(work, 10, 0), 2, "Директор")
    task = case.tasks.order_by("due").first()
    resp = login("mouo").post(f"/rechecks/{case.pk}/", {"action": "task", "task": task.pk}, follow=True)
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == region.user("mouo")
    assert "истек" in resp.content.decode()  # the results day was months ago: V65


def test_recheck_case_of_another_municipality_is_404(region, story, login):
    main, additional, work = story
    case = S.file_recheck(work, region.user("school"), _at(work, 10, 0), 2, "Директор")
    assert login("mouo2").get(f"/rechecks/{case.pk}/").status_code == 404
    assert login("school2").get(f"/works/{work.pk}/recheck/").status_code in (403, 404)


def test_readmission_list_and_one_action_registration(region, login):
    """п. 10 (V69–V71): незачет, removed, absent / not finished with a document; registered for the
    additional date of the same year in one action."""
    main = finished_session(region, fail_rate=0.4)
    rows = S.readmission_list(region.user("school"), main)
    grounds = {d.ground for _, d in rows if d.eligible}
    assert "незачет" in " ".join(grounds)
    for app, d in rows:
        rec = app.day_record
        if rec.state == "finished" and app.work.result == "зачет":
            assert not d.eligible
        if rec.state == "absent" and not rec.valid_reason_document:
            assert not d.eligible
    eligible = [a.pk for a, d in rows if d.eligible]
    client = login("school")
    page = client.get(f"/sessions/{main.pk}/readmission/").content.decode()
    additional = Application._meta.get_field("session").related_model.objects.get(
        academic_year=main.academic_year, stage="additional", date__month=2
    )
    assert additional.date.strftime("%d.%m.%Y") in page
    # Today (real time) the 2025/26 additional date has passed: the screen refuses with the rule (V71) …
    refused = client.post(
        f"/sessions/{main.pk}/readmission/", {"target": additional.pk, "app": eligible}, follow=True
    ).content.decode()
    assert "дополнительные даты текущего учебного года" in refused
    assert not Application.objects.filter(session=additional).exists()
    # … and three weeks before that date the same action registers everyone eligible.
    created = S.readmit(region.user("school"), main, additional, eligible, today=additional.date - timedelta(days=20))
    assert Application.objects.filter(session=additional).count() == len(created) == len(eligible)
    ineligible = next(a.pk for a, d in rows if not d.eligible)
    with pytest.raises(S.Refused) as exc:
        S.readmit(region.user("school"), main, additional, [ineligible], today=additional.date - timedelta(days=20))
    assert exc.value.violations[0].code in ("V69", "V70")
    with pytest.raises(S.Refused) as exc:
        S.readmit(region.user("school"), main, main, eligible[:1], today=main.date - timedelta(days=20))
    assert "V71" in [v.code for v in exc.value.violations]


def test_v58_protocol_overall_contradicting_a_failed_requirement_is_refused(region, story, login):
    """п. 8.1.4 (V58; E5–E7), п. 8.2.5 (F13: the same federal criteria): the overall mark the paper protocol gives is entered with its marks; «зачет» with
    a failed requirement («Объем»/«Самостоятельность») is refused with the K.3 message, nothing saved; the
    protocol's «незачет» is accepted and final."""
    main, additional, work = story
    case = S.file_recheck(work, region.user("school"), _at(work, 10, 0), 2, "Директор")
    commission = _regional_commission(additional, region)
    login("minobr").post(f"/rechecks/{case.pk}/", {"action": "decide", "approve": "1", "commission": commission.pk})
    case.refresh_from_db()
    assert case.status == "decided"
    criteria = S.marks_form_spec(additional, "essay")
    marks = {r.code: "зачет" for r in criteria.requirements} | {c.code: "зачет" for c in criteria.criteria}
    marks[criteria.requirements[0].code] = "незачет"
    today = timezone.localdate().isoformat()
    data = {"action": "protocol", "number": "8", "completed_on": today, "delivered_on": today, "overall": "зачет"}
    data.update({f"m-{k}": v for k, v in marks.items()})
    rcoi = login("rcoi")
    page = rcoi.post(f"/rechecks/{case.pk}/", data, follow=True).content.decode()
    import html

    assert "Требование «Объем»/«Самостоятельность» не соблюдено — общая оценка должна быть «незачет»." in html.unescape(
        page
    )
    case.refresh_from_db()
    assert case.status == "decided" and case.result == ""
    assert rcoi.post(f"/rechecks/{case.pk}/", {**data, "overall": "незачет"}).status_code == 302
    case.refresh_from_db()
    work.refresh_from_db()
    assert case.result == "незачет" and work.result == "незачет" and work.result_final


def test_p10_each_ground_of_readmission_from_the_day_records(region):
    """п. 10 (G0–G5) and п. 7.11.8 (G6): of the written session's students, «незачет» (G1, G5) and removed (G2) are
    readmitted; absent (G3) and «Не закончил» (G4 — the mark of G6) only with a document of the valid reason;
    «зачет» is not. The list is exhaustive (G0): absent without a document is not readmitted."""
    from itog.conduct.models import DayRecord

    main = finished_session(region, fail_rate=0.4)
    passed = list(
        DayRecord.objects.filter(
            application__session=main,
            state="finished",
            application__work__result="зачет",
            application__participant__category="student",
        ).values_list("application_id", flat=True)[:6]
    )
    failed = Work.objects.filter(
        session=main, result="незачет", application__participant__category="student"
    ).values_list("application_id", flat=True)[0]
    cases = {
        passed[0]: ("removed", "", True),
        passed[1]: ("absent", "Справка поликлиники № 5", True),
        passed[2]: ("absent", "", False),
        passed[3]: ("not_finished", "Справка медработника ППЭ", True),
        passed[4]: ("not_finished", "", False),
    }
    for pk, (state, document, _) in cases.items():
        DayRecord.objects.filter(application_id=pk).update(state=state, valid_reason_document=document)
    rows = {a.pk: d for a, d in S.readmission_list(region.user("rcoi"), main)}
    assert {pk: rows[pk].eligible for pk in cases} == {pk: eligible for pk, (_, _, eligible) in cases.items()}
    assert rows[failed].eligible and "незачет" in rows[failed].ground
    assert not rows[passed[5]].eligible


def test_recheck_chain_has_each_forwarding_step_with_its_own_deadline(region, story):
    """пп. 8.2.1, 3.3, 8.2.2, 8.1.1, 3.2 (F4–F8; L2, L3): an application filed on the results day R becomes five
    tasks — the second copy to the responsible person on R (F4), the ОО's hand-over on R+1 (F5), the responsible
    person to the ministry on R+1 (F6), the notice to the ministry and РЦОИ on R+1 (F7), МОУО → ГКУ КК ЦОКО within
    one day (F8) — each with the item it comes from."""
    main, additional, work = story
    case = S.file_recheck(work, region.user("school"), _at(work, 10, 0), 2, "Директор")
    r = work.session.results_date
    day = timedelta(days=1)
    assert dict(case.tasks.values_list("key", "due")) == {
        "oo_to_responsible_same_day": r,
        "oo_to_responsible_next_day": r + day,
        "responsible_to_ministry": r + day,
        "notice_to_ministry_rcoi": r + day,
        "mouo_to_rcoi": r + day,
    }
    assert dict(case.tasks.values_list("key", "item")) == {
        "oo_to_responsible_same_day": "п. 8.2.1",
        "oo_to_responsible_next_day": "п. 3.3",
        "responsible_to_ministry": "п. 8.2.2",
        "notice_to_ministry_rcoi": "п. 8.1.1",
        "mouo_to_rcoi": "п. 3.2",
    }


def test_familiarization_with_a_recheck_result_is_the_day_after_its_protocol(region, story, login):
    """п. 11 (F16, V72): the result of a re-check is familiarized with, under signature, the day after it is
    received from the regional commission (its protocol reached РЦОИ) — not the day after the first publication."""
    import html

    main, additional, work = story
    case = S.file_recheck(work, region.user("school"), _at(work, 10, 0), 2, "Директор")
    S.decide(case, region.user("minobr"), True, "Заявление обоснованно", _regional_commission(additional, region))
    criteria = S.marks_form_spec(additional, "essay")
    passing = ({r.code: "зачет" for r in criteria.requirements}, {c.code: "зачет" for c in criteria.criteria})
    protocol_day = work.session.results_date + timedelta(days=5)
    S.record_protocol(case, region.user("rcoi"), *passing, protocol_day, protocol_day, "9")
    app = work.application
    client = login("school")

    def familiarized(on):
        url = f"/applications/{app.pk}/action/"
        data = {"action": "familiarized", "on": on.isoformat(), "signed": "on"}
        return html.unescape(client.post(url, data, follow=True).content.decode())

    assert "[V72]" in familiarized(work.session.results_date)  # the first result's day: not the re-check's
    app.refresh_from_db()
    assert app.familiarized_on is None
    assert "Ознакомление с результатом под подпись отмечено" in familiarized(protocol_day + timedelta(days=1))
    app.refresh_from_db()
    assert app.familiarized_on == protocol_day + timedelta(days=1)
