"""How people really mark, and what phones and stamps do (issue #11), one case at a time on a rendered kit
page (fast; the whole field-like set is tests/scan/test_field_accuracy.py)."""

from __future__ import annotations

import functools
import io

import cv2
import numpy as np
import pytest

from itog.blanks.geometry import layout
from itog.blanks.render import render_kits
from itog.scan import fieldsim
from itog.scan.recognize import recognize_page

from .helpers import CODE, participant

LAY = layout("registration")


@functools.lru_cache(maxsize=4)
def _colour_page(dpi: int) -> np.ndarray:
    buf = io.BytesIO()
    render_kits([participant()], buf)
    return fieldsim.render_page(buf.getvalue(), 0, dpi)


def page_with(marks: dict[str, str], dpi: int = 200, seed: int = 1) -> np.ndarray:
    img = _colour_page(dpi).copy()
    rng = np.random.default_rng(seed)
    for box_id, kind in marks.items():
        fieldsim.draw_mark(img, dpi, LAY.box(box_id), kind, rng)
    return img


@pytest.mark.parametrize("grey", [False, True])
def test_pencil_is_read_as_marked_and_flagged_with_its_own_reason(grey):
    img = page_with({"k1.pass": "cross", "k2.pass": "pencil"}, seed=3)
    result = recognize_page(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if grey else img)
    box = result.boxes["k2.pass"]
    assert (box.state, box.note, box.confidence) == ("marked", "pencil", 0.5)
    assert result.boxes["k1.pass"].state == "marked" and result.boxes["k1.pass"].note == ""
    assert result.status == "flagged" and any("карандаш" in r and "Критерий К2" in r for r in result.reasons)
    assert result.to_json()["boxes"]["k2.pass"] == {"state": "marked", "confidence": 0.5, "note": "pencil"}


def test_corrected_mark_stays_ambiguous_and_a_filled_box_is_marked():
    for seed in range(4):
        result = recognize_page(page_with({"k3.pass": "corrected", "k3.fail": "filled"}, seed=seed))
        assert result.boxes["k3.pass"].state == "ambiguous" and result.boxes["k3.pass"].note == "corrected"
        assert result.boxes["k3.fail"].state == "marked" and result.boxes["k3.fail"].confidence >= 0.8
        assert any(r.startswith("Исправленная отметка") for r in result.reasons)


def test_a_faint_tick_is_never_read_as_surely_empty():
    for seed in range(6):
        for dpi in (100, 200):
            img = cv2.cvtColor(page_with({"k4.pass": "faint"}, dpi=dpi, seed=seed), cv2.COLOR_BGR2GRAY)
            box = recognize_page(img).boxes["k4.pass"]
            assert box.state != "empty" or box.confidence < 0.8, (seed, dpi, box)


def test_a_violet_stamp_over_an_empty_box_fades_in_colour():
    img = page_with({"k4.pass": "tick", "k5.pass": "cross", "overall.pass": "cross"})
    ppm = 200 / 25.4
    box = LAY.box("k5.fail")
    centre = (int((box.x + 12) * ppm), int((box.y + 3.5) * ppm))
    stamp = img.copy()
    cv2.circle(stamp, centre, int(14 * ppm), (190, 90, 120), max(int(0.8 * ppm), 1), cv2.LINE_AA)
    cv2.circle(stamp, centre, int(10 * ppm), (190, 90, 120), max(int(0.5 * ppm), 1), cv2.LINE_AA)
    img = cv2.addWeighted(img, 0.3, stamp, 0.7, 0)
    result = recognize_page(img)
    assert result.boxes["k5.fail"].state == "empty" and result.boxes["k5.fail"].confidence >= 0.8
    assert result.boxes["k5.pass"].state == "marked" and result.status == "ok"


def test_a_photo_with_a_cut_corner_is_aligned_by_three_corners_and_the_code():
    img = page_with({"req1.pass": "cross", "k1.fail": "tick", "overall.pass": "filled"})
    h, w = img.shape[:2]
    ppm = 200 / 25.4
    cut = int(27 * ppm)
    cv2.fillPoly(img, [np.array([(0, h), (cut, h), (0, h - cut)], np.int32)], (255, 255, 255))  # fid.bl lost
    for quarter in range(4):  # held any way round
        turned = np.ascontiguousarray(np.rot90(img, quarter))
        th, tw = turned.shape[:2]
        src = np.float32([[0, 0], [tw, 0], [tw, th], [0, th]])
        dst = np.float32([[0.05 * tw, 0], [0.95 * tw, 0.02 * th], [tw, th], [0, th]]) + 40  # keystone
        photo = cv2.warpPerspective(
            turned, cv2.getPerspectiveTransform(src, dst), (tw + 80, th + 80), borderValue=(60, 90, 120)
        )
        result = recognize_page(photo)
        assert result.work_code == CODE and result.status == "ok", (quarter, result.reasons)
        marked = {b for b, r in result.boxes.items() if r.state == "marked"}
        assert marked == {"req1.pass", "k1.fail", "overall.pass"}, quarter
        assert all(r.confidence >= 0.8 for r in result.boxes.values()), quarter
