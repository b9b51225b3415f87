"""Commission composition checked by the rules (п. 3.2, 7.11.1) and the order as DOCX."""

from __future__ import annotations

import html
import io

from docx import Document

from itog.exams.models import Commission, CommissionMember
from itog.orgs.models import Place, PlaceKind
from itog.people.models import Employee
from tests.exams.fixtures import essay_session


def make_commission(region, members):
    session = essay_session(region)
    venue = Place.objects.get(organization=region.school1, kind=PlaceKind.VENUE)
    c = Commission.objects.create(
        session=session, kind="conduct", organization=region.school1, venue=venue, order_number="15-ИС"
    )
    for employee, role in members:
        CommissionMember.objects.create(commission=c, employee=employee, role=role, trained=True)
    return c


def test_p_3_2_composition_violations_are_shown(login, region):
    russian = Employee.objects.filter(organization=region.school1, is_russian_specialist=True).first()
    director = Employee.objects.get(organization=region.school1, position="Директор")
    c = make_commission(region, [(director, "conduct_head"), (russian, "organizer_in_room")])
    page = html.unescape(login("mouo").get(f"/commissions/{c.pk}/").content.decode())
    assert "Состав не соответствует Порядку" in page
    assert "[V22]" in page and "[V23]" in page
    assert "не менее трех" in page


def test_adding_members_fixes_the_composition(login, region):
    director = Employee.objects.get(organization=region.school1, position="Директор")
    c = make_commission(region, [(director, "conduct_head")])
    client = login("mouo")
    others = Employee.objects.filter(organization=region.school1, is_russian_specialist=False).exclude(pk=director.pk)
    for e in others[:3]:
        response = client.post(
            f"/commissions/{c.pk}/", {"employee": e.pk, "role": "organizer_in_room", "trained": "on"}
        )
        assert response.status_code == 302
    page = html.unescape(client.get(f"/commissions/{c.pk}/").content.decode())
    assert "Состав соответствует Порядку" in page
    assert login("school2").get(f"/commissions/{c.pk}/").status_code == 404
    # An ОО operator sees the commission but cannot change it (МОУО creates commissions in ОО, п. 3.2).
    assert login("school").post(f"/commissions/{c.pk}/", {"employee": others[0].pk, "role": "medic"}).status_code == 403


def test_order_docx_lists_the_members(login, region):
    director = Employee.objects.get(organization=region.school1, position="Директор")
    others = Employee.objects.filter(organization=region.school1, is_russian_specialist=False).exclude(pk=director.pk)
    c = make_commission(region, [(director, "conduct_head")] + [(e, "organizer_in_room") for e in others[:3]])
    doc = Document(io.BytesIO(login("mouo").get(f"/commissions/{c.pk}/order.docx").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ПРИКАЗ" in text and "№ 15-ИС" in text and "комиссии по проведению" in text
    cells = [cell.text for row in doc.tables[0].rows for cell in row.cells]
    assert director.full_name in cells and "руководитель комиссии по проведению" in cells


def test_mouo_creates_a_conduct_commission_for_its_school(login, region):
    session = essay_session(region)
    venue = Place.objects.get(organization=region.school1, kind=PlaceKind.VENUE)
    client = login("mouo")
    response = client.post(
        f"/sessions/{session.pk}/commissions/", {"kind": "conduct", "organization": region.school1.pk}
    )
    assert "укажите место проведения" in html.unescape(response.content.decode())
    response = client.post(
        f"/sessions/{session.pk}/commissions/",
        {"kind": "conduct", "organization": region.school1.pk, "venue": venue.pk, "order_number": "7"},
    )
    assert response.status_code == 302
    c = Commission.objects.get(organization=region.school1)
    assert c.venue == venue and c.history.first().history_user == region.user("mouo")
    # The regional re-check commission is the ministry's (п. 3.1).
    response = client.post(
        f"/sessions/{session.pk}/commissions/", {"kind": "regional_recheck", "organization": region.school1.pk}
    )
    assert "создает министерство" in html.unescape(response.content.decode())


def test_assistant_is_linked_to_an_ovz_participant_and_seated_with_them(login, region):
    from datetime import date

    from itog.exams.registration.services import register
    from itog.exams.seating.services import seat_session
    from tests.exams.fixtures import student_registration

    session = essay_session(region)
    reg = student_registration(region.school1, personal={"health_category": "ovz"}, documents={"pmpk"})
    app = register(reg, session, region.school1, today=date(2026, 11, 10)).application
    c = make_commission(
        region,
        [
            (e, "organizer_in_room")
            for e in Employee.objects.filter(organization=region.school1, is_russian_specialist=False)[:4]
        ],
    )
    assistant = Employee.objects.filter(organization=region.school1, is_russian_specialist=True).first()
    response = login("mouo").post(
        f"/commissions/{c.pk}/",
        {"employee": assistant.pk, "role": "assistant", "trained": "on", "assisted": [app.participant_id]},
    )
    assert response.status_code == 302
    member = CommissionMember.objects.get(commission=c, role="assistant")
    assert list(member.assisted.all()) == [app.participant]
    run = seat_session(session, seed=5)
    assert run.seated == 1 and run.problems == []


def test_commission_list_queries_do_not_grow_with_the_commissions(login, region):
    """The commissions page checks every row's composition in a fixed number of queries: the region's
    procedure profile and the kind's rules are read once per session, not once per commission (found at
    Moscow size: 50 profile reads for a page of 50)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from itog.orgs.models import Organization

    session = essay_session(region)
    client = login("minobr")

    def page_queries() -> int:
        client.get(f"/sessions/{session.pk}/commissions/")  # warm the per-process caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/sessions/{session.pk}/commissions/")
        assert response.status_code == 200
        return len(ctx)

    schools = list(Organization.objects.filter(kind="school").order_by("code")[:6])
    Commission.objects.create(session=session, kind="conduct", organization=schools[0], order_number="1")
    one = page_queries()
    for school in schools[1:]:
        Commission.objects.create(session=session, kind="conduct", organization=school, order_number="1")
    assert Commission.objects.filter(session=session).count() >= 6
    assert page_queries() == one
