"""Seating a session on D−1 (п. 7.11.1(2)): the database side of ``itog.exams.seating``.

Each application sits in the venue of its registration organization (the school's own place
of conduct); rooms come from the venue's rooms, organizers and assistants from the venue's
conduct commission. The seed is logged in the run, so the seating can be reproduced.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet

from itog.exams.models import (
    Application,
    ApplicationStatus,
    CommissionKind,
    CommissionMember,
    ExamSession,
    Seat,
    SeatingRun,
)
from itog.exams.violations import refuse_if, violation
from itog.orgs.models import Place, PlaceKind, Room

from .rules import SeatParticipant, SeatRoom, SeatStaff, VenueInput, seat_region


def _group(app: Application) -> str:
    if app.form == "exposition":
        return "reading"  # п. 7.11.1(2): the 40-minute reading, in a room of its own
    return "special" if app.special_conditions else "regular"


def venue_inputs(session: ExamSession, applications) -> tuple[list[VenueInput], list[str]]:
    by_org = defaultdict(list)
    for app in applications:
        by_org[app.participant.registration_org_id].append(app)
    venues = {
        p.organization_id: p
        for p in Place.objects.filter(organization_id__in=by_org, kind=PlaceKind.VENUE, is_active=True).order_by("pk")
    }
    rooms = defaultdict(list)
    for room in Room.objects.filter(place__in=venues.values()).order_by("number"):
        rooms[room.place_id].append(
            SeatRoom(id=room.pk, number=room.number, capacity=room.capacity, accessible=room.accessible)
        )
    staff = defaultdict(list)
    members = CommissionMember.objects.filter(
        commission__session=session, commission__kind=CommissionKind.CONDUCT, commission__venue__in=venues.values()
    ).select_related("commission")
    assisted = defaultdict(set)
    for m in members:
        staff[m.commission.venue_id].append(SeatStaff(id=m.employee_id, role=m.role))
        if m.role == "assistant":
            for pid in m.assisted.values_list("pk", flat=True):
                assisted[pid].add(m.employee_id)
    inputs, problems = [], []
    for org_id, apps in by_org.items():
        venue = venues.get(org_id)
        if venue is None:
            org = apps[0].participant.registration_org
            problems.append(f"{org.display_name}: нет места проведения — заявлений {len(apps)}")
            continue
        participants = [
            SeatParticipant(
                id=a.pk,
                group=_group(a),
                needs_accessible=a.participant.health_category != "",
                assistant_id=min(assisted[a.participant_id]) if assisted[a.participant_id] else None,
            )
            for a in apps
        ]
        inputs.append(
            VenueInput(
                venue_id=venue.pk,
                name=venue.name,
                participants=participants,
                rooms=rooms[venue.pk],
                staff=staff[venue.pk],
            )
        )
    return inputs, problems


def region_today(session: ExamSession, now=None) -> date:
    """Today on the region's clock (the date of an action of the region's officials)."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    return (now or timezone.now()).astimezone(ZoneInfo(session.region.time_zone)).date()


def check_seating_day(session: ExamSession, today: date) -> list:
    """V33 (п. 7.11.1(2), B28): participants are seated «за один календарный день до дня проведения» — on D−1
    exactly, in a random order (the seed is always drawn and logged here). The procedure allows no other day,
    so there is no override."""
    check = getattr(session.rules.seating, "check_seating", None)
    if check is None:
        return []
    from itog.exams.kinds.base import SeatingPlan

    return check(SeatingPlan(done_on=today, assignments={}, random_seed=0), session.date, [])


def seat_session(session: ExamSession, user=None, seed: int | None = None, today: date | None = None) -> SeatingRun:
    """Region-wide seating in one action; venues that cannot be seated are explained, not half-seated.
    ``today`` (the date of the official's action, given by the pages): refused unless it is D−1 (V33)."""
    if today is not None:
        refuse_if(check_seating_day(session, today))
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**62)
    from itog.exams.registration.services import revoked_participants

    applications = (
        Application.objects.filter(session=session)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exclude(participant__in=revoked_participants())  # V16: no seating after the revocation
        .select_related("participant", "participant__registration_org")
    )
    inputs, problems = venue_inputs(session, applications)
    if today is not None:
        # пп. 4.5, 4.6.1 (V20): a venue whose participants write 4 hours or more is not seated without a meal and
        # break room with a fridge and a kettle — its participants stay unseated, explained, until it has one.
        places = Place.objects.filter(pk__in=[v.venue_id for v in inputs]).select_related("organization")
        no_meal_room = {
            venue.pk: next(v for v in found if v.code == "V20")
            for venue, found in venue_readiness(session, places)
            if any(v.code == "V20" for v in found)
        }
        for v in inputs:
            if v.venue_id in no_meal_room:
                problems.append(
                    f"{v.name}: {no_meal_room[v.venue_id].message} — участники не рассажены ({len(v.participants)})"
                )
        inputs = [v for v in inputs if v.venue_id not in no_meal_room]
    result = seat_region(inputs, seed)
    with transaction.atomic():
        run = SeatingRun.objects.create(
            session=session, seed=seed, created_by=user, problems=problems + _seating_problems(result)
        )
        seats = [
            Seat(run=run, application_id=app_id, venue_id=venue_id, room_id=room_id, seat_number=seat)
            for venue_id, vs in result.by_venue.items()
            for app_id, (room_id, seat) in vs.assignments.items()
        ]
        Seat.objects.bulk_create(seats, batch_size=2000)
        run.seated = len(seats)
        run.save(update_fields=["seated"])
    return run


def _seating_problems(result) -> list[str]:
    """The venues the seating could not seat, each explained; a venue without two room organizers for every room
    it needs is refused by V29 (п. 7.11.3, C20: «в учебном кабинете должны присутствовать не менее двух
    организаторов») with what is missing."""
    out = []
    for vs in result.by_venue.values():
        if not vs.organizers_missing:
            out += vs.problems
            continue
        detail = next((p for p in vs.problems if "организатор" in p), "").removeprefix(f"{vs.name}: ")
        v29 = violation(
            "V29",
            text=f"{vs.name}: в аудиториях, нужных для рассадки, назначено менее двух организаторов "
            f"(п. 7.11.3) — {detail}; участники не рассажены.",
        )
        out += [v29.message] + [p for p in vs.problems if "организатор" not in p]
    return out


class VenueRow(NamedTuple):
    """A venue as the readiness page names it (a country's 40,000 venues are read as rows, not model objects)."""

    pk: int
    organization_id: int
    name: str


def venue_readiness(session: ExamSession, venues: QuerySet[Place]) -> list[tuple[VenueRow, list]]:
    """Each venue's readiness for the session (п. 4.5–4.6, 7.6, 7.7, 7.11.1): what is missing, by the rules.

    A country has 40,000 venues, but few distinct situations: the rules read a venue's equipment and its
    participants' durations only, so they are asked once per distinct (equipment, durations) and the answer
    is given to every venue in that situation."""
    from itog.exams.kinds.base import ParticipantRef, VenueData

    rules = session.rules.seating
    # The schools of the venues as a subquery (not 40,000 ids in the SQL); the venues as plain rows.
    schools = venues.values("organization_id")
    rows = list(venues.values_list("pk", "organization_id", "name", *Place.READINESS_FIELDS))
    # The readiness rules read each participant's duration only, so the database answers with one row per
    # (school, duration) instead of every application (a country of 670,000 in one small GROUP BY).
    apps = defaultdict(list)
    for org_id, extra_time in (
        Application.objects.filter(session=session, registration_org_id__in=schools)
        .order_by()
        .values_list("registration_org_id", "extra_time")
        .distinct()
    ):
        apps[org_id].append(extra_time)
    answers: dict[tuple, list] = {}
    out = []
    for pk, org_id, name, *equipment in rows:
        extras = apps.get(org_id)
        if not extras:
            continue
        key = (tuple(equipment), tuple(sorted(extras)))
        if key not in answers:
            data = VenueData(id=str(pk), school_id=str(org_id), **dict(zip(Place.READINESS_FIELDS, equipment)))
            participants = [
                ParticipantRef(
                    id=f"{org_id}:{int(extra)}",
                    duration_min=rules.BASE_DURATION_MIN + (rules.EXTRA_DURATION_MIN if extra else 0),
                )
                for extra in key[1]
            ]
            answers[key] = rules.check_venue_readiness(data, participants)
        out.append((VenueRow(pk, org_id, name), answers[key]))
    return out


def room_occupancy(seats, page_number, per_page: int = 50):
    """A page of the rooms of a seating with how many of ``seats`` (a scoped queryset) sit in each, ordered by
    venue and room, as a :class:`django.core.paginator.Page` of dicts (``venue__name``, ``room__number``,
    ``room__capacity``, ``n``).

    One query for the page and the number of rooms: the seats are grouped by room id alone (narrow), and only
    the groups are joined to the rooms' and venues' names, counted with a window and cut (a country's seating
    is 670,000 seats in 45,000 rooms; grouping the wide join, then grouping it again to count the groups, is
    what the page did before)."""
    from django.core.exceptions import EmptyResultSet
    from django.core.paginator import Page, Paginator
    from django.db import connection
    from django.db.models import Count, F

    paginator = Paginator([], per_page)
    grouped = seats.order_by().values(rid=F("room_id")).annotate(n=Count("pk"))
    try:
        inner, params = grouped.query.sql_with_params()
    except EmptyResultSet:  # a scope that sees no seat at all
        paginator.count = 0
        return Page([], 1, paginator)
    room, place = Room._meta.db_table, Place._meta.db_table
    query = (
        f"SELECT p.name, r.number, r.capacity, g.n, COUNT(*) OVER () FROM ({inner}) g "
        f"JOIN {room} r ON r.id = g.rid JOIN {place} p ON p.id = r.place_id "
        f"ORDER BY p.name, r.number, r.id LIMIT %s OFFSET %s"
    )

    def read(number: int) -> tuple[list[dict], int | None]:
        with connection.cursor() as c:
            c.execute(query, [*params, per_page, (number - 1) * per_page])
            rows = c.fetchall()
        out = [{"venue__name": a, "room__number": b, "room__capacity": cap, "n": n} for a, b, cap, n, _ in rows]
        return out, (rows[0][4] if rows else None)

    try:
        number = max(1, int(page_number or 1))
    except (TypeError, ValueError):
        number = 1
    rows, total = read(number)
    if total is None and number > 1:  # past the last page: the last one, as Paginator.get_page does
        _, total = read(1)
        number = max(1, -(-(total or 0) // per_page))
        rows, total = read(number)
    paginator.count = total or 0
    return Page(rows, number, paginator)
