"""How long `itog demo` takes to build the full demo region on a fresh SQLite database.

    python benchmarks/bench_demo.py [--runs 3]

Each run uses a new empty data directory, so migrations and generation are
both measured, as a newcomer experiences them. Prints seconds per run, the
generator's own figure, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time


def one_run() -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "ITOG_DATA_DIR": data_dir}
        env.pop("ITOG_DATABASE_URL", None)
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "itog", "demo", "--no-serve"], env=env, check=True, capture_output=True, text=True
        ).stdout
        wall = time.perf_counter() - started
        generator = float(re.search(r"за ([\d.]+) с", out).group(1))
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, generator, peak_kb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    walls = []
    for i in range(args.runs):
        wall, generator, peak_kb = one_run()
        walls.append(wall)
        print(
            f"run {i + 1}: itog demo --no-serve {wall:.1f} s (generation {generator:.1f} s), "
            f"peak RSS {peak_kb / 1024:.0f} MiB"
        )
    print(f"best {min(walls):.1f} s, worst {max(walls):.1f} s on {os.cpu_count()} cores (target: < 60 s)")


if __name__ == "__main__":
    main()
