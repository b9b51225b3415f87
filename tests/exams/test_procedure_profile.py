"""The region's procedure profile through the application: the ministry's page (groups, defaults, what
differs, invalid values refused in Russian with nothing saved, history of who changed what, the Kalmykia
preset with one button), another region's ministry gets 404, and each setting changes what the services do."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from itog.conduct import services as S
from itog.conduct.models import ChainTask, StorageItem
from itog.conduct.retention.services import originals_count
from itog.exams.kinds.essay.profile import DEFAULT, Holder
from itog.exams.models import ProcedureProfileRecord
from itog.exams.profiles import load_preset, profile_for, save_profile
from itog.exams.violations import Refused
from tests.conduct.fixtures import finished_session, repeated_fail, sessions


def url(region):
    return f"/procedure/{region.ministry.pk}/essay/"


def test_navigation_and_page_show_defaults(region, login):
    client = login("minobr")
    assert "Региональный профиль порядка" in client.get("/").content.decode()
    assert client.get("/procedure/")["Location"] == url(region)
    page = client.get(url(region)).content.decode()
    for group in (
        "Хранение и уничтожение материалов",
        "Комиссии",
        "Повторная проверка",
        "Повторный допуск на дополнительные даты",
        "Пороговые значения и сроки",
    ):
        assert group in page
    assert "Все значения — по умолчанию" in page and "п. 13.3" in page and "L5" in page
    assert "Изменений нет" in page
    # only the ministry: РЦОИ and schools are refused, other roles do not see the menu entry
    assert login("rcoi").get(url(region)).status_code == 403
    assert "Региональный профиль порядка" not in login("school").get("/").content.decode()


def _form(**changes):
    data = {k: ("on" if v is True else v) for k, v in DEFAULT.to_dict().items() if v is not False}
    for k, v in changes.items():
        if v is False:
            data.pop(k, None)
        else:
            data[k] = "on" if v is True else v
    return {"action": "save", **data}


def test_invalid_values_refused_in_russian_nothing_saved(region, login):
    client = login("minobr")
    page = client.post(
        url(region), _form(copy_retention_months="0", recheck_filing_until="18-00", originals_holder="школа")
    ).content.decode()
    assert "Профиль не сохранен" in page
    assert "значение 0 вне допустимого диапазона 1–36" in page
    assert "время указывается как ЧЧ:ММ" in page
    assert "недопустимое значение «школа»" in page
    assert not ProcedureProfileRecord.objects.exists()
    assert profile_for(region.ministry, "essay") == DEFAULT


def test_changes_saved_with_history_and_differences_shown(region, login):
    client = login("minobr")
    response = client.post(
        url(region), {**_form(chain_mouo_to_rcoi="3", readmit_ege_after_fail=True), "note": "Приказ № 12 от 01.11.2025"}
    )
    assert response.status_code == 302
    record = ProcedureProfileRecord.objects.get(region=region.ministry, kind="essay")
    assert record.values == {"chain_mouo_to_rcoi": 3, "readmit_ege_after_fail": True}  # only what differs
    client.post(url(region), _form(chain_mouo_to_rcoi="2"))
    record.refresh_from_db()
    assert record.values == {"chain_mouo_to_rcoi": 2}
    assert [h.history_user.username for h in record.history.all()] == ["minobr", "minobr"]
    page = client.get(url(region)).content.decode()
    assert "Отличается от порядка по умолчанию: 1" in page and "отличается" in page
    assert "Приказ № 12 от 01.11.2025" in page  # the history lists who changed what and why
    assert page.count("МОУО → РЦОИ, дней после получения из ОО") >= 2


def test_other_region_ministry_gets_404(region, client):
    from django.contrib.auth import get_user_model

    from itog.accounts.models import Membership
    from itog.orgs.models import Organization

    other = Organization.objects.create(kind="ministry", code="OTHER-REG", name="Министерство другого региона")
    user = get_user_model().objects.create_user("other_minobr", password="x-very-long-1")
    Membership.objects.create(user=user, role="ministry_admin", organization=other)
    client.force_login(user)
    response = client.get(url(region))
    assert response.status_code == 404 and "Страница не найдена" in response.content.decode()
    assert client.post(url(region), _form(chain_mouo_to_rcoi="5")).status_code == 404
    assert not ProcedureProfileRecord.objects.filter(region=region.ministry).exists()
    assert client.get(f"/procedure/{other.pk}/essay/").status_code == 200  # its own region works
    assert client.get(f"/procedure/{other.pk}/unknown/").status_code == 404


def test_kalmykia_preset_one_button_then_storage_at_mouo(region, login):
    """The Kalmykia plan-schedule returns the originals to МОУО/ОО for storage (п. 22): with its preset the
    storage items of the originals are at the МОУО of the works, report forms stay at РЦОИ."""
    client = login("minobr")
    page = client.get(url(region)).content.decode()
    assert "Загрузить образец «Калмыкия (план-график 2023/24)»" in page
    response = client.post(url(region), {"action": "preset", "preset": "kalmykia-2023-24"}, follow=True)
    assert "Загружен образец" in response.content.decode()
    assert profile_for(region.ministry, "essay").originals_holder == Holder.MOUO
    record = ProcedureProfileRecord.objects.get(region=region.ministry)
    assert record.preset == "Калмыкия (план-график 2023/24)" and record.history.count() == 1
    kept = finished_session(region)
    originals = StorageItem.objects.filter(session=kept, kind="original")
    assert originals.count() >= 2 and {o.holder.kind for o in originals} == {"mouo"}
    copies = {c.holder_id: c.quantity for c in StorageItem.objects.filter(session=kept, kind="copy")}
    kept_originals = {o.holder_id: o.quantity for o in originals}
    # each МОУО keeps the originals of its works: the checked ones (as many as the copies) and, L18, the
    # unfinished and removed ones too, which have no copies
    assert set(kept_originals) == set(copies) and all(kept_originals[h] >= n for h, n in copies.items())
    assert sum(kept_originals.values()) == sum(originals_count(kept)[0].values())
    assert StorageItem.objects.get(session=kept, kind="report_forms").holder.kind == "rcoi"
    # the МОУО now destroys its originals itself (from 1 March, V74 before)
    own = originals.get(holder=region.mouo1)
    assert own in S.due_for_destruction(region.user("mouo"), date(2027, 3, 1))
    with pytest.raises(Refused) as exc:
        S.destroy([own], region.user("mouo"), date(2027, 2, 28), "Комиссия")
    assert exc.value.violations[0].code == "V74"


def test_default_profile_keeps_originals_at_rcoi_and_periods_follow_profile(region):
    save_profile(
        region.ministry,
        "essay",
        {"copy_retention_months": 2, "originals_kept_until": "same_academic_year"},
        region.user("minobr"),
    )
    kept = finished_session(region)
    assert StorageItem.objects.get(session=kept, kind="original").holder.kind == "rcoi"
    copies = {c.destroy_not_before for c in StorageItem.objects.filter(session=kept, kind="copy")}
    assert copies == {date(2026, 2, 3)}  # 03.12.2025 + 2 months (the default: 03.01.2026)
    assert StorageItem.objects.get(session=kept, kind="original").destroy_not_before == date(2026, 3, 1)


def test_recheck_chain_deadline_moves_with_profile(region):
    """A changed deadline of the chain (МОУО → РЦОИ, п. 3.2) moves the task's due date and so when V65 fires."""
    save_profile(
        region.ministry, "essay", {"chain_mouo_to_rcoi": 3, "recheck_filing_until": "19:00"}, region.user("minobr")
    )
    _, additional, work = repeated_fail(region)
    results_date = work.session.results_date
    tz = ZoneInfo(work.application.participant.registration_org.time_zone)
    # 18:30 is in time under this region's 19:00 (п. 8.2.1 default 18:00 would refuse with V63)
    case = S.file_recheck(
        work, region.user("school"), datetime.combine(results_date, time(18, 30), tzinfo=tz), 2, "Директор"
    )
    task = ChainTask.objects.get(case=case, key="mouo_to_rcoi")
    assert task.due == results_date + timedelta(days=3)
    assert ChainTask.objects.get(case=case, key="responsible_to_ministry").due == results_date + timedelta(days=1)
    rules = additional.rules.recheck
    assert rules.check_chain_task(task, results_date + timedelta(days=3), results_date) == []
    [v] = rules.check_chain_task(task, results_date + timedelta(days=4), results_date)
    assert v.code == "V65"


def test_commission_creator_and_delivery_threshold_follow_profile(region):
    from itog.conduct.checking.services import checking_deadlines
    from itog.exams.commissions.services import create_commission

    main, _ = sessions(region)
    assert checking_deadlines(main)["latest"] == main.date + timedelta(days=7)  # п. 9.1.1
    create_commission(main, "check", region.school1, None, region.mouo1)  # п. 3.2: the МОУО creates it
    save_profile(
        region.ministry, "essay", {"oo_commissions_creator": "ministry", "delivery_max_days": 10}, region.user("minobr")
    )
    main = type(main).objects.get(pk=main.pk)  # a fresh object: the profile is cached per object
    assert checking_deadlines(main)["latest"] == main.date + timedelta(days=10)
    with pytest.raises(Refused) as exc:
        create_commission(main, "check", region.school1b, None, region.mouo1)
    assert exc.value.violations[0].code == "X56" and "министерство" in exc.value.violations[0].message
    create_commission(main, "check", region.school1b, None, region.ministry)


def test_preset_reads_the_seed_or_says_it_could_not(region, monkeypatch):
    record, note = load_preset(region.ministry, "kalmykia-2023-24", region.user("minobr"))
    assert record.values == {"originals_holder": "mouo"}
    from itog.plans import seeds

    monkeypatch.setattr(seeds, "seed_file", lambda prefix: None)
    record, note = load_preset(region.ministry, "kalmykia-2023-24", region.user("minobr"))
    assert record.values == {"originals_holder": "mouo"} and "недоступен" in note


def test_commission_thresholds_follow_profile(region):
    """п. 3.2 (V22, V26): the minimum composition is the region's; the commission page's check follows it."""
    from itog.exams.commissions.services import check_commission
    from itog.exams.models import Commission, CommissionMember
    from itog.people.models import Employee

    main, _ = sessions(region)
    conduct = Commission.objects.create(session=main, kind="conduct", organization=region.school1)
    for e in Employee.objects.filter(organization=region.school1, is_russian_specialist=False).order_by("pk")[:2]:
        CommissionMember.objects.create(commission=conduct, employee=e, role="organizer_in_room", trained=True)
    assert "V22" in {v.code for v in check_commission(conduct, [])}  # two members: fewer than three
    save_profile(region.ministry, "essay", {"min_conduct_members": 2}, region.user("minobr"))
    conduct = Commission.objects.get(pk=conduct.pk)
    assert "V22" not in {v.code for v in check_commission(conduct, [])}


def test_additional_date_rule_follows_profile(region):
    """L19: an ЕГЭ participant with «незачет» is not re-admitted under п. 10 by default; a region that admits
    them sees them eligible on the re-admission list and re-admits them."""
    from itog.exams.models import Application

    main = finished_session(region, fail_rate=0.4)
    rcoi = region.user("rcoi")
    failed = [a for a, d in S.readmission_list(rcoi, main) if d.ground_key == "fail"]
    participant = failed[0].participant
    participant.category = "vpl"  # a выпускник прошлых лет: an ЕГЭ participant (п. 2.2)
    participant.save()
    decision = {a.pk: d for a, d in S.readmission_list(rcoi, main)}[failed[0].pk]
    assert not decision.eligible and "п. 5.5" in decision.note
    save_profile(region.ministry, "essay", {"readmit_ege_after_fail": True}, region.user("minobr"))
    main = type(main).objects.get(pk=main.pk)
    decision = {a.pk: d for a, d in S.readmission_list(rcoi, main)}[failed[0].pk]
    assert decision.eligible and decision.ground_key == "fail"
    additional = sessions(region)[1]
    created = S.readmit(rcoi, main, additional, [failed[0].pk], today=additional.date - timedelta(days=20))
    assert [a.participant_id for a in created] == [participant.pk]
    assert Application.objects.filter(session=additional, participant=participant).exists()


def test_repeated_fail_threshold_follows_profile(region):
    """L8 / п. 8.2.1 (V62): a region that lets a first «незачет» apply accepts it."""
    from itog.conduct.models import Work

    main = finished_session(region, fail_rate=0.4)
    first = (
        Work.objects.filter(
            session=main,
            result="незачет",
            application__participant__category="student",
            application__participant__registration_org__parent=region.mouo1,
        )
        .select_related("application__participant__registration_org", "session")
        .order_by("pk")
        .first()
    )
    tz = ZoneInfo(first.application.participant.registration_org.time_zone)
    at = datetime.combine(main.results_date, time(12, 0), tzinfo=tz)
    with pytest.raises(Refused) as exc:
        S.file_recheck(first, region.user("school"), at, 2, "Директор")
    assert "V62" in {v.code for v in exc.value.violations}
    save_profile(region.ministry, "essay", {"recheck_earlier_fails": 0}, region.user("minobr"))
    first = Work.objects.select_related("session", "application__participant__registration_org").get(pk=first.pk)
    assert S.file_recheck(first, region.user("school"), at, 2, "Директор").pk


def test_conduct_commission_l13_l14_follow_profile(region):
    """L13: relatives excluded from the conduct commission too; L14: the head's composition an error."""
    from dataclasses import replace

    from itog.exams.commissions.services import check_commission
    from itog.exams.models import Commission, CommissionMember
    from itog.people.models import Employee

    main, _ = sessions(region)
    conduct = Commission.objects.create(session=main, kind="conduct", organization=region.school1)
    russian = Employee.objects.create(
        organization=region.school1,
        last_name="Словесникова",
        first_name="Анна",
        position="Директор",
        is_russian_specialist=True,
    )
    CommissionMember.objects.create(commission=conduct, employee=russian, role="conduct_head", trained=True)
    v23 = next(v for v in check_commission(conduct, []) if v.code == "V23")
    assert not v23.is_error  # L14 default: a warning
    save_profile(region.ministry, "essay", {"head_composition_blocks": True}, region.user("minobr"))
    conduct = Commission.objects.get(pk=conduct.pk)
    assert next(v for v in check_commission(conduct, []) if v.code == "V23").is_error
    assert profile_for(region.ministry, "essay") == replace(DEFAULT, head_composition_blocks=True)
