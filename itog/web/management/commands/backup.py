import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or ""]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


class Command(BaseCommand):
    help = "Резервная копия базы данных: SQLite — копия файла через API резервного копирования, PostgreSQL — pg_dump -Fc."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **opts):
        db = settings.DATABASES["default"]
        target = Path(file)
        if connection.vendor == "sqlite":
            source = sqlite3.connect(db["NAME"])
            dest = sqlite3.connect(target)
            with dest:
                source.backup(dest)
            dest.close()
            source.close()
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("Не найдена программа pg_dump (пакет postgresql-client).")
            pg, env = _pg_args(db)
            import os

            subprocess.run(["pg_dump", "-Fc", *pg, "-f", str(target), db["NAME"]], check=True,
                           env={**os.environ, **env})
        else:
            raise CommandError(f"Резервное копирование для {connection.vendor} не поддерживается.")
        self.stdout.write(self.style.SUCCESS(f"Резервная копия записана: {target} ({target.stat().st_size} байт)"))
