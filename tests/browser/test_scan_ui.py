"""Scanning in a real Chromium (п. 9.2): a scanned blank disagrees with the entered marks, the РЦОИ operator
looks at the cropped box in the verification queue, decides, and the session becomes publishable."""

from __future__ import annotations

import pytest

from itog.conduct.models import Work
from itog.scan import services as SS
from tests.conduct.fixtures import finished_session
from tests.scan.test_db import render_scan

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_operator_resolves_a_disputed_box_and_the_session_becomes_publishable(
    page_for, live_server, live_region, monkeypatch, tmp_path
):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    monkeypatch.setenv("ITOG_SCAN_WORKERS", "1")
    region = live_region
    session = finished_session(region)
    session.processed_at = session.published_at = session.results_date = None
    session.save()
    works = list(Work.objects.filter(session=session).order_by("pk"))
    Work.objects.filter(pk__in=[w.pk for w in works[1:]]).update(scan_verified_at=works[1].scan_verified_at)
    work = works[0]
    Work.objects.filter(pk=work.pk).update(scan_verified_at=None)
    boxes = SS.entered_boxes(work.expert_requirements, work.expert_marks, work.expert_result)
    # The operator's pen slipped: on the blank К4 is crossed the other way (the entries are right).
    boxes = {k: (not v if k.startswith("k4.") else v) for k, v in boxes.items()}
    scan = tmp_path / "scan-0001.png"
    scan.write_bytes(render_scan(work, boxes, seed=9))

    rcoi = page_for("rcoi")
    url = live_server.url
    rcoi.goto(f"{url}/sessions/{session.pk}/scanning/")
    rcoi.set_input_files("input[name=files]", str(scan))
    rcoi.click("#upload-scans")
    rcoi.locator("text=Готово").first.wait_for()
    rcoi.goto(f"{url}/sessions/{session.pk}/results/")
    assert "Сверка распознанной информации" in rcoi.locator("#blockers").inner_text()

    rcoi.goto(f"{url}/sessions/{session.pk}/verification/")
    rows = rcoi.locator("#queue tbody tr")
    assert rows.count() >= 2  # the pass and the fail box of К4
    assert work.code in rows.first.inner_text()
    rows.first.locator("text=Решить").click()
    while True:
        rcoi.locator("#crop").wait_for()
        rcoi.wait_for_function(
            "() => document.getElementById('crop').complete"
        )  # a function: a bare expression is an eval the CSP forbids
        assert rcoi.evaluate("document.getElementById('crop').naturalWidth") > 20  # the image really loaded
        assert "Эксперт (копия)" in rcoi.locator("#entered").inner_text()
        screenshot(rcoi, "scan-verification-item")
        rcoi.check("input[name=decision][value=entered_correct]")
        rcoi.fill("#id_note", "На оригинале отметка исправлена, верно «как внесено»")
        rcoi.click("#decide")
        rcoi.locator(".msg-success").wait_for()
        if "/verification/" in rcoi.url and rcoi.url.rstrip("/").split("/")[-2] == "verification":
            continue  # the next open question
        break
    assert "Очередь пуста" in rcoi.locator("#queue").inner_text()
    work.refresh_from_db()
    assert work.scan_verified_at is not None

    rcoi.goto(f"{url}/sessions/{session.pk}/results/")
    rcoi.click("#mark-processed")
    rcoi.click("#publish")
    rcoi.locator(".msg-success", has_text="Результаты опубликованы").wait_for()
    session.refresh_from_db()
    assert session.published_at is not None
