from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from itog.accounts.scope import grants_of, has_perm, scoped_get
from itog.audit.services import record_export
from itog.exams.commissions.services import (
    CommissionRefused,
    check_commission,
    check_commissions,
    create_commission,
    order_docx,
)
from itog.exams.consents import check_pd_export
from itog.exams.models import (
    Application,
    Commission,
    CommissionMember,
    ExamSession,
    Seat,
    SeatingRun,
    Submission,
    WorkCode,
    consent_purposes,
    consent_text_version,
    consent_third_parties,
)
from itog.exams.printing import PrintRefused, check_printing_day, latest_seating, void_and_reissue
from itog.exams.registration.services import (
    check_processing,
    deadlines,
    override_session_date,
    reconcile,
    register,
    revoke_consent,
    submit_list,
)
from itog.exams.seating.services import region_today, room_occupancy, seat_session, venue_readiness
from itog.exams.violations import Refused, violation
from itog.jobs.imports import refused_table, start_import
from itog.jobs.runner import enqueue
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization, Place, PlaceKind
from itog.people.models import PERSONAL_FIELDS, Student

from ..access import requires
from ..forms import CommissionForm, CommissionMemberForm, ParticipantImportForm, RegistrationForm, SessionOverrideForm
from ..list_specs import APPLICATIONS, COMMISSIONS, STUDENTS
from ..lists import filtered, list_context, list_or_export
from ..params import key_of
from ..security import download_name


def _own_org(user, perm):
    """The organization the user acts for (registers, submits) — their first membership granting ``perm``."""
    grant = next((g for g in grants_of(user) if perm in g.permissions), None)
    if grant is None:
        raise PermissionDenied("Недостаточно прав")
    return Organization.objects.for_user(user).get(pk=grant.org_id)


@requires("sessions:view")
def session_list(request):
    sessions = ExamSession.objects.for_user(request.user)
    return render(
        request,
        "web/exams/sessions.html",
        {"sessions": [(s, deadlines(s)) for s in sessions], "today": timezone.localdate()},
    )


@requires("participants:view")
def session_participants(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    ctx = list_or_export(request, APPLICATIONS, session=session.pk)
    if not isinstance(ctx, dict):
        return ctx
    submissions = Submission.objects.for_user(request.user).filter(session=session)
    sent = submissions.aggregate(n=Count("pk"), late=Count("pk", filter=Q(late=True)))
    ctx.update(
        {
            "session": session,
            "submissions": submissions.select_related("from_org").order_by("-sent_at")[:20],
            "submissions_total": sent["n"],
            "submissions_late": sent["late"],
            "can_register": has_perm(request.user, "participants:edit"),
            "can_submit": has_perm(request.user, "participants:submit"),
            "deadlines": deadlines(session),
        }
    )
    return render(request, "web/exams/participants.html", ctx)


@requires("participants:edit")
def register_participant(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    org = _own_org(request.user, "participants:edit")
    initial = {"category": "student", "grade": 11}
    # Picking a student from the directory fills the personal data (through the scoping layer).
    picked = None
    student_id = request.POST.get("student") or request.GET.get("student")
    if key_of(student_id):
        picked = scoped_get(Student.objects.select_related("school"), request.user, pk=key_of(student_id))
        initial.update(
            {f: getattr(picked, f) for f in PERSONAL_FIELDS}, grade=picked.grade, class_letter=picked.class_letter
        )
    found = []
    q = request.GET.get("find", "").strip()
    if q:
        found = list(filtered(STUDENTS, request.user, QueryDict(f"q={quote(q)}")).qs[:10])
    initial.setdefault("form", next(iter(session.rules.forms)))
    if "grade" not in request.GET and not picked:
        initial["grade"] = getattr(session.rules.registration, "DEFAULT_GRADE", 11)
    form = RegistrationForm(request.POST or None, initial=initial)
    form.fields["form"].choices = list(session.rules.forms.items())  # the session's kind's forms only
    if request.method == "POST" and form.is_valid():
        school = org if org.kind == OrgKind.SCHOOL else (picked.school if picked else None)
        reg = form.registration(school)
        if picked is not None:
            reg.student_id = picked.pk
        result = register(reg, session, org, user=request.user)
        if result.application:
            messages.success(request, f"Заявление зарегистрировано: № {result.application.registration_number}.")
            return redirect("session_participants", pk=session.pk)
        form.add_violations(result.violations)
    return render(
        request,
        "web/exams/register.html",
        {"session": session, "form": form, "org": org, "picked": picked, "found": found, "find": q},
    )


@requires("participants:submit")
def submit_participants(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    if request.method != "POST":
        return redirect("session_participants", pk=session.pk)
    org = _own_org(request.user, "participants:submit")
    result = submit_list(session, org, user=request.user)
    if result.submission is None:
        messages.error(request, result.violations[0].message)
    elif result.violations:
        messages.warning(
            request,
            f"Список передан ({result.submission.applications}), но с опозданием: {result.violations[0].message}",
        )
    else:
        messages.success(request, f"Список передан: заявлений — {result.submission.applications}.")
    return redirect("session_participants", pk=session.pk)


@requires("participants:view")
def reconciliation(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    r = reconcile(session, request.user)
    by_school = Paginator(r.by_school, 50).get_page(request.GET.get("page"))
    schools_pager = Paginator(r.not_submitted, 50)
    schools_pager.count = r.schools - r.submitted  # counted by reconcile already: not counted again
    not_sent = schools_pager.get_page(request.GET.get("npage"))
    # How many applications each school on this page of «не передали» has registered (one query).
    n_apps = dict(
        Application.objects.for_user(request.user)
        .filter(session=session, registration_org__in=list(not_sent.object_list))
        .order_by()
        .values_list("registration_org")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "web/exams/reconciliation.html",
        {
            "session": session,
            "r": r,
            "page": by_school,
            "not_sent": [(o, n_apps.get(o.pk, 0)) for o in not_sent],
            "not_sent_page": not_sent,
            "pager_query": _query_without(request, "page"),
            "npager_query": _query_without(request, "npage"),
        },
    )


def _query_without(request, key: str) -> str:
    q = request.GET.copy()
    q.pop(key, None)
    return q.urlencode()


@requires("participants:view")
def application_detail(request, pk):
    app = scoped_get(
        Application.objects.select_related("participant", "session", "participant__registration_org"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "web/exams/application.html",
        {
            "can_edit": Application.objects.for_user(request.user, "edit").filter(pk=pk).exists(),
            "codes": app.work_codes.all(),
            "a": app,
            "p": app.participant,
            "documents": app.participant.documents.all(),
            "consents": app.participant.consents.all(),
            "history": app.history.select_related("history_user")[:20],
        },
    )


@requires("participants:view")
def application_pdf(request, pk):
    """The application as a printable form (приложение 1/2) for the participant's and parent's signatures."""
    from itog.conduct.documents import table_pdf

    app = scoped_get(
        Application.objects.select_related(
            "participant", "session", "participant__registration_org", "participant__school"
        ),
        request.user,
        pk=pk,
    )
    p = app.participant
    consents = list(p.consents.all())
    if refused := _print_refused(p, consents, "бланк заявления"):
        messages.error(request, refused)
        return redirect("application_detail", pk=pk)
    conditions = ", ".join(
        t
        for flag, t in (
            (app.extra_time, "увеличение продолжительности на 1,5 часа"),
            (app.oral_form, "в устной форме"),
            (app.at_home, "на дому"),
            (app.enlarged_blanks, "бланки увеличенного размера"),
        )
        if flag
    )
    rows = [
        ["Фамилия, имя, отчество", p.full_name],
        ["Дата рождения", p.birth_date.strftime("%d.%m.%Y")],
        ["Пол", p.get_sex_display()],
        [
            "Документ, удостоверяющий личность",
            f"{p.get_document_type_display()} {p.document_series} {p.document_number}".strip(),
        ],
        ["Гражданство", p.citizenship],
        ["СНИЛС", p.snils or "—"],
        ["Контактный телефон", p.phone or "—"],
        ["Категория участника", p.get_category_display()],
        [
            "Образовательная организация, класс",
            f"{p.school.name if p.school else p.school_name}, {p.grade or ''}{p.class_letter}".strip(", "),
        ],
        ["Тип образовательной организации (пп. 2.3, 5.4)", app.get_school_type_display()],
        ["Обучается на дому по состоянию здоровья (п. 2.3)", "да" if app.home_schooling_health else "нет"],
        ["Пишет", app.get_form_display()],
        ["Дата участия", app.session.date.strftime("%d.%m.%Y")],
        ["Условия, учитывающие состояние здоровья", conditions or "не требуются"],
        ["Иные условия", app.other_conditions or "—"],
        ["С Памяткой о порядке проведения ознакомлен(а)", "да" if app.pamyatka_ack else "нет"],
    ]
    for c in consents:  # приложение 3 as recorded when given (A38 purposes, A39 third parties)
        rows += [
            [f"Согласие на обработку ПДн от {c.signed_on:%d.%m.%Y} ({c.text_version})", c.get_status_display()],
            ["Цели обработки (A38)", "; ".join(c.purposes)],
            ["Передача третьим лицам (A39)", "; ".join(c.third_parties) or "не допускается"],
        ]
    pdf = table_pdf(
        f"Заявление на участие в {app.session.rules.prepositional} № {app.registration_number}",
        [f"Место регистрации: {p.registration_org.name}", f"Форма заявления: {app.get_application_form_display()}"],
        ["Сведения", "Значение"],
        rows,
        [70, 110],
        ["Участник", "Родитель (законный представитель)", "Принял(а) заявление"],
    )
    record_export(request, f"Заявление {app.registration_number}", 1, True, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    download_name(response, f"zayavlenie-{app.registration_number}.pdf", inline=True)
    return response


def _print_refused(participant, consents, what: str) -> str | None:
    """Why a form with the participant's personal data may not be printed (the printed application, the consent),
    in Russian, or None: A41 (I8, X84) the data were обезличены after the keeping period; V16 the consent was
    revoked; A38, A39 (X81) printing is the operator's own processing for the РИС, which the consent must allow."""
    if participant.personal_data_removed_on is not None:
        return violation("X84", date=participant.personal_data_removed_on.strftime("%d.%m.%Y"), what=what).message
    if refused := check_processing(participant):
        return refused[0].message
    try:
        check_pd_export(consents)
    except Refused as exc:
        return str(exc)
    return None


def _consent_form_data(operator: str, text_version: str, purposes, third_parties, **values):
    """The printed consent (приложение 3) in the words of the form in force (A40 modes) with the
    recorded version, purposes (A38) and third parties (A39) of the consent it prints."""
    from itog.exams.kinds import get_rules
    from itog.exams.registration.consent_form import ConsentFormData

    form = get_rules("essay").registration  # the consent form is the essay procedure's (as Consent's defaults)
    return ConsentFormData(
        operator=operator,
        text_version=text_version,
        purposes=tuple(purposes),
        third_parties=tuple(third_parties),
        modes=tuple(form.CONSENT_MODES),
        **values,
    )


@requires("participants:view")
def consent_pdf(request, pk):
    """The consent to the processing of personal data (приложение 3) filled in for the application's participant,
    for the participant (and the parent of a minor) to sign. Guarded like the printed application: V16, X81."""
    from itog.exams.registration.consent_form import consent_pdf as build
    from itog.exams.registration.consent_form import is_minor

    app = scoped_get(
        Application.objects.select_related("participant", "session", "session__region", "participant__school"),
        request.user,
        pk=pk,
    )
    p = app.participant
    consents = sorted(p.consents.select_related("operator"), key=lambda c: (c.status == "active", c.signed_on))
    if refused := _print_refused(p, consents, "согласие"):
        messages.error(request, refused)
        return redirect("application_detail", pk=pk)
    consent = consents[-1] if consents else None  # the consent in force, the latest signed
    school = p.school.name if p.school else p.school_name
    data = _consent_form_data(
        consent.operator.name if consent else app.session.region.name,  # A36: the region's ministry
        consent.text_version if consent else consent_text_version(),
        consent.purposes if consent else consent_purposes(),
        consent.third_parties if consent else consent_third_parties(),
        participant=[
            ("Фамилия, имя, отчество (при наличии)", p.full_name),
            ("Дата рождения", p.birth_date.strftime("%d.%m.%Y")),
            (
                "Документ, удостоверяющий личность (вид, серия, номер)",
                f"{p.get_document_type_display()} {p.document_series} {p.document_number}".replace("  ", " "),
            ),
            ("Образовательная организация, класс", f"{school}, {p.grade or ''}{p.class_letter}".strip(", ")),
        ],
        minor=is_minor(p.birth_date, app.session.date),
        lines=[f"К заявлению № {app.registration_number}" + (f" от {consent.signed_on:%d.%m.%Y}" if consent else "")],
    )
    pdf = build(data)
    record_export(request, f"Согласие на обработку ПДн к заявлению {app.registration_number}", 1, True, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    download_name(response, f"soglasie-{app.registration_number}.pdf", inline=True)
    return response


@requires("participants:edit")
def consent_blank_pdf(request, pk):
    """A blank consent form (приложение 3) in the session's region's current wording, handed out before
    registration: no personal data, so no export to log."""
    from itog.exams.registration.consent_form import consent_pdf as build

    session = scoped_get(ExamSession.objects.select_related("region"), request.user, pk=pk)
    data = _consent_form_data(session.region.name, consent_text_version(), consent_purposes(), consent_third_parties())
    response = HttpResponse(build(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="soglasie-blank-{session.date:%Y-%m-%d}.pdf"'
    return response


@requires("participants:edit")
def import_participants_view(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    session.rules.check_page("import")  # a kind without the stage: refused in its words (I90)
    org = _own_org(request.user, "participants:edit")
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        refusal = refused_table(data, upload.name)  # a hostile file never reaches a worker
        if refusal:
            report = {"errors": [refusal], "error_count": 1}
        else:  # the rows are checked and saved by a background job (issue 15); its page shows the outcome
            job = start_import(
                "import-participants",
                f"Загрузка списка участников «{upload.name}» — {session.date:%d.%m.%Y}",
                org,
                request,
                data,
                upload.name,
                session_id=session.pk,
                org_id=org.pk,
                consent_on=form.cleaned_data["consent_on"].isoformat(),
                partial=form.cleaned_data["partial"],
            )
            return redirect("job_detail", pk=job.pk)
    return render(
        request,
        "web/exams/import.html",
        {"session": session, "form": form, "report": report, "columns": session.rules.registration.HEADER, "org": org},
    )


@requires("sessions:view")
def session_seating(request, pk):
    """Рассадка: the last run (seed, problems per venue) and the rooms of the user's scope."""
    session = scoped_get(ExamSession, request.user, pk=pk)
    session.rules.check_page("seating")  # a kind without the stage: refused in its words (I90)
    can_seat = has_perm(request.user, "sessions:edit")
    if request.method == "POST":
        if not can_seat:
            raise PermissionDenied("Недостаточно прав")
        try:
            run = seat_session(session, user=request.user, today=region_today(session))
        except CommissionRefused as exc:  # V33: only on D−1
            from itog.conduct.common import log_refusal

            log_refusal(request, exc, "Распределение участников по аудиториям", session.region.path)
            for v in exc.violations:
                messages.error(request, v.message)
            return redirect("session_seating", pk=session.pk)
        messages.success(
            request,
            f"Рассадка выполнена (зерно {run.seed}): рассажено {run.seated}, "
            f"мест проведения с замечаниями — {len(run.problems)}.",
        )
        return redirect("session_seating", pk=session.pk)
    run = SeatingRun.objects.for_user(request.user).filter(session=session).first()
    rooms = (
        room_occupancy(Seat.objects.for_user(request.user).filter(run=run), request.GET.get("page")) if run else None
    )
    readiness = venue_readiness(
        session, Place.objects.for_user(request.user).filter(kind=PlaceKind.VENUE, is_active=True)
    )
    not_ready = [(v, p) for v, p in readiness if p]
    return render(
        request,
        "web/exams/seating.html",
        {
            "session": session,
            "run": run,
            "rooms": rooms,
            "pager_query": _query_without(request, "page"),
            "not_ready": not_ready[:NOT_READY_SHOWN],
            "not_ready_count": len(not_ready),
            "ready_count": sum(1 for _, p in readiness if not p),
            "can_seat": can_seat,
            "can_print": has_perm(request.user, "participants:edit") or can_seat,
        },
    )


NOT_READY_SHOWN = 100


@requires("sessions:view")
def session_print(request, pk):
    """Printing the kits: the whole region (РЦОИ) or the user's own venue (ОО) — a background job."""
    session = scoped_get(ExamSession, request.user, pk=pk)
    session.rules.check_page("seating")  # a kind without the stage: refused in its words (I90)
    if request.method != "POST":
        return redirect("session_seating", pk=session.pk)
    if has_perm(request.user, "sessions:edit"):
        venue_id, org, title = (
            None,
            _own_org(request.user, "sessions:edit"),
            f"Печать комплектов — регион, {session.date:%d.%m.%Y}",
        )
    else:
        org = _own_org(request.user, "participants:edit")
        venue = Place.objects.for_user(request.user).filter(organization=org, kind=PlaceKind.VENUE).first()
        if venue is None:
            raise PermissionDenied("У организации нет места проведения")
        venue_id, title = venue.pk, f"Печать комплектов — {venue.name}, {session.date:%d.%m.%Y}"
    try:
        latest_seating(session)
        # п. 7.11.1(1): the kits are printed not later than D−1 (V31) on the region's clock.
        if problems := check_printing_day(session, region_today(session)):
            raise PrintRefused(problems)
    except PrintRefused as exc:
        messages.error(request, str(exc))
        return redirect("session_seating", pk=session.pk)
    job = enqueue("print-kits", title, org, user=request.user, session_id=session.pk, venue_id=venue_id)
    return redirect("job_detail", pk=job.pk)


@requires("commissions:view")
def commission_list(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    can_create = has_perm(request.user, "commissions:edit")
    form = CommissionForm(request.POST or None, user=request.user) if can_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            d = form.cleaned_data
            try:
                created = create_commission(
                    session,
                    d["kind"],
                    d["organization"],
                    d["venue"],
                    _own_org(request.user, "commissions:edit"),
                    d["order_number"],
                    d["order_date"],
                    user=request.user,
                )
            except CommissionRefused as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("commission_detail", pk=created.pk)
    ctx = list_context(request, COMMISSIONS, session=session.pk)
    page = ctx["page"]
    ctx.update(
        {"session": session, "form": form, "rows": list(zip(page.object_list, check_commissions(page.object_list)))}
    )
    return render(request, "web/exams/commissions.html", ctx)


@requires("commissions:view")
def commission_detail(request, pk):
    commission = scoped_get(Commission.objects.select_related("session", "organization", "venue"), request.user, pk=pk)
    can_edit = Commission.objects.for_user(request.user, "edit").filter(pk=pk).exists()
    form = CommissionMemberForm(request.POST or None, commission=commission, user=request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Недостаточно прав")
        if request.POST.get("remove"):
            CommissionMember.objects.for_user(request.user, "edit").filter(
                commission=commission, pk=request.POST["remove"]
            ).delete()
            return redirect("commission_detail", pk=pk)
        if form.is_valid():
            member = form.save(commit=False)
            member.commission = commission
            member.save()
            form.save_m2m()
            messages.success(request, f"В комиссию включен(а): {member.employee.full_name}.")
            return redirect("commission_detail", pk=pk)
    violations = check_commission(commission)
    return render(
        request,
        "web/exams/commission.html",
        {
            "c": commission,
            "members": commission.members.select_related("employee").order_by("role"),
            "violations": violations,
            "has_errors": any(v.is_error for v in violations),
            "form": form if can_edit else None,
        },
    )


@requires("commissions:view")
def commission_order(request, pk):
    commission = scoped_get(Commission.objects.select_related("session", "organization", "venue"), request.user, pk=pk)
    try:
        docx = order_docx(commission)
    except CommissionRefused as exc:
        # п. 3.2, 7.11.1: the order is not issued while the composition breaks the procedure (V22–V28).
        from itog.conduct.common import log_refusal

        log_refusal(request, exc, f"Приказ о составе комиссии {commission.pk}", commission.organization.path)
        for v in exc.violations:
            messages.error(request, v.message)
        return redirect("commission_detail", pk=commission.pk)
    response = HttpResponse(
        docx, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="prikaz-komissiya-{commission.pk}.docx"'
    return response


@requires("sessions:edit")
def session_override(request, pk):
    """Federal schedules change: a new date for a session, with its reason (kept in the history)."""
    session = scoped_get(ExamSession, request.user, "edit", pk=pk)
    form = SessionOverrideForm(request.POST or None, initial={"date": session.date})
    if request.method == "POST" and form.is_valid():
        problems = override_session_date(
            session, form.cleaned_data["date"], form.cleaned_data["reason"], user=request.user
        )
        if not problems:
            messages.success(request, f"Дата перенесена на {session.date:%d.%m.%Y}.")
            return redirect("session_list")
        for v in problems:
            form.add_error(v.field if v.field in form.fields else None, v.message)
    return render(request, "web/exams/override.html", {"session": session, "form": form})


@requires("participants:edit")
def application_action(request, pk):
    """Revoke the consent (A42) or void a spoiled blank's code (a new one is issued)."""
    app = scoped_get(Application.objects.select_related("participant", "session"), request.user, "edit", pk=pk)
    if request.method != "POST":
        return redirect("application_detail", pk=pk)
    try:
        if request.POST.get("action") == "revoke":
            consent = app.participant.consents.filter(status="active").first()
            if consent is None:
                raise ValueError("Действующего согласия нет.")
            withdrawn = revoke_consent(
                consent, timezone.localdate(), request.POST.get("document", ""), user=request.user
            )
            messages.success(request, f"Согласие отозвано; заявлений отозвано: {withdrawn}.")
        elif request.POST.get("action") == "void":
            if refused := check_processing(app.participant):  # V16: a new code is processing of the record
                raise ValueError(refused[0].message)
            code = WorkCode.objects.for_user(request.user, "edit").get(
                application=app, pk=request.POST.get("code"), voided_at__isnull=True
            )
            new = void_and_reissue(code, request.POST.get("reason", ""), user=request.user)
            messages.success(request, f"Код {code.code} аннулирован, выдан новый: {new.code}.")
        elif request.POST.get("action") == "familiarized":  # п. 11 (V72)
            from django.utils.dateparse import parse_date

            from itog.conduct.results.services import record_familiarization

            on = parse_date(request.POST.get("on", "") or "")
            if on is None:
                raise ValueError("Укажите дату ознакомления с результатом.")
            record_familiarization(app, on, request.POST.get("signed") == "on", user=request.user)
            messages.success(request, f"Ознакомление с результатом под подпись отмечено: {on:%d.%m.%Y}.")
    except Refused as exc:
        for v in exc.violations:
            messages.error(request, f"{v.message} [{v.code}]")
    except (ValueError, PrintRefused, WorkCode.DoesNotExist) as exc:
        messages.error(request, str(exc) if not isinstance(exc, WorkCode.DoesNotExist) else "Код не найден.")
    return redirect("application_detail", pk=pk)
