"""Use cases before the exam day: sessions, registration, submissions, reconciliation.

The rules of an exam kind (``itog.exams.kinds``) decide; these functions only collect the
facts, ask the rules, and save all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils import timezone

from itog.exams.kinds import get_rules
from itog.exams.kinds.base import (
    ApplicationData,
    Category,
    DocumentKind,
    ExamForm,
    RegistrationPlaceKind,
    SessionDate,
    SessionKind,
    SpecialCondition,
    SubmissionRoute,
    Violation,
)
from itog.exams.models import (
    Application,
    ApplicationStatus,
    Consent,
    ConsentStatus,
    ExamSession,
    Participant,
    Stage,
    Submission,
    SupportingDocument,
)
from itog.exams.violations import violation
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization

CONDITION_FIELDS = {
    SpecialCondition.EXTRA_TIME: "extra_time",
    SpecialCondition.ORAL_FORM: "oral_form",
    SpecialCondition.AT_HOME: "at_home",
    SpecialCondition.ENLARGED_BLANKS: "enlarged_blanks",
}


def ensure_sessions(region: Organization, academic_year: str, kind: str = "essay") -> list[ExamSession]:
    """The year's sessions computed by the kind's calendar (the essay: п. 4.1), created once."""
    sessions = []
    for sd in get_rules(kind).calendar.session_dates(academic_year):
        session, _ = ExamSession.objects.get_or_create(
            region=region,
            kind=kind,
            rule_date=sd.date,
            defaults={
                "date": sd.date,
                "academic_year": academic_year,
                "stage": Stage.MAIN if sd.kind == SessionKind.MAIN else Stage.ADDITIONAL,
            },
        )
        sessions.append(session)
    return sessions


def session_date(session: ExamSession) -> SessionDate:
    return SessionDate(
        kind=SessionKind.MAIN if session.stage == Stage.MAIN else SessionKind.ADDITIONAL,
        date=session.date,
        override_reason=session.override_reason,
    )


def override_session_date(session: ExamSession, new_date: date, reason: str, user=None) -> list[Violation]:
    """Federal schedules change: a new date needs a reason; kept in the history."""
    problems = session.rules.calendar.validate_override(session.rule_date, new_date, reason)
    if problems:
        return problems
    session.date = new_date
    session.override_reason = reason.strip()
    session._history_user = user
    session.save()
    return []


def deadlines(session: ExamSession) -> list[tuple[str, str, date]]:
    rules = session.rules.calendar
    labels = getattr(rules, "DEADLINE_LABELS", {})
    return [(key, labels.get(key, key), value) for key, value in rules.session_deadlines(session.date).items()]


def registration_place(
    category: str, registration_org: Organization, school: Organization | None
) -> RegistrationPlaceKind:
    if registration_org.kind != OrgKind.SCHOOL:
        return RegistrationPlaceKind.MINISTRY_PLACE
    if category == Category.STUDENT:
        own = school is not None and school.pk == registration_org.pk
        return RegistrationPlaceKind.OWN_OO if own else RegistrationPlaceKind.CHOSEN_OO
    if category == Category.EXTERN:
        return RegistrationPlaceKind.CHOSEN_OO
    if category == Category.SPRAVKA:
        return RegistrationPlaceKind.REINSTATEMENT_OO
    return RegistrationPlaceKind.OWN_OO


@dataclass
class Registration:
    """What a registration form collected (the participant's personal data and the application)."""

    personal: dict
    category: str
    school: Organization | None
    grade: int | None
    class_letter: str
    form: str
    conditions: set[str]
    other_conditions: str
    documents: set[str]
    medical_indications: bool
    consent_signed_on: date | None
    pamyatka_ack: bool
    school_type: str = "regular"
    home_schooling_health: bool = False
    student_id: int | None = None


@dataclass
class RegistrationResult:
    application: Application | None
    violations: list[Violation] = field(default_factory=list)


def application_data(
    reg: Registration,
    registration_org: Organization,
    session: ExamSession,
    today: date,
    consent_revoked_on: date | None = None,
) -> ApplicationData:
    """The facts the kind's rules read. ``consent_revoked_on``: the date a consent of the same person
    (same identity document in the region) was revoked, when the consent now presented is not newer (V16)."""
    health = reg.personal.get("health_category", "")
    return ApplicationData(
        category=Category(reg.category),
        grade=reg.grade,
        ovz=health == "ovz",
        child_disabled=health == "disabled_child",
        disabled=health == "disabled",
        school_type=reg.school_type,
        home_schooling_health=reg.home_schooling_health,
        exam_form=ExamForm(reg.form),
        documents=frozenset(DocumentKind(d) for d in reg.documents),
        special_conditions=frozenset(SpecialCondition(c) for c in reg.conditions),
        other_conditions=reg.other_conditions,
        medical_indications=reg.medical_indications,
        consent_present=reg.consent_signed_on is not None,
        consent_revoked_on=consent_revoked_on,
        pamyatka_ack=reg.pamyatka_ack,
        registration_place=registration_place(reg.category, registration_org, reg.school),
        chosen_date=session.date if reg.category not in (Category.STUDENT, Category.EXTERN) else None,
        registration_date=today,
        personal_data_fields=frozenset(k for k, v in reg.personal.items() if v not in ("", None)),
        full_name=" ".join(reg.personal.get(k, "") for k in ("last_name", "first_name", "middle_name")).strip(),
        school_id=str(reg.school.pk) if reg.school is not None else None,
    )


def outside_region(registration_org: Organization, session: ExamSession):
    """п. 5.1: an application is filed at a place of registration of the session's region (the region's staff
    see the region's seats and works by their session: ``Seat``/``Work`` scope for the region)."""
    if registration_org.path.startswith(session.region.path):
        return None
    return violation("X83", field="registration_org", org=registration_org.name, region=session.region.name)


def register(
    reg: Registration, session: ExamSession, registration_org: Organization, user=None, today: date | None = None
) -> RegistrationResult:
    """Register an application: every rule is checked first (V01…), nothing is saved on any violation."""
    today = today or timezone.localdate()
    rules = session.rules.registration
    revoked_on = revocation_before(
        session.region,
        reg.personal.get("document_series", ""),
        reg.personal.get("document_number", ""),
        reg.consent_signed_on,
    )
    data = application_data(reg, registration_org, session, today, consent_revoked_on=revoked_on)
    violations = [v for v in rules.check_application(data, session_date(session)) if v.severity == "error"]
    if outside := outside_region(registration_org, session):
        violations.append(outside)
    # п. 10 (essay): an additional date takes students only as a re-admission, never by a new application
    violations += session.rules.readmission.check_direct_registration(reg.category, session.stage == Stage.ADDITIONAL)
    duplicate = Application.objects.filter(
        session__region=session.region,
        session=session,
        participant__document_series=reg.personal.get("document_series", ""),
        participant__document_number=reg.personal.get("document_number", ""),
    ).exists()
    if duplicate:
        violations.append(violation("X20", field="document_number"))
    if violations:
        return RegistrationResult(None, violations)
    with transaction.atomic():
        participant = Participant.objects.create(
            **reg.personal,
            category=reg.category,
            school=reg.school,
            grade=reg.grade,
            class_letter=reg.class_letter,
            registration_org=registration_org,
            student_id=reg.student_id,
        )
        for kind in sorted(reg.documents):
            SupportingDocument.objects.create(participant=participant, kind=kind)
        Consent.objects.create(participant=participant, operator=session.region, signed_on=reg.consent_signed_on)
        flags = {name: (cond in reg.conditions) for cond, name in CONDITION_FIELDS.items()}
        application = Application(
            participant=participant,
            registration_org=registration_org,
            session=session,
            form=reg.form,
            application_form=rules.application_form_for(reg.category).value,
            other_conditions=reg.other_conditions,
            pamyatka_ack=reg.pamyatka_ack,
            school_type=reg.school_type,
            home_schooling_health=reg.home_schooling_health,
            registered_by=user,
            **flags,
        )
        save_numbered(application, registration_org, user)
    return RegistrationResult(application)


def save_numbered(application: Application, registration_org: Organization, user=None, reason: str = "") -> None:
    """Save a new application and give it its registration number: date of the session, registration place,
    the application's own number (unique, so it needs the saved primary key)."""
    application._history_user = user
    if reason:
        application._change_reason = reason
    application.registration_number = "pending"
    application.save()
    application.registration_number = f"{application.session.date:%y%m%d}-{registration_org.code}-{application.pk:06d}"
    application.save(update_fields=["registration_number"])


@dataclass
class SubmissionResult:
    submission: Submission | None
    violations: list[Violation]


def submit_list(session: ExamSession, from_org: Organization, user=None, now=None) -> SubmissionResult:
    """Hand the list up: ОО → МОУО (п. 3.3) or МОУО → РЦОИ (п. 3.2), with the time and lateness."""
    now = now or timezone.now()
    rules = session.rules.registration
    if from_org.kind == OrgKind.SCHOOL:
        route, to_org = SubmissionRoute.OO_TO_MOUO, from_org.parent
        apps = Application.objects.filter(
            session=session, registration_org=from_org, status=ApplicationStatus.REGISTERED
        )
        new_status = ApplicationStatus.SUBMITTED_MOUO
    else:
        route = SubmissionRoute.MOUO_TO_RCOI
        to_org = Organization.objects.filter(path__startswith=session.region.path, kind=OrgKind.RCOI).first()
        apps = Application.objects.filter(
            session=session,
            registration_org__path__startswith=from_org.path,
            status__in=[ApplicationStatus.REGISTERED, ApplicationStatus.SUBMITTED_MOUO],
        )
        new_status = ApplicationStatus.SUBMITTED_RCOI
    count = apps.count()
    if count == 0:
        return SubmissionResult(None, [violation("X21")])
    # V14 (пп. 3.2, 3.3): the deadline binds the sender. Applications registered after D−14 are refused at
    # registration; a list handed up late is still accepted — refusing it would drop registered participants
    # from the exam — and the lateness is recorded on the submission (``late``) and shown to the sender.
    late = rules.check_submission(route, timezone.localdate(now), session.date)
    deadline = rules.session_deadlines(session.date)[route.value]
    with transaction.atomic():
        submission = Submission.objects.create(
            session=session,
            from_org=from_org,
            to_org=to_org,
            sent_by=user,
            applications=count,
            deadline=deadline,
            late=bool(late),
        )
        apps.update(status=new_status)
    return SubmissionResult(submission, late)


@dataclass
class Reconciliation:
    """Выверка, counted in the database. ``by_school`` and ``not_submitted`` are querysets (the page
    paginates them); the lists of problems are cut at ``SHOWN`` with their full counts beside."""

    by_school: list[dict]  # per registration place: org id, code, names, total and one count per status
    duplicates: list[tuple[str, list[Application]]]
    missing_documents: list[tuple[Application, list[str]]]
    not_submitted: object  # queryset of schools in scope without a submission for the session
    schools: int = 0
    submitted: int = 0
    duplicates_total: int = 0
    missing_total: int = 0
    applications: int = 0


RECONCILIATION_SHOWN = 200
# The fields the document rules read: the participant's and the application's own.
_PERSON_FIELDS = ("category", "grade", "health_category")
_OWN_FIELDS = ("form", "school_type", "home_schooling_health", *CONDITION_FIELDS.values())
_COMBO_FIELDS = (*(f"participant__{f}" for f in _PERSON_FIELDS), *_OWN_FIELDS)


def reconcile(session: ExamSession, user) -> Reconciliation:
    """Выверка: counts per school, duplicates across the region, applications lacking documents, schools
    that have not passed their list — all aggregated in the database (a region of 75,000 or a country)."""
    apps = Application.objects.for_user(user).filter(session=session)
    # counted over a column of the (session, place, status) index, not the primary key: the index alone answers
    counts = {f"n_{st.value}": Count("status", filter=Q(status=st.value)) for st in ApplicationStatus}
    # Per registration place the total and one count per status, from the applications alone (each carries
    # its place): one hashed pass, no join to the participants (a country: 670,000 rows, 40,000 places).
    per_org: dict[int, dict] = {
        row["registration_org"]: {"participant__registration_org": row["registration_org"], **row}
        for row in apps.order_by().values("registration_org").annotate(total=Count("*"), **counts)
    }
    # The combinations of the fields the document rules read: the applications' own fields and the participants'
    # fields, each distinct over its own table (a handful of each in a country), combined. The product holds every
    # combination that occurs (and maybe some that do not: they match nothing in ``_missing_documents``) without
    # joining 670,000 applications to their participants.
    people = list(Participant.objects.for_user(user).order_by().values_list(*_PERSON_FIELDS).distinct())
    combos = [
        {**row, **{f"participant__{f}": v for f, v in zip(_PERSON_FIELDS, values, strict=True)}}
        for row in apps.order_by().values(*_OWN_FIELDS).distinct()
        for values in people
    ]
    # The places' codes and names: the user's organizations in one narrow read (no second pass over the
    # applications, no list of 40,000 ids in the SQL); a place outside the user's directory scope by its id.
    names = list(Organization.objects.for_user(user).values_list("pk", "code", "name", "short_name").order_by())
    seen = {row[0] for row in names}
    if missing := [pk for pk in per_org if pk not in seen]:
        names += Organization.objects.filter(pk__in=missing).values_list("pk", "code", "name", "short_name")
    for pk, code, name, short in names:
        if pk not in per_org:
            continue
        per_org[pk].update(
            participant__registration_org__code=code,
            participant__registration_org__name=name,
            participant__registration_org__short_name=short,
        )
    by_school = sorted(
        per_org.values(),
        key=lambda r: (r.get("participant__registration_org__code", ""), r["participant__registration_org"]),
    )
    dup_keys = _duplicate_keys(apps)
    duplicates_total = len(dup_keys)
    duplicates = _duplicates(apps, dup_keys[:RECONCILIATION_SHOWN])
    missing, missing_total = _missing_documents(session, apps, combos)
    schools = Organization.objects.for_user(user).filter(kind=OrgKind.SCHOOL, is_active=True)
    sent = Submission.objects.for_user(user).filter(session=session).values("from_org")
    not_submitted = schools.exclude(pk__in=sent).order_by("code")
    # Both numbers in one pass over the schools: all of them, and those without a list for the session.
    n = schools.aggregate(schools=Count("pk"), not_sent=Count("pk", filter=~Q(pk__in=sent)))
    n_schools, n_not = n["schools"], n["not_sent"]
    return Reconciliation(
        by_school=by_school,
        duplicates=duplicates,
        missing_documents=missing,
        not_submitted=not_submitted,
        schools=n_schools,
        submitted=n_schools - n_not,
        duplicates_total=duplicates_total,
        missing_total=missing_total,
        applications=sum(row["total"] for row in by_school),
    )


# More identity documents than this shared by participants anywhere: the duplicates are grouped over the
# session's applications directly instead of being looked up key by key.
DUPLICATE_CANDIDATES = 2000


def _duplicate_keys(apps) -> list[dict]:
    """Identity documents (series, number) used by more than one application of ``apps``, sorted by number.

    Two applications of one session are two participants (one application per participant and session), so a
    duplicate key of the session is a key shared by participants: those few keys are found first on the
    participants' (series, number) index — an index-only scan, no hashing of the session's 670,000
    applications — and only they are counted over the (scoped) applications."""
    shared = list(
        Participant.objects.order_by()
        .values_list("document_series", "document_number")
        .annotate(n=Count("*"))  # not Count("pk"): the index alone answers (an index-only scan)
        .filter(n__gt=1)
        .values_list("document_series", "document_number")[: DUPLICATE_CANDIDATES + 1]
    )
    keys = apps.order_by().values("participant__document_series", "participant__document_number")
    if len(shared) <= DUPLICATE_CANDIDATES:
        if not shared:
            return []
        keys = keys.filter(
            reduce(
                or_,
                (
                    Q(participant__document_series=series, participant__document_number=number)
                    for series, number in shared
                ),
            )
        )
    keys = keys.annotate(n=Count("pk")).filter(n__gt=1).order_by()
    return sorted(keys, key=lambda k: (k["participant__document_number"], k["participant__document_series"]))


def _duplicates(apps, keys: list[dict]) -> list[tuple[str, list[Application]]]:
    """The applications behind the shown duplicate keys, read in one query (not one per key)."""
    if not keys:
        return []
    rows = (
        apps.filter(
            reduce(
                or_,
                (
                    Q(
                        participant__document_series=k["participant__document_series"],
                        participant__document_number=k["participant__document_number"],
                    )
                    for k in keys
                ),
            )
        )
        .select_related("participant", "participant__registration_org")
        .order_by("pk")
    )
    by_key: dict[tuple[str, str], list[Application]] = {}
    for app in rows:
        by_key.setdefault((app.participant.document_series, app.participant.document_number), []).append(app)
    out = []
    for k in keys:
        series, number = k["participant__document_series"], k["participant__document_number"]
        out.append((f"{series} {number}".strip(), by_key.get((series, number), [])))
    return out


def _missing_documents(
    session: ExamSession, apps, combos: list[dict]
) -> tuple[list[tuple[Application, list[str]]], int]:
    """Applications lacking a document their combination needs, in ONE query however many combinations need
    documents. The rules decide per combination of the fields they read (a handful of distinct combinations
    in a region or a country), the database finds the applications of those combinations that miss one of
    their documents (an ``EXISTS`` per document kind, probed only for the rows of such combinations)."""
    rules = session.rules.registration
    needs: dict[tuple[str, ...], list[dict]] = {}  # needed kinds → the combinations that need exactly them
    for combo in combos:
        a = Application(
            form=combo["form"],
            school_type=combo["school_type"],
            home_schooling_health=combo["home_schooling_health"],
            **{f: combo[f] for f in CONDITION_FIELDS.values()},
        )
        a.participant = Participant(
            category=combo["participant__category"],
            grade=combo["participant__grade"],
            health_category=combo["participant__health_category"],
        )
        need = tuple(sorted(d.value for d in rules.required_documents(_app_data_from(a))))
        if need:
            needs.setdefault(need, []).append(combo)
    if not needs:
        return [], 0
    kinds = sorted({k for need in needs for k in need})
    documents = SupportingDocument.objects.filter(participant=OuterRef("participant"))
    has = {f"has_{k}": Exists(documents.filter(kind=k)) for k in kinds}
    # Per (needed kinds, participant's fields) the applications' fields that need them: the participant's fields
    # are tested once per branch, not once per combination (the combinations are a product of two sets).
    branches: dict[tuple, list[dict]] = {}
    for need, combos_of_need in needs.items():
        for c in combos_of_need:
            key = tuple((f, c[f"participant__{f}"]) for f in _PERSON_FIELDS)
            branches.setdefault((need, key), []).append({f: c[f] for f in _OWN_FIELDS})
    lacking_q = reduce(
        or_,
        (
            Q(**{f"participant__{f}": v for f, v in key})
            & reduce(or_, (Q(**own) for own in owns))
            & reduce(or_, (Q(**{f"has_{k}": False}) for k in need))
            for (need, key), owns in branches.items()
        ),
    )
    # The participants whose own fields make some application need a document (ОВЗ, disability … — a few in a
    # hundred): the database starts from them instead of probing every application's participant.
    keys = sorted({key for _, key in branches}, key=str)
    concerned = Participant.objects.filter(reduce(or_, (Q(**dict(key)) for key in keys)))
    lacking = apps.filter(participant__in=concerned.values("pk")).annotate(**has).filter(lacking_q)
    need_of = {_combo_key(combo): need for need, combos in needs.items() for combo in combos}
    # The first rows and the number of all of them in one query (a window count before the LIMIT).
    rows = list(
        lacking.annotate(lacking_total=Window(Count("pk")))
        .select_related("participant")
        .order_by("pk")[:RECONCILIATION_SHOWN]
    )
    shown = []
    for app in rows:
        need = need_of[_combo_key(_combo_of(app))]
        shown.append((app, [k for k in need if not getattr(app, f"has_{k}")]))
    return shown, (rows[0].lacking_total if rows else 0)


def _combo_of(app: Application) -> dict:
    p = app.participant
    return {
        **{f"participant__{f}": getattr(p, f) for f in _PERSON_FIELDS},
        **{f: getattr(app, f) for f in _OWN_FIELDS},
    }


def _combo_key(combo: dict) -> tuple:
    return tuple(combo[f] for f in _COMBO_FIELDS)


def _app_data_from(a: Application) -> ApplicationData:
    p = a.participant
    conditions = {cond for cond, name in CONDITION_FIELDS.items() if getattr(a, name)}
    return ApplicationData(
        category=Category(p.category),
        grade=p.grade,
        ovz=p.health_category == "ovz",
        child_disabled=p.health_category == "disabled_child",
        disabled=p.health_category == "disabled",
        exam_form=ExamForm(a.form),
        school_type=a.school_type,
        home_schooling_health=a.home_schooling_health,
        special_conditions=frozenset(conditions),
    )


@transaction.atomic
def revoke_consent(consent: Consent, revoked_on: date, document: str, user=None) -> int:
    """Приложение 3 (A42): consent is revoked by a written application; processing stops (V16),
    so the participant's applications are withdrawn. Returns how many were withdrawn."""
    if not document.strip():
        raise ValueError("Укажите реквизиты письменного заявления об отзыве согласия.")
    consent.status = "revoked"
    consent.revoked_on = revoked_on
    consent.revocation_document = document.strip()[:300]
    consent._history_user = user
    consent.save()
    withdrawn = 0
    for app in consent.participant.applications.exclude(status=ApplicationStatus.WITHDRAWN):
        app.status = ApplicationStatus.WITHDRAWN
        app._history_user = user
        app.save()
        withdrawn += 1
    return withdrawn


# ---------------------------------------------------------------- V16: no processing after the revocation (A42)


def revoked_participants():
    """Participants whose consent is revoked and who have no consent in force: a subquery for
    ``.exclude(participant__in=…)`` inside an already scoped query."""
    return (
        Participant.objects.filter(consents__status=ConsentStatus.REVOKED)
        .exclude(consents__status=ConsentStatus.ACTIVE)
        .values("pk")
    )


def consent_revoked_on(participant: Participant) -> date | None:
    """The date of the revocation when the participant has no consent in force, else None."""
    consents = list(participant.consents.all())
    if not consents or any(c.status == ConsentStatus.ACTIVE for c in consents):
        return None
    return max((c.revoked_on for c in consents if c.revoked_on), default=None)


def check_processing(participant: Participant) -> list[Violation]:
    """V16 (приложение 3, A42): «обработка невозможна» once the consent is revoked — for every action
    on the participant's personal data (edits, exports, seating, re-admission)."""
    revoked = consent_revoked_on(participant)
    if revoked is None:
        return []
    return [violation("V16", field="consent", date=revoked.strftime("%d.%m.%Y"))]


def revocation_before(region: Organization, series: str, number: str, signed_on: date | None) -> date | None:
    """A new application of a person (same identity document in the region) whose consent was revoked
    needs a consent signed after the revocation; otherwise the revocation date (V16)."""
    if not number:
        return None
    revoked = (
        Consent.objects.filter(
            participant__registration_org__path__startswith=region.path,
            participant__document_series=series,
            participant__document_number=number,
            status=ConsentStatus.REVOKED,
            revoked_on__isnull=False,
        )
        .order_by("-revoked_on")
        .values_list("revoked_on", flat=True)
        .first()
    )
    if revoked is None or (signed_on is not None and signed_on > revoked):
        return None
    return revoked
