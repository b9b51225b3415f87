"""itog rules_coverage: the generated table of where each rule of the essay procedure is enforced."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from itog.exams.kinds.essay import enforcement


class Command(BaseCommand):
    help = ("Пересчитать таблицу применения правил порядка (docs/enforcement/README.md): где в приложении "
            "проверяется каждый код V01–V78 и какие тесты это подтверждают.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="только сравнить, файл не перезаписывать")
        parser.add_argument("--write-pending", action="store_true",
                            help="перезаписать docs/enforcement/pending.txt по текущему состоянию")

    def handle(self, *args, check: bool = False, write_pending: bool = False, **options):
        problems = enforcement.write(check=check, write_pending=write_pending)
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(f"{enforcement.DOC.relative_to(enforcement.REPO)}: актуально")
