"""A pencil mark in the database (issue #11): flagged «карандаш», one queue question on the box with the likely
reading shown and the matching decision pre-selected; a corrected mark is never taken as marked."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest

from itog.blanks.geometry import layout
from itog.blanks.render import render_kits
from itog.conduct.models import Work
from itog.scan import fieldsim
from itog.scan.models import ScanPage, VerificationItem
from tests.scan.helpers import participant
from tests.scan.test_db import _entered, _upload, unverified  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def scan_with(work: Work, boxes: dict[str, bool], kinds: dict[str, str], seed: int = 5) -> bytes:
    buf = io.BytesIO()
    render_kits([participant(work.code)], buf)
    img = fieldsim.render_page(buf.getvalue(), 0, 200)
    rng = np.random.default_rng(seed)
    lay = layout("registration")
    for box_id, on in boxes.items():
        if on:
            fieldsim.draw_mark(img, 200, lay.box(box_id), kinds.get(box_id, "cross"), rng)
    ok, png = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))
    return png.tobytes()


def test_pencil_mark_goes_to_the_queue_with_its_likely_reading(region, unverified, tmp_path, login):  # noqa: F811
    session = unverified
    rcoi = region.user("rcoi")
    work = Work.objects.filter(session=session).order_by("pk").first()
    entered = _entered(work)
    pencil_box = next(b for b in ("k2.pass", "k2.fail") if entered.get(b))
    _upload(session, rcoi, tmp_path, {"p.png": scan_with(work, entered, {pencil_box: "pencil"})})
    page = ScanPage.objects.get(work_code=work.code)
    assert page.status == "flagged" and any("карандаш" in r for r in page.reasons), page.reasons
    assert page.result["boxes"][pencil_box] == {"state": "marked", "confidence": 0.5, "note": "pencil"}
    items = list(VerificationItem.objects.filter(work=work, status="open"))
    pencil = [i for i in items if i.kind == "pencil"]
    assert len(pencil) == 1 and pencil[0].box_id == pencil_box
    assert "карандаш" in pencil[0].reason and "вероятно «отмечено»" in pencil[0].reason
    assert not [i for i in items if i.box_id == pencil_box and i.kind != "pencil"]
    html = login("rcoi").get(f"/verification/{pencil[0].pk}/").content.decode()
    assert "Вероятное прочтение (карандаш)" in html
    # the decision agreeing with the entries is pre-selected
    checked = [line for line in html.split("<input") if "checked" in line and 'name="decision"' in line]
    assert len(checked) == 1 and 'value="entered_correct"' in checked[0], checked
    work.refresh_from_db()
    assert work.scan_verified_at is None


def test_corrected_mark_is_ambiguous_never_marked(region, unverified, tmp_path):  # noqa: F811
    session = unverified
    rcoi = region.user("rcoi")
    work = Work.objects.filter(session=session).order_by("pk").first()
    entered = dict(_entered(work))
    on = next(b for b in ("k4.pass", "k4.fail") if entered.get(b))
    off = "k4.fail" if on == "k4.pass" else "k4.pass"
    entered[off] = True  # the expert marked the wrong box first, then filled it and crossed it out
    _upload(session, rcoi, tmp_path, {"c.png": scan_with(work, entered, {off: "corrected"})})
    page = ScanPage.objects.get(work_code=work.code)
    assert page.result["boxes"][off]["state"] == "ambiguous" and page.result["boxes"][off]["note"] == "corrected"
    assert page.result["boxes"][on]["state"] == "marked"
    assert VerificationItem.objects.filter(work=work, box_id=off, kind="ambiguous", status="open").exists()
