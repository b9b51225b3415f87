"""The data migration that turned Work.code into a foreign key repairs works left with a stale code."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("conduct", "0002_historicalwork_scan_verified_at_and_more"),
    ("exams", "0006_commissionmember_capacity_per_day_and_more"),
]
AFTER = [("conduct", "0003_work_code_foreign_key")]


@pytest.mark.django_db(transaction=True)
def test_stale_work_codes_follow_the_current_code():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Organization = apps.get_model("orgs", "Organization")
    ExamSession = apps.get_model("exams", "ExamSession")
    Participant = apps.get_model("exams", "Participant")
    Application = apps.get_model("exams", "Application")
    WorkCode = apps.get_model("exams", "WorkCode")
    Work = apps.get_model("conduct", "Work")
    region = Organization.objects.create(name="Регион", kind="ministry", code="R", path="/r/")
    session = ExamSession.objects.create(
        region=region,
        kind="essay",
        academic_year="2023/24",
        stage="main",
        date=date(2023, 12, 6),
        rule_date=date(2023, 12, 6),
    )
    codes = ["996100000101", "996100000201"]
    works = []
    for i in range(2):
        person = Participant.objects.create(
            category="student",
            registration_org=region,
            last_name=f"Ф{i}",
            first_name="И",
            birth_date=date(2006, 1, 1),
            document_number=f"{i}",
        )
        app = Application.objects.create(
            participant=person, session=session, application_form="app1", registration_number=f"N{i}"
        )
        WorkCode.objects.create(application=app, code=codes[i], serial=10 + i)
        works.append(Work.objects.create(session=session, application=app, code=codes[i]))
    # The first participant's blank was spoiled after the works were made: the old text stayed on the work.
    WorkCode.objects.filter(code=codes[0]).update(voided_at="2023-12-06T10:00:00Z")
    WorkCode.objects.create(application_id=works[0].application_id, code="996100000302", serial=12)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Work = apps.get_model("conduct", "Work")
    assert Work.objects.get(pk=works[0].pk).work_code_id == "996100000302"  # repaired
    assert Work.objects.get(pk=works[1].pk).work_code_id == codes[1]  # untouched
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
