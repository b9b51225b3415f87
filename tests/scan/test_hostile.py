"""Hostile files (issue #11): pages that declare billions of pixels are refused BEFORE decoding — one
flagged record with a Russian reason each, the batch goes on, memory stays bounded."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
from PIL import Image

from itog.scan.inputs import page_refs
from itog.scan.parallel import recognize_files

from .helpers import CODE, kit_page


def tiny_pdf_with_a_huge_page() -> bytes:
    """A one-page PDF of ~200 bytes whose page is 5 × 5 m (1.5 billion pixels at 200 dpi)."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body


def png_bomb(side: int = 20_000) -> bytes:
    """A grey PNG of side × side pixels, all black: 400 MB of pixels in well under a megabyte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    comp = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    parts = [comp.compress(row) for _ in range(side)]
    data = b"".join(parts) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def tiff_bomb(side: int = 60_000) -> bytes:
    """A small group-4 TIFF whose header is patched to declare side × side pixels."""
    buf = io.BytesIO()
    Image.new("1", (64, 64), 1).save(buf, format="TIFF", compression="group4")
    data = bytearray(buf.getvalue())
    assert data[:2] == b"II"
    ifd = struct.unpack_from("<I", data, 4)[0]
    for i in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * i
        tag, kind = struct.unpack_from("<HH", data, entry)
        if tag in (256, 257):
            if kind == 3:
                struct.pack_into("<H", data, entry + 8, side)
            else:
                struct.pack_into("<I", data, entry + 8, side)
    return bytes(data)


def _hostile_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-huge-page.pdf").write_bytes(tiny_pdf_with_a_huge_page())
    (folder / "b-bomb.png").write_bytes(png_bomb())
    (folder / "c-bomb.tif").write_bytes(tiff_bomb())
    ok, good = cv2.imencode(".png", kit_page())
    (folder / "d-good.png").write_bytes(good.tobytes())
    return folder


def test_hostile_files_are_refused_before_decoding_and_the_batch_goes_on(tmp_path):
    folder = _hostile_folder(tmp_path / "scans")
    assert len((folder / "a-huge-page.pdf").read_bytes()) < 260
    assert (folder / "b-bomb.png").stat().st_size < 1_000_000
    results = {Path(r.file).name: r for r in recognize_files([folder], workers=1)}
    assert set(results) == {"a-huge-page.pdf", "b-bomb.png", "c-bomb.tif", "d-good.png"}
    pdf, png, tif, good = (results[n] for n in sorted(results))
    assert pdf.status == "flagged" and len(pdf.reasons) == 1
    assert pdf.reasons[0].startswith("Страница PDF слишком велика: 5080×5080 мм, при 200 dpi"), pdf.reasons
    assert "ITOG_SCAN_MAX_PIXELS" in pdf.reasons[0]
    for bomb, size in ((png, "20000×20000"), (tif, "60000×60000")):
        assert bomb.status == "flagged" and bomb.work_code is None
        assert bomb.reasons == [bomb.reasons[0]] and bomb.reasons[0].startswith(
            f"Страница слишком велика для распознавания: {size} точек"
        ), bomb.reasons
    assert good.status == "ok" and good.work_code == CODE


def test_memory_stays_bounded(tmp_path):
    """The same batch in a fresh process under a 1.2 GB address-space limit (decoding any of the three
    would need 0.4–3.6 GB): it finishes and its peak memory stays small."""
    folder = _hostile_folder(tmp_path / "scans")
    script = (
        "import json, resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1_200_000_000, 1_200_000_000))\n"
        "from itog.scan.parallel import recognize_files\n"
        "out = [r.status for r in recognize_files([sys.argv[1]], workers=1)]\n"
        # VmHWM: this process's own peak (ru_maxrss would carry the forking pytest worker's peak over exec)
        "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print(json.dumps({'statuses': out, 'peak_mb': hwm // 1024}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 0, run.stderr[-2000:]
    data = json.loads(run.stdout.strip().splitlines()[-1])
    assert data["statuses"] == ["flagged", "flagged", "flagged", "ok"]
    assert data["peak_mb"] < 600, data


def test_page_and_pixel_limits_come_from_the_environment(tmp_path, monkeypatch):
    frames = [Image.fromarray(kit_page(dpi=100)) for _ in range(3)]
    frames[0].save(tmp_path / "three.tif", format="TIFF", save_all=True, append_images=frames[1:])
    monkeypatch.setenv("ITOG_SCAN_MAX_PAGES", "2")
    refs = list(page_refs([tmp_path / "three.tif"]))
    assert len(refs) == 1 and refs[0].error == (
        "В файле 3 страниц — больше предела 2 (ITOG_SCAN_MAX_PAGES): разделите файл на части"
    )
    monkeypatch.setenv("ITOG_SCAN_MAX_PAGES", "10")
    monkeypatch.setenv("ITOG_SCAN_MAX_PIXELS", "500000")  # a 100-dpi A4 page has ~0.97 million
    results = list(recognize_files([tmp_path / "three.tif"], workers=1))
    assert [r.status for r in results] == ["flagged"] * 3
    assert all(
        r.reasons[0].startswith("Страница слишком велика для распознавания: 827×1170 точек (1,0 млн; предел 0,5 млн")
        for r in results
    ), results[0].reasons
    monkeypatch.delenv("ITOG_SCAN_MAX_PIXELS")
    assert all(r.status == "ok" for r in recognize_files([tmp_path / "three.tif"], workers=1))
