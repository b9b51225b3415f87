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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="пользователь"
    )
    role = models.CharField("роль", max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="memberships", verbose_name="организация"
    )
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


class TokenKind(models.TextChoices):
    API = "api", "REST API"
    CALENDAR = "calendar", "календарь (iCalendar)"


TOKEN_PREFIXES = {TokenKind.API: "itog_", TokenKind.CALENDAR: "ical_"}


class ApiToken(models.Model):
    """A bearer secret: a REST API token or the key of a calendar feed link (one organization's
    deadlines). Only its hash is stored; it expires (``expires_at``) and can be revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    kind = models.CharField("вид", max_length=16, choices=TokenKind.choices, default=TokenKind.API)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация (для календаря)",
    )
    name = models.CharField("назначение", max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("действует до", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)

    class Meta:
        verbose_name = "токен API"
        verbose_name_plural = "токены API"

    @classmethod
    def issue(
        cls, user, name: str, days: int | None = None, kind: str = TokenKind.API, organization=None
    ) -> tuple[ApiToken, str]:
        """A new token valid for ``days`` (default and maximum: ITOG_TOKEN_DAYS / ITOG_TOKEN_MAX_DAYS)."""
        from datetime import timedelta

        from django.utils import timezone

        limit = settings.ITOG_TOKEN_MAX_DAYS
        days = min(days or settings.ITOG_TOKEN_DAYS, limit)
        prefix = TOKEN_PREFIXES[TokenKind(kind)]
        raw = prefix + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            kind=kind,
            organization=organization,
            prefix=raw[5:13],
            key_hash=_hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @classmethod
    def verify(cls, raw: str, kind: str = TokenKind.API) -> tuple[ApiToken | None, str]:
        """(token, "") for a usable token, else (None, the Russian reason)."""
        from django.utils import timezone

        token = cls.objects.select_related("user").filter(key_hash=_hash_token(raw or ""), kind=kind).first()
        if token is None:
            return None, "Неизвестный токен"
        if token.revoked:
            return None, "Токен отозван"
        if token.expires_at is not None and token.expires_at <= timezone.now():
            return None, "Срок действия токена истёк"
        if not token.user.is_active:
            return None, "Учётная запись отключена"
        return token, ""

    @classmethod
    def authenticate(cls, raw: str, kind: str = TokenKind.API):
        return cls.verify(raw, kind)[0]

    def revoke(self) -> None:
        from django.utils import timezone

        type(self).objects.filter(pk=self.pk, revoked=False).update(revoked=True, revoked_at=timezone.now())

    @property
    def expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= timezone.now()
