import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import _pg_args


class Command(BaseCommand):
    help = "Восстанавливает базу данных из резервной копии, сделанной командой backup (текущие данные заменяются)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="не спрашивать подтверждения")

    def handle(self, *args, file, yes, **opts):
        source = Path(file)
        if not source.exists():
            raise CommandError(f"Файл не найден: {source}")
        if not yes and input("Текущие данные будут заменены. Продолжить? [да/нет] ").strip().lower() not in ("да", "y", "yes"):
            raise CommandError("Отменено.")
        db = settings.DATABASES["default"]
        connection.close()
        if connection.vendor == "sqlite":
            src = sqlite3.connect(source)
            dest = sqlite3.connect(db["NAME"])
            with dest:
                src.backup(dest)
            dest.close()
            src.close()
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_restore"):
                raise CommandError("Не найдена программа pg_restore (пакет postgresql-client).")
            pg, env = _pg_args(db)
            subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", *pg, "-d", db["NAME"], str(source)],
                           check=True, env={**os.environ, **env})
        else:
            raise CommandError(f"Восстановление для {connection.vendor} не поддерживается.")
        self.stdout.write(self.style.SUCCESS(f"База данных восстановлена из {source}"))
