"""Who receives an organization's mail: the active users whose role there grants a permission."""

from __future__ import annotations

from collections import defaultdict

from .models import Membership
from .roles import ROLE_PERMISSIONS


def recipients_of(organization_ids, permissions: set[str]) -> dict[int, list[str]]:
    """E-mail addresses per organization of the users holding, in that organization, a role that grants any
    of ``permissions`` (plan reminders go to planners, storage reminders to those who may destroy)."""
    roles = [role.value for role, perms in ROLE_PERMISSIONS.items() if perms & permissions]
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        Membership.objects.filter(
            organization_id__in=organization_ids, is_active=True, role__in=roles, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("organization_id", "user__email")
    )
    for org_id, email in rows:
        out[org_id].append(email)
    return out
