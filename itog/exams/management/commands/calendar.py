"""`itog calendar --kind essay --year 2023/24 [--json]`: the year's sessions and their deadlines."""

import json

from django.core.management.base import BaseCommand, CommandError

from itog.exams.kinds import UnknownExamKind, calendar_of, known_kinds


class Command(BaseCommand):
    help = "Даты экзамена на учебный год и сроки подготовки к каждой дате (по правилам вида экзамена)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", default="essay", help="вид экзамена (essay, interview)")
        parser.add_argument("--year", required=True, help="учебный год, например 2023/24")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, kind, year, json: bool, **opts):
        # A kind known by its calendar only (the interview for now) has dates but no deadlines yet.
        try:
            rules = calendar_of(kind)
            dates = rules.session_dates(year)
        except UnknownExamKind:
            raise CommandError(f"Неизвестный вид экзамена: {kind} (известны: {', '.join(known_kinds())})") from None
        except ValueError as exc:
            raise CommandError(f"Неверный учебный год «{year}»: {exc}") from None
        deadlines = getattr(rules, "session_deadlines", lambda d: {})
        sessions = [
            {
                "kind": kind,
                "stage": sd.kind.value,
                "date": sd.date.isoformat(),
                "deadlines": {k: v.isoformat() for k, v in deadlines(sd.date).items()},
            }
            for sd in dates
        ]
        if json:
            self.stdout.write(_dumps(sessions))
            return
        labels = getattr(rules, "DEADLINE_LABELS", {})
        for s, sd in zip(sessions, dates):
            self.stdout.write(f"{sd.date:%d.%m.%Y} — {sd.kind.label}")
            for key, value in s["deadlines"].items():
                self.stdout.write(f"    {value[8:10]}.{value[5:7]}.{value[:4]}  {labels.get(key, key)}")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)
