"""The database side of scanning (п. 9.2): uploads, the batch job, reconciliation of each work with the marks
entered electronically, and the operator's decisions in the verification queue.

Recognition and reconciliation themselves are pure (:mod:`.recognize`, :mod:`.reconcile`); this module only
stores what they say. A session's results cannot be processed while any work is not reconciled or any
question is open (``conduct.services.processing_blockers`` counts ``Work.scan_verified_at``).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing as mp
import os
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from itog.conduct.models import Work, WorkStatus
from itog.conduct.services import Refused, _x
from itog.exams.common import FAIL, PASS
from itog.exams.kinds import get_rules
from itog.jobs.models import Job, JobStatus
from itog.jobs.runner import (
    advance,
    backend,
    chunk_handler,
    enqueue,
    fan_out,
    finisher,
    job,
    progress,
)

from .inputs import PageRef, page_refs
from .models import (
    Decision,
    ItemStatus,
    ScanBatch,
    ScanFile,
    ScanPage,
    VerificationItem,
)
from .recognize import PageResult
from .reconcile import reconcile

# Criteria codes of the marks → box ids of the registration blank: the essay's blanks (the only kind
# scanned so far; itog.exams.kinds.essay.blanks).
BOX_OF = get_rules("essay").blanks.BOX_OF
BOX_KINDS = {"mismatch", "ambiguous", "low_confidence", "disagreement", "pencil"}


def entered_boxes(requirements: dict, marks: dict, overall: str) -> dict[str, bool] | None:
    """The crosses an entry implies on the blank: «зачет» → ``<box>.pass``, «незачет» → ``<box>.fail``."""
    if not overall:
        return None
    boxes: dict[str, bool] = {}
    for code, value in {**requirements, **marks}.items():
        prefix = BOX_OF.get(code)
        if prefix and value in (PASS, FAIL):
            boxes[f"{prefix}.pass"] = value == PASS
            boxes[f"{prefix}.fail"] = value == FAIL
    boxes["overall.pass"] = overall == PASS
    boxes["overall.fail"] = overall == FAIL
    return boxes


def scan_workers() -> int:
    raw = os.environ.get("ITOG_SCAN_WORKERS", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    from .parallel import default_workers

    return default_workers()


# ---------------------------------------------------------------- upload


def add_files(session, user, uploads) -> ScanBatch:
    """Store the uploaded scans of a batch and start the recognition job. A file already uploaded for the session
    (same SHA-256) is not stored again: if its batch was read to the end it is named in ``batch.skipped``; if its
    batch was interrupted (its job failed, or its worker died and nobody took it over) the reading of that batch
    resumes where it stopped, and the file is named in ``batch.resumed`` (``batch.resumed_jobs``: the jobs)."""
    if not uploads:
        raise Refused([_x("S01", "п. 9.2", "Выберите файлы сканов (PNG, JPEG, TIFF, PDF).", "files")])
    limit = settings.ITOG_MAX_UPLOAD_MB * 1024 * 1024 * 10  # scans are big: ten times the import limit
    unfinished: dict[int, ScanBatch] = {}
    resumed: list[str] = []
    with transaction.atomic():
        batch = ScanBatch.objects.create(session=session, created_by=user)
        skipped = []
        for upload in uploads:
            if upload.size > limit:
                raise Refused([_x("S02", "п. 9.2", f"Файл «{upload.name}» больше {limit // 2**20} МБ.", "files")])
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            sha = digest.hexdigest()
            known = ScanFile.objects.filter(session=session, sha256=sha).select_related("batch__job").first()
            if known is not None:
                if _interrupted(known.batch):
                    unfinished[known.batch_id] = known.batch
                    resumed.append(upload.name)
                else:
                    skipped.append(upload.name)
                continue
            upload.seek(0)
            f = ScanFile(session=session, batch=batch, name=upload.name[:255], sha256=sha)
            f.stored.save(
                f"{session.pk}/{sha}{Path(upload.name).suffix.lower()[:6]}", ContentFile(upload.read()), save=False
            )
            f.save()
        batch.skipped = skipped
        batch.save(update_fields=["skipped"])
    batch.resumed, batch.resumed_jobs = resumed, []
    for old in unfinished.values():
        batch.resumed_jobs.append(_start(old, user))
    if batch.files.exists():
        _start(batch, user)
    return batch


def _interrupted(batch: ScanBatch) -> bool:
    """The batch's reading stopped before its end and nobody is continuing it."""
    current = batch.job
    if current is None:
        return True
    if current.status == JobStatus.FAILED:
        return True
    if current.status == JobStatus.RUNNING:
        return current.lease_until is None or current.lease_until < timezone.now()
    if current.status == JobStatus.DONE:  # done, yet pages missing (a file changed kind, a page limit lifted)
        return False
    return False  # queued: a worker will take it


def _start(batch: ScanBatch, user) -> Job:
    previous = batch.job
    title = f"Распознавание сканов ({batch.files.count()} файлов)"
    if previous is not None and not previous.finished:
        # a job whose worker is gone for good (the embedded demo's web process restarted): closed, named
        Job.objects.filter(pk=previous.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            lease_until=None,
            error="Прервано; распознавание продолжено новым заданием.",
        )
    if previous is not None:
        title = f"{title}: продолжение"
    batch.job = enqueue("scan-batch", title, batch.session.region, user=user, batch_id=batch.pk)
    batch.save(update_fields=["job"])
    return batch.job


def add_paths(session, user, paths: list[str]) -> ScanBatch:
    """Like :func:`add_files` for files on the server (a scanning station's output folder)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploads = []
    for path in paths:
        p = Path(path)
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file():
                uploads.append(SimpleUploadedFile(f.name, f.read_bytes()))
    return add_files(session, user, uploads)


# ---------------------------------------------------------------- the batch job


def _recognize(ref):
    """One page in this process (the pool path uses :func:`itog.scan.parallel.recognize_ref` directly: its
    workers must not import Django)."""
    from .parallel import recognize_ref

    return ref, recognize_ref(ref)


@job("scan-batch")
def run_batch(current, batch_id: int):
    """List every page of the batch and hand the pages not yet read to chunk tasks: with Celery
    ``ITOG_SCAN_CHUNK_PAGES`` pages each, run by any worker on any machine; embedded, one chunk read with one
    process per core. Each page is saved as soon as it is read and at most once (unique per file and page), so a
    batch taken over after a crash, or uploaded again, reads only what is missing. Then the works are reconciled."""
    batch = ScanBatch.objects.select_related("session").get(pk=batch_id)
    files = {f.stored.path: f for f in batch.files.all()}
    refs = list(page_refs(list(files)))
    done = set(ScanPage.objects.filter(file__batch=batch).values_list("file_id", "page"))
    todo = [r for r in refs if (files[r.file].pk, r.page) not in done]
    total = len(refs)
    progress(current, total - len(todo), total + 1, "Распознавание страниц")
    for f in files.values():
        pages = sum(1 for r in refs if r.file == f.stored.path)
        if f.pages != pages:
            f.pages = pages
            f.save(update_fields=["pages"])
    size = settings.ITOG_SCAN_CHUNK_PAGES if backend() == "celery" else max(len(todo), 1)
    pages = [[files[r.file].pk, r.page, r.kind, r.error] for r in todo]
    chunks = [{"batch_id": batch_id, "pages": pages[i : i + size]} for i in range(0, len(pages), max(size, 1))]
    return fan_out(current, "scan-pages", chunks, "scan-reconcile")


@chunk_handler("scan-pages")
def read_pages(current, batch_id: int, pages: list) -> None:
    files = {f.pk: f for f in ScanFile.objects.filter(batch_id=batch_id)}
    done = set(ScanPage.objects.filter(file__batch_id=batch_id).values_list("file_id", "page"))
    todo = [
        PageRef(files[fid].stored.path, page, kind, error)
        for fid, page, kind, error in pages
        if (fid, page) not in done
    ]
    by_place = {(r.file, r.page): r for r in todo}
    by_path = {f.stored.path: f for f in files.values()}
    # with Celery the workers' processes are the parallelism; embedded, this chunk uses a pool of its own
    workers = 1 if backend() == "celery" else min(scan_workers(), max(len(todo), 1))
    with contextlib.ExitStack() as stack:
        if workers > 1:
            from .inputs import PDF_DPI
            from .parallel import _init_worker, recognize_ref

            pool = stack.enter_context(
                mp.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(PDF_DPI,))
            )
            results = pool.imap_unordered(recognize_ref, todo, chunksize=2)
        else:
            results = (_recognize(ref)[1] for ref in todo)
        for result in results:
            ref = by_place[(result.file, result.page)]
            if _store_page(by_path[ref.file], ref, result):
                advance(current, message="Распознавание страниц")


@finisher("scan-reconcile")
def reconcile_batch(current, batch_id: int):
    batch = ScanBatch.objects.select_related("session").get(pk=batch_id)
    total = max(current.total - 1, 0)
    progress(current, total, message="Сверка с внесенными оценками")
    codes = set(ScanPage.objects.filter(file__batch=batch).exclude(work_code="").values_list("work_code", flat=True))
    set_aside_foreign_codes(batch, codes)
    reconcile_codes(batch.session, codes)
    progress(current, total + 1, message="Готово")


def _store_page(scan_file: ScanFile, ref, result: PageResult) -> bool:
    """Save a page once (``True`` when this call saved it; a page read twice by two workers is kept once)."""
    data = result.to_json()
    data["file"] = scan_file.name
    _page, created = ScanPage.objects.get_or_create(
        file=scan_file,
        page=ref.page,
        defaults=dict(
            work_code=result.work_code or "",
            page_type=result.page_type or "",
            page_number=result.page_number,
            status=result.status,
            reasons=list(result.reasons),
            result=data,
        ),
    )
    return created


def _save_page(scan_file: ScanFile, ref, result: PageResult) -> set[str]:
    _store_page(scan_file, ref, result)
    return {result.work_code} if result.work_code else set()


# ---------------------------------------------------------------- reconciliation


FOREIGN_WORK = (
    "Работа с кодом {code} не найдена в этой сессии: бланк другой сессии, другого региона или "
    "не выданный этой сессии — проверьте, откуда он в пакете"
)


def set_aside_foreign_codes(batch: ScanBatch, codes: set[str]) -> None:
    """A page read with a valid work code that is not a work of the batch's session (a blank of another
    session or region slipped into the stack) would match nothing and be lost without a word: it is
    flagged with the code in its reason and listed with the pages without a work (its code is kept in
    the stored result); ``codes`` loses it."""
    known = set(
        Work.objects.filter(session=batch.session, work_code__in=list(codes)).values_list("work_code", flat=True)
    )
    foreign = codes - known
    pages = list(ScanPage.objects.filter(file__batch=batch, work_code__in=list(foreign)))
    for page in pages:
        reason = FOREIGN_WORK.format(code=page.work_code)
        page.reasons = [reason, *[r for r in page.reasons if r != reason]]
        page.status = "flagged"
        page.result = {**page.result, "foreign_work_code": page.work_code}
        page.work_code = ""
    ScanPage.objects.bulk_update(pages, ["reasons", "status", "result", "work_code"], batch_size=500)
    codes -= foreign


def reconcile_codes(session, codes) -> None:
    for work in Work.objects.filter(session=session, work_code__in=list(codes)):
        reconcile_work(work)


def reconcile_work(work: Work, user=None) -> list[VerificationItem]:
    """Compare the work's scanned pages with the expert's and the authorized person's entries; the open questions
    are replaced, decisions already taken stand; no open question → the work is verified."""
    pages = list(ScanPage.objects.filter(file__session=work.session_id, work_code=work.code).select_related("file"))
    if not pages:
        return []
    results = [PageResult.from_json({**p.result, "file": p.file.name, "page": p.page}) for p in pages]
    expert = entered_boxes(work.expert_requirements, work.expert_marks, work.expert_result)
    authorized = entered_boxes(work.transfer_requirements, work.transfer_marks, work.transfer_result)
    outcome = reconcile(work.code, results, expert, authorized)
    by_place = {(p.file.name, p.page): p for p in pages}
    resolved = {
        (i.kind, i.box_id)
        for i in work.verification_items.filter(
            status=ItemStatus.RESOLVED, decision__in=[Decision.ENTERED_CORRECT, Decision.ACCEPTED]
        )
    }
    with transaction.atomic():
        work.verification_items.filter(status=ItemStatus.OPEN).delete()
        created = [
            VerificationItem.objects.create(
                session_id=work.session_id,
                work=work,
                work_code=work.code,
                kind=item.kind,
                reason=item.reason[:500],
                box_id=item.box_id or "",
                scan_page=by_place.get((item.file, item.page)),
            )
            for item in outcome.items
            if (item.kind, item.box_id or "") not in resolved
        ]
        verified = not created and work.status in (WorkStatus.TRANSFERRED, WorkStatus.FINAL)
        Work.objects.filter(pk=work.pk).update(scan_verified_at=timezone.now() if verified else None)
    return created


def decide(item: VerificationItem, user, decision: str, note: str = "") -> None:
    """The operator's decision on a disputed point, with who and when (history). «На бланке иначе» sends the
    work back to the authorized person (blocked, the box named) — the marks are corrected by a new entry."""
    if item.status != ItemStatus.OPEN:
        raise Refused([_x("S03", "п. 9.2", "По этому вопросу решение уже принято.")])
    allowed = {Decision.ENTERED_CORRECT, Decision.BLANK_DIFFERS} if item.kind in BOX_KINDS else {Decision.ACCEPTED}
    if decision not in allowed:
        raise Refused([_x("S04", "п. 9.2", "Это решение не подходит для вопроса такого вида.", "decision")])
    if decision == Decision.ACCEPTED and not note.strip():
        raise Refused([_x("S05", "п. 9.2", "Опишите, что проверено по бумажному бланку.", "note")])
    with transaction.atomic():
        item.status, item.decision, item.note = ItemStatus.RESOLVED, decision, note.strip()[:500]
        item.decided_by, item.decided_at = user, timezone.now()
        item._history_user = user
        item.save()
        work = item.work
        if work is None:
            return
        if decision == Decision.BLANK_DIFFERS:
            work.status, work.result, work.scan_verified_at = WorkStatus.BLOCKED, "", None
            work.mismatch = sorted(set(work.mismatch or []) | {item.box_id})
            work._history_user = user
            work._change_reason = "Сверка со сканом: на бланке иначе, нужен повторный перенос"
            work.save()
        elif not work.verification_items.filter(status=ItemStatus.OPEN).exists() and work.status in (
            WorkStatus.TRANSFERRED,
            WorkStatus.FINAL,
        ):
            Work.objects.filter(pk=work.pk).update(scan_verified_at=timezone.now())


def after_transfer(work: Work) -> None:
    """A new, agreeing entry of the authorized person: reconcile again with the blanks already scanned."""
    if ScanPage.objects.filter(file__session=work.session_id, work_code=work.code).exists():
        reconcile_work(work)


def likely_reading(item: VerificationItem) -> bool | None:
    """A pencil (or very faint) mark: what the recogniser thinks it is (True = marked), from the scanned page's
    result; ``None`` for other questions."""
    if item.kind != "pencil" or item.scan_page is None or not item.box_id:
        return None
    box = (item.scan_page.result.get("boxes") or {}).get(item.box_id) or {}
    return box.get("state") == "marked" if box.get("note") == "pencil" else None


def suggested_decision(item: VerificationItem) -> str | None:
    """The decision the queue pre-selects for a pencil mark: «на бланке то же, что внесено» when its likely
    reading agrees with both entries, «на бланке иначе» when it differs from an entry."""
    likely = likely_reading(item)
    work = item.work
    if likely is None or work is None:
        return None
    entries = [
        entered_boxes(work.expert_requirements, work.expert_marks, work.expert_result),
        entered_boxes(work.transfer_requirements, work.transfer_marks, work.transfer_result),
    ]
    entered = [bool(e.get(item.box_id, False)) for e in entries if e is not None]
    if not entered:
        return None
    return Decision.ENTERED_CORRECT if all(v == likely for v in entered) else Decision.BLANK_DIFFERS


def crop_png(item: VerificationItem) -> bytes | None:
    """The disputed box cut from its scanned page (with a margin), as PNG."""
    import cv2

    from .inputs import PageRef, load_page, sniff
    from .recognize import crop_box

    page = item.scan_page
    if page is None or not item.box_id:
        return None
    path = page.file.stored.path
    image = load_page(PageRef(path, page.page, sniff(path)))
    patch = crop_box(image, item.box_id)
    if patch is None:
        return None
    ok, png = cv2.imencode(".png", patch)
    return png.tobytes() if ok else None


def session_scan_summary(session) -> dict:
    works = Work.objects.filter(session=session)
    return {
        "works": works.count(),
        "verified": works.exclude(scan_verified_at=None).count(),
        "scanned_works": works.filter(
            work_code__in=ScanPage.objects.filter(file__session=session).values("work_code")
        ).count(),
        "pages": ScanPage.objects.filter(file__session=session).count(),
        "flagged_pages": ScanPage.objects.filter(file__session=session, status="flagged").count(),
        "open": VerificationItem.objects.filter(session=session, status=ItemStatus.OPEN).count(),
    }
