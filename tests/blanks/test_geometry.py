"""The geometry is sound, and the renderer really draws from it."""

from __future__ import annotations

import io
import json
from itertools import combinations

import pypdfium2 as pdfium
import pytest

from itog.blanks import codes, geometry
from itog.blanks.geometry import LAYOUTS, PAGE_HEIGHT_MM, PAGE_WIDTH_MM
from itog.blanks.render import KitParticipant, render_extra_answer, render_kits

DPI = 150
PRINTER_MARGIN_MM = 5.0  # nothing closer to the paper edge than this

ALL = sorted(LAYOUTS)


def test_page_types():
    assert set(LAYOUTS) == {"registration", "answer", "extra_answer"}
    assert {lay.letter for lay in LAYOUTS.values()} == {"R", "A", "X"}
    for name, lay in LAYOUTS.items():
        assert codes.PAGE_TYPE_LETTERS[name] == lay.letter
        assert geometry.layout(name) is lay
    with pytest.raises(ValueError):
        geometry.layout("draft")


@pytest.mark.parametrize("page_type", ALL)
def test_ids_unique_and_kinds_known(page_type):
    lay = LAYOUTS[page_type]
    ids = [b.id for b in lay.boxes]
    assert len(ids) == len(set(ids))
    assert {b.kind for b in lay.boxes} <= set(geometry.KINDS)


@pytest.mark.parametrize("page_type", ALL)
def test_boxes_inside_a4_with_printer_margin(page_type):
    for b in LAYOUTS[page_type].boxes:
        assert b.w > 0 and b.h > 0, b
        assert b.x >= PRINTER_MARGIN_MM and b.y >= PRINTER_MARGIN_MM, b
        assert b.right <= PAGE_WIDTH_MM - PRINTER_MARGIN_MM, b
        assert b.bottom <= PAGE_HEIGHT_MM - PRINTER_MARGIN_MM, b


@pytest.mark.parametrize("page_type", ALL)
def test_boxes_do_not_overlap_and_omr_boxes_are_separated(page_type):
    for a, b in combinations(LAYOUTS[page_type].boxes, 2):
        assert not a.overlaps(b), (a.id, b.id)
        if {a.kind, b.kind} & {"mark", "digit", "fiducial"}:
            assert a.gap_to(b) >= geometry.MIN_GAP_MM, (a.id, b.id, a.gap_to(b))


@pytest.mark.parametrize("page_type", ALL)
def test_omr_boxes_are_large_enough(page_type):
    for b in LAYOUTS[page_type].of_kind("mark", "digit", "fiducial"):
        assert min(b.w, b.h) >= geometry.MIN_BOX_MM, b
        assert min(b.w, b.h) * DPI / 25.4 >= 30, b  # ≥ 30 px at 150 dpi


@pytest.mark.parametrize("page_type", ALL)
def test_fiducials_are_in_the_four_corners(page_type):
    fids = {b.id: b for b in LAYOUTS[page_type].of_kind("fiducial")}
    assert set(fids) == {"fid.tl", "fid.tr", "fid.bl", "fid.br"}
    corners = {
        "fid.tl": (0, 0),
        "fid.tr": (PAGE_WIDTH_MM, 0),
        "fid.bl": (0, PAGE_HEIGHT_MM),
        "fid.br": (PAGE_WIDTH_MM, PAGE_HEIGHT_MM),
    }
    for fid, (cx, cy) in corners.items():
        b = fids[fid]
        assert b.w == b.h
        nearest_x = b.x if cx == 0 else cx - b.right
        nearest_y = b.y if cy == 0 else cy - b.bottom
        assert 5.0 <= nearest_x <= 15.0 and 5.0 <= nearest_y <= 15.0, b
        # nothing else lies between the fiducial and its corner
        for other in LAYOUTS[page_type].boxes:
            if other.kind != "fiducial":
                assert abs((other.x + other.w / 2) - cx) > abs((b.x + b.w / 2) - cx) or abs(
                    (other.y + other.h / 2) - cy
                ) > abs((b.y + b.h / 2) - cy), other


REGISTRATION_IDS = {
    "qr",
    "work_code",
    "page_number",
    "not_finished",
    "removed",
    "blank_count.d0",
    "blank_count.d1",
    "req1.pass",
    "req1.fail",
    "req2.pass",
    "req2.fail",
    "overall.pass",
    "overall.fail",
    "participant.last_name",
    "participant.first_name",
    "participant.middle_name",
    "participant.document",
    "participant.school",
    "participant.class",
    "participant.venue",
    "participant.room",
    "participant.date",
    "participant.form",
    "topic.d0",
    "not_finished.signature",
    "removed.signature",
    "expert.signature",
    *(f"k{i}.{v}" for i in range(1, 6) for v in ("pass", "fail")),
}


def test_registration_has_every_required_field():
    lay = LAYOUTS["registration"]
    missing = REGISTRATION_IDS - {b.id for b in lay.boxes}
    assert not missing
    for box_id in ("not_finished", "removed", "overall.pass", "k3.fail"):
        assert lay.box(box_id).kind == "mark"
    assert lay.box("blank_count.d1").kind == "digit"
    assert lay.box("qr").kind == "code"
    assert lay.box("participant.last_name").kind == "text"


@pytest.mark.parametrize("page_type", ["answer", "extra_answer"])
def test_answer_pages_have_code_number_and_area(page_type):
    lay = LAYOUTS[page_type]
    for box_id in ("qr", "work_code", "page_number", "answer.area", "topic.d0", "topic.d2"):
        assert box_id in lay
    assert not any(b.id.startswith("participant.") for b in lay.boxes)  # anonymous


def test_qr_box_is_square_and_large():
    for lay in LAYOUTS.values():
        qr = lay.box("qr")
        assert qr.w == qr.h >= 20.0
        module_px = qr.w / (codes.QR_SIZE + 8) * DPI / 25.4
        assert module_px >= 4.0


@pytest.mark.parametrize("page_type", ALL)
def test_labels_stay_on_the_page_and_off_the_boxes(page_type):
    """Captions are measured with the real font: none leaves the page or crosses a box."""
    from reportlab.pdfbase import pdfmetrics

    from itog.blanks.render import FONT, FONT_BOLD, register_fonts

    register_fonts()
    pt = 25.4 / 72
    lay = LAYOUTS[page_type]
    for lb in lay.labels:
        width = pdfmetrics.stringWidth(lb.text, FONT_BOLD if lb.bold else FONT, lb.size) * pt
        left = {"left": lb.x, "centre": lb.x - width / 2, "right": lb.x - width}[lb.align]
        top, bottom = lb.y - 0.75 * lb.size * pt, lb.y + 0.22 * lb.size * pt
        assert left >= 15.0 - 0.01 and left + width <= 195.0 + 0.01, lb
        label_box = geometry.Box("label", "text", left, top, width, bottom - top)
        for b in lay.boxes:
            assert not label_box.overlaps(b), (lb.text, b.id)


def test_to_json_is_the_same_definition():
    data = json.loads(geometry.to_json())
    assert data == json.loads(json.dumps(geometry.to_dict(), ensure_ascii=False))
    assert data["units"] == "mm" and data["origin"] == "top-left"
    assert data["version"] == geometry.GEOMETRY_VERSION and data["qr_prefix"] == "ITOG1"
    for name, lay in LAYOUTS.items():
        boxes = {b["id"]: b for b in data["page_types"][name]["boxes"]}
        assert len(boxes) == len(lay.boxes)
        for b in lay.boxes:
            assert boxes[b.id] == {
                "id": b.id,
                "kind": b.kind,
                "x": b.x,
                "y": b.y,
                "w": b.w,
                "h": b.h,
                "caption": b.caption,
            }


# --- the rendered page follows the geometry ---------------------------------------

PERSON = KitParticipant(
    work_code=codes.make_code(23, 1, 77), last_name="Орлова", first_name="Вера", middle_name="Игоревна", answer_pages=1
)


def _raster(pdf_bytes: bytes, index: int):
    page = pdfium.PdfDocument(pdf_bytes)[index]
    return page.render(scale=DPI / 72).to_pil().convert("L")


@pytest.fixture(scope="module")
def rendered_pages():
    kits, extra = io.BytesIO(), io.BytesIO()
    render_kits([PERSON], kits)
    render_extra_answer(PERSON, extra)
    return {
        "registration": _raster(kits.getvalue(), 0),
        "answer": _raster(kits.getvalue(), 1),
        "extra_answer": _raster(extra.getvalue(), 0),
    }


def _px(mm_value: float) -> int:
    return round(mm_value * DPI / 25.4)


def _darkest_near(img, x_mm: float, y_mm: float, radius: int = 2) -> int:
    x, y = _px(x_mm), _px(y_mm)
    return min(img.getpixel((x + dx, y + dy)) for dx in range(-radius, radius + 1) for dy in range(-radius, radius + 1))


@pytest.mark.parametrize("page_type", ALL)
def test_rendered_page_has_box_borders_where_the_geometry_says(page_type, rendered_pages):
    img = rendered_pages[page_type]
    lay = LAYOUTS[page_type]
    assert abs(img.width - _px(PAGE_WIDTH_MM)) <= 1 and abs(img.height - _px(PAGE_HEIGHT_MM)) <= 1
    checked = 0
    for b in lay.of_kind("mark", "digit"):
        for x_mm, y_mm in (
            (b.x, b.y + b.h / 2),
            (b.right, b.y + b.h / 2),
            (b.x + b.w / 2, b.y),
            (b.x + b.w / 2, b.bottom),
        ):
            assert _darkest_near(img, x_mm, y_mm) < 100, (b.id, x_mm, y_mm)
        # the inside of an empty mark box is white
        assert img.getpixel((_px(b.x + b.w / 2), _px(b.y + b.h / 2))) > 200, b.id
        checked += 1
    for b in lay.of_kind("fiducial"):
        assert img.getpixel((_px(b.x + b.w / 2), _px(b.y + b.h / 2))) < 60, b.id
        # white just outside the fiducial
        assert img.getpixel((_px(b.x - 1.5), _px(b.y + b.h / 2))) > 200, b.id
    for b in lay.of_kind("text", "area"):
        assert _darkest_near(img, b.x, b.y + b.h / 2) < 160, b.id
    assert checked >= 3


def test_rendered_page_is_blank_where_the_geometry_has_nothing(rendered_pages):
    img = rendered_pages["registration"]
    lay = LAYOUTS["registration"]
    # a moved box would leave ink here: the gap between «зачет» and «незачет» columns
    x_mm = (lay.box("k1.pass").right + lay.box("k1.fail").x) / 2
    for row in ("req1", "k1", "k5", "overall"):
        b = lay.box(f"{row}.pass")
        assert img.getpixel((_px(x_mm), _px(b.y + b.h / 2))) > 200
