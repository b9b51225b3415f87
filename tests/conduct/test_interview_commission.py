"""The interview's commission through the shared commission service: the school creates it (not the МОУО), its
members hold the interview's roles, and the interview's rules check the composition (I31 missing roles, I32 the
собеседник and the эксперт one person by default)."""

from __future__ import annotations

import pytest

from itog.exams.commissions.services import check_commission, create_commission
from itog.exams.models import CommissionMember
from itog.exams.violations import Refused
from itog.orgs.models import Place
from itog.people.models import Employee
from tests.conduct.interview import interview_session

pytestmark = pytest.mark.django_db


def test_school_forms_its_interview_commission(region):
    from tests.conduct.fixtures import add_staff

    add_staff(region)
    session = interview_session(region)
    venue = Place.objects.filter(organization=region.school1).first()
    with pytest.raises(Refused, match="создает ОО"):
        create_commission(session, "conduct", region.school1, venue, region.mouo1)
    commission = create_commission(session, "conduct", region.school1, venue, region.school1)
    people = list(Employee.objects.filter(organization=region.school1).order_by("pk")[:5])
    CommissionMember.objects.create(commission=commission, employee=people[0], role="responsible")
    CommissionMember.objects.create(commission=commission, employee=people[1], role="interlocutor")
    problems = {v.code for v in check_commission(commission)}
    assert "I31" in problems  # no эксперт, организатор, технический специалист yet
    CommissionMember.objects.create(commission=commission, employee=people[1], role="expert")
    CommissionMember.objects.create(commission=commission, employee=people[2], role="organizer")
    CommissionMember.objects.create(commission=commission, employee=people[3], role="tech_specialist")
    assert [v.code for v in check_commission(commission)] == ["I32"]  # one person: собеседник and эксперт
    CommissionMember.objects.filter(commission=commission, employee=people[1], role="expert").update(employee=people[4])
    assert check_commission(commission) == []
