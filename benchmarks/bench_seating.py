"""Region-wide seating on D−1 (issue target: 30,000 participants in 1,000 rooms < 5 s).

    python benchmarks/bench_seating.py [--runs 3] [--short-venues 0]

Generates a region of 250 venues: each has three ordinary rooms (38–42 seats), and where needed an
accessible room for the special-conditions group (2 % of the participants, half of them with an
assistant, half needing an accessible room) and a room for the 40-minute reading group (1 %); with
``--short-venues N`` the first N venues get one room organizer too few, so their seating fails with an
explanation (that path runs the exact room search). Prints the best time of ``--runs`` seatings.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.exams.seating.rules import (  # noqa: E402
    ASSISTANT,
    ORGANIZER_IN_ROOM,
    ORGANIZER_OUTSIDE,
    READING,
    REGULAR,
    SPECIAL,
    SeatParticipant,
    SeatRoom,
    SeatStaff,
    VenueInput,
    seat_region,
)

VENUES = 250
PARTICIPANTS = 30_000


def build_region(short_venues: int = 0, seed: int = 7) -> list[VenueInput]:
    rng = random.Random(seed)
    special_venues = set(rng.sample(range(VENUES), 150))  # 600 special participants, 4 per venue
    reading_venues = set(rng.sample(range(VENUES), 100))  # 300 in the reading group, 3 per venue
    regular_total = PARTICIPANTS - 4 * len(special_venues) - 3 * len(reading_venues)
    venues = []
    pid = sid = rid = 0
    for v in range(VENUES):
        regular = regular_total // VENUES + (1 if v < regular_total % VENUES else 0)
        rooms, staff, participants = [], [], []
        for k in range(3):
            rid += 1
            rooms.append(SeatRoom(rid, str(101 + k), rng.randint(39, 42)))
        for _ in range(regular):
            pid += 1
            participants.append(SeatParticipant(pid, REGULAR))
        if v in special_venues:
            rid += 1
            rooms.append(SeatRoom(rid, "1", 12, accessible=True))
            sid += 1
            assistant = sid
            staff.append(SeatStaff(assistant, ASSISTANT))
            for i in range(4):
                pid += 1
                participants.append(
                    SeatParticipant(
                        pid, SPECIAL, needs_accessible=i < 2, assistant_id=assistant if i % 2 == 0 else None
                    )
                )
        if v in reading_venues:
            rid += 1
            rooms.append(SeatRoom(rid, "2", 10))
            for _ in range(3):
                pid += 1
                participants.append(SeatParticipant(pid, READING))
        organizers = 2 * len(rooms) + 1 - (2 if v < short_venues else 0)
        for _ in range(organizers):
            sid += 1
            staff.append(SeatStaff(sid, ORGANIZER_IN_ROOM))
        for _ in range(2):
            sid += 1
            staff.append(SeatStaff(sid, ORGANIZER_OUTSIDE))
        venues.append(
            VenueInput(venue_id=v + 1, name=f"МБОУ СОШ № {v + 1}", participants=participants, rooms=rooms, staff=staff)
        )
    return venues


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--short-venues", type=int, default=0)
    args = parser.parse_args()
    venues = build_region(args.short_venues)
    n_participants = sum(len(v.participants) for v in venues)
    n_rooms = sum(len(v.rooms) for v in venues)
    times = []
    for run in range(args.runs):
        t0 = time.perf_counter()
        result = seat_region(venues, seed=20231206 + run)
        times.append(time.perf_counter() - t0)
    print(
        f"seat_region: {n_participants} participants, {n_rooms} rooms, {len(venues)} venues: "
        f"{min(times):.2f} s (best of {args.runs}; seated {result.seated}, "
        f"venues with problems {sum(1 for s in result.by_venue.values() if s.problems)}, "
        f"rooms used {sum(len(s.used_rooms) for s in result.by_venue.values())})"
    )
    if result.problems:
        print("first problem:", result.problems[0])


if __name__ == "__main__":
    main()
