"""``itog retention remind`` — mail each holder the kept materials whose destruction is due (п. 8.1.1, 13.3)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from itog.conduct.services import send_retention_reminders


class Command(BaseCommand):
    help = "Напоминания о материалах, срок хранения которых истек (копии — месяц, оригиналы — до 1 марта)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="разослать напоминания держателям")
        remind.add_argument("--today", type=date.fromisoformat, default=None, help="дата (ГГГГ-ММ-ДД), для проверки")

    def handle(self, *args, **opts):
        sent = send_retention_reminders(opts.get("today"))
        self.stdout.write(f"Отправлено напоминаний: {sent}")
