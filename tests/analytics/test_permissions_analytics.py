"""Role × scope matrix for the analytics pages (the completeness test in tests/web/test_permissions.py
requires a row here for every analytics route). Another municipality's school → 404."""

from __future__ import annotations

import pytest

from tests.analytics.fixtures import analytics_story
from tests.web.test_permissions import ROLES

REGION = {"minobr": 200, "inspector": 200, "rcoi": 200}


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


VIEW = expect(403, **REGION, mouo=200, mouo2=200, school=200, school2=200)
S1 = expect(403, **REGION, mouo=200, mouo2=404, school=200, school2=404)
EXPERTS = expect(403, **REGION, mouo=200, mouo2=200)

ANALYTICS_PAGES = [
    ("analytics_overview", "/analytics/", VIEW),
    ("analytics_overview s1", "/analytics/?org={s1}", S1),
    ("analytics_years", "/analytics/years/", VIEW),
    ("analytics_years s1", "/analytics/years/?org={s1}", S1),
    ("analytics_risks", "/analytics/risks/?year=2024/25", VIEW),
    ("analytics_experts", "/analytics/experts/", EXPERTS),
    ("analytics_experts s1", "/analytics/experts/?org={s1}", expect(403, **REGION, mouo=200, mouo2=404)),
    ("analytics_works", "/analytics/works/?org={s1}&result=незачет", S1),
    ("analytics_works state", "/analytics/works/?org={s1}&state=removed", S1),
    ("analytics_export", "/analytics/export/units.xlsx", VIEW),
    ("analytics_export s1", "/analytics/export/criteria.xlsx?org={s1}", S1),
    (
        "analytics_export experts",
        "/analytics/export/experts.xlsx",
        expect(403, **REGION, mouo=200, mouo2=200, school=404, school2=404),
    ),
    ("analytics_report", "/analytics/report.docx?year=2024/25", VIEW),
    ("analytics_report s1", "/analytics/report.docx?year=2024/25&org={s1}", S1),
]


@pytest.mark.django_db
def test_analytics_pages_matrix(region, login, django_capture_on_commit_callbacks):
    from django.test import Client

    analytics_story(region, django_capture_on_commit_callbacks)
    ids = {"s1": region.school1.pk}
    anonymous = Client()
    failures = []
    for _name, url, expected in ANALYTICS_PAGES:
        url = url.format(**ids)
        r = anonymous.get(url)
        if r.status_code != 302 or not r["Location"].startswith("/login/"):
            failures.append(f"anonymous {url}: {r.status_code}")
        for role in ROLES:
            response = login(role).get(url)
            if response.status_code != expected[role]:
                failures.append(f"{role} {url}: {response.status_code} != {expected[role]}")
            elif response.status_code == 404 and "Страница не найдена" not in response.content.decode():
                failures.append(f"{role} {url}: the 404 page is not the generic one")
    assert not failures, "\n".join(failures)
