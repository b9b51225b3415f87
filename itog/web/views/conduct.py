"""Pages of the second half of the essay procedure: the exam day, checking, transfer of marks,
results and the public lookup, re-checks, re-admission and storage (sections D–I).

Domain data is read only through the scoping layer; every refusal shows the rule's message,
changes nothing and is logged (``services.log_refusal``).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from itog.accounts.scope import grants_of, has_perm, may_in, scoped_get
from itog.audit.services import record_export
from itog.conduct import services as S
from itog.conduct.documents import table_pdf
from itog.conduct.models import (
    ChainTask,
    DestructionAct,
    Handover,
    RecheckCase,
    RecheckStatus,
    StorageItem,
    TransferAppointment,
    Work,
    WorkStatus,
)
from itog.conduct.results.lookup import lookup_view_answer
from itog.exams.common import FAIL, PASS, RESULT_CHOICES, fmt_date
from itog.exams.models import Application, Commission, ExamSession, Seat, Stage
from itog.exams.printing import PrintRefused, latest_seating
from itog.exams.violations import violation
from itog.orgs.models import Organization, Place

from ..access import requires
from ..forms import StyledMixin
from ..list_specs import RESULTS
from ..lists import export, list_or_export
from ..params import key_of, keys_of
from ..security import download_name
from ..templatetags.itog_text import ru_code

MARK_CHOICES = RESULT_CHOICES


def _refused(request, exc: S.Refused, what: str, form=None, region_path: str = ""):
    S.log_refusal(request, exc, what, region_path)
    if form is not None:
        for v in exc.violations:
            field = v.field if v.field in form.fields else None
            form.add_error(field, f"{v.message}")
    else:
        for v in exc.violations:
            messages.error(request, v.message)


def _session(request, pk, page: str | None = None):
    """The session in the user's scope; ``page`` (a key of ``kinds.base.SESSION_PAGES``): refused in the
    kind's words when the session's kind does not have that page (no link leads there; a typed URL)."""
    session = scoped_get(ExamSession, request.user, pk=pk)
    if page is not None:
        session.rules.check_page(page)
    return session


# ==================================================================== exam day


def _venues(request, session):
    """Venues of the session's seating the user may record the exam day for."""
    try:
        run = latest_seating(session)
    except PrintRefused:
        return [], None
    venue_ids = Seat.objects.for_user(request.user, "examday:view").filter(run=run).values("venue_id")
    places = Place.objects.for_user(request.user).filter(pk__in=venue_ids).select_related("organization")
    return sorted(places, key=lambda p: p.name), run


@requires("examday:view")
def session_day(request, pk):
    session = _session(request, pk, "day")
    venues, run = _venues(request, session)
    venue = next((v for v in venues if str(v.pk) == request.GET.get("venue")), venues[0] if venues else None)
    rooms, topics = [], []
    if venue is not None:
        topics = S.topics_for(session, venue)
        rooms = (
            Seat.objects.for_user(request.user, "examday:view")
            .filter(run=run, venue=venue)
            .values("room_id", "room__number")
            .annotate(n=Count("pk"), recorded=Count("application__day_record"))
            .order_by("room__number")
        )
    return render(
        request,
        "web/conduct/day.html",
        {
            "session": session,
            "venues": venues,
            "venue": venue,
            "rooms": rooms,
            "topics": topics,
            "local_now": S.local_now(S.venue_zone(venue)) if venue else None,
            "can_edit": has_perm(request.user, "examday:edit"),
            "handovers": Handover.objects.for_user(request.user).filter(session=session).order_by("-handed_at")[:50],
        },
    )


class ZSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", "проставлен"), ("false", "не проставлен")]


class DayRecordForm(StyledMixin, forms.Form):
    state = forms.ChoiceField(label="Состояние", choices=())
    has_id_document = forms.BooleanField(label="Документ предъявлен", required=False, initial=True)
    identity_act = forms.CharField(label="Акт идентификации личности (№, кем составлен)", required=False)
    late = forms.BooleanField(label="Опоздал", required=False)
    valid_reason_document = forms.CharField(label="Документ об уважительной причине", required=False)
    is05_marked = forms.BooleanField(label="Отметка в ИС-05", required=False)
    is05_signed = forms.BooleanField(label="Подпись участника в ИС-05", required=False)
    is08_act = forms.CharField(label="Акт ИС-08 №", required=False)
    is09_act = forms.CharField(label="Акт ИС-09 №", required=False)
    is09_by_head = forms.BooleanField(label="ИС-09 составлен руководителем", required=False)
    member_signature = forms.BooleanField(label="Подпись члена комиссии в бланке регистрации", required=False)
    blanks_used = forms.IntegerField(label="Бланков записи", required=False, min_value=0, max_value=99)
    blank_count = forms.IntegerField(
        label="Поле «Количество бланков»",
        required=False,
        min_value=0,
        max_value=99,
        help_text="Бланки записи, включая дополнительные (п. 7.11.3)",
    )
    end_time = forms.TimeField(
        label="Время окончания (местное), если иное",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    breaks_min = forms.IntegerField(label="Перерывы, мин", required=False, min_value=0, max_value=300)
    z_marked = forms.NullBooleanField(label="«Z» на незаполненных полях", required=False, widget=ZSelect())
    # п. 7.11.3 (V44, V45): what the organizer reads on the collected blanks; checked, not stored.
    writing_codes = forms.CharField(
        label="Коды работы на бланках записи",
        required=False,
        max_length=400,
        help_text="По порядку, через запятую, включая дополнительные бланки (п. 7.11.3)",
    )
    topic_no = forms.CharField(label="Номер темы (текста) на бланке записи", required=False, max_length=10)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = session.rules.examday.DayState.choices()  # the kind's day states


DAY_EXTRA = ("blanks_used", "blank_count", "end_time", "breaks_min", "z_marked")


def _seat_or_404(request, session, **lookup):
    """A seat of the session's latest seating in a venue whose exam day the user may see (else 404):
    exam-day records belong to the venue's organization, not to the participant's."""
    seat = (
        Seat.objects.for_user(request.user, "examday:view")
        .filter(run=latest_seating(session), **lookup)
        .select_related("venue__organization", "room", "application__participant", "application__session")
        .first()
    )
    if seat is None:
        raise Http404("Запись не найдена")
    return seat


def _room_or_404(request, session, room_pk):
    seat = _seat_or_404(request, session, room_id=room_pk)
    return seat.venue, seat.room


@requires("examday:view")
def day_room(request, pk, room_pk):
    """The room's ИС-05 register: one line per participant, saved line by line (tablet-friendly)."""
    session = _session(request, pk, "day")
    venue, room = _room_or_404(request, session, room_pk)
    roster = S.room_roster(session, request.user, venue, room)
    rows = []
    for seat, app, rec in roster:
        initial = (
            {"state": rec.state, **{f: getattr(rec, f) for f in S.DAY_FLAGS + S.DAY_TEXTS + DAY_EXTRA}}
            if rec
            else {"state": "finished", "has_id_document": True}
        )
        rows.append((seat, app, rec, DayRecordForm(initial=initial, prefix=f"a{app.pk}", session=session)))
    return render(
        request,
        "web/conduct/room.html",
        {
            "session": session,
            "venue": venue,
            "room": room,
            "rows": rows,
            "source": "paper" if request.GET.get("source") == "paper" else "venue",
            "can_edit": may_in(request.user, "examday:edit", venue.organization),
            "blanks_total": sum((r.blanks_used or 0) for _, _, r in roster if r),
        },
    )


@requires("examday:edit")
@require_POST
def day_record(request, pk, app_pk):
    session = _session(request, pk, "day")
    seat = _seat_or_404(request, session, application_id=app_pk)
    if not may_in(request.user, "examday:edit", seat.venue.organization):
        raise PermissionDenied("Недостаточно прав")
    form = DayRecordForm(request.POST, prefix=f"a{app_pk}", session=session)
    saved = None
    if form.is_valid():
        try:
            saved = S.record_day(
                seat.application,
                seat,
                form.cleaned_data,
                request.user,
                entered_from="paper" if request.POST.get("entered_from") == "paper" else "venue",
            )
        except S.Refused as exc:
            _refused(request, exc, f"ИС-05, участник {seat.application.registration_number}", form, session.region.path)
    ctx = {
        "session": session,
        "seat": seat,
        "app": seat.application,
        "rec": saved,
        "form": form,
        "can_edit": True,
        "saved": saved is not None,
        "source": "paper" if request.POST.get("entered_from") == "paper" else "venue",
    }
    if request.htmx:
        return render(request, "web/conduct/_room_row.html", ctx)
    if saved:
        messages.success(request, "Сохранено.")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("day_room", pk=session.pk, room_pk=seat.room_id)


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class VenueDayForm(StyledMixin, forms.Form):
    """The venue's day journal (local time of the venue): пп. 7.7, 7.11.1(3), 7.11.3."""

    staff_briefing = _time_field("Инструктаж организаторов (не ранее 8:15)")
    medic_present = _time_field("Медицинский работник прибыл (к 9:00)")
    participants_seated = _time_field("Вход и размещение участников завершены (не позднее 9:40)")
    kits_to_organizers = _time_field("Выдача комплектов организаторам (не ранее 9:45)")
    briefing_part1 = _time_field("Первая часть инструктажа (не ранее 9:50)")
    briefing_part2 = _time_field("Вторая часть инструктажа (не ранее 10:00)")
    writing_start = _time_field("Время начала, записанное на доске")
    last_exit = _time_field("Выход последнего участника")
    medic_left = _time_field("Медицинский работник ушел")


class VisitorForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(label="Кто", choices=())
    full_name = forms.CharField(label="ФИО", max_length=300)
    id_document = forms.CharField(label="Документ, удостоверяющий личность", required=False, max_length=200)
    authority_document = forms.CharField(label="Документ, подтверждающий полномочия", required=False, max_length=200)
    arrived_at = _time_field("Время прибытия")

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = session.rules.examday.VisitorKind.choices()


def _venue_or_404(request, session, venue_pk):
    venues, _ = _venues(request, session)
    venue = next((v for v in venues if v.pk == venue_pk), None)
    if venue is None:
        raise Http404("Место проведения не найдено")
    return venue


@requires("examday:view")
def venue_day(request, pk, venue_pk):
    """The venue's day journal: the times of п. 7.7, 7.11.1(3), 7.11.3 in local time (V35, V36, V38 refused;
    V39, V53 warnings kept with the record) and the visitors admitted (п. 7.8, V43)."""
    from itog.conduct.models import VenueDay, Visitor

    session = _session(request, pk, "day")
    venue = _venue_or_404(request, session, venue_pk)
    can_edit = may_in(request.user, "examday:edit", venue.organization)
    record = VenueDay.objects.for_user(request.user).filter(session=session, venue=venue).first()
    times = VenueDayForm(initial={f: getattr(record, f) for f in VenueDayForm.base_fields} if record else None)
    visitor_form = VisitorForm(session=session)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Недостаточно прав")
        if request.POST.get("action") == "visitor":
            visitor_form = VisitorForm(request.POST, session=session)
            if visitor_form.is_valid():
                d = visitor_form.cleaned_data
                try:
                    S.record_visitor(
                        session,
                        venue,
                        d["kind"],
                        d["full_name"],
                        d["id_document"],
                        d["authority_document"],
                        request.user,
                        d["arrived_at"],
                    )
                except S.Refused as exc:
                    _refused(request, exc, f"Допуск в место проведения {venue.name}", visitor_form, session.region.path)
                else:
                    messages.success(request, f"Допущен(а): {d['full_name']}.")
                    return redirect("venue_day", pk=session.pk, venue_pk=venue.pk)
        else:
            times = VenueDayForm(request.POST)
            if times.is_valid():
                try:
                    _, warnings = S.record_venue_day(session, venue, times.cleaned_data, request.user)
                except S.Refused as exc:
                    _refused(request, exc, f"Журнал дня {venue.name}", times, session.region.path)
                else:
                    messages.success(request, "Журнал дня сохранен.")
                    for w in warnings:
                        messages.warning(request, w.message)
                    return redirect("venue_day", pk=session.pk, venue_pk=venue.pk)
    kinds = dict(session.rules.examday.VisitorKind.choices())
    return render(
        request,
        "web/conduct/venue_day.html",
        {
            "session": session,
            "venue": venue,
            "record": record,
            "times": times,
            "visitor_form": visitor_form,
            "can_edit": can_edit,
            "local_now": S.local_now(S.venue_zone(venue)),
            "visitors": [
                (v, kinds.get(v.kind, v.kind))
                for v in Visitor.objects.for_user(request.user)
                .filter(session=session, venue=venue)
                .order_by("arrived_at")
            ],
        },
    )


class HandoverForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(label="Что передано", choices=Handover._meta.get_field("kind").choices)
    venue = forms.ModelChoiceField(label="Место проведения", queryset=Place.objects.for_user(None), required=False)
    from_person = forms.CharField(label="Передал (ФИО, должность)")
    to_person = forms.CharField(label="Принял (ФИО, должность)")
    handed_at = forms.DateTimeField(
        label="Дата и время",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    works = forms.IntegerField(label="Количество работ", min_value=0)


@requires("examday:edit")
def session_handover(request, pk):
    """Custody hand-overs (п. 7.11.1(3), 8.1.1, 9.1.1): who, to whom, when."""
    session = _session(request, pk, "handover")
    org = (
        Organization.objects.for_user(request.user)
        .filter(pk__in=[g.org_id for g in grants_of(request.user) if "examday:edit" in g.permissions])
        .first()
    )
    if org is None:
        raise PermissionDenied("Недостаточно прав")
    form = HandoverForm(request.POST or None, initial={"handed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    form.fields["venue"].queryset = Place.objects.for_user(request.user).filter(kind="venue")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            h = S.record_handover(
                session,
                request.user,
                org,
                d["venue"],
                d["kind"],
                d["from_person"],
                d["to_person"],
                d["handed_at"],
                d["works"],
            )
        except S.Refused as exc:
            _refused(request, exc, "Передача бланков", form, session.region.path)
        else:
            if h.late_reason:
                messages.warning(request, f"Передача записана с нарушением срока: {h.late_reason}")
            else:
                messages.success(request, "Передача записана.")
            return redirect("session_day", pk=session.pk)
    return render(
        request,
        "web/conduct/handover.html",
        {"session": session, "form": form, "org": org, "deadlines": S.checking_deadlines(session)},
    )


# ==================================================================== checking


class ExpertBriefingForm(StyledMixin, forms.Form):
    """п. 8.1, 8.1.3: the experts' briefing by the head of the checking commission."""

    commission = forms.ModelChoiceField(label="Комиссия по проверке", queryset=Commission.objects.none())
    place = forms.ModelChoiceField(label="Место проверки", queryset=Place.objects.none())
    held_on = forms.DateField(label="Дата", widget=forms.DateInput(attrs={"type": "date"}))
    started_at = _time_field("Начало инструктажа")
    ended_at = _time_field("Окончание инструктажа")

    def __init__(self, *args, session, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = Commission.objects.for_user(user).filter(session=session, kind="check")
        self.fields["place"].queryset = Place.objects.for_user(user).filter(kind="checking", is_active=True)
        self.fields["started_at"].required = self.fields["ended_at"].required = True


@requires("works:assign")
def session_checking(request, pk):
    """РЦОИ: works to checking, assignment to experts, an expert leaving; the deadlines (п. 8.1, 9.1.1)."""
    session = _session(request, pk, "checking")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "leave":
                result = S.expert_leaves(session, key_of(request.POST.get("expert")) or 0, request.user)
                messages.success(
                    request, f"Работы эксперта переданы другим экспертам: назначено {len(result.assignments)}."
                )
            elif request.POST.get("action") == "briefing":
                form = ExpertBriefingForm(request.POST, session=session, user=request.user)
                if not form.is_valid():
                    for errors in form.errors.values():
                        for e in errors:
                            messages.error(request, e)
                    return redirect("session_checking", pk=session.pk)
                d = form.cleaned_data
                S.record_expert_briefing(
                    session, d["commission"], d["place"], d["held_on"], d["started_at"], d["ended_at"], request.user
                )
                messages.success(request, "Инструктаж экспертов записан.")
                return redirect("session_checking", pk=session.pk)
            else:
                # п. 8.1.3 (V55): copies go to the experts only after their briefing of at least 30 minutes.
                S.refuse_if(S.briefing_missing(session))
                result = S.assign_experts(session, request.user)
                messages.success(request, f"Назначено работ: {len(result.assignments)}.")
            for _work_id, reason in result.unassigned[:20]:
                messages.error(request, f"Работа не назначена: {reason}")
        except S.Refused as exc:
            _refused(request, exc, "Назначение экспертов", region_path=session.region.path)
        return redirect("session_checking", pk=session.pk)
    works = Work.objects.for_user(request.user).filter(session=session)
    by_status = dict(works.values_list("status").annotate(n=Count("pk")))
    load = (
        works.exclude(expert=None)
        .values(
            "expert_id",
            "expert__last_name",
            "expert__first_name",
            "expert__middle_name",
            "expert__organization__short_name",
        )
        .annotate(n=Count("pk"), done=Count("pk", filter=~Q(checked_at=None)))
        .order_by("expert__last_name")
    )
    from itog.conduct.models import ExpertBriefing

    return render(
        request,
        "web/conduct/checking.html",
        {
            "session": session,
            "briefing_form": ExpertBriefingForm(session=session, user=request.user),
            "briefings": ExpertBriefing.objects.for_user(request.user)
            .filter(session=session)
            .select_related("commission__organization", "place"),
            "briefing_missing": S.briefing_missing(session),
            "by_status": [(WorkStatus(k).label, v) for k, v in by_status.items()],
            "total": sum(by_status.values()),
            "load": load,
            "deadlines": S.checking_deadlines(session),
            "blocked": works.filter(status=WorkStatus.BLOCKED)[:100],
        },
    )


@requires("works:mark")
def my_works(request):
    works = Work.objects.for_user(request.user, "mark").select_related("session").order_by("checked_at", "work_code_id")
    return render(request, "web/conduct/my_works.html", {"works": works})


def marks_form(criteria, data=None, prefix=None):
    fields = {}
    for r in criteria.requirements:
        fields[r.code] = forms.ChoiceField(
            label=f"Требование «{r.title}»", choices=MARK_CHOICES, required=False, widget=forms.RadioSelect
        )
    for c in criteria.criteria:
        fields[c.code] = forms.ChoiceField(
            label=f"{ru_code(c.code)} «{c.title}»" + (" (обязательный)" if c.mandatory else ""),
            choices=MARK_CHOICES,
            required=False,
            widget=forms.RadioSelect,
        )
    form_class = type("MarksForm", (StyledMixin, forms.Form), fields)
    return form_class(data, prefix=prefix)


def _split(criteria, cleaned: dict) -> tuple[dict, dict]:
    req = {r.code: cleaned.get(r.code) for r in criteria.requirements if cleaned.get(r.code)}
    marks = {c.code: cleaned.get(c.code) for c in criteria.criteria if cleaned.get(c.code)}
    return req, marks


@requires("works:mark")
def work_check(request, pk):
    """The expert's screen: the work code only (never the participant's name), requirements and criteria,
    the aggregation computed and shown, submit once (п. 8.1.4)."""
    work = scoped_get(Work.objects.select_related("session", "application"), request.user, "mark", pk=pk)
    own = S.own_school_refusal(work, request.user)
    if own is not None:  # п. 8.1.3 (V56): not even opened
        _refused(request, own, f"Открытие работы {work.code}", region_path=work.session.region.path)
        return render(request, "web/conduct/refused.html", {"violations": own.violations}, status=403)
    criteria = S.marks_form_spec(work.session, work.application.form)
    submitted = work.checked_at is not None
    form = marks_form(criteria, request.POST or None) if not submitted or request.method == "POST" else None
    outcome = confirm = None
    if request.method == "POST" and form.is_valid():
        req, marks = _split(criteria, form.cleaned_data)
        if submitted or request.POST.get("confirm") == "1":
            try:
                outcome = S.submit_expert_marks(work, request.user, req, marks)
            except S.Refused as exc:
                _refused(request, exc, f"Оценивание работы {work.code}", form, work.session.region.path)
            else:
                messages.success(request, f"Оценки по работе {work.code} переданы: «{outcome.overall}».")
                return redirect("work_check", pk=work.pk)
        else:
            # п. 8.1.4: the marks are submitted once and cannot be changed — the expert confirms them first.
            confirm = {
                "rows": _mark_rows(criteria, {**req, **marks}),
                "overall": work.session.rules.checking.aggregate(criteria, req, marks),
                "hidden": [(k, v) for k, v in {**req, **marks}.items() if v],
            }
    return render(
        request,
        "web/conduct/check.html",
        {
            "work": work,
            "form": form,
            "criteria": criteria,
            "outcome": outcome,
            "confirm": confirm,
            "submitted": _mark_rows(criteria, {**work.expert_requirements, **work.expert_marks}) if submitted else None,
            "criteria_requirements": json.dumps([r.code for r in criteria.requirements]),
            "criteria_mandatory": json.dumps([c.code for c in criteria.criteria if c.mandatory]),
            "criteria_optional": json.dumps([c.code for c in criteria.criteria if not c.mandatory]),
        },
    )


def _mark_rows(criteria, values: dict) -> list[tuple[str, str]]:
    """(label, mark) for the requirements and criteria in their order, «—» where none was given."""
    rows = [(f"Требование «{r.title}»", values.get(r.code) or "—") for r in criteria.requirements]
    rows += [(f"{ru_code(c.code)} «{c.title}»", values.get(c.code) or "—") for c in criteria.criteria]
    return rows


@requires("works:transfer")
def session_transfer(request, pk):
    session = _session(request, pk, "transfer")
    works = (
        Work.objects.for_user(request.user, "transfer")
        .filter(session=session)
        .filter(status__in=[WorkStatus.CHECKED, WorkStatus.BLOCKED, WorkStatus.TRANSFERRED])
        .order_by("status", "work_code_id")
    )
    return render(
        request,
        "web/conduct/transfer_list.html",
        {"session": session, "works": works[:500], "deadlines": S.checking_deadlines(session)},
    )


@requires("works:transfer")
def work_transfer(request, pk):
    """The authorized person's independent entry from the copy into the original (п. 8.1.2); the expert's
    marks are not shown, so the entry is a real second reading."""
    work = scoped_get(Work.objects.select_related("session", "application"), request.user, "transfer", pk=pk)
    criteria = S.marks_form_spec(work.session, work.application.form)
    form = marks_form(criteria, request.POST or None)
    if request.method == "POST" and form.is_valid():
        req, marks = _split(criteria, form.cleaned_data)
        try:
            mismatch = S.transfer_marks(work, request.user, req, marks)
        except S.Refused as exc:
            _refused(request, exc, f"Перенос оценок работы {work.code}", form, work.session.region.path)
        else:
            if mismatch:
                messages.error(
                    request,
                    "Расхождение с оценками эксперта: "
                    + ", ".join(mismatch)
                    + ". Работа заблокирована до устранения: сверьте копию и внесите оценки заново.",
                )
                return redirect("work_transfer", pk=work.pk)
            messages.success(request, f"Оценки работы {work.code} перенесены в оригинал.")
            return redirect("session_transfer", pk=work.session_id)
    return render(request, "web/conduct/transfer.html", {"work": work, "form": form})


# ==================================================================== results


@requires("works:view")
def session_results(request, pk):
    session = _session(request, pk)
    if request.method == "POST":
        if not has_perm(request.user, "works:publish"):
            raise PermissionDenied("Недостаточно прав")
        try:
            if request.POST.get("action") == "processed":
                S.mark_processed(session, request.user)
                messages.success(request, "Обработка бланков отмечена завершенной.")
            else:
                day = S.publish(session, request.user)
                messages.success(request, f"Результаты опубликованы; ознакомление — {day:%d.%m.%Y} (п. 11).")
        except S.Refused as exc:
            _refused(request, exc, "Публикация результатов", region_path=session.region.path)
        return redirect("session_results", pk=session.pk)
    ctx = list_or_export(request, RESULTS, session=session.pk)
    if not isinstance(ctx, dict):
        return ctx
    # The summary cards count every visible work in the database (not the page, not a cut); the same GROUP BY
    # (registration place × result) gives the places when nothing is filtered: one pass over a country's works.
    counts, places = results_by_place(S.visible_works(request.user, session))
    fs = ctx["filter"]
    narrowed = (
        fs.is_bound
        and fs.form.is_valid()
        and any(v not in (None, "", [], ()) for k, v in fs.form.cleaned_data.items() if k != "sort")
    )
    if narrowed:
        matching = fs.qs.order_by()
        schools = Organization.objects.for_user(request.user).filter(
            pk__in=matching.values("application__registration_org")
        )
        n_schools = schools.count()
    else:
        n_schools = len(places)
        schools = Organization.objects.for_user(request.user).filter(pk__in=sorted(places)[: FAMILIARIZATION_LINKS + 1])
    ctx.update(
        {
            "session": session,
            "works": ctx["page"],
            "counts": counts,
            "total": sum(n for _, n in counts),
            "schools": schools.order_by("code") if n_schools <= FAMILIARIZATION_LINKS else None,
            "n_schools": n_schools,
            "familiarization_limit": FAMILIARIZATION_LINKS,
            "blockers": S.processing_blockers(session) if has_perm(request.user, "works:publish") else [],
            "can_publish": has_perm(request.user, "works:publish"),
            "can_file": has_perm(request.user, "rechecks:file"),
            "visible": S.results_visible(session),
        }
    )
    return render(request, "web/conduct/results.html", ctx)


# More schools than this: the familiarization sheets are listed once the list is narrowed (a municipality).
FAMILIARIZATION_LINKS = 120
RESULT_ORDER = {"зачет": 0, "незачет": 1, "": 2}


def results_by_place(works) -> tuple[list[tuple[str, int]], set[int]]:
    """(result, count) over the given works and the registration places they come from, from one GROUP BY
    (place × result) in the database: at most a few rows a place."""
    totals: dict[str, int] = {}
    places: set[int] = set()
    rows = works.order_by().values_list("application__registration_org", "result").annotate(n=Count("pk"))
    for org, result, n in rows:
        totals[result or ""] = totals.get(result or "", 0) + n
        places.add(org)
    return sorted(totals.items(), key=lambda rn: (RESULT_ORDER.get(rn[0], 3), rn[0])), places


def results_summary(works) -> list[tuple[str, int]]:
    """(result, count) over the given works, counted by one GROUP BY in the database."""
    rows = works.order_by().values_list("result").annotate(n=Count("pk"))
    return sorted(((r or "", n) for r, n in rows), key=lambda rn: (RESULT_ORDER.get(rn[0], 3), rn[0]))


@requires("works:export")
def results_export(request, pk):
    """Results as XLSX for the user's schools / municipality (personal data: logged) — what is filtered."""
    session = _session(request, pk)
    return export(request, RESULTS, session=session.pk)


@requires("works:view")
def familiarization_sheet(request, pk, org_pk):
    """Лист ознакомления с результатами под подпись (п. 11) for one ОО / registration place."""
    session = _session(request, pk)
    org = scoped_get(Organization, request.user, pk=org_pk)
    works = (
        S.visible_works(request.user, session)
        .filter(application__registration_org=org)
        .select_related("application__participant")
        .order_by("application__participant__last_name")
    )
    rows = [
        [i, w.application.participant.full_name, w.code, w.result or "—", "", ""] for i, w in enumerate(works, start=1)
    ]
    if not rows:
        raise Http404("Результатов для ознакомления нет")
    pdf = table_pdf(
        f"Лист ознакомления с результатами — {session.rules.label} {fmt_date(session.date)}",
        [org.name, f"Дата ознакомления: {session.results_date:%d.%m.%Y} (п. 11 Порядка)"],
        ["№", "ФИО участника", "Код работы", "Результат", "Дата", "Подпись"],
        rows,
        [10, 70, 30, 25, 22, 23],
        ["Руководитель ОО (места регистрации)"],
    )
    record_export(request, f"Лист ознакомления {org.short_name or org.name}", len(rows), True, "pdf")
    resp = HttpResponse(pdf, content_type="application/pdf")
    download_name(resp, f"familiarization-{org.code}.pdf", inline=True)
    return resp


def results_lookup(request):
    """The participant's public lookup: work code + document number (п. 11); rate-limited, the same answer
    for every kind of failure."""
    ctx = lookup_view_answer(request)
    return render(request, "web/conduct/lookup.html", ctx, status=ctx.pop("status", 200))


# ==================================================================== re-check and перепроверка


class RecheckForm(StyledMixin, forms.Form):
    copies = forms.IntegerField(label="Экземпляров заявления", min_value=1, max_value=5, initial=2)
    certified_by = forms.CharField(label="Удостоверено руководителем ОО (ФИО)", required=False)


@requires("rechecks:file")
def work_recheck(request, pk):
    """The school registers a student's application for a re-check (п. 8.2.1)."""
    work = scoped_get(
        Work.objects.select_related("session", "application__participant__registration_org"), request.user, pk=pk
    )
    if not S.results_visible(work.session):
        raise Http404("Результаты еще не объявлены")
    form = RecheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = S.file_recheck(
                work, request.user, timezone.now(), form.cleaned_data["copies"], form.cleaned_data["certified_by"] or ""
            )
        except S.Refused as exc:
            _refused(request, exc, f"Заявление о повторной проверке {work.code}", form, work.session.region.path)
        else:
            messages.success(request, "Заявление о повторной проверке принято; сроки передачи — в карточке дела.")
            return redirect("recheck_detail", pk=case.pk)
    deadline = work.session.rules.recheck.recheck_deadline(
        work.session.results_date, work.application.participant.registration_org.time_zone
    )
    return render(request, "web/conduct/recheck_new.html", {"work": work, "form": form, "deadline": deadline})


@requires("rechecks:view")
def recheck_list(request):
    cases = RecheckCase.objects.for_user(request.user).select_related(
        "work", "work__session", "work__application__participant"
    )
    tasks = ChainTask.objects.for_user(request.user).filter(done_at=None).select_related("case__work")[:100]
    return render(
        request, "web/conduct/rechecks.html", {"cases": cases[:300], "tasks": tasks, "today": timezone.localdate()}
    )


class DecisionForm(StyledMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label="Решение", choices=[("1", "провести повторную проверку"), ("0", "отказать")], coerce=lambda v: v == "1"
    )
    commission = forms.ModelChoiceField(
        label="Комиссия по перепроверке и повторной проверке", queryset=Commission.objects.none(), required=False
    )
    note = forms.CharField(label="Основание", required=False)


class ProtocolForm(StyledMixin, forms.Form):
    number = forms.CharField(label="Номер протокола", required=False)
    completed_on = forms.DateField(label="Проверка завершена", widget=forms.DateInput(attrs={"type": "date"}))
    delivered_on = forms.DateField(label="Протокол передан в РЦОИ", widget=forms.DateInput(attrs={"type": "date"}))
    # п. 8.1.4 (V58): the overall mark written in the protocol, checked against its marks
    overall = forms.ChoiceField(
        label="Общая оценка по протоколу",
        choices=[("", "—"), (PASS, PASS), (FAIL, FAIL)],
        required=False,
    )


@requires("rechecks:view")
def recheck_detail(request, pk):
    case = scoped_get(
        RecheckCase.objects.select_related("work__session", "work__application__participant"), request.user, pk=pk
    )
    work = case.work
    criteria = S.marks_form_spec(work.session, work.application.form)
    decision = DecisionForm(request.POST if request.POST.get("action") == "decide" else None)
    decision.fields["commission"].queryset = Commission.objects.for_user(request.user).filter(kind="regional_recheck")
    protocol = ProtocolForm(
        request.POST if request.POST.get("action") == "protocol" else None,
        initial={"completed_on": timezone.localdate(), "delivered_on": timezone.localdate()},
    )
    marks = marks_form(criteria, request.POST if request.POST.get("action") == "protocol" else None, prefix="m")
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "task":
                if (
                    not has_perm(request.user, "rechecks:forward")
                    and not has_perm(request.user, "rechecks:file")
                    and not has_perm(request.user, "rechecks:protocol")
                ):
                    raise PermissionDenied("Недостаточно прав")
                task = scoped_get(ChainTask.objects.filter(case=case), request.user, pk=request.POST.get("task"))
                late = S.complete_task(task, request.user)
                for v in late:
                    messages.warning(request, v.message)
                return redirect("recheck_detail", pk=case.pk)
            if action == "decide":
                if not has_perm(request.user, "rechecks:decide"):
                    raise PermissionDenied("Недостаточно прав")
                if decision.is_valid():
                    d = decision.cleaned_data
                    S.decide(case, request.user, d["approve"], d["note"] or "", d["commission"])
                    messages.success(request, "Решение министерства записано.")
                    return redirect("recheck_detail", pk=case.pk)
            if action == "protocol":
                if not has_perm(request.user, "rechecks:protocol"):
                    raise PermissionDenied("Недостаточно прав")
                if protocol.is_valid() and marks.is_valid():
                    req, mk = _split(criteria, marks.cleaned_data)
                    p = protocol.cleaned_data
                    result = S.record_protocol(
                        case,
                        request.user,
                        req,
                        mk,
                        p["completed_on"],
                        p["delivered_on"],
                        p["number"] or "",
                        overall=p.get("overall") or None,
                    )
                    messages.success(request, f"Протокол записан; результат «{result}» окончательный (п. 8.2.6).")
                    return redirect("recheck_detail", pk=case.pk)
        except S.Refused as exc:
            _refused(
                request,
                exc,
                f"Повторная проверка {work.code}",
                protocol if action == "protocol" else decision if action == "decide" else None,
                work.session.region.path,
            )
    return render(
        request,
        "web/conduct/recheck.html",
        {
            "case": case,
            "work": work,
            "tasks": case.tasks.all(),
            "decision": decision,
            "protocol": protocol,
            "marks": marks,
            "today": timezone.localdate(),
            "can_decide": has_perm(request.user, "rechecks:decide") and case.status == RecheckStatus.FILED,
            "can_protocol": has_perm(request.user, "rechecks:protocol") and case.status == RecheckStatus.DECIDED,
            "history": case.history.all()[:20],
        },
    )


@requires("rechecks:view")
def recheck_protocol_pdf(request, pk):
    case = scoped_get(RecheckCase.objects.select_related("work__session", "commission"), request.user, pk=pk)
    if case.status != RecheckStatus.CLOSED:
        raise Http404("Протокол еще не оформлен")
    work = case.work
    criteria = S.marks_form_spec(work.session, work.application.form)
    rows = [[r.title, case.requirements.get(r.code, "—")] for r in criteria.requirements]
    rows += [[f"{c.code} «{c.title}»", case.marks.get(c.code, "—")] for c in criteria.criteria]
    rows.append(["Оценка за работу в целом", case.result])
    pdf = table_pdf(
        f"Протокол {case.get_kind_display()} № {case.protocol_number}",
        [
            f"Работа {work.code}; {work.session.rules.label} {fmt_date(work.session.date)}",
            f"Комиссия: {case.commission or '—'}",
            f"Прежний результат: {case.previous_result or '—'}; проверка завершена "
            f"{case.completed_on:%d.%m.%Y}; передан в РЦОИ {case.protocol_delivered_on:%d.%m.%Y}",
            "Результат окончательный (п. 8.2.6 Порядка).",
        ],
        ["Требование / критерий", "Оценка"],
        rows,
        [130, 50],
        ["Председатель комиссии", "Член комиссии"],
    )
    resp = HttpResponse(pdf, content_type="application/pdf")
    download_name(resp, f"protocol-{work.code}.pdf", inline=True)
    return resp


@requires("rechecks:decide")
@require_POST
def start_pereproverka(request, pk):
    """The ministry selects works for a перепроверка (п. 8.2.3): codes, one per line."""
    session = _session(request, pk)
    codes = [c.strip() for c in request.POST.get("codes", "").split() if c.strip()]
    works = list(Work.objects.for_user(request.user).filter(session=session, work_code__in=codes))
    commission = (
        Commission.objects.for_user(request.user)
        .filter(kind="regional_recheck", pk=request.POST.get("commission") or 0)
        .first()
    )
    try:
        if len(works) != len(set(codes)) or not codes:
            raise S.Refused([violation("X48")])
        cases = S.start_pereproverka(works, request.user, request.POST.get("note", ""), commission)
    except S.Refused as exc:
        _refused(request, exc, "Перепроверка", region_path=session.region.path)
    else:
        messages.success(request, f"Назначена перепроверка работ: {len(cases)}.")
    return redirect("recheck_list")


# ==================================================================== re-admission


@requires("participants:view")
def session_readmission(request, pk):
    """п. 10: who may write on the additional dates; schools register them for the next date in one action."""
    session = _session(request, pk)
    rows = S.readmission_list(request.user, session)
    targets = (
        ExamSession.objects.for_user(request.user)
        .filter(academic_year=session.academic_year, stage=Stage.ADDITIONAL, date__gt=session.date)
        .order_by("date")
    )
    if request.method == "POST":
        if not has_perm(request.user, "participants:edit"):
            raise PermissionDenied("Недостаточно прав")
        target = targets.filter(pk=key_of(request.POST.get("target")) or 0).first()
        ids = keys_of(request.POST.getlist("app"))
        try:
            if target is None:
                raise S.Refused([violation("V71")])
            created = S.readmit(request.user, session, target, ids)
        except S.Refused as exc:
            _refused(request, exc, "Повторный допуск", region_path=session.region.path)
        else:
            messages.success(request, f"Зарегистрировано на {target.date:%d.%m.%Y}: {len(created)}.")
        return redirect("session_readmission", pk=session.pk)
    registered = set(
        Application.objects.for_user(request.user).filter(session__in=targets).values_list("participant_id", flat=True)
    )
    return render(
        request,
        "web/conduct/readmission.html",
        {
            "session": session,
            "eligible": [(a, d) for a, d in rows if d.eligible],
            "not_eligible": [(a, d) for a, d in rows if not d.eligible],
            "targets": targets,
            "registered": registered,
            "can_register": has_perm(request.user, "participants:edit"),
        },
    )


# ==================================================================== storage and destruction


class DestroyForm(StyledMixin, forms.Form):
    destroyed_on = forms.DateField(label="Дата уничтожения", widget=forms.DateInput(attrs={"type": "date"}))
    commission_text = forms.CharField(label="Комиссия (ФИО, должности)", required=False)


@requires("retention:view")
def retention(request):
    items = StorageItem.objects.for_user(request.user).select_related("session", "holder", "act")
    form = DestroyForm(request.POST or None, initial={"destroyed_on": timezone.localdate()})
    if request.method == "POST":
        if not has_perm(request.user, "retention:destroy"):
            raise PermissionDenied("Недостаточно прав")
        chosen = list(
            StorageItem.objects.for_user(request.user, "destroy")
            .filter(pk__in=keys_of(request.POST.getlist("item")))
            .select_related("session", "holder")
        )
        if form.is_valid():
            try:
                act = S.destroy(
                    chosen, request.user, form.cleaned_data["destroyed_on"], form.cleaned_data["commission_text"] or ""
                )
            except S.Refused as exc:
                _refused(request, exc, "Уничтожение материалов", form)
            else:
                messages.success(request, f"Составлен акт № {act.number}.")
                return redirect("retention")
    return render(
        request,
        "web/conduct/retention.html",
        {
            "items": items[:500],
            "due": S.due_for_destruction(request.user).count(),
            "form": form,
            "acts": DestructionAct.objects.for_user(request.user).order_by("-created_at")[:50],
            "today": timezone.localdate(),
            "can_destroy": has_perm(request.user, "retention:destroy"),
        },
    )


@requires("retention:view")
def destruction_act_pdf(request, pk):
    act = scoped_get(DestructionAct.objects.select_related("holder"), request.user, pk=pk)
    rows = [
        [i, it.description, f"{it.session.date:%d.%m.%Y}", it.quantity, f"{it.destroy_not_before:%d.%m.%Y}"]
        for i, it in enumerate(act.items.select_related("session").order_by("pk"), start=1)
    ]
    pdf = table_pdf(
        f"Акт об уничтожении № {act.number}",
        [
            act.holder.name,
            f"Дата уничтожения: {act.destroyed_on:%d.%m.%Y}",
            f"Комиссия: {act.commission_text}",
            "Основание: п. 8.1.1 (копии — не менее месяца), п. 13.3 (оригиналы, аудиозаписи, отчетные "
            "формы — до 1 марта) Порядка.",
        ],
        ["№", "Материалы", "Дата проведения", "Количество", "Хранить до"],
        rows,
        [10, 80, 30, 25, 35],
        ["Председатель комиссии", "Члены комиссии"],
    )
    resp = HttpResponse(pdf, content_type="application/pdf")
    download_name(resp, f"act-{act.number}.pdf", inline=True)
    return resp


# ==================================================================== МОУО orders: authorized persons


class AppointmentForm(StyledMixin, forms.Form):
    username = forms.CharField(label="Логин уполномоченного лица")
    order_number = forms.CharField(label="Номер приказа МОУО", required=False)
    order_date = forms.DateField(label="Дата приказа", widget=forms.DateInput(attrs={"type": "date"}))


@requires("works:appoint")
def transfer_appointments(request):
    """п. 8.1.2: the МОУО's order appointing the persons who transfer marks from copies into originals."""
    mouo = (
        Organization.objects.for_user(request.user)
        .filter(pk__in=[g.org_id for g in grants_of(request.user) if "works:appoint" in g.permissions])
        .first()
    )
    if mouo is None:
        raise PermissionDenied("Недостаточно прав")
    form = AppointmentForm(request.POST or None, initial={"order_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            S.appoint_transfer_person(mouo, request.user, d["username"], d["order_number"] or "", d["order_date"])
        except S.Refused as exc:
            _refused(request, exc, "Приказ об уполномоченных лицах", form)
        else:
            messages.success(request, "Назначение записано.")
            return redirect("transfer_appointments")
    appointments = TransferAppointment.objects.for_user(request.user).select_related("user", "mouo")
    return render(request, "web/conduct/appointments.html", {"form": form, "appointments": appointments, "mouo": mouo})
