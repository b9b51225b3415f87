"""Roadmaps and plan-schedules as living plans: items, assignments, progress, versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from itog.accounts.scope import ScopedQuerySet


class PlanKind(models.TextChoices):
    ROADMAP = "roadmap", "Дорожная карта"
    SCHEDULE = "schedule", "План-график"


class Plan(models.Model):
    """An imported roadmap or plan-schedule of a region.

    Region-wide roles see every plan of their region; other organizations see
    a plan when one of its items is assigned to them.
    """

    SCOPE_RESOURCE = "plans"
    SCOPE_PATHS = {
        "region": "region__path",
        "subtree": "items__assignments__organization__path",
        "self_org": "items__assignments__organization__path",
    }

    region = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="регион")
    title = models.CharField("наименование", max_length=1000)
    kind = models.CharField("вид", max_length=20, choices=PlanKind.choices, default=PlanKind.ROADMAP)
    year = models.CharField("учебный год", max_length=9, blank=True)
    approved = models.CharField("утвержден", max_length=500, blank=True)
    controller = models.CharField(
        "контроль исполнения",
        max_length=300,
        blank=True,
        help_text="Должностное лицо, на которое возложен контроль исполнения.",
    )
    # Templates: dates are kept as offsets from an anchor event (D−27 … D+23).
    is_template = models.BooleanField("шаблон", default=False)
    anchor_event = models.CharField("опорное событие", max_length=40, blank=True)
    anchor_date = models.DateField("дата опорного события", null=True, blank=True)
    template = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instances",
        verbose_name="создан по шаблону",
    )
    # A template's plan of origin: its instances are assigned to the same organizations
    # (the template itself carries no assignments — nobody executes a template).
    source_plan = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="templates",
        verbose_name="шаблон сделан из плана",
    )
    # Dates of the events relative deadlines count from: {"exam_day": "2023-12-06", "gia_start": …}.
    anchors = models.JSONField("даты опорных событий", default=dict, blank=True)
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "план"
        verbose_name_plural = "планы"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title[:120]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plan_detail", args=[self.pk])


class PlanVersion(models.Model):
    """One import of the plan's document; re-importing a corrected file adds a version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    source_name = models.CharField(max_length=300)
    source_format = models.CharField(max_length=10)
    source_file = models.FileField(upload_to="plans/%Y/", blank=True)
    snapshot = models.JSONField(help_text="Разобранный документ (JSON), для сравнения версий.")
    diff = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="uniq_plan_version")]


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=1000)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.title


class DeadlineKind(models.TextChoices):
    DATE = "date", "дата"
    BY_DATE = "by_date", "не позднее даты"
    WINDOW = "window", "период"
    WINDOWS = "windows", "несколько периодов"
    CONTINUOUS = "continuous", "постоянно"
    RECURRING = "recurring", "периодически"
    RELATIVE = "relative", "относительно события"
    EVENT_PERIOD = "event_period", "в период события"
    EXTERNAL = "external", "по внешнему графику"
    UNKNOWN = "unknown", "не распознан"


class PlanItem(models.Model):
    SCOPE_RESOURCE = "plans"
    SCOPE_PATHS = {
        "region": "plan__region__path",
        "subtree": "assignments__organization__path",
        "self_org": "assignments__organization__path",
    }

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    key = models.CharField("идентификатор", max_length=40)
    number = models.CharField("№", max_length=40, blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    order = models.PositiveIntegerField()
    activity = models.TextField("мероприятие")
    deadline_raw = models.TextField("сроки (как в документе)", blank=True)
    responsible_raw = models.TextField("ответственные (как в документе)", blank=True)
    deadline = models.JSONField("разобранный срок", default=dict)
    deadline_kind = models.CharField(
        "вид срока", max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.UNKNOWN
    )
    due_start = models.DateField("начало", null=True, blank=True, db_index=True)
    due_end = models.DateField("окончание", null=True, blank=True, db_index=True)
    responsible = models.JSONField("ответственные (канонически)", default=list)
    persons = models.JSONField("ответственные лица", default=list)
    track = models.CharField("направление", max_length=20, blank=True)
    inherited = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    # Columns of the document beyond №/activity/deadline/responsible, kept as written:
    # {"Результат": "…", "Отметка об исполнении": "…", "Ссылка": "…"}.
    extra = models.JSONField("дополнительные столбцы", default=dict, blank=True)
    line = models.PositiveIntegerField("строка документа", null=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="uniq_plan_item_key")]

    def __str__(self) -> str:
        return f"{self.key}. {self.activity[:80]}"

    @property
    def windows(self) -> list[dict]:
        return self.deadline.get("windows") or []

    @property
    def deadline_display(self) -> str:
        """The deadline as it applies to this plan. In a plan re-projected from a template the
        document's phrase still names the source year's dates, so the projected dates are shown
        instead; in a template the offsets from the anchor (D−27 … D+3)."""
        return deadline_text(self.deadline, self.deadline_raw)


def _fmt(value: str | None) -> str:
    return f"{value[8:10]}.{value[5:7]}.{value[:4]}" if value else ""


def deadline_text(deadline: dict, raw: str) -> str:
    offsets = deadline.get("offsets")
    if not offsets:
        return raw
    if not deadline.get("projected"):
        labels = []
        for o in offsets:
            a, b = (("D" if o[k] == 0 else f"D{o[k]:+d}".replace("-", "−")) for k in ("start", "end"))
            labels.append(a if a == b else f"{a} … {b}")
        return ", ".join(labels)
    parts = []
    for w in deadline.get("windows") or []:
        start, end = _fmt(w.get("start")), _fmt(w.get("end"))
        label = f"{w['session']}: " if w.get("session") else ""
        if deadline.get("kind") == "by_date" and end:
            parts.append(f"{label}до {end}")
        elif start and end and start != end:
            parts.append(f"{label}{start} – {end}")
        else:
            parts.append(label + (end or start))
    return "; ".join(p for p in parts if p) or raw


class Status(models.TextChoices):
    NEW = "new", "не начато"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнено"
    NOT_DONE = "not_done", "не выполнено"


class Assignment(models.Model):
    """An item assigned to one organization (and optionally a named person), with its current status."""

    SCOPE_RESOURCE = "plans"
    SCOPE_PATHS = {
        "region": "item__plan__region__path",
        "subtree": "organization__path",
        "self_org": "organization__path",
    }

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="plan_assignments", verbose_name="организация"
    )
    person = models.CharField("ответственное лицо", max_length=200, blank=True)
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.NEW)
    comment = models.TextField("комментарий", blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "назначение"
        verbose_name_plural = "назначения"
        constraints = [models.UniqueConstraint(fields=["item", "organization"], name="uniq_assignment")]


class ProgressReport(models.Model):
    """A report on an assignment: status, comment, evidence files."""

    SCOPE_RESOURCE = "plans"
    SCOPE_PATHS = {
        "region": "assignment__item__plan__region__path",
        "subtree": "assignment__organization__path",
        "self_org": "assignment__organization__path",
    }

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField("состояние", max_length=20, choices=Status.choices)
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]


class Evidence(models.Model):
    SCOPE_RESOURCE = "plans"
    SCOPE_PATHS = {
        "region": "report__assignment__item__plan__region__path",
        "subtree": "report__assignment__organization__path",
        "self_org": "report__assignment__organization__path",
    }

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("файл", upload_to="evidence/%Y/%m/")
    name = models.CharField("имя файла", max_length=255)
    size = models.PositiveIntegerField()

    objects = ScopedQuerySet.as_manager()


class Finding(models.Model):
    """A defect the importer or the linter found in the document."""

    SCOPE_RESOURCE = "plans"
    SCOPE_PATHS = {"region": "plan__region__path"}

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, null=True, blank=True, related_name="findings")
    code = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, default="warning")
    message = models.TextField()
    quote = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "item__order", "code"]


class UnresolvedActor(models.Model):
    """A responsible name the alias dictionary does not know yet (map it once, then re-resolve)."""

    SCOPE_RESOURCE = "plans"
    SCOPE_PATHS = {"region": "plan__region__path"}

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="unresolved")
    name = models.CharField(max_length=500)
    items = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-items", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="uniq_unresolved_actor")]
