"""The participant's place of registration copied onto each application (issue 12: the region's counts read the
applications alone), the п. 5.1 guard that keeps a session's applications in its region, and the region's
scope of seats and works through their session — checked against the participants' places, the scope the
rest of the system uses."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from itog.accounts.models import Membership
from itog.conduct.models import Work
from itog.exams.models import Application, Participant, Seat
from itog.exams.registration.importing import import_participants
from itog.exams.registration.services import register
from itog.orgs.models import Organization
from tests.conduct.fixtures import repeated_fail
from tests.exams.fixtures import essay_session, registered_application, student_registration


def _mismatched() -> int:
    return Application.objects.exclude(registration_org=F("participant__registration_org")).count()


def _other_region():
    ministry = Organization.objects.create(kind="ministry", code="OTHER-REG", name="Министерство другого региона")
    school = Organization.objects.create(kind="school", code="OTHER-S1", name="Школа другого региона", parent=ministry)
    user = get_user_model().objects.create_user("other_minobr", password="x-very-long-1")
    Membership.objects.create(user=user, role="ministry_admin", organization=ministry)
    return ministry, school, user


def test_every_way_of_making_an_application_copies_the_place(region):
    app = registered_application(region)
    assert app.registration_org_id == app.participant.registration_org_id == region.school1.pk
    # the demo's bulk loading, the seating, the checking and the re-admission to the additional date
    main, additional, _ = repeated_fail(region)
    assert Application.objects.filter(session=additional).exists()
    assert Application.objects.count() > 100
    assert _mismatched() == 0


def test_a_place_of_another_region_is_refused_for_the_session(region):
    session = essay_session(region)
    _, school, user = _other_region()
    assert school.path.startswith(Organization.objects.get(code="OTHER-REG").path)
    result = register(student_registration(school), session, school, today=date(2026, 11, 10))
    assert result.application is None
    assert [v.code for v in result.violations] == ["X83"]
    assert "Школа другого региона не входит в регион этой даты участия" in result.violations[0].message
    before = Participant.objects.count()
    report = import_participants(b"not read at all", "list.xlsx", session, school, user, date(2026, 11, 1))
    assert not report.saved and report.created == 0
    assert report.errors and "не входит в регион этой даты участия" in report.errors[0]
    assert Participant.objects.count() == before


def test_region_sees_seats_and_works_of_its_sessions_exactly(region):
    """The region's staff reach seats and works through the session; the oracle is the participants' places."""
    main, additional, _ = repeated_fail(region)
    minobr = region.user("minobr")
    seats = set(Seat.objects.for_user(minobr).values_list("pk", flat=True))
    works = set(Work.objects.for_user(minobr).values_list("pk", flat=True))
    path = region.ministry.path
    assert seats and seats == set(
        Seat.objects.filter(application__participant__registration_org__path__startswith=path).values_list(
            "pk", flat=True
        )
    )
    assert works and works == set(
        Work.objects.filter(application__participant__registration_org__path__startswith=path).values_list(
            "pk", flat=True
        )
    )
    # a municipality still reaches only its schools' seats (by the registration place, not the session)
    mouo = region.user("mouo")
    mine = set(Seat.objects.for_user(mouo).values_list("application__registration_org__path", flat=True))
    assert mine and all(p.startswith(region.mouo1.path) for p in mine)
    # another region's ministry sees none of them
    _, _, other = _other_region()
    assert not Seat.objects.for_user(other).exists()
    assert not Work.objects.for_user(other).exists()
    assert not Application.objects.for_user(other).exists()


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_place_from_the_participant():
    before = [("exams", "0012_participant_personal_data_removed_on")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Org = apps.get_model("orgs", "Organization")
    Session = apps.get_model("exams", "ExamSession")
    Person = apps.get_model("exams", "Participant")
    App = apps.get_model("exams", "Application")
    region = Org.objects.create(name="Регион", kind="ministry", code="R", path="9/")
    school = Org.objects.create(name="Школа", kind="school", code="S", path="9/10/", parent=region, depth=1)
    session = Session.objects.create(
        region=region,
        kind="essay",
        academic_year="2026/27",
        stage="main",
        date=date(2026, 12, 2),
        rule_date=date(2026, 12, 2),
    )
    ids = []
    for i, org in enumerate((region, school)):
        person = Person.objects.create(
            category="student", registration_org=org, last_name=f"Ф{i}", first_name="И", birth_date=date(2009, 1, 1)
        )
        ids.append(
            (
                App.objects.create(
                    participant=person, session=session, application_form="app1", registration_number=f"N{i}"
                ).pk,
                org.pk,
            )
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    for pk, org in ids:
        assert Application.objects.get(pk=pk).registration_org_id == org
    assert _mismatched() == 0
