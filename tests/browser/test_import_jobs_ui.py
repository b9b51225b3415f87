"""A participant list uploaded in a real Chromium becomes a background job (issue 15): the page polls the job
(HTMX) until it is done and shows the counts, or the row errors with nothing saved."""

from __future__ import annotations

import pytest

from itog.exams.models import Application, Participant
from itog.exams.registration.services import ensure_sessions
from itog.jobs.models import Job
from tests.exams.test_import_db import row, xlsx

from .conftest import screenshot

pytestmark = pytest.mark.browser


def upload(page, live_server, session, path) -> None:
    page.goto(f"{live_server.url}/sessions/{session.pk}/import/")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_consent_on", "2026-11-01")
    page.click(".form-actions button")
    page.wait_for_url("**/jobs/*/")


def test_participant_list_upload_runs_as_a_job_and_shows_the_counts(
    page_for, live_server, live_region, tmp_path, sync_jobs
):
    # sync: see tests/browser/test_plan_import_ui.py (SQLite's shared test database and a job thread)
    session = ensure_sessions(live_region.ministry, "2027/28")[0]  # next year's main date: registration open
    good = tmp_path / "spisok.xlsx"
    good.write_bytes(xlsx([row(live_region, i) for i in range(40)]))
    page = page_for("school")
    upload(page, live_server, session, good)
    assert page.locator("h1").inner_text().startswith("Загрузка списка участников «spisok.xlsx»")
    page.locator("#report h2.good").wait_for(timeout=60_000)  # the page polls until the job is done
    assert page.locator("#job-status").inner_text() == "завершено"
    assert "40 из 40" in page.locator("#job-progress").inner_text()
    assert page.locator("#report h2.good").inner_text() == "Загружено заявлений: 40"
    assert Application.objects.filter(session=session).count() == 40
    screenshot(page, "participant-import-job-done")
    page.click("text=К списку участников")
    page.wait_for_url(f"**/sessions/{session.pk}/")

    bad = tmp_path / "spisok-2.xlsx"
    bad.write_bytes(xlsx([row(live_region, 100), row(live_region, 101, **{"Класс": "10А"})]))
    upload(page, live_server, session, bad)
    page.locator("#report h2.bad").wait_for(timeout=60_000)
    assert "Список не загружен: ошибок — 1" in page.locator("#report h2.bad").inner_text()
    assert "Строка 3, столбец «Класс»" in page.locator("#report ul.errors").inner_text()
    assert Participant.objects.count() == 40  # nothing of the second list
    assert Job.objects.filter(kind="import-participants").count() == 2
    screenshot(page, "participant-import-job-errors")
