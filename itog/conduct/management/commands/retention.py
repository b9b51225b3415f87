"""``itog retention remind`` — mail each holder the kept materials whose destruction is due (п. 8.1.1, 13.3);
``itog retention purge-personal-data [--dry-run]`` — обезличить the participants whose sessions' keeping period
has ended (I8, A41)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from itog.conduct.retention.personal_data import purge_personal_data
from itog.conduct.services import send_retention_reminders
from itog.exams.models import ExamSession
from itog.exams.violations import Refused


class Command(BaseCommand):
    help = "Напоминания о материалах, срок хранения которых истек (копии — месяц, оригиналы — до 1 марта)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="разослать напоминания держателям")
        remind.add_argument("--today", type=date.fromisoformat, default=None, help="дата (ГГГГ-ММ-ДД), для проверки")

        purge = sub.add_parser(
            "purge-personal-data", help="обезличить персональные данные участников после срока хранения (A41)"
        )
        purge.add_argument("--dry-run", action="store_true", help="только посчитать, ничего не менять")
        purge.add_argument(
            "--session", type=int, default=None, help="только эта дата участия (id); ранее срока — отказ"
        )
        purge.add_argument("--today", type=date.fromisoformat, default=None, help="дата (ГГГГ-ММ-ДД), для проверки")

    def handle(self, *args, **opts):
        if opts["action"] == "purge-personal-data":
            session = ExamSession.objects.get(pk=opts["session"]) if opts.get("session") else None
            try:
                report = purge_personal_data(opts.get("today"), dry_run=opts["dry_run"], session=session)
            except Refused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(report.text())
            return
        sent = send_retention_reminders(opts.get("today"))
        self.stdout.write(f"Отправлено напоминаний: {sent}")
