"""Pages of scanned files (п. 9.2): PNG, JPEG, multi-page TIFF and PDF, files and folders.

Pure: no Django.  The format is told by the file's first bytes, not its name, so
a misnamed file is still read.  Folders are walked recursively in name order and
files of other kinds inside them are skipped (a ``truth.json`` next to test scans,
a ``Thumbs.db``); a file named explicitly that is not an image is reported.  A
file that cannot be read yields one error record (page 1) and the batch goes on.

Two steps, so that a process pool can share the work page by page:
:func:`page_refs` lists the pages (cheap: a multi-page file is opened only to
count its pages) and :func:`load_page` decodes one page to a grey ``uint8`` array.
:func:`iter_pages` does both in one process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

__all__ = ["EXTENSIONS", "PageInput", "PageRef", "expand", "iter_pages", "load_page", "page_refs", "sniff"]

EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".tif": "tiff",
              ".tiff": "tiff", ".pdf": "pdf"}
PDF_DPI = 200

ERR_MISSING = "Файл не найден"
ERR_FORMAT = "Формат файла не поддерживается (ожидаются PNG, JPEG, TIFF или PDF)"
ERR_READ = "Файл не читается: {error}"
ERR_EMPTY = "В файле нет страниц"


@dataclass(frozen=True)
class PageRef:
    """One page to read: ``page`` is 1-based inside the file; ``error`` when the file
    could not even be opened."""

    file: str
    page: int
    kind: str | None = None      # png | jpeg | tiff | pdf
    error: str | None = None


@dataclass
class PageInput:
    file: str
    page: int
    image: np.ndarray | None = None
    error: str | None = None


def sniff(path: str | os.PathLike) -> str | None:
    """The image kind from the first bytes of the file, ``None`` if none of ours."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"%PDF"):
        return "pdf"
    return None


def expand(paths: Iterable[str | os.PathLike]) -> list[tuple[Path, bool]]:
    """Files to read, with whether each was named explicitly (folders walked in name order)."""
    out: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    candidate = Path(root) / name
                    if candidate.suffix.lower() in EXTENSIONS:
                        out.append((candidate, False))
        else:
            out.append((path, True))
    return out


def _count_pages(path: Path, kind: str) -> int:
    if kind == "tiff":
        from PIL import Image

        with Image.open(path) as im:
            return int(getattr(im, "n_frames", 1))
    if kind == "pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    return 1


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return ERR_READ.format(error=text[:200])


def page_refs(paths: Iterable[str | os.PathLike]) -> Iterator[PageRef]:
    """Every page of every file, in order; a file that cannot be opened gives one
    :class:`PageRef` with ``error``."""
    for path, explicit in expand(paths):
        name = str(path)
        if not path.exists():
            yield PageRef(name, 1, error=ERR_MISSING)
            continue
        try:
            kind = sniff(path)
        except OSError as exc:
            yield PageRef(name, 1, error=_error_text(exc))
            continue
        if kind is None:
            yield PageRef(name, 1, error=ERR_FORMAT if explicit else ERR_READ.format(
                error="содержимое не похоже на изображение"))
            continue
        try:
            count = _count_pages(path, kind)
        except Exception as exc:   # noqa: BLE001 - any decoder error is the file's problem
            yield PageRef(name, 1, kind, error=_error_text(exc))
            continue
        if count < 1:
            yield PageRef(name, 1, kind, error=ERR_EMPTY)
            continue
        for page in range(1, count + 1):
            yield PageRef(name, page, kind)


def _pil_gray(im) -> np.ndarray:
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        low, high = float(arr.min()), float(arr.max())
        return np.zeros(arr.shape, np.uint8) if high <= low else ((arr - low) * 255.0 / (high - low)).astype(np.uint8)
    if im.mode != "L":
        im = im.convert("L")
    return np.asarray(im, dtype=np.uint8).copy()


def load_page(ref: PageRef, pdf_dpi: int = PDF_DPI) -> np.ndarray:
    """Decode one page to a grey ``uint8`` array (raises on a damaged file)."""
    if ref.error:
        raise ValueError(ref.error)
    if ref.kind in ("png", "jpeg"):
        import cv2

        data = np.fromfile(ref.file, dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
        if image is not None:
            return image
        from PIL import Image   # fall back to Pillow (and its error message)

        with Image.open(ref.file) as im:
            im.load()
            return _pil_gray(im)
    if ref.kind == "tiff":
        from PIL import Image

        with Image.open(ref.file) as im:
            im.seek(ref.page - 1)
            im.load()
            return _pil_gray(im)
    if ref.kind == "pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(ref.file)
        try:
            bitmap = doc[ref.page - 1].render(scale=pdf_dpi / 72.0, grayscale=True)
            return np.array(bitmap.to_numpy(), dtype=np.uint8).reshape(bitmap.height, bitmap.width)
        finally:
            doc.close()
    raise ValueError(ERR_FORMAT)


def read_page(ref: PageRef, pdf_dpi: int = PDF_DPI) -> PageInput:
    """:func:`load_page` that never raises: a damaged page becomes an error record."""
    if ref.error:
        return PageInput(ref.file, ref.page, error=ref.error)
    try:
        return PageInput(ref.file, ref.page, image=load_page(ref, pdf_dpi))
    except Exception as exc:   # noqa: BLE001
        return PageInput(ref.file, ref.page, error=_error_text(exc))


def iter_pages(paths: Iterable[str | os.PathLike], pdf_dpi: int = PDF_DPI) -> Iterator[PageInput]:
    """Every page of the given files and folders, decoded, in order."""
    for ref in page_refs(paths):
        yield read_page(ref, pdf_dpi)
