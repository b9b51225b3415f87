"""Tracking a plan's execution: my items, progress reports, monitoring, reminders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from itog.accounts.mail import recipients_of as mail_recipients
from itog.accounts.scope import grants_of

from .models import Assignment, Evidence, Plan, PlanItem, ProgressReport, Status

OPEN = [Status.NEW, Status.IN_PROGRESS, Status.NOT_DONE]
MAX_EVIDENCE_MB = 20


def week_bounds(today: date) -> tuple[date, date]:
    start = today - timedelta(days=today.weekday())
    return start, start + timedelta(days=6)


def is_overdue(assignment: Assignment, today: date) -> bool:
    end = assignment.item.due_end
    return assignment.status in OPEN and end is not None and end < today


@dataclass
class MyItems:
    overdue: list = field(default_factory=list)
    this_week: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    ongoing: list = field(default_factory=list)  # continuous, recurring, external, undated
    done: list = field(default_factory=list)


def first_current_year(today: date) -> int:
    """The first academic year whose campaign is still running: a campaign of Y/Y+1 ends with the
    reports of December Y+1 (``lint.MONTHS_AFTER``), so in September–December the previous one counts."""
    start = today.year if today.month >= 9 else today.year - 1
    return start - 1 if today.month >= 9 else start


def current_plans_q(today: date, prefix: str = "item__plan__") -> Q:
    """Plans that are worked on now: not templates, not plans of finished campaigns (a plan
    without a year is kept)."""
    first = first_current_year(today)
    return ~Q(**{f"{prefix}is_template": True}) & (
        Q(**{f"{prefix}year": ""}) | Q(**{f"{prefix}year__gte": f"{first}/"})
    )


def my_items(user, today: date | None = None, plan: Plan | None = None, archive: bool = False) -> MyItems:
    """«Мои мероприятия»: the assignments of the user's organizations, by urgency — of the plans of
    running campaigns only (``archive`` adds finished ones); templates never."""
    today = today or timezone.localdate()
    week_start, week_end = week_bounds(today)
    own = [g.org_id for g in grants_of(user)]
    # «Мои»: the user's own organizations, not the whole subtree the scope would allow.
    qs = (
        Assignment.objects.for_user(user)
        .filter(organization_id__in=own)
        .exclude(item__plan__is_template=True)
        .select_related("item", "item__plan", "item__section", "organization")
    )
    if plan is not None:
        qs = qs.filter(item__plan=plan)
    elif not archive:
        qs = qs.filter(current_plans_q(today))
    out = MyItems()
    for a in qs.order_by("item__due_end", "item__plan_id", "item__order"):
        item = a.item
        if a.status == Status.DONE:
            out.done.append(a)
        elif item.due_end is None:
            out.ongoing.append(a)
        elif item.due_end < today:
            out.overdue.append(a)
        elif (
            item.due_start
            and item.due_start <= week_end
            and item.due_end >= week_start
            or (week_start <= item.due_end <= week_end)
        ):
            out.this_week.append(a)
        else:
            out.upcoming.append(a)
    out.overdue.reverse()  # the most recently missed first
    return out


class ReportError(ValueError):
    pass


@transaction.atomic
def report_progress(assignment: Assignment, user, status: str, comment: str, files=()) -> ProgressReport:
    """Record a progress report (status, comment, evidence files) and update the assignment."""
    if status not in Status.values:
        raise ReportError("Неизвестное состояние.")
    if status == Status.DONE and not comment.strip() and not files:
        raise ReportError("Для отметки «выполнено» приложите подтверждающий документ или укажите комментарий.")
    for f in files:
        if f.size > MAX_EVIDENCE_MB * 1024 * 1024:
            raise ReportError(f"Файл «{f.name}» больше {MAX_EVIDENCE_MB} МБ.")
        if f.size == 0:
            raise ReportError(f"Файл «{f.name}» пуст.")
    report = ProgressReport.objects.create(
        assignment=assignment, status=status, comment=comment.strip(), created_by=user
    )
    for f in files:
        Evidence.objects.create(report=report, file=f, name=f.name[:255], size=f.size)
    assignment.status = status
    assignment.comment = comment.strip()
    assignment.updated_at = timezone.now()
    assignment._history_user = user
    assignment.save()
    return report


@dataclass
class Monitoring:
    sections: list[dict]
    actors: list[dict]  # the page of executors shown (``actors_page``), most overdue first
    overdue: list  # the first ``MONITORING_SHOWN`` overdue assignments; their number is ``totals["overdue"]``
    without_owner: list
    totals: dict
    actors_page: object = None  # django Page of the executors (a country's roadmap reaches 40,000 schools)


MONITORING_SHOWN = 100
ACTORS_PER_PAGE = 50


def monitoring(plan: Plan, user, today: date | None = None, actors_page: int | str | None = 1) -> Monitoring:
    """The ministry's dashboard of one plan: progress by section and actor, overdue, unowned items. Every figure is
    counted in the database; the executors are paged and the overdue assignments cut at ``MONITORING_SHOWN``
    (an item «ОО» of a country's roadmap has 40,000 assignments)."""
    today = today or timezone.localdate()
    assignments = Assignment.objects.for_user(user).filter(item__plan=plan)
    overdue_q = Q(status__in=OPEN, item__due_end__lt=today)
    counted = {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(status=Status.DONE)),
        "overdue": Count("pk", filter=overdue_q),
    }
    by_section = (
        assignments.values("item__section__code", "item__section__title", "item__section__order")
        .annotate(**counted)
        .order_by("item__section__order")
    )
    by_actor = (
        assignments.values("organization_id", "organization__short_name", "organization__name")
        .annotate(**counted)
        .order_by("-overdue", "-total", "organization_id")
    )
    items = PlanItem.objects.for_user(user).filter(plan=plan)
    sections = [
        {
            "code": r["item__section__code"] or "—",
            "title": r["item__section__title"] or "Без раздела",
            "total": r["total"],
            "done": r["done"],
            "overdue": r["overdue"],
            "percent": round(100 * r["done"] / r["total"]) if r["total"] else 0,
        }
        for r in by_section
    ]
    page = Paginator(by_actor, ACTORS_PER_PAGE).get_page(actors_page)
    actors = [
        {
            "organization_id": r["organization_id"],
            "name": r["organization__short_name"] or r["organization__name"],
            "total": r["total"],
            "done": r["done"],
            "overdue": r["overdue"],
            "percent": round(100 * r["done"] / r["total"]) if r["total"] else 0,
        }
        for r in page.object_list
    ]
    overdue = list(
        assignments.filter(overdue_q)
        .select_related("item", "organization")
        .order_by("item__due_end", "item__order", "pk")[:MONITORING_SHOWN]
    )
    without_owner = list(items.filter(assignments__isnull=True).order_by("order"))
    total = sum(s["total"] for s in sections)
    done = sum(s["done"] for s in sections)
    return Monitoring(
        sections=sections,
        actors=actors,
        overdue=overdue,
        without_owner=without_owner,
        totals={
            "items": items.count(),
            "assignments": total,
            "done": done,
            "overdue": sum(s["overdue"] for s in sections),
            "percent": round(100 * done / total) if total else 0,
        },
        actors_page=page,
    )


def monitoring_rows(
    user, plan_id: int | None = None, year: str = "", status: str = "", today: date | None = None, archive: bool = False
):
    """The ministry's cross-plan monitoring: assignments filtered by plan, academic year and status
    («просрочено» is a status of its own here: open and past its end date)."""
    today = today or timezone.localdate()
    qs = (
        Assignment.objects.for_user(user)
        .exclude(item__plan__is_template=True)
        .select_related("item", "item__plan", "item__section", "organization")
        .order_by("item__plan__year", "item__plan_id", "item__order", "organization__name")
    )
    if plan_id:
        qs = qs.filter(item__plan_id=plan_id)
    elif year:
        qs = qs.filter(item__plan__year=year)
    elif not archive:
        qs = qs.filter(current_plans_q(today))
    if status == "overdue":
        qs = qs.filter(status__in=OPEN, item__due_end__lt=today)
    elif status in Status.values:
        qs = qs.filter(status=status)
    return qs


PLANNERS = {"plans:report", "plans:edit"}  # an expert or an authorized person of the organization gets no reminders


def recipients_of(organization_ids) -> dict[int, list[str]]:
    """E-mail addresses of the people who work on the plans for each organization in Itog."""
    return mail_recipients(organization_ids, PLANNERS)


def send_reminders(days_ahead: int = 7, today: date | None = None) -> int:
    """One letter per organization listing its overdue items and those due within ``days_ahead`` days."""
    today = today or timezone.localdate()
    due = (
        Assignment.objects.filter(
            status__in=OPEN, item__due_end__isnull=False, item__due_end__lte=today + timedelta(days=days_ahead)
        )
        .filter(current_plans_q(today))
        .select_related("item", "item__plan", "organization")
        .order_by("item__due_end")
    )
    by_org: dict[int, list[Assignment]] = defaultdict(list)
    for a in due:
        by_org[a.organization_id].append(a)
    emails = recipients_of(by_org.keys())
    sent = 0
    for org_id, assignments in by_org.items():
        if not emails.get(org_id):
            continue
        org = assignments[0].organization
        lines = []
        for a in assignments:
            state = "ПРОСРОЧЕНО" if a.item.due_end < today else f"до {a.item.due_end:%d.%m.%Y}"
            lines.append(f"— {a.item.key}. {a.item.activity[:200]} ({state}; срок: «{a.item.deadline_display}»)")
        body = (
            f"Здравствуйте!\n\nМероприятия «{org.display_name}», требующие внимания:\n\n"
            + "\n".join(lines)
            + "\n\nОтметить выполнение: раздел «Мои мероприятия» системы «Итог»."
        )
        send_mail(f"«Итог»: сроки мероприятий ({len(lines)})", body, None, emails[org_id])
        sent += 1
    return sent


def assign(item: PlanItem, organization, person: str = "", user=None) -> Assignment:
    """Assign an item to an organization (and a named person) by hand."""
    assignment, created = Assignment.objects.get_or_create(
        item=item, organization=organization, defaults={"person": person[:200]}
    )
    if not created and person and assignment.person != person:
        assignment.person = person[:200]
        assignment._history_user = user
        assignment.save()
    return assignment
