"""The import jobs (issue 15): each upload page stores the file and queues one of these; the job page shows
the progress, then the outcome (the same Russian report the page showed when imports ran in the request).

Kinds: ``import-participants`` (a school's participant list), ``import-orgs`` (the organization directory),
``import-staff-links`` (teaching assignments / close relatives of employees), ``import-plan`` (a roadmap or
plan-schedule: the request parses and previews it, the job parses it again from the stored file with the
user's column mapping and saves it). The outcome dicts are read by the templates in
``web/jobs/report_<kind>.html`` (links are made there: ``reverse`` in a worker would load every URL module,
the analytics' SciPy included).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from itog.accounts.scope import scoped_get
from itog.audit.models import EventKind
from itog.audit.services import record
from itog.exams.models import ExamSession
from itog.exams.registration.importing import import_participants
from itog.jobs.imports import clip_errors, import_job, reporter
from itog.orgs.models import Organization
from itog.orgs.services import import_directory
from itog.people.links import import_links
from itog.plans.importing import parse_document, save_plan
from itog.plans.models import Plan
from itog.plans.parsing.model import PlanReadError

# job kind -> the template of its outcome (the job page includes it)
REPORT_TEMPLATES = {
    "import-participants": "web/jobs/report_participants.html",
    "import-orgs": "web/jobs/report_orgs.html",
    "import-staff-links": "web/jobs/report_links.html",
    "import-plan": "web/jobs/report_plan.html",
    "interview-region-schedule": "web/jobs/report_interview_schedule.html",
}


def participants_outcome(report, session_id: int) -> dict:
    return {
        "saved": report.saved,
        "created": report.created,
        "skipped_rows": len(report.skipped_rows),
        "notes": list(report.notes),
        "session": session_id,
        **clip_errors(report.errors),
    }


@import_job("import-participants")
def participants(current, data, filename, request, commit, session_id, org_id, consent_on, partial=False):
    user = current.created_by
    session = scoped_get(ExamSession, user, pk=session_id)
    org = scoped_get(Organization, user, pk=org_id)
    report = import_participants(
        data,
        filename,
        session,
        org,
        user,
        date.fromisoformat(consent_on),
        partial=partial,
        request=request,
        on_progress=reporter(current),
        in_transaction=lambda r: commit(participants_outcome(r, session.pk)),
    )
    return participants_outcome(report, session.pk)


def orgs_outcome(report, dry_run: bool) -> dict:
    return {
        "saved": report.saved,
        "dry_run": dry_run,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "notes": list(report.notes),
        **clip_errors(report.errors),
    }


@import_job("import-orgs")
def organizations(current, data, filename, request, commit, region_id, dry_run=False):
    region = scoped_get(Organization, current.created_by, pk=region_id)
    report = import_directory(
        data,
        filename,
        region,
        request=request,
        dry_run=dry_run,
        on_progress=reporter(current),
        in_transaction=lambda r: commit(orgs_outcome(r, dry_run)),
    )
    return orgs_outcome(report, dry_run)


def links_outcome(report) -> dict:
    return {"saved": report.saved, "created": report.created, "skipped": report.skipped, **clip_errors(report.errors)}


@import_job("import-staff-links")
def staff_links(current, data, filename, request, commit, links, org_id):
    user = current.created_by
    org = scoped_get(Organization, user, pk=org_id)
    report = import_links(
        data,
        filename,
        links,
        org,
        user,
        request=request,
        on_progress=reporter(current, every=500),
        in_transaction=lambda r: commit(links_outcome(r)),
    )
    return links_outcome(report)


@import_job("import-plan")
def plan(
    current,
    data,
    filename,
    request,
    commit,
    region_id,
    fmt="auto",
    year=None,
    columns=None,
    header_lines=None,
    plan_id=None,
):
    """Parse the stored document as the preview did (the user's mapping) and save it in one transaction."""
    user = current.created_by
    region = scoped_get(Organization, user, pk=region_id)
    previous = scoped_get(Plan, user, "edit", pk=plan_id) if plan_id else None
    say = reporter(current)
    say(0, 2, "Разбор документа")
    try:
        doc = parse_document(
            data, filename, region, fmt=fmt, year=year, columns=columns, header_lines=set(header_lines or ()) or None
        )
    except PlanReadError as exc:
        return {"saved": False, "errors": [exc.message], "error_count": 1}
    say(1, 2, f"Сохранение мероприятий: {len(doc.plan.items)}")
    conf = doc.plan.confidence or {}
    with transaction.atomic():
        saved = save_plan(doc, region, data, filename, user=user, plan=previous)
        number = saved.versions.order_by("-number").values_list("number", flat=True).first()
        record(
            EventKind.IMPORT,
            request,
            description=f"План «{saved.title[:200]}» из «{filename}»: версия {number}, мероприятий {len(doc.plan.items)}",
            filename=filename,
            plan=saved.pk,
            rows=len(doc.plan.items),
        )
        outcome = {
            "saved": True,
            "plan": saved.pk,
            "title": saved.title,
            "version": number,
            "items": len(doc.plan.items),
            "findings": len(doc.findings),
            "confidence": conf.get("level", "—"),
            "errors": [],
            "error_count": 0,
        }
        commit(outcome)
    return outcome
