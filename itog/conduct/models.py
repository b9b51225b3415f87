"""The second half of the exam cycle: the exam day, checking, results, re-checks, re-admission and
storage (sections D–I of the essay procedure's analysis; the models are the same for every kind).

Every record keeps its history (django-simple-history): who changed what and when is the
audit trail inspectors read. The rules themselves live in :mod:`itog.exams.kinds.essay.after`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from itog.accounts.scope import ScopedQuerySet
from itog.exams.common import FAIL, PASS, RESULT_CHOICES  # noqa: F401 - the one home of the mark

_VENUE_PATH = "venue__organization__path"
_PARTICIPANT_PATH = "application__registration_org__path"


class TopicSet(models.Model):
    """The topics (essay) or texts (exposition) of a session, entered by the ministry beforehand and
    shown in each venue only from the release time in the venue's local time (пп. 7.1, 7.2)."""

    SCOPE_RESOURCE = "sessions"
    SCOPE_ANCESTOR = "session__region__path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="topic_sets")
    form = models.CharField("форма", max_length=20)  # rules.ExamForm value
    content = models.TextField("темы (тексты)")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "form"], name="uniq_topic_set")]


class DayRecord(models.Model):
    """One participant on the exam day: the state and the documents behind it (D.1–D.4, K.2)."""

    SCOPE_RESOURCE = "examday"
    SCOPE_PATH = _VENUE_PATH

    application = models.OneToOneField("exams.Application", on_delete=models.CASCADE, related_name="day_record")
    venue = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey("orgs.Room", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("состояние", max_length=20)  # rules DayState value
    has_id_document = models.BooleanField("предъявлен документ, удостоверяющий личность", default=True)
    identity_act = models.CharField("акт идентификации личности", max_length=300, blank=True)
    late = models.BooleanField("опоздал", default=False)
    valid_reason_document = models.CharField(
        "документ, подтверждающий уважительную причину", max_length=300, blank=True
    )
    is05_marked = models.BooleanField("отметка в ИС-05", default=False)
    is05_signed = models.BooleanField("подпись участника в ИС-05", default=False)
    is08_act = models.CharField("акт ИС-08 (№)", max_length=50, blank=True)
    is09_act = models.CharField("акт ИС-09 (№)", max_length=50, blank=True)
    is09_by_head = models.BooleanField("акт ИС-09 составлен руководителем", default=False)
    member_signature = models.BooleanField("подпись члена комиссии в бланке регистрации", default=False)
    blanks_used = models.PositiveSmallIntegerField("использовано бланков записи", null=True, blank=True)
    # п. 7.11.3 (V46): the «Количество бланков» field the organizer fills on the registration blank.
    blank_count = models.PositiveSmallIntegerField("поле «Количество бланков»", null=True, blank=True)
    # п. 7.11.3, 7.11.7 (V40): the participant's end of writing in the venue's local time, when it differs
    # from the room's; breaks for meals and medical procedures (п. 4.3, 4.6) extend it, lateness does not.
    end_time = models.TimeField("время окончания (местное)", null=True, blank=True)
    breaks_min = models.PositiveSmallIntegerField("перерывы (питание, медицинские процедуры), мин", default=0)
    # п. 7.11.3 (V47): «Z» on the empty fields of the last writing blank (None: not recorded).
    z_marked = models.BooleanField("«Z» на незаполненных полях последнего бланка записи", null=True, blank=True)
    entered_from = models.CharField(
        "источник",
        max_length=10,
        default="venue",
        choices=[("venue", "в месте проведения"), ("paper", "с бумажной формы")],
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    # A kind whose participants answer one after another keeps the times (the interview's ведомость учета
    # проведения: start and end of each answer, the reason of «не завершил»/«Н»); empty for the essay.
    started_at = models.DateTimeField("начало ответа", null=True, blank=True)
    ended_at = models.DateTimeField("окончание ответа", null=True, blank=True)
    reason = models.CharField("причина (неявка, незавершение)", max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()


class VenueDay(models.Model):
    """The exam day of one venue: the times the procedure fixes, in the venue's local time (пп. 7.7, 7.11.1(3),
    7.11.3; V35, V36, V38, V39, V53), and the start written on the board (B22), from which a late
    participant's end is checked (V40)."""

    SCOPE_RESOURCE = "examday"
    SCOPE_PATH = _VENUE_PATH

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="venue_days")
    venue = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, related_name="+")
    staff_briefing = models.TimeField("инструктаж организаторов и технических специалистов", null=True, blank=True)
    medic_present = models.TimeField("медицинский работник прибыл", null=True, blank=True)
    participants_seated = models.TimeField("вход и размещение участников завершены", null=True, blank=True)
    kits_to_organizers = models.TimeField("выдача организаторам комплектов", null=True, blank=True)
    briefing_part1 = models.TimeField("первая часть инструктажа участников", null=True, blank=True)
    briefing_part2 = models.TimeField("вторая часть инструктажа (темы, тексты)", null=True, blank=True)
    writing_start = models.TimeField("время начала, записанное на доске", null=True, blank=True)
    last_exit = models.TimeField("выход последнего участника", null=True, blank=True)
    medic_left = models.TimeField("медицинский работник ушел", null=True, blank=True)
    warnings = models.TextField("замечания (предупреждения)", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "venue"], name="uniq_venue_day")]


class Visitor(models.Model):
    """A person admitted to the venue besides participants and the commission (п. 7.8; V43): with an identity
    document and a document of their powers."""

    SCOPE_RESOURCE = "examday"
    SCOPE_PATH = _VENUE_PATH

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="visitors")
    venue = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("кто", max_length=20)  # rules VisitorKind value
    full_name = models.CharField("ФИО", max_length=300)
    id_document = models.CharField("документ, удостоверяющий личность", max_length=200)
    authority_document = models.CharField("документ, подтверждающий полномочия", max_length=200)
    arrived_at = models.TimeField("время прибытия (местное)", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()


class ExpertBriefing(models.Model):
    """The briefing of a checking commission's experts by its head before checking starts (п. 8.1.3, C29; V55:
    «не менее 30 минут»), held in a checking place with video surveillance and recording (п. 8.1, E1; V54)."""

    SCOPE_RESOURCE = "commissions"
    SCOPE_PATH = "commission__organization__path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="expert_briefings")
    commission = models.ForeignKey(
        "exams.Commission", on_delete=models.PROTECT, related_name="+", verbose_name="комиссия по проверке"
    )
    place = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, related_name="+", verbose_name="место проверки")
    held_on = models.DateField("дата")
    started_at = models.TimeField("начало (местное время)")
    ended_at = models.TimeField("окончание (местное время)")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    @property
    def minutes(self) -> int:
        return (self.ended_at.hour * 60 + self.ended_at.minute) - (self.started_at.hour * 60 + self.started_at.minute)


class Handover(models.Model):
    """Custody of the blanks: head → responsible person on day D (п. 7.11.1(3), 8.1.1), the
    responsible person → РЦОИ (originals, п. 8.1.1, 9.1.1)."""

    SCOPE_RESOURCE = "examday"
    SCOPE_PATH = "from_org__path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(
        "что передано",
        max_length=20,
        choices=[("originals_copies", "оригиналы и копии бланков"), ("originals_to_rcoi", "оригиналы бланков в РЦОИ")],
    )
    from_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    venue = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_person = models.CharField("передал", max_length=200)
    to_person = models.CharField("принял", max_length=200)
    handed_at = models.DateTimeField("когда")
    works = models.PositiveIntegerField("работ", default=0)
    late_reason = models.CharField("нарушение срока", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()


class WorkStatus(models.TextChoices):
    WAITING = "waiting", "ожидает назначения"
    ASSIGNED = "assigned", "назначена эксперту"
    CHECKED = "checked", "проверена экспертом"
    BLOCKED = "blocked", "расхождение при переносе"
    TRANSFERRED = "transferred", "оценки перенесены в оригинал"
    FINAL = "final", "результат окончательный"


class Work(models.Model):
    """A checked work: the copy the expert marks (identified by the work code only) and the original the
    authorized person transfers the marks into (E.2–E.3). Marks are ``{code: "зачет"|"незачет"}``."""

    SCOPE_RESOURCE = "works"
    SCOPE_PATHS = {"region": _PARTICIPANT_PATH, "subtree": _PARTICIPANT_PATH, "self_org": "@self"}
    # the region's staff through the work's session (its applications are the region's, п. 5.1): the region's
    # counts of works read the works alone
    SCOPE_REGION = "session__region"
    SCOPE_SELF = "expert__user"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="works")
    application = models.OneToOneField("exams.Application", on_delete=models.CASCADE, related_name="work")
    # The issued code record (п. 7.11.4), not a copy of its text: a spoiled blank's code is voided and a new
    # one issued (exams.printing.void_and_reissue), and the work follows it. The column keeps the code's text
    # (``to_field="code"``), so ``work.code`` needs no query and lookups by code stay one indexed column.
    work_code = models.OneToOneField(
        "exams.WorkCode",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="code",
        related_name="work",
        verbose_name="код работы",
    )
    school = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField("состояние", max_length=20, choices=WorkStatus.choices, default=WorkStatus.WAITING)
    expert = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="works", verbose_name="эксперт"
    )
    check_day = models.DateField("день проверки", null=True, blank=True)
    expert_requirements = models.JSONField(default=dict)
    expert_marks = models.JSONField(default=dict)
    expert_result = models.CharField("оценка эксперта", max_length=10, blank=True, choices=RESULT_CHOICES)
    checked_at = models.DateTimeField("проверена", null=True, blank=True)
    transfer_requirements = models.JSONField(default=dict)
    transfer_marks = models.JSONField(default=dict)
    transfer_result = models.CharField(max_length=10, blank=True, choices=RESULT_CHOICES)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transferred_at = models.DateTimeField(null=True, blank=True)
    mismatch = models.JSONField("расхождения", default=list)
    # п. 9.2: the recognised registration blank agrees with the entered marks (set by the scanning
    # reconciliation or by the operator's decisions in the verification queue).
    scan_verified_at = models.DateTimeField("сверка с бланком", null=True, blank=True)
    result = models.CharField("результат", max_length=10, blank=True, choices=RESULT_CHOICES)
    result_final = models.BooleanField("окончательный (после повторной проверки/перепроверки)", default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["work_code_id"]
        indexes = [models.Index(fields=["session", "status"]), models.Index(fields=["expert", "status"])]

    @property
    def code(self) -> str:
        """The work's code as printed (the text of :attr:`work_code`; no query)."""
        return self.work_code_id

    @code.setter
    def code(self, value: str) -> None:
        self.work_code_id = value


def recording_path(instance: Recording, filename: str) -> str:
    return f"recordings/{instance.session_id}/{instance.sha256[:2]}/{instance.sha256}.{instance.format or 'bin'}"


class Recording(models.Model):
    """An audio recording of an oral answer (the interview; the essay's oral form would use it too): one file
    per participant, kept under ``ITOG_MEDIA_ROOT``, SHA-256 deduplicated, with the checks made on arrival
    (decodable, duration against the ведомость, not silent). A flagged recording is kept and shown, so the
    participant can be re-recorded on an additional date. Audio is personal data: every playback is logged."""

    SCOPE_RESOURCE = "examday"
    SCOPE_PATH = _PARTICIPANT_PATH

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="recordings")
    application = models.ForeignKey("exams.Application", on_delete=models.CASCADE, related_name="recordings")
    file = models.FileField("файл", upload_to=recording_path, max_length=300)
    original_name = models.CharField("имя файла", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("размер, байт")
    format = models.CharField("формат", max_length=10, blank=True)
    duration_s = models.FloatField("длительность, с", default=0)
    problems = models.JSONField("замечания проверки", default=list)  # [{code, message, severity}]
    flagged = models.BooleanField("запись с замечаниями (перезапись)", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["session", "sha256"], name="uniq_recording_hash")]


def room_recording_path(instance: RoomRecording, filename: str) -> str:
    return f"recordings/{instance.session_id}/rooms/{instance.sha256[:2]}/{instance.sha256}.{instance.format or 'bin'}"


class RoomRecording(models.Model):
    """One audio file for a room and day (the interview's «per room» recording): the answers are cut out of it
    by the ведомость's start and end times (:class:`RecordingSpan`), relative to ``started_at`` — the moment
    the recorder was started, given by the uploader or, when not given, the first answer's start in the
    ведомость. SHA-256 deduplicated together with the per-participant files of the session. The file covers
    several participants, so nobody plays it whole through the site: each participant's span is cut on the
    server (playback logged)."""

    SCOPE_RESOURCE = "examday"
    SCOPE_PATH = "room__place__organization__path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="room_recordings")
    room = models.ForeignKey("orgs.Room", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("файл", upload_to=room_recording_path, max_length=300)
    original_name = models.CharField("имя файла", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("размер, байт")
    format = models.CharField("формат", max_length=10, blank=True)
    duration_s = models.FloatField("длительность, с", default=0)
    started_at = models.DateTimeField("начало записи")
    start_given = models.BooleanField("начало записи указано при загрузке", default=False)
    problems = models.JSONField("замечания проверки файла", default=list)  # [{code, message, severity}]
    flagged = models.BooleanField("файл с замечаниями", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["session", "sha256"], name="uniq_room_recording_hash")]


class RecordingSpan(models.Model):
    """One participant's answer within a room's file: the span (seconds from the file's start) from the
    ведомость, and the checks of that span (inside the file, not silent). A flagged span means the
    participant should be re-recorded on an additional date."""

    SCOPE_RESOURCE = "examday"
    SCOPE_PATH = _PARTICIPANT_PATH

    room_recording = models.ForeignKey(RoomRecording, on_delete=models.CASCADE, related_name="spans")
    application = models.ForeignKey("exams.Application", on_delete=models.CASCADE, related_name="recording_spans")
    start_s = models.FloatField("начало ответа в записи, с")
    end_s = models.FloatField("окончание ответа в записи, с")
    rms_dbfs = models.FloatField("уровень на участке ответа, дБ", null=True, blank=True)
    problems = models.JSONField("замечания проверки", default=list)
    flagged = models.BooleanField("участок с замечаниями (перезапись)", default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["room_recording", "start_s"]

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


class TransferAppointment(models.Model):
    """An authorized person appointed by an МОУО order to transfer marks into originals (п. 8.1.2)."""

    SCOPE_RESOURCE = "works"
    SCOPE_PATHS = {"region": "mouo__path", "subtree": "mouo__path", "self_org": "mouo__path"}

    mouo = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transfer_appointments")
    order_number = models.CharField("номер приказа МОУО", max_length=50)
    order_date = models.DateField("дата приказа")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()


class RecheckKind(models.TextChoices):
    RECHECK = "recheck", "повторная проверка (по заявлению)"
    PEREPROVERKA = "pereproverka", "перепроверка (по решению министерства)"


class RecheckStatus(models.TextChoices):
    FILED = "filed", "заявление подано"
    DECIDED = "decided", "решение министерства принято"
    REFUSED = "refused", "в проверке отказано"
    CLOSED = "closed", "протокол передан, результат окончательный"


class RecheckCase(models.Model):
    """A re-check on application (п. 8.2.1–8.2.2) or a перепроверка on the ministry's decision (п. 8.2.3);
    both are done by the regional commission and end with a protocol (п. 8.2.5–8.2.6)."""

    SCOPE_RESOURCE = "rechecks"
    SCOPE_PATH = "work__application__registration_org__path"
    SCOPE_SELF = "work__application__participant__user"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="rechecks")
    kind = models.CharField("вид", max_length=20, choices=RecheckKind.choices)
    status = models.CharField("состояние", max_length=20, choices=RecheckStatus.choices, default=RecheckStatus.FILED)
    filed_at = models.DateTimeField("подано", null=True, blank=True)
    copies = models.PositiveSmallIntegerField("экземпляров", default=2)
    certified_by = models.CharField("удостоверено (руководитель ОО)", max_length=200, blank=True)
    decided_at = models.DateTimeField("решение", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField("основание решения", max_length=500, blank=True)
    commission = models.ForeignKey(
        "exams.Commission", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marks = models.JSONField(default=dict)
    requirements = models.JSONField(default=dict)
    result = models.CharField("результат", max_length=10, blank=True, choices=RESULT_CHOICES)
    previous_result = models.CharField(max_length=10, blank=True, choices=RESULT_CHOICES)
    completed_on = models.DateField("проверка завершена", null=True, blank=True)
    protocol_number = models.CharField("номер протокола", max_length=50, blank=True)
    protocol_delivered_on = models.DateField("протокол передан в РЦОИ", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]


class ChainTask(models.Model):
    """One step of the forwarding chain of a re-check application with its deadline (пп. 3.2, 3.3, 8.1.1,
    8.2.1, 8.2.2; the seed's conflicting deadlines L2/L3 are all kept as separate tasks)."""

    SCOPE_RESOURCE = "rechecks"
    SCOPE_PATH = "case__work__application__registration_org__path"

    case = models.ForeignKey(RecheckCase, on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(max_length=40)
    label = models.CharField("задача", max_length=300)
    item = models.CharField("пункт", max_length=40)
    actor = models.CharField("исполнитель", max_length=20)
    due = models.DateField("срок")
    done_at = models.DateTimeField("выполнено", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]


class StorageItem(models.Model):
    """Something kept after the exam: copies with the responsible person (≥ 1 month, п. 8.1.1); originals,
    audio of oral works and report forms in РЦОИ until 1 March (п. 13)."""

    SCOPE_RESOURCE = "retention"
    SCOPE_PATH = "holder__path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="storage_items")
    kind = models.CharField("что хранится", max_length=20)  # rules StorageKind value
    holder = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    description = models.CharField("описание", max_length=300)
    quantity = models.PositiveIntegerField("количество", default=0)
    destroy_not_before = models.DateField("уничтожение не ранее")
    destroyed_at = models.DateTimeField("уничтожено", null=True, blank=True)
    act = models.ForeignKey("DestructionAct", on_delete=models.PROTECT, null=True, blank=True, related_name="items")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["destroy_not_before", "pk"]


class DestructionAct(models.Model):
    SCOPE_RESOURCE = "retention"
    SCOPE_PATH = "holder__path"

    number = models.CharField("номер акта", max_length=30)
    holder = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    destroyed_on = models.DateField("дата уничтожения")
    commission_text = models.CharField("состав комиссии", max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
