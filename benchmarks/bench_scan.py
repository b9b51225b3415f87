"""Benchmark: recognition of scanned blanks (issue #6, п. 9.2) — speed and accuracy.

    python benchmarks/bench_scan.py                        # speed: 400 pages at 200 dpi, 1 and 2 workers
    python benchmarks/bench_scan.py --pages 200 --dpi 300
    python benchmarks/bench_scan.py --pages 0 --accuracy 2000   # accuracy only: 2,000 pages, 150–300 dpi
    python benchmarks/bench_scan.py --keep /tmp/scan400         # keep the set; a second run reuses it

Speed: the pages are generated first (``itog.scan.synth``: every distortion, PNG and
JPEG files, some multi-page TIFFs, one PDF) and written to a temporary folder; only
the recognition is timed — reading the files included, generation excluded.  One
worker runs in this process pinned to one core (``sched_setaffinity``) with
OpenCV's threads off; two workers are the process pool of ``recognize_files``,
the time including starting the workers.  Target: ≥ 15 pages/s on one core,
near-linear on two.

Accuracy: ``--accuracy N`` generates N pages at 150–300 dpi in parts of 250
(each part written, recognised with 2 workers, scored and deleted, so the disk
holds one part at a time) and prints the issue's criteria: work codes, box
accuracy (≥ 99.9 %), silent errors (0), foreign and blank pages flagged.

Prints the 1-minute load average before each measurement: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.scan import synth  # noqa: E402
from itog.scan.parallel import recognize_files  # noqa: E402


def load() -> str:
    return open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"


def make_set(folder: Path, pages: int, seed: int, dpi) -> dict:
    people = synth.fake_participants(pages // 3 + 2, seed=seed)
    return synth.write_test_scans(synth.generate_pages(people, pages, seed=seed, dpi=dpi), folder, seed, pages)


def score(folder: Path, truth: dict, results: list) -> dict:
    data = []
    for r in results:
        j = r.to_json()
        j["file"] = Path(j["file"]).name
        data.append(j)
    return synth.evaluate(truth["pages"], data)


def speed(pages: int, dpi: int, seed: int, keep: str | None) -> None:
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="itog-scan-bench-"))
    try:
        t0 = time.perf_counter()
        if keep and (folder / "truth.json").exists():
            truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
            print(f"reusing {truth['count']} pages in {folder}")
        else:
            truth = make_set(folder, pages, seed, dpi)
            print(f"generated {truth['count']} pages at {dpi} dpi in {time.perf_counter() - t0:.1f} s")
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"  {size / 2**20:.0f} MiB; files: {truth['files']}")

        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[0]})
        try:
            print(f"1 worker (pinned to cpu {cpus[0]}), load {load()} ...", flush=True)
            t0, c0 = time.perf_counter(), time.process_time()
            one = list(recognize_files([folder], workers=1))
            t1, c1 = time.perf_counter() - t0, time.process_time() - c0
        finally:
            os.sched_setaffinity(0, set(cpus))
        print(
            f"  {len(one)} pages in {t1:.2f} s = {len(one) / t1:.1f} pages/s "
            f"(CPU {c1:.2f} s = {len(one) / c1:.1f} pages per CPU-second)"
        )

        workers = min(2, len(cpus))
        print(f"{workers} workers, load {load()} ...", flush=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        two, first = [], None
        for result in recognize_files([folder], workers=workers):
            two.append(result)
            first = first or time.perf_counter()
        end = time.perf_counter()
        t2 = end - t0
        steady = (len(two) - 1) / (end - first) if len(two) > 1 and end > first else float("nan")
        print(
            f"  {len(two)} pages in {t2:.2f} s = {len(two) / t2:.1f} pages/s including starting the workers "
            f"(speed-up {t1 / t2:.2f}×); after the first page {steady:.1f} pages/s "
            f"(speed-up {steady * t1 / len(one):.2f}×)"
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print(f"  workers' CPU {cpu:.2f} s = {len(two) / cpu:.1f} pages per CPU-second")
        assert [r.to_json() for r in one] == [r.to_json() for r in two], "workers disagree"
        s = score(folder, truth, one)
        print(
            f"  this set: codes wrong {s['code_wrong']}, box accuracy {s['box_accuracy']:.5f}, "
            f"silent errors {s['silent_errors']}"
        )
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def accuracy(pages: int, seed: int, part: int = 250) -> None:
    totals: dict = {}
    wrong: list = []
    started = time.perf_counter()
    done, index = 0, 0
    print(f"accuracy: {pages} pages at 150–300 dpi, parts of {part}, load {load()}", flush=True)
    while done < pages:
        n = min(part, pages - done)
        folder = Path(tempfile.mkdtemp(prefix="itog-scan-acc-"))
        try:
            truth = make_set(folder, n, seed * 1000 + index, (150, 300))
            s = score(folder, truth, list(recognize_files([folder], workers=2)))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        wrong += s.pop("wrong")
        s.pop("box_accuracy")
        for k, v in s.items():
            totals[k] = totals.get(k, 0) + v
        done += n
        index += 1
        print(
            f"  {done} pages, {time.perf_counter() - started:.0f} s: boxes {totals['boxes_right']}/"
            f"{totals['boxes']}, silent {totals['silent_errors']}",
            flush=True,
        )
    t = totals
    print(
        f"pages {t['pages']}: ours {t['itog_pages']} (read {t['read_pages']}, code wrong {t['code_wrong']}, "
        f"type/number wrong {t['type_wrong']}), foreign/blank {t['other_pages']} (flagged {t['other_flagged']})"
    )
    print(
        f"boxes {t['boxes']}: right {t['boxes_right']} ({t['boxes_right'] / max(t['boxes'], 1):.5%}), "
        f"wrong but flagged {t['boxes_wrong_flagged']}, silent errors {t['silent_errors']}; "
        f"ambiguous marks {t['ambiguous_truth']} (found ambiguous {t['ambiguous_found']}); "
        f"clean pages flagged {t['flagged_clean']}"
    )
    for w in wrong[:20]:
        print("  wrong:", w)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=400, help="pages for the speed run (0 = skip)")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--accuracy", type=int, default=0, metavar="N", help="also score N pages (e.g. 2000)")
    parser.add_argument("--keep", help="keep the speed set in this folder (reused if it has a truth.json)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {load()}")
    if args.pages:
        speed(args.pages, args.dpi, args.seed, args.keep)
    if args.accuracy:
        accuracy(args.accuracy, args.seed)


if __name__ == "__main__":
    main()
