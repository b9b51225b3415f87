"""Benchmark of the deadline grammar: 10,000 phrases must parse in under 1 s.

Plain script (no pytest):

    python benchmarks/bench_deadlines.py [--n 10000] [--repeat 5]

The phrases are the fixture strings of tests/plans/parsing/deadline_fixtures.py
(every deadline string of the two roadmap analyses plus the other seeds),
repeated until ``--n`` phrases.  Two figures are printed: "cold" clears the
normalisation cache before every run (each distinct phrase is normalised
once per run, as when a new document is imported), "warm" keeps it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from itog.plans.parsing.deadline_lexicon import normalize  # noqa: E402
from itog.plans.parsing.deadlines import parse_deadline  # noqa: E402
from tests.plans.parsing.deadline_fixtures import ALL_FIXTURES, year_of  # noqa: E402


def phrases(n: int) -> list[tuple[str, str]]:
    base = [(fx.raw, year_of(fx)) for fx in ALL_FIXTURES]
    out: list[tuple[str, str]] = []
    while len(out) < n:
        out.extend(base)
    return out[:n]


def run(items: list[tuple[str, str]], cold: bool) -> float:
    if cold:
        normalize.cache_clear()
    start = time.perf_counter()
    for raw, year in items:
        parse_deadline(raw, year)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    items = phrases(args.n)
    distinct = len({raw for raw, _ in items})
    print(f"{len(items)} phrases ({distinct} distinct), best of {args.repeat} runs")
    worst = 0.0
    for label, cold in (("cold", True), ("warm", False)):
        best = min(run(items, cold) for _ in range(args.repeat))
        worst = max(worst, best)
        print(f"  {label}: {best:.3f} s  →  {len(items) / best:,.0f} phrases/second")
    ok = worst < 1.0 * len(items) / 10_000
    print("OK: under 1 s per 10,000 phrases" if ok else "TOO SLOW: over 1 s per 10,000 phrases")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
