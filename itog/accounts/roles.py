"""Roles, their reach and their permissions (pure Python, no Django).

A user holds role memberships, each scoped to one organization. What a
membership lets its holder see is decided by the role's *reach*:

- ``REGION``:   the whole subtree of the region the organization belongs to
                (ministry administrators, inspectors, РЦОИ operators);
- ``SUBTREE``:  the organization and everything below it (МОУО → its schools,
                ОО → its places);
- ``SELF_ORG``: that organization only (commission heads and experts, who
                later see only what they are assigned);
- ``SELF``:     only records that belong to the user (participants).

Permissions are ``resource:action`` strings; a role grants a fixed set.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MINISTRY_ADMIN = "ministry_admin"
    INSPECTOR = "inspector"
    RCOI_OPERATOR = "rcoi_operator"
    MOUO_OPERATOR = "mouo_operator"
    OO_OPERATOR = "oo_operator"
    COMMISSION_HEAD = "commission_head"
    EXPERT = "expert"
    AUTHORIZED = "authorized"
    PARTICIPANT = "participant"


class Reach(StrEnum):
    REGION = "region"
    SUBTREE = "subtree"
    SELF_ORG = "self_org"
    SELF = "self"


ROLE_LABELS: dict[Role, str] = {
    Role.MINISTRY_ADMIN: "Администратор министерства",
    Role.INSPECTOR: "Инспектор (контроль)",
    Role.RCOI_OPERATOR: "Оператор РЦОИ",
    Role.MOUO_OPERATOR: "Оператор МОУО",
    Role.OO_OPERATOR: "Оператор ОО",
    Role.COMMISSION_HEAD: "Председатель комиссии",
    Role.EXPERT: "Эксперт",
    Role.AUTHORIZED: "Уполномоченное лицо МОУО (перенос результатов)",
    Role.PARTICIPANT: "Участник",
}

ROLE_REACH: dict[Role, Reach] = {
    Role.MINISTRY_ADMIN: Reach.REGION,
    Role.INSPECTOR: Reach.REGION,
    Role.RCOI_OPERATOR: Reach.REGION,
    Role.MOUO_OPERATOR: Reach.SUBTREE,
    Role.OO_OPERATOR: Reach.SUBTREE,
    Role.COMMISSION_HEAD: Reach.SELF_ORG,
    Role.EXPERT: Reach.SELF_ORG,
    Role.AUTHORIZED: Reach.SUBTREE,
    Role.PARTICIPANT: Reach.SELF,
}

# Which organization kinds a membership of each role may be attached to.
ROLE_ORG_KINDS: dict[Role, frozenset[str]] = {
    Role.MINISTRY_ADMIN: frozenset({"ministry"}),
    Role.INSPECTOR: frozenset({"ministry"}),
    Role.RCOI_OPERATOR: frozenset({"rcoi"}),
    Role.MOUO_OPERATOR: frozenset({"mouo"}),
    Role.OO_OPERATOR: frozenset({"school"}),
    Role.COMMISSION_HEAD: frozenset({"ministry", "rcoi", "regional_body", "mouo", "school"}),
    Role.EXPERT: frozenset({"ministry", "rcoi", "regional_body", "mouo", "school"}),
    Role.AUTHORIZED: frozenset({"mouo"}),
    Role.PARTICIPANT: frozenset({"school", "mouo", "ministry", "rcoi", "regional_body"}),
}

_VIEW_DIRECTORY = {"orgs:view", "places:view", "jobs:view"}
_VIEW_PEOPLE = {"students:view", "employees:view"}
_PLANS_REGION = {"plans:view", "plans:import", "plans:edit", "plans:report", "plans:monitor"}
_PLANS_LOCAL = {"plans:view", "plans:report"}
# Exams: sessions are the region's; participants are registered by ОО (students), МОУО and the
# ministry's registration places (ЕГЭ participants), and checked by РЦОИ (пп. 3.1–3.3, 5.1).
_EXAMS_VIEW = {"sessions:view", "participants:view", "commissions:view"}
_EXAMS_REGISTER = {"participants:edit", "participants:submit", "participants:export"}
# After the exam (sections D–I): the day's records, works and results, re-checks, storage.
_AFTER_VIEW = {"examday:view", "works:view", "rechecks:view", "retention:view"}
# Results analytics (issue 14): aggregates in the user's scope; experts' figures for those who run checking.
_ANALYTICS = {"analytics:view", "analytics:experts"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.MINISTRY_ADMIN: frozenset(
        _VIEW_DIRECTORY
        | _VIEW_PEOPLE
        | {
            "orgs:edit",
            "orgs:import",
            "orgs:export",
            "places:edit",
            "aliases:view",
            "aliases:edit",
            "students:export",
            "employees:export",
            "memberships:view",
            "memberships:edit",
            "audit:view",
            "dashboard:region",
            "sessions:edit",
            "commissions:edit",
        }
        | _PLANS_REGION
        | _EXAMS_VIEW
        | _AFTER_VIEW
        | {"rechecks:decide", "scans:view"}  # п. 3.1, 8.2.3
        | _ANALYTICS
        | {"profiles:view", "profiles:edit"}  # the region's procedure profile: the ministry's choices
    ),
    Role.INSPECTOR: frozenset(
        _VIEW_DIRECTORY
        | _VIEW_PEOPLE
        | {
            "aliases:view",
            "orgs:export",
            "memberships:view",
            "audit:view",
            "dashboard:region",
            "plans:view",
            "plans:monitor",
            "scans:view",
        }
        | _EXAMS_VIEW
        | _AFTER_VIEW
        | _ANALYTICS
    ),
    Role.RCOI_OPERATOR: frozenset(
        _VIEW_DIRECTORY
        | _VIEW_PEOPLE
        | {
            "orgs:edit",
            "orgs:import",
            "orgs:export",
            "places:edit",
            "aliases:view",
            "aliases:edit",
            "students:edit",
            "students:export",
            "employees:edit",
            "employees:export",
            "memberships:view",
            "audit:view",
            "dashboard:region",
            "sessions:edit",
            "commissions:edit",
        }
        | _PLANS_REGION
        | _EXAMS_VIEW
        | _EXAMS_REGISTER
        | _AFTER_VIEW
        | {
            "examday:edit",
            "works:assign",
            "works:publish",
            "works:export",
            "rechecks:protocol",
            "retention:destroy",
            "scans:view",
            "scans:edit",
        }  # п. 9.1.2, 9.2, 13.2
        | _ANALYTICS
    ),
    Role.MOUO_OPERATOR: frozenset(
        _VIEW_DIRECTORY
        | _VIEW_PEOPLE
        | _PLANS_LOCAL
        | _EXAMS_VIEW
        | _EXAMS_REGISTER
        | _AFTER_VIEW
        | {
            "places:edit",
            "orgs:export",
            "students:edit",
            "students:export",
            "employees:edit",
            "dashboard:municipality",
            "commissions:edit",
            "examday:edit",
            "works:export",
            "rechecks:forward",
            "works:appoint",
            "retention:destroy",
        }  # copies are kept by the responsible person (п. 8.1.1)
        | _ANALYTICS  # its own experts only (the scoping layer)
    ),
    Role.OO_OPERATOR: frozenset(
        _VIEW_DIRECTORY
        | _VIEW_PEOPLE
        | _PLANS_LOCAL
        | _EXAMS_VIEW
        | _EXAMS_REGISTER
        | _AFTER_VIEW
        | {
            "places:edit",
            "students:edit",
            "students:export",
            "employees:edit",
            "dashboard:school",
            "examday:edit",
            "works:export",
            "rechecks:file",
            "analytics:view",
        }
    ),
    Role.COMMISSION_HEAD: frozenset(
        {"orgs:view", "places:view", "dashboard:commission", "sessions:view", "examday:view", "examday:edit"}
    ),
    Role.EXPERT: frozenset({"orgs:view", "dashboard:expert", "works:view", "works:mark"}),
    Role.AUTHORIZED: frozenset({"orgs:view", "sessions:view", "works:view", "works:transfer"}),
    Role.PARTICIPANT: frozenset({"students:view", "participants:view", "dashboard:participant"}),
}


def permissions_of(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(Role(role), frozenset())


def all_permissions() -> frozenset[str]:
    return frozenset().union(*ROLE_PERMISSIONS.values())
