from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .roles import ROLE_LABELS, ROLE_ORG_KINDS, Role
from .scope import ScopedQuerySet


class Membership(models.Model):
    """A role a user holds in one organization."""

    SCOPE_RESOURCE = "memberships"
    SCOPE_PATH = "organization__path"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="пользователь")
    role = models.CharField("роль", max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="memberships",
                                     verbose_name="организация")
    is_active = models.BooleanField("действует", default=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "членство в роли"
        verbose_name_plural = "роли пользователей"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="uniq_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organization})"

    def clean(self):
        allowed = ROLE_ORG_KINDS[Role(self.role)]
        if self.organization_id and self.organization.kind not in allowed:
            raise ValidationError(
                {"organization": f"Роль «{self.get_role_display()}» нельзя назначить в организации этого типа."}
            )


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("назначение", max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "токен API"
        verbose_name_plural = "токены API"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        raw = "itog_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[5:13], key_hash=_hash_token(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        try:
            token = cls.objects.select_related("user").get(key_hash=_hash_token(raw), revoked=False)
        except cls.DoesNotExist:
            return None
        if not token.user.is_active:
            return None
        return token
