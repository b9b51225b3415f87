"""Schedule a region's interview: 20,000 participants in 1,000 schools (pure rules, no database).

    PYTHONPATH=$PWD python benchmarks/bench_interview_schedule.py [--schools 1000] [--participants 20000]

Each school gets 1–3 audio-equipped rooms plus a waiting and a finished room; about 3 % of the
participants have the extended 45-minute answer. Prints the wall time of scheduling every
school (best of 3) and how many participants were placed.
"""

from __future__ import annotations

import argparse
import random
import time

from itog.exams.kinds.interview.schedule import Candidate, Room, make_schedule


def build(schools: int, participants: int, seed: int = 2024):
    rnd = random.Random(seed)
    per = [participants // schools + (1 if i < participants % schools else 0) for i in range(schools)]
    region = []
    for s, n in enumerate(per):
        rooms = [Room(f"{s}-{k}", f"Каб. {101 + k}") for k in range(rnd.randint(1, 3))]
        rooms += [Room(f"{s}-w", "Рекреация", "waiting"), Room(f"{s}-f", "Библиотека", "finished")]
        people = [
            Candidate(f"{s}-{i}", f"Фамилия{i} Имя Отчество", f"9{'АБВ'[i % 3]}", rnd.random() < 0.03) for i in range(n)
        ]
        region.append((rooms, people))
    return region


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=1000)
    ap.add_argument("--participants", type=int, default=20000)
    args = ap.parse_args()
    region = build(args.schools, args.participants)
    best = float("inf")
    placed = unplaced = 0
    for _ in range(3):
        t0 = time.perf_counter()
        results = [make_schedule(rooms, people) for rooms, people in region]
        best = min(best, time.perf_counter() - t0)
        placed = sum(len(s) for r in results for s in r.slots.values())
        unplaced = sum(len(r.unassigned) for r in results)
    print(f"schools={args.schools} participants={args.participants} placed={placed} unplaced={unplaced}")
    print(f"schedule the region: {best:.3f} s (best of 3)")


if __name__ == "__main__":
    main()
