"""The exam day (section D): topics from the release time in the venue's zone, the room roster, each
participant's day with its documents, custody of the blanks. The rules are the kind's
(``session.rules.examday``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from itog.conduct.common import local_now
from itog.conduct.models import DayRecord, Handover, TopicSet, VenueDay, Visitor, Work
from itog.exams.common import fmt_date
from itog.exams.models import Application, ExamSession
from itog.exams.printing import latest_seating
from itog.exams.violations import Refused, refuse_if, violation
from itog.orgs.models import Organization


def venue_zone(venue) -> str:
    return venue.organization.time_zone


@dataclass
class TopicView:
    form: str
    label: str
    release_at: datetime
    content: str | None  # None until the release time in the venue's zone


def topics_for(session: ExamSession, venue, now: datetime | None = None) -> list[TopicView]:
    """Topics (09:45) and texts (09:30) are shown in a venue only from the release time in the
    venue's local time (пп. 7.1, 7.2; L21 decided as local time)."""
    tz = venue_zone(venue)
    day = session.rules.examday
    out = []
    sets = {t.form: t.content for t in TopicSet.objects.filter(session=session)}
    for form, label in day.TOPIC_LABELS.items():
        at = day.release_at(session.date, tz, form)
        released = not day.check_release(now or timezone.now(), session.date, tz, form)
        out.append(TopicView(form, label, at, sets.get(form, "") if released else None))
    return out


def room_roster(session: ExamSession, user, venue, room) -> list[tuple]:
    """(seat, application, day record or None) for one room of the latest seating."""
    from itog.exams.models import Seat

    run = latest_seating(session)
    seats = (
        Seat.objects.filter(run=run, venue=venue, room=room)
        .select_related("application__participant")
        .order_by("seat_number")
    )
    records = {
        r.application_id: r
        for r in DayRecord.objects.for_user(user).filter(application__in=[s.application_id for s in seats])
    }
    return [(s, s.application, records.get(s.application_id)) for s in seats]


DAY_FLAGS = ("has_id_document", "late", "is05_marked", "is05_signed", "is09_by_head", "member_signature")
DAY_TEXTS = ("identity_act", "valid_reason_document", "is08_act", "is09_act")


def _duration_min(application: Application) -> int:
    rules = application.session.rules.seating
    base = getattr(rules, "BASE_DURATION_MIN", 235)
    return base + (getattr(rules, "EXTRA_DURATION_MIN", 90) if application.extra_time else 0)


def _end_extended(application: Application, seat, data: dict) -> tuple[bool, str | None]:
    """V40 (п. 7.11.7, L17): for a late participant the recorded end is not later than the start written on the
    board + the personal duration (235 or 325 minutes) + their breaks — the venue's local time. Without the start
    of the venue's day journal the end of a late participant cannot be checked: refused with that reason."""
    end = data.get("end_time")
    if not data.get("late") or end is None:
        return bool(data.get("end_extended")), None
    vd = VenueDay.objects.filter(session=application.session, venue=seat.venue).first()
    if vd is None or vd.writing_start is None:
        return True, (
            "Для опоздавшего участника время окончания не продлевается (п. 7.11.7): внесите в журнал дня "
            "места проведения время начала, записанное на доске, чтобы проверить время окончания."
        )
    zone = ZoneInfo(venue_zone(seat.venue))
    start = datetime.combine(application.session.date, vd.writing_start, tzinfo=zone)
    recorded = datetime.combine(application.session.date, end, tzinfo=zone)
    problems = application.session.rules.examday.check_end_time(
        recorded, start, _duration_min(application), int(data.get("breaks_min") or 0), late=True
    )
    return bool(problems), None


def record_day(
    application: Application, seat, data: dict, user, entered_from: str = "venue", now: datetime | None = None
) -> DayRecord:
    """Record a participant's state on the exam day with its documents (п. 7.11.3, 7.11.6–7.11.9); refused
    with the rule's message when a document the state needs is missing (V41, V42, V48–V50), when a late
    participant's end is later than the room's (V40), when «Количество бланков» differs from the writing blanks
    used, additional ones included (V46), when the organizer records that the «Z» is missing (V47), a writing
    blank carrying another code than the registration blank (V44) or a topic number not in the kit (V45)."""
    day = application.session.rules.examday
    state = day.DayState(data["state"])
    blanks_used = data.get("blanks_used")
    extended, v40_text = _end_extended(application, seat, data)
    rec = day.DayRecord(
        category=application.participant.category,
        state=state,
        has_id_document=bool(data.get("has_id_document", True)),
        identity_act=bool((data.get("identity_act") or "").strip()),
        late=bool(data.get("late")),
        end_extended=extended,
        valid_reason_document=bool((data.get("valid_reason_document") or "").strip()),
        is05_marked=bool(data.get("is05_marked")),
        is05_signed=bool(data.get("is05_signed")),
        is08_act=bool((data.get("is08_act") or "").strip()),
        is09_act=bool((data.get("is09_act") or "").strip()),
        is09_by_head=bool(data.get("is09_by_head")),
        member_signature=bool(data.get("member_signature")),
        blank_count=data.get("blank_count"),
        blanks_used=blanks_used,
    )
    from itog.exams.profiles import profile_kw

    problems = day.check_day_record(rec, **profile_kw(application.session))
    if local_now(venue_zone(seat.venue), now).date() < application.session.date:
        problems.append(violation("X30", date=fmt_date(application.session.date)))
    if v40_text:
        problems = [violation("V40", field="end_time", text=v40_text) if v.code == "V40" else v for v in problems]
    else:
        problems = [
            violation("V40", field="end_time") if v.code == "V40" and data.get("end_time") else v for v in problems
        ]
    if data.get("z_marked") is False and state == day.DayState.FINISHED:  # п. 7.11.3: the organizer puts the «Z»
        problems += day.check_blanks("", [], z_marked=False)
    problems += _blank_codes_and_topic(application, data)
    refuse_if(problems)
    if session_has_works(application.session):
        refuse_if([violation("X31")])
    values = {f: bool(data.get(f, f == "has_id_document")) for f in DAY_FLAGS}
    values.update({f: (data.get(f) or "").strip()[:300] for f in DAY_TEXTS})
    values.update(
        state=state.value,
        blanks_used=blanks_used,
        blank_count=data.get("blank_count"),
        end_time=data.get("end_time"),
        breaks_min=int(data.get("breaks_min") or 0),
        z_marked=data.get("z_marked"),
        venue=seat.venue,
        room=seat.room,
        entered_from=entered_from,
        recorded_by=user,
    )
    record_obj = DayRecord.objects.filter(application=application).first() or DayRecord(application=application)
    for key, value in values.items():
        setattr(record_obj, key, value)
    record_obj._history_user = user
    record_obj.save()
    return record_obj


def _blank_codes_and_topic(application: Application, data: dict) -> list:
    """п. 7.11.3 (D9): the organizers check each participant's blanks — the work code written on every writing
    blank, additional ones included, equals the code of the registration blank (V44), and the topic (text)
    number is one of the kit of this date as the ministry entered it (V45). Checked when the organizer records
    what the blanks carry (``writing_codes``: the codes in order, separated by commas or new lines;
    ``topic_no``)."""
    written = [c for c in re.split(r"[,;\n]+", data.get("writing_codes") or "") if c.strip()]
    topic_no = str(data.get("topic_no") or "").strip()
    if not written and not topic_no:
        return []
    from itog.exams.models import WorkCode

    day = application.session.rules.examday
    code = (
        WorkCode.objects.filter(application=application, voided_at__isnull=True)
        .order_by("-serial")
        .values_list("code", flat=True)
        .first()
    )
    released = None
    if topic_no:
        kit = TopicSet.objects.filter(session=application.session, form=application.form).first()
        released = day.released_topic_numbers(kit.content if kit else "")
    return day.check_blanks(code or "", written, topic_no or None, released)


VENUE_DAY_TIMES = (
    "staff_briefing",
    "medic_present",
    "participants_seated",
    "kits_to_organizers",
    "briefing_part1",
    "briefing_part2",
)


def record_venue_day(session: ExamSession, venue, data: dict, user) -> tuple[VenueDay, list]:
    """The venue's day journal, times in the venue's local time (B14–B22): refused when a time is before the
    procedure allows — the staff briefing before 08:15 (V35), kits to the organizers before 09:45 (V36), the
    participants' briefing before 09:50 / 10:00 (V38). Seating finished after 09:40 (V39) and the medical
    worker absent at 09:00 or leaving before the last participant (V53) are warnings: K.3 itself gives them
    as warnings — the participants are already in the venue and the exam goes on; the warning is kept with the
    record and shown. Returns the record and its warnings."""
    day = session.rules.examday
    zone = venue_zone(venue)
    at = {
        k: datetime.combine(session.date, data[k], tzinfo=ZoneInfo(zone))
        for k in VENUE_DAY_TIMES + ("medic_left", "last_exit")
        if data.get(k)
    }
    problems = []
    for key in VENUE_DAY_TIMES:
        if key in at:
            problems += day.check_time_rule(key, at[key], session.date, zone)
    if "medic_left" in at and "last_exit" in at:
        problems += [
            v
            for v in day.check_medic(
                at.get("medic_present", at["medic_left"]), session.date, zone, at["medic_left"], at["last_exit"]
            )
            if v.field == "medic_left"
        ]
    refuse_if([v for v in problems if v.is_error])
    warnings = [v for v in problems if not v.is_error]
    obj = VenueDay.objects.filter(session=session, venue=venue).first() or VenueDay(session=session, venue=venue)
    for key in VENUE_DAY_TIMES + ("writing_start", "medic_left", "last_exit"):
        setattr(obj, key, data.get(key))
    obj.warnings = "\n".join(v.message for v in warnings)
    obj.recorded_by = user
    obj._history_user = user
    obj.save()
    return obj, warnings


def record_visitor(
    session: ExamSession,
    venue,
    kind: str,
    full_name: str,
    id_document: str,
    authority_document: str,
    user,
    arrived_at=None,
) -> Visitor:
    """п. 7.8 (V43): an observer, a journalist or an official is admitted only with an identity document and a
    document confirming their powers — refused otherwise, nothing saved."""
    day = session.rules.examday
    refuse_if(day.check_visitor(kind, bool(id_document.strip()), bool(authority_document.strip())))
    if not full_name.strip():
        raise Refused("Укажите ФИО лица, допускаемого в место проведения (п. 7.8).")
    v = Visitor(
        session=session,
        venue=venue,
        kind=day.VisitorKind(kind).value,
        full_name=full_name.strip()[:300],
        id_document=id_document.strip()[:200],
        authority_document=authority_document.strip()[:200],
        arrived_at=arrived_at,
        recorded_by=user,
    )
    v._history_user = user
    v.save()
    return v


def session_has_works(session: ExamSession) -> bool:
    return Work.objects.filter(session=session).exists()


def record_handover(
    session: ExamSession,
    user,
    from_org: Organization,
    venue,
    kind: str,
    from_person: str,
    to_person: str,
    handed_at: datetime,
    works: int,
) -> Handover:
    """Custody: the head hands originals and copies to the responsible person on day D (п. 7.11.1(3),
    8.1.1; D22); the responsible person delivers originals to РЦОИ (п. 8.1.1, 9.1.1; V60)."""
    if not from_person.strip() or not to_person.strip():
        raise Refused([violation("X32", field="to_person")])
    tz = from_org.time_zone
    handed_on = handed_at.astimezone(ZoneInfo(tz)).date()
    late = ""
    if kind == "originals_copies":
        problems = session.rules.examday.custody_checks(handed_on, session.date)
    else:
        from itog.conduct.checking.services import checking_completed_on

        completed = checking_completed_on(session) or handed_on
        from itog.exams.profiles import profile_kw

        problems = session.rules.checking.check_delivery(handed_on, session.date, completed, **profile_kw(session))
    if problems:
        late = problems[0].message[:300]
    h = Handover(
        session=session,
        kind=kind,
        from_org=from_org,
        venue=venue,
        from_person=from_person.strip(),
        to_person=to_person.strip(),
        handed_at=handed_at,
        works=works,
        late_reason=late,
        recorded_by=user,
    )
    h._history_user = user
    h.save()
    return h
