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
        national = sub.add_parser("national", help="сводка по всем регионам базы (федеральный уровень)")
        national.add_argument("--year", required=True)
        national.add_argument("--kind", default="essay")
        national.add_argument("--xlsx", help="записать таблицу в файл XLSX")

    def handle(self, *args, **opts):
        if opts["action"] == "national":
            return self.national(opts)
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

    def national(self, opts):
        """Every region of the database side by side (run by the operator of a consolidated database; not a
        web page: no role reaches beyond its region)."""
        from django.db.models import Sum

        from itog.analytics import stats as S
        from itog.analytics.models import COUNTERS, RegionFact
        from itog.core.tables import write_xlsx

        rows = (
            RegionFact.objects.filter(kind=opts["kind"], academic_year=opts["year"])
            .values("region_id", "region__short_name")
            .annotate(**{k: Sum(k) for k in COUNTERS})
            .order_by("region__short_name")
        )
        header = [
            "Регион",
            "Зарегистрировано",
            "Явились",
            "Не явились",
            "Удалены",
            "Не закончили",
            "Проверено",
            "Доля «незачета»",
            "95 % ДИ",
        ]
        out = []
        for r in rows:
            low, high = S.wilson(r["failed"] or 0, r["checked"] or 0)
            out.append(
                [
                    r["region__short_name"],
                    r["registered"],
                    r["participants"],
                    r["absent"],
                    r["removed"],
                    r["not_finished"],
                    r["checked"],
                    S.shown_share(r["failed"] or 0, r["checked"] or 0),
                    f"{S.pct(low)} – {S.pct(high)}",
                ]
            )
        if opts.get("xlsx"):
            with open(opts["xlsx"], "wb") as fh:
                fh.write(write_xlsx(header, out, title="Регионы"))
        for line in out:
            self.stdout.write("\t".join(str(v) for v in line))
        self.stdout.write(self.style.SUCCESS(f"Регионов: {len(out)}."))
