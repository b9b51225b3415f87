"""Pre-aggregated results (the pages read only these tables).

``ResultFact`` is one row per session × registration place (school, МОУО or the ministry's place) ×
category × ОВЗ × form (сочинение/изложение/…) with the counts of the exam day and of the results;
``CriterionFact`` its per-criterion failures; ``RegionFact`` the region's totals (what every user of the
region may compare with); ``ExpertFact`` one row per session × expert. Kind-neutral: the session's
``kind`` and the kind's criteria data decide what is counted; nothing here knows the essay.

Rows come from :func:`itog.analytics.refresh.refresh_session` (publication, closed re-checks,
``itog analytics refresh``) or, for archived years, from a bulk load (``source = "archive"``).
Paths are copied onto the rows so that the scoping layer filters them without a join.
"""

from __future__ import annotations

from django.db import models

from itog.accounts.scope import ScopedQuerySet

COUNTERS = (
    "registered",
    "participants",
    "absent",
    "not_finished",
    "removed",
    "checked",
    "passed",
    "failed",
    "readmitted",
    "rechecks",
    "recheck_changed",
    "pereproverki",
    "pereproverka_changed",
)


class Source(models.TextChoices):
    WORKS = "works", "рассчитано по работам"
    ARCHIVE = "archive", "загружено (архив прошлых лет)"


class _Counts(models.Model):
    registered = models.PositiveIntegerField("зарегистрировано", default=0)
    participants = models.PositiveIntegerField("явились", default=0)
    absent = models.PositiveIntegerField("не явились", default=0)
    not_finished = models.PositiveIntegerField("не закончили", default=0)
    removed = models.PositiveIntegerField("удалены", default=0)
    checked = models.PositiveIntegerField("проверено работ", default=0)
    passed = models.PositiveIntegerField("«зачет»", default=0)
    failed = models.PositiveIntegerField("«незачет»", default=0)
    readmitted = models.PositiveIntegerField("повторно допущены", default=0)
    rechecks = models.PositiveIntegerField("повторных проверок", default=0)
    recheck_changed = models.PositiveIntegerField("результат изменен при повторной проверке", default=0)
    pereproverki = models.PositiveIntegerField("перепроверок", default=0)
    pereproverka_changed = models.PositiveIntegerField("результат изменен при перепроверке", default=0)

    class Meta:
        abstract = True


class ResultFact(_Counts):
    SCOPE_RESOURCE = "analytics"
    SCOPE_PATH = "org_path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    academic_year = models.CharField(max_length=9)
    exam_date = models.DateField()
    stage = models.CharField(max_length=20)
    region = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, related_name="+")
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255)
    category = models.CharField(max_length=20)
    health = models.BooleanField("ОВЗ, инвалидность", default=False)
    form = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WORKS)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "academic_year", "org_path"], name="fact_kind_year_path"),
            models.Index(fields=["session", "org"], name="fact_session_org"),
            models.Index(fields=["org_path"], name="fact_path", opclasses=["varchar_pattern_ops"]),
        ]


class CriterionFact(models.Model):
    SCOPE_RESOURCE = "analytics"
    SCOPE_PATH = "fact__org_path"

    fact = models.ForeignKey(ResultFact, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=10)
    failed = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["fact", "code"], name="critfact_fact_code")]


class RegionFact(_Counts):
    """The region's totals per session × category × ОВЗ × form: every user of the region compares with them
    (a school sees its own figures and these, never another school's)."""

    SCOPE_RESOURCE = "analytics"
    SCOPE_ANCESTOR = "region_path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    academic_year = models.CharField(max_length=9)
    exam_date = models.DateField()
    stage = models.CharField(max_length=20)
    region = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    region_path = models.CharField(max_length=255)
    category = models.CharField(max_length=20)
    health = models.BooleanField(default=False)
    form = models.CharField(max_length=20)
    criteria = models.JSONField(default=dict)  # code → [failed, checked]

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "academic_year", "region_path"], name="regionfact_kind_year")]


class ExpertFact(models.Model):
    """One expert in one session: works checked, «незачет» given, works re-checked and results changed.
    Seen with ``analytics:experts`` (the ministry, РЦОИ, inspectors; an МОУО for its own experts)."""

    SCOPE_RESOURCE = "analytics"
    SCOPE_PATH = "org_path"

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    academic_year = models.CharField(max_length=9)
    region = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    pool = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, related_name="+")
    org_path = models.CharField(max_length=255)
    checked = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    rechecked = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "academic_year", "org_path"], name="expertfact_kind_year")]


class RefreshLog(models.Model):
    """When the aggregates of a session were last rebuilt, by what, how long it took."""

    SCOPE_RESOURCE = "analytics"
    SCOPE_ANCESTOR = "session__region__path"

    session = models.OneToOneField("exams.ExamSession", on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField(auto_now=True)
    reason = models.CharField(max_length=100)
    seconds = models.FloatField(default=0)
    facts = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
