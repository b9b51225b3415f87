"""Benchmark: recognition of field-like scans (issue #11) — accuracy per damage and speed.

    python benchmarks/bench_scan_field.py                       # 260 pages (20 per damage), 2 workers
    python benchmarks/bench_scan_field.py --pages 520 --seed 7
    python benchmarks/bench_scan_field.py --keep /tmp/field     # keep the set; a second run reuses it
    python benchmarks/bench_scan_field.py --pages 0 --speed 200 # speed only: 200 grey pages at 200 dpi on 1 core,
                                                                #   and colour 300-dpi JPEGs vs their decoding

The set comes from :mod:`itog.scan.fieldsim` (real kit PDFs rasterised by pdfium, marks
drawn as people draw them, one damage per page in turn).  Prints per damage: pages,
work codes right, share of definite boxes read without a person, registration pages
needing nobody, pages sent to review, silent errors; then the totals against the goals.
Prints the 1-minute load average: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.scan import fieldsim  # noqa: E402
from itog.scan.parallel import recognize_files  # noqa: E402


def load() -> str:
    return open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"


def get_set(folder: Path, pages: int, seed: int) -> dict:
    truth_file = folder / "truth.json"
    if truth_file.exists():
        doc = json.loads(truth_file.read_text(encoding="utf-8"))
        if doc.get("count") == pages and doc.get("seed") == seed:
            return doc
    shutil.rmtree(folder, ignore_errors=True)
    return fieldsim.write_field_scans(folder, pages, seed)


def run(folder: Path, truth: dict, workers: int, profile: str | None) -> tuple[dict, float]:
    started = time.perf_counter()
    results = []
    kwargs = {"profile": profile} if profile else {}
    for r in recognize_files([folder], workers=workers, **kwargs):
        j = r.to_json()
        j["file"] = Path(j["file"]).name
        results.append(j)
    elapsed = time.perf_counter() - started
    return fieldsim.evaluate(truth["pages"], results), elapsed


def report(score: dict) -> None:
    print(
        f"{'damage':<11} {'pages':>5} {'codes':>6} {'auto boxes':>11} {'reg auto':>9} {'review':>7} "
        f"{'silent':>6} {'pencil fl.':>10} {'corr. amb.':>10}"
    )
    rows = sorted(score["per_damage"].items())
    for name, s in rows + [("TOTAL", score)]:
        print(
            f"{name:<11} {s['pages']:>5} {s['code_right']:>3}/{s['pages']:<3} "
            f"{100 * s['definite_auto_share']:>10.2f}% {s['reg_clean_auto']:>4}/{s['reg_clean']:<4} "
            f"{s['review_pages']:>7} {s['silent']:>6} {s['pencil_flagged']:>4}/{s['pencil_boxes']:<5} "
            f"{s['corrected_ambiguous']:>4}/{s['corrected']:<5}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=260)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", default="")
    ap.add_argument("--profile", default=None)
    ap.add_argument("--speed", type=int, default=0, help="also measure speed on N grey 200-dpi pages")
    ap.add_argument("--errors", action="store_true", help="list every wrong box")
    args = ap.parse_args()
    if args.pages == 0:
        speed(args.speed or 200)
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="field-"))
    try:
        t0 = time.perf_counter()
        truth = get_set(folder, args.pages, args.seed)
        print(f"set: {truth['count']} pages, seed {args.seed} ({time.perf_counter() - t0:.0f} s to make or load)")
        print(f"load average before recognition: {load()}")
        score, elapsed = run(folder, truth, args.workers, args.profile)
        report(score)
        print(
            f"\nwork codes right: {score['code_right']}/{score['pages']} (wrong {score['code_wrong']}, "
            f"unread {score['code_none']})"
        )
        print(
            f"definite boxes read without a person: {score['definite_auto']}/{score['definite']} "
            f"= {100 * score['definite_auto_share']:.2f} % (goal ≥ 98 %)"
        )
        print(
            f"registration pages needing nobody (no pencil, corrected or faint mark): {score['reg_clean_auto']}/"
            f"{score['reg_clean']} = {100 * score['reg_auto_share']:.1f} % (goal ≥ 90 %)"
        )
        print(
            f"  same, faint ticks included (only pencil and corrected marks aside): {score['reg_with_faint_auto']}/"
            f"{score['reg_with_faint']}; all registration pages: {score['reg_all_auto']}/{score['reg_all']}"
        )
        print(f"silent errors: {score['silent']} (goal 0)")
        print(
            f"pencil: {score['pencil_flagged']}/{score['pencil_boxes']} boxes on pages flagged «карандаш», "
            f"{score['pencil_pages_flagged']}/{score['pencil_pages']} pages"
        )
        print(
            f"corrected marks ambiguous: {score['corrected_ambiguous']}/{score['corrected']}; "
            f"faint ticks read empty with confidence 1.0: {score['faint_empty_sure']}/{score['faint']}"
        )
        print(
            f"boxes under a stamp/signature/crease/stain read without a person: {score['obstructed_auto']}/"
            f"{score['obstructed']}"
        )
        print(f"pages sent to review: {score['review_pages']}/{score['pages']}")
        print(
            f"recognition incl. decoding, {args.workers} workers: {elapsed:.1f} s, "
            f"{score['pages'] / elapsed:.1f} pages/s (load {load()})"
        )
        if args.errors:
            for e in score["errors"]:
                print("  ", e)
        if args.speed:
            speed(args.speed)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def speed(n: int) -> None:
    """One core: grey 200-dpi pages (PNG) and colour 300-dpi JPEG pages, decoding vs decoding + recognition."""
    import cv2
    import numpy as np

    from itog.scan import synth
    from itog.scan.inputs import PageRef, load_page
    from itog.scan.recognize import recognize_page

    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass
    cv2.setNumThreads(1)
    with tempfile.TemporaryDirectory() as tmp:
        people = synth.fake_participants(4, seed=3)
        rng = np.random.default_rng(3)
        files = {200: [], 300: []}
        for i in range(8):
            p = people[i % 4]
            pdf = synth._render_kit(p, False)
            for dpi, fmt in ((200, "png"), (300, "jpg")):
                img = fieldsim.render_page(pdf, 0, dpi)
                fieldsim.draw_mark(img, dpi, fieldsim.layout("registration").box("k1.pass"), "cross", rng)
                if dpi == 200:
                    img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
                path = Path(tmp) / f"p{dpi}-{i}.{fmt}"
                ok, data = cv2.imencode("." + fmt, img, [cv2.IMWRITE_JPEG_QUALITY, 85] if fmt == "jpg" else [])
                path.write_bytes(data.tobytes())
                files[dpi].append(path)
        for dpi in (200, 300):
            refs = [PageRef(str(f), 1, "png" if dpi == 200 else "jpeg") for f in files[dpi]]
            count = n if dpi == 200 else max(n // 4, 8)
            t, c = time.perf_counter(), time.process_time()
            for k in range(count):
                load_page(refs[k % len(refs)])
            decode, decode_cpu = (time.perf_counter() - t) / count, (time.process_time() - c) / count
            t, c = time.perf_counter(), time.process_time()
            for k in range(count):
                recognize_page(load_page(refs[k % len(refs)]))
            total, total_cpu = (time.perf_counter() - t) / count, (time.process_time() - c) / count
            kind = "grey PNG" if dpi == 200 else "colour JPEG"
            print(
                f"{dpi} dpi {kind}, 1 core, {count} pages: decoding {1000 * decode:.1f} ms/page "
                f"(CPU {1000 * decode_cpu:.1f}), decoding + recognition {1000 * total:.1f} ms/page "
                f"(CPU {1000 * total_cpu:.1f}) = {1 / total:.1f} pages/s wall, {1 / total_cpu:.1f} per CPU "
                f"second (load {load()})"
            )


if __name__ == "__main__":
    main()
