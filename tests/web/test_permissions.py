"""Role × scope matrix over HTTP for every page and endpoint that exists.

Expected statuses: logged out → 302 to log-in (API: 401); the role never has
the permission → 403 (API: 404); a record of another school or municipality
→ 404; allowed → 200. A missing row in a table fails the completeness test.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from itog.exams.models import Commission
from itog.orgs.models import ActorAlias, Place, PlaceKind, Room
from itog.people.models import Employee, Student
from tests.exams.fixtures import registered_application
from tests.jobs.fixtures import finished_import_job, finished_job, students_export_job
from tests.plans.fixtures import tiny_plans

ROLES = ["minobr", "inspector", "rcoi", "mouo", "mouo2", "school", "school2", "commission", "expert", "participant"]
REGION_ROLES = {"minobr", "inspector", "rcoi"}


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


# Objects of the story: "s1" = school1 (in mouo1, where the school operator works),
# "s2" = school2 (in mouo2). Each entry: url template, object key, expected statuses.
PAGES = [
    ("home", "/", None, expect(200)),
    ("account", "/account/", None, expect(200)),
    ("password_change", "/account/password/", None, expect(200)),
    ("org_list", "/orgs/", None, expect(200, participant=403)),
    ("org_detail s1", "/orgs/{s1}/", None, expect(200, mouo2=404, school2=404, expert=404, participant=403)),
    (
        "org_detail s2",
        "/orgs/{s2}/",
        None,
        expect(404, minobr=200, inspector=200, rcoi=200, mouo2=200, school2=200, participant=403),
    ),
    (
        "org_detail mouo2",
        "/orgs/{m2}/",
        None,
        expect(404, minobr=200, inspector=200, rcoi=200, mouo2=200, participant=403),
    ),
    ("org_edit s1", "/orgs/{s1}/edit/", None, expect(403, minobr=200, rcoi=200)),
    ("org_new", "/orgs/new/", None, expect(403, minobr=200, rcoi=200)),
    ("org_new under s1's mouo", "/orgs/new/?parent={m1}", None, expect(403, minobr=200, rcoi=200)),
    ("org_import", "/orgs/import/", None, expect(403, minobr=200, rcoi=200)),
    (
        "org_export xlsx",
        "/orgs/export.xlsx",
        None,
        expect(403, minobr=200, inspector=200, rcoi=200, mouo=200, mouo2=200),
    ),
    ("org_export csv", "/orgs/export.csv", None, expect(403, minobr=200, inspector=200, rcoi=200, mouo=200, mouo2=200)),
    (
        "place_new s1",
        "/orgs/{s1}/places/new/",
        None,
        expect(403, minobr=200, rcoi=200, mouo=200, mouo2=404, school=200, school2=404),
    ),
    (
        "place_new s2",
        "/orgs/{s2}/places/new/",
        None,
        expect(403, minobr=200, rcoi=200, mouo=404, mouo2=200, school=404, school2=200),
    ),
    (
        "place_detail s1",
        "/places/{p1}/",
        None,
        expect(403, minobr=200, inspector=200, rcoi=200, mouo=200, mouo2=404, school=200, school2=404, commission=200),
    ),
    (
        "place_edit s1",
        "/places/{p1}/edit/",
        None,
        expect(403, minobr=200, rcoi=200, mouo=200, mouo2=404, school=200, school2=404, inspector=403),
    ),
    (
        "place_edit s2",
        "/places/{p2}/edit/",
        None,
        expect(403, minobr=200, rcoi=200, mouo=404, mouo2=200, school=404, school2=200),
    ),
    (
        "room_add s1",
        "/places/{p1}/rooms/",
        None,
        expect(403, minobr=302, rcoi=302, mouo=302, mouo2=404, school=302, school2=404),
    ),
    (
        "room_delete s2",
        "/rooms/{r2}/delete/",
        None,
        expect(403, minobr=302, rcoi=302, mouo=404, mouo2=302, school=404, school2=302),
    ),
    (
        "place_list",
        "/places/",
        None,
        expect(403, minobr=200, inspector=200, rcoi=200, mouo=200, mouo2=200, school=200, school2=200, commission=200),
    ),
    (
        "place_list export",
        "/places/?export=xlsx",
        None,
        expect(403, minobr=200, inspector=200, rcoi=200, mouo=200, mouo2=200),
    ),
    ("alias_list", "/aliases/", None, expect(403, minobr=200, inspector=200, rcoi=200)),
    # the region's procedure profile: the ministry only (another region's ministry: 404, test_procedure_profile)
    ("procedure_profile_home", "/procedure/", None, expect(403, minobr=302)),
    ("procedure_profile", "/procedure/{reg}/essay/", None, expect(403, minobr=200)),
    ("alias_new", "/aliases/new/", None, expect(403, minobr=200, rcoi=200)),
    ("alias_edit", "/aliases/{a}/edit/", None, expect(403, minobr=200, rcoi=200)),
    ("alias_delete", "/aliases/{a}/delete/", None, expect(403, minobr=200, rcoi=200)),
    ("student_list", "/students/", None, expect(200, commission=403, expert=403)),
    (
        "student_export",
        "/students/export.xlsx",
        None,
        expect(403, minobr=200, rcoi=200, mouo=200, mouo2=200, school=200, school2=200),
    ),
    (
        "student_list export",
        "/students/?export=xlsx",
        None,
        expect(403, minobr=200, rcoi=200, mouo=200, mouo2=200, school=200, school2=200),
    ),
    ("employee_list export", "/employees/?export=xlsx", None, expect(403, minobr=200, rcoi=200)),
    ("student_detail s1", "/students/{st1}/", None, expect(200, mouo2=404, school2=404, commission=403, expert=403)),
    (
        "student_detail s1 other",
        "/students/{st1b}/",
        None,
        expect(200, mouo2=404, school2=404, commission=403, expert=403, participant=404),
    ),
    (
        "student_detail s2",
        "/students/{st2}/",
        None,
        expect(404, minobr=200, inspector=200, rcoi=200, mouo2=200, school2=200, commission=403, expert=403),
    ),
    (
        "student_edit s1",
        "/students/{st1b}/edit/",
        None,
        expect(403, rcoi=200, mouo=200, mouo2=404, school=200, school2=404, participant=403),
    ),
    (
        "student_edit s2",
        "/students/{st2}/edit/",
        None,
        expect(403, rcoi=200, mouo=404, mouo2=200, school=404, school2=200),
    ),
    ("employee_list", "/employees/", None, expect(200, commission=403, expert=403, participant=403)),
    (
        "staff_links_import",
        "/employees/links/import/",
        None,
        expect(403, rcoi=200, mouo=200, mouo2=200, school=200, school2=200),
    ),
    (
        "employee_detail s1",
        "/employees/{e1}/",
        None,
        expect(200, mouo2=404, school2=404, commission=403, expert=403, participant=403),
    ),
    (
        "employee_detail s2",
        "/employees/{e2}/",
        None,
        expect(
            404,
            minobr=200,
            inspector=200,
            rcoi=200,
            mouo2=200,
            school2=200,
            commission=403,
            expert=403,
            participant=403,
        ),
    ),
    ("audit", "/audit/", None, expect(403, minobr=200, inspector=200, rcoi=200)),
    ("audit events", "/audit/?tab=events", None, expect(403, minobr=200, inspector=200, rcoi=200)),
    ("audit events export", "/audit/?tab=events&export=xlsx", None, expect(403, minobr=200, inspector=200, rcoi=200)),
    ("audit students", "/audit/?model=people.Student", None, expect(403, minobr=200, inspector=200, rcoi=200)),
]
PLAN_VIEW = expect(403, minobr=200, inspector=200, rcoi=200, mouo=200, mouo2=404, school=200, school2=404)
PAGES += [
    ("plan_list", "/plans/", None, expect(200, commission=403, expert=403, participant=403)),
    ("plan_import", "/plans/import/", None, expect(403, minobr=200, rcoi=200)),
    ("plan_detail", "/plans/{plan}/", None, PLAN_VIEW),
    ("plan_detail findings", "/plans/{plan}/?tab=findings", None, PLAN_VIEW),
    ("plan_reimport", "/plans/{plan}/reimport/", None, expect(403, minobr=200, rcoi=200)),
    ("plan_monitoring", "/plans/{plan}/monitoring/", None, expect(403, minobr=200, inspector=200, rcoi=200)),
    ("plans_monitoring", "/plans/monitoring/", None, expect(403, minobr=200, inspector=200, rcoi=200)),
    ("plans_monitoring xlsx", "/plans/monitoring/?export=xlsx", None, expect(403, minobr=200, inspector=200, rcoi=200)),
    ("plan_timeline", "/plans/{plan}/timeline/", None, PLAN_VIEW),
    ("plan_export docx", "/plans/{plan}/export.docx", None, PLAN_VIEW),
    ("plan_export xlsx", "/plans/{plan}/export.xlsx", None, PLAN_VIEW),
    ("plan_template", "/plans/{plan}/template/", None, expect(403, minobr=200, rcoi=200)),
    ("plan_instantiate", "/plans/{tpl}/instantiate/", None, expect(403, minobr=200, rcoi=200)),
    ("plan_move_anchor", "/plans/{inst}/anchor/", None, expect(403, minobr=200, rcoi=200)),
    ("plan_anchors", "/plans/{plan}/anchors/", None, expect(403, minobr=200, rcoi=200)),
    ("plan_reresolve", "/plans/{plan}/reresolve/", None, expect(403, minobr=302, rcoi=302)),
    ("item_detail", "/plans/{plan}/items/{item1}/", None, PLAN_VIEW),
    (
        "item_detail rcoi",
        "/plans/{plan}/items/{item_rcoi}/",
        None,
        expect(403, minobr=200, inspector=200, rcoi=200, mouo=404, mouo2=404, school=404, school2=404),
    ),
    ("my_items", "/my/", None, expect(200, commission=403, expert=403, participant=403)),
    ("assignment_detail", "/assignments/{asg1}/", None, PLAN_VIEW),
    (
        "assignment_detail rcoi",
        "/assignments/{asg_rcoi}/",
        None,
        expect(403, minobr=200, inspector=200, rcoi=200, mouo=404, mouo2=404, school=404, school2=404),
    ),
    ("evidence_download", "/evidence/{ev}/", None, PLAN_VIEW),
    ("session_list", "/sessions/", None, expect(200, expert=403, participant=403)),
    ("session_participants", "/sessions/{sess}/", None, expect(200, commission=403, expert=403, participant=404)),
    (
        "session_participants export",
        "/sessions/{sess}/?export=xlsx",
        None,
        expect(403, rcoi=200, mouo=200, mouo2=200, school=200, school2=200, participant=404),
    ),
    (
        "register_participant",
        "/sessions/{sess}/register/",
        None,
        expect(403, rcoi=200, mouo=200, mouo2=200, school=200, school2=200),
    ),
    (  # the blank consent form (приложение 3): for whoever registers
        "consent_blank_pdf",
        "/sessions/{sess}/consent-blank.pdf",
        None,
        expect(403, rcoi=200, mouo=200, mouo2=200, school=200, school2=200),
    ),
    (
        "import_participants",
        "/sessions/{sess}/import/",
        None,
        expect(403, rcoi=200, mouo=200, mouo2=200, school=200, school2=200),
    ),
    (
        "commission_list",
        "/sessions/{sess}/commissions/",
        None,
        expect(200, commission=403, expert=403, participant=403),
    ),
    (
        "commission_detail",
        "/commissions/{com1}/",
        None,
        expect(200, mouo2=404, school2=404, commission=403, expert=403, participant=403),
    ),
    # The story's commission has no members: the order is refused (V22, back to the commission page) for
    # whoever may see it — the scope answers first (404/403 for the others).
    (
        "commission_order",
        "/commissions/{com1}/order.docx",
        None,
        expect(302, mouo2=404, school2=404, commission=403, expert=403, participant=403),
    ),
    ("session_override", "/sessions/{sess}/override/", None, expect(403, minobr=200, rcoi=200)),
    (
        "application_action",
        "/applications/{app1}/action/",
        None,
        expect(403, rcoi=302, mouo=302, mouo2=404, school=302, school2=404),
    ),
    ("session_seating", "/sessions/{sess}/seating/", None, expect(200, expert=403, participant=403)),
    ("session_print", "/sessions/{sess}/print/", None, expect(403, minobr=302, rcoi=302, school=302, school2=302)),
    (
        "submit_participants",
        "/sessions/{sess}/submit/",
        None,
        expect(403, rcoi=302, mouo=302, mouo2=302, school=302, school2=302),
    ),
    (
        "reconciliation",
        "/sessions/{sess}/reconciliation/",
        None,
        expect(200, commission=403, expert=403, participant=404),
    ),
    (
        "application_pdf",
        "/applications/{app1}/form.pdf",
        None,
        expect(200, mouo2=404, school2=404, commission=403, expert=403, participant=404),
    ),
    (  # the participant's filled consent form: scoped like the printed application
        "consent_pdf",
        "/applications/{app1}/consent.pdf",
        None,
        expect(200, mouo2=404, school2=404, commission=403, expert=403, participant=404),
    ),
    (
        "application_detail",
        "/applications/{app1}/",
        None,
        expect(200, mouo2=404, school2=404, commission=403, expert=403, participant=404),
    ),
    ("job_detail", "/jobs/{job1}/", None, PLAN_VIEW),
    # a job's file needs the right to make that export in the job's organization (here: a school's students
    # export, students:export): the inspector sees the job but may not take its file (tests/web/test_attacks.py)
    ("job_result", "/jobs/{exp1}/result/", None, dict(PLAN_VIEW, inspector=403)),
    ("job_detail import", "/jobs/{imp1}/", None, PLAN_VIEW),  # an import's outcome (issue 15)
]
POST_PAGES = {
    "room_add s1",
    "room_delete s2",
    "plan_reresolve",
    "submit_participants",
    "session_print",
    "application_action",
}

API = [
    ("api me", "/api/v1/me", expect(200)),
    ("api orgs", "/api/v1/orgs/", expect(200)),
    ("api org s1", "/api/v1/orgs/{s1}", expect(200, mouo2=404, school2=404, expert=404, participant=404)),
    ("api org s2", "/api/v1/orgs/{s2}", expect(404, minobr=200, inspector=200, rcoi=200, mouo2=200, school2=200)),
    ("api org places s1", "/api/v1/orgs/{s1}/places", expect(200, mouo2=404, school2=404, expert=404, participant=404)),
    (
        "api org places s2",
        "/api/v1/orgs/{s2}/places",
        expect(404, minobr=200, inspector=200, rcoi=200, mouo2=200, school2=200),
    ),
    ("api aliases", "/api/v1/aliases/", expect(404, minobr=200, inspector=200, rcoi=200)),
]


@pytest.fixture
def ids(region):
    def first(qs):
        obj = qs.order_by("pk").first()
        assert obj is not None
        return obj.pk

    participant_student = Student.objects.get(user=region.user("participant"))
    plans = tiny_plans(region)
    return {
        **plans,
        "job1": finished_job(region),
        "exp1": students_export_job(region),
        "imp1": finished_import_job(region),
        "sess": (app1 := registered_application(region)).session_id,
        "app1": app1.pk,
        "com1": Commission.objects.create(session_id=app1.session_id, kind="conduct", organization=region.school1).pk,
        "reg": region.ministry.pk,
        "s1": region.school1.pk,
        "s2": region.school2.pk,
        "m1": region.mouo1.pk,
        "m2": region.mouo2.pk,
        "p1": first(Place.objects.filter(organization=region.school1, kind=PlaceKind.VENUE)),
        "p2": first(Place.objects.filter(organization=region.school2, kind=PlaceKind.VENUE)),
        "r2": first(Room.objects.filter(place__organization=region.school2)),
        "a": first(ActorAlias.objects.all()),
        "st1": participant_student.pk,
        "st1b": first(Student.objects.filter(school=region.school1).exclude(pk=participant_student.pk)),
        "st2": first(Student.objects.filter(school=region.school2)),
        "e1": first(Employee.objects.filter(organization=region.school1)),
        "e2": first(Employee.objects.filter(organization=region.school2)),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,url,_,expected", PAGES, ids=[p[0] for p in PAGES])
def test_page_matrix(login, ids, role, name, url, _, expected):
    client = login(role)
    url = url.format(**ids)
    if name in POST_PAGES:
        response = client.post(url, {"number": "999", "capacity": "10"})
    else:
        response = client.get(url)
    assert response.status_code == expected[role], f"{role} {url}"
    if response.status_code == 404:
        # The 404 page reveals nothing of the record.
        assert "Страница не найдена" in response.content.decode()


@pytest.mark.parametrize("name,url,_,expected", PAGES, ids=[p[0] for p in PAGES])
def test_pages_need_login(client, ids, name, url, _, expected):
    url = url.format(**ids)
    response = client.post(url, {}) if name in POST_PAGES else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,url,expected", API, ids=[a[0] for a in API])
def test_api_matrix(login, ids, role, name, url, expected):
    response = login(role).get(url.format(**ids))
    assert response.status_code == expected[role], f"{role} {url}"
    if response.status_code == 404:
        assert response.json() == {"detail": "Не найдено"}


@pytest.mark.parametrize("name,url,expected", API, ids=[a[0] for a in API])
def test_api_needs_auth(client, ids, name, url, expected):
    assert client.get(url.format(**ids)).status_code == 401


def test_matrix_covers_every_route():
    """Every named web route appears in the matrix (a new page without a row fails here)."""
    from tests.analytics.test_permissions_analytics import ANALYTICS_PAGES
    from tests.conduct.test_permissions_conduct import CONDUCT_PAGES

    covered = {name.split(" ")[0] for name, *_ in PAGES} | {name for name, *_ in CONDUCT_PAGES}
    covered |= {name.split(" ")[0] for name, *_ in ANALYTICS_PAGES}
    from tests.conduct.test_permissions_interview import INTERVIEW_PAGES

    covered |= {name.split(" ")[0] for name, *_ in INTERVIEW_PAGES}
    # the feed has its own token tests; the public results lookup its own (tests/conduct/test_results.py);
    # the load balancer's health check is public and the same for everyone (test_health_is_public_and_impersonal)
    public = {"login", "logout", "calendar_feed", "results_lookup", "health"}
    routes = {
        p.name for urls in ("itog.web.urls", "itog.analytics.urls") for p in get_resolver(urls).url_patterns if p.name
    }
    missing = routes - covered - public
    assert not missing, f"pages without permission tests: {sorted(missing)}"


def test_matrix_covers_every_api_operation():
    from itog.api.api import api

    schema = api.get_openapi_schema()
    # the public results lookup has no roles: tests/conduct/test_results.py
    covered = {url.split("{")[0].rstrip("/") for _, url, _ in API} | {"/api/v1/results/lookup"}
    for path in schema["paths"]:
        assert path.split("{")[0].rstrip("/") in covered, f"API path without permission tests: {path}"


@pytest.mark.parametrize("role", [None, "school", "mouo", "rcoi", "minobr"])
def test_health_is_public_and_impersonal(client, login, region, role):
    """/health/: no login, the same keys for every role and for nobody, nothing about users or people."""
    c = login(role) if role else client
    response = c.get("/health/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "database", "redis", "workers", "jobs", "ms"}
    assert body["database"] == "ok"
    text = response.content.decode()
    assert region.school1.name not in text and (role is None or role not in text)
    assert c.post("/health/").status_code == 405
