"""The shared exam pipeline: sessions, participants, applications, consent, documents,
submissions, commissions, seating, work codes. Exam kinds plug in their rules
(``itog.exams.kinds``); the models are the same for every kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from itog.accounts.scope import ScopedQuerySet
from itog.people.models import PersonalData

from .kinds import base as rules


class ExamKind(models.TextChoices):
    ESSAY = "essay", "Итоговое сочинение (изложение)"
    INTERVIEW = "interview", "Итоговое собеседование"


class Stage(models.TextChoices):
    MAIN = "main", "основной срок"
    ADDITIONAL = "additional", "дополнительный срок"


class ExamSession(models.Model):
    """One exam date of one kind in a region (the essay: first Wednesday of December, п. 4.1)."""

    SCOPE_RESOURCE = "sessions"
    SCOPE_ANCESTOR = "region__path"

    region = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="регион")
    kind = models.CharField("экзамен", max_length=20, choices=ExamKind.choices, default=ExamKind.ESSAY)
    academic_year = models.CharField("учебный год", max_length=9)
    stage = models.CharField("срок", max_length=20, choices=Stage.choices)
    date = models.DateField("дата проведения")
    rule_date = models.DateField("дата по правилу", help_text="Дата, вычисленная по п. 4.1 Порядка.")
    override_reason = models.CharField("основание переноса", max_length=500, blank=True)
    is_closed = models.BooleanField("сессия закрыта", default=False)
    # п. 9.2, 11: РЦОИ marks the session processed (scanning verified), then publishes; schools and
    # registration places see the results from the next day (``results_date``).
    processed_at = models.DateTimeField("обработка завершена", null=True, blank=True)
    published_at = models.DateTimeField("результаты опубликованы", null=True, blank=True)
    results_date = models.DateField("день ознакомления с результатами", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "сессия экзамена"
        verbose_name_plural = "сессии экзаменов"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["region", "kind", "date"], name="uniq_session_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.date:%d.%m.%Y} ({self.get_stage_display()})"

    @property
    def rules(self):
        """The rules object of this session's exam kind (:class:`itog.exams.kinds.base.KindRules`),
        resolved once by the registry; every stage asks it instead of importing a kind's modules."""
        from .kinds import get_rules

        return get_rules(self.kind)


Category = rules.Category  # п. 2.1–2.4 (A1–A8): one definition, in the rules


class ProcedureProfileRecord(models.Model):
    """A region's procedure profile for one exam kind: the region's choices where its procedure differs
    from the default (Krasnodar's order; the essay's fields are :class:`itog.exams.kinds.essay.profile.
    ProcedureProfile`). ``values`` holds only what differs from the default, so a region follows the
    default where it chose nothing. Read through :func:`itog.exams.profiles.profile_for`; edited by the
    ministry; every change is kept (django-simple-history: who, when, what)."""

    SCOPE_RESOURCE = "profiles"
    SCOPE_PATH = "region__path"

    region = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="регион")
    kind = models.CharField("экзамен", max_length=20, choices=ExamKind.choices, default=ExamKind.ESSAY)
    values = models.JSONField("отличия от порядка по умолчанию", default=dict, blank=True)
    preset = models.CharField("загруженный образец", max_length=200, blank=True)
    note = models.CharField("основание изменения", max_length=500, blank=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="изменил",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "региональный профиль порядка"
        verbose_name_plural = "региональные профили порядка"
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="uniq_procedure_profile")]

    def __str__(self) -> str:
        return f"Профиль порядка: {self.get_kind_display()}"


class Participant(PersonalData):
    """A participant of an exam: the consent whitelist of personal data, plus the category.

    A school's own student is linked to the ``people.Student`` record; other categories
    (выпускники прошлых лет, СПО, …) exist only here.
    """

    SCOPE_RESOURCE = "participants"
    SCOPE_PATH = "registration_org__path"
    SCOPE_SELF = "user"

    category = models.CharField("категория", max_length=20, choices=Category.choices())
    school = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="образовательная организация",
    )
    school_name = models.CharField("образовательная организация (вне региона)", max_length=300, blank=True)
    grade = models.PositiveSmallIntegerField("класс", null=True, blank=True)
    class_letter = models.CharField("литера класса", max_length=5, blank=True)
    registration_org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="место регистрации"
    )
    student = models.OneToOneField(
        "people.Student", on_delete=models.SET_NULL, null=True, blank=True, related_name="participant"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="participant"
    )
    # I8 (A41): the day the personal data were removed (обезличены, A39) when the keeping period ended
    personal_data_removed_on = models.DateField("персональные данные обезличены", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "участник"
        verbose_name_plural = "участники"
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["document_series", "document_number"])]


DocumentKind = rules.DocumentKind  # п. 5.3, 5.4, 7.5.1 (A19–A22)


class SupportingDocument(models.Model):
    SCOPE_RESOURCE = "participants"
    SCOPE_PATH = "participant__registration_org__path"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("документ", max_length=30, choices=DocumentKind.choices())
    is_original = models.BooleanField("оригинал (иначе — заверенная копия)", default=False)
    number = models.CharField("номер", max_length=50, blank=True)
    issued_on = models.DateField("дата выдачи", null=True, blank=True)
    issuer = models.CharField("кем выдан", max_length=300, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()


class ConsentStatus(models.TextChoices):
    ACTIVE = "active", "действует"
    REVOKED = "revoked", "отозвано"


def _consent_form():
    """The consent form (приложение 3) is the essay procedure's, the region's default profile; reached through
    the registry like any kind's rules (its registration stage is the procedure module)."""
    from .kinds import get_rules

    return get_rules("essay").registration


def consent_text_version() -> str:
    """The consent form's text in force when a consent is given (A38, A39 are read from it)."""
    return _consent_form().CONSENT_TEXT_VERSION


def consent_purposes() -> list[str]:
    """A38: the purposes of the consent form in force — snapshotted on each consent when it is given."""
    return list(_consent_form().CONSENT_PURPOSES)


def consent_third_parties() -> list[str]:
    """A39: the third parties (ФИС, РИС operators) of the consent form in force."""
    return list(_consent_form().CONSENT_THIRD_PARTIES)


class Consent(models.Model):
    """Приложение 3: consent to the processing of personal data (A33–A43); revocable (A42). The text version,
    purposes (A38) and third parties (A39) are recorded when the consent is given (defaults = the form in force),
    so that a later wording does not change what was agreed to; exports of personal data are checked against them."""

    SCOPE_RESOURCE = "participants"
    SCOPE_PATH = "participant__registration_org__path"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    operator = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="оператор персональных данных"
    )
    signed_on = models.DateField("дата подписания")
    status = models.CharField("состояние", max_length=10, choices=ConsentStatus.choices, default=ConsentStatus.ACTIVE)
    revoked_on = models.DateField("дата отзыва", null=True, blank=True)
    revocation_document = models.CharField("заявление об отзыве", max_length=300, blank=True)
    text_version = models.CharField("редакция текста согласия", max_length=100, default=consent_text_version)
    purposes = models.JSONField("цели обработки (A38)", default=consent_purposes)
    third_parties = models.JSONField("третьи лица, которым допускается передача (A39)", default=consent_third_parties)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()


Form = rules.ExamForm


class ApplicationStatus(models.TextChoices):
    REGISTERED = "registered", "зарегистрировано"
    SUBMITTED_MOUO = "submitted_mouo", "передано в МОУО"
    SUBMITTED_RCOI = "submitted_rcoi", "передано в РЦОИ"
    WITHDRAWN = "withdrawn", "отозвано"


class Application(models.Model):
    """Заявление на участие (приложение 1 или 2).

    Kind-neutral except the four condition flags (``extra_time`` … ``enlarged_blanks``), which are the
    essay's requested conditions (п. 4.3, 7.5). The interview stores ``form="interview"`` and asks no
    condition: its +30 minutes follow from the participant's health grounds and documents (its rules,
    ``duration_minutes``), so the flags stay false for it."""

    SCOPE_RESOURCE = "participants"
    SCOPE_PATH = "registration_org__path"
    SCOPE_SELF = "participant__user"
    # the exam day's staff of the school where the participant answers (the interview's venue is the school)
    SCOPE_AS = {"examday": "registration_org__path"}

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="applications")
    # The participant's place of registration (п. 5.1) copied onto each application when it is made (it never
    # changes: a participant is registered at one place): the region's lists, counts and scope read the
    # applications alone instead of joining every application to its participant (670,000 in a country).
    # Every way an application is made sets it (``save`` fills it from the participant; bulk paths copy it).
    registration_org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="место регистрации"
    )
    session = models.ForeignKey(
        ExamSession, on_delete=models.PROTECT, related_name="applications", verbose_name="дата участия"
    )
    form = models.CharField("форма", max_length=20, choices=Form.choices(), default=Form.ESSAY)
    application_form = models.CharField("форма заявления", max_length=10, choices=rules.ApplicationForm.choices())
    extra_time = models.BooleanField("увеличение продолжительности на 1,5 ч", default=False)
    oral_form = models.BooleanField("в устной форме", default=False)
    at_home = models.BooleanField("на дому", default=False)
    enlarged_blanks = models.BooleanField("увеличенные бланки", default=False)
    other_conditions = models.CharField("иные условия", max_length=500, blank=True)
    pamyatka_ack = models.BooleanField("с Памяткой ознакомлен(а)", default=False)
    # п. 2.3, 5.4: facts of the application (not personal data of приложение 3): the kind of the ОО the
    # participant learns in and learning at home for health reasons — grounds for the изложение (with
    # the medical conclusion, V09) and the copies the ОО head sends to the МОУО (V10).
    school_type = models.CharField(
        "тип образовательной организации",
        max_length=20,
        choices=rules.SchoolType.choices(),
        default=rules.SchoolType.REGULAR,
    )
    home_schooling_health = models.BooleanField("обучается на дому по состоянию здоровья", default=False)
    # п. 11 (V72): the day the participant was familiarized with the result under signature.
    familiarized_on = models.DateField("ознакомлен(а) с результатом под подпись", null=True, blank=True)
    registration_number = models.CharField("регистрационный номер", max_length=30, unique=True)
    status = models.CharField(
        "состояние", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.REGISTERED
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "заявление"
        verbose_name_plural = "заявления"
        constraints = [models.UniqueConstraint(fields=["participant", "session"], name="uniq_application")]
        # A session's applications per place and status read from the index alone (выверка's per-school
        # counts, a school's list of a date): 670,000 applications counted in 0.2 s instead of 0.45 s.
        indexes = [models.Index(fields=["session", "registration_org", "status"], name="app_session_place_status")]

    def save(self, *args, **kwargs) -> None:
        if self.registration_org_id is None:
            self.registration_org_id = self.participant.registration_org_id
        super().save(*args, **kwargs)

    @property
    def special_conditions(self) -> bool:
        return self.extra_time or self.oral_form or self.at_home or self.enlarged_blanks or bool(self.other_conditions)


class Submission(models.Model):
    """A list handed up: ОО → МОУО (п. 3.3), МОУО → РЦОИ (п. 3.2), each with its time."""

    SCOPE_RESOURCE = "participants"
    SCOPE_PATHS = {"region": "from_org__path", "subtree": "from_org__path", "self_org": "from_org__path"}

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="submissions")
    from_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    applications = models.PositiveIntegerField("заявлений")
    deadline = models.DateField("срок")
    late = models.BooleanField("с опозданием", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]


CommissionKind = rules.CommissionKind


class Commission(models.Model):
    """A commission of a session (п. 3.1–3.2): conduct per venue, checking, the regional re-check."""

    SCOPE_RESOURCE = "commissions"
    SCOPE_PATH = "organization__path"

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="commissions")
    kind = models.CharField("вид", max_length=20, choices=CommissionKind.choices())
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    venue = models.ForeignKey(
        "orgs.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="место проведения"
    )
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "комиссия"
        verbose_name_plural = "комиссии"


class CommissionMember(models.Model):
    SCOPE_RESOURCE = "commissions"
    SCOPE_PATH = "commission__organization__path"

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="commission_roles")
    role = models.CharField("роль", max_length=30, choices=rules.StaffRole.choices())
    trained = models.BooleanField("прошел подготовку на муниципальном уровне", default=False)
    assisted = models.ManyToManyField(Participant, blank=True, related_name="assistants")
    # Experts of a checking commission (п. 8.1.3): the days they check (empty = every day of checking), how
    # many works a day at most, and whether they are a consultant (a smaller share of the works).
    check_days = models.JSONField("дни проверки", default=list, blank=True)
    capacity_per_day = models.PositiveSmallIntegerField("работ в день, не более", null=True, blank=True)
    consultant = models.BooleanField("консультант", default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commission", "employee", "role"], name="uniq_commission_role")]


class SeatingRun(models.Model):
    """One seating of a session (D−1, п. 7.11.1): the seed is kept, so it can be reproduced."""

    SCOPE_RESOURCE = "sessions"
    SCOPE_ANCESTOR = "session__region__path"

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="seatings")
    seed = models.BigIntegerField("зерно случайного распределения")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    seated = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)
    # The rooms' roles in this run, as the kind's schedule needs them (the interview: exam rooms with audio
    # recording, the waiting room and the room for those who finished): {room id: role value}.
    room_roles = models.JSONField("назначение помещений", default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]


class Seat(models.Model):
    SCOPE_RESOURCE = "participants"
    SCOPE_PATH = "application__registration_org__path"
    # The region's staff reach a seat through its seating's session (a session's applications are filed in its
    # region only, п. 5.1, ``outside_region``): the region's room counts read the seats alone.
    SCOPE_REGION = "run__session__region"
    SCOPE_SELF = "application__participant__user"
    # the exam day of the venue reads its seats, whoever registered the participants (п. 7.11);
    # the keeper of the places asks whether a room is seated before deleting it
    SCOPE_AS = {"examday": "venue__organization__path", "places": "room__place__organization__path"}

    run = models.ForeignKey(SeatingRun, on_delete=models.CASCADE, related_name="seats")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="seats")
    venue = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey("orgs.Room", on_delete=models.PROTECT, related_name="+")
    seat_number = models.PositiveSmallIntegerField("место")
    # A kind that schedules participants in time (the interview: one answer after another in a room) keeps
    # each participant's slot; the essay's seats leave them empty (everyone starts at the session's time).
    starts_at = models.TimeField("начало (по расписанию)", null=True, blank=True)
    ends_at = models.TimeField("окончание (по расписанию)", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="uniq_seat")]


class WorkCode(models.Model):
    """The unique code of a participant's work in a session (printed in text and as a 2D code);
    never reused: a spoiled blank is voided and reprinted with a new code."""

    SCOPE_RESOURCE = "participants"
    SCOPE_PATH = "application__registration_org__path"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="work_codes")
    code = models.CharField("код работы", max_length=12, unique=True)
    serial = models.PositiveIntegerField()
    issued_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField("аннулирован", null=True, blank=True)
    void_reason = models.CharField("причина", max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["serial"]
