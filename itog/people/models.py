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
    document_type = models.CharField("вид документа", max_length=30, choices=DocumentType.choices,
                                     default=DocumentType.PASSPORT_RF)
    document_series = models.CharField("серия документа", max_length=10, blank=True)
    document_number = models.CharField("номер документа", max_length=20)
    health_category = models.CharField("категория (ОВЗ, инвалидность)", max_length=20,
                                       choices=HealthCategory.choices, blank=True, default="")

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

    school = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="students",
                               verbose_name="образовательная организация")
    grade = models.PositiveSmallIntegerField("класс (параллель)")
    class_letter = models.CharField("литера класса", max_length=5, blank=True)

    # Not personal data: the link to a participant's own account.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="student", verbose_name="учетная запись участника")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    PERSONAL_DATA_FIELDS = (
        "last_name", "first_name", "middle_name", "sex", "birth_date", "phone", "citizenship", "snils",
        "document_type", "document_series", "document_number", "school", "grade", "class_letter",
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
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="employees",
                                     verbose_name="место работы")
    position = models.CharField("должность", max_length=200)
    subjects = models.CharField("преподаваемые предметы", max_length=300, blank=True)
    is_russian_specialist = models.BooleanField("специалист по русскому языку и литературе", default=False)
    email = models.EmailField("эл. почта", blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="employee", verbose_name="учетная запись")
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
