"""Bounds on uploaded office files, checked before any parser opens them (pure Python).

An XLSX or DOCX is a zip of XML parts: a few kilobytes can expand to gigabytes (a zip bomb), and a
single cell in column XFD makes naive readers build 16,384-cell rows. :func:`check_office_file` looks
only at the zip directory and streams the sheet XML (constant memory) and refuses, with a Russian
message saying what to do, a file that exceeds any of:

* the number of parts in the archive;
* the total uncompressed size, and the size of any one part;
* the compression ratio of a part (ratios above a few hundred do not occur in real documents);
* for XLSX: the last column and row any sheet's cell references (whatever ``<dimension>`` claims);
* for DOCX: the size of ``word/document.xml``;
* any part declaring a DTD (``<!DOCTYPE``): Office Open XML parts never do (ECMA-376 part 2, the package
  model: DTD declarations are forbidden), while a hostile file uses one for an external entity (reading a
  file of the server into a cell) or for entities expanding to gigabytes («billion laughs»).

Python's ``zipfile`` never returns more than a part's declared uncompressed size, so the sizes of the
directory bound what openpyxl and python-docx can read. The defaults (settings ``ITOG_UPLOAD_*``) are
far above real lists and plans: see :class:`UploadLimits`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)")


class UploadRefused(ValueError):
    """An upload outside the configured bounds; ``str(exc)`` is the Russian message for the user."""


@dataclass(frozen=True)
class UploadLimits:
    max_members: int = 2000  # parts in the archive (a real XLSX/DOCX has 10–200)
    max_total_mb: int = 300  # all parts uncompressed (a 75,000-row list is ~60 MB of XML)
    max_member_mb: int = 250  # one part uncompressed
    max_ratio: int = 200  # uncompressed/compressed size of one part (bombs: 1,000+)
    max_columns: int = 256  # XLSX: the last column any cell may stand in (IV)
    max_rows: int = 1_048_576  # XLSX: the last row (Excel's own maximum by default)
    max_docx_xml_mb: int = 40  # DOCX: word/document.xml (a 60-page plan is ~3 MB)

    @classmethod
    def from_settings(cls) -> UploadLimits:
        try:
            from django.conf import settings

            return cls(
                max_members=settings.ITOG_UPLOAD_MAX_MEMBERS,
                max_total_mb=settings.ITOG_UPLOAD_MAX_UNCOMPRESSED_MB,
                max_member_mb=settings.ITOG_UPLOAD_MAX_UNCOMPRESSED_MB,
                max_ratio=settings.ITOG_UPLOAD_MAX_RATIO,
                max_columns=settings.ITOG_UPLOAD_XLSX_MAX_COLUMNS,
                max_rows=settings.ITOG_UPLOAD_XLSX_MAX_ROWS,
                max_docx_xml_mb=settings.ITOG_UPLOAD_DOCX_MAX_XML_MB,
            )
        except Exception:  # noqa: BLE001 - no Django settings (pure use, scripts): the defaults
            return cls()

    @classmethod
    def for_plans(cls) -> UploadLimits:
        """A plan is a document of hundreds of rows: a cell in row 1,000,000 would make openpyxl's
        full reader walk a million empty rows (ITOG_UPLOAD_PLAN_MAX_ROWS, default 20,000)."""
        from dataclasses import replace

        limits = cls.from_settings()
        try:
            from django.conf import settings

            rows = settings.ITOG_UPLOAD_PLAN_MAX_ROWS
        except Exception:  # noqa: BLE001
            rows = 20_000
        return replace(limits, max_rows=min(limits.max_rows, rows))


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def check_office_file(data: bytes, limits: UploadLimits | None = None) -> str | None:
    """Refuse (:class:`UploadRefused`) an XLSX/DOCX outside the bounds; return ``"xlsx"``, ``"docx"``,
    ``"zip"`` (another archive, checked for size only) or ``None`` when ``data`` is not a zip at all."""
    if not data.startswith(ZIP_MAGIC):
        return None
    limits = limits or UploadLimits.from_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"  # not readable as a zip: the parser reports the damaged file in its own words
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise UploadRefused(
                f"Файл содержит слишком много частей ({len(infos)} при допустимых {limits.max_members}): "
                "это не похоже на обычную книгу Excel или документ Word. Сохраните файл заново в Excel/Word."
            )
        total = sum(i.file_size for i in infos)
        if total > limits.max_total_mb * MB:
            raise UploadRefused(
                f"После распаковки файл занимает {_mb(total)} МБ при допустимых {limits.max_total_mb} МБ. "
                "Разделите его на части или удалите лишние листы и рисунки."
            )
        for info in infos:
            if info.file_size > limits.max_member_mb * MB:
                raise UploadRefused(
                    f"Часть файла «{info.filename}» после распаковки занимает {_mb(info.file_size)} МБ при "
                    f"допустимых {limits.max_member_mb} МБ. Разделите файл на части."
                )
            if info.file_size > MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise UploadRefused(
                    f"Часть файла «{info.filename}» сжата в {info.file_size // max(info.compress_size, 1)} раз — "
                    "так сжимаются только специально подготовленные файлы («zip-бомбы»). Файл не принят; "
                    "сохраните его заново в Excel/Word."
                )
        for info in infos:
            _check_no_dtd(archive, info)
        names = {i.filename for i in infos}
        if "xl/workbook.xml" in names:
            _check_sheets(archive, [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")], limits)
            return "xlsx"
        if "word/document.xml" in names:
            size = archive.getinfo("word/document.xml").file_size
            if size > limits.max_docx_xml_mb * MB:
                raise UploadRefused(
                    f"Текст документа Word после распаковки занимает {_mb(size)} МБ при допустимых "
                    f"{limits.max_docx_xml_mb} МБ. Разделите документ на части."
                )
            return "docx"
        return "zip"


# A cell's reference in a sheet's XML (``<c r="B7" …>``, also with a namespace prefix), found by a regular
# expression over the decompressed bytes: C speed, where parsing each cell with lxml cost ~10 µs (a region's
# 75,000-row list has 1.3 million cells).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\sr\s*=\s*[\"']([A-Za-z]{1,3})(\d+)[\"']")
_SCAN_CHUNK = 4 * MB


def _check_sheets(archive: zipfile.ZipFile, sheets: list[str], limits: UploadLimits) -> None:
    """Stream every sheet's cell references (constant memory; ``<dimension>`` is not trusted)."""
    for name in sorted(sheets):
        try:
            with archive.open(name) as stream:
                tail = b""
                while True:
                    block = stream.read(_SCAN_CHUNK)
                    if not block:
                        break
                    text = tail + block
                    # the last element may be cut by the chunk's end: it is scanned with the next chunk
                    # (however long a hostile tag is; the part's size was bounded above)
                    cut = text.rfind(b"<")
                    if cut < 0:
                        cut = len(text)
                    _check_refs(_CELL_TAG.findall(text, 0, cut), name, limits)
                    tail = text[cut:]
                _check_refs(_CELL_TAG.findall(tail), name, limits)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            return  # a damaged sheet: the reader reports it in its own words


def _check_refs(refs: list[tuple[bytes, bytes]], name: str, limits: UploadLimits) -> None:
    if not refs:
        return
    for letters in {letters.upper() for letters, _ in refs}:
        if column_number(letters.decode()) > limits.max_columns:
            ref = next(f"{a.decode()}{n.decode()}" for a, n in refs if a.upper() == letters)
            _refuse(name, ref, limits)
    last = max(refs, key=lambda ref: int(ref[1]))
    if int(last[1]) > limits.max_rows:
        _refuse(name, f"{last[0].decode()}{last[1].decode()}", limits)


def _refuse(name: str, ref: str, limits: UploadLimits) -> None:
    match = _CELL_REF.fullmatch(ref)
    column, row = column_number(match.group(1)), int(match.group(2))
    sheet = name.rsplit("/", 1)[-1].removesuffix(".xml")
    where = (
        f"столбец {match.group(1).upper()} — это {column}-й столбец, допустимо "
        f"{limits.max_columns} (до {column_letters(limits.max_columns)})"
        if column > limits.max_columns
        else f"строка {row}, допустимо {limits.max_rows}"
    )
    raise UploadRefused(
        f"В книге Excel (часть {sheet}) заполнена ячейка {ref.upper()}: {where}. "
        "Удалите лишние ячейки справа и снизу от таблицы (выделите столбцы → «Удалить») "
        "и загрузите файл снова."
    )


_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_START_TAG = re.compile(r"<[^\W\d]", re.UNICODE)  # the root element's start tag ends the prolog
_PROLOG_CHUNK = 16 * 1024


def _check_no_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part whose prolog (everything before its root element) declares a DTD. Streams the part in
    small chunks and stops at the root element: a few kilobytes per part, whatever the prolog's padding."""
    if info.is_dir():
        return
    try:
        with archive.open(info) as stream:
            first = stream.read(_PROLOG_CHUNK)
            codec = "utf-16" if first[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00<" in first[:8] else "utf-8"
            if codec == "utf-8" and not first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return  # not XML (an image, a binary part)
            tail, block = "", first
            while block:
                text = tail + block.decode(codec, errors="ignore")
                start = _START_TAG.search(text)
                if _DTD.search(text[: start.start()] if start else text):
                    raise UploadRefused(
                        f"Файл не принят: его часть «{info.filename}» содержит объявление DTD (<!DOCTYPE …>). "
                        "В книгах Excel и документах Word его не бывает — так устроены специально подготовленные "
                        "файлы (подстановка чужих файлов, «бомбы» из сущностей XML). Сохраните файл заново "
                        "в Excel или Word и загрузите снова."
                    )
                if start:
                    return
                tail = text[-16:]
                block = stream.read(_PROLOG_CHUNK)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        return  # a damaged or encrypted part: the reader reports it in its own words
