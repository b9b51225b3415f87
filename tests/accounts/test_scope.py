"""Each role sees exactly its scope — checked against an oracle built from
parent links, independent of the materialised paths the scoping layer uses."""

from __future__ import annotations

import re

import pytest

from itog.orgs.models import Organization
from itog.people.models import Student


def subtree_ids(root: Organization) -> set[int]:
    ids, frontier = {root.pk}, [root.pk]
    while frontier:
        children = list(Organization.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(children)
        frontier = children
    return ids


def api_org_ids(client) -> set[int]:
    ids, page = set(), 1
    while True:
        body = client.get(f"/api/v1/orgs/?page={page}").json()
        ids.update(item["id"] for item in body["items"])
        if len(ids) >= body["count"]:
            return ids
        page += 1


@pytest.mark.parametrize(
    "role,root",
    [
        ("minobr", "ministry"),
        ("inspector", "ministry"),
        ("rcoi", "ministry"),
        ("mouo", "mouo1"),
        ("mouo2", "mouo2"),
        ("school", "school1"),
        ("school2", "school2"),
    ],
)
def test_each_role_sees_exactly_its_subtree(login, region, role, root):
    expected = subtree_ids(getattr(region, root))
    assert api_org_ids(login(role)) == expected


def test_expert_sees_only_own_organization(login, region):
    assert api_org_ids(login("expert")) == {region.school3.pk}


def test_participant_sees_no_organizations_and_only_self(login, region):
    client = login("participant")
    assert api_org_ids(client) == set()
    own = Student.objects.get(user=region.user("participant"))
    assert list(Student.objects.for_user(region.user("participant"))) == [own]
    page = client.get("/students/").content.decode()
    assert own.full_name in page
    assert re.findall(r'href="/students/(\d+)/"', page) == [str(own.pk)]


def test_school_operator_student_list_is_own_school(login, region):
    client = login("school")
    visible = Student.objects.for_user(region.user("school"))
    assert set(visible.values_list("school_id", flat=True)) == {region.school1.pk}
    assert visible.count() == Student.objects.filter(school=region.school1).count()
    other = Student.objects.filter(school=region.school1b).first()
    page = client.get(f"/students/?q={other.last_name}").content.decode()
    assert f"/students/{other.pk}/" not in page


def test_edit_scope_is_narrower_than_view(region):
    inspector = region.user("inspector")
    assert Organization.objects.for_user(inspector).count() > 0
    assert Organization.objects.for_user(inspector, "edit").count() == 0


def test_no_memberships_no_data(region, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
    assert Organization.objects.for_user(nobody).count() == 0
    assert Student.objects.for_user(nobody).count() == 0


def test_inactive_membership_grants_nothing(region):
    user = region.user("school")
    user.memberships.update(is_active=False)
    user.refresh_from_db()
    assert Student.objects.for_user(user).count() == 0


def test_moving_a_school_moves_its_scope(region):
    """Re-parenting rewrites the materialised path, so the scope follows."""
    school = region.school1b
    school.parent = region.mouo2
    school.save()
    mouo2 = region.user("mouo2")
    assert Organization.objects.for_user(mouo2).filter(pk=school.pk).exists()
    assert not Organization.objects.for_user(region.user("mouo")).filter(pk=school.pk).exists()
    assert (
        Student.objects.for_user(mouo2).filter(school=school).count() == Student.objects.filter(school=school).count()
    )


# The architecture rule (views never filter by hand, every domain model is scoped):
# tests/accounts/test_scope_coverage.py


def test_seats_are_seen_by_the_exam_day_of_their_venue(region):
    """SCOPE_AS: the exam day of a venue reads the seats there, whoever registered the participants;
    the participants' own scope (resource «participants») is unchanged; a resource the model does not
    declare is a programming error, not an empty answer."""
    from itog.exams.models import Seat
    from tests.conduct.fixtures import seated_session

    _, run = seated_session(region)
    commission, school2 = region.user("commission"), region.user("school2")
    day = set(Seat.objects.for_user(commission, "examday:view").filter(run=run).values_list("pk", flat=True))
    oracle = set(run.seats.filter(venue__organization=region.school1).values_list("pk", flat=True))
    assert day == oracle and oracle
    assert not Seat.objects.for_user(commission).exists(), "a commission head browses no participants"
    other = set(Seat.objects.for_user(school2, "examday:view").filter(run=run).values_list("pk", flat=True))
    assert other == set(run.seats.filter(venue__organization=region.school2).values_list("pk", flat=True))
    assert not other & day
    own = set(Seat.objects.for_user(school2).filter(run=run).values_list("pk", flat=True))
    assert own == set(
        run.seats.filter(application__participant__registration_org=region.school2).values_list("pk", flat=True)
    )
    with pytest.raises(ValueError):
        Seat.objects.for_user(commission, "works:view")
