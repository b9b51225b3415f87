"""The exam day (section D): topics from the release time in the venue's zone, the room roster, each
participant's day with its documents, custody of the blanks. The rules are the kind's
(``session.rules.examday``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from itog.conduct.common import local_now
from itog.conduct.models import DayRecord, Handover, TopicSet, Work
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
    seats = (Seat.objects.filter(run=run, venue=venue, room=room)
             .select_related("application__participant").order_by("seat_number"))
    records = {r.application_id: r for r in DayRecord.objects.for_user(user).filter(
        application__in=[s.application_id for s in seats])}
    return [(s, s.application, records.get(s.application_id)) for s in seats]


DAY_FLAGS = ("has_id_document", "late", "is05_marked", "is05_signed", "is09_by_head", "member_signature")
DAY_TEXTS = ("identity_act", "valid_reason_document", "is08_act", "is09_act")


def record_day(application: Application, seat, data: dict, user, entered_from: str = "venue",
               now: datetime | None = None) -> DayRecord:
    """Record a participant's state on the exam day with its documents (п. 7.11.6–7.11.9); refused
    with the rule's message when a document the state needs is missing (V41, V42, V48–V50)."""
    day = application.session.rules.examday
    state = day.DayState(data["state"])
    blanks_used = data.get("blanks_used")
    rec = day.DayRecord(
        category=application.participant.category, state=state,
        has_id_document=bool(data.get("has_id_document", True)),
        identity_act=bool((data.get("identity_act") or "").strip()),
        late=bool(data.get("late")), end_extended=bool(data.get("end_extended")),
        valid_reason_document=bool((data.get("valid_reason_document") or "").strip()),
        is05_marked=bool(data.get("is05_marked")), is05_signed=bool(data.get("is05_signed")),
        is08_act=bool((data.get("is08_act") or "").strip()), is09_act=bool((data.get("is09_act") or "").strip()),
        is09_by_head=bool(data.get("is09_by_head")), member_signature=bool(data.get("member_signature")),
        blank_count=data.get("blank_count"), blanks_used=blanks_used)
    from itog.exams.profiles import profile_kw

    problems = day.check_day_record(rec, **profile_kw(application.session))
    if local_now(venue_zone(seat.venue), now).date() < application.session.date:
        problems.append(violation("X30", date=fmt_date(application.session.date)))
    refuse_if(problems)
    if session_has_works(application.session):
        refuse_if([violation("X31")])
    values = {f: bool(data.get(f, f == "has_id_document")) for f in DAY_FLAGS}
    values.update({f: (data.get(f) or "").strip()[:300] for f in DAY_TEXTS})
    values.update(state=state.value, blanks_used=blanks_used, venue=seat.venue, room=seat.room,
                  entered_from=entered_from, recorded_by=user)
    record_obj = DayRecord.objects.filter(application=application).first() or DayRecord(application=application)
    for key, value in values.items():
        setattr(record_obj, key, value)
    record_obj._history_user = user
    record_obj.save()
    return record_obj


def session_has_works(session: ExamSession) -> bool:
    return Work.objects.filter(session=session).exists()


def record_handover(session: ExamSession, user, from_org: Organization, venue, kind: str, from_person: str,
                    to_person: str, handed_at: datetime, works: int) -> Handover:
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
    h = Handover(session=session, kind=kind, from_org=from_org, venue=venue, from_person=from_person.strip(),
                 to_person=to_person.strip(), handed_at=handed_at, works=works, late_reason=late, recorded_by=user)
    h._history_user = user
    h.save()
    return h
