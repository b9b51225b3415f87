from __future__ import annotations

import re

from django.conf import settings
from django.db import models

from itog.accounts.scope import ScopedQuerySet

_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


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
    status = models.CharField(
        "состояние", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField("обработчик", max_length=100, blank=True)
    # The lease: the worker named in ``worker`` renews ``lease_until`` while it runs the job (or any of its
    # chunks does); a lease left to expire means the worker died and the next one takes the job over.
    lease_until = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # "" — the job function runs; "chunks" — its chunks run on any workers; "finishing" — the final step.
    stage = models.CharField(max_length=10, blank=True)
    finish_kind = models.CharField(max_length=50, blank=True)
    # What an import job decided (rows saved, the Russian row errors, notes): written once, in the same
    # transaction as the rows it saved, so a retried job finds it and does nothing twice.
    outcome = models.JSONField(null=True, blank=True)

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

    @property
    def error_for_user(self) -> str:
        """The reason a user reads: the first paragraph of the error when it is a Russian message; an
        unexpected failure (a program error, its text in English with a traceback) is named as such and
        its details stay for the administrator (admin, server log)."""
        first = self.error.split("\n\n", 1)[0].strip()
        if first and _CYRILLIC.search(first):
            return first[:500]
        return f"внутренняя ошибка программы. Сообщите администратору номер задания — {self.pk}."


class ChunkStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "завершено"


class JobChunk(models.Model):
    """A part of a job that any worker may run (a few pages of a scan batch); claimed under a lease."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ChunkStatus.choices, default=ChunkStatus.QUEUED)
    worker = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="uniq_job_chunk")]
        indexes = [models.Index(fields=["job", "status"], name="job_chunk_status")]
