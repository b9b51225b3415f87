from __future__ import annotations

from django.conf import settings
from django.db import models

from itog.accounts.scope import ScopedQuerySet


class JobStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "завершено"
    FAILED = "failed", "ошибка"


class Job(models.Model):
    """A long job (printing a region's kits, recognising scans, a big import) with its progress.

    Visible to the users who may see its organization; the result file is downloaded through the
    same scope.
    """

    SCOPE_RESOURCE = "jobs"
    SCOPE_PATH = "organization__path"
    SCOPE_SELF = "created_by"

    kind = models.CharField("вид", max_length=50)
    title = models.CharField("задание", max_length=300)
    params = models.JSONField(default=dict)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField("состояние", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "фоновое задание"
        verbose_name_plural = "фоновые задания"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, round(100 * self.done / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
