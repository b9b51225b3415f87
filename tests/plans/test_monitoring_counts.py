"""Plan monitoring counted in the database: the totals are the database's counts however many assignments
there are, the executors are paged, the overdue list is cut with its full number beside (a country's
roadmap assigns an item «ОО» to 40,000 schools)."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest

from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization
from itog.plans import tracking
from itog.plans.models import Assignment, Plan, PlanItem, Status


@pytest.fixture
def plan(region):
    plan = Plan.objects.create(region=region.ministry, title="Дорожная карта (проверка счета)", year="2026/27")
    schools = list(Organization.objects.filter(kind=OrgKind.SCHOOL).order_by("pk"))
    statuses = [Status.DONE, Status.IN_PROGRESS, Status.NEW, Status.NOT_DONE]
    for k in range(1, 5):  # items 1, 2 are past their end on 1 December; 3, 4 are not
        item = PlanItem.objects.create(
            plan=plan,
            key=str(k),
            order=k,
            activity=f"Мероприятие {k}",
            due_end=date(2026, 11, 1) + timedelta(days=12 * k),
        )
        Assignment.objects.bulk_create(
            Assignment(item=item, organization=o, status=statuses[(k + i) % 4]) for i, o in enumerate(schools)
        )
    PlanItem.objects.create(plan=plan, key="5", order=5, activity="Без исполнителя")
    return plan, len(schools)


def test_monitoring_totals_pages_and_cut(region, plan, monkeypatch):
    plan, n_schools = plan
    monkeypatch.setattr(tracking, "ACTORS_PER_PAGE", 5)
    monkeypatch.setattr(tracking, "MONITORING_SHOWN", 3)
    m = tracking.monitoring(plan, region.user("minobr"), today=date(2026, 12, 1))
    rows = Assignment.objects.filter(item__plan=plan)
    open_ = [Status.NEW, Status.IN_PROGRESS, Status.NOT_DONE]
    overdue = rows.filter(status__in=open_, item__due_end__lt=date(2026, 12, 1)).count()
    assert m.totals["assignments"] == rows.count() == 4 * n_schools
    assert m.totals["done"] == rows.filter(status=Status.DONE).count() == n_schools
    assert m.totals["overdue"] == overdue > 3
    assert m.totals["items"] == 5 and [i.key for i in m.without_owner] == ["5"]
    assert len(m.overdue) == 3 and all(a.item.key == "1" for a in m.overdue)  # earliest end first
    assert m.actors_page.paginator.count == n_schools and len(m.actors) == 5
    first = m.actors[0]  # the most overdue executor first
    assert first["overdue"] == max(
        rows.filter(organization_id=a["organization_id"], status__in=open_, item__due_end__lt=date(2026, 12, 1)).count()
        for a in tracking.monitoring(plan, region.user("minobr"), today=date(2026, 12, 1), actors_page=2).actors
        + m.actors
    )
    last = tracking.monitoring(plan, region.user("minobr"), actors_page=999)
    assert last.actors_page.number == last.actors_page.paginator.num_pages


def test_monitoring_page_shows_the_cut_and_the_pager(login, region, plan, monkeypatch):
    plan, n_schools = plan
    monkeypatch.setattr(tracking, "ACTORS_PER_PAGE", 5)
    monkeypatch.setattr(tracking, "MONITORING_SHOWN", 3)
    page = html.unescape(login("minobr").get(f"/plans/{plan.pk}/monitoring/", {"apage": 2}).content.decode())
    assert f"По исполнителям: {n_schools}" in page
    assert f"Страница 2 из {-(-n_schools // 5)}" in page and "apage=3" in page and "apage=1" in page
    assert "Показаны первые 3 из" in page
