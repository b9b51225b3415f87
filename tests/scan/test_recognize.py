"""Recognition of single pages: every distortion, orientation, resolution, ambiguous marks,
pages that are not ours, a wrong check digit, missing fiducials."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from itog.blanks import codes
from itog.scan import synth
from itog.scan.recognize import (
    DIGIT_THRESHOLDS,
    MARK_THRESHOLDS,
    BoxResult,
    PageResult,
    _classify,
    box_caption,
    crop_box,
    recognize_page,
    scanned_boxes,
)

from .helpers import CODE, FILLED, kit_page, marked_page, states

NO_DISTORTION = dict(quarter=0, skew=0.0, blur=0.0, noise=0.0, gradient=0.0, dark_backing=False)


def assert_read(result, truth, page_type="registration", number=1):
    assert result.work_code == CODE
    assert result.page_type == page_type and result.page_number == number
    assert states(result) == truth
    assert result.status == "ok", result.reasons


def test_clean_registration_page_every_box():
    img, truth = marked_page()
    result = recognize_page(img, file="a.png")
    assert_read(result, truth)
    assert set(result.boxes) == {b.id for b in scanned_boxes("registration")}
    assert len(result.boxes) == 23  # 3 topic + 2 commission + 2 count + 8 rows × 2
    marked = {b for b, s in truth.items() if s == "marked"}
    assert marked == set(FILLED) and "k3.fail" in marked and "k3.pass" not in marked
    assert all(result.boxes[b].confidence >= 0.75 for b in result.boxes)
    assert abs(result.rotation) < 0.5


def test_answer_page_reports_code_number_and_topic_digits():
    marks = {"topic.d0": synth.MarkSpec("digit", "marked", 1), "topic.d1": synth.MarkSpec("digit", "marked", 2)}
    img, truth = marked_page(marks, page_type="answer", distort=True, seed=4)
    result = recognize_page(img)
    assert_read(result, truth, page_type="answer", number=1)
    assert set(result.boxes) == {"topic.d0", "topic.d1", "topic.d2"}
    assert states(result) == {"topic.d0": "marked", "topic.d1": "marked", "topic.d2": "empty"}


@pytest.mark.parametrize("quarter,expected", [(0, 0.0), (1, 90.0), (2, 180.0), (3, -90.0)])
def test_quarter_turns_including_upside_down(quarter, expected):
    img, truth = marked_page(**{**NO_DISTORTION, "quarter": quarter})
    result = recognize_page(img)
    assert_read(result, truth)
    diff = (result.rotation - expected + 180) % 360 - 180
    assert abs(diff) < 0.5, result.rotation


@pytest.mark.parametrize("skew", [-5.0, -2.5, 2.5, 5.0])
def test_skew_up_to_five_degrees(skew):
    img, truth = marked_page(**{**NO_DISTORTION, "skew": skew}, seed=2)
    result = recognize_page(img)
    assert_read(result, truth)
    assert abs(result.rotation - skew) < 0.3


def test_skew_on_upside_down_page():
    img, truth = marked_page(**{**NO_DISTORTION, "quarter": 2, "skew": -4.8}, seed=3)
    assert_read(recognize_page(img), truth)


@pytest.mark.parametrize("dpi", [150, 300])
def test_resolutions(dpi):
    img, truth = marked_page(dpi=dpi, distort=True, seed=dpi)
    assert_read(recognize_page(img), truth)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("blur", {"blur": 1.2}),
        ("noise", {"noise": 9.0}),
        ("lighting", {"gradient": 0.35}),
        ("dark scanner lid", {"dark_backing": True}),
    ],
)
def test_single_distortions(name, kwargs):
    img, truth = marked_page(**{**NO_DISTORTION, **kwargs}, seed=5)
    assert_read(recognize_page(img), truth)


def test_lighting_gradient_darkens_the_page():
    # Guard for the test above: the gradient really is there.
    img, _ = marked_page(**{**NO_DISTORTION, "gradient": 0.35}, seed=5)
    h, w = img.shape
    corners = [float(np.percentile(img[y : y + 60, x : x + 60], 90)) for y in (40, h - 100) for x in (40, w - 100)]
    assert max(corners) - min(corners) > 40


@pytest.mark.parametrize("quality", [50, 75])
def test_jpeg_artefacts(quality):
    img, truth = marked_page(distort=True, seed=quality)
    assert_read(recognize_page(synth.jpeg_roundtrip(img, quality)), truth)


def test_everything_at_once_at_150_dpi():
    img, truth = marked_page(dpi=150, quarter=2, skew=4.5, blur=1.0, noise=7.0, gradient=0.3, dark_backing=True, seed=9)
    assert_read(recognize_page(synth.jpeg_roundtrip(img, 55)), truth)


def test_color_input_is_accepted():
    img, truth = marked_page(distort=True, seed=12)
    assert_read(recognize_page(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)), truth)


# ---------------------------------------------------------------------------
# Ambiguous marks: reported, never guessed


def _ambiguous(marks, seed=1, **distortion):
    img, truth = marked_page(marks, seed=seed, **distortion)
    result = recognize_page(img)
    assert result.work_code == CODE
    return result, truth


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_half_filled_box_is_ambiguous(seed):
    marks = {**FILLED, "k2.fail": synth.MarkSpec("half", "ambiguous")}
    result, truth = _ambiguous(marks, seed=seed, distort=True)
    assert states(result) == truth
    box = result.boxes["k2.fail"]
    assert box.state == "ambiguous" and box.confidence < 0.5
    assert result.status == "flagged"
    assert "Неоднозначная отметка: Критерий К2, «незачет»" in result.reasons


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_erased_mark_is_ambiguous(seed):
    marks = {
        **FILLED,
        "req1.pass": synth.MarkSpec("erased", "ambiguous"),
        "req1.fail": synth.MarkSpec("cross", "marked"),
    }
    result, truth = _ambiguous(marks, seed=seed, distort=True)
    assert states(result) == truth
    assert result.boxes["req1.pass"].state == "ambiguous"
    assert result.boxes["req1.fail"].state == "marked"
    assert any("Требование 1, «зачет»" in r for r in result.reasons)


def test_both_pass_and_fail_crossed_is_ambiguous():
    marks = {
        **FILLED,
        "overall.fail": synth.MarkSpec("cross", "ambiguous"),
        "overall.pass": synth.MarkSpec("cross", "ambiguous"),
    }
    result, truth = _ambiguous(marks, distort=True, seed=6)
    assert states(result) == truth
    assert result.boxes["overall.pass"].state == result.boxes["overall.fail"].state == "ambiguous"
    assert result.boxes["overall.pass"].confidence < 0.5
    assert "Неоднозначная отметка: отмечены и «зачет», и «незачет» — Оценка за работу в целом" in result.reasons


def test_classification_bands_and_confidence():
    for t in (MARK_THRESHOLDS, DIGIT_THRESHOLDS):
        assert _classify(0.0, 0.0, t).state == "empty" and _classify(0.0, 0.0, t).confidence == 1.0
        strong = _classify(t.mark_ink * 3, t.mark_firm * 3, t)
        assert strong.state == "marked" and strong.confidence == 1.0
        just = _classify(t.mark_ink * 1.01, t.mark_firm * 1.01, t)
        assert just.state == "marked" and 0.75 <= just.confidence < 0.8
        between = _classify((t.mark_ink + t.empty_ink) / 2, t.mark_firm * 2, t)
        assert between.state == "ambiguous" and between.confidence < 0.5
        # Mass without firm ink (an erasure) is never a mark.
        erased = _classify(t.mark_ink * 3, 0.0, t)
        assert erased.state == "ambiguous"


# ---------------------------------------------------------------------------
# Pages that are not ours, damaged codes, missing fiducials


def test_blank_page_is_flagged():
    rng = np.random.default_rng(3)
    img, _ = synth.distort(synth.blank_page(200, rng), 200, rng)
    result = recognize_page(img)
    assert result.status == "flagged" and result.reasons == ["Пустая страница"]
    assert result.work_code is None and result.boxes == {}


@pytest.mark.parametrize("seed", range(4))
def test_foreign_page_is_flagged(seed):
    rng = np.random.default_rng(seed)
    img, _ = synth.distort(synth.foreign_page(200, rng), 200, rng)
    result = recognize_page(img)
    assert result.status == "flagged"
    assert result.work_code is None
    assert any(r.startswith("Страница не распознана как бланк Итог") for r in result.reasons), result.reasons


def test_foreign_qr_code_is_named():
    img = np.full((2339, 1654), 255, np.uint8)
    synth._paint_qr(img, 200, "HTTPS://EXAMPLE.RU/X", 80.0, 120.0, 30.0)
    result = recognize_page(img)
    assert result.status == "flagged"
    assert result.reasons == ["Страница не распознана как бланк Итог (чужой код страницы: «HTTPS://EXAMPLE.RU/X»)"]


def test_wrong_check_digit_is_flagged():
    good = CODE
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    assert not codes.is_valid(bad)
    page = synth.replace_code(kit_page(), 200, f"ITOG1:{bad}:R:1")
    img, _ = synth.distort(page, 200, np.random.default_rng(1))
    result = recognize_page(img)
    assert result.work_code == bad
    assert result.status == "flagged"
    assert f"Контрольная цифра кода работы не сходится (код «{codes.format_code(bad)}»)" in result.reasons


def test_other_geometry_version_is_refused():
    page = synth.replace_code(kit_page(), 200, f"ITOG2:{CODE}:R:1")
    result = recognize_page(page)
    assert result.status == "flagged" and result.work_code is None
    assert any("ITOG2" in r for r in result.reasons)


def test_one_fiducial_covered_still_reads():
    img, truth = marked_page()
    ppm = 200 / 25.4
    cv2.rectangle(img, (int(190 * ppm), int(4 * ppm)), (int(206 * ppm), int(18 * ppm)), 255, -1)  # fid.tr
    assert_read(recognize_page(img), truth)


def test_no_fiducials_flags_page_and_every_box():
    img, _ = marked_page()
    ppm = 200 / 25.4
    for x, y in ((8, 8), (195, 8), (8, 282), (195, 282)):
        cv2.rectangle(img, (int((x - 1) * ppm), int((y - 1) * ppm)), (int((x + 8) * ppm), int((y + 8) * ppm)), 255, -1)
    result = recognize_page(img)
    assert result.work_code == CODE and result.status == "flagged"
    assert "Не найдены метки выравнивания (черные квадраты по углам бланка)" in result.reasons
    assert result.boxes and all(b.state == "ambiguous" and b.confidence == 0.0 for b in result.boxes.values())


def test_damaged_code_with_fiducials_is_unreadable():
    img = kit_page()
    ppm = 200 / 25.4
    cv2.rectangle(img, (int(168 * ppm), int(18 * ppm)), (int(193 * ppm), int(43 * ppm)), 0, -1)  # inked over
    result = recognize_page(img)
    assert result.status == "flagged" and result.work_code is None
    assert result.reasons == ["Код страницы не читается (метки выравнивания найдены)"]


def test_tiny_image_is_flagged():
    result = recognize_page(np.full((50, 40), 255, np.uint8), file="x.png", page=3)
    assert result.status == "flagged" and result.page == 3 and "слишком мало" in result.reasons[0]


# ---------------------------------------------------------------------------
# The result and its JSON


def test_json_contract_and_round_trip():
    img, _ = marked_page({**FILLED, "k1.fail": synth.MarkSpec("half", "ambiguous")}, distort=True, seed=2)
    result = recognize_page(img, file="scans/a.png", page=2)
    data = result.to_json()
    assert {"file", "page", "work_code", "page_type", "boxes", "status", "reasons"} <= set(data)
    assert data["file"] == "scans/a.png" and data["page"] == 2 and data["status"] == "flagged"
    for box in data["boxes"].values():
        assert set(box) == {"state", "confidence"}
        assert box["state"] in ("marked", "empty", "ambiguous") and 0.0 <= box["confidence"] <= 1.0
    again = PageResult.from_json(data)
    assert again.to_json() == data


def test_status_follows_reasons():
    result = PageResult(file="f", page=1, boxes={"k1.pass": BoxResult("marked", 0.9)})
    assert result.status == "ok"
    result.flag("Пустая страница")
    result.flag("Пустая страница")
    assert result.status == "flagged" and result.reasons == ["Пустая страница"]


def test_box_captions_in_russian():
    assert box_caption("k3.fail") == "Критерий К3, «незачет»"
    assert box_caption("req2.pass") == "Требование 2, «зачет»"
    assert box_caption("overall.pass") == "Оценка за работу в целом, «зачет»"
    assert box_caption("not_finished") == "«Не закончил»"
    assert box_caption("removed") == "«Удален»"
    assert box_caption("blank_count.d1") == "«Количество бланков», цифра 2"
    assert box_caption("topic.d0") == "номер темы, цифра 1"


def test_printed_check_digit_is_cross_checked():
    printed = CODE
    # Another valid code whose check digit differs from the one printed on the page.
    other = next(c for c in (codes.make_code(23, 61, s) for s in range(4243, 4300)) if c[-1] != printed[-1])
    page = synth.replace_code(kit_page(), 200, f"ITOG1:{other}:R:1")
    img, _ = synth.distort(page, 200, np.random.default_rng(4))
    result = recognize_page(img)
    assert result.work_code == other and result.status == "flagged"
    assert result.reasons == [
        f"Контрольная цифра кода работы не совпадает с напечатанной на бланке "
        f"(в 2D-коде «{other[-1]}», напечатано «{printed[-1]}»)"
    ]
    # The same code with the same check digit is not flagged.
    same = next(c for c in (codes.make_code(23, 61, s) for s in range(4243, 4400)) if c[-1] == printed[-1])
    again = recognize_page(synth.replace_code(kit_page(), 200, f"ITOG1:{same}:R:1"))
    assert again.work_code == same and again.status == "ok"


def test_covered_box_frame_makes_the_box_ambiguous():
    img, truth = marked_page()
    ppm = 200 / 25.4
    box_x, box_y = 163.0, 214.0  # k3.fail (crossed): covered with correction fluid
    cv2.rectangle(
        img, (int((box_x - 1) * ppm), int((box_y - 1) * ppm)), (int((box_x + 8) * ppm), int((box_y + 8) * ppm)), 255, -1
    )
    result = recognize_page(img)
    assert result.boxes["k3.fail"].state == "ambiguous" and result.status == "flagged"
    assert result.reasons == [
        "Не найдена рамка поля: Критерий К3, «незачет» (бланк смят, закрыт или не совпадает разметка)"
    ]
    assert {b: s for b, s in states(result).items() if b != "k3.fail"} == {
        b: s for b, s in truth.items() if b != "k3.fail"
    }


def test_perspective_of_a_phone_photo_is_aligned():
    """Keystone up to 8 % of the page (a phone held at an angle) and 10° of tilt: the four-point
    perspective map is found from the fiducials and every box reads as written (issue #11; it
    used to stop at ~5.5°, the corner squares' rectangle tolerance)."""
    img, truth = marked_page()
    h, w = img.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    for d, tilt in ((0.01, 0.0), (0.05, -6.0), (0.08, 10.0)):
        dst = np.float32([[d * w, 0], [w - d * w, d * h], [w, h], [0, h - d * h]])
        a = np.radians(tilt)
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
        dst = (dst - dst.mean(axis=0)) @ rot.T
        dst = dst - dst.min(axis=0) + 30
        size = (int(dst[:, 0].max()) + 30, int(dst[:, 1].max()) + 30)
        warped = cv2.warpPerspective(
            img, cv2.getPerspectiveTransform(src, dst.astype(np.float32)), size, borderValue=90
        )
        result = recognize_page(warped)
        assert result.status == "ok" and result.work_code == CODE, (d, tilt, result.reasons)
        assert states(result) == truth, (d, tilt)


def test_crop_box_cuts_the_box_upright():
    img, _truth = marked_page(quarter=2, skew=3.0, seed=8)
    crossed = crop_box(img, "k3.fail")  # crossed in FILLED
    empty = crop_box(img, "k3.pass")
    assert crossed.shape == empty.shape == (int(round(15 * 8)) + 1, int(round(15 * 8)) + 1)
    inner = (slice(45, 75), slice(45, 75))  # the middle of the box
    assert crossed[inner].mean() < empty[inner].mean() - 20
    assert crop_box(img, "answer.area") is None  # not on a registration page
    assert crop_box(np.full((800, 600), 255, np.uint8), "k1.pass") is None
