"""How sure is an import? Structural sanity checks and the confidence of a parsed plan.

Never silently wrong: a plan that looks structurally odd is refused with a message
that says what was found and what to do, or — when the user gave the column mapping
himself (``forced``) — imported with findings saying so.  Every plan gets
``plan.confidence = {"score": 0..1, "level": …, "reasons": [...]}``.

Odd structures (each seen in real copies of regional plans):

* one giant item — the whole table read as one row (no row separators found);
* activities that are only numbers — the number column taken for the activity;
* responsible cells holding dates — columns shifted by one;
* deadline cells holding organisations while the responsible cells hold dates — swapped;
* many rows with fewer/more cells than the header — the separators are unreliable.
"""

from __future__ import annotations

import re

from .model import Finding, ParsedPlan, PlanReadError
from .structure import looks_like_actor, looks_like_deadline

_ONLY_NUMBER_RE = re.compile(r"^[\s\d.,;:)(№\-–—]*$")
_DATE_RE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}")
STRUCTURAL_CODES = {
    "short_row",
    "extra_cells",
    "column_shift",
    "bad_number",
    "unnumbered_row",
    "actor_in_deadline",
    "activity_is_number",
    "responsible_is_date",
}

HINT = (
    "Проверьте назначение столбцов: в веб-форме — на шаге предпросмотра, в командной строке — "
    "--columns activity=N,deadline=N,responsible=N; либо сохраните план как .docx/.xlsx."
)


def level_of(score: float) -> str:
    return "высокая" if score >= 0.85 else "средняя" if score >= 0.6 else "низкая"


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def assess(plan: ParsedPlan, forced: bool = False) -> None:
    items = plan.items
    n = len(items)
    reasons: list[str] = []
    score = 1.0
    problems: list[str] = []

    def plan_finding(code: str, message: str, severity: str = "warning") -> None:
        plan.warnings.append(Finding(code, message, severity))

    # 1. one giant item
    if n == 1:
        text = items[0].activity + " " + items[0].deadline_raw
        if len(text) > 600 or len(_DATE_RE.findall(text)) >= 4:
            problems.append(
                f"вся таблица прочитана как одно мероприятие длиной {len(text)} знаков "
                f"(«{items[0].activity[:80]}…»): строки таблицы не разделены"
            )
    # 2. activities that are only numbers
    numeric = [it for it in items if it.activity and _ONLY_NUMBER_RE.match(it.activity)]
    for it in numeric:
        it.warn(
            "activity_is_number",
            f"Вместо мероприятия — число «{it.activity}»: вероятно, столбцы определены неверно.",
            field_name="activity",
        )
    # 3. responsible cells holding dates while a deadline is present too
    dated = [
        it
        for it in items
        if it.responsible_raw
        and looks_like_deadline(it.responsible_raw)
        and not looks_like_actor(it.responsible_raw)
        and _DATE_RE.search(it.responsible_raw)
        and "column_shift" not in it.warning_codes()
    ]
    for it in dated:
        it.warn(
            "responsible_is_date",
            f"В столбце ответственных дата «{it.responsible_raw}»: возможно, столбцы сдвинуты.",
            field_name="responsible",
        )
    shifted = [it for it in items if "column_shift" in it.warning_codes()]
    swapped = [
        it
        for it in items
        if "actor_in_deadline" in it.warning_codes() and it.responsible_raw and looks_like_deadline(it.responsible_raw)
    ]
    if n >= 3 and _ratio(len(numeric), n) >= 0.5:
        problems.append(
            f"в {len(numeric)} из {n} строк вместо мероприятия стоит число — похоже, за "
            "мероприятия принят столбец номеров"
        )
    if n >= 3 and _ratio(len(dated) + len(shifted), n) >= 0.5:
        problems.append(
            f"в {len(dated) + len(shifted)} из {n} строк в столбце ответственных стоят даты — похоже, столбцы сдвинуты"
        )
    if n >= 3 and _ratio(len(swapped), n) >= 0.3:
        problems.append(
            f"в {len(swapped)} из {n} строк в столбце сроков организации, а в столбце "
            "ответственных даты — похоже, столбцы «Сроки» и «Ответственные» перепутаны"
        )
    if problems:
        message = "Импорт выглядит неверным: " + "; ".join(problems) + "."
        if not forced:
            raise PlanReadError(message + " " + HINT)
        plan_finding("structure_odd", message + " Столбцы заданы вручную — проверьте результат.", "error")
        score *= 0.4
        reasons.append("структура таблицы выглядит неверной")

    # the softer signals
    structural = [it for it in items if STRUCTURAL_CODES & set(it.warning_codes())]
    r = _ratio(len(structural), n)
    if r:
        score *= 1 - min(0.6, r)
        reasons.append(f"строк с неровной структурой: {len(structural)} из {n}")
    if r >= 0.25 and not problems:
        plan_finding(
            "structure_uneven",
            f"В {len(structural)} из {n} строк ячейки не совпадают со столбцами "
            "(лишние или недостающие ячейки, сдвиг, номера вместо текста). " + HINT,
        )
    codes = {w.code for w in plan.warnings}
    if "no_header" in codes and not forced:
        score *= 0.8
        reasons.append("нет строки заголовка: столбцы определены по содержимому")
    layout = plan.layout[0] if plan.layout else plan.format
    if layout == "plain" or "plain" in plan.layout:
        score *= 0.75
        reasons.append("таблица без разделителей: срок и ответственные выделены по датам в тексте")
        plan_finding(
            "plain_layout",
            "Текст без разделителей столбцов: сроки найдены по датам, ответственные — "
            "по тексту после срока. Проверьте пункты с замечаниями.",
            "info",
        )
    if n == 0:
        score = 0.0
    plan.confidence = {"score": round(score, 2), "level": level_of(score), "reasons": reasons}


def add_deadline_signal(plan: ParsedPlan) -> None:
    """After the deadline grammar ran: unreadable deadlines lower the confidence."""
    items = plan.items
    if not items or not plan.confidence:
        return
    unknown = sum(1 for it in items if (it.deadline or {}).get("kind") == "unknown" and it.deadline_raw)
    r = _ratio(unknown, len(items))
    if r >= 0.1:
        score = plan.confidence["score"] * (1 - min(0.5, r / 2))
        plan.confidence = {
            "score": round(score, 2),
            "level": level_of(score),
            "reasons": [*plan.confidence["reasons"], f"нераспознанных сроков: {unknown} из {len(items)}"],
        }
