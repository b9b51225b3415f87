"""Benchmark: read + structure every seed plan N times, print ms per read.

    python benchmarks/bench_import.py            # 20 runs per seed
    python benchmarks/bench_import.py 50         # 50 runs per seed

Seeds are looked up in ``$ITOG_SEEDS_DIR`` or ``../shared/seeds`` next to the
repository.  Seed 003 is a procedure, not a plan, and is skipped.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.plans.parsing.readers import read_plan  # noqa: E402

PLAN_SEEDS = ("000", "001", "002", "004")


def seeds_dir() -> Path:
    env = os.environ.get("ITOG_SEEDS_DIR")
    return Path(env) if env else (ROOT / ".." / "shared" / "seeds").resolve()


def main(runs: int = 20) -> int:
    directory = seeds_dir()
    worst = 0.0
    for prefix in PLAN_SEEDS:
        matches = sorted(directory.glob(f"{prefix}_*"))
        if not matches:
            print(f"{prefix}: not found in {directory}")
            continue
        path = matches[0]
        data = path.read_bytes()
        read_plan(data, filename=path.name)  # warm-up (imports, regex compilation)
        start = time.perf_counter()
        for _ in range(runs):
            plan = read_plan(data, filename=path.name)
        elapsed = (time.perf_counter() - start) * 1000 / runs
        worst = max(worst, elapsed)
        print(
            f"{path.name}: {len(data) / 1024:6.1f} KB, {len(plan.items):3d} items, "
            f"{elapsed:7.1f} ms per read+structure ({runs} runs)"
        )
    print(f"slowest: {worst:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
