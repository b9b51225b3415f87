"""People: students (future participants) and school employees.

The fields of :class:`Student` are exactly the whitelist of personal data in
the consent form (Приложение 3 к Порядку, A37): фамилия, имя, отчество (при
наличии); пол; дата рождения; контактный телефон (при наличии); гражданство;
СНИЛС (при наличии); реквизиты документа, удостоверяющего личность;
наименование образовательной организации; номер класса (при наличии);
отнесение к категории лиц с ОВЗ, детей-инвалидов или инвалидов. A test keeps
the model to this list (V15).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from itog.accounts.scope import ScopedQuerySet


class Sex(models.TextChoices):
    MALE = "м", "мужской"
    FEMALE = "ж", "женский"


class DocumentType(models.TextChoices):
    PASSPORT_RF = "passport_rf", "Паспорт гражданина РФ"
    BIRTH_CERTIFICATE = "birth_certificate", "Свидетельство о рождении"
    FOREIGN_PASSPORT = "foreign_passport", "Паспорт иностранного гражданина"
    OTHER = "other", "Иной документ"


class HealthCategory(models.TextChoices):
    NONE = "", "не относится"
    OVZ = "ovz", "лицо с ОВЗ"
    DISABLED_CHILD = "disabled_child", "ребенок-инвалид"
    DISABLED = "disabled", "инвалид"


snils_validator = RegexValidator(r"^\d{3}-\d{3}-\d{3} \d{2}$", "СНИЛС указывается в виде 123-456-789 01.")


class PersonalData(models.Model):
    """п. A37: the personal data a participant consents to, and nothing else (the organization
    — наименование образовательной организации — is a field of each concrete model)."""

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    sex = models.CharField("пол", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("дата рождения")
    phone = models.CharField("контактный телефон", max_length=30, blank=True)
    citizenship = models.CharField("гражданство", max_length=60, default="Российская Федерация")
    snils = models.CharField("СНИЛС", max_length=14, blank=True, validators=[snils_validator])
    document_type = models.CharField(
        "вид документа", max_length=30, choices=DocumentType.choices, default=DocumentType.PASSPORT_RF
    )
    document_series = models.CharField("серия документа", max_length=10, blank=True)
    document_number = models.CharField("номер документа", max_length=20)
    health_category = models.CharField(
        "категория (ОВЗ, инвалидность)", max_length=20, choices=HealthCategory.choices, blank=True, default=""
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


# The consent whitelist without the organization and class (which each concrete model adds).
PERSONAL_FIELDS = tuple(f.name for f in PersonalData._meta.fields)


class Student(PersonalData):
    SCOPE_RESOURCE = "students"
    SCOPE_PATH = "school__path"
    SCOPE_SELF = "user"

    school = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name="образовательная организация",
    )
    grade = models.PositiveSmallIntegerField("класс (параллель)")
    class_letter = models.CharField("литера класса", max_length=5, blank=True)

    # Not personal data: the link to a participant's own account.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
        verbose_name="учетная запись участника",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    PERSONAL_DATA_FIELDS = (
        "last_name",
        "first_name",
        "middle_name",
        "sex",
        "birth_date",
        "phone",
        "citizenship",
        "snils",
        "document_type",
        "document_series",
        "document_number",
        "school",
        "grade",
        "class_letter",
        "health_category",
    )

    class Meta:
        verbose_name = "обучающийся"
        verbose_name_plural = "обучающиеся"
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [
            models.Index(fields=["document_series", "document_number"]),
            models.Index(fields=["school", "grade"]),
        ]

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.class_letter}"


class Employee(models.Model):
    """A school employee: teachers (incl. Russian-language specialists), heads, deputies."""

    SCOPE_RESOURCE = "employees"
    SCOPE_PATH = "organization__path"
    SCOPE_SELF = "user"

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="employees", verbose_name="место работы"
    )
    position = models.CharField("должность", max_length=200)
    subjects = models.CharField("преподаваемые предметы", max_length=300, blank=True)
    is_russian_specialist = models.BooleanField("специалист по русскому языку и литературе", default=False)
    email = models.EmailField("эл. почта", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name="учетная запись",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "работник"
        verbose_name_plural = "работники"
        ordering = ["last_name", "first_name", "middle_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class TeachingAssignment(models.Model):
    """п. 3.2 (C14, C17; V24): whom an employee teaches in an academic year — a class of a school
    (``class_letter`` empty: every class of the grade). Members of the conduct and checking
    commissions must not be «учителями участников в текущем учебном году»."""

    SCOPE_RESOURCE = "employees"
    SCOPE_PATH = "employee__organization__path"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="teaching", verbose_name="работник")
    school = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="образовательная организация"
    )
    academic_year = models.CharField(
        "учебный год",
        max_length=9,
        validators=[RegexValidator(r"^\d{4}/\d{2}(\d{2})?$", "Учебный год указывается в виде 2024/25.")],
    )
    grade = models.PositiveSmallIntegerField("класс (параллель)")
    class_letter = models.CharField("литера класса", max_length=5, blank=True, help_text="пусто — все классы параллели")
    subject = models.CharField("предмет", max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "преподавание в классе"
        verbose_name_plural = "преподавание в классах"
        ordering = ["academic_year", "grade", "class_letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "school", "academic_year", "grade", "class_letter", "subject"],
                name="uniq_teaching_assignment",
            )
        ]
        indexes = [models.Index(fields=["school", "academic_year", "grade"])]

    def __str__(self) -> str:
        return f"{self.grade}{self.class_letter or ' (все)'} класс, {self.academic_year}"


class Kinship(models.TextChoices):
    """Близкие родственники (ст. 14 Семейного кодекса РФ) and the spouse."""

    PARENT = "parent", "родитель"
    CHILD = "child", "ребенок"
    SIBLING = "sibling", "брат (сестра)"
    GRANDPARENT = "grandparent", "дедушка (бабушка)"
    GRANDCHILD = "grandchild", "внук (внучка)"
    SPOUSE = "spouse", "супруг(а)"


class CloseRelative(models.Model):
    """п. 3.2 (C18; V27): a close relative an employee declared. «В состав комиссии по проверке не
    могут входить близкие родственники участников»: a participant with the same full name and
    birth date (or the linked ``student``) makes the employee ineligible for that checking
    commission. The relative's name and birth date are the employee's declaration, kept only
    for this check."""

    SCOPE_RESOURCE = "employees"
    SCOPE_PATH = "employee__organization__path"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="relatives", verbose_name="работник")
    last_name = models.CharField("фамилия родственника", max_length=100)
    first_name = models.CharField("имя родственника", max_length=100)
    middle_name = models.CharField("отчество родственника", max_length=100, blank=True)
    birth_date = models.DateField("дата рождения родственника")
    kinship = models.CharField("степень родства", max_length=20, choices=Kinship.choices)
    student = models.ForeignKey(
        Student,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="обучающийся (если найден)",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "близкий родственник работника"
        verbose_name_plural = "близкие родственники работников"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "last_name", "first_name", "middle_name", "birth_date"], name="uniq_close_relative"
            )
        ]

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_kinship_display()})"


def person_key(last_name: str, first_name: str, middle_name: str, birth_date) -> tuple:
    """Names compared case-insensitively with «ё» as «е» (how they are written in documents varies)."""

    def norm(s: str) -> str:
        return " ".join((s or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()

    return norm(last_name), norm(first_name), norm(middle_name), birth_date
