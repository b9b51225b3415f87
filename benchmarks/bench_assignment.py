"""Assigning essay works to checking experts (issue target: 30,000 works to 600 experts well under 2 s).

    python benchmarks/bench_assignment.py [--runs 3] [--seed 11]

Generates (seeded) 30,000 works from 1,000 schools of uneven size (log-normal weights, 2–150 works),
and 600 experts who work in 400 of those schools, 20 % of them in two schools; 30 experts are
consultants. Times ``assign`` (best and mean of ``--runs``) in three set-ups:

* plain — no checking days;
* days — 5 checking days, every expert works on 3–5 of them with a daily capacity of 12–20 works;
* explain — the plain set-up with ``explain=True``;

and once ``reassign_leaving`` for an expert leaving with half of their works checked. Every result is
checked: no expert got a work of their own school (п. 8.1.3), each work is assigned once (п. 8.1.4),
daily capacities hold.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.exams.checking.assignment import Expert, Work, assign, reassign_leaving  # noqa: E402

WORKS = 30_000
SCHOOLS = 1_000
EXPERTS = 600
EXPERT_SCHOOLS = 400
CONSULTANTS = 30
DAYS = [date(2024, 12, 5) + timedelta(days=k) for k in range(5)]


def build(seed: int) -> tuple[list[Work], list[Expert], list[Expert]]:
    rng = random.Random(seed)
    weights = [rng.lognormvariate(0, 0.8) for _ in range(SCHOOLS)]
    total = sum(weights)
    sizes = [max(2, min(150, round(WORKS * w / total))) for w in weights]
    while sum(sizes) != WORKS:  # trim or pad to exactly WORKS, keeping 2–150
        k = rng.randrange(SCHOOLS)
        if sum(sizes) > WORKS and sizes[k] > 2:
            sizes[k] -= 1
        elif sum(sizes) < WORKS and sizes[k] < 150:
            sizes[k] += 1
    works, wid = [], 0
    for school, size in enumerate(sizes, start=1):
        for _ in range(size):
            wid += 1
            works.append(Work(wid, school, code=f"{school:04d}-{wid:06d}"))
    rng.shuffle(works)
    staffed = rng.sample(range(1, SCHOOLS + 1), EXPERT_SCHOOLS)
    plain, with_days = [], []
    for eid in range(1, EXPERTS + 1):
        schools = {staffed[(eid - 1) % EXPERT_SCHOOLS]}
        if rng.random() < 0.2:
            schools.add(rng.choice(staffed))
        consultant = eid <= CONSULTANTS
        name = f"Эксперт {eid:03d}"
        plain.append(Expert(eid, name, frozenset(schools), consultant=consultant))
        days = tuple(sorted(rng.sample(DAYS, rng.randint(3, 5))))
        with_days.append(
            Expert(
                eid, name, frozenset(schools), days=days, capacity_per_day=rng.randint(12, 20), consultant=consultant
            )
        )
    return works, plain, with_days


def verify(result, works: list[Work], experts: list[Expert]) -> None:
    school = {w.id: w.school_id for w in works}
    by_id = {e.id: e for e in experts}
    seen = set()
    for a in result.assignments:
        assert school[a.work_id] not in by_id[a.expert_id].school_ids, a  # п. 8.1.3
        assert a.work_id not in seen, a  # п. 8.1.4
        seen.add(a.work_id)
        if by_id[a.expert_id].days:
            assert a.day in by_id[a.expert_id].days, a
    for (eid, _day), count in result.per_day().items():
        cap = by_id[eid].capacity_per_day
        assert cap is None or count <= cap, (eid, _day, count)
    assert len(seen) + len(result.unassigned) == len(works)


def spread(result, experts: list[Expert]) -> str:
    ordinary = [result.load[e.id] for e in experts if not e.consultant]
    consultants = [result.load[e.id] for e in experts if e.consultant]
    return (
        f"ordinary experts {min(ordinary)}–{max(ordinary)}, consultants {min(consultants)}–{max(consultants)}, "
        f"unassigned {len(result.unassigned)}"
    )


CPU: list[float] = []  # CPU time of the best run of each set-up (the machine may be shared)


def timed(runs: int, fn):
    times, cpu, result = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU.append(min(cpu))
    return min(times), statistics.mean(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--moscow",
        action="store_true",
        help="Moscow size (issue 12): 75,000 works from 1,500 schools, 1,500 experts in 1,000 "
        "of them, 75 consultants (target < 2 s)",
    )
    args = parser.parse_args()
    if args.moscow:
        global WORKS, SCHOOLS, EXPERTS, EXPERT_SCHOOLS, CONSULTANTS
        WORKS, SCHOOLS, EXPERTS, EXPERT_SCHOOLS, CONSULTANTS = 75_000, 1_500, 1_500, 1_000, 75
    works, plain, with_days = build(args.seed)
    n_schools = len({w.school_id for w in works})
    two = sum(1 for e in plain if len(e.school_ids) == 2)
    print(
        f"{len(works)} works from {n_schools} schools; {len(plain)} experts working in "
        f"{len({s for e in plain for s in e.school_ids})} of those schools ({two} in two), "
        f"{CONSULTANTS} consultants (share 0.5); load average {os.getloadavg()[0]:.2f}"
    )

    best, mean, result = timed(args.runs, lambda: assign(works, plain, seed=args.seed))
    verify(result, works, plain)
    print(
        f"assign, plain:   best {best:.3f} s, mean {mean:.3f} s of {args.runs} (CPU {CPU[-1]:.3f} s); {spread(result, plain)}"
    )
    plain_result = result

    best, mean, result = timed(args.runs, lambda: assign(works, with_days, days=DAYS, seed=args.seed))
    verify(result, works, with_days)
    per_day = [result.load[e.id] / len(e.days) for e in with_days if not e.consultant]
    print(
        f"assign, days:    best {best:.3f} s, mean {mean:.3f} s of {args.runs} (CPU {CPU[-1]:.3f} s); {spread(result, with_days)}; "
        f"ordinary works per working day {min(per_day):.1f}–{max(per_day):.1f}"
    )

    best, mean, result = timed(args.runs, lambda: assign(works, plain, seed=args.seed, explain=True))
    verify(result, works, plain)
    assert len(result.explanations) == len(works)
    print(f"assign, explain: best {best:.3f} s, mean {mean:.3f} s of {args.runs} (CPU {CPU[-1]:.3f} s)")

    leaving = max(plain, key=lambda e: plain_result.load[e.id]).id
    theirs = sorted(a.work_id for a in plain_result.assignments if a.expert_id == leaving)
    checked = set(theirs[::2])
    best, mean, result = timed(
        args.runs, lambda: reassign_leaving(plain_result, leaving, works, plain, checked=checked, seed=args.seed)
    )
    verify(result, works, plain)
    assert result.load[leaving] == len(checked)
    rest = [e for e in plain if e.id != leaving]
    print(
        f"reassign_leaving ({len(theirs) - len(checked)} unchecked works move): best {best:.3f} s, "
        f"mean {mean:.3f} s of {args.runs}; {spread(result, rest)}"
    )


if __name__ == "__main__":
    main()
