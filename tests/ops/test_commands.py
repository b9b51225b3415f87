"""The `itog` command as an operator uses it: demo twice, serve, backup/restore.

These run the real command in a subprocess against a throw-away SQLite
database in a temporary data directory (never the developer's database).
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SMALL = ["--schools", "12", "--grade11", "30", "--grade9", "30"]


def run_itog(data_dir: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "ITOG_DATA_DIR": str(data_dir), "ITOG_DATABASE_URL": f"sqlite:///{data_dir / 'itog.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "itog", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in (
                "orgs_organization",
                "people_student",
                "people_employee",
                "orgs_room",
                "auth_user",
                "accounts_membership",
                "orgs_actoralias",
            )
        }


def test_demo_twice_does_not_duplicate_and_prints_logins(tmp_path):
    first = run_itog(tmp_path, "demo", "--no-serve", *SMALL)
    assert first.returncode == 0, first.stderr
    assert "Демонстрационный регион создан" in first.stdout
    for login in ("minobr", "inspector", "rcoi", "mouo", "school", "commission", "expert", "participant"):
        assert re.search(rf"^\s+{login}\s+/ itog-demo-2026 — ", first.stdout, re.M), login
    before = counts(tmp_path / "itog.sqlite3")
    assert before["orgs_organization"] == 1 + 2 + 12 + 12 and before["people_student"] == 60

    second = run_itog(tmp_path, "demo", "--no-serve", *SMALL)
    assert second.returncode == 0, second.stderr
    assert "уже был создан, используется повторно" in second.stdout
    assert counts(tmp_path / "itog.sqlite3") == before


def test_demo_is_deterministic(tmp_path):
    names = []
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        assert run_itog(tmp_path / sub, "demo", "--no-serve", *SMALL).returncode == 0
        with sqlite3.connect(tmp_path / sub / "itog.sqlite3") as conn:
            names.append(
                conn.execute("select last_name, first_name, document_number from people_student order by id").fetchall()
            )
    assert names[0] == names[1]


def test_backup_and_restore(tmp_path):
    assert run_itog(tmp_path, "demo", "--no-serve", *SMALL).returncode == 0
    db = tmp_path / "itog.sqlite3"
    media = tmp_path / "media"  # ITOG_MEDIA_ROOT's default: the data folder's media/
    scan = media / "scans" / "batch-1" / "page-0001.png"
    audio = media / "audio" / "2026" / "interview.ogg"
    evidence = media / "evidence" / "2026" / "12" / "приказ 45.pdf"
    for path, body in ((scan, b"\x89PNG scan"), (audio, b"OggS audio"), (evidence, b"%PDF-1.4 evidence")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    backup = tmp_path / "backup.tar.gz"
    result = run_itog(tmp_path, "backup", str(backup))
    assert result.returncode == 0, result.stderr
    before = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())  # the demo's own and ours
    assert f"файлов — {len(before)} " in result.stdout

    with sqlite3.connect(db) as conn:
        conn.execute("update people_student set last_name = 'Испорчено'")
    scan.unlink()  # lost after the backup
    evidence.write_bytes(b"overwritten")  # changed after the backup
    late = media / "scans" / "late.png"  # made after the backup: not in the restored state
    late.write_bytes(b"late")

    result = run_itog(tmp_path, "restore", str(backup), "--yes")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from people_student where last_name = 'Испорчено'").fetchone()[0] == 0
    assert scan.read_bytes() == b"\x89PNG scan"
    assert audio.read_bytes() == b"OggS audio"
    assert evidence.read_bytes() == b"%PDF-1.4 evidence"
    assert not late.exists()
    assert sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file()) == before
    assert not list(tmp_path.glob(".restore-*")), "no staging folders left behind"

    missing = run_itog(tmp_path, "restore", str(tmp_path / "nope.sqlite3"), "--yes")
    assert missing.returncode != 0 and "Файл не найден" in missing.stderr
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup at all")
    refused = run_itog(tmp_path, "restore", str(junk), "--yes")
    assert refused.returncode != 0 and "не является резервной копией" in refused.stderr


def test_restore_accepts_an_old_bare_database_copy(tmp_path):
    assert run_itog(tmp_path, "migrate", "--noinput").returncode == 0
    db = tmp_path / "itog.sqlite3"
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as src, sqlite3.connect(old) as dest:
        src.backup(dest)
    result = run_itog(tmp_path, "restore", str(old), "--yes")
    assert result.returncode == 0, result.stderr
    assert "без файлов" in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_with_pages_and_static_files(tmp_path):
    assert run_itog(tmp_path, "migrate", "--noinput").returncode == 0
    port = free_port()
    env = {
        **os.environ,
        "ITOG_DATA_DIR": str(tmp_path),
        "ITOG_DATABASE_URL": f"sqlite:///{tmp_path / 'itog.sqlite3'}",
        "ITOG_ACCESS_LOG": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "itog", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5).read().decode()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    pytest.fail("itog serve did not start: " + (server.stdout.read().decode() if server.poll() else ""))
                time.sleep(0.3)
        assert "Вход в систему" in page
        css_url = re.search(r'href="(/static/itog/itog[^"]*\.css)"', page).group(1)
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}{css_url}", timeout=5)
        assert css.headers["Content-Type"].startswith("text/css")
        assert b".topbar" in css.read()
        home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
        assert home.url.endswith("/login/?next=/"), "anonymous users are sent to log in"
    finally:
        server.terminate()
        server.wait(timeout=20)
