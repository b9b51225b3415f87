"""Commissions of a session: composition checked by the exam kind's rules (п. 3.2, 7.11.1), the order as DOCX."""

from __future__ import annotations

import io

from itog.exams.kinds.base import ParticipantRef, Position, StaffMember, StaffRole, VenueData, Violation
from itog.exams.models import Application, Commission, CommissionKind
from itog.exams.profiles import profile_kw
from itog.exams.violations import Refused, violation

POSITIONS = {"директор": Position.HEAD, "заместитель": Position.DEPUTY_HEAD, "учитель": Position.TEACHER}


def _position(text: str) -> Position:
    lowered = text.lower()
    return next((p for word, p in POSITIONS.items() if lowered.startswith(word)), Position.OTHER)


def staff_members(commission: Commission, links: dict | None = None) -> list[StaffMember]:
    """The members as the rules see them; ``links`` (from :func:`_member_links`) gives, per employee, the
    participants they teach this academic year (V24) and are close relatives of (V27)."""
    out = []
    links = links or {}
    prefetched = "members" in getattr(commission, "_prefetched_objects_cache", {})
    for m in commission.members.all() if prefetched else commission.members.select_related("employee"):
        e = m.employee
        position = _position(e.position)
        teaches, relatives = links.get(e.pk, (frozenset(), frozenset()))
        out.append(
            StaffMember(
                id=str(m.pk),
                full_name=e.full_name,
                school_id=str(e.organization_id),
                position=position,
                is_pedagogical=position != Position.OTHER,
                is_russian_specialist=e.is_russian_specialist,
                trained=m.trained,
                role=StaffRole(m.role),
                teaches_participant_ids=teaches,
                relative_of_participant_ids=relatives,
            )
        )
    return out


def _member_links(commissions: list[Commission]) -> tuple[dict, dict]:
    """п. 3.2 (C14, C17, C18): for each commission, {employee id: (participant ids taught this academic year,
    participant ids the employee is a close relative of)} and the participants concerned as
    :class:`ParticipantRef`. The participants of a commission are the applications of its session registered at
    its organization or below it (a school's venue; a МОУО's checking commission: its schools). Only the
    participants a member's teaching or declared relatives can concern are read — not the whole region."""
    from django.db.models import Q

    from itog.people.models import CloseRelative, TeachingAssignment, person_key

    employees = {m.employee_id for c in commissions for m in c.members.all()}
    if not employees:
        return {}, {}
    teaching = list(
        TeachingAssignment.objects.filter(employee__in=employees).values(
            "employee_id", "school_id", "academic_year", "grade", "class_letter"
        )
    )
    relatives = list(
        CloseRelative.objects.filter(employee__in=employees).values(
            "employee_id", "last_name", "first_name", "middle_name", "birth_date", "student_id"
        )
    )
    links: dict[int, dict] = {c.pk: {} for c in commissions}
    refs: dict[int, list[ParticipantRef]] = {c.pk: [] for c in commissions}
    if not teaching and not relatives:
        return links, refs
    # A few IN clauses (not one OR term per assignment: SQLite limits the expression depth); the exact
    # class, year and name are matched below.
    cond = Q(pk__in=[])
    if teaching:
        cond |= Q(
            participant__school_id__in={t["school_id"] for t in teaching},
            participant__grade__in={t["grade"] for t in teaching},
        )
    if relatives:
        cond |= Q(participant__birth_date__in={r["birth_date"] for r in relatives})
        students = {r["student_id"] for r in relatives if r["student_id"]}
        if students:
            cond |= Q(participant__student_id__in=students)
    apps = list(
        Application.objects.filter(cond, session__in={c.session_id for c in commissions}).values(
            "pk",
            "session_id",
            "session__academic_year",
            "participant__registration_org__path",
            "participant__school_id",
            "participant__grade",
            "participant__class_letter",
            "participant__student_id",
            "participant__last_name",
            "participant__first_name",
            "participant__middle_name",
            "participant__birth_date",
        )
    )
    by_employee_t: dict[int, list[dict]] = {}
    for t in teaching:
        by_employee_t.setdefault(t["employee_id"], []).append(t)
    by_employee_r: dict[int, list[dict]] = {}
    for r in relatives:
        by_employee_r.setdefault(r["employee_id"], []).append(r)
    for c in commissions:
        path = c.organization.path
        mine = [
            a
            for a in apps
            if a["session_id"] == c.session_id and (a["participant__registration_org__path"] or "").startswith(path)
        ]
        seen = set()
        for m in c.members.all():
            taught, rel = set(), set()
            for a in mine:
                for t in by_employee_t.get(m.employee_id, ()):
                    if (
                        t["school_id"] == a["participant__school_id"]
                        and t["grade"] == a["participant__grade"]
                        and t["academic_year"] == a["session__academic_year"]
                        and (
                            not t["class_letter"]
                            or t["class_letter"].casefold() == (a["participant__class_letter"] or "").casefold()
                        )
                    ):
                        taught.add(str(a["pk"]))
                        break
                key = person_key(
                    a["participant__last_name"],
                    a["participant__first_name"],
                    a["participant__middle_name"],
                    a["participant__birth_date"],
                )
                for r in by_employee_r.get(m.employee_id, ()):
                    if (r["student_id"] and r["student_id"] == a["participant__student_id"]) or person_key(
                        r["last_name"], r["first_name"], r["middle_name"], r["birth_date"]
                    ) == key:
                        rel.add(str(a["pk"]))
            links[c.pk][m.employee_id] = (frozenset(taught), frozenset(rel))
            for a in mine:
                if str(a["pk"]) in taught | rel and a["pk"] not in seen:
                    seen.add(a["pk"])
                    name = " ".join(
                        filter(
                            None,
                            (a["participant__last_name"], a["participant__first_name"], a["participant__middle_name"]),
                        )
                    )
                    refs[c.pk].append(
                        ParticipantRef(
                            id=str(a["pk"]), full_name=name, school_id=str(a["participant__school_id"] or "")
                        )
                    )
    return links, refs


def check_commissions(commissions) -> list[list[Violation]]:
    """:func:`check_commission` for a page of commissions in a few queries (members with their employees,
    their teaching and declared relatives, the participants these concern) instead of several per commission."""
    from django.db.models import prefetch_related_objects

    commissions = list(commissions)
    if not commissions:
        return []
    prefetch_related_objects(commissions, "members__employee", "organization", "session")
    # one session object per session, so that what is resolved once per session (the kind's rules, the
    # region's procedure profile, cached on the object) is not read again for every commission of the page
    sessions: dict[int, object] = {}
    for c in commissions:
        c.session = sessions.setdefault(c.session_id, c.session)
    links, refs = _member_links(commissions)
    return [check_commission(c, refs.get(c.pk, []), staff_members(c, links.get(c.pk))) for c in commissions]


def check_commission(
    commission: Commission, participants: list[ParticipantRef] | None = None, members: list[StaffMember] | None = None
) -> list[Violation]:
    """The composition of one commission by the kind's rules (п. 3.2, 7.11.1: V22–V28, X09, X10); the
    participants and the members' teaching and relatives (V24, V27) are read when not given."""
    rules = commission.session.rules.commissions
    if participants is None or members is None:
        links, refs = _member_links([commission])
        participants = refs.get(commission.pk, []) if participants is None else participants
        members = staff_members(commission, links.get(commission.pk)) if members is None else members
    if commission.kind == CommissionKind.CONDUCT:
        venue = VenueData(
            id=str(commission.venue_id or commission.organization_id), school_id=str(commission.organization_id)
        )
        kw = profile_kw(commission.session)
        if getattr(rules, "COMMISSION_DATED", False) is True:
            # a kind whose commission has a deadline of its own (the interview: formed by I−14, seed 002 row 2;
            # K.3 V76 = its I30) is judged by the date of the approving order
            kw.update(exam_date=commission.session.date, formed_on=commission.order_date)
        return rules.check_conduct_commission(members, venue, participants, **kw)
    if commission.kind == CommissionKind.CHECK:
        return rules.check_checking_commission(members, participants, **profile_kw(commission.session))
    return []


def order_docx(commission: Commission) -> bytes:
    """Проект приказа об утверждении состава комиссии (DOCX), for the official to sign. Refused while the
    composition breaks a requirement of п. 3.2 / 7.11.1 (V22–V28, X09, X10: «не менее», «не может»,
    «должны» are requirements, not advice); warnings (L14: the head who teaches or is a Russian specialist)
    do not stop it."""
    errors = [v for v in check_commission(commission) if v.is_error]
    if errors:
        raise Refused(errors)
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
    doc.add_paragraph(
        f"от «___» __________ 20__ г.                                        № {commission.order_number or '____'}"
    )
    what = commission.get_kind_display()
    p = doc.add_paragraph()
    name = commission.session.rules.genitive
    p.add_run(
        f"Об утверждении состава {what.replace('комиссия', 'комиссии')} {name} {commission.session.date:%d.%m.%Y}"
    ).bold = True
    doc.add_paragraph(f"В соответствии с Порядком проведения и проверки {name} (п. 3.2) приказываю:")
    place = f" в месте проведения «{commission.venue.name}»" if commission.venue_id else ""
    doc.add_paragraph(f"1. Утвердить состав {what.replace('комиссия', 'комиссии')}{place} (прилагается).")
    doc.add_paragraph("2. Контроль за исполнением настоящего приказа оставляю за собой.")
    doc.add_paragraph("\nРуководитель ______________ / ______________")
    doc.add_page_break()
    doc.add_paragraph(
        f"Приложение к приказу № {commission.order_number or '____'}"
    ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
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


def create_commission(
    session, kind: str, organization, venue, creator_org, order_number: str = "", order_date=None, user=None
) -> Commission:
    """A commission is created by whom the procedure says (п. 3.1, 3.2; C1–C4): the МОУО for ОО,
    the ministry for its own places and for the regional re-check commission — or the ministry for all
    of them where the region's profile centralises it."""
    from itog.exams.kinds.base import OrgKind, VenueKind
    from itog.orgs.kinds import OrgKind as DirectoryKind

    rules = session.rules.commissions
    venue_kind = None
    if kind != CommissionKind.REGIONAL_RECHECK:
        venue_kind = VenueKind.OO if organization.kind == DirectoryKind.SCHOOL else VenueKind.MINISTRY_PLACE
    creator = rules.commission_creator(kind, venue_kind, **profile_kw(session))
    allowed = {
        OrgKind.MINISTRY: {DirectoryKind.MINISTRY, DirectoryKind.RCOI},
        OrgKind.MOUO: {DirectoryKind.MOUO},
        OrgKind.OO: {DirectoryKind.SCHOOL},
    }  # the interview: the school forms its own commission
    if creator_org.kind not in allowed.get(creator, set()) and creator_org.kind not in (DirectoryKind.RCOI,):
        who = {OrgKind.MINISTRY: "министерство", OrgKind.OO: "ОО"}.get(creator, "МОУО")
        raise Refused([violation("X56", creator=who)])
    if kind == CommissionKind.CONDUCT and venue is None:
        raise Refused([violation("X57", field="venue")])
    if Commission.objects.filter(session=session, kind=kind, organization=organization, venue=venue).exists():
        raise Refused([violation("X58")])
    commission = Commission(
        session=session,
        kind=kind,
        organization=organization,
        venue=venue,
        order_number=order_number,
        order_date=order_date,
    )
    commission._history_user = user
    commission.save()
    return commission
