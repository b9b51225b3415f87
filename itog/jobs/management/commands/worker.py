import time

from django.core.management.base import BaseCommand

from itog.jobs.runner import run_job, take_next


class Command(BaseCommand):
    help = "Обработчик фоновых заданий (ITOG_JOB_BACKEND=db): берет задания из очереди и выполняет их."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="выполнить очередь и завершиться")
        parser.add_argument("--poll", type=float, default=1.0, help="пауза между опросами, с")

    def handle(self, *args, once=False, poll=1.0, **opts):
        import itog.jobs.tasks  # noqa: F401 - registers the job kinds

        while True:
            job_id = take_next()
            if job_id is None:
                if once:
                    return
                time.sleep(poll)
                continue
            self.stdout.write(f"задание {job_id}…")
            run_job(job_id)
