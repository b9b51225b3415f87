"""``itog scan``: recognition of scanned blanks and the test-scan generator (п. 9.2).

    itog scan recognize PATH... [--json] [--workers N] [--pdf-dpi 200]
    itog scan make-test-scans --count N --seed S [--dpi 200|150-300] [--field] OUT_DIR
    itog scan calibrate FOLDER --profile NAME [--truth FILE] [--dry-run]

``recognize`` needs no database.  With ``--json`` it prints one JSON object per
page (JSON lines) — ``{"file", "page", "work_code", "page_type", "page_number",
"boxes": {id: {"state", "confidence"}}, "status", "reasons", "rotation"}`` — and
nothing else on standard output.
"""

from __future__ import annotations

import json
import math
import time

from django.core.management.base import BaseCommand, CommandError

PAGE_TYPE_NAMES = {
    "registration": "бланк регистрации",
    "answer": "бланк записи",
    "extra_answer": "дополнительный бланк записи",
}


def _dpi(value: str) -> int | tuple[int, int]:
    try:
        if "-" in value:
            low, high = (int(v) for v in value.split("-", 1))
            if not 100 <= low <= high <= 600:
                raise ValueError
            return (low, high)
        dpi = int(value)
        if not 100 <= dpi <= 600:
            raise ValueError
        return dpi
    except ValueError:
        raise CommandError(
            f"Неверное разрешение «{value}»: укажите число (например 200) или диапазон 150-300 (от 100 до 600 dpi)"
        ) from None


def db_participants(needed: int) -> tuple[list, str | None]:
    """Participants of the latest seated session, venue by venue, until ``needed``:
    the kit data comes from :func:`itog.exams.printing.kit_participants`, which issues
    the work codes of a venue exactly as printing does (kept if already issued)."""
    from django.db import DatabaseError

    try:
        from itog.exams.models import ExamSession, Seat
        from itog.exams.printing import PrintRefused, kit_participants, latest_seating

        for session in ExamSession.objects.filter(seatings__seated__gt=0).distinct().order_by("-date"):
            try:
                run = latest_seating(session)
            except PrintRefused:
                continue
            venues = (
                Seat.objects.filter(run=run)
                .order_by("venue__organization__code", "venue_id")
                .values_list("venue_id", flat=True)
                .distinct()
            )
            people = []
            for venue_id in venues:
                people += [kp for _seat, kp in kit_participants(session, venue_id)]
                if len(people) >= needed:
                    break
            if people:
                return people[:needed], f"база данных: {session} ({len(people[:needed])} участников)"
    except DatabaseError:
        return [], None
    return [], None


class Command(BaseCommand):
    help = "Сканирование бланков: распознавание страниц (recognize) и тестовые сканы (make-test-scans)."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{recognize,make-test-scans,load,calibrate}")
        rec = sub.add_parser(
            "recognize",
            help="распознать страницы (PNG, JPEG, TIFF, PDF; файлы и папки)",
            description="Распознает сканы бланков: код работы, тип и номер страницы, "
            "отметки в полях. База данных не нужна.",
        )
        rec.add_argument("paths", nargs="+", metavar="PATH", help="файлы или папки со сканами")
        rec.add_argument("--json", action="store_true", help="по одному объекту JSON на страницу (JSON Lines)")
        rec.add_argument(
            "--workers", type=int, default=None, help="число процессов (по умолчанию — по числу ядер; 1 — без пула)"
        )
        rec.add_argument("--pdf-dpi", type=int, default=200, help="разрешение растеризации PDF (точек на дюйм)")
        rec.add_argument("--profile", default="", help="профиль сканера (пороги из itog scan calibrate)")
        cal = sub.add_parser(
            "calibrate",
            help="подобрать пороги по проверенным сканам (профиль сканера)",
            description="Распознает проверенные оператором сканы папки, сравнивает поля с "
            "проверенными отметками (truth.json или decisions.csv: file;page;box_id;"
            "state) и подбирает пороги для профиля сканера; печатает, что "
            "изменилось. Профиль: ITOG_DATA_DIR/scan-profiles/ИМЯ.json.",
        )
        cal.add_argument("folder", metavar="FOLDER", help="папка с проверенными сканами")
        cal.add_argument("--profile", required=True, help="имя профиля сканера (латиница, цифры, - и _)")
        cal.add_argument(
            "--truth",
            default=None,
            help="файл с проверенными отметками (по умолчанию FOLDER/truth.json или FOLDER/decisions.csv)",
        )
        cal.add_argument("--dry-run", action="store_true", help="только отчет, профиль не сохранять")
        make = sub.add_parser(
            "make-test-scans",
            help="создать тестовые сканы с эталонной разметкой",
            description="Печатает комплекты бланков участников из базы данных (или, если их "
            "там нет, вымышленных участников с правильными кодами), заполняет и "
            "искажает их как при сканировании и записывает изображения "
            "(PNG, JPEG, многостраничный TIFF, один PDF) и truth.json.",
        )
        make.add_argument("--count", type=int, default=100, help="число страниц")
        make.add_argument("--seed", type=int, default=1, help="зерно генератора (тот же набор при том же зерне)")
        make.add_argument("--dpi", default="200", help="разрешение: число или диапазон, например 150-300")
        make.add_argument("--fake", action="store_true", help="не брать участников из базы данных")
        make.add_argument(
            "--field",
            action="store_true",
            help="«полевые» сканы: фото телефоном, тени, сгибы, печати, факс, JPEG 25, 100 dpi, "
            "срезанные углы, карандаш (всегда вымышленные участники)",
        )
        make.add_argument("out_dir", metavar="OUT_DIR", help="папка для изображений и truth.json")
        load = sub.add_parser(
            "load",
            help="загрузить сканы станции в сессию: распознать и сверить",
            description="Загружает файлы (или папку станции сканирования) в пакет даты "
            "проведения: распознавание, сверка с внесенными оценками, очередь "
            "проверки. Повторная загрузка тех же файлов ничего не удваивает.",
        )
        load.add_argument("--session", type=int, required=True, help="номер сессии (даты проведения)")
        load.add_argument("--user", default="", help="логин оператора РЦОИ (для журнала)")
        load.add_argument("paths", nargs="+", metavar="PATH", help="файлы или папки со сканами")

    def handle(self, *args, **opts):
        if opts["action"] == "recognize":
            return self.recognize(opts)
        if opts["action"] == "load":
            return self.load(opts)
        if opts["action"] == "calibrate":
            return self.calibrate(opts)
        return self.make_test_scans(opts)

    def load(self, opts) -> None:
        import os

        from django.contrib.auth import get_user_model

        from itog.conduct.services import Refused
        from itog.exams.models import ExamSession
        from itog.jobs.models import Job
        from itog.scan import services

        session = ExamSession.objects.filter(pk=opts["session"]).first()
        if session is None:
            raise CommandError(f"Сессия № {opts['session']} не найдена")
        user = get_user_model().objects.filter(username=opts["user"]).first() if opts["user"] else None
        os.environ.setdefault("ITOG_JOB_BACKEND", "sync")  # the command waits for its batch
        try:
            batch = services.add_paths(session, user, opts["paths"])
        except Refused as exc:
            raise CommandError(str(exc)) from None
        if batch.skipped:
            self.stdout.write(f"Уже загружены (пропущены): {len(batch.skipped)}")
        if batch.job_id:
            job = Job.objects.get(pk=batch.job_id)
            self.stdout.write(f"Пакет {batch.pk}: {job.get_status_display()} {job.error or ''}".strip())
        summary = services.session_scan_summary(session)
        self.stdout.write(
            f"Работ: {summary['works']}, сверка пройдена: {summary['verified']}, "
            f"вопросов в очереди: {summary['open']}, страниц с замечаниями: "
            f"{summary['flagged_pages']}"
        )

    # -----------------------------------------------------------------------

    def recognize(self, opts) -> None:
        from itog.scan.parallel import recognize_files

        if opts["workers"] is not None and opts["workers"] < 1:
            raise CommandError("--workers: нужно число не меньше 1")
        started = time.perf_counter()
        total = flagged = 0
        from itog.scan.calibrate import CalibrationError, load_profile

        try:
            profile = load_profile(opts["profile"] or None)
        except CalibrationError as exc:
            raise CommandError(str(exc)) from None
        for result in recognize_files(
            opts["paths"],
            workers=opts["workers"],
            pdf_dpi=opts["pdf_dpi"],
            profile=profile if opts["profile"] else None,
        ):
            total += 1
            flagged += result.status == "flagged"
            if opts["json"]:
                self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                self.stdout.write(self._line(result))
            self.stdout.flush()
        seconds = time.perf_counter() - started
        summary = (
            f"Страниц: {total}; без замечаний: {total - flagged}; требуют проверки: {flagged}; "
            f"{seconds:.1f} с ({total / seconds if seconds else 0:.1f} стр./с)."
        )
        if opts["json"]:
            self.stderr.write(summary)
        else:
            self.stdout.write(summary)

    @staticmethod
    def _line(result) -> str:
        from itog.blanks.codes import format_code
        from itog.scan.recognize import box_caption

        where = f"{result.file} [стр. {result.page}]"
        if result.work_code:
            try:
                code = format_code(result.work_code)
            except ValueError:
                code = result.work_code
            kind = PAGE_TYPE_NAMES.get(result.page_type or "", "")
            number = f" № {result.page_number}" if result.page_type != "registration" else ""
            marked = [box_caption(b) for b, r in result.boxes.items() if r.state == "marked"]
            head = f"{where}: {code}, {kind}{number}; отмечено: {'; '.join(marked) or 'ничего'}"
        else:
            head = f"{where}: —"
        if result.status == "ok":
            return f"{head} — ОК"
        return f"{head} — ПРОВЕРИТЬ: " + "; ".join(result.reasons)

    # -----------------------------------------------------------------------

    def calibrate(self, opts) -> None:
        from itog.scan.calibrate import CalibrationError, calibrate, load_profile, profile_path, save_profile

        try:
            existing = profile_path(opts["profile"]).exists()
            base = load_profile(opts["profile"]) if existing else None
            report = calibrate(opts["folder"], opts["profile"], truth=opts["truth"], base=base)
        except CalibrationError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.after["silent"] > report.before["silent"]:
            raise CommandError("Новые пороги дают больше молчаливых ошибок, чем прежние: профиль не сохранен")
        if opts["dry_run"]:
            self.stdout.write("Профиль не сохранен (--dry-run).")
            return
        path = save_profile(
            report.profile,
            {
                "calibrated_on": str(opts["folder"]),
                "pages": report.pages,
                "boxes": report.boxes,
                "before": report.before,
                "after": report.after,
            },
        )
        self.stdout.write(f"Профиль {'обновлен' if existing else 'сохранен'}: {path}")
        self.stdout.write(
            f"Распознавание с ним: itog scan recognize --profile {report.profile.name} ПАПКА "
            f"(для пакетов РЦОИ — ITOG_SCAN_PROFILE={report.profile.name})"
        )

    def make_test_scans(self, opts) -> None:
        from itog.scan import synth

        count = opts["count"]
        if count < 1:
            raise CommandError("--count: нужно число страниц не меньше 1")
        if opts["field"]:
            from itog.scan import fieldsim

            started = time.perf_counter()
            document = fieldsim.write_field_scans(opts["out_dir"], count, opts["seed"])
            damages: dict[str, int] = {}
            for page in document["pages"]:
                damages[page["damage"]] = damages.get(page["damage"], 0) + 1
            self.stdout.write(
                f"Страниц: {document['count']} (повреждения: "
                + ", ".join(f"{k} — {v}" for k, v in sorted(damages.items()))
                + f"); {time.perf_counter() - started:.1f} с."
            )
            self.stdout.write(f"Эталон: {opts['out_dir']}/truth.json")
            return
        dpi = _dpi(opts["dpi"])
        needed = max(math.ceil(count / 3) + 2, 1)
        people, source = ([], None) if opts["fake"] else db_participants(needed)
        if not people:
            people = synth.fake_participants(needed, seed=opts["seed"])
            source = (
                f"вымышленные участники с правильными кодами работ ({len(people)}): в базе данных нет "
                f"рассаженных участников"
                if not opts["fake"]
                else f"вымышленные участники с правильными кодами работ ({len(people)})"
            )
        self.stdout.write(f"Участники: {source}.")
        started = time.perf_counter()
        pages = synth.generate_pages(people, count, opts["seed"], dpi)
        document = synth.write_test_scans(
            pages, opts["out_dir"], opts["seed"], count, meta={"participants": source, "dpi": opts["dpi"]}
        )
        kinds: dict[str, int] = {}
        for page in document["pages"]:
            key = page["page_type"] if page["kind"] == "itog" else page["kind"]
            kinds[key] = kinds.get(key, 0) + 1
        names = {
            "registration": "бланков регистрации",
            "answer": "бланков записи",
            "extra_answer": "дополнительных бланков",
            "foreign": "посторонних",
            "blank": "пустых",
        }
        made = ", ".join(f"{names.get(k, k)}: {v}" for k, v in sorted(kinds.items()))
        files = ", ".join(f"{k.upper()}: {v}" for k, v in sorted(document["files"].items()))
        self.stdout.write(
            f"Страниц: {document['count']} ({made}); файлов — {files}; {time.perf_counter() - started:.1f} с."
        )
        self.stdout.write(f"Эталон: {opts['out_dir']}/truth.json")
