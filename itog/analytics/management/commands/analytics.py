"""``itog analytics refresh [--session ID ...] [--year 2025/26] [--all]``: rebuild the aggregate tables."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from itog.analytics.refresh import refresh_all
from itog.exams.models import ExamSession


class Command(BaseCommand):
    help = "Аналитика результатов: пересчет сводных таблиц (refresh)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="пересчитать показатели сессий по опубликованным результатам")
        refresh.add_argument("--session", type=int, action="append", default=[], help="сессия (можно несколько)")
        refresh.add_argument("--year", help="учебный год, например 2025/26")
        refresh.add_argument("--all", action="store_true", help="все сессии")

    def handle(self, *args, **opts):
        qs = ExamSession.objects.all()
        if opts["session"]:
            qs = qs.filter(pk__in=opts["session"])
        elif opts["year"]:
            qs = qs.filter(academic_year=opts["year"])
        elif not opts["all"]:
            raise CommandError("Укажите --session ID, --year или --all.")
        done = refresh_all(qs)
        for session, n in done:
            self.stdout.write(f"{session}: строк показателей — {n}")
        self.stdout.write(self.style.SUCCESS(f"Сводные таблицы обновлено: сессий — {len(done)}."))
