"""Commissions of a session: composition checked by the exam kind's rules (п. 3.2, 7.11.1), the order as DOCX."""

from __future__ import annotations

import io

from itog.exams.models import Application, Commission, CommissionKind
from itog.exams.kinds.base import ParticipantRef, Position, StaffMember, StaffRole, VenueData, Violation
from itog.exams.violations import Refused, violation

POSITIONS = {"директор": Position.HEAD, "заместитель": Position.DEPUTY_HEAD, "учитель": Position.TEACHER}


def _position(text: str) -> Position:
    lowered = text.lower()
    return next((p for word, p in POSITIONS.items() if lowered.startswith(word)), Position.OTHER)


def staff_members(commission: Commission) -> list[StaffMember]:
    out = []
    prefetched = "members" in getattr(commission, "_prefetched_objects_cache", {})
    for m in (commission.members.all() if prefetched else commission.members.select_related("employee")):
        e = m.employee
        position = _position(e.position)
        out.append(StaffMember(id=str(m.pk), full_name=e.full_name, school_id=str(e.organization_id),
                               position=position, is_pedagogical=position != Position.OTHER,
                               is_russian_specialist=e.is_russian_specialist, trained=m.trained,
                               role=StaffRole(m.role)))
    return out


def check_commissions(commissions) -> list[list[Violation]]:
    """:func:`check_commission` for a page of commissions in three queries (members, their employees, the
    participants of all their organizations) instead of three per commission."""
    from django.db.models import prefetch_related_objects

    commissions = list(commissions)
    if not commissions:
        return []
    prefetch_related_objects(commissions, "members__employee")
    by_org: dict[tuple[int, int], list[ParticipantRef]] = {}
    for a in (Application.objects.filter(session__in={c.session_id for c in commissions},
                                         participant__registration_org__in={c.organization_id for c in commissions})
              .values("pk", "session_id", "participant__registration_org_id", "participant__school_id",
                      "participant__last_name", "participant__first_name", "participant__middle_name")):
        name = " ".join(filter(None, (a["participant__last_name"], a["participant__first_name"],
                                      a["participant__middle_name"])))
        by_org.setdefault((a["session_id"], a["participant__registration_org_id"]), []).append(
            ParticipantRef(id=str(a["pk"]), full_name=name, school_id=str(a["participant__school_id"] or "")))
    return [check_commission(c, by_org.get((c.session_id, c.organization_id), [])) for c in commissions]


def check_commission(commission: Commission, participants: list[ParticipantRef] | None = None) -> list[Violation]:
    rules = commission.session.rules.commissions
    if participants is None:
        participants = [ParticipantRef(id=str(a.pk), full_name=a.participant.full_name,
                                       school_id=str(a.participant.school_id or ""))
                        for a in Application.objects.filter(session=commission.session,
                                                            participant__registration_org=commission.organization)
                        .select_related("participant")]
    members = staff_members(commission)
    if commission.kind == CommissionKind.CONDUCT:
        venue = VenueData(id=str(commission.venue_id or commission.organization_id),
                          school_id=str(commission.organization_id))
        return rules.check_conduct_commission(members, venue, participants)
    if commission.kind == CommissionKind.CHECK:
        return rules.check_checking_commission(members, participants)
    return []


def order_docx(commission: Commission) -> bytes:
    """Проект приказа об утверждении состава комиссии (DOCX), for the official to sign."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    org = commission.organization
    head = doc.add_paragraph(org.name)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("ПРИКАЗ").bold = True
    doc.add_paragraph(f"от «___» __________ 20__ г.                                        № {commission.order_number or '____'}")
    what = commission.get_kind_display()
    p = doc.add_paragraph()
    name = commission.session.rules.genitive
    p.add_run(f"Об утверждении состава {what.replace('комиссия', 'комиссии')} {name} "
              f"{commission.session.date:%d.%m.%Y}").bold = True
    doc.add_paragraph(f"В соответствии с Порядком проведения и проверки {name} (п. 3.2) приказываю:")
    place = f" в месте проведения «{commission.venue.name}»" if commission.venue_id else ""
    doc.add_paragraph(f"1. Утвердить состав {what.replace('комиссия', 'комиссии')}{place} (прилагается).")
    doc.add_paragraph("2. Контроль за исполнением настоящего приказа оставляю за собой.")
    doc.add_paragraph("\nРуководитель ______________ / ______________")
    doc.add_page_break()
    doc.add_paragraph(f"Приложение к приказу № {commission.order_number or '____'}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["№", "ФИО", "Должность, место работы", "Роль в комиссии"]):
        cell.text = text
    for i, m in enumerate(commission.members.select_related("employee", "employee__organization").order_by("role"), 1):
        row = table.add_row().cells
        row[0].text, row[1].text = str(i), m.employee.full_name
        row[2].text = f"{m.employee.position}, {m.employee.organization.display_name}"
        row[3].text = m.get_role_display()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


CommissionRefused = Refused  # the one refusal; the old name kept for its callers


def create_commission(session, kind: str, organization, venue, creator_org, order_number: str = "",
                      order_date=None, user=None) -> Commission:
    """A commission is created by whom the procedure says (п. 3.1, 3.2; C1–C4): the МОУО for ОО,
    the ministry for its own places and for the regional re-check commission."""
    from itog.orgs.kinds import OrgKind as DirectoryKind

    from itog.exams.kinds.base import OrgKind, VenueKind

    rules = session.rules.commissions
    venue_kind = None
    if kind != CommissionKind.REGIONAL_RECHECK:
        venue_kind = VenueKind.OO if organization.kind == DirectoryKind.SCHOOL else VenueKind.MINISTRY_PLACE
    creator = rules.commission_creator(kind, venue_kind)
    allowed = {OrgKind.MINISTRY: {DirectoryKind.MINISTRY, DirectoryKind.RCOI}, OrgKind.MOUO: {DirectoryKind.MOUO},
               OrgKind.OO: {DirectoryKind.SCHOOL}}  # the interview: the school forms its own commission
    if creator_org.kind not in allowed.get(creator, set()) and creator_org.kind not in (DirectoryKind.RCOI,):
        who = {OrgKind.MINISTRY: "министерство", OrgKind.OO: "ОО"}.get(creator, "МОУО")
        raise Refused([violation("X56", creator=who)])
    if kind == CommissionKind.CONDUCT and venue is None:
        raise Refused([violation("X57", field="venue")])
    if Commission.objects.filter(session=session, kind=kind, organization=organization, venue=venue).exists():
        raise Refused([violation("X58")])
    commission = Commission(session=session, kind=kind, organization=organization, venue=venue,
                            order_number=order_number, order_date=order_date)
    commission._history_user = user
    commission.save()
    return commission
