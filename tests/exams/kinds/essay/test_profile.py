"""The region's procedure profile as pure rules: defaults = Krasnodar, validation in Russian, each
setting changes what the rule functions answer, the storage choice read from a plan-schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from itog.exams.kinds.base import Category, CommissionKind, VenueKind
from itog.exams.kinds.essay import after, procedure
from itog.exams.kinds.essay.profile import (
    DEFAULT,
    CommissionCreator,
    Holder,
    OriginalsReading,
    ProcedureProfile,
    RecheckScope,
    differences,
    storage_choice_from_plan,
    validate,
)
from itog.orgs.kinds import OrgKind
from tests.seeds import seed_path

D = date(2023, 12, 6)


def test_default_is_krasnodar_and_every_field_documented():
    assert ProcedureProfile() == DEFAULT
    assert DEFAULT.originals_holder == Holder.RCOI  # п. 13.3
    assert DEFAULT.originals_kept_until == OriginalsReading.NEXT_ACADEMIC_YEAR  # L5
    assert DEFAULT.recheck_filing_until == time(18, 0)  # п. 8.2.1
    assert DEFAULT.delivery_max_days == 7  # п. 9.1.1
    for f in ProcedureProfile.__dataclass_fields__.values():
        assert f.metadata["label"] and f.metadata["source"] and f.metadata["group"]
    assert ProcedureProfile.from_dict(DEFAULT.to_dict()) == DEFAULT


def test_invalid_values_refused_in_russian():
    profile, errors = validate(
        {
            "copy_retention_months": "0",
            "recheck_filing_until": "25:00",
            "originals_holder": "школа",
            "readmit_ege_after_fail": "может быть",
            "delivery_max_days": "семь",
            "typo_field": 1,
        }
    )
    assert profile is None
    assert "вне допустимого диапазона 1–36" in errors["copy_retention_months"][0]
    assert "ЧЧ:ММ" in errors["recheck_filing_until"][0]
    assert "недопустимое значение «школа»" in errors["originals_holder"][0]
    assert "«да» или «нет»" in errors["readmit_ege_after_fail"][0]
    assert "целое число" in errors["delivery_max_days"][0]
    assert "Неизвестный параметр профиля «typo_field»" in errors["__all__"][0]
    with pytest.raises(ValueError, match="вне допустимого"):
        ProcedureProfile.from_dict({"chain_mouo_to_rcoi": 99})


def test_validate_parses_form_strings_and_reports_differences():
    profile, errors = validate(
        {
            "recheck_filing_until": "17.30",
            "readmit_ege_after_fail": "on",
            "originals_holder": "mouo",
            "copy_extra_days": "1",
        }
    )
    assert errors == {}
    assert profile.recheck_filing_until == time(17, 30) and profile.readmit_ege_after_fail is True
    assert set(differences(profile)) == {
        "recheck_filing_until",
        "readmit_ege_after_fail",
        "originals_holder",
        "copy_extra_days",
    }


def test_storage_settings_change_dates_and_keepers():
    kalmykia = replace(DEFAULT, originals_holder=Holder.MOUO)
    assert after.storage_keeper("original") == "rcoi"
    assert after.storage_keeper("original", kalmykia) == "mouo"
    assert after.storage_keeper("report_forms", kalmykia) == "rcoi"
    assert after.destroy_not_before("copy", D, profile=replace(DEFAULT, copy_retention_months=3)) == date(2024, 3, 6)
    same = replace(DEFAULT, originals_kept_until=OriginalsReading.SAME_ACADEMIC_YEAR)
    assert after.destroy_not_before("original", D) == date(2025, 3, 1)
    assert after.destroy_not_before("original", D, profile=same) == date(2024, 3, 1)
    assert after.check_destruction("original", D, date(2024, 3, 1), profile=same) == []


def test_commission_settings():
    central = replace(DEFAULT, oo_commissions_creator=CommissionCreator.MINISTRY)
    assert procedure.commission_creator(CommissionKind.CONDUCT, VenueKind.OO) == OrgKind.MOUO
    assert procedure.commission_creator(CommissionKind.CONDUCT, VenueKind.OO, central) == OrgKind.MINISTRY
    assert procedure.commission_creator(CommissionKind.REGIONAL_RECHECK, profile=central) == OrgKind.MINISTRY
    assert len(procedure.proposal_route(CommissionKind.CONDUCT, VenueKind.OO, central)) == 2


def test_recheck_settings():
    tz = "Europe/Moscow"
    late = datetime(2023, 12, 20, 18, 30, tzinfo=ZoneInfo(tz))
    assert [v.code for v in after.check_recheck_filing(late, date(2023, 12, 20), tz)] == ["V63"]
    assert (
        after.check_recheck_filing(late, date(2023, 12, 20), tz, replace(DEFAULT, recheck_filing_until=time(19, 0)))
        == []
    )
    tasks = {
        t.key: t.due
        for t in after.recheck_chain(
            date(2023, 12, 20), date(2023, 12, 20), profile=replace(DEFAULT, chain_mouo_to_rcoi=3)
        )
    }
    assert tasks["mouo_to_rcoi"] == date(2023, 12, 23) and tasks["responsible_to_ministry"] == date(2023, 12, 21)
    # L8: the first «незачет» suffices when the region sets 0 earlier ones
    assert after.check_recheck_eligibility(Category.STUDENT, "незачет", 0, False) != []
    assert (
        after.check_recheck_eligibility(
            Category.STUDENT, "незачет", 0, False, replace(DEFAULT, recheck_earlier_fails=0)
        )
        == []
    )
    history = [(date(2023, 4, 12), "незачет")]  # the previous academic year
    assert after.count_earlier_fails(history, D) == 0
    assert after.count_earlier_fails(history, D, replace(DEFAULT, recheck_scope=RecheckScope.ALL_YEARS)) == 1


def test_readmission_and_delivery_settings():
    assert not after.readmission(Category.VPL, "finished", "незачет", False).eligible  # L19 default
    assert after.readmission(
        Category.VPL, "finished", "незачет", False, replace(DEFAULT, readmit_ege_after_fail=True)
    ).eligible
    assert after.delivery_deadline(D, date(2023, 12, 20)) == date(2023, 12, 13)
    assert after.delivery_deadline(D, date(2023, 12, 20), replace(DEFAULT, delivery_max_days=10)) == date(2023, 12, 16)


def test_storage_choice_read_from_plans_made_independently():
    returned = "21\tПередача оригиналов бланков итогового сочинения в МОУО, ОО для хранения\tРЦОИ\t27.12.2023\n"
    assert storage_choice_from_plan(returned)[0] == Holder.MOUO
    # the hand-over on the exam day «для хранения и дальнейшей передачи на обработку» is not the storage
    before = (
        "передача оригиналов бланков регистрации руководителю ОО для хранения и дальнейшей передачи на "
        "обработку в РЦОИ\n"
    )
    assert storage_choice_from_plan(before) == (None, "")
    kept = "Хранение: передача оригиналов бланков сочинения в РЦОИ для хранения до 1 марта\n"
    assert storage_choice_from_plan(kept)[0] == Holder.RCOI
    assert storage_choice_from_plan("План без сведений о хранении") == (None, "")


def test_storage_choice_of_the_kalmykia_seed():
    holder, quote = storage_choice_from_plan(seed_path("000").read_text(encoding="utf-8"))
    assert holder == Holder.MOUO and "МОУО, ОО" in quote
