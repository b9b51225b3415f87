"""Use cases of the organization directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.core.tables import Table, TableError, read_table

from . import directory
from .kinds import OrgKind, normalize_name
from .models import Organization


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def region_of(user) -> Organization | None:
    """The root organization (ministry) of the user's region, if the user may see it."""
    return Organization.objects.for_user(user).filter(depth=0).first()


def import_directory(
    data: bytes,
    filename: str,
    region: Organization,
    request=None,
    dry_run: bool = False,
    on_progress: Callable[[int, int | None, str], None] | None = None,
    in_transaction: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Create or update organizations from an XLSX/CSV file; all rows or nothing. ``on_progress`` and
    ``in_transaction`` as in :func:`itog.exams.registration.importing.import_participants`."""
    report = ImportReport()
    say = on_progress or (lambda done, total=None, message="": None)
    try:
        table: Table = read_table(data, filename, max_bytes=settings.ITOG_MAX_UPLOAD_MB * 1024 * 1024)
    except TableError as exc:
        report.errors.append(str(exc))
        return report
    report.notes.extend(table.notes)
    say(0, len(table.rows), f"Проверка строк: {len(table.rows)}")

    in_region = Organization.objects.filter(path__startswith=region.path)
    existing = {o.code: o for o in in_region}
    clashes = (
        Organization.objects.exclude(path__startswith=region.path)
        .filter(code__in=[cells[0] for _, cells in table.rows if cells])
        .values_list("code", flat=True)
    )
    municipality_names = {}
    for org in existing.values():
        if org.kind == OrgKind.MOUO:
            municipality_names[normalize_name(org.name)] = org.code
            if org.short_name:
                municipality_names[normalize_name(org.short_name)] = org.code
    result = directory.validate(
        table,
        existing_kinds={code: org.kind for code, org in existing.items()},
        municipality_names=municipality_names,
        default_time_zone=region.time_zone,
        root_code=region.code,
    )
    report.errors.extend(str(e) for e in result.errors)
    if clashes:
        report.errors.append("Коды уже заняты организациями другого региона: " + ", ".join(sorted(clashes)) + ".")
    if report.errors or dry_run:
        report.created = sum(1 for r in result.records if r.code not in existing)
        report.updated = len(result.records) - report.created
        return report

    say(len(table.rows), len(table.rows), f"Сохранение организаций: {len(result.records)}")
    with transaction.atomic():
        # МОУО first, so that schools of new municipalities find their parent.
        order = {OrgKind.MINISTRY: 0, OrgKind.RCOI: 1, OrgKind.REGIONAL_BODY: 1, OrgKind.MOUO: 1, OrgKind.SCHOOL: 2}
        for rec in sorted(result.records, key=lambda r: (order[r.kind], r.row)):
            parent = None if rec.kind == OrgKind.MINISTRY else region
            if rec.kind == OrgKind.SCHOOL and rec.municipality:
                parent = existing[rec.municipality]
            org = existing.get(rec.code)
            values = {
                "kind": rec.kind.value,
                "name": rec.name,
                "short_name": rec.short_name,
                "address": rec.address,
                "time_zone": rec.time_zone,
            }
            if org is None:
                org = Organization(code=rec.code, parent=parent, **values)
                org.save()
                existing[org.code] = org
                report.created += 1
                continue
            changed = any(getattr(org, k) != v for k, v in values.items()) or org.parent_id != (
                parent.pk if parent else None
            )
            if changed:
                for k, v in values.items():
                    setattr(org, k, v)
                org.parent = parent
                org.save()
                report.updated += 1
            else:
                report.unchanged += 1
        record(
            EventKind.IMPORT,
            request,
            description=f"Справочник организаций из «{filename}»: создано {report.created}, изменено {report.updated}",
            filename=filename,
            created=report.created,
            updated=report.updated,
        )
        report.saved = True
        if in_transaction is not None:
            in_transaction(report)
    return report


def directory_rows(queryset) -> list[list[str]]:
    orgs = list(queryset.select_related("parent").order_by("path"))
    rows = []
    for org in orgs:
        municipality = (
            org.parent.code if org.kind == OrgKind.SCHOOL and org.parent and org.parent.kind == OrgKind.MOUO else ""
        )
        rows.append(
            directory.export_row(org.kind, org.code, org.name, org.short_name, municipality, org.address, org.time_zone)
        )
    return rows
