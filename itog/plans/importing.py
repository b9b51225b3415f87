"""Importing a plan document: read → structure → parse deadlines → lint → save.

``parse_document`` needs no database tables beyond the alias dictionary
(which it reads when present), so `itog plan import --dry-run --json` works
on any machine; ``save_plan`` writes a new plan or a new version of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from itog.core.limits import UploadLimits, UploadRefused, check_office_file
from itog.orgs.kinds import OrgKind, normalize_name
from itog.orgs.models import ActorAlias, Organization

from .models import (
    Assignment,
    DeadlineKind,
    Finding,
    Plan,
    PlanItem,
    PlanKind,
    PlanSection,
    PlanVersion,
    UnresolvedActor,
)
from .parsing import deadlines as grammar
from .parsing.lint import lint_plan
from .parsing.model import ParsedPlan, PlanReadError
from .parsing.quality import add_deadline_signal
from .parsing.readers import read_plan


class Dictionary:
    """The region's alias dictionary, loaded once per import."""

    def __init__(self, region: Organization | None):
        self.entries: dict[str, ActorAlias] = {}
        if region is None:
            return
        try:
            for entry in ActorAlias.objects.filter(region=region).select_related("organization"):
                self.entries[entry.key] = entry
        except DatabaseError:  # tables not created yet: import without a dictionary
            self.entries = {}

    def entry(self, name: str) -> ActorAlias | None:
        return self.entries.get(normalize_name(name))

    def resolve(self, name: str) -> str | None:
        entry = self.entry(name)
        return entry.canonical if entry else None


@dataclass
class ParsedDocument:
    plan: ParsedPlan
    year: str | None
    findings: list[dict[str, Any]] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The contract of `itog plan import --json`."""
        items = []
        for item in self.plan.items:
            data = item.to_json()
            items.append(
                {
                    "id": data["id"],
                    "section": data["section"],
                    "number": data["number"],
                    "parent": data["parent"],
                    "activity": data["activity"],
                    "deadline": data["deadline"],
                    "responsible": data["responsible"],
                    "responsible_raw": data["responsible_raw"],
                    "inherited": data["inherited"],
                    "warnings": data["warnings"],
                    "line": data["line"],
                    "persons": data["persons"],
                    "track": data["track"],
                    "extra": data["extra"],
                }
            )
        plan = self.plan
        return {
            "title": plan.title,
            "approved": plan.approved,
            "year": self.year,
            "format": plan.format,
            "sections": [{"id": s.id, "title": s.title} for s in plan.sections],
            "items": items,
            "warnings": [w.to_json() for w in plan.warnings],
            "anchors": self.anchors,
            "findings": self.findings,
            # added by issue 10 (the fields above are the stable contract)
            "layout": plan.layout,
            "columns": plan.columns,
            "confidence": plan.confidence,
        }


EXAM_WORDS = {"собеседован": "interview", "сочинени": "essay", "изложени": "essay"}
MONTH_STEMS = {"декабр": 12, "феврал": 2, "март": 3, "апрел": 4}


def default_anchors(title: str, academic_year) -> dict[str, str]:
    """The exam day of a plan-schedule of the essay or the interview, from the federal calendar
    rule (the essay: first Wednesday of December, п. 4.1); the session is the one whose month the
    title names («… в феврале 2024 года»), else the main one. Roadmaps get no default."""
    if academic_year is None:
        return {}
    text = (title or "").lower()
    kind = next((k for stem, k in EXAM_WORDS.items() if stem in text), None)
    if kind is None:
        return {}
    sessions = grammar.exam_calendar(academic_year).get(f"exam_day:{kind}", {})
    if not sessions:
        return {}
    chosen = next(iter(sessions.values()))
    for stem, month in MONTH_STEMS.items():
        if stem in text:
            chosen = next((d for d in sessions.values() if d.month == month), chosen)
            break
    return {"exam_day": chosen.isoformat()}


def parse_document(
    data: bytes,
    filename: str,
    region: Organization | None = None,
    fmt: str = "auto",
    year: str | None = None,
    anchors: dict[str, str] | None = None,
    columns: dict[str, int] | None = None,
    header_lines: set[int] | None = None,
) -> ParsedDocument:
    """Read and understand a document; raises ``PlanReadError`` (Russian message) for non-plans.

    ``columns`` (role -> 1-based column: the user's correction of the mapping) and ``header_lines``
    (source lines that are header rows) come from the preview step or from ``--columns``."""
    try:  # bounded before any reader opens the zip (issue 15: XFD cells, zip bombs, huge DOCX)
        check_office_file(data, UploadLimits.for_plans())
    except UploadRefused as exc:
        raise PlanReadError(str(exc)) from None
    dictionary = Dictionary(region)
    plan = read_plan(
        data, format=fmt, filename=filename, resolve=dictionary.resolve, columns=columns, header_lines=header_lines
    )
    year = year or plan.year
    academic_year = grammar.AcademicYear.parse(year) if year else None
    anchors = {**default_anchors(plan.title, academic_year), **(anchors or {})}
    anchor_dates = {k: date.fromisoformat(v) for k, v in anchors.items()}
    for item in plan.items:
        if item.sessions:
            parsed = session_deadline(item.sessions, academic_year, anchor_dates)
        else:
            parsed = grammar.parse_deadline(item.deadline_raw, academic_year, anchors=anchor_dates).to_json()
        raw_fields = {k: v for k, v in (item.deadline or {}).items() if k.endswith("_raw")}
        if item.deadline_start_raw or item.deadline_end_raw:
            raw_fields.update(start_raw=item.deadline_start_raw, end_raw=item.deadline_end_raw)
        item.deadline = {**parsed, **raw_fields}
    add_deadline_signal(plan)
    findings = lint_plan(plan, academic_year, anchors=anchor_dates)
    return ParsedDocument(plan=plan, year=year, findings=[f.to_json() for f in findings], anchors=anchors)


def session_deadline(sessions: dict[str, str], academic_year, anchor_dates: dict[str, date]) -> dict:
    """One deadline per session column («декабрь», «февраль», «май»): every session parsed on its
    own, the windows kept together with the session's label; an empty session stays listed."""
    parts = []
    windows = []
    for label, raw in sessions.items():
        parsed = (
            grammar.parse_deadline(raw, academic_year, anchors=anchor_dates).to_json()
            if raw
            else {"kind": "unknown", "windows": []}
        )
        parts.append({"session": label, "raw": raw, "kind": parsed.get("kind"), "windows": parsed.get("windows") or []})
        windows += [{**w, "session": label} for w in parsed.get("windows") or []]
    filled = [p for p in parts if p["raw"]]
    kinds = {p["kind"] for p in filled}
    if not filled or kinds == {"unknown"}:
        kind = "unknown"
    elif len(filled) == 1:
        kind = filled[0]["kind"]
    else:
        kind = "windows"
    return {
        "kind": kind,
        "windows": windows,
        "sessions": parts,
        "text": "; ".join(f"{p['session']}: {p['raw']}" for p in filled),
    }


def envelope(deadline: dict) -> tuple[date | None, date | None]:
    windows = deadline.get("windows") or []
    starts = [w["start"] for w in windows if w.get("start")]
    ends = [w["end"] for w in windows if w.get("end")]
    start = date.fromisoformat(min(starts)) if starts else None
    end = date.fromisoformat(max(ends)) if ends else start
    return start, end


def _kind_of(parsed: ParsedPlan) -> str:
    text = (parsed.title or "").lower()
    return PlanKind.SCHEDULE if "план-график" in text or "график" in text and "дорожн" not in text else PlanKind.ROADMAP


@transaction.atomic
def save_plan(
    doc: ParsedDocument, region: Organization, data: bytes, filename: str, user=None, plan: Plan | None = None
) -> Plan:
    """Store a parsed document as a new plan, or as the next version of ``plan``."""
    parsed = doc.plan
    snapshot = doc.to_json()
    if plan is None:
        plan = Plan.objects.create(
            region=region,
            title=parsed.title or filename,
            kind=_kind_of(parsed),
            year=doc.year or "",
            approved=_approved_text(parsed.approved),
            created_by=user,
            anchors=doc.anchors,
        )
        previous = carry = None
        number = 1
    else:
        last = plan.versions.order_by("-number").first()
        previous = last.snapshot if last else None
        number = (last.number if last else 0) + 1
        plan.title = parsed.title or plan.title
        plan.year = doc.year or plan.year
        plan.anchors = {**doc.anchors, **plan.anchors}
        plan.save()
        carry = _current_statuses(plan)
        plan.items.all().delete()
        plan.sections.all().delete()
        plan.findings.all().delete()
        plan.unresolved.all().delete()
    version = PlanVersion(
        plan=plan,
        number=number,
        source_name=filename,
        source_format=parsed.format or "",
        snapshot=snapshot,
        imported_by=user,
        diff=diff_snapshots(previous, snapshot) if previous else {},
    )
    version.source_file.save(filename, ContentFile(data), save=False)
    version.save()
    _store_items(plan, doc, region)
    if carry:
        _restore_statuses(plan, carry)
    return plan


def _approved_text(approved: dict | None) -> str:
    if not approved:
        return ""
    parts = [
        approved.get("kind") or "",
        f"от {approved['date_raw']}" if approved.get("date_raw") else "",
        f"№ {approved['number']}" if approved.get("number") else "",
    ]
    return " ".join(p for p in parts if p)[:500]


def _store_items(plan: Plan, doc: ParsedDocument, region: Organization) -> None:
    parsed = doc.plan
    sections = {}
    for index, s in enumerate(parsed.sections):
        sections[s.id] = PlanSection.objects.create(plan=plan, code=s.id, title=s.title, order=index)
    items: dict[str, PlanItem] = {}
    for order, it in enumerate(parsed.items):
        start, end = envelope(it.deadline or {})
        items[it.id] = PlanItem(
            plan=plan,
            section=sections.get(it.section),
            key=it.id,
            number=it.number or "",
            order=order,
            activity=it.activity,
            deadline_raw=it.deadline_raw or "",
            responsible_raw=it.responsible_raw or "",
            deadline=it.deadline or {},
            deadline_kind=(it.deadline or {}).get("kind", DeadlineKind.UNKNOWN),
            due_start=start,
            due_end=end,
            responsible=list(it.responsible),
            persons=[dict(p) for p in it.persons],
            track=it.track or "",
            inherited=list(it.inherited),
            warnings=[w.to_json() for w in it.warnings],
            line=it.line,
            extra={k: v for k, v in it.extra.items() if v},
        )
    PlanItem.objects.bulk_create(items.values())
    for it in parsed.items:
        if it.parent and it.parent in items:
            items[it.id].parent = items[it.parent]
    PlanItem.objects.bulk_update([i for i in items.values() if i.parent_id], ["parent"])
    assign_responsible(plan, parsed, items, region)
    Finding.objects.bulk_create(
        Finding(
            plan=plan,
            item=items.get(f["item"]) if f.get("item") else None,
            code=f["code"],
            severity=f.get("severity", "warning"),
            message=f["message"],
            quote=f.get("quote", ""),
        )
        for f in doc.findings
    )


def assign_responsible(plan: Plan, parsed: ParsedPlan, items: dict[str, PlanItem], region: Organization) -> None:
    """Turn responsible names into assignments through the alias dictionary;
    names it does not know are kept as unresolved actors for the user to map once."""
    dictionary = Dictionary(region)
    groups = {
        kind: list(Organization.objects.filter(path__startswith=region.path, kind=kind, is_active=True))
        for kind in (OrgKind.MOUO, OrgKind.SCHOOL)
    }
    assignments: dict[tuple[int, int], Assignment] = {}
    unresolved: dict[str, int] = {}
    for it in parsed.items:
        item = items[it.id]
        persons = {p.get("organization") or "": p.get("name") or "" for p in it.persons}
        for name in it.responsible_names or []:
            entry = dictionary.entry(name)
            if entry is None:
                unresolved[name] = unresolved.get(name, 0) + 1
                continue
            targets = (
                [entry.organization]
                if entry.organization_id
                else groups.get(OrgKind(entry.org_kind), [])
                if entry.org_kind
                else []
            )
            for org in targets:
                key = (item.pk, org.pk)
                if key not in assignments:
                    assignments[key] = Assignment(item=item, organization=org, person=persons.get(name, "")[:200])
    Assignment.objects.bulk_create(assignments.values())
    UnresolvedActor.objects.bulk_create(
        UnresolvedActor(plan=plan, name=n[:500], items=c) for n, c in unresolved.items()
    )


def _current_statuses(plan: Plan) -> dict[tuple[str, int], tuple[str, str]]:
    return {
        (a.item.key, a.organization_id): (a.status, a.comment)
        for a in Assignment.objects.filter(item__plan=plan).select_related("item")
    }


def _restore_statuses(plan: Plan, carry: dict) -> None:
    """A corrected document keeps the progress already reported on unchanged items."""
    changed = []
    for a in Assignment.objects.filter(item__plan=plan).select_related("item"):
        previous = carry.get((a.item.key, a.organization_id))
        if previous:
            a.status, a.comment = previous
            a.updated_at = timezone.now()
            changed.append(a)
    Assignment.objects.bulk_update(changed, ["status", "comment", "updated_at"])


def diff_snapshots(old: dict, new: dict) -> dict:
    """What changed between two imports: items added, removed, and changed fields."""
    old_items = {i["id"]: i for i in old.get("items", [])}
    new_items = {i["id"]: i for i in new.get("items", [])}
    changed = []
    for key in new_items.keys() & old_items.keys():
        fields = {}
        for name in ("activity", "responsible_raw"):
            if old_items[key].get(name) != new_items[key].get(name):
                fields[name] = [old_items[key].get(name), new_items[key].get(name)]
        if old_items[key]["deadline"].get("raw") != new_items[key]["deadline"].get("raw"):
            fields["deadline"] = [old_items[key]["deadline"].get("raw"), new_items[key]["deadline"].get("raw")]
        if fields:
            changed.append({"id": key, "fields": fields})
    order = {k: i for i, k in enumerate(new_items)}
    return {
        "added": [k for k in new_items if k not in old_items],
        "removed": [k for k in old_items if k not in new_items],
        "changed": sorted(changed, key=lambda c: order.get(c["id"], 0)),
    }


@transaction.atomic
def set_anchors(plan: Plan, anchors: dict[str, date], user=None) -> int:
    """Give events their dates; every relative deadline counting from them is resolved again.
    Returns how many items got new dates."""
    plan.anchors = {**plan.anchors, **{k: v.isoformat() for k, v in anchors.items() if v}}
    plan._history_user = user
    plan.save()
    anchor_dates = {k: date.fromisoformat(v) for k, v in plan.anchors.items()}
    academic_year = grammar.AcademicYear.parse(plan.year) if plan.year else None
    changed = 0
    for item in plan.items.filter(deadline_kind=DeadlineKind.RELATIVE):
        parsed = grammar.parse_deadline(item.deadline_raw, academic_year, anchors=anchor_dates).to_json()
        raw_fields = {k: v for k, v in item.deadline.items() if k.endswith("_raw") or k == "offsets"}
        item.deadline = {**parsed, **raw_fields}
        start, end = envelope(item.deadline)
        if (start, end) != (item.due_start, item.due_end):
            changed += 1
        item.due_start, item.due_end = start, end
        item.save(update_fields=["deadline", "due_start", "due_end"])
        event = (parsed.get("anchor") or {}).get("event")
        if event in anchor_dates:
            item.findings.filter(code="unresolved_anchor").delete()
    return changed


def referenced_events(plan: Plan) -> dict[str, str | None]:
    """Events the plan's relative deadlines count from, with their dates if known."""
    events = {}
    for deadline in plan.items.filter(deadline_kind=DeadlineKind.RELATIVE).values_list("deadline", flat=True):
        event = (deadline.get("anchor") or {}).get("event")
        if event:
            events[event] = plan.anchors.get(event)
    return events


def reread_last_version(plan: Plan, user=None) -> Plan:
    """Import the plan's last source file again as a new version (e.g. after the dictionary grew)."""
    last = plan.versions.order_by("-number").first()
    with last.source_file.open("rb") as f:
        data = f.read()
    doc = parse_document(
        data,
        last.source_name,
        plan.region,
        fmt=last.source_format or "auto",
        year=plan.year or None,
        anchors=plan.anchors,
    )
    return save_plan(doc, plan.region, data, last.source_name, user=user, plan=plan)
