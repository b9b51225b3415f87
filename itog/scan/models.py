"""Scanning in РЦОИ (п. 9.2): uploaded scan files, the pages read from them, and the verification queue.

Idempotent by construction: a file is known by its SHA-256 within a session (uploading it again adds
nothing), a page by (file, page number) — a batch resumed after a crash skips the pages it already read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from itog.accounts.scope import ScopedQuerySet

_REGION = "session__region__path"


class ScanBatch(models.Model):
    SCOPE_RESOURCE = "scans"
    SCOPE_PATH = _REGION

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="scan_batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    skipped = models.JSONField("уже загруженные файлы", default=list)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]


class ScanFile(models.Model):
    SCOPE_RESOURCE = "scans"
    SCOPE_PATH = _REGION

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="scan_files")
    batch = models.ForeignKey(ScanBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField("файл", max_length=255)
    sha256 = models.CharField(max_length=64)
    stored = models.FileField(upload_to="scans/")
    pages = models.PositiveIntegerField("страниц", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "sha256"], name="uniq_scan_file")]


class ScanPage(models.Model):
    SCOPE_RESOURCE = "scans"
    SCOPE_PATH = "file__session__region__path"

    file = models.ForeignKey(ScanFile, on_delete=models.CASCADE, related_name="scan_pages")
    page = models.PositiveIntegerField("страница файла")
    work_code = models.CharField("код работы", max_length=12, blank=True, db_index=True)
    page_type = models.CharField(max_length=20, blank=True)
    page_number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10)  # ok | flagged
    reasons = models.JSONField(default=list)
    result = models.JSONField("результат распознавания", default=dict)
    read_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["file", "page"], name="uniq_scan_page")]


class ItemStatus(models.TextChoices):
    OPEN = "open", "ожидает решения"
    RESOLVED = "resolved", "решено"


class Decision(models.TextChoices):
    ENTERED_CORRECT = "entered_correct", "на бланке то же, что внесено (ошибка распознавания)"
    BLANK_DIFFERS = "blank_differs", "на бланке иначе — вернуть на перенос оценок"
    ACCEPTED = "accepted", "проверено по бумажному бланку, замечание снято"


class VerificationItem(models.Model):
    """One disputed point of a work's reconciliation (a box, a page) awaiting the operator's decision."""

    SCOPE_RESOURCE = "scans"
    SCOPE_PATH = _REGION

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="verification_items")
    work = models.ForeignKey(
        "conduct.Work", on_delete=models.CASCADE, null=True, blank=True, related_name="verification_items"
    )
    work_code = models.CharField("код работы", max_length=12, blank=True)
    kind = models.CharField("вид", max_length=30)
    reason = models.CharField("причина", max_length=500)
    box_id = models.CharField("поле бланка", max_length=30, blank=True)
    scan_page = models.ForeignKey(ScanPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField("состояние", max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    decision = models.CharField("решение", max_length=20, choices=Decision.choices, blank=True)
    note = models.CharField("комментарий", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "work_code", "pk"]
