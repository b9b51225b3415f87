"""Imports as background jobs (issue 15): the request checks the upload's bounds and stores it, a worker reads
it, checks every row with progress and saves all or nothing.

The request (a view) calls :func:`start_import` after the cheap bounds checks (size, an XLSX archive's parts
and cells: a hostile file is refused right there with the usual Russian message); the upload goes to the
job storage (``ITOG_MEDIA_ROOT/jobs/uploads/``, shared by web and worker machines) and the user lands on the
job page. The job function registered with :func:`import_job` receives the file's bytes and returns the
*outcome*: a JSON-able dict (rows saved, the Russian row errors, notes) that the job page shows.

Exactly once under Celery's re-delivery (``acks_late``) and take-overs: the outcome is written on the job row
*inside the import's transaction* (``commit(outcome)`` from the import's ``in_transaction`` hook), with a
conditional UPDATE (``outcome IS NULL``). A retried job whose transaction committed finds the outcome and does
nothing; two runs racing each other serialize on that row, and the loser's transaction (which would import
twice) is rolled back by :class:`AlreadyImported`. A run that died before committing left nothing behind
(one transaction), so the retry imports from scratch.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from itog.core.netaddr import client_ip
from itog.core.tables import TableError, check_table_upload

from .models import Job
from .runner import discard_upload, enqueue, job, progress

log = logging.getLogger(__name__)
UPLOADS = "jobs/uploads"
STAGED = "jobs/staged"  # uploads kept between a preview and its import, one folder per user
STAGED_KEPT = timedelta(hours=24)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
ERRORS_KEPT = 5000  # the job row keeps this many error lines (and the count of all)


class AlreadyImported(Exception):  # noqa: N818 - a signal, not an error
    """Another run of the same job has already saved its import: this transaction must roll back."""


def refused_table(data: bytes, filename: str) -> str | None:
    """The Russian message for a table upload out of bounds (checked in the request, before any job), or None."""
    try:
        check_table_upload(data, filename, max_bytes=settings.ITOG_MAX_UPLOAD_MB * 1024 * 1024)
    except TableError as exc:
        return str(exc)
    return None


def start_import(kind: str, title: str, organization, request, data: bytes, filename: str, **params) -> Job:
    """Store the upload and queue the import job (it runs after the request's transaction commits)."""
    safe = Path(filename).name[:150] or "upload"
    stored = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}/{safe}", ContentFile(data))
    origin = {"ip": client_ip(request), "ua": request.META.get("HTTP_USER_AGENT", "")[:300]}
    return enqueue(kind, title, organization, user=request.user, upload=stored, filename=safe, origin=origin, **params)


def stage_upload(user, data: bytes, filename: str) -> str:
    """Keep an upload on the server between its preview and its import; the preview page carries only the
    returned token (posting the file back in the form capped previews at a few megabytes). The folder is the
    user's own, so another user's token finds nothing; the user's staged files older than a day go first."""
    _sweep_staged(user)
    token = uuid.uuid4().hex
    safe = Path(filename).name[:150] or "upload"
    default_storage.save(f"{STAGED}/{user.pk}/{token}/{safe}", ContentFile(data))
    return token


def _listing(folder: str) -> tuple[list[str], list[str]]:
    """The folders and files of a storage folder; none when it does not exist."""
    try:
        return default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return [], []


def _staged_files(user, token: str) -> tuple[str, list[str]]:
    """The user's staging folder for ``token`` and its files (none for a malformed or unknown token)."""
    if not _TOKEN.match(token or ""):
        return "", []
    folder = f"{STAGED}/{user.pk}/{token}"
    return folder, _listing(folder)[1]


def staged_upload(user, token: str) -> tuple[bytes, str] | None:
    """The bytes and file name staged by this user under ``token``, or None (unknown, expired, another's)."""
    folder, files = _staged_files(user, token)
    if not files:
        return None
    with default_storage.open(f"{folder}/{files[0]}") as stored:
        return stored.read(), files[0]


def discard_staged(user, token: str) -> None:
    folder, files = _staged_files(user, token)
    for name in files:
        discard_upload(f"{folder}/{name}")


def _sweep_staged(user) -> None:
    oldest = timezone.now() - STAGED_KEPT
    for token in _listing(f"{STAGED}/{user.pk}")[0]:
        try:
            folder, files = _staged_files(user, token)
            if all(default_storage.get_modified_time(f"{folder}/{f}") < oldest for f in files):
                discard_staged(user, token)
        except OSError:
            log.warning("cannot sweep the staged upload %s/%s/%s", STAGED, user.pk, token, exc_info=True)


def audit_request(current: Job, origin: dict | None) -> SimpleNamespace:
    """What the audit log reads from a request (user, address, browser), for events the job writes."""
    origin = origin or {}
    return SimpleNamespace(
        user=current.created_by,
        META={"REMOTE_ADDR": origin.get("ip") or "", "HTTP_USER_AGENT": origin.get("ua") or ""},
    )


def write_outcome(current: Job, outcome: dict) -> None:
    """Record the outcome once. Inside the import's transaction: raises :class:`AlreadyImported` (rolling the
    import back) when another run recorded one first."""
    if not Job.objects.filter(pk=current.pk, outcome__isnull=True).update(outcome=outcome):
        raise AlreadyImported


def reporter(current: Job, every: int = 2000) -> Callable[[int, int | None, str], None]:
    """``on_progress(done, total, message)`` that writes at most once per ``every`` rows (and at 0)."""
    last = [-every]

    def report(done: int, total: int | None = None, message: str = "") -> None:
        if done == 0 or done - last[0] >= every or (total is not None and done >= total):
            last[0] = done
            progress(current, done, total, message)

    return report


def clip_errors(errors: list) -> dict:
    """Row errors as the job keeps them: the first :data:`ERRORS_KEPT` texts and the count of all."""
    return {"errors": [str(e) for e in errors[:ERRORS_KEPT]], "error_count": len(errors)}


ImportFunc = Callable[..., dict]


def import_job(kind: str):
    """Register ``func(current, data, filename, request, commit, **params) -> outcome`` as job ``kind``.

    ``commit(outcome)`` must be called inside the import's transaction, after the rows are saved; the
    returned outcome is recorded when the import saved nothing (errors, a check only)."""

    def register(func: ImportFunc) -> ImportFunc:
        @job(kind)
        def run(current: Job, upload: str, filename: str, origin: dict | None = None, **params) -> None:
            if current.outcome is not None:  # a re-delivered message after the import committed
                discard_upload(upload)
                return None
            progress(current, 0, None, "Чтение файла")
            with default_storage.open(upload, "rb") as handle:
                data = handle.read()
            try:
                outcome = func(
                    current,
                    data,
                    filename,
                    request=audit_request(current, origin),
                    commit=lambda result: write_outcome(current, result),
                    **params,
                )
            except AlreadyImported:
                log.warning("import job %s: another run saved it first; this run rolled back", current.pk)
                discard_upload(upload)
                return None
            Job.objects.filter(pk=current.pk, outcome__isnull=True).update(outcome=outcome)
            Job.objects.filter(pk=current.pk).update(message="Готово" if outcome.get("saved") else "Проверено")
            discard_upload(upload)
            return None

        run.__name__ = f"run_{func.__name__}"
        return func

    return register
