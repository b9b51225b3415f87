"""Full import of each seed plan: read → structure → deadline grammar → linter → save to the database.

    python benchmarks/bench_plan_import.py [--runs 3]

Runs against a throw-away SQLite database holding a small demo region (so the
alias dictionary resolves the actors and assignments are written). Prints
seconds per seed: parsing alone, and parsing + saving.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="itog-bench-")
    os.environ["ITOG_DATA_DIR"] = data_dir
    os.environ["ITOG_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itog.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from itog.demo.generate import DemoSize, generate
    from itog.plans.importing import parse_document, save_plan
    from itog.plans.seeds import SEED_PLANS, seed_file

    call_command("migrate", verbosity=0)
    region = generate(
        "bench-password",
        size=DemoSize(schools=250, grade11=300, grade9=0, teachers_per_school=1),
        progress=lambda *a: None,
    ).region
    for prefix in SEED_PLANS:
        path = seed_file(prefix)
        data = path.read_bytes()
        parse_document(data, path.name, region)  # warm-up
        parse_times, total_times = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            doc = parse_document(data, path.name, region)
            t1 = time.perf_counter()
            save_plan(doc, region, data, path.name)
            t2 = time.perf_counter()
            parse_times.append(t1 - t0)
            total_times.append(t2 - t0)
        print(
            f"{prefix} ({len(data) / 1024:.0f} KB, {len(doc.plan.items)} items, {len(doc.findings)} findings): "
            f"parse+lint {min(parse_times):.2f} s, parse+lint+save {min(total_times):.2f} s "
            f"(best of {args.runs}; 250 schools, 12 МОУО in the region)"
        )


if __name__ == "__main__":
    main()
