"""`itog restore FILE`: the database and the media files from an archive made by `itog backup`.

Older backups (a bare SQLite file or a ``pg_dump -Fc`` file, without media) are still accepted; then the
media folder is left as it is and the command says so.
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

from .backup import FORMAT, _pg_args


def restore_database(source: Path, kind: str) -> None:
    db = settings.DATABASES["default"]
    connection.close()
    if kind == "sqlite":
        if connection.vendor != "sqlite":
            raise CommandError(
                "Копия сделана с базы SQLite, а сейчас настроена PostgreSQL: восстановите её "
                "в SQLite или перенесите данные командами dumpdata/loaddata."
            )
        src = sqlite3.connect(source)
        dest = sqlite3.connect(db["NAME"])
        with dest:
            src.backup(dest)
        dest.close()
        src.close()
    elif kind == "postgresql":
        if connection.vendor != "postgresql":
            raise CommandError("Копия сделана с базы PostgreSQL, а сейчас настроена другая база данных.")
        if not shutil.which("pg_restore"):
            raise CommandError("Не найдена программа pg_restore (пакет postgresql-client).")
        pg, env = _pg_args(db)
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", *pg, "-d", db["NAME"], str(source)],
            check=True,
            env={**os.environ, **env},
        )
    else:
        raise CommandError(f"Неизвестный вид базы данных в копии: {kind}.")


def raw_kind(path: Path) -> str | None:
    head = path.open("rb").read(16)
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PGDMP"):
        return "postgresql"
    return None


def replace_media(extracted: Path, media: Path) -> int:
    """Swap the media folder for the extracted one (files made after the backup go with the old folder)."""
    media.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent))
    new = staged / "media"
    shutil.move(str(extracted), new)
    old = staged / "old"
    if media.exists():
        media.rename(old)
    new.rename(media)
    shutil.rmtree(staged, ignore_errors=True)
    return sum(1 for p in media.rglob("*") if p.is_file())


class Command(BaseCommand):
    help = (
        "Восстанавливает базу данных и файлы (ITOG_MEDIA_ROOT) из резервной копии, сделанной командой "
        "backup (текущие данные и файлы заменяются)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="не спрашивать подтверждения")

    def handle(self, *args, file, yes, **opts):
        source = Path(file)
        if not source.exists():
            raise CommandError(f"Файл не найден: {source}")
        kind = raw_kind(source)
        if kind is None and not tarfile.is_tarfile(source):
            raise CommandError(f"Файл {source} не является резервной копией «Итога».")
        if not yes and input("Текущие данные будут заменены. Продолжить? [да/нет] ").strip().lower() not in (
            "да",
            "y",
            "yes",
        ):
            raise CommandError("Отменено.")
        media = Path(settings.MEDIA_ROOT)
        if kind is not None:
            restore_database(source, kind)
            self.stdout.write(
                self.style.WARNING(
                    f"База данных восстановлена из {source}. Это копия старого формата без файлов: "
                    f"папка {media} не изменена."
                )
            )
            return
        with tempfile.TemporaryDirectory(
            prefix="itog-restore-", dir=media.parent if media.parent.exists() else None
        ) as tmp:
            with tarfile.open(source, "r:*") as archive:
                archive.extractall(tmp, filter="data")  # no absolute paths, no «..», no devices
            manifest = json.loads((Path(tmp) / "manifest.json").read_text())
            if manifest.get("format") != FORMAT:
                raise CommandError(f"Неизвестный формат резервной копии: {manifest.get('format')!r}.")
            extracted = Path(tmp) / "media"
            if not extracted.exists():
                extracted.mkdir()
            restored = sum(1 for p in extracted.rglob("*") if p.is_file())
            if restored != manifest["media_files"]:
                raise CommandError(f"Архив неполон: файлов {restored} вместо {manifest['media_files']}.")
            restore_database(Path(tmp) / manifest["database_file"], manifest["database"])
            count = replace_media(extracted, media)
        self.stdout.write(self.style.SUCCESS(f"Восстановлено из {source}: база данных и файлов — {count} в {media}"))
