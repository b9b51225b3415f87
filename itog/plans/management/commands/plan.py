"""`itog plan …`: import a roadmap / plan-schedule, parse deadline phrases, send reminders."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from itog.orgs.kinds import OrgKind


class Command(BaseCommand):
    help = "Дорожные карты и планы-графики: import, parse-deadlines, remind."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        from itog.plans.parsing.readers import FORMATS

        imp = sub.add_parser("import", help="загрузить документ (TXT, MD, PDF с текстом, DOCX, XLSX)")
        imp.add_argument("file")
        imp.add_argument(
            "--format",
            default="auto",
            choices=["auto", *FORMATS],
            help="вид документа; по умолчанию определяется по содержимому",
        )
        imp.add_argument(
            "--columns",
            help="назначение столбцов (номера с 1), например "
            "activity=2,deadline=3,responsible=4[,number=1,start=3,end=4,skip=5]",
        )
        imp.add_argument(
            "--header-lines",
            help="строки документа, которые являются заголовком таблицы, а не мероприятиями (через запятую)",
        )
        imp.add_argument("--year", help="учебный год, например 2023/24")
        imp.add_argument("--dry-run", action="store_true", help="только разобрать, ничего не сохранять")
        imp.add_argument("--json", action="store_true", help="напечатать результат как JSON")
        imp.add_argument("--region", help="код министерства (региона); по умолчанию единственный регион")
        imp.add_argument("--plan", type=int, help="загрузить как новую версию существующего плана (id)")
        parse = sub.add_parser("parse-deadlines", help="разобрать сроки: по одной фразе в строке stdin")
        parse.add_argument("--year", help="учебный год, например 2023/24")
        parse.add_argument("--json", action="store_true", help="JSON по строке на фразу (по умолчанию)")
        remind = sub.add_parser("remind", help="разослать напоминания о сроках")
        remind.add_argument("--days", type=int, default=7, help="за сколько дней напоминать")

    def handle(self, *args, **opts):
        return getattr(self, "handle_" + opts["action"].replace("-", "_"))(**opts)

    def handle_parse_deadlines(self, year=None, **opts):
        from itog.plans.parsing.deadlines import parse_deadlines_stream

        lines = (line.rstrip("\n").replace("\\n", "\n") for line in sys.stdin)
        for obj in parse_deadlines_stream(lines, year):
            self.stdout.write(json.dumps(obj, ensure_ascii=False))

    def handle_import(
        self, file, format, year, dry_run, json: bool, region, plan, columns=None, header_lines=None, **opts
    ):
        from itog.plans.importing import parse_document, save_plan
        from itog.plans.models import Plan
        from itog.plans.parsing.model import PlanReadError
        from itog.plans.preview import parse_columns_option

        try:
            mapping = parse_columns_option(columns) if columns else None
        except ValueError as exc:
            raise CommandError(f"--columns: {exc}") from None
        try:
            lines = {int(x) for x in header_lines.split(",") if x.strip()} if header_lines else None
        except ValueError:
            raise CommandError("--header-lines: номера строк через запятую, например 5,6") from None

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        data = path.read_bytes()
        region_org = self._region(region, required=not dry_run)
        try:
            doc = parse_document(
                data, path.name, region_org, fmt=format, year=year, columns=mapping, header_lines=lines
            )
        except PlanReadError as exc:
            raise CommandError(exc.message) from None
        target = None
        if not dry_run:
            if plan:
                target = Plan.objects.filter(pk=plan, region=region_org).first()
                if target is None:
                    raise CommandError(f"План № {plan} не найден в регионе.")
            target = save_plan(doc, region_org, data, path.name, plan=target)
        if json:
            out = doc.to_json()
            if target is not None:
                out["plan_id"] = target.pk
            self.stdout.write(_dumps(out))
            return
        p = doc.plan
        self.stdout.write(
            f"{p.title or path.name}\n  формат: {p.format} ({', '.join(p.layout)}); учебный год: {doc.year or '—'}"
        )
        conf = p.confidence or {}
        self.stdout.write(
            f"  уверенность разбора: {conf.get('level', '—')} ({conf.get('score', '—')})"
            + (": " + "; ".join(conf["reasons"]) if conf.get("reasons") else "")
        )
        self.stdout.write("  столбцы: " + ", ".join(f"{role} = «{title}»" for role, title in p.columns.items()))
        for w in p.warnings:
            if w.severity != "info" or w.code in ("no_responsible_column", "plain_layout"):
                self.stdout.write(f"  [{w.code}] {w.message}")
        self.stdout.write(f"  разделов: {len(p.sections)}, мероприятий: {len(p.items)}, замечаний: {len(doc.findings)}")
        kinds: dict[str, int] = {}
        for item in p.items:
            kinds[item.deadline.get("kind", "?")] = kinds.get(item.deadline.get("kind", "?"), 0) + 1
        self.stdout.write("  сроки: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
        for f in doc.findings[:40]:
            self.stdout.write(f"  [{f['code']}] {f['item'] or ''}: {f['message']}")
        if target is not None:
            self.stdout.write(self.style.SUCCESS(f"Сохранено: план № {target.pk}, версия {target.versions.count()}"))

    def handle_remind(self, days, **opts):
        from itog.plans.tracking import send_reminders

        sent = send_reminders(days_ahead=days)
        self.stdout.write(f"Отправлено напоминаний: {sent}")

    def _region(self, code, required: bool):
        from itog.orgs.models import Organization

        try:
            regions = Organization.objects.filter(kind=OrgKind.MINISTRY, depth=0)
            if code:
                regions = regions.filter(code=code)
            found = list(regions[:2])
        except DatabaseError:
            if required:
                raise CommandError("База данных не подготовлена: выполните «itog migrate» или «itog demo».") from None
            return None
        if len(found) == 1:
            return found[0]
        if required:
            raise CommandError(
                "Укажите регион: --region КОД_МИНИСТЕРСТВА."
                if found
                else "В базе нет региона: загрузите справочник организаций или выполните «itog demo»."
            )
        return None


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=str)
