"""Big print jobs: the kits of a whole region split into part files over several processes.

ReportLab keeps a document in memory until it is saved, and one Python process
uses one core.  :func:`render_kits_parallel` therefore cuts the participants
(in the caller's order — sort them by venue and room first) into chunks of
``chunk`` participants and renders each chunk into its own PDF part in a pool
of ``workers`` processes.  The printing office prints the parts in order
(``kits-0001.pdf``, ``kits-0002.pdf``, …); there is no merged file: merging
would cost as much memory and time as rendering, and printers take parts
anyway.  With the default chunk of 2,000 participants a part is 6,000 pages.

Pure Python, no Django.  Workers are started with ``spawn`` (safe inside a
threaded web or task server); the callable that starts the job must be
importable and, in a script, guarded by ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue as queue_module
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .render import KitParticipant, render_kits

__all__ = ["part_name", "render_kits_parallel"]

_progress_queue = None  # set in each worker by _init_worker


def part_name(prefix: str, index: int) -> str:
    """File name of part ``index`` (1-based): ``kits-0001.pdf``."""
    return f"{prefix}-{index:04d}.pdf"


def _chunks(participants: Iterable[KitParticipant], size: int) -> Iterator[list[KitParticipant]]:
    batch: list[KitParticipant] = []
    for p in participants:
        p.validate()  # fail in the parent, before any worker spends minutes
        batch.append(p)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _init_worker(progress_queue) -> None:
    global _progress_queue
    _progress_queue = progress_queue


def _render_part(index: int, path: str, participants: list[KitParticipant]) -> tuple[int, str, int]:
    reported = 0

    def report(done: int) -> None:
        nonlocal reported
        if _progress_queue is not None:
            _progress_queue.put(done - reported)
        reported = done

    return index, path, _write_part(path, participants, report)


def _write_part(path: str, participants: list[KitParticipant], progress: Callable[[int], None] | None) -> int:
    tmp = path + ".part"
    try:
        with open(tmp, "wb") as out:
            pages = render_kits(participants, out, progress=progress)
        os.replace(tmp, path)  # a finished part never looks half-written
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return pages


def render_kits_parallel(
    participants: Iterable[KitParticipant],
    out_dir: str | os.PathLike,
    workers: int | None = None,
    chunk: int = 2000,
    progress: Callable[[int], None] | None = None,
    *,
    prefix: str = "kits",
    start_method: str = "spawn",
) -> list[Path]:
    """Render every participant's kit into part files in ``out_dir``; return the
    part paths in print order.

    ``workers`` defaults to ``os.cpu_count()``; ``workers=1`` renders in this
    process.  ``progress(n)`` gets the number of participants rendered so far
    (about every 100 participants per worker, and at the end).  A failure in
    any part stops the job and re-raises; finished parts stay on disk.
    """
    if chunk < 1:
        raise ValueError("chunk must be ≥ 1")
    workers = max(1, int(workers or os.cpu_count() or 1))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    batches = list(_chunks(participants, chunk))
    if not batches:
        raise ValueError("Нет участников для печати комплектов")
    jobs = [(i, str(out / part_name(prefix, i)), batch) for i, batch in enumerate(batches, start=1)]

    total = sum(len(batch) for batch in batches)

    if workers == 1 or len(jobs) == 1:
        paths = []
        done_before = 0
        for _index, path, batch in jobs:

            def local(done: int, base: int = done_before) -> None:
                progress(base + done)

            _write_part(path, batch, local if progress else None)
            done_before += len(batch)
            paths.append(Path(path))
        return paths

    ctx = mp.get_context(start_method)
    progress_queue = ctx.Queue() if progress else None
    done = 0
    results: dict[int, str] = {}
    with ctx.Pool(processes=min(workers, len(jobs)), initializer=_init_worker, initargs=(progress_queue,)) as pool:
        pending = {job[0]: pool.apply_async(_render_part, job) for job in jobs}
        del batches, jobs  # the pool has pickled the chunks; free ours
        while pending:
            if progress_queue is not None:
                try:
                    done += progress_queue.get(timeout=0.2)
                    progress(min(done, total))
                except queue_module.Empty:
                    pass
            else:
                next(iter(pending.values())).wait(0.2)
            for index in [i for i, res in pending.items() if res.ready()]:
                _index, path, _pages = pending.pop(index).get()  # re-raises a worker's exception
                results[index] = path
        pool.close()
        pool.join()
    if progress is not None:
        progress(total)
    return [Path(results[i]) for i in sorted(results)]
