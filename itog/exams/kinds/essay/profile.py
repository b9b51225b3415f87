"""The region's procedure profile for the final essay: every choice a region makes differently
(pure Python, no Django).

Krasnodar's order (приказ № 3311 от 24.11.2023, seed 003; analysis in
shared/domain/essay-procedure-rules.md) is the default: :data:`DEFAULT` is exactly what the rule
functions did before profiles existed. Another region — Kalmykia's plan-schedule (seed 000) returns
the originals of the blanks to МОУО/ОО for storage after processing (its п. 22) — keeps its
choices as a profile the ministry edits (``itog.exams.profiles``); the rule functions take the
profile as a parameter whose default is :data:`DEFAULT`.

Each field cites the item of the procedure (or the L-number of the open question of section L it
settles). :func:`validate` checks values from a form or the database with Russian messages.
"""

# ruff: noqa: RUF009  (_f returns a dataclasses.field with the metadata of the form, not a shared default)
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from itog.exams.kinds.base import Choice

__all__ = [
    "DEFAULT",
    "GROUPS",
    "CommissionCreator",
    "Holder",
    "OriginalsReading",
    "ProcedureProfile",
    "RecheckScope",
    "differences",
    "field_specs",
    "storage_choice_from_plan",
    "validate",
]


class Holder(Choice):
    """Where kept materials are stored."""

    RCOI = "rcoi", "РЦОИ"
    MOUO = "mouo", "МОУО/ОО (возвращаются после обработки)"


class OriginalsReading(Choice):
    """L5: «до 1 марта учебного года, следующего за годом написания».

    * NEXT_ACADEMIC_YEAR — 1 March of the academic year after the one of the exam (December 2023,
      year 2023/24 → 01.03.2025; April 2024 → 01.03.2025). The default.
    * SAME_ACADEMIC_YEAR — 1 March of the calendar year after the calendar year of the exam
      (December 2023 → 01.03.2024; February or April 2024 → 01.03.2025). The two readings differ
      only for autumn (December) exams.
    """

    NEXT_ACADEMIC_YEAR = "next_academic_year", "1 марта следующего учебного года"
    SAME_ACADEMIC_YEAR = (
        "same_academic_year",
        ("1 марта года, следующего за календарным годом написания (для декабрьской даты — текущего учебного года)"),
    )


class CommissionCreator(Choice):
    """Who creates the conduct and checking commissions of venues in ОО and at home."""

    MOUO = "mouo", "МОУО"
    MINISTRY = "ministry", "министерство"


class RecheckScope(Choice):
    """L8: over which sessions «незачет повторно» counts the earlier «незачет»."""

    ACADEMIC_YEAR = "academic_year", "в том же учебном году"
    ALL_YEARS = "all_years", "за все годы"


# Groups of the ministry's form, in order.
GROUPS: dict[str, str] = {
    "storage": "Хранение и уничтожение материалов",
    "commissions": "Комиссии",
    "recheck": "Повторная проверка",
    "readmission": "Повторный допуск на дополнительные даты",
    "thresholds": "Пороговые значения и сроки",
}


def _f(
    default: Any,
    group: str,
    label: str,
    source: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    choices: type[Choice] | None = None,
) -> Any:
    return field(
        default=default,
        metadata={"group": group, "label": label, "source": source, "min": minimum, "max": maximum, "choices": choices},
    )


@dataclass(frozen=True)
class ProcedureProfile:
    """A region's choices. Defaults = Krasnodar's procedure (the item or L-number in ``source``)."""

    # ---- storage (п. 8.1.1, 13.3; L5)
    originals_holder: Holder = _f(
        Holder.RCOI,
        "storage",
        "Где хранятся оригиналы бланков",
        "п. 13.3: оригиналы хранятся в РЦОИ; Калмыкия (план-график, п. 22): возвращаются в МОУО, ОО",
        choices=Holder,
    )
    report_forms_holder: Holder = _f(
        Holder.RCOI, "storage", "Где хранятся отчетные формы", "п. 13.3: в РЦОИ", choices=Holder
    )
    originals_kept_until: OriginalsReading = _f(
        OriginalsReading.NEXT_ACADEMIC_YEAR,
        "storage",
        "Оригиналы, аудиозаписи и формы хранятся до",
        "п. 13.3, L5 (неоднозначный срок «до 1 марта учебного года, следующего за годом написания»), L5b",
        choices=OriginalsReading,
    )
    copy_retention_months: int = _f(
        1,
        "storage",
        "Копии бланков хранятся не менее, месяцев",
        "п. 8.1.1: «не менее месяца с момента его проведения»",
        minimum=1,
        maximum=36,
    )
    copy_extra_days: int = _f(
        0,
        "storage",
        "Дополнительные дни хранения копий",
        "п. 8.1.1: 0 — уничтожение с той же даты через месяц; 1 — срок исчисляется со "
        "следующего дня (гражданско-правовое прочтение)",
        minimum=0,
        maximum=31,
    )
    # ---- commissions (п. 3.1, 3.2; L13, L14)
    oo_commissions_creator: CommissionCreator = _f(
        CommissionCreator.MOUO,
        "commissions",
        "Кто создает комиссии по проведению и проверке в ОО и на дому",
        "п. 3.2: МОУО (в местах, определенных министерством, и региональную комиссию — министерство, п. 3.1)",
        choices=CommissionCreator,
    )
    min_conduct_members: int = _f(
        3,
        "commissions",
        "Минимальный состав комиссии по проведению",
        "п. 3.2: не менее трех человек",
        minimum=1,
        maximum=50,
    )
    min_check_specialists: int = _f(
        3,
        "commissions",
        "Минимум учителей русского языка и литературы в комиссии по проверке",
        "п. 3.2: не менее трех",
        minimum=1,
        maximum=50,
    )
    conduct_excludes_relatives: bool = _f(
        False,
        "commissions",
        "Близкие родственники участников исключаются и из комиссии по проведению",
        "L13: п. 3.2 называет только комиссию по проверке (V27)",
    )
    head_composition_blocks: bool = _f(
        False,
        "commissions",
        "Руководитель комиссии по проведению — учитель русского "
        "языка или учитель участников: запрет, а не предупреждение",
        "L14: п. 7.11.1 и п. 3.2 противоречат друг другу; по умолчанию предупреждение (V23, V24)",
    )
    # ---- the exam day (п. 7.11.6; L10)
    spravka_id_act_allowed: bool = _f(
        True,
        "thresholds",
        "Лицо со справкой об обучении без документа, удостоверяющего личность, допускается по акту идентификации",
        "L10: п. 7.11.6 о них молчит; по умолчанию — как обучающиеся (V41, V42)",
    )
    # ---- re-check (п. 3.2, 3.3, 8.1.1, 8.2; L2, L3, L7, L8)
    recheck_filing_until: time = _f(
        time(18, 0),
        "recheck",
        "Заявления принимаются в день объявления результатов до (местное время)",
        "пп. 8.2.1, 3.3: до 18.00 по местному времени; L7",
    )
    recheck_earlier_fails: int = _f(
        1,
        "recheck",
        "Сколько прежних «незачетов» дает право на повторную проверку",
        "п. 8.2.1: «незачет повторно» — не менее одного прежнего; L8",
        minimum=0,
        maximum=5,
    )
    recheck_scope: RecheckScope = _f(
        RecheckScope.ACADEMIC_YEAR,
        "recheck",
        "Прежние «незачеты» учитываются",
        "L8: в пределах учебного года",
        choices=RecheckScope,
    )
    chain_oo_same_day: int = _f(
        0,
        "recheck",
        "ОО → ответственному лицу (второй экземпляр), дней после принятия",
        "п. 8.2.1: в день принятия заявления; L2",
        minimum=0,
        maximum=10,
    )
    chain_oo_after_familiarization: int = _f(
        1,
        "recheck",
        "ОО → ответственному лицу, дней после ознакомления с результатами",
        "п. 3.3: на следующий день; L2",
        minimum=0,
        maximum=10,
    )
    chain_responsible_to_ministry: int = _f(
        1,
        "recheck",
        "Ответственное лицо → министерство, дней после получения",
        "п. 8.2.2: на следующий день; L3",
        minimum=0,
        maximum=10,
    )
    chain_notice_to_ministry_rcoi: int = _f(
        1,
        "recheck",
        "Сведения о заявлениях в министерство и РЦОИ, дней после поступления",
        "п. 8.1.1: на следующий календарный день; L3",
        minimum=0,
        maximum=10,
    )
    chain_mouo_to_rcoi: int = _f(
        1,
        "recheck",
        "МОУО → РЦОИ, дней после получения из ОО",
        "п. 3.2: в течение 1 календарного дня; L3",
        minimum=0,
        maximum=10,
    )
    # ---- re-admission (п. 10, 5.5; L19)
    readmit_ege_after_fail: bool = _f(
        False,
        "readmission",
        "Участники ЕГЭ с «незачетом» или удаленные допускаются повторно по п. 10",
        "L19: нет — выбирают дату сами по п. 5.5",
    )
    readmit_spravka_after_fail: bool = _f(
        False,
        "readmission",
        "Лица со справкой об обучении с «незачетом» или удаленные допускаются повторно по п. 10",
        "L19, A3: нет — в п. 10 названы только обучающиеся",
    )
    # ---- thresholds (п. 9.1.1)
    delivery_max_days: int = _f(
        7,
        "thresholds",
        "Оригиналы передаются в РЦОИ не позднее, дней после проведения",
        "п. 9.1.1: не позднее чем через 7 календарных дней",
        minimum=1,
        maximum=30,
    )

    # The day offsets of the re-check chain by task key (after.recheck_chain).
    def chain_days(self) -> dict[str, int]:
        return {
            "oo_to_responsible_same_day": self.chain_oo_same_day,
            "oo_to_responsible_next_day": self.chain_oo_after_familiarization,
            "responsible_to_ministry": self.chain_responsible_to_ministry,
            "notice_to_ministry_rcoi": self.chain_notice_to_ministry_rcoi,
            "mouo_to_rcoi": self.chain_mouo_to_rcoi,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (times as "HH:MM", choices as their values)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = (
                value.strftime("%H:%M")
                if isinstance(value, time)
                else (str(value) if isinstance(value, Choice) else value)
            )
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProcedureProfile:
        """The profile from stored values (missing keys take the default); invalid values raise
        :class:`ValueError` with the Russian messages."""
        profile, errors = validate(data)
        if errors:
            raise ValueError("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        return profile


DEFAULT = ProcedureProfile()


def field_specs() -> list[dataclasses.Field]:
    return list(dataclasses.fields(ProcedureProfile))


_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_TRUE = {"1", "true", "on", "yes", "да"}
_FALSE = {"0", "false", "off", "no", "нет", ""}


def _parse(f: dataclasses.Field, raw: Any) -> tuple[Any, str | None]:
    meta = f.metadata
    label = meta["label"]
    if meta["choices"] is not None:
        try:
            return meta["choices"](str(raw)), None
        except ValueError:
            allowed = ", ".join(f"«{c.label}»" for c in meta["choices"])
            return None, f"«{label}»: недопустимое значение «{raw}»; возможны: {allowed}."
    if f.type in (bool, "bool"):
        if isinstance(raw, bool):
            return raw, None
        text = str(raw).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE, None
        return None, f"«{label}»: ожидается «да» или «нет», получено «{raw}»."
    if f.type in (time, "time"):
        if isinstance(raw, time):
            return raw.replace(second=0, microsecond=0), None
        m = _TIME.match(str(raw).strip())
        if not m:
            return None, f"«{label}»: время указывается как ЧЧ:ММ (например, 18:00), получено «{raw}»."
        return time(int(m.group(1)), int(m.group(2))), None
    # integers
    if isinstance(raw, bool):
        return None, f"«{label}»: ожидается целое число."
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except ValueError:
        return None, f"«{label}»: ожидается целое число, получено «{raw}»."
    lo, hi = meta["min"], meta["max"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return None, f"«{label}»: значение {value} вне допустимого диапазона {lo}–{hi}."
    return value, None


def validate(
    data: Mapping[str, Any], base: ProcedureProfile = DEFAULT
) -> tuple[ProcedureProfile | None, dict[str, list[str]]]:
    """Values → a profile (keys missing from ``data`` keep ``base``'s), or ``None`` with Russian
    messages by field name. Unknown keys are refused (a typo must not be silently ignored)."""
    known = {f.name: f for f in field_specs()}
    errors: dict[str, list[str]] = {}
    for key in data:
        if key not in known:
            errors.setdefault("__all__", []).append(f"Неизвестный параметр профиля «{key}».")
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name not in data:
            continue
        value, error = _parse(f, data[name])
        if error:
            errors.setdefault(name, []).append(error)
        else:
            values[name] = value
    if not errors:
        return dataclasses.replace(base, **values), {}
    return None, errors


def differences(profile: ProcedureProfile, base: ProcedureProfile = DEFAULT) -> dict[str, tuple[Any, Any]]:
    """Field name → (base value, profile value) for every field that differs."""
    return {
        f.name: (getattr(base, f.name), getattr(profile, f.name))
        for f in field_specs()
        if getattr(base, f.name) != getattr(profile, f.name)
    }


def display(name: str, value: Any) -> str:
    """A value as the ministry's page shows it (Russian)."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Choice):
        return value.label
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


# ---------------------------------------------------------------- presets from the regions' documents

# A plan-schedule row that sends the originals of the blanks somewhere «для хранения».
_STORAGE_ROW = re.compile(
    r"оригинал\w*\s+бланк\w*[^\n]{0,200}?\s(?:в|во)\s+([^\n]{0,60}?)\s+для\s+хранени", re.IGNORECASE
)


def storage_choice_from_plan(text: str) -> tuple[Holder | None, str]:
    """Where a plan-schedule keeps the originals after processing, read from its text: the LAST
    row «передача оригиналов бланков … в <кому> для хранения» (an earlier row may hand them to an
    ОО head «для хранения и дальнейшей передачи на обработку в РЦОИ» on the exam day). Returns the
    holder and the quoted row, or ``(None, "")`` when the text does not say (the caller keeps the
    default and tells the user)."""
    found: tuple[Holder | None, str] = (None, "")
    for m in _STORAGE_ROW.finditer(text):
        tail = text[m.end() : m.end() + 80].lower()
        if "дальнейшей передачи" in tail or "на обработку" in tail:
            continue  # a hand-over before processing, not the storage after it
        to = m.group(1).lower()
        if "моуо" in to or re.search(r"\bоо\b", to):
            found = (Holder.MOUO, " ".join(m.group(0).split()))
        elif "рцои" in to or "цоко" in to:
            found = (Holder.RCOI, " ".join(m.group(0).split()))
    return found


def field_specs_by_name() -> dict[str, dataclasses.Field]:
    return {f.name: f for f in field_specs()}
