"""Recognition of many pages over a process pool, one process per core (п. 9.2).

Pure: no Django.  The parent lists the pages (:func:`itog.scan.inputs.page_refs`,
cheap) and hands them to the workers a few at a time; each worker decodes its
page from the file itself, so no image crosses a process boundary, and returns a
:class:`~itog.scan.recognize.PageResult`.  Results come back in input order.
OpenCV's own threads are switched off in the workers: the pool is the
parallelism.  Workers are started with ``spawn`` (safe inside a threaded server);
a script that calls this must guard its entry point with
``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from .inputs import PDF_DPI, PageRef, page_refs, read_page
from .recognize import DEFAULT_PROFILE, PageResult, Profile, recognize_page

__all__ = ["default_workers", "recognize_files", "recognize_ref"]

_pdf_dpi = PDF_DPI
_profile: Profile | None = None


def default_workers() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


def _init_worker(pdf_dpi: int, profile: dict | None = None) -> None:
    """Per worker: OpenCV single-threaded, the PDF resolution, and the scanner profile — the one given,
    else the one named by ``ITOG_SCAN_PROFILE`` (the batch job's workers), else the defaults."""
    global _pdf_dpi, _profile
    import cv2

    cv2.setNumThreads(1)
    _pdf_dpi = pdf_dpi
    _profile = Profile.from_json(profile) if profile is not None else None  # None: the env's, on first use


def recognize_ref(ref: PageRef, pdf_dpi: int | None = None) -> PageResult:
    """Read and recognise one page; a file that cannot be read gives a flagged result."""
    global _profile
    if _profile is None:  # called directly (the batch job's single-process path): the env's profile
        from .calibrate import CalibrationError, load_profile

        try:
            _profile = load_profile(os.environ.get("ITOG_SCAN_PROFILE", "").strip() or None)
        except CalibrationError as exc:  # every page says why, the batch goes on
            return PageResult(file=ref.file, page=ref.page, reasons=[f"ITOG_SCAN_PROFILE: {exc}"])
    page = read_page(ref, pdf_dpi or _pdf_dpi)
    if page.error is not None:
        return PageResult(file=ref.file, page=ref.page, reasons=[page.error])
    try:
        return recognize_page(page.image, file=ref.file, page=ref.page, profile=_profile or DEFAULT_PROFILE)
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop the batch
        return PageResult(
            file=ref.file, page=ref.page, reasons=[f"Ошибка распознавания: {exc.__class__.__name__}: {str(exc)[:200]}"]
        )


def recognize_files(
    paths: Iterable[str | os.PathLike],
    workers: int | None = None,
    pdf_dpi: int = PDF_DPI,
    chunksize: int = 2,
    profile: Profile | str | None = None,
) -> Iterator[PageResult]:
    """Recognise every page of the given files and folders with ``workers`` processes
    (default: one per available core; 1 = in this process).  Yields in input order.
    ``profile``: a scanner profile or its name (``itog scan calibrate``)."""
    if isinstance(profile, str):
        from .calibrate import load_profile

        profile = load_profile(profile)
    profile_json = profile.to_json() if profile is not None else None
    refs = list(page_refs(paths))
    workers = default_workers() if workers is None else max(int(workers), 1)
    workers = min(workers, max(len(refs), 1))
    if workers == 1:
        _init_worker(pdf_dpi, profile_json)
        for ref in refs:
            yield recognize_ref(ref, pdf_dpi)
        return
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes=workers, initializer=_init_worker, initargs=(pdf_dpi, profile_json)) as pool:
        yield from pool.imap(recognize_ref, refs, chunksize=chunksize)
