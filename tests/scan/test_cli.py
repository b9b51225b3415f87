"""``itog scan``: the JSON-lines contract of ``recognize`` in a subprocess, and
``make-test-scans`` from fake participants and from the database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from itog.blanks.codes import is_valid
from itog.scan import synth

CONTRACT_KEYS = {"file", "page", "work_code", "page_type", "boxes", "status", "reasons"}


def run_itog(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command against a throw-away, empty database."""
    env = {**os.environ, "ITOG_DATA_DIR": str(data_dir), "ITOG_DATABASE_URL": f"sqlite:///{data_dir / 'itog.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "itog.cli", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_make_test_scans_then_recognize_json_lines(tmp_path):
    out = tmp_path / "scans"
    made = run_itog(tmp_path, "scan", "make-test-scans", "--count", "10", "--seed", "4", "--dpi", "150-200", str(out))
    assert made.returncode == 0, made.stderr
    assert "вымышленные участники" in made.stdout  # the empty database has no seated participants
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert truth["count"] == 10 and truth["seed"] == 4
    (out / "zz-broken.jpg").write_bytes(b"\xff\xd8 broken")

    run = run_itog(tmp_path, "scan", "recognize", str(out), "--json", "--workers", "2")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    results = [json.loads(line) for line in lines]  # every line is one JSON object
    assert len(results) == 11
    for r in results:
        assert set(r) >= CONTRACT_KEYS
        assert r["status"] in ("ok", "flagged") and (r["status"] == "flagged") == bool(r["reasons"])
        for box in r["boxes"].values():
            assert box["state"] in ("marked", "empty", "ambiguous") and 0 <= box["confidence"] <= 1
    broken = results[-1]
    assert broken["file"].endswith("zz-broken.jpg") and broken["status"] == "flagged"
    assert broken["reasons"][0].startswith("Файл не читается")
    for r in results[:-1]:
        r["file"] = Path(r["file"]).name
    score = synth.evaluate(truth["pages"], results[:-1])
    assert score["missing"] == 0 and score["code_wrong"] == 0 and score["silent_errors"] == 0
    assert score["other_flagged"] == score["other_pages"]
    assert "Страниц: 11" in run.stderr  # the summary goes to stderr with --json


def test_recognize_human_output(tmp_path):
    out = tmp_path / "scans"
    synth.write_test_scans(
        synth.generate_pages(synth.fake_participants(1, seed=1), 2, seed=1, dpi=150, foreign_rate=0, blank_rate=0),
        out,
        1,
        2,
    )
    run = run_itog(tmp_path, "scan", "recognize", str(out), "--workers", "1")
    assert run.returncode == 0, run.stderr
    assert "бланк регистрации" in run.stdout and "Страниц: 2" in run.stdout


def test_bad_arguments_are_refused_in_russian(tmp_path):
    run = run_itog(tmp_path, "scan", "make-test-scans", "--count", "3", "--dpi", "abc", str(tmp_path / "o"))
    assert run.returncode != 0 and "Неверное разрешение «abc»" in run.stderr


@pytest.fixture
def seated(region):
    from itog.exams.registration.services import register
    from itog.exams.seating.services import seat_session
    from tests.exams.fixtures import essay_session, student_registration
    from tests.exams.test_seating_db import staff_venue

    session = essay_session(region)
    for i in range(3):
        reg = student_registration(
            region.school1, personal={"document_number": f"78{i:04d}", "last_name": f"Сканова{i}"}
        )
        assert register(reg, session, region.school1, today=date(2026, 11, 10)).application
    staff_venue(session, region.school1)
    seat_session(session, seed=7)
    return session


@pytest.mark.django_db
def test_make_test_scans_takes_participants_from_the_database(seated, tmp_path):
    from itog.exams.models import WorkCode

    stdout = io.StringIO()
    call_command("scan", "make-test-scans", "--count", "5", "--seed", "2", "--dpi", "150", str(tmp_path), stdout=stdout)
    assert "база данных" in stdout.getvalue()
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    issued = set(WorkCode.objects.values_list("code", flat=True))
    used = {p["work_code"] for p in truth["pages"] if p["kind"] == "itog"}
    assert used and used <= issued and all(is_valid(c) for c in used)
