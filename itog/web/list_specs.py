"""The lists of the web UI: scoped querysets, filters, sortable columns and export columns.

Every queryset starts at ``Model.objects.for_user(user, action)``; the filters below only narrow it by what
the user typed or picked (search, municipality, status), never by who the user is.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from types import SimpleNamespace

import django_filters as df
from django import forms
from django.db.models import Count, Q, Sum

from itog.accounts.scope import scoped_get
from itog.audit.models import AuditEvent, EventKind
from itog.conduct.models import RESULT_CHOICES, Work
from itog.exams.models import (
    Application,
    ApplicationStatus,
    Category,
    Commission,
    ExamSession,
    Form,
)
from itog.orgs.kinds import ORG_KIND_LABELS, OrgKind
from itog.orgs.models import Organization, Place, PlaceKind
from itog.people.models import Employee, Student

from .lists import Column, ListSpec, register

# A yes/no filter in Russian (django-filter's BooleanWidget labels come from its own translations).
YES_NO = forms.Select(choices=[("", "все"), ("true", "да"), ("false", "нет")])


def _words(value: str) -> list[str]:
    return value.split()[:4]


def _municipalities(request):
    user = getattr(request, "user", None)
    return Organization.objects.for_user(user).filter(kind=OrgKind.MOUO).order_by("name")


class BaseFilter(df.FilterSet):
    """Binds the user for the choice lists (a job has no request: a namespace with ``user`` stands in).

    A list declares what its search box reads and where its municipality filter looks:

    - ``SEARCH``: the lookups the search box tries (any of them matches); ``SEARCH_WORDS``: each of the first
      words of the query must match one of them (names: «Иванова Анна»), else the whole query is one value;
    - ``ORG``: the lookup to the organization a row belongs to — the municipality filter keeps the rows of the
      municipality itself and of its schools."""

    SEARCH: tuple[str, ...] = ()
    SEARCH_WORDS = False
    ORG = "organization"

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset=queryset, request=SimpleNamespace(user=user), **kwargs)
        for f in self.form.fields.values():
            f.required = False

    def search(self, qs, name, value):
        for term in _words(value) if self.SEARCH_WORDS else [value]:
            qs = qs.filter(reduce(or_, (Q(**{lookup: term}) for lookup in self.SEARCH)))
        return qs

    def in_municipality(self, qs, name, value):
        return qs.filter(Q(**{self.ORG: value}) | Q(**{f"{self.ORG}__parent": value})) if value else qs


def _search(label: str = "Поиск") -> df.CharFilter:
    return df.CharFilter(method="search", label=label)


def _municipality() -> df.ModelChoiceFilter:
    return df.ModelChoiceFilter(
        queryset=_municipalities, method="in_municipality", label="Муниципалитет", empty_label="Все муниципалитеты"
    )


def _sort(fields: dict[str, str], labels: dict[str, str]) -> df.OrderingFilter:
    return df.OrderingFilter(
        fields=tuple(fields.items()), field_labels=labels, label="Сортировка", widget=df.widgets.forms.HiddenInput
    )


# ------------------------------------------------------------------ students


class StudentFilter(BaseFilter):
    SEARCH = ("last_name__istartswith", "first_name__istartswith", "middle_name__istartswith", "document_number")
    SEARCH_WORDS = True
    ORG = "school"

    q = _search()
    grade = df.ChoiceFilter(
        choices=[(9, "9 классы"), (11, "11 классы"), (10, "10 классы")], label="Класс", empty_label="Все классы"
    )
    municipality = _municipality()
    school = df.CharFilter(field_name="school__code", label="Код ОО")
    sort = _sort({"last_name": "name", "birth_date": "birth", "grade": "grade", "school__code": "school"}, {})


def _students(user, action, **_):
    return Student.objects.for_user(user, action).select_related("school").order_by("last_name", "first_name", "pk")


STUDENTS = register(
    ListSpec(
        name="students",
        title="Список обучающихся",
        filterset=StudentFilter,
        queryset=_students,
        filename="students",
        columns=[
            Column("ФИО", "name"),
            Column("Дата рождения", "birth"),
            Column("Класс", "grade"),
            Column("ОО", "school"),
            Column("Категория"),
        ],
        export_header=[
            "Фамилия",
            "Имя",
            "Отчество",
            "Пол",
            "Дата рождения",
            "Гражданство",
            "СНИЛС",
            "Документ",
            "Серия",
            "Номер",
            "Код ОО",
            "ОО",
            "Класс",
            "Категория",
        ],
        export_row=lambda s: [
            s.last_name,
            s.first_name,
            s.middle_name,
            s.get_sex_display(),
            s.birth_date.strftime("%d.%m.%Y"),
            s.citizenship,
            s.snils,
            s.get_document_type_display(),
            s.document_series,
            s.document_number,
            s.school.code,
            s.school.display_name,
            s.class_name,
            s.get_health_category_display(),
        ],
        export_perm="students:export",
        personal_data=True,
    )
)


# ------------------------------------------------------------------ employees


class EmployeeFilter(BaseFilter):
    SEARCH = ("last_name__istartswith", "first_name__istartswith", "subjects__icontains", "position__icontains")
    SEARCH_WORDS = True

    q = _search()
    russian = df.BooleanFilter(field_name="is_russian_specialist", label="Специалист по русскому языку", widget=YES_NO)
    municipality = _municipality()
    org = df.CharFilter(field_name="organization__code", label="Код организации")
    sort = _sort({"last_name": "name", "position": "position", "organization__code": "org"}, {})


def _employees(user, action, **_):
    return (
        Employee.objects.for_user(user, action).select_related("organization").order_by("last_name", "first_name", "pk")
    )


EMPLOYEES = register(
    ListSpec(
        name="employees",
        title="Список работников",
        filterset=EmployeeFilter,
        queryset=_employees,
        filename="employees",
        columns=[
            Column("ФИО", "name"),
            Column("Должность", "position"),
            Column("Организация", "org"),
            Column("Предметы"),
            Column("Русский язык"),
        ],
        export_header=[
            "Фамилия",
            "Имя",
            "Отчество",
            "Должность",
            "Предметы",
            "Специалист по русскому языку",
            "Код организации",
            "Организация",
        ],
        export_row=lambda e: [
            e.last_name,
            e.first_name,
            e.middle_name,
            e.position,
            e.subjects,
            "да" if e.is_russian_specialist else "",
            e.organization.code,
            e.organization.display_name,
        ],
        export_perm="employees:export",
        personal_data=True,
    )
)


# ------------------------------------------------------------------ organizations


class OrganizationFilter(BaseFilter):
    SEARCH = ("name__icontains", "short_name__icontains", "code__icontains", "address__icontains")

    q = _search()
    kind = df.ChoiceFilter(
        choices=[(k.value, ORG_KIND_LABELS[k]) for k in OrgKind], label="Тип", empty_label="Все типы"
    )
    municipality = _municipality()
    active = df.BooleanFilter(field_name="is_active", label="Действует", widget=YES_NO)
    sort = _sort({"code": "code", "name": "name", "kind": "kind", "parent__name": "parent"}, {})

    def in_municipality(self, qs, name, value):  # the rows are organizations: the municipality and its schools
        return qs.filter(Q(parent=value) | Q(pk=value.pk)) if value else qs


def _orgs(user, action, **_):
    return Organization.objects.for_user(user, action).select_related("parent").order_by("path")


ORGANIZATIONS = register(
    ListSpec(
        name="orgs",
        title="Организации",
        filterset=OrganizationFilter,
        queryset=_orgs,
        filename="organizations",
        columns=[
            Column("Код", "code"),
            Column("Наименование", "name"),
            Column("Тип", "kind"),
            Column("Подчинение", "parent"),
            Column("Часовой пояс"),
        ],
        # exported by its own route (XLSX and CSV in the directory's import layout)
    )
)


# ------------------------------------------------------------------ places (venues, registration places)


class PlaceFilter(BaseFilter):
    SEARCH = ("name__icontains", "address__icontains", "code__icontains", "organization__code")

    q = _search()
    kind = df.ChoiceFilter(choices=PlaceKind.choices, label="Вид", empty_label="Все виды")
    municipality = _municipality()
    sort = _sort({"name": "name", "organization__code": "org", "n_rooms": "rooms", "seats": "capacity"}, {})


def _places(user, action, **_):
    # the export is allowed by «orgs:export» (checked by lists.export); no role holds «places:export», so the
    # rows are the places the user sees — before, the export asked for «places:export» and was always empty
    return (
        Place.objects.for_user(user, "view" if action == "export" else action)
        .filter(is_active=True)
        .select_related("organization")
        .annotate(
            n_rooms=Count("rooms"),
            seats=Sum("rooms__capacity"),
            n_audio=Count("rooms", filter=Q(rooms__audio_equipped=True)),
        )
        .order_by("organization__code", "name")
    )


PLACES = register(
    ListSpec(
        name="places",
        title="Места проведения и аудитории",
        filterset=PlaceFilter,
        queryset=_places,
        filename="places",
        columns=[
            Column("Место", "name"),
            Column("Вид"),
            Column("Организация", "org"),
            Column("Аудиторий", "rooms", "num"),
            Column("Мест", "capacity", "num"),
        ],
        export_header=[
            "Код организации",
            "Организация",
            "Место",
            "Вид",
            "Адрес",
            "Аудиторий",
            "Мест",
            "Аудиторий с аудиозаписью",
        ],
        export_row=lambda p: [
            p.organization.code,
            p.organization.display_name,
            p.name,
            p.get_kind_display(),
            p.address,
            p.n_rooms,
            p.seats or 0,
            p.n_audio,
        ],
        export_perm="orgs:export",
    )
)


# ------------------------------------------------------------------ applications (participants of a session)


class ApplicationFilter(BaseFilter):
    SEARCH = (
        "participant__last_name__istartswith",
        "participant__first_name__istartswith",
        "registration_number",
        "participant__document_number",
    )
    SEARCH_WORDS = True
    ORG = "registration_org"

    q = _search()
    status = df.ChoiceFilter(choices=ApplicationStatus.choices, label="Состояние", empty_label="Все состояния")
    form = df.ChoiceFilter(choices=Form.choices(), label="Форма", empty_label="Все формы")
    category = df.ChoiceFilter(
        field_name="participant__category", choices=Category.choices(), label="Категория", empty_label="Все категории"
    )
    conditions = df.BooleanFilter(method="special", label="Особые условия", widget=YES_NO)
    municipality = _municipality()
    org = df.CharFilter(field_name="participant__registration_org__code", label="Код места регистрации")
    sort = _sort(
        {
            "registration_number": "number",
            "participant__last_name": "name",
            "status": "status",
            "participant__registration_org__code": "org",
        },
        {},
    )

    def special(self, qs, name, value):
        any_condition = Q(extra_time=True) | Q(oral_form=True) | Q(at_home=True) | Q(enlarged_blanks=True)
        if value is None:
            return qs
        return qs.filter(any_condition) if value else qs.exclude(any_condition)


def _applications(user, action, session: int, **_):
    s = scoped_get(ExamSession, user, pk=session)
    qs = Application.objects.for_user(user, action).filter(session=s)
    if action == "export":  # V16 (приложение 3, A42): a revoked consent — no export of the personal data
        from itog.exams.registration.services import revoked_participants

        qs = qs.exclude(participant__in=revoked_participants())
    return qs.select_related("participant", "participant__registration_org").order_by(
        "participant__last_name", "participant__first_name", "pk"
    )


def _conditions(a) -> str:
    return ", ".join(
        t
        for flag, t in (
            (a.extra_time, "+1,5 ч"),
            (a.oral_form, "устно"),
            (a.at_home, "на дому"),
            (a.enlarged_blanks, "увеличенные бланки"),
        )
        if flag
    )


APPLICATIONS = register(
    ListSpec(
        name="applications",
        title="Список участников",
        filterset=ApplicationFilter,
        queryset=_applications,
        filename="participants",
        columns=[
            Column("№ заявления", "number"),
            Column("ФИО", "name"),
            Column("Категория"),
            Column("Форма"),
            Column("Особые условия"),
            Column("Место регистрации", "org"),
            Column("Состояние", "status"),
        ],
        export_header=[
            "№ заявления",
            "Фамилия",
            "Имя",
            "Отчество",
            "Дата рождения",
            "Категория",
            "Класс",
            "Форма",
            "Особые условия",
            "Код места регистрации",
            "Место регистрации",
            "Состояние",
        ],
        export_row=lambda a: [
            a.registration_number,
            a.participant.last_name,
            a.participant.first_name,
            a.participant.middle_name,
            a.participant.birth_date.strftime("%d.%m.%Y"),
            a.participant.get_category_display(),
            a.participant.grade or "",
            a.get_form_display(),
            _conditions(a),
            a.participant.registration_org.code,
            a.participant.registration_org.display_name,
            a.get_status_display(),
        ],
        export_perm="participants:export",
        personal_data=True,
    )
)


# ------------------------------------------------------------------ commissions of a session


class CommissionFilter(BaseFilter):
    SEARCH = ("organization__name__icontains", "organization__short_name__icontains", "organization__code")

    q = _search("Организация")
    kind = df.ChoiceFilter(
        choices=Commission._meta.get_field("kind").choices, label="Комиссия", empty_label="Все комиссии"
    )
    municipality = _municipality()
    sort = _sort({"organization__code": "org", "kind": "kind", "n": "members"}, {})


def _commissions(user, action, session: int, **_):
    s = scoped_get(ExamSession, user, pk=session)
    return (
        Commission.objects.for_user(user, action)
        .filter(session=s)
        .select_related("organization", "venue", "session")
        .annotate(n=Count("members"))
        .order_by("organization__code", "kind")
    )


COMMISSIONS = register(
    ListSpec(
        name="commissions",
        title="Комиссии",
        filterset=CommissionFilter,
        queryset=_commissions,
        filename="commissions",
        columns=[
            Column("Организация", "org"),
            Column("Комиссия", "kind"),
            Column("Членов", "members", "num"),
            Column("Замечания"),
        ],
    )
)


# ------------------------------------------------------------------ results of a session


class ResultFilter(BaseFilter):
    SEARCH = (
        "application__participant__last_name__istartswith",
        "application__participant__first_name__istartswith",
        "work_code",
    )
    SEARCH_WORDS = True
    ORG = "application__registration_org"

    q = _search()
    result = df.ChoiceFilter(
        choices=[*RESULT_CHOICES, ("none", "без результата")],
        method="by_result",
        label="Результат",
        empty_label="Все результаты",
    )
    municipality = _municipality()
    org = df.CharFilter(field_name="application__participant__registration_org__code", label="Код места регистрации")
    sort = _sort(
        {
            "application__participant__registration_org__code": "org",
            "application__participant__last_name": "name",
            "work_code": "code",
            "result": "result",
        },
        {},
    )

    def by_result(self, qs, name, value):
        return qs.filter(result="") if value == "none" else qs.filter(result=value)


def _results(user, action, session: int, **_):
    from itog.conduct.results.services import visible_works

    s = scoped_get(ExamSession, user, pk=session)
    qs = visible_works(user, s)
    if action != "view":
        qs = qs & Work.objects.for_user(user, action)
    return qs.select_related(
        "application", "application__participant", "application__participant__registration_org"
    ).order_by("application__participant__registration_org__code", "application__participant__last_name", "pk")


RESULTS = register(
    ListSpec(
        name="results",
        title="Результаты",
        filterset=ResultFilter,
        queryset=_results,
        filename="results",
        columns=[
            Column("Место регистрации", "org"),
            Column("Участник", "name"),
            Column("Код работы", "code"),
            Column("Результат", "result"),
            Column(""),
        ],
        export_header=["ОО (место регистрации)", "ФИО", "Код работы", "Форма", "Результат", "Окончательный"],
        export_row=lambda w: [
            w.application.participant.registration_org.display_name,
            w.application.participant.full_name,
            w.code,
            w.application.get_form_display(),
            w.result or "—",
            "да" if w.result_final else "",
        ],
        export_perm="works:export",
        personal_data=True,
    )
)


# ------------------------------------------------------------------ audit events


class AuditEventFilter(BaseFilter):
    q = _search()
    kind = df.ChoiceFilter(choices=EventKind.choices, label="Событие", empty_label="Все события")
    since = df.DateFilter(
        field_name="at", lookup_expr="date__gte", label="С", widget=df.widgets.forms.DateInput(attrs={"type": "date"})
    )
    until = df.DateFilter(
        field_name="at", lookup_expr="date__lte", label="По", widget=df.widgets.forms.DateInput(attrs={"type": "date"})
    )
    sort = _sort({"at": "at", "kind": "kind", "username": "user"}, {})

    def search(self, qs, name, value):
        return qs.filter(
            Q(username__icontains=value)
            | Q(description__icontains=value)
            | Q(user__last_name__istartswith=value)
            | Q(ip=value if _is_ip(value) else None)
        )


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _events(user, action, **_):
    return AuditEvent.objects.for_user(user, "view").select_related("user").order_by("-at", "-pk")


AUDIT_EVENTS = register(
    ListSpec(
        name="audit-events",
        title="Журнал аудита — события",
        filterset=AuditEventFilter,
        queryset=_events,
        filename="audit-events",
        columns=[
            Column("Время", "at"),
            Column("Событие", "kind"),
            Column("Пользователь", "user"),
            Column("IP-адрес"),
            Column("Описание"),
        ],
        export_header=["Время", "Событие", "Пользователь", "Имя входа", "IP-адрес", "Описание"],
        export_row=lambda e: [
            e.at.strftime("%d.%m.%Y %H:%M:%S"),
            e.get_kind_display(),
            (e.user.get_full_name() if e.user else "") or "",
            e.username,
            e.ip or "",
            e.description,
        ],
        export_perm="audit:view",
    )
)
