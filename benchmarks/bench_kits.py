"""Benchmark: blank kits for 30,000 participants (registration + 2 answer pages each = 90,000 pages).

    python benchmarks/bench_kits.py                       # 30,000 participants, all cores, chunk 2,000
    python benchmarks/bench_kits.py --participants 3000 --workers 1
    python benchmarks/bench_kits.py --keep /tmp/kits      # keep the part files

Targets (issue: printed blanks): under 3 minutes, memory under 1 GiB.
Prints wall time, pages per second, the size of the parts and peak memory:
the parent's peak RSS and the largest worker's peak RSS (``resource.getrusage``;
RUSAGE_CHILDREN reports the largest waited-for child), and their conservative
sum ``parent + workers × largest worker``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.blanks.codes import make_code  # noqa: E402
from itog.blanks.kits import render_kits_parallel  # noqa: E402
from itog.blanks.render import KitParticipant  # noqa: E402

LAST = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Федоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семенов",
    "Егоров",
)
FIRST_M = ("Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артем", "Илья")
FIRST_F = ("Анастасия", "Мария", "Дарья", "Анна", "Елизавета", "Полина", "Виктория", "Екатерина")
MIDDLE = ("Александров", "Сергеев", "Владимиров", "Андреев", "Николаев", "Игорев")


def participants(count: int, region: int = 23, session: int = 1):
    """Deterministic synthetic participants, grouped 15 to a room and 10 rooms to a venue."""
    day = dt.date(2026, 12, 2)
    for i in range(count):
        female = i % 2 == 1
        last = LAST[i % len(LAST)] + ("а" if female else "")
        middle = MIDDLE[(i // 7) % len(MIDDLE)] + ("на" if female else "ич")
        first = (FIRST_F if female else FIRST_M)[(i // 3) % 8]
        venue = i // 150
        yield KitParticipant(
            work_code=make_code(region, session, i + 1),
            last_name=last,
            first_name=first,
            middle_name=middle,
            document_series=f"{(i * 7) % 100:02d} {(i * 13) % 100:02d}",
            document_number=f"{(i * 7919) % 1_000_000:06d}",
            school_name=f"МБОУ СОШ № {venue % 97 + 1} муниципального образования № {venue // 97 + 1}",
            class_name=f"11 «{'АБВГ'[i % 4]}»",
            venue_name=f"МБОУ СОШ № {venue % 97 + 1}",
            room_number=str((i // 15) % 10 + 1),
            session_date=day,
            form="essay" if i % 10 else "exposition",
            answer_pages=2,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--keep", help="write the parts here and keep them")
    args = parser.parse_args()

    out_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="itog-kits-"))
    last_report = [0.0]

    def progress(done: int) -> None:
        now = time.perf_counter()
        if now - last_report[0] >= 10 or done == args.participants:
            last_report[0] = now
            print(f"  {done:>7,} participants  {now - start:6.1f} s", flush=True)

    print(f"{args.participants:,} participants, {args.workers} workers, chunk {args.chunk:,} → {out_dir}")
    start = time.perf_counter()
    parts = render_kits_parallel(
        participants(args.participants), out_dir, workers=args.workers, chunk=args.chunk, progress=progress
    )
    seconds = time.perf_counter() - start

    pages = args.participants * 3
    size = sum(p.stat().st_size for p in parts)
    self_usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent = self_usage.ru_maxrss / 1024  # KiB → MiB on Linux
    child = children.ru_maxrss / 1024
    print(f"parts:            {len(parts)} files, {size / 2**20:,.0f} MiB ({size / pages / 1024:.1f} KiB per page)")
    print(f"time:             {seconds:.1f} s for {pages:,} pages")
    print(f"pages per second: {pages / seconds:,.0f}")
    print(
        f"CPU time:         parent {self_usage.ru_utime + self_usage.ru_stime:.1f} s, workers "
        f"{children.ru_utime + children.ru_stime:.1f} s in all; load average at the end "
        f"{os.getloadavg()[0]:.2f} (other work on the machine slows the wall time)"
    )
    print(
        f"peak RSS:         parent {parent:,.0f} MiB, largest worker {child:,.0f} MiB, "
        f"parent + {args.workers} × worker ≤ {parent + args.workers * child:,.0f} MiB"
    )
    ok = seconds < 180 and parent + args.workers * child < 1024
    print("targets (< 180 s, < 1 GiB):", "met" if ok else "NOT met")
    if not args.keep:
        shutil.rmtree(out_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
