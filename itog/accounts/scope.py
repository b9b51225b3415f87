"""The one scoping layer: what a user may see or change.

Every view and API endpoint reaches domain data through
``Model.objects.for_user(user, action)`` or the helpers below; none filters by
hand. A model joins the layer by using :class:`ScopedQuerySet` as its manager
and declaring

- ``SCOPE_RESOURCE``: the permission resource (``"orgs"`` → ``orgs:view`` …);
- ``SCOPE_PATH``: the lookup that leads to the materialised path of the
  organization the record belongs to (``"path"``, ``"organization__path"``);
- ``SCOPE_SELF`` (optional): the lookup that leads to the user who owns the
  record (participants see only their own records);
- ``SCOPE_ANCESTOR`` (instead of a path): for records of an organization above the
  user — a region's exam sessions are seen by each of its schools;
- ``SCOPE_REGION`` (optional): the lookup to the region (the ministry organization) the record belongs to,
  used instead of the path for a region-wide grant — a session's seats and works are the region's by their
  session (п. 5.1: applications are filed only at the region's places, ``outside_region``), so a country's
  counts read those tables alone instead of joining every row to its organization's path;
- ``SCOPE_AS`` (optional): ``{resource: path}`` for records another resource's users act on
  through a different organization — a seat belongs to the participant's school, but the exam
  day of its venue reads it: ``Seat.objects.for_user(user, "examday:view")``.

A record outside every grant is invisible: fetching it answers 404, never
403, so its existence does not leak. A visible record that the user may not
change answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from .roles import ROLE_REACH, Reach, Role, permissions_of


@dataclass(frozen=True)
class Grant:
    """One membership as the scoping layer sees it."""

    role: Role
    reach: Reach
    user_id: int
    org_id: int
    org_path: str
    region_path: str
    region_id: int
    time_zone: str
    permissions: frozenset[str]


def grants_of(user) -> list[Grant]:
    """All grants of a user, read once per user object (i.e. per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_itog_grants", None)
    if cached is not None:
        return cached
    from .models import Membership

    grants = []
    rows = Membership.objects.filter(user_id=user.pk, is_active=True).select_related("organization")
    for m in rows:
        role = Role(m.role)
        org = m.organization
        grants.append(
            Grant(
                role=role,
                reach=ROLE_REACH[role],
                user_id=user.pk,
                org_id=org.pk,
                org_path=org.path,
                region_path=org.path.split("/", 1)[0] + "/",
                region_id=int(org.path.split("/", 1)[0]),  # the path is of primary keys: its first is the region
                time_zone=org.time_zone,
                permissions=permissions_of(role),
            )
        )
    user._itog_grants = grants
    return grants


def forget_grants(user) -> None:
    if hasattr(user, "_itog_grants"):
        del user._itog_grants


def has_perm(user, perm: str) -> bool:
    """Whether any membership of the user grants ``perm`` somewhere."""
    return any(perm in g.permissions for g in grants_of(user))


def roles_of(user) -> set[Role]:
    return {g.role for g in grants_of(user)}


def scope_path(model, reach: Reach) -> str | None:
    """The lookup to the organization path for this reach: ``SCOPE_PATHS[reach]``
    when the model declares per-reach paths (a plan item is seen region-wide
    through its plan, by an МОУО through its assignments), else ``SCOPE_PATH``."""
    paths = getattr(model, "SCOPE_PATHS", None)
    if paths is not None:
        return paths.get(reach.value)
    return getattr(model, "SCOPE_PATH", None)


def ancestor_paths(org_path: str) -> list[str]:
    """ "1/5/27/" → ["1/", "1/5/", "1/5/27/"]: the organization and everything above it."""
    parts = org_path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def grant_q(model, grant: Grant) -> Q | None:
    # Records that belong to an organization ABOVE the user (a region's exam sessions are
    # visible to every school of the region): SCOPE_ANCESTOR names the lookup to that path.
    ancestor = getattr(model, "SCOPE_ANCESTOR", None)
    if ancestor and grant.reach is not Reach.SELF:
        return Q(**{f"{ancestor}__in": ancestor_paths(grant.org_path)})
    region = getattr(model, "SCOPE_REGION", None)
    if region and grant.reach is Reach.REGION:
        return Q(**{region: grant.region_id})
    path = scope_path(model, grant.reach)
    own = getattr(model, "SCOPE_SELF", None)
    if path == "@self":  # for this reach the records are the user's own (an expert's assigned works)
        return Q(**{own: grant.user_id}) if own else None
    if grant.reach is Reach.REGION and path:
        return Q(**{f"{path}__startswith": grant.region_path})
    if grant.reach is Reach.SUBTREE and path:
        return Q(**{f"{path}__startswith": grant.org_path})
    if grant.reach is Reach.SELF_ORG and path:
        return Q(**{path: grant.org_path})
    if grant.reach is Reach.SELF and own:
        return Q(**{own: grant.user_id})
    return None


def _path_q(path: str, grant: Grant) -> Q | None:
    if grant.reach is Reach.REGION:
        return Q(**{f"{path}__startswith": grant.region_path})
    if grant.reach is Reach.SUBTREE:
        return Q(**{f"{path}__startswith": grant.org_path})
    if grant.reach is Reach.SELF_ORG:
        return Q(**{path: grant.org_path})
    return None  # a participant reaches no other resource's view of these records


_MANY: dict[type, bool] = {}


def _through_many(model) -> bool:
    """Whether any scope lookup of the model passes through a to-many relation (a plan is reached through
    its items' assignments): then one record may match several times and is selected by primary key."""
    if model not in _MANY:
        lookups = [
            *(getattr(model, "SCOPE_PATHS", None) or {}).values(),
            getattr(model, "SCOPE_PATH", None),
            getattr(model, "SCOPE_SELF", None),
            getattr(model, "SCOPE_ANCESTOR", None),
            getattr(model, "SCOPE_REGION", None),
            *getattr(model, "SCOPE_AS", {}).values(),
        ]
        many = False
        for lookup in lookups:
            if not lookup or lookup.startswith("@"):
                continue
            opts = model._meta
            for part in lookup.split("__"):
                field = opts.get_field(part)
                if field.one_to_many or field.many_to_many:
                    many = True
                    break
                if not field.is_relation:
                    break
                opts = field.related_model._meta
        _MANY[model] = many
    return _MANY[model]


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        resource, _, _ = action.rpartition(":")
        if resource and resource != self.model.SCOPE_RESOURCE:
            # another resource's view of these records (SCOPE_AS), e.g. "examday:view" on seats
            path = getattr(self.model, "SCOPE_AS", {}).get(resource)
            if path is None:
                raise ValueError(f"{self.model.__name__} is not scoped for {resource!r}")
            parts = [_path_q(path, g) for g in grants_of(user) if action in g.permissions]
            parts = [p for p in parts if p is not None]
            return self.filter(reduce(or_, parts)) if parts else self.none()
        perm = f"{self.model.SCOPE_RESOURCE}:{action.rpartition(':')[2]}"
        parts = [grant_q(self.model, g) for g in grants_of(user) if perm in g.permissions]
        parts = [p for p in parts if p is not None]
        if not parts:
            return self.none()
        if _through_many(self.model):
            # Paths through to-many relations: select by primary key so that a
            # record reached by several assignments appears once.
            return self.filter(pk__in=self.model.objects.filter(reduce(or_, parts)).values("pk"))
        # Paths through foreign keys only (a work → its application → participant → school) reach at most one
        # row each: filtered in place, without a subquery over every record of the region (670,000 works).
        return self.filter(reduce(or_, parts))


def scoped_get(queryset_or_model, user, action: str = "view", **lookup):
    """Fetch one record the user may see (else 404) and may ``action`` (else 403).

    ``action`` of another resource (``"examday:edit"`` on an application) sees the record as that resource's
    users do (``SCOPE_AS``: the exam day's staff reach the participants of their school without
    ``participants:view``) and checks that resource's permission."""
    qs = queryset_or_model if isinstance(queryset_or_model, models.QuerySet) else queryset_or_model.objects.all()
    resource = action.rpartition(":")[0]
    view = f"{resource}:view" if resource and resource != qs.model.SCOPE_RESOURCE else "view"
    try:
        obj = qs.for_user(user, view).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Запись не найдена") from None
    if action != "view" and not qs.model.objects.for_user(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied("Недостаточно прав для этого действия")
    return obj


def can(user, obj, action: str) -> bool:
    """Whether the user may ``action`` this record (for showing buttons)."""
    return type(obj).objects.for_user(user, action).filter(pk=obj.pk).exists()


def covers(grant: Grant, org_path: str) -> bool:
    """Whether a grant reaches an organization (by its materialised path)."""
    if grant.reach is Reach.REGION:
        return org_path.startswith(grant.region_path)
    if grant.reach is Reach.SUBTREE:
        return org_path.startswith(grant.org_path)
    if grant.reach is Reach.SELF_ORG:
        return org_path == grant.org_path
    return False


def may_in(user, perm: str, org) -> bool:
    """Whether the user holds ``perm`` for records belonging to ``org``
    (e.g. may add a place to this school)."""
    return any(perm in g.permissions and covers(g, org.path) for g in grants_of(user))


def own_organizations(user) -> dict:
    """The organizations of the user's own memberships (their names are the user's to see,
    even for roles that may not browse the directory)."""
    from itog.orgs.models import Organization

    return Organization.objects.in_bulk([g.org_id for g in grants_of(user)])
