import os
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand

from itog.analytics.demo import load_demo_history
from itog.conduct.demo import load_demo_results
from itog.core.bulk import refresh_statistics
from itog.demo.generate import SCALES, DemoSize, generate
from itog.exams.demo import load_demo_exams
from itog.plans.demo import load_seed_plans


class Command(BaseCommand):
    help = "Создает (или повторно использует) демонстрационный регион, печатает логины и запускает сервер."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="только подготовить данные")
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument(
            "--password",
            default=os.environ.get("ITOG_DEMO_PASSWORD", "itog-demo-2026"),
            help="пароль всех демонстрационных учетных записей",
        )
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--schools", type=int, default=DemoSize.schools)
        parser.add_argument("--grade11", type=int, default=DemoSize.grade11)
        parser.add_argument("--grade9", type=int, default=DemoSize.grade9)
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="",
            help="регион заданного размера для замеров: moscow — 1500 ОО, 75 000 участников "
            "(только справочники и заявления основного срока; без планов и прошлого года)",
        )

    def handle(self, *args, **opts):
        self.stdout.write("Подготовка базы данных…")
        call_command("migrate", interactive=False, verbosity=0)
        size = (
            SCALES[opts["scale"]]
            if opts["scale"]
            else DemoSize(schools=opts["schools"], grade11=opts["grade11"], grade9=opts["grade9"])
        )
        result = generate(opts["password"], seed=opts["seed"], size=size, progress=self.stdout.write)
        c = result.counts
        verb = "создан" if result.created else "уже был создан, используется повторно"
        self.stdout.write(
            self.style.SUCCESS(
                f"Демонстрационный регион {verb} за {result.seconds:.1f} с: {c['municipalities']} МОУО, "
                f"{c['schools']} ОО, {c['students']} обучающихся, {c['employees']} работников, {c['rooms']} аудиторий."
            )
        )
        if opts["scale"]:
            self.stdout.write("Итоговое сочинение (изложение):")
            load_demo_exams(result.region, date.today(), progress=self.stdout.write, seat=False)
            refresh_statistics()
            self._logins(result)
            return
        self.stdout.write("Дорожные карты и планы-графики (документы из shared/seeds):")
        load_seed_plans(result.region, date.today(), progress=self.stdout.write)
        self.stdout.write("Итоговое сочинение (изложение):")
        load_demo_exams(result.region, date.today(), progress=self.stdout.write)
        self.stdout.write("Прошлый учебный год: проведение, проверка, результаты, повторный допуск, хранение:")
        load_demo_results(result.region, date.today(), progress=self.stdout.write)
        self.stdout.write("Итоговое собеседование: этот учебный год и прошлый (день проведения, записи, протоколы):")
        from itog.conduct.demo_interview import load_demo_interview

        load_demo_interview(result.region, date.today(), progress=self.stdout.write)
        self.stdout.write("Аналитика результатов: два предыдущих учебных года (архив):")
        today = date.today()
        load_demo_history(
            result.region, (today.year if today.month >= 9 else today.year - 1) - 1, progress=self.stdout.write
        )
        refresh_statistics()
        self._logins(result)
        if opts["no_serve"]:
            return
        self.stdout.write(self.style.SUCCESS(f"\nОткройте http://{opts['bind']}/ в браузере. Остановка: Ctrl+C."))
        call_command("serve", bind=opts["bind"], workers=1, threads=8)

    def _logins(self, result):
        self.stdout.write("\nУчетные записи (логин / пароль — роль, организация):")
        for username, password, role, org in result.logins:
            self.stdout.write(f"  {username:<12} / {password} — {role}, {org}")
