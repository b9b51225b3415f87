"""Hostile scans made independently of both generators (:mod:`itog.scan.probes`: own pen, own
distortions, harsher than their defaults), through the real path (files → inputs → recognition).
Every page is either correct or flagged for a person with a Russian reason — never a wrong work code
or a box read sure and wrong.  Larger sweeps: ``benchmarks/bench_scan_probes.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itog.blanks import codes
from itog.scan import probes
from itog.scan.parallel import recognize_files
from itog.scan.recognize import BoxResult, PageResult

SEEDS = (2026, 7)
# Read with no person needed on these seeds (anything else must at least be flagged).
CORRECT = {
    "jpeg10",
    "jpeg_low_dpi",
    "dpi100",
    "dpi75",
    "upscaled",
    "rotation_skew7",
    "skew7",
    "photo",
    "barrel",
    "crop_margin",
    "crop_corner",
    "dark_gradient",
    "shadow",
    "coffee",
    "holes_staple",
    "fax_threshold",
    "dither_ordered",
    "tick_beside",
    "tick_on_frame",
    "harsh_combo",
    "fit_to_page",
    "blur",
    "scanned_twice",
    "mixed_tiff",
    "mixed_pdf",
    "low_contrast",
    "negative",
    "transparent_png",
    "inverted_tiff16",
    "small_marks",
    "salt_pepper",
    "blue_stamp",
    "partial_second",
}
# Correct or flagged, depending on where the damage falls.
EITHER = {"scanner_streak", "steep_photo", "bleed_through"}
FLAGGED = {
    "half_page",
    "blue_pen",
    "red_pen",
    "violet_pen",
    "light_gel",
    "green_pen",
    "faint_tick",
    "crossed_out",
    "struck_through",
    "struck_alone",
    "blank",
    "other_form",
    "two_up",
    "truncated",
    "crop_fiducial",
    "circled",
    "dot",
    "crop_code_corner",
}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _run(root: Path) -> list[dict]:
    kit = probes.make_kit(codes.make_code(8, 31, 1207))
    truth = {}
    for seed in SEEDS:
        for i, case in enumerate(probes.cases(list(probes.PROBES), seed, kit)):
            folder = root / f"{seed}-{i:03d}"
            folder.mkdir(parents=True)
            (folder / case.name).write_bytes(case.data)
            for page, t in enumerate(case.pages, 1):
                truth[(str(folder / case.name), page)] = (case.probe, t)
    out = []
    for r in recognize_files([root], workers=1):
        probe, t = truth.pop((r.file, r.page))
        verdict, what = probes.judge(t, r)
        out.append({"probe": probe, "verdict": verdict, "what": what, "result": r.to_json()})
    assert not truth, f"pages not read: {sorted(truth)[:5]}"
    return out


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    """Every probe on two seeds, written to files and read back once per test run (the xdist workers share
    it through a locked file): {probe: [(verdict, what, result)]}."""
    import fcntl
    import json
    import os

    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "scan-probes"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "outcome.json"
        if not done.exists():
            done.write_text(json.dumps(_run(shared / "files")))
        rows = json.loads(done.read_text())
    out: dict[str, list] = {}
    for row in rows:
        out.setdefault(row["probe"], []).append((row["verdict"], row["what"], PageResult.from_json(row["result"])))
    return out


def test_the_probe_lists_cover_every_probe():
    assert set(probes.PROBES) == CORRECT | FLAGGED | EITHER and not CORRECT & FLAGGED


@pytest.mark.parametrize("probe", sorted(probes.PROBES))
def test_never_silently_wrong(outcome, probe):
    pages = outcome[probe]
    assert len(pages) >= len(SEEDS)
    for verdict, what, r in pages:
        assert verdict != "silent", (probe, r.file, what, r.reasons)
        if r.reasons:  # a person is told why, in Russian
            assert all(CYRILLIC.search(reason) for reason in r.reasons), r.reasons
    if probe in EITHER:
        return
    expected = "correct" if probe in CORRECT else "flagged"
    assert [v for v, _w, _r in pages] == [expected] * len(pages), [(v, r.reasons[:2]) for v, _w, r in pages]


def test_two_blanks_in_one_image_are_flagged(outcome):
    """Before: the first blank found was read and the page was «ok» — the other sheet was silently lost."""
    for _v, _w, r in outcome["two_up"]:
        assert any(reason.startswith("На изображении больше одного бланка") for reason in r.reasons), r.reasons


def test_a_washed_out_scan_is_read_not_called_blank(outcome):
    """Before: printed black at 130 on paper at 190 was «Пустая страница» (or no fiducials)."""
    for _v, _w, r in outcome["low_contrast"]:
        assert r.work_code == codes.make_code(8, 31, 1207) and "Пустая страница" not in r.reasons, r.reasons


def test_a_struck_through_mark_is_not_marked(outcome):
    """Before: a cross struck out with a line running out of both sides of the box read «marked» 1.0."""
    for _v, _w, r in outcome["struck_alone"]:
        box = r.boxes["k2.fail"]
        assert box.state == "ambiguous" and box.note == "struck", box
        assert "Отметка зачеркнута или через поле проходит линия (от края до края): Критерий К2, «незачет»" in r.reasons


def test_a_circled_box_and_a_dot_are_not_read_sure(outcome):
    """Before: a box circled instead of crossed read «empty» 1.0; a 1.5-mm dot read «marked» 0.9–1.0."""
    for _v, _w, r in outcome["circled"]:
        assert r.boxes["k3.fail"].state == "ambiguous" and r.boxes["k3.fail"].note == "circled"
        assert "Поле обведено (не зачеркнуто): Критерий К3, «незачет»" in r.reasons
    for _v, _w, r in outcome["dot"]:
        assert r.boxes["k4.fail"].state == "ambiguous" and r.boxes["k4.fail"].note == "dot"
        assert "Вместо отметки точка или очень мелкий знак: Критерий К4, «незачет»" in r.reasons


def test_a_truncated_file_says_so_in_russian(outcome):
    """Before: «Файл не читается: image file is truncated» / «Missing dimensions» — the decoder's English."""
    pages = outcome["truncated"]
    assert {Path(r.file).suffix for _v, _w, r in pages} == {".jpg", ".png", ".tif", ".pdf"}
    for _v, _w, r in pages:
        assert r.work_code is None and len(r.reasons) == 1
        assert r.reasons[0].startswith("Файл не читается: файл обрезан или поврежден"), r.reasons


def test_negatives_and_see_through_paper_are_read(outcome):
    """Before: a negative scan, a 16-bit negative TIFF and a PNG with transparent paper (black under it) were
    «нет кода страницы»."""
    for probe in ("negative", "inverted_tiff16", "transparent_png"):
        for verdict, _w, r in outcome[probe]:
            assert verdict == "correct" and r.work_code == codes.make_code(8, 31, 1207), (probe, r.reasons)


def test_the_same_sheet_twice_in_a_file_is_read_twice(outcome):
    """Both copies are read (the reconciliation asks about the duplicate: ``duplicate_page``)."""
    from itog.scan.reconcile import reconcile

    pages = [r for _v, _w, r in outcome["scanned_twice"]][:2]
    assert pages[0].file == pages[1].file and [p.page for p in pages] == [1, 2]
    kinds = {i.kind for i in reconcile(pages[0].work_code, pages, None, None).items}
    assert "duplicate_page" in kinds


def test_the_judge_catches_what_it_must():
    """The oracle itself: a sure wrong box, a wrong code, an unflagged blank are «silent»."""
    code = codes.make_code(8, 31, 1207)
    truth = probes.PageTruth(code, "registration", 1, {"k1.pass": "marked", "k1.fail": "empty"})
    ok = PageResult(
        "f", 1, code, "registration", 1, {"k1.pass": BoxResult("marked", 1.0), "k1.fail": BoxResult("empty", 1.0)}
    )
    assert probes.judge(truth, ok)[0] == "correct"
    wrong = PageResult(
        "f", 1, code, "registration", 1, {"k1.pass": BoxResult("empty", 0.9), "k1.fail": BoxResult("empty", 1.0)}
    )
    assert probes.judge(truth, wrong)[0] == "silent"
    wrong.reasons = ["Неоднозначная отметка: Критерий К2"]  # flagged for another box: still silent on k1.pass
    assert probes.judge(truth, wrong)[0] == "silent"
    unsure = PageResult(
        "f", 1, code, "registration", 1, {"k1.pass": BoxResult("ambiguous", 0.3), "k1.fail": BoxResult("empty", 1.0)}
    )
    unsure.reasons = ["Неоднозначная отметка: Критерий К1, «зачет»"]
    assert probes.judge(truth, unsure)[0] == "flagged"
    other = PageResult("f", 1, codes.make_code(8, 31, 1208), "registration", 1, ok.boxes, reasons=["x"])
    assert probes.judge(truth, other)[0] == "silent"
    assert probes.judge(probes.PageTruth(None, must_flag=True), PageResult("f", 1))[0] == "silent"
