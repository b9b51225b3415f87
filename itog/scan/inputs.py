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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "EXTENSIONS",
    "PageInput",
    "PageRef",
    "TooLarge",
    "expand",
    "iter_pages",
    "load_page",
    "max_pages",
    "max_pixels",
    "page_refs",
    "sniff",
]

EXTENSIONS = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".pdf": "pdf",
}
PDF_DPI = 200

ERR_MISSING = "Файл не найден"
ERR_FORMAT = "Формат файла не поддерживается (ожидаются PNG, JPEG, TIFF или PDF)"
ERR_READ = "Файл не читается: {error}"
ERR_EMPTY = "В файле нет страниц"
ERR_PIXELS = (
    "Страница слишком велика для распознавания: {width}×{height} точек ({mpx} млн; предел "
    "{limit} млн, ITOG_SCAN_MAX_PIXELS) — пересканируйте с разрешением 150–300 dpi"
)
ERR_PDF_PAGE = (
    "Страница PDF слишком велика: {w_mm}×{h_mm} мм, при {dpi} dpi это {mpx} млн точек (предел "
    "{limit} млн, ITOG_SCAN_MAX_PIXELS) — это не скан бланка формата A4"
)
ERR_PAGES = "В файле {count} страниц — больше предела {limit} (ITOG_SCAN_MAX_PAGES): разделите файл на части"

# Limits checked before anything is decoded (a 200-byte PDF or a 100-KiB PNG can declare a page of
# billions of pixels).  Defaults: A4 at 600 dpi fits (35 million pixels), A3 at 400 dpi too.
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_PAGES = 500
# A JPEG whose long side is at least this is decoded at half size by libjpeg (DCT scaling):
# a 300-dpi A4 page (3508 px) becomes 150 dpi, which recognition reads as well, in a third of the time.
JPEG_REDUCE_FROM_PX = 3000


def max_pixels() -> int:
    return _env_int("ITOG_SCAN_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_pages() -> int:
    return _env_int("ITOG_SCAN_MAX_PAGES", DEFAULT_MAX_PAGES)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


class TooLarge(ValueError):
    """A page or a file over the limits: refused before decoding."""


def _check_pixels(width: int, height: int) -> None:
    limit = max_pixels()
    if width * height > limit:
        raise TooLarge(ERR_PIXELS.format(width=width, height=height, mpx=_mpx(width * height), limit=_mpx(limit)))


def _mpx(pixels: float) -> str:
    value = pixels / 1e6
    return f"{value:,.0f}".replace(",", " ") if value >= 10 else f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True)
class PageRef:
    """One page to read: ``page`` is 1-based inside the file; ``error`` when the file
    could not even be opened."""

    file: str
    page: int
    kind: str | None = None  # png | jpeg | tiff | pdf
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


def _open_image(path: str | Path):
    """Pillow's lazy open: it reads the header only, so the size is known before a single pixel is
    decoded.  Pillow's own decompression-bomb guard is off while opening (ours, :func:`_check_pixels`,
    comes right after, with a Russian reason and our limit)."""
    import warnings

    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path)
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _count_pages(path: Path, kind: str) -> int:
    if kind == "tiff":
        with _open_image(path) as im:
            return int(getattr(im, "n_frames", 1))
    if kind == "pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    return 1


# What the decoders (Pillow, OpenCV, pdfium) say about a file cut short or damaged, in their English.
_DAMAGED_MARKERS = (
    "truncated",
    "missing dimensions",
    "data format error",
    "incomplete",
    "premature end",
    "cannot identify image file",
    "broken data stream",
    "unexpected end",
    "corrupt",
    "not a tiff file",
    "failed to load document",
    "image file is truncated",
    "buffer is not large enough",
)
ERR_DAMAGED = (
    "файл обрезан или поврежден (недокачан, прерван при копировании или записи) — "
    "загрузите его заново или пересканируйте бланки этого файла"
)


def _error_text(exc: BaseException) -> str:
    """A Russian reason for a file the decoders refused; the decoder's own words follow in brackets
    for the administrator."""
    text = str(exc).strip() or exc.__class__.__name__
    if any(marker in text.lower() for marker in _DAMAGED_MARKERS) or isinstance(exc, (EOFError, SyntaxError)):
        return ERR_READ.format(error=f"{ERR_DAMAGED} ({text[:120]})")
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
            yield PageRef(
                name, 1, error=ERR_FORMAT if explicit else ERR_READ.format(error="содержимое не похоже на изображение")
            )
            continue
        try:
            count = _count_pages(path, kind)
        except Exception as exc:  # noqa: BLE001 - any decoder error is the file's problem
            yield PageRef(name, 1, kind, error=_error_text(exc))
            continue
        if count < 1:
            yield PageRef(name, 1, kind, error=ERR_EMPTY)
            continue
        if count > max_pages():
            yield PageRef(name, 1, kind, error=ERR_PAGES.format(count=count, limit=max_pages()))
            continue
        for page in range(1, count + 1):
            yield PageRef(name, page, kind)


def _pil_gray(im) -> np.ndarray:
    if im.mode in ("RGBA", "LA", "PA") or (im.mode in ("P", "L", "RGB") and "transparency" in im.info):
        # a scanning app's PNG or TIFF with see-through paper (alpha = ink): laid on white, as printed —
        # its colour channels under the transparent paper are often black
        from PIL import Image

        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        low, high = float(arr.min()), float(arr.max())
        return np.zeros(arr.shape, np.uint8) if high <= low else ((arr - low) * 255.0 / (high - low)).astype(np.uint8)
    if im.mode in ("RGB", "RGBA", "CMYK", "YCbCr", "P", "LAB", "HSV"):
        from .recognize import ink_gray

        rgb = np.asarray(im.convert("RGB"), dtype=np.uint8)
        return ink_gray(np.ascontiguousarray(rgb[:, :, ::-1]))
    if im.mode != "L":
        im = im.convert("L")
    return np.asarray(im, dtype=np.uint8).copy()


def _decode_png_jpeg(ref: PageRef) -> np.ndarray:
    import cv2

    from .recognize import ink_gray

    with _open_image(ref.file) as im:
        width, height = im.size
        colour = im.mode not in ("L", "1", "I;16", "I;16B", "I;16L", "I", "F", "LA")
        transparent = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
        _check_pixels(width, height)
        if transparent:  # see-through paper: laid on white (:func:`_pil_gray`)
            im.load()
            return _pil_gray(im)
    data = np.fromfile(ref.file, dtype=np.uint8)
    reduce = ref.kind == "jpeg" and max(width, height) >= JPEG_REDUCE_FROM_PX
    if colour:
        flag = cv2.IMREAD_REDUCED_COLOR_2 if reduce else cv2.IMREAD_COLOR
        image = cv2.imdecode(data, flag)
        if image is not None:
            return ink_gray(image)
    else:
        flag = cv2.IMREAD_REDUCED_GRAYSCALE_2 if reduce else cv2.IMREAD_GRAYSCALE
        image = cv2.imdecode(data, flag)
        if image is not None:
            return image
    with _open_image(ref.file) as im:  # fall back to Pillow (and its error message)
        im.load()
        return _pil_gray(im)


def _decode_pdf(ref: PageRef, pdf_dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(ref.file)
    try:
        page = doc[ref.page - 1]
        w_pt, h_pt = page.get_size()  # from the page dictionary: nothing is rendered yet
        width, height = int(round(w_pt / 72 * pdf_dpi)), int(round(h_pt / 72 * pdf_dpi))
        if width <= 0 or height <= 0 or width * height > max_pixels():
            raise TooLarge(
                ERR_PDF_PAGE.format(
                    w_mm=round(w_pt / 72 * 25.4),
                    h_mm=round(h_pt / 72 * 25.4),
                    dpi=pdf_dpi,
                    mpx=_mpx(max(width, 0) * max(height, 0)),
                    limit=_mpx(max_pixels()),
                )
            )
        bitmap = page.render(scale=pdf_dpi / 72.0)
        array = np.asarray(bitmap.to_numpy(), dtype=np.uint8)
        if array.ndim == 3:
            from .recognize import ink_gray

            return ink_gray(array[:, :, :3])  # pdfium's bitmaps are BGR(x)
        return array.reshape(bitmap.height, bitmap.width).copy()
    finally:
        doc.close()


def load_page(ref: PageRef, pdf_dpi: int = PDF_DPI) -> np.ndarray:
    """Decode one page to a grey ``uint8`` array (raises on a damaged file, :class:`TooLarge` — before
    decoding — on a page over ``ITOG_SCAN_MAX_PIXELS``).  A colour page becomes the grey of black
    ink (:func:`itog.scan.recognize.ink_gray`: coloured stamps and stains fade)."""
    if ref.error:
        raise ValueError(ref.error)
    if ref.kind in ("png", "jpeg"):
        return _decode_png_jpeg(ref)
    if ref.kind == "tiff":
        with _open_image(ref.file) as im:
            im.seek(ref.page - 1)
            _check_pixels(*im.size)
            im.load()
            return _pil_gray(im)
    if ref.kind == "pdf":
        return _decode_pdf(ref, pdf_dpi)
    raise ValueError(ERR_FORMAT)


def read_page(ref: PageRef, pdf_dpi: int = PDF_DPI) -> PageInput:
    """:func:`load_page` that never raises: a damaged page becomes an error record."""
    if ref.error:
        return PageInput(ref.file, ref.page, error=ref.error)
    try:
        return PageInput(ref.file, ref.page, image=load_page(ref, pdf_dpi))
    except TooLarge as exc:
        return PageInput(ref.file, ref.page, error=str(exc))
    except MemoryError:
        return PageInput(ref.file, ref.page, error=ERR_READ.format(error="не хватило памяти для декодирования"))
    except Exception as exc:  # noqa: BLE001
        return PageInput(ref.file, ref.page, error=_error_text(exc))


def iter_pages(paths: Iterable[str | os.PathLike], pdf_dpi: int = PDF_DPI) -> Iterator[PageInput]:
    """Every page of the given files and folders, decoded, in order."""
    for ref in page_refs(paths):
        yield read_page(ref, pdf_dpi)
