from __future__ import annotations

import re

from django import forms
from django.conf import settings

from itog.exams.kinds.base import SchoolType
from itog.exams.models import Category, CommissionMember
from itog.exams.models import DocumentKind as ExamDocumentKind
from itog.exams.models import Form as ExamFormChoice
from itog.orgs.kinds import OrgKind
from itog.orgs.models import ActorAlias, Organization, Place, Room
from itog.people.models import PERSONAL_FIELDS, DocumentType, HealthCategory, Sex, Student

# A person's name: letters of any alphabet, with spaces, hyphens, apostrophes and dots between them
# («Анна-Мария», «д'Артаньян», «Оглы»). Anything else — «=HYPERLINK(…)», digits — is a typing error or
# an attempt to plant a formula in the exports.
NAME_RE = re.compile(r"[^\W\d_]+(?:[ .'’\-]+[^\W\d_]+)*\.?")
NAME_FIELDS = ("last_name", "first_name", "middle_name")


class PersonNameMixin:
    """Checks the name fields of a person's form (see ``NAME_RE``)."""

    def clean(self):
        cleaned = super().clean()
        for name in NAME_FIELDS:
            value = (cleaned or {}).get(name)
            if value and not NAME_RE.fullmatch(value.strip()):
                self.add_error(name, "Допустимы только буквы, пробел, дефис, апостроф и точка.")
        return cleaned


class StyledMixin:
    """Marks required fields and field errors for the stylesheet and screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_errors"})


class OrganizationForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["kind", "code", "name", "short_name", "parent", "address", "time_zone", "phone", "email", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from itog.orgs.kinds import RUSSIAN_TIME_ZONES, time_zone_label

        self.fields["time_zone"].choices = [(n, time_zone_label(n)) for n, _ in RUSSIAN_TIME_ZONES]
        parents = Organization.objects.for_user(user, "edit").exclude(kind=OrgKind.SCHOOL)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
            self.fields["kind"].disabled = True
        self.fields["parent"].queryset = parents
        if self.instance.pk and self.instance.parent_id is None:
            # The root of the region (the ministry) stays the root.
            del self.fields["parent"]
        else:
            self.fields["parent"].required = True
            self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] != OrgKind.MINISTRY]


class PlaceForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Place
        fields = ["kind", "code", "name", "address", "is_active", *Place.READINESS_FIELDS]


class RoomForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = ["number", "capacity", "accessible", "audio_equipped"]

    def __init__(self, *args, place, **kwargs):
        self.place = place
        super().__init__(*args, **kwargs)

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < 1 or capacity > 500:
            raise forms.ValidationError("Вместимость аудитории — от 1 до 500 мест.")
        return capacity

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        clash = Room.objects.filter(place=self.place, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Аудитория № {number} уже есть в этом месте.")
        return number


class AliasForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = ActorAlias
        fields = ["alias", "organization", "org_kind", "external_name"]

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.region = region
        self.fields["organization"].queryset = Organization.objects.for_user(user).exclude(kind=OrgKind.SCHOOL)


class StudentForm(PersonNameMixin, StyledMixin, forms.ModelForm):
    class Meta:
        model = Student
        fields = list(Student.PERSONAL_DATA_FIELDS)
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Organization.objects.for_user(user, "view").filter(kind=OrgKind.SCHOOL)

    def clean_grade(self):
        grade = self.cleaned_data["grade"]
        if not 1 <= grade <= 12:
            raise forms.ValidationError("Класс — число от 1 до 12.")
        return grade


def check_upload(upload):
    """The size rules every upload shares (ITOG_MAX_UPLOAD_MB), with the Russian message."""
    limit = settings.ITOG_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise forms.ValidationError(
            f"Файл слишком большой: {upload.size / 1048576:.1f} МБ при допустимых "
            f"{settings.ITOG_MAX_UPLOAD_MB} МБ. Разделите его на части."
        )
    if upload.size == 0:
        raise forms.ValidationError("Файл пуст.")
    return upload


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Файл XLSX или CSV", error_messages={"empty": "Файл пуст.", "required": "Выберите файл для загрузки."}
    )
    dry_run = forms.BooleanField(label="Только проверить, ничего не сохранять", required=False)

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Документ (TXT, DOCX, XLSX)",
        error_messages={"empty": "Файл пуст.", "required": "Выберите файл для загрузки."},
    )
    format = forms.ChoiceField(
        label="Формат",
        initial="auto",
        choices=[
            ("auto", "определить автоматически"),
            ("tab", "текст: таблица с табуляциями"),
            ("cells", "текст: ячейка на строку"),
            ("pipe", "текст: таблица с «|»"),
            ("docx", "DOCX"),
            ("xlsx", "XLSX"),
        ],
    )
    year = forms.RegexField(
        label="Учебный год",
        required=False,
        regex=r"^\d{4}(/\d{2}(\d{2})?)?$",
        help_text="Например, 2023/24. Если не указан — определяется по документу.",
        error_messages={"invalid": "Укажите учебный год в виде 2023/24."},
    )
    dry_run = forms.BooleanField(label="Только проверить (показать разбор и замечания, не сохранять)", required=False)

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d] or None
        return super().clean(data, initial)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label="Состояние", choices=[])
    comment = forms.CharField(
        label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    files = MultipleFileField(label="Подтверждающие документы (приказ, протокол)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from itog.plans.models import Status

        self.fields["status"].choices = Status.choices


class TemplateForm(forms.Form):
    anchor_event = forms.ChoiceField(label="Опорное событие", choices=[])
    anchor_date = forms.DateField(
        label="Дата опорного события в этом плане", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from itog.plans.projection import ANCHOR_EVENTS

        self.fields["anchor_event"].choices = list(ANCHOR_EVENTS.items())


class AnchorForm(forms.Form):
    anchor_date = forms.DateField(
        label="Новая дата опорного события", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AnchorsForm(forms.Form):
    """One date field per event that the plan's relative deadlines count from."""

    def __init__(self, *args, events: dict, **kwargs):
        super().__init__(*args, **kwargs)
        from itog.plans.parsing.deadlines import ANCHOR_EVENTS

        for event, value in events.items():
            self.fields[event] = forms.DateField(
                label=ANCHOR_EVENTS.get(event, event),
                required=False,
                initial=value,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )


class AssignForm(StyledMixin, forms.Form):
    organization = forms.ModelChoiceField(label="Организация", queryset=Organization.objects.none())
    person = forms.CharField(label="Ответственное лицо (ФИО, должность)", required=False, max_length=200)

    def __init__(self, *args, user, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["organization"].queryset = (
            Organization.objects.for_user(user).filter(is_active=True).order_by("path")
        )

    def clean_organization(self):
        org = self.cleaned_data["organization"]
        if self.item.assignments.filter(organization=org).exists() and not self.data.get("person"):
            raise forms.ValidationError(f"Мероприятие уже назначено организации «{org.display_name}».")
        return org


class RegistrationForm(PersonNameMixin, StyledMixin, forms.Form):
    """Заявление на участие: the personal data of the consent whitelist and the application's fields."""

    last_name = forms.CharField(label="Фамилия", max_length=100)
    first_name = forms.CharField(label="Имя", max_length=100)
    middle_name = forms.CharField(label="Отчество (при наличии)", max_length=100, required=False)
    sex = forms.ChoiceField(label="Пол", choices=Sex.choices)
    birth_date = forms.DateField(label="Дата рождения", widget=forms.DateInput(attrs={"type": "date"}))
    citizenship = forms.CharField(label="Гражданство", initial="Российская Федерация", max_length=60)
    document_type = forms.ChoiceField(label="Документ, удостоверяющий личность", choices=DocumentType.choices)
    document_series = forms.CharField(label="Серия", max_length=10, required=False)
    document_number = forms.CharField(label="Номер", max_length=20)
    snils = forms.RegexField(
        label="СНИЛС (при наличии)",
        regex=r"^\d{3}-\d{3}-\d{3} \d{2}$",
        required=False,
        error_messages={"invalid": "СНИЛС указывается в виде 123-456-789 01."},
    )
    phone = forms.CharField(label="Контактный телефон (при наличии)", max_length=30, required=False)
    health_category = forms.ChoiceField(label="ОВЗ, инвалидность", choices=HealthCategory.choices, required=False)
    category = forms.ChoiceField(label="Категория участника", choices=Category.choices())
    grade = forms.IntegerField(label="Класс", required=False, min_value=1, max_value=12)
    class_letter = forms.CharField(label="Литера класса", max_length=5, required=False)
    form = forms.ChoiceField(label="Пишет", choices=ExamFormChoice.choices(), initial="essay")
    # п. 2.3, 5.4: grounds for the изложение and the copies for the МОУО (V01, V09, V10)
    school_type = forms.ChoiceField(
        label="Тип образовательной организации",
        choices=SchoolType.choices(),
        initial=SchoolType.REGULAR,
        required=False,
    )
    home_schooling_health = forms.BooleanField(
        label="Обучается на дому по состоянию здоровья",
        required=False,
        help_text="Право на изложение — по заключению медицинской организации (п. 2.3).",
    )
    extra_time = forms.BooleanField(label="Увеличение продолжительности на 1,5 ч", required=False)
    oral_form = forms.BooleanField(label="В устной форме (по медицинским показаниям)", required=False)
    at_home = forms.BooleanField(label="На дому", required=False)
    enlarged_blanks = forms.BooleanField(label="Бланки увеличенного размера", required=False)
    medical_indications = forms.BooleanField(label="Есть медицинские показания (для устной формы)", required=False)
    other_conditions = forms.CharField(label="Иные условия", max_length=500, required=False)
    documents = forms.MultipleChoiceField(
        label="Предъявленные документы (оригинал или заверенная копия)",
        choices=ExamDocumentKind.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_signed_on = forms.DateField(
        label="Согласие на обработку персональных данных (приложение 3) подписано",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Без согласия заявление не регистрируется (п. 5.2).",
    )
    pamyatka_ack = forms.BooleanField(label="С Памяткой о порядке проведения ознакомлен(а)", required=False)

    def registration(self, school):
        from itog.exams.registration.services import CONDITION_FIELDS, Registration

        d = self.cleaned_data
        return Registration(
            personal={k: d.get(k) if d.get(k) is not None else "" for k in PERSONAL_FIELDS},
            category=d["category"],
            school=school,
            grade=d.get("grade"),
            class_letter=d.get("class_letter", ""),
            form=d["form"],
            conditions={c.value for c, name in CONDITION_FIELDS.items() if d.get(name)},
            other_conditions=d.get("other_conditions", ""),
            documents=set(d.get("documents") or []),
            medical_indications=d.get("medical_indications", False),
            consent_signed_on=d.get("consent_signed_on"),
            pamyatka_ack=d.get("pamyatka_ack", False),
            school_type=d.get("school_type") or SchoolType.REGULAR,
            home_schooling_health=d.get("home_schooling_health", False),
        )

    def add_violations(self, violations):
        for v in violations:
            field = v.field if v.field in self.fields else None
            self.add_error(
                field, f"{v.message} [{v.code}]" if v.item in v.message else f"{v.message} ({v.item}) [{v.code}]"
            )


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label="Список участников (XLSX или CSV)",
        error_messages={"empty": "Файл пуст.", "required": "Выберите файл для загрузки."},
    )
    consent_on = forms.DateField(
        label="Согласия на обработку персональных данных (приложение 3) собраны",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Без согласия заявление не регистрируется (п. 5.2).",
    )
    partial = forms.BooleanField(label="Загрузить правильные строки, остальные показать списком", required=False)

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class CommissionMemberForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = CommissionMember
        fields = ["employee", "role", "trained", "assisted", "capacity_per_day", "consultant"]
        widgets = {"assisted": forms.CheckboxSelectMultiple}

    def __init__(self, *args, commission, user, **kwargs):
        super().__init__(*args, **kwargs)
        from itog.people.models import Employee

        self.commission = commission
        roles = getattr(commission.session.rules.commissions, "ROLE_CHOICES", None)
        if roles:  # the kind's own roles (the interview's school commission)
            self.fields["role"].choices = roles
        self.fields["employee"].queryset = (
            Employee.objects.for_user(user)
            .filter(organization__path__startswith=commission.organization.path)
            .order_by("last_name")
        )
        from itog.exams.models import Participant

        # п. 7.11.5: an assistant is linked to the participants with ОВЗ they help (they sit together).
        self.fields["assisted"].queryset = (
            Participant.objects.for_user(user)
            .filter(registration_org=commission.organization)
            .exclude(health_category="")
            .order_by("last_name")
        )
        self.fields["assisted"].label = "Участники, которым помогает ассистент"

    def clean(self):
        data = super().clean()
        if (
            data.get("employee")
            and self.commission.members.filter(employee=data["employee"], role=data.get("role")).exists()
        ):
            raise forms.ValidationError("Этот работник уже включен в комиссию в этой роли.")
        if data.get("assisted") and data.get("role") != "assistant":
            self.add_error("assisted", "Участников закрепляют только за ассистентом.")
        elif data.get("assisted") and data.get("employee"):
            # п. 7.11.5 (V52): the assistant is assigned to participants with ОВЗ — by the kind's rules.
            from itog.exams.kinds.base import ParticipantRef, StaffMember, StaffRole

            check = getattr(self.commission.session.rules.seating, "check_assistants", None)
            if check is not None:
                refs = [
                    ParticipantRef(
                        id=str(p.pk),
                        full_name=p.full_name,
                        ovz=p.health_category == "ovz",
                        child_disabled=p.health_category == "disabled_child",
                        disabled=p.health_category == "disabled",
                    )
                    for p in data["assisted"]
                ]
                member = StaffMember(
                    id="new",
                    full_name=data["employee"].full_name,
                    role=StaffRole.ASSISTANT,
                    assisted_participant_ids=frozenset(r.id for r in refs),
                )
                for v in check([member], refs):
                    if v.code == "V52":
                        self.add_error("assisted", v.message)
                        break
        return data


class SessionOverrideForm(forms.Form):
    date = forms.DateField(label="Новая дата", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(
        label="Основание (документ Минпросвещения / Рособрнадзора)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


SELECT_LIMIT = 200


class CommissionForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(label="Комиссия", choices=[])
    organization = forms.ModelChoiceField(
        label="Организация (ОО или место министерства)", queryset=Organization.objects.none()
    )
    venue = forms.ModelChoiceField(label="Место проведения", queryset=Place.objects.none(), required=False)
    order_number = forms.CharField(label="Номер приказа", max_length=50, required=False)
    order_date = forms.DateField(
        label="Дата приказа", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from itog.exams.models import CommissionKind

        self.fields["kind"].choices = CommissionKind.choices()
        self.fields["organization"].queryset = Organization.objects.for_user(user, "edit").order_by(
            "path"
        ) | Organization.objects.for_user(user).filter(kind=OrgKind.SCHOOL).order_by("path")
        self.fields["venue"].queryset = Place.objects.for_user(user).filter(kind="venue").order_by("name")
        # A region of 1,500 schools would make two selects of 1,500 options (hundreds of KB on every visit of
        # the page): above SELECT_LIMIT the organization and the venue are typed by their codes.
        for name, hint in (
            ("organization", "код организации, например 010001"),
            ("venue", "код места проведения, например V-010001"),
        ):
            field = self.fields[name]
            if field.queryset.count() > SELECT_LIMIT:
                field.to_field_name = "code"
                field.widget = forms.TextInput(attrs={"placeholder": hint})
                field.help_text = f"Введите {hint}."
                field.error_messages["invalid_choice"] = "Нет организации или места с таким кодом в вашей области."

    def clean(self):
        data = super().clean()
        venue, org = data.get("venue"), data.get("organization")
        if venue and org and venue.organization_id != org.pk:
            self.add_error("venue", "Место проведения принадлежит другой организации.")
        return data


class TeachingAssignmentForm(StyledMixin, forms.ModelForm):
    """п. 3.2 (V24): a class the employee teaches in an academic year."""

    class Meta:
        from itog.people.models import TeachingAssignment

        model = TeachingAssignment
        fields = ["academic_year", "grade", "class_letter", "subject"]
        widgets = {"academic_year": forms.TextInput(attrs={"placeholder": "2026/27"})}


class CloseRelativeForm(StyledMixin, forms.ModelForm):
    """п. 3.2 (V27): a close relative the employee declared."""

    class Meta:
        from itog.people.models import CloseRelative

        model = CloseRelative
        fields = ["last_name", "first_name", "middle_name", "birth_date", "kinship"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class StaffLinksImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Что загружается",
        choices=[
            ("teaching", "Преподавание в классах (учебный год, класс)"),
            ("relatives", "Близкие родственники работников"),
        ],
    )
    file = forms.FileField(
        label="Файл (XLSX или CSV)", error_messages={"empty": "Файл пуст.", "required": "Выберите файл для загрузки."}
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])
