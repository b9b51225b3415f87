"""`itog backup FILE`: one archive with the database and the media files.

The archive (tar, gzip-compressed) holds ``manifest.json``, the database (SQLite: a consistent copy made
with SQLite's backup API; PostgreSQL: ``pg_dump -Fc``) and every file under ITOG_MEDIA_ROOT — scans,
audio recordings, evidence of plan items, job results — under ``media/``. Without the media the database
would point at files that no longer exist. `itog restore FILE` puts both back.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

FORMAT = "itog-backup-1"
DB_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or ""]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def dump_database(target: Path) -> None:
    db = settings.DATABASES["default"]
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
        subprocess.run(["pg_dump", "-Fc", *pg, "-f", str(target), db["NAME"]], check=True, env={**os.environ, **env})
    else:
        raise CommandError(f"Резервное копирование для {connection.vendor} не поддерживается.")


class Command(BaseCommand):
    help = (
        "Резервная копия: один архив с базой данных (SQLite — копия через API резервного копирования, "
        "PostgreSQL — pg_dump -Fc) и всеми файлами ITOG_MEDIA_ROOT (сканы, аудиозаписи, подтверждения)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **opts):
        target = Path(file)
        media = Path(settings.MEDIA_ROOT)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        with tempfile.TemporaryDirectory(prefix="itog-backup-") as tmp:
            db_file = Path(tmp) / DB_NAMES.get(connection.vendor, "database")
            dump_database(db_file)
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "database": connection.vendor,
                "database_file": db_file.name,
                "media_files": len(files),
                "media_bytes": sum(p.stat().st_size for p in files),
            }
            manifest_file = Path(tmp) / "manifest.json"
            manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz", compresslevel=3) as archive:
                archive.add(manifest_file, "manifest.json")
                archive.add(db_file, db_file.name)
                for path in files:
                    archive.add(path, "media/" + path.relative_to(media).as_posix())
            partial.replace(target)  # a finished archive or none: never a half-written one under the name
        self.stdout.write(
            self.style.SUCCESS(
                f"Резервная копия записана: {target} ({target.stat().st_size} байт): база данных и файлов — "
                f"{len(files)} ({manifest['media_bytes']} байт) из {media}"
            )
        )
