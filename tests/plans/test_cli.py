"""The command-line contract of `itog plan import` and `itog plan parse-deadlines` on the real seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.seeds import seed_path

EXPECTED = {"000": (22, None), "001": (145, 10), "002": (10, None), "004": (460, 8)}
KEYS = {
    "id",
    "section",
    "number",
    "parent",
    "activity",
    "deadline",
    "responsible",
    "responsible_raw",
    "inherited",
    "warnings",
    "line",
}
DEADLINE_KEYS = {"raw", "kind", "windows", "anchor", "recurrence", "schedule_ref", "warnings"}


def itog(*args, stdin: str | None = None, env_extra=None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "itog", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    """A fresh, unmigrated SQLite file: the dry run must not need the database."""
    path = tmp_path_factory.mktemp("db")
    return {"ITOG_DATA_DIR": str(path), "ITOG_DATABASE_URL": f"sqlite:///{path / 'x.sqlite3'}"}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_import_json_contract(prefix, empty_db):
    result = itog("plan", "import", str(seed_path(prefix)), "--dry-run", "--json", env_extra=empty_db)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    items, sections = EXPECTED[prefix]
    assert len(doc["items"]) == items
    if sections:
        assert len(doc["sections"]) == sections
    assert {"title", "approved", "year", "sections", "items", "findings"} <= doc.keys()
    for item in doc["items"]:
        assert item.keys() >= KEYS
        assert item["deadline"].keys() >= DEADLINE_KEYS
        for window in item["deadline"]["windows"]:
            if window["start"] and window["end"]:
                assert window["start"] <= window["end"] or item["deadline"]["warnings"], item["id"]
    for finding in doc["findings"]:
        assert {"code", "item", "message", "quote"} <= finding.keys()


def test_004_has_459_numbered_items_and_one_unnumbered(empty_db):
    doc = json.loads(itog("plan", "import", str(seed_path("004")), "--dry-run", "--json", env_extra=empty_db).stdout)
    unnumbered = [i for i in doc["items"] if any(w["code"] == "unnumbered_row" for w in i["warnings"])]
    assert len(unnumbered) == 1 and len(doc["items"]) - 1 == 459


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_every_seed_deadline_is_understood(prefix, empty_db):
    """Every deadline gets a kind other than unknown, except cells with no deadline, which get a finding."""
    doc = json.loads(itog("plan", "import", str(seed_path(prefix)), "--dry-run", "--json", env_extra=empty_db).stdout)
    no_deadline = {f["item"] for f in doc["findings"] if f["code"] == "actor_in_deadline"}
    unknown = {i["id"] for i in doc["items"] if i["deadline"]["kind"] == "unknown" and i["deadline"]["raw"].strip()}
    assert unknown <= no_deadline, f"deadlines the grammar could not read: {sorted(unknown - no_deadline)}"


def test_not_a_plan_is_refused(tmp_path, empty_db):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    result = itog("plan", "import", str(photo), "--dry-run", env_extra=empty_db)
    assert result.returncode != 0
    assert "изображение" in result.stderr.lower() or "не является" in result.stderr.lower(), result.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = itog("plan", "import", str(empty), "--dry-run", env_extra=empty_db)
    assert result.returncode != 0 and "пуст" in result.stderr.lower()


def test_parse_deadlines_stream_keeps_order():
    phrases = [
        "ноябрь 2023 года",
        "до 1 сентября 2024 года",
        "постоянно",
        "абракадабра",
        "ГИА-11: с 01.12. 2023 г. - 01.02. 2024 года,\\nГИА-9: до 01.03.2024 года",
    ]
    result = itog("plan", "parse-deadlines", "--year", "2023/24", "--json", stdin="\n".join(phrases) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [obj["raw"] for obj in lines][:4] == phrases[:4]
    assert "\n" in lines[4]["raw"], "a literal \\n stands for a line break inside the cell"
    assert (
        lines[0]["kind"] in ("date", "window")
        and lines[0]["windows"] == [{"start": "2023-11-01", "end": "2023-11-30"}]
        or lines[0]["windows"][0]["start"] == "2023-11-01"
    )
    assert lines[1]["kind"] == "by_date" and lines[1]["windows"][0]["end"] == "2024-09-01"
    assert lines[2]["kind"] == "continuous"
    assert lines[3]["kind"] == "unknown" and lines[3]["windows"] == []
    assert lines[4]["kind"] == "windows" and len(lines[4]["windows"]) == 2


def test_import_columns_option_and_confidence(tmp_path, empty_db):
    path = tmp_path / "plan.txt"
    path.write_text(
        "Что делаем\tКогда\tКто\nСовещание с МОУО\tдо 01.10.2024\tРЦОИ\nОбучение экспертов\tноябрь 2024 года\tИРО\n",
        encoding="utf-8",
    )
    refused = itog("plan", "import", str(path), "--dry-run", "--json", env_extra=empty_db)
    assert refused.returncode != 0
    assert "найдено 3 столбца" in refused.stderr and "--columns" in refused.stderr
    result = itog(
        "plan",
        "import",
        str(path),
        "--dry-run",
        "--json",
        "--columns",
        "activity=1,deadline=2,responsible=3",
        env_extra=empty_db,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [i["activity"] for i in doc["items"]] == ["Совещание с МОУО", "Обучение экспертов"]
    assert doc["items"][0]["deadline"]["kind"] == "by_date"
    assert set(doc["confidence"]) == {"score", "level", "reasons"} and doc["layout"] == ["tab"]
    bad = itog("plan", "import", str(path), "--dry-run", "--columns", "activity=x", env_extra=empty_db)
    assert bad.returncode != 0 and "номер столбца" in bad.stderr


def test_import_forced_format_and_text_report(tmp_path, empty_db):
    path = tmp_path / "plan.txt"
    path.write_text(
        "План-график\n\nМероприятие |\nСрок |\nОтветственный |\n\nСовещание |\nдо 01.10.2024 |\n"
        "РЦОИ |\n\nОбучение |\nноябрь 2024 года |\nИРО |\n",
        encoding="utf-8",
    )
    result = itog("plan", "import", str(path), "--dry-run", "--format", "lines", env_extra=empty_db)
    assert result.returncode == 0, result.stderr
    assert "формат: lines" in result.stdout and "уверенность разбора: высокая" in result.stdout
    assert "мероприятий: 2" in result.stdout
