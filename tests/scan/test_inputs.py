"""Input files: PNG, JPEG, multi-page TIFF, PDF, folders; damaged files do not stop the batch;
the process pool gives the same results as one process."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from itog.scan import synth
from itog.scan.inputs import ERR_FORMAT, ERR_MISSING, iter_pages, page_refs, sniff
from itog.scan.parallel import recognize_files

from .helpers import CODE, kit_page, marked_page, states


@pytest.fixture(scope="module")
def pages():
    """A registration page (distorted) and two answer pages (one upside down)."""
    reg, reg_truth = marked_page(distort=True, seed=21)
    ans1, _ = marked_page({}, page_type="answer", quarter=2, skew=1.0, seed=22)
    ans2, _ = marked_page({}, page_type="answer", quarter=0, skew=-3.0, seed=23)
    return [reg, ans1, ans2], reg_truth


def _write_tiff(path, images, dpi=200):
    frames = [Image.fromarray(i) for i in images]
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(dpi, dpi))


def _write_pdf(path, images, dpi=200):
    frames = [Image.fromarray(i) for i in images]
    frames[0].save(path, format="PDF", save_all=True, append_images=frames[1:], resolution=float(dpi))


def test_multipage_tiff(tmp_path, pages):
    images, truth = pages
    _write_tiff(tmp_path / "batch.tif", images)
    results = list(recognize_files([tmp_path / "batch.tif"], workers=1))
    assert [(r.page, r.page_type, r.work_code) for r in results] == [
        (1, "registration", CODE),
        (2, "answer", CODE),
        (3, "answer", CODE),
    ]
    assert states(results[0]) == truth
    assert all(r.status == "ok" for r in results)
    assert abs(abs(results[1].rotation) - 180) < 5


def test_pdf_of_scans(tmp_path, pages):
    images, truth = pages
    _write_pdf(tmp_path / "scans.pdf", images)
    assert sniff(tmp_path / "scans.pdf") == "pdf"
    results = list(recognize_files([tmp_path / "scans.pdf"], workers=1, pdf_dpi=200))
    assert len(results) == 3 and [r.page for r in results] == [1, 2, 3]
    assert states(results[0]) == truth and all(r.status == "ok" for r in results)


def test_format_is_told_by_content_not_name(tmp_path, pages):
    images, truth = pages
    ok, data = cv2.imencode(".jpg", images[0], [cv2.IMWRITE_JPEG_QUALITY, 80])
    (tmp_path / "misnamed.png").write_bytes(data.tobytes())
    assert sniff(tmp_path / "misnamed.png") == "jpeg"
    [result] = recognize_files([tmp_path / "misnamed.png"], workers=1)
    assert result.work_code == CODE and states(result) == truth


def test_damaged_files_do_not_stop_the_batch(tmp_path, pages):
    images, _ = pages
    folder = tmp_path / "scans"
    folder.mkdir()
    cv2.imwrite(str(folder / "01-good.png"), images[0])
    (folder / "02-garbage.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg at all" * 10)
    ok, png = cv2.imencode(".png", images[1])
    (folder / "03-truncated.png").write_bytes(png.tobytes()[:5000])
    (folder / "04-empty.tif").write_bytes(b"")
    (folder / "notes.txt").write_text("не скан")  # skipped inside a folder
    (folder / "truth.json").write_text("{}")
    cv2.imwrite(str(folder / "05-good.png"), images[2])
    (tmp_path / "named.txt").write_text("не скан")
    results = list(recognize_files([folder, tmp_path / "named.txt", tmp_path / "missing.png"], workers=1))
    by_name = {r.file.rsplit("/", 1)[-1]: r for r in results}
    assert list(by_name) == [
        "01-good.png",
        "02-garbage.jpg",
        "03-truncated.png",
        "04-empty.tif",
        "05-good.png",
        "named.txt",
        "missing.png",
    ]
    assert by_name["01-good.png"].status == "ok" and by_name["05-good.png"].status == "ok"
    for name in ("02-garbage.jpg", "03-truncated.png", "04-empty.tif"):
        r = by_name[name]
        assert r.status == "flagged" and r.work_code is None
        assert r.reasons[0].startswith("Файл не читается"), r.reasons
    assert by_name["named.txt"].reasons == [ERR_FORMAT]
    assert by_name["missing.png"].reasons == [ERR_MISSING]


def test_page_refs_count_pages_without_decoding(tmp_path, pages):
    images, _ = pages
    _write_tiff(tmp_path / "b.tiff", images[:2])
    cv2.imwrite(str(tmp_path / "a.png"), images[0])
    refs = list(page_refs([tmp_path]))
    assert [(r.file.rsplit("/", 1)[-1], r.page, r.kind) for r in refs] == [
        ("a.png", 1, "png"),
        ("b.tiff", 1, "tiff"),
        ("b.tiff", 2, "tiff"),
    ]
    decoded = list(iter_pages([tmp_path]))
    assert [p.image.shape == images[i].shape for p, i in zip(decoded, (0, 0, 1))] == [True] * 3
    assert all(p.image.dtype == np.uint8 and p.image.ndim == 2 for p in decoded)


def test_sixteen_bit_and_colour_tiff(tmp_path):
    page = kit_page()
    wide = Image.fromarray(page.astype(np.uint16) * 257)
    wide.save(tmp_path / "wide.tif")
    Image.fromarray(cv2.cvtColor(page, cv2.COLOR_GRAY2RGB)).save(tmp_path / "colour.tif")
    results = list(recognize_files([tmp_path / "wide.tif", tmp_path / "colour.tif"], workers=1))
    assert [r.work_code for r in results] == [CODE, CODE]


def test_two_workers_give_the_same_results_in_order(tmp_path):
    people = synth.fake_participants(3, seed=5)
    truth = synth.write_test_scans(synth.generate_pages(people, 9, seed=5, dpi=150), tmp_path, 5, 9)
    one = [r.to_json() for r in recognize_files([tmp_path], workers=1)]
    two = [r.to_json() for r in recognize_files([tmp_path], workers=2)]
    assert one == two
    assert len(one) == truth["count"] == 9
    assert [(r["file"].rsplit("/", 1)[-1], r["page"]) for r in one] == [(t["file"], t["page"]) for t in truth["pages"]]
