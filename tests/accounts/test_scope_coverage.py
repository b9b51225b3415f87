"""The scoping layer covers every domain model, and request-facing code never filters by hand.

Guide, non-negotiable 4: every query for domain data goes through ``Model.objects.for_user``
or ``scoped_get`` (itog/accounts/scope.py). These tests enumerate the models of the itog.*
apps (a new model without a ``for_user`` manager fails here unless it is listed below as
infrastructure, with a reason) and read the request-facing modules' syntax trees (a view that
writes ``Model.objects.filter(...)`` on any itog model fails here).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import EmptyResultSet

from itog.accounts.roles import ROLE_REACH, Reach, Role, permissions_of
from itog.accounts.scope import Grant, ScopedQuerySet

ITOG = Path(__file__).resolve().parents[2] / "itog"

# Models of the itog.* apps that are not domain data a user browses, each with its reason.
# django-simple-history's Historical* models are infrastructure as a class (see _is_history).
INFRASTRUCTURE: dict[str, str] = {
    "accounts.ApiToken": "the user's own API credential: read only with user=request.user (account page, "
    "token authentication), never another person's data",
    "plans.PlanVersion": "a stored upload of a plan: reached only through a scoped Plan (plan.versions)",
    "plans.PlanSection": "a heading of a plan: reached only through a scoped Plan or PlanItem",
    "jobs.JobChunk": "a slice of a background job for the worker; users see the scoped Job",
}

# Request-facing modules (views, API, page helpers). Modules of these packages that are not
# request-facing are listed with their reason, so that a new view module is scanned by default.
VIEW_PACKAGES = ["web/views", "api", "analytics"]
VIEW_MODULES_ELSEWHERE = [
    "web/lists.py",
    "web/list_specs.py",
    "web/context.py",
    "web/access.py",
    "conduct/results/lookup.py",
]
NOT_REQUEST_FACING = {
    "analytics/refresh.py": "the job that rebuilds a session's facts region-wide (no user; Celery/CLI)",
    "analytics/demo.py": "the demo's data generator (itog demo)",
    "analytics/signals.py": "signal handlers queueing the refresh job",
    "analytics/management": "management commands (operators at the console)",
    "analytics/migrations": "migrations",
}

# Unscoped reads a request-facing module may make, each with its reason: (module, model) -> reason.
ALLOWED_UNSCOPED = {
    ("web/views/account.py", "ApiToken"): "the user's own tokens, filtered by user=request.user",
    ("api/auth.py", "ApiToken"): "authenticating a bearer token (there is no user yet)",
}
ALLOWED_METHODS = {"for_user", "none"}  # Model.objects.none() reads nothing


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_id")


def itog_models():
    return [m for m in apps.get_models() if m.__module__.startswith("itog.")]


def domain_models():
    return [m for m in itog_models() if not _is_history(m) and m._meta.label not in INFRASTRUCTURE]


def test_every_domain_model_has_a_for_user_manager():
    missing = [
        m._meta.label
        for m in domain_models()
        if not isinstance(m._default_manager.all(), ScopedQuerySet) or not getattr(m, "SCOPE_RESOURCE", None)
    ]
    assert missing == [], (
        "domain models without Model.objects.for_user (itog/accounts/scope.py); scope them "
        f"or list them in INFRASTRUCTURE with a reason: {missing}"
    )


def test_the_infrastructure_list_names_existing_models_only():
    labels = {m._meta.label for m in itog_models()}
    assert set(INFRASTRUCTURE) <= labels
    # and none of them is in fact scoped (then it belongs to the domain list)
    scoped = [label for label in INFRASTRUCTURE if getattr(apps.get_model(label), "SCOPE_RESOURCE", None)]
    assert scoped == []


def test_history_models_are_only_simple_history():
    history = [m for m in itog_models() if m.__name__.startswith("Historical")]
    assert history and all(_is_history(m) for m in history)


def _grants(reach: Reach, perms: frozenset[str]) -> list[Grant]:
    role = next(r for r in Role if ROLE_REACH[r] is reach)
    return [
        Grant(
            role=role,
            reach=reach,
            user_id=1,
            org_id=5,
            org_path="1/5/",
            region_path="1/",
            region_id=1,
            time_zone="Europe/Moscow",
            permissions=perms,
        )
    ]


class _User:
    is_authenticated = True
    is_active = True
    pk = 1


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m._meta.label)
def test_each_domain_model_is_scoped_for_a_region_role_and_its_resource_exists(model):
    """The declared lookups compile for every reach; a region-wide grant sees some rows (a filter,
    not nothing); the resource is one the roles hand out."""
    resource = model.SCOPE_RESOURCE
    assert any(f"{resource}:view" in permissions_of(r) for r in Role), f"no role may view {resource!r}"
    for reach in Reach:
        user = _User()
        user._itog_grants = _grants(reach, frozenset({f"{resource}:view"}))
        qs = model.objects.for_user(user, "view")
        try:
            sql = str(qs.query)
        except EmptyResultSet:
            assert reach is not Reach.REGION, f"{model._meta.label}: a region-wide grant sees nothing"
            continue
        if reach is Reach.REGION:
            assert "WHERE" in sql, f"{model._meta.label}: for_user does not filter"


def test_for_user_without_a_grant_is_empty():
    user = _User()
    user._itog_grants = []
    for model in domain_models():
        assert model.objects.for_user(user).query.is_empty(), model._meta.label


def view_modules() -> list[Path]:
    out = []
    for package in VIEW_PACKAGES:
        for path in sorted((ITOG / package).rglob("*.py")):
            rel = path.relative_to(ITOG).as_posix()
            if not any(rel == k or rel.startswith(k + "/") for k in NOT_REQUEST_FACING):
                out.append(path)
    return out + [ITOG / m for m in VIEW_MODULES_ELSEWHERE]


def _inside_scoped_get(node, parents) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "scoped_get":
            return True
    return False


def unscoped_reads(source: str, model_names: set[str]) -> list[tuple[int, str, str]]:
    """(line, model, method) for each ``Model.objects.<method>`` that is not ``for_user``/``none`` and
    not the queryset argument of ``scoped_get``, and each ``get_object_or_404``/``_default_manager``."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in ("objects", "_default_manager", "_base_manager")
        ):
            owner = node.value.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
            unscoped = node.attr not in ALLOWED_METHODS or node.value.attr != "objects"
            if name in model_names and unscoped and not _inside_scoped_get(node, parents):
                found.append((node.lineno, name, node.attr))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("get_object_or_404", "get_list_or_404"):
            found.append((node.lineno, "?", node.func.id))
    return found


def test_request_facing_code_never_queries_domain_models_by_hand():
    names = {m.__name__ for m in itog_models()}
    offenders = []
    for path in view_modules():
        rel = path.relative_to(ITOG).as_posix()
        for line, model, method in unscoped_reads(path.read_text(encoding="utf-8"), names):
            if (rel, model) not in ALLOWED_UNSCOPED:
                offenders.append(f"itog/{rel}:{line}: {model}.objects.{method}")
    assert offenders == [], "use Model.objects.for_user(user, action) or scoped_get:\n" + "\n".join(offenders)


def test_the_scan_sees_the_modules_and_catches_a_hand_filter():
    rels = {p.relative_to(ITOG).as_posix() for p in view_modules()}
    assert {"web/views/conduct.py", "api/api.py", "analytics/views.py", "analytics/queries.py"} <= rels
    names = {"Seat", "Work"}
    bad = "def v(request, run):\n    return Seat.objects.filter(run=run)\n"
    assert unscoped_reads(bad, names) == [(2, "Seat", "filter")]
    ok = (
        "def v(request, run):\n    a = Seat.objects.for_user(request.user).filter(run=run)\n"
        "    return scoped_get(Work.objects.select_related('session'), request.user, pk=1), Seat.objects.none()\n"
    )
    assert unscoped_reads(ok, names) == []
    assert unscoped_reads("x = models.Work.objects.get(pk=1)\n", names) == [(1, "Work", "get")]


def test_allowed_exceptions_are_still_needed():
    names = {m.__name__ for m in itog_models()}
    used = set()
    for path in view_modules():
        rel = path.relative_to(ITOG).as_posix()
        used |= {(rel, model) for _, model, _ in unscoped_reads(path.read_text(encoding="utf-8"), names)}
    assert set(ALLOWED_UNSCOPED) <= used, set(ALLOWED_UNSCOPED) - used
