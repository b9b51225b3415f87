"""The test-scan generator: reproducible, its distortions really happen, its truth is consistent."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from itog.blanks import codes
from itog.scan import synth
from itog.scan.recognize import recognize_page

from .helpers import kit_page


def _digest(images) -> str:
    h = hashlib.sha256()
    for img in images:
        h.update(np.ascontiguousarray(img).tobytes())
    return h.hexdigest()


def test_same_seed_same_pages_other_seed_other_pages():
    people = synth.fake_participants(2, seed=1)
    first = list(synth.generate_pages(people, 4, seed=8, dpi=150))
    again = list(synth.generate_pages(people, 4, seed=8, dpi=150))
    other = list(synth.generate_pages(people, 4, seed=9, dpi=150))
    assert _digest(i for i, _ in first) == _digest(i for i, _ in again)
    assert [t.to_json() for _, t in first] == [t.to_json() for _, t in again]
    assert _digest(i for i, _ in first) != _digest(i for i, _ in other)


def test_fake_participants_have_valid_distinct_codes():
    people = synth.fake_participants(50, seed=3)
    assert all(codes.is_valid(p.work_code) for p in people)
    assert len({p.work_code for p in people}) == 50


def test_quarter_turn_and_skew_change_the_canvas():
    page = kit_page(dpi=150)
    rng = np.random.default_rng(0)
    upright, p0 = synth.distort(page, 150, rng, quarter=0, skew=0.0)
    turned, p1 = synth.distort(page, 150, rng, quarter=1, skew=0.0)
    skewed, p2 = synth.distort(page, 150, rng, quarter=0, skew=5.0)
    assert upright.shape[0] > upright.shape[1] and turned.shape[1] > turned.shape[0]
    assert skewed.shape[1] > page.shape[1] * 1.05  # the skewed sheet's bounding box is wider
    assert p1["quarter_turns"] == 1 and p2["skew_deg"] == 5.0


def test_noise_and_backing_are_applied():
    page = np.full((1754, 1240), 255, np.uint8)  # a white A4 sheet at 150 dpi
    rng = np.random.default_rng(1)
    clean, _ = synth.distort(page, 150, rng, quarter=0, skew=0.0, blur=0.0, noise=0.0, gradient=0.0, dark_backing=False)
    noisy, _ = synth.distort(page, 150, rng, quarter=0, skew=0.0, blur=0.0, noise=8.0, gradient=0.0, dark_backing=True)
    paper = clean[600:700, 300:400].astype(float)
    assert paper.std() < 1.0 and noisy[600:700, 300:400].std() > 5.0
    assert noisy[0:3, :].mean() < 100 or noisy[:, 0:3].mean() < 100  # dark lid around the sheet


def test_marks_are_drawn_only_in_their_boxes():
    page = kit_page(dpi=200)
    marks = {"k1.pass": synth.MarkSpec("cross", "marked")}
    drawn = synth.draw_marks(page, 200, "registration", marks, np.random.default_rng(2))
    changed = np.argwhere(drawn != page)
    ppm = 200 / 25.4
    ys, xs = changed[:, 0] / ppm, changed[:, 1] / ppm
    assert changed.size and xs.min() > 136 and xs.max() < 147 and ys.min() > 192 and ys.max() < 203


def test_registration_plan_is_consistent():
    rng = np.random.default_rng(4)
    for _ in range(200):
        marks = synth.plan_marks("registration", rng, ambiguous_rate=0.5)
        truth = synth.truth_states("registration", marks)
        assert len(truth) == 23
        for prefix in ("req1", "req2", "k1", "k2", "k3", "k4", "k5", "overall"):
            pair = (truth[f"{prefix}.pass"], truth[f"{prefix}.fail"])
            # Never two plain marks in a row: both crossed is ambiguous by definition.
            assert pair != ("marked", "marked")
        assert not (truth["not_finished"] == "marked" and truth["removed"] == "marked")


def test_write_test_scans_mixes_formats_and_names(tmp_path):
    people = synth.fake_participants(5, seed=2)
    doc = synth.write_test_scans(
        synth.generate_pages(people, 14, seed=2, dpi=150, foreign_rate=0.1, blank_rate=0.1), tmp_path, 2, 14
    )
    assert doc["count"] == 14 and doc["files"].get("pdf") == 1
    on_disk = sorted(p.name for p in tmp_path.iterdir() if p.name != "truth.json")
    assert on_disk == sorted({t["file"] for t in doc["pages"]})
    assert json.loads((tmp_path / "truth.json").read_text(encoding="utf-8")) == doc
    kinds = {t["kind"] for t in doc["pages"]}
    assert "itog" in kinds and kinds & {"foreign", "blank"}
    # Names are random: the listing order is not the kit order.
    itog = [t for t in doc["pages"] if t["kind"] == "itog"]
    assert [(t["work_code"], t["page_type"]) for t in itog] != sorted((t["work_code"], t["page_type"]) for t in itog)


def test_replace_code_paints_a_readable_code():
    page = synth.replace_code(kit_page(), 200, f"ITOG1:{codes.make_code(23, 61, 77)}:A:5")
    result = recognize_page(page)
    assert result.work_code == codes.make_code(23, 61, 77)
    assert (result.page_type, result.page_number) == ("answer", 5)
