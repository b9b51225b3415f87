"""Dates of a plan over time: templates relative to an anchor event, re-projection,
the timeline, and the iCalendar feed."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import transaction

from itog.calendar.workdays import is_working_day

from .importing import envelope
from .models import Assignment, Plan, PlanItem, PlanSection
from .tracking import recipients_of

ANCHOR_EVENTS = {
    "exam_day": "день проведения экзамена (D)",
    "gia_start": "начало ГИА",
    "results_day": "день объявления результатов",
}


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _to_offsets(deadline: dict, anchor: date) -> list[dict]:
    out = []
    for w in deadline.get("windows") or []:
        start, end = _d(w.get("start")), _d(w.get("end"))
        if start or end:
            out.append(
                {
                    "start": ((start or end) - anchor).days,
                    "end": ((end or start) - anchor).days,
                    **{k: v for k, v in w.items() if k not in ("start", "end")},
                }
            )
    return out


def _project(deadline: dict, anchor: date) -> dict:
    """The deadline with its windows placed at anchor + offsets; a projected date
    that falls on a day off gets a warning (never moved silently)."""
    offsets = deadline.get("offsets")
    if not offsets:
        return deadline
    projected = copy.deepcopy(deadline)
    windows = []
    warnings = [w for w in projected.get("warnings", []) if "выходной" not in w]
    for o in offsets:
        start, end = anchor + timedelta(days=o["start"]), anchor + timedelta(days=o["end"])
        windows.append(
            {
                **{k: v for k, v in o.items() if k not in ("start", "end")},
                "start": start.isoformat(),
                "end": end.isoformat(),
            }
        )
        for d in {start, end}:
            if not is_working_day(d):
                warnings.append(f"Дата {d:%d.%m.%Y} после пересчета приходится на выходной или праздничный день.")
    projected["windows"] = windows
    projected["warnings"] = warnings
    projected["projected"] = anchor.isoformat()  # shown and exported from the windows, not the source phrase
    return projected


def _offset_label(days: int) -> str:
    return "D" if days == 0 else f"D{days:+d}".replace("-", "−")


def offset_labels(item: PlanItem) -> str:
    offsets = item.deadline.get("offsets") or []
    return ", ".join(
        _offset_label(o["start"])
        if o["start"] == o["end"]
        else f"{_offset_label(o['start'])} … {_offset_label(o['end'])}"
        for o in offsets
    )


@transaction.atomic
def _copy_plan(source: Plan, **fields) -> tuple[Plan, dict[int, PlanItem]]:
    plan = Plan.objects.create(
        region=source.region,
        title=fields.pop("title", source.title),
        kind=source.kind,
        year=fields.pop("year", source.year),
        approved=source.approved,
        controller=source.controller,
        **fields,
    )
    sections = {
        s.pk: PlanSection.objects.create(plan=plan, code=s.code, title=s.title, order=s.order)
        for s in source.sections.all()
    }
    mapping: dict[int, PlanItem] = {}
    originals = list(source.items.order_by("order"))
    for item in originals:
        mapping[item.pk] = PlanItem.objects.create(
            plan=plan,
            section=sections.get(item.section_id),
            key=item.key,
            number=item.number,
            order=item.order,
            activity=item.activity,
            deadline_raw=item.deadline_raw,
            responsible_raw=item.responsible_raw,
            deadline=copy.deepcopy(item.deadline),
            deadline_kind=item.deadline_kind,
            due_start=item.due_start,
            due_end=item.due_end,
            responsible=item.responsible,
            persons=item.persons,
            track=item.track,
            inherited=item.inherited,
            warnings=item.warnings,
            line=item.line,
            extra=item.extra,
        )
    for item in originals:
        if item.parent_id:
            mapping[item.pk].parent = mapping[item.parent_id]
            mapping[item.pk].save(update_fields=["parent"])
    if not plan.is_template:
        # a template is not executed: its items are nobody's work (copying the assignments made
        # one item appear three times in «Мои мероприятия»: source plan, template, instance)
        Assignment.objects.bulk_create(
            Assignment(item=mapping[a.item_id], organization_id=a.organization_id, person=a.person)
            for a in Assignment.objects.filter(item__plan=source)
        )
    return plan, mapping


def academic_year_of(day: date) -> str:
    """The academic year a date belongs to: 06.12.2024 -> «2024/25», 14.02.2025 -> «2024/25»."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _assign_like(template: Plan, plan: Plan, mapping: dict[int, PlanItem]) -> None:
    """An instance gets the assignments of the plan its template was made from (same item keys)."""
    origin = template.source_plan
    if origin is None:
        return
    by_key = {item.key: item for item in mapping.values()}
    Assignment.objects.bulk_create(
        [
            Assignment(item=by_key[a.item.key], organization_id=a.organization_id, person=a.person)
            for a in Assignment.objects.filter(item__plan=origin).select_related("item")
            if a.item.key in by_key
        ],
        ignore_conflicts=True,
    )


def make_template(plan: Plan, anchor_event: str, anchor_date: date, user=None) -> Plan:
    """A template of the plan: every dated item becomes an offset from the anchor (D−27 … D+23)."""
    template, mapping = _copy_plan(
        plan,
        title=f"Шаблон: {plan.title}"[:1000],
        is_template=True,
        anchor_event=anchor_event,
        anchor_date=anchor_date,
        created_by=user,
        source_plan=plan,
    )
    for item in mapping.values():
        offsets = _to_offsets(item.deadline, anchor_date)
        if offsets:
            item.deadline = {**item.deadline, "offsets": offsets}
            item.save(update_fields=["deadline"])
    return template


def instantiate(template: Plan, anchor_date: date, user=None, title: str | None = None) -> Plan:
    """A plan for another session: every date moves with the anchor."""
    plan, mapping = _copy_plan(
        template,
        title=title or template.title.removeprefix("Шаблон: "),
        anchor_event=template.anchor_event,
        anchor_date=anchor_date,
        template=template,
        created_by=user,
        year=academic_year_of(anchor_date),
    )
    _assign_like(template, plan, mapping)
    for item in mapping.values():
        _reproject_item(item, anchor_date)
    return plan


def _reproject_item(item: PlanItem, anchor: date) -> bool:
    if not item.deadline.get("offsets"):
        return False
    before = (item.due_start, item.due_end)
    item.deadline = _project(item.deadline, anchor)
    item.due_start, item.due_end = envelope(item.deadline)
    item.save(update_fields=["deadline", "due_start", "due_end"])
    return (item.due_start, item.due_end) != before


@dataclass
class MoveResult:
    moved: int
    notified: int


@transaction.atomic
def move_anchor(plan: Plan, new_date: date, user=None) -> MoveResult:
    """The exam date changed: re-project all dependent items and tell the affected organizations."""
    old_date = plan.anchor_date
    plan.anchor_date = new_date
    plan._history_user = user
    plan.save()
    moved_items = [item for item in plan.items.all() if _reproject_item(item, new_date)]
    affected = (
        Assignment.objects.filter(item__in=moved_items)
        .select_related("item", "organization")
        .order_by("organization_id", "item__order")
    )
    by_org: dict[int, list[Assignment]] = {}
    for a in affected:
        by_org.setdefault(a.organization_id, []).append(a)
    emails = recipients_of(by_org.keys())
    notified = 0
    for org_id, assignments in by_org.items():
        lines = [
            f"— {a.item.key}. {a.item.activity[:160]}: теперь "
            f"{a.item.due_start:%d.%m.%Y}"
            + (f" – {a.item.due_end:%d.%m.%Y}" if a.item.due_end != a.item.due_start else "")
            for a in assignments
        ]
        if emails.get(org_id):
            send_mail(
                f"«Итог»: перенос сроков — {plan.title[:80]}",
                f"Дата события перенесена с {old_date:%d.%m.%Y} на {new_date:%d.%m.%Y}. "
                f"Изменились сроки мероприятий «{assignments[0].organization.display_name}»:\n\n" + "\n".join(lines),
                None,
                emails[org_id],
            )
        notified += 1
    return MoveResult(moved=len(moved_items), notified=notified)


# --- timeline ------------------------------------------------------------------------------------

MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
ZOOM = {"year": 40, "month": 90, "week": 220}  # pixels per month


@dataclass
class Bar:
    item: PlanItem
    left: float
    width: float
    windows: list[tuple[float, float]]


@dataclass
class Timeline:
    months: list[tuple[str, int]]
    bars: list[Bar]
    undated: list[PlanItem]
    month_px: int
    width_px: int
    zoom: str
    today_x: float | None = None  # the «сегодня» line, percent of the track; None when outside
    outside: list[PlanItem] | None = None  # dated items outside the plan's campaign (year typos)


def timeline(
    items, zoom: str = "month", today: date | None = None, bounds: tuple[date, date] | None = None
) -> Timeline:
    """Bars of the dated items over the months they span. ``bounds`` (the plan's campaign) keeps
    one mistyped year from stretching the chart over years: such items are listed apart."""
    items = list(items)
    dated = [i for i in items if i.due_end]  # «до …» has no start: a milestone at its end
    outside: list[PlanItem] = []
    if bounds:
        lo_b, hi_b = bounds
        outside = [i for i in dated if (i.due_start or i.due_end) > hi_b or i.due_end < lo_b]
        dated = [i for i in dated if i not in outside]
    month_px = ZOOM.get(zoom, ZOOM["month"])
    if not dated:
        return Timeline([], [], [i for i in items if not i.due_end], month_px, 0, zoom, None, outside)
    first = min(min(i.due_start or i.due_end, i.due_end) for i in dated).replace(day=1)
    last = max(max(i.due_start or i.due_end, i.due_end) for i in dated)
    if bounds:
        first, last = max(first, bounds[0].replace(day=1)), min(last, bounds[1])
    months = []
    cursor = first
    while cursor <= last:
        months.append((f"{MONTHS[cursor.month - 1]} {cursor.year}", cursor.year))
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    total_days = (cursor - first).days

    def x(d: date) -> float:
        return 100 * (d - first).days / total_days

    bars = []
    for item in dated:
        windows = []
        for w in item.deadline.get("windows") or []:
            s, e = _d(w.get("start")), _d(w.get("end"))
            s = s or e
            if s and e:
                lo, hi = min(s, e), max(s, e)
                windows.append((x(lo), max(x(hi + timedelta(days=1)) - x(lo), 0.4)))
        start = item.due_start or item.due_end
        lo, hi = max(min(start, item.due_end), first), min(max(start, item.due_end), cursor)
        bars.append(Bar(item, x(lo), max(x(hi + timedelta(days=1)) - x(lo), 0.4), windows))
    today_x = x(today) if today and first <= today < cursor else None
    return Timeline(
        months, bars, [i for i in items if not i.due_end], month_px, month_px * len(months), zoom, today_x, outside
    )


# --- iCalendar -----------------------------------------------------------------------------------


def feed_token(user, org, days: int | None = None) -> str:
    """A new calendar feed key of ``user`` for ``org`` (stored hashed; expires; revocable on «Профиль»)."""
    from itog.accounts.models import ApiToken, TokenKind

    return ApiToken.issue(
        user, f"Календарь: {org.display_name}"[:100], days, kind=TokenKind.CALENDAR, organization=org
    )[1]


def read_feed_token(token: str):
    """(user, organization) of a valid feed key, else (None, None): unknown, expired or revoked."""
    from django.utils import timezone

    from itog.accounts.models import ApiToken, TokenKind

    found = ApiToken.authenticate(token, kind=TokenKind.CALENDAR)
    if found is None or found.organization_id is None:
        return None, None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user, found.organization


def ical(org, assignments) -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Itog//plans//RU")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Итог: {org.display_name}")
    for a in assignments:
        item = a.item
        if not item.due_end:
            continue
        event = Event()
        event.add("uid", f"itog-assignment-{a.pk}@itog")
        event.add("summary", f"{item.key}. {item.activity[:200]}")
        event.add("dtstart", item.due_start or item.due_end)
        event.add("dtend", item.due_end + timedelta(days=1))
        event.add(
            "description",
            f"План: {item.plan.title}\nСрок: {item.deadline_display}\n"
            f"Ответственные: {item.responsible_raw}\nСостояние: {a.get_status_display()}",
        )
        cal.add_component(event)
    return cal.to_ical()
