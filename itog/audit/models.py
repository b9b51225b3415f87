from __future__ import annotations

from django.conf import settings
from django.db import models

from itog.accounts.scope import ScopedQuerySet


class EventKind(models.TextChoices):
    LOGIN = "login", "Вход в систему"
    LOGIN_FAILED = "login_failed", "Неудачная попытка входа"
    LOGOUT = "logout", "Выход из системы"
    PD_EXPORT = "pd_export", "Выгрузка персональных данных"
    PD_REMOVED = "pd_removed", "Обезличивание персональных данных (истек срок хранения)"
    EXPORT = "export", "Выгрузка данных"
    IMPORT = "import", "Загрузка данных"
    REFUSED = "refused", "Отказ по правилу Порядка"
    LOOKUP_REFUSED = "lookup_refused", "Отказ в просмотре результата"


class AuditLogIsAppendOnly(Exception):  # noqa: N818 - named for what it says
    """An attempt to change or delete a recorded audit event."""


class AppendOnlyQuerySet(ScopedQuerySet):
    """The audit log is written, never rewritten: bulk updates and deletes through the ORM are refused (a
    user's deletion still sets ``user`` to NULL through Django's collector; the name stays in ``username``)."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("События журнала аудита не изменяются")

    def delete(self):
        raise AuditLogIsAppendOnly("События журнала аудита не удаляются")


class AuditEvent(models.Model):
    """Events that are not changes of a record: log-ins, exports, imports.

    Changes of records are kept by django-simple-history on each model.
    """

    SCOPE_RESOURCE = "audit"
    SCOPE_PATH = "region_path"

    kind = models.CharField("событие", max_length=20, choices=EventKind.choices, db_index=True)
    at = models.DateTimeField("время", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="пользователь",
    )
    username = models.CharField("имя пользователя", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # The region the event belongs to ("" for events of nobody, e.g. a failed
    # log-in with an unknown name: visible to every region-wide auditor).
    region_path = models.CharField(max_length=32, blank=True, db_index=True)
    description = models.CharField("описание", max_length=500, blank=True)
    details = models.JSONField("подробности", default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "событие аудита"
        verbose_name_plural = "события аудита"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditLogIsAppendOnly("События журнала аудита не изменяются")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("События журнала аудита не удаляются")
