"""Benchmark: hostile-scan probes (:mod:`itog.scan.probes`) — per distortion, how many pages are read
correctly, flagged for a person, or silently wrong (must be 0).

    python benchmarks/bench_scan_probes.py                    # every probe × 5 seeds, 1 worker
    python benchmarks/bench_scan_probes.py --seeds 20 --workers 2
    python benchmarks/bench_scan_probes.py --only photo barrel --seeds 10 -v

Prints the 1-minute load average: the machine may be shared (figures noisy).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.blanks import codes  # noqa: E402
from itog.scan import probes  # noqa: E402
from itog.scan.parallel import recognize_files  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--first-seed", type=int, default=100)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    names = args.only or list(probes.PROBES)
    kit = probes.make_kit(codes.make_code(8, 31, 1207))
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    t0 = time.perf_counter()
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            folder = Path(tmp) / f"s{seed}"
            folder.mkdir()
            cases = probes.cases(names, seed, kit)
            truth = {}
            for i, case in enumerate(cases):
                sub = folder / f"{i:03d}"
                sub.mkdir()
                (sub / case.name).write_bytes(case.data)
                for p, t in enumerate(case.pages, 1):
                    truth[(str(sub / case.name), p)] = (case.probe, t)
            for r in recognize_files([folder], workers=args.workers):
                probe, t = truth[(r.file, r.page)]
                verdict, wrong = probes.judge(t, r)
                tally[probe][verdict] += 1
                pages += 1
                if args.verbose and verdict != "correct":
                    print(f"  seed {seed} {probe:15s} p{r.page} {verdict}: {wrong or r.reasons[:3]}")
    elapsed = time.perf_counter() - t0
    print(f"{'probe':16s} {'pages':>5s} {'correct':>7s} {'flagged':>7s} {'silent':>6s}")
    total = defaultdict(int)
    for name in names:
        s = tally[name]
        n = sum(s.values())
        for k, v in s.items():
            total[k] += v
        print(f"{name:16s} {n:5d} {s['correct']:7d} {s['flagged']:7d} {s['silent']:6d}")
    print(
        f"{'total':16s} {pages:5d} {total['correct']:7d} {total['flagged']:7d} {total['silent']:6d}"
        f"   ({elapsed:.0f} s incl. generation, {args.workers} worker(s), load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
