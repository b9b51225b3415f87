"""The plan linter: findings about defects of an imported plan (pure Python).

Works on a ``ParsedPlan`` whose items carry the parsed deadline as JSON
(``{"kind", "windows": [{"start", "end"}], "anchor", "schedule_ref", ...}``).
Each finding has a code, the item id, a quote of the source fragment and a
Russian explanation. The codes:

- ``end_before_start``      a window ends before it starts (001 E2, F5);
- ``year_outside_campaign`` a date lies outside the plan's campaign (004 S6 2.2.7);
- ``child_outside_parent``  a sub-item's dates lie outside its parent's window (004 S6 9 / 9.1);
- ``duplicate_item``        the same activity twice with the same deadline (001 B4/B8);
- ``duplicate_conflict``    the same activity twice with different deadlines or responsible (001 C33/C51);
- ``duplicate_number``      a number repeated within a section (004 S6 3.24);
- ``missing_responsible``   nobody is responsible (001 G5);
- ``actor_in_deadline``     an organization sits in the deadline column (004 S6 3.2.16);
- ``date_in_responsible``   a date sat in the responsible column (004 S2 2.12–2.24);
- ``bullets_dates_mismatch`` the activity lists N stages but the deadline gives M dates (004 S3 1.32);
- ``unresolved_anchor``     a relative deadline whose anchor event has no date yet (001 G4);
- ``external_schedule``     a deadline set by an external schedule that is not linked (001 «по графику»);
- ``stale_date_in_text``    a date in the activity text outside the campaign (001 C53 «10.04.2023»);
- ``unreadable_deadline``   the deadline could not be read at all;
- ``person_without_organization`` only a person (and a post) is responsible, no organisation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import ParsedItem, ParsedPlan

# The campaign of a plan for academic year Y1/Y2 runs from one month before
# the academic year (August: analysis of the last campaign) to four months
# after it (December: reports and archiving). Configurable per call.
MONTHS_BEFORE = 1
MONTHS_AFTER = 4
# Dates up to this many months before the campaign are reported as a warning, not an error.
NEAR_MONTHS = 2


@dataclass(frozen=True)
class LintFinding:
    code: str
    item: str | None
    message: str
    quote: str
    severity: str = "warning"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "item": self.item,
            "message": self.message,
            "quote": self.quote,
            "severity": self.severity,
        }


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    return date(year, month % 12 + 1, 1)


def campaign_bounds(
    academic_year, months_before: int = MONTHS_BEFORE, months_after: int = MONTHS_AFTER
) -> tuple[date, date] | None:
    if academic_year is None:
        return None
    start = _add_months(academic_year.start, -months_before)
    end_next = _add_months(date(academic_year.end.year, academic_year.end.month, 1), months_after + 1)
    return start, date.fromordinal(end_next.toordinal() - 1)


def _windows(item: ParsedItem) -> list[tuple[date, date]]:
    out = []
    for w in (item.deadline or {}).get("windows") or []:
        try:
            start = date.fromisoformat(w["start"]) if w.get("start") else None
            end = date.fromisoformat(w["end"]) if w.get("end") else None
        except (TypeError, ValueError):
            continue
        if start or end:
            out.append((start or end, end or start))
    return out


def _fmt(d: date) -> str:
    return d.strftime("%d.%m.%Y")


_NORMALISE = re.compile(r"[\W_]+", re.U)
_FULL_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.\s?(\d{4})\b")
_BULLET = re.compile(r"(?:^|[:;]\s*|\n\s*)[-–—•]\s+\S|(?:^|\s)\d\)\s")


def _key(text: str) -> str:
    return _NORMALISE.sub(" ", text.lower()).strip()


def lint_plan(
    plan: ParsedPlan,
    academic_year=None,
    anchors: Mapping[str, date] | None = None,
    linked_schedules: set[str] | None = None,
) -> list[LintFinding]:
    anchors = anchors or {}
    linked_schedules = linked_schedules or set()
    bounds = campaign_bounds(academic_year)
    by_id = {item.id: item for item in plan.items}
    findings: list[LintFinding] = []
    add = findings.append

    for item in plan.items:
        deadline = item.deadline or {}
        raw = item.deadline_raw or ""
        windows = _windows(item)
        codes = set(item.warning_codes())

        for start, end in windows:
            if end < start:
                add(
                    LintFinding(
                        "end_before_start",
                        item.id,
                        f"Срок заканчивается ({_fmt(end)}) раньше, чем начинается ({_fmt(start)}); "
                        "вероятно, опечатка в годе.",
                        raw,
                        "error",
                    )
                )
        if bounds and windows:
            outside = sorted({d for w in windows for d in w if d < bounds[0] or d > bounds[1]})
            if outside:
                # June–July before the campaign is where plans put the analysis of the last one: likely
                # right, still worth a look; a date farther out is a wrong year (004 S6 2.2.7: 2020 for 2021).
                shortly_before = all(_add_months(bounds[0], -NEAR_MONTHS) <= d < bounds[0] for d in outside)
                span = f"({_fmt(bounds[0])} – {_fmt(bounds[1])})"
                add(
                    LintFinding(
                        "year_outside_campaign",
                        item.id,
                        f"Дата {_fmt(outside[0])} раньше кампании плана {span}: проверьте год, "
                        "если это не итоги прошлой кампании."
                        if shortly_before
                        else f"Дата {_fmt(outside[0])} вне кампании плана {span}.",
                        raw,
                        "warning" if shortly_before else "error",
                    )
                )
        if item.parent and item.parent in by_id and windows:
            parent_windows = _windows(by_id[item.parent])
            if parent_windows:
                p_start = min(min(w) for w in parent_windows)
                p_end = max(max(w) for w in parent_windows)
                c_start = min(min(w) for w in windows)
                c_end = max(max(w) for w in windows)
                if c_start < p_start or c_end > p_end:
                    add(
                        LintFinding(
                            "child_outside_parent",
                            item.id,
                            f"Сроки пункта ({_fmt(c_start)} – {_fmt(c_end)}) выходят за сроки "
                            f"вышестоящего пункта {item.parent} ({_fmt(p_start)} – {_fmt(p_end)}).",
                            raw,
                        )
                    )
        if "duplicate_number" in codes:
            add(
                LintFinding(
                    "duplicate_number",
                    item.id,
                    f"Номер «{item.number_raw or item.number}» повторяется в разделе.",
                    item.number_raw or item.number or "",
                    "error",
                )
            )
        if "person_without_organization" in codes:
            add(
                LintFinding(
                    "person_without_organization",
                    item.id,
                    _quote_warning(item, "person_without_organization"),
                    item.responsible_raw,
                )
            )
        if codes & {"no_responsible", "empty_responsible"}:
            add(LintFinding("missing_responsible", item.id, "Не указаны ответственные.", raw or item.activity[:120]))
        if "actor_in_deadline" in codes:
            add(
                LintFinding(
                    "actor_in_deadline",
                    item.id,
                    "В графе «Сроки» указана организация, а не срок; срок отсутствует.",
                    _quote_warning(item, "actor_in_deadline") or raw,
                    "error",
                )
            )
        if "column_shift" in codes:
            add(
                LintFinding(
                    "date_in_responsible",
                    item.id,
                    "Срок был записан в графе «Ответственные» (перенесен в «Сроки»); ответственный унаследован.",
                    raw,
                )
            )
        kind = deadline.get("kind")
        if kind == "unknown" and raw.strip() and "actor_in_deadline" not in codes:
            add(LintFinding("unreadable_deadline", item.id, "Срок не распознан; требуется уточнение.", raw))
        anchor = deadline.get("anchor") or {}
        event = anchor.get("event") if isinstance(anchor, dict) else None
        if kind == "relative" and event and event not in anchors:
            add(
                LintFinding(
                    "unresolved_anchor",
                    item.id,
                    f"Срок отсчитывается от события «{anchor.get('label') or event}», дата которого не задана.",
                    raw,
                    "info",
                )
            )
        schedule = deadline.get("schedule_ref")
        if (kind == "external" or schedule) and (schedule or raw) not in linked_schedules:
            annex = next(
                (q.get("annex") for q in (deadline.get("qualifiers") or {}).get("schedule", []) if q.get("annex")),
                None,
            )
            where = f"; он — приложение {annex} к плану, загрузите его отдельно" if annex else ""
            add(
                LintFinding(
                    "external_schedule",
                    item.id,
                    f"Срок задан внешним документом ({schedule or raw}), который не привязан к плану{where}.",
                    raw,
                    "info",
                )
            )
        bullets = len(_BULLET.findall(item.activity))
        if len(windows) >= 2 and bullets >= 2 and bullets != len(windows):
            add(
                LintFinding(
                    "bullets_dates_mismatch",
                    item.id,
                    f"В мероприятии перечислено {bullets} этапов, а сроков указано {len(windows)}.",
                    raw,
                )
            )
        if bounds:
            for match in _FULL_DATE.finditer(item.activity):
                try:
                    found = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
                except ValueError:
                    continue
                if found < bounds[0] or found > bounds[1]:
                    add(
                        LintFinding(
                            "stale_date_in_text",
                            item.id,
                            f"Дата {match.group(0)} в тексте мероприятия вне кампании плана.",
                            _context(item.activity, match),
                            "warning",
                        )
                    )

    findings.extend(_duplicates(plan))
    order = {item.id: i for i, item in enumerate(plan.items)}
    findings.sort(key=lambda f: (order.get(f.item, -1), f.code))
    return findings


def _quote_warning(item: ParsedItem, code: str) -> str:
    for w in item.warnings:
        if w.code == code:
            return w.message
    return ""


def _context(text: str, match: re.Match, width: int = 60) -> str:
    start = max(0, match.start() - width)
    return ("…" if start else "") + text[start : match.end() + 10].strip()


def _duplicates(plan: ParsedPlan) -> list[LintFinding]:
    seen: dict[str, ParsedItem] = {}
    out = []
    for item in plan.items:
        key = _key(item.activity)
        if len(key) < 20:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = item
            continue
        same_deadline = _key(first.deadline_raw or "") == _key(item.deadline_raw or "")
        same_responsible = _key(first.responsible_raw or "") == _key(item.responsible_raw or "")
        if same_deadline and same_responsible:
            out.append(
                LintFinding(
                    "duplicate_item",
                    item.id,
                    f"Мероприятие повторяет пункт {first.id} (те же сроки и ответственные).",
                    item.activity[:160],
                )
            )
        else:
            what = []
            if not same_deadline:
                what.append(f"сроки «{first.deadline_raw}» и «{item.deadline_raw}»")
            if not same_responsible:
                what.append(f"ответственные «{first.responsible_raw}» и «{item.responsible_raw}»")
            out.append(
                LintFinding(
                    "duplicate_conflict",
                    item.id,
                    f"Мероприятие повторяет пункт {first.id}, но " + "; ".join(what) + " различаются.",
                    item.activity[:160],
                    "error",
                )
            )
    return out
