"""Reading tabular uploads (XLSX, CSV) with Russian error messages (pure Python).

Officials export from Excel: CSV may be UTF-8 (with or without BOM), UTF-16, Windows-1251,
KOI8-R or DOS (CP866), separated by «;», «,» or tabs; the single-byte encodings are told apart by how
Russian the decoded text looks (:func:`detect_encoding`), and when that is not clear the user is asked
to save the file in UTF-8. XLSX files pass :mod:`itog.core.limits` before any reader opens them.
Anything else is refused with a message that says what to do.

The writers write every text as text: a value starting with ``= + - @`` (or a tab/CR) is never a
formula in the XLSX and is prefixed with an apostrophe in the CSV (formula injection, OWASP).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field

from .limits import UploadLimits, UploadRefused, check_office_file

XLSX_MAGIC = b"PK\x03\x04"


class TableError(ValueError):
    """A file that cannot be read as a table at all (message in Russian)."""


@dataclass
class RowError:
    """A problem of one cell (or row, when ``column`` is empty) of an uploaded table."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Строка {self.row}" + (f", столбец «{self.column}»" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it, cells)
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_table_upload(data: bytes, filename: str = "", max_bytes: int | None = None) -> UploadLimits | None:
    """The bounds a table upload is held to before anything parses it (size, emptiness, an XLSX archive's
    parts and cells, the old XLS format); raises :class:`TableError` with the Russian message. Cheap: an
    import view runs it in the request, before the file goes to a background job. Returns the XLSX limits
    for an Excel workbook, None for a text table."""
    if max_bytes is not None and len(data) > max_bytes:
        raise TableError(
            f"Файл слишком большой: {len(data) / 1048576:.1f} МБ при допустимых {max_bytes / 1048576:.0f} МБ. "
            "Разделите его на части."
        )
    if not data or not data.strip():
        raise TableError("Файл пуст.")
    name = filename.lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        limits = UploadLimits.from_settings()
        try:
            check_office_file(data, limits)
        except UploadRefused as exc:
            raise TableError(str(exc)) from None
        return limits
    if name.endswith(".xls"):
        raise TableError("Формат XLS (Excel 97–2003) не поддерживается: сохраните файл как XLSX или CSV.")
    return None


def read_table(data: bytes, filename: str = "", max_bytes: int | None = None) -> Table:
    limits = check_table_upload(data, filename, max_bytes)
    if limits is not None:
        return _read_xlsx(data, limits.max_columns)
    return _read_csv(data)


def _read_xlsx(data: bytes, max_columns: int = 256) -> Table:
    try:
        header, rows = _read_xlsx_fast(data)
    except Exception:  # noqa: BLE001 - anything unusual: let openpyxl read (and judge) the file
        return _read_xlsx_openpyxl(data, max_columns)
    if header is None:
        raise TableError("В книге Excel нет данных: первый лист пуст.")
    return Table(header=_trim(header), rows=rows)


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DATE_FORMAT_IDS = set(range(14, 23)) | {45, 46, 47}
_DATE_CODE = re.compile(r"[dmyhs]", re.I)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _column_number(ref: str) -> int:
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + (ord(ch.upper()) - 64)
    return n


def _read_xlsx_fast(data: bytes):
    """The first sheet straight from its XML with lxml (several times faster than openpyxl for
    big lists): shared and inline strings, numbers, booleans, dates by their number format —
    the same cell texts as the openpyxl reader gives."""
    from datetime import datetime, timedelta

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        workbook = etree.fromstring(z.read("xl/workbook.xml"))
        first = workbook.find(f"{_NS}sheets/{_NS}sheet")
        rel_id = first.get(f"{_REL_NS}id")
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
        sheet_path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            for si in etree.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_NS}si"):
                shared.append("".join(t.text or "" for t in si.iter(f"{_NS}t")))
        date_styles: set[int] = set()
        if "xl/styles.xml" in names:
            styles = etree.fromstring(z.read("xl/styles.xml"))
            custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in styles.iter(f"{_NS}numFmt")}
            xfs = styles.find(f"{_NS}cellXfs")
            for i, xf in enumerate(xfs if xfs is not None else []):
                fmt = int(xf.get("numFmtId", "0"))
                if fmt in _DATE_FORMAT_IDS or (fmt in custom and _DATE_CODE.search(_QUOTED.sub("", custom[fmt]))):
                    date_styles.add(i)
        lines = []
        columns: dict[str, int] = {}  # "AB" -> 28, computed once per column letters
        with z.open(sheet_path) as sheet:
            for _, row in etree.iterparse(sheet, tag=f"{_NS}row"):
                cells: dict[int, str] = {}
                for position, c in enumerate(row.iter(f"{_NS}c"), start=1):
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        col = columns.get(letters)
                        if col is None:
                            col = columns[letters] = _column_number(letters)
                    else:
                        col = position
                    kind = c.get("t")
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
                    else:
                        v = c.find(f"{_NS}v")
                        text = v.text if v is not None else None
                        if text is None:
                            value = ""
                        elif kind == "s":
                            value = shared[int(text)]
                        elif kind == "b":
                            value = "True" if text == "1" else "False"
                        elif kind in ("str", "e"):
                            value = text
                        else:
                            number = float(text)
                            if int(c.get("s", "0")) in date_styles:
                                value = str(datetime(1899, 12, 30) + timedelta(days=number))
                            else:
                                value = str(int(number)) if number.is_integer() else text
                    value = value.strip()
                    if value:  # empty (styled) cells are not kept: the row is as wide as its data
                        cells[col] = value
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                lines.append(cells)
    width = max((max(cells) for cells in lines if cells), default=0)
    return _header_and_rows([cells.get(i, "") for i in range(1, width + 1)] for cells in lines)


def _read_xlsx_openpyxl(data: bytes, max_columns: int = 256) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(f"Файл не является книгой Excel (XLSX) или поврежден: {exc}") from None
    try:
        header, rows = _header_and_rows(
            [_cell(v) for v in values]
            # max_col: <dimension> may claim column XFD
            for values in wb.worksheets[0].iter_rows(values_only=True, max_col=max_columns)
        )
    finally:
        wb.close()
    if header is None:
        raise TableError("В книге Excel нет данных: первый лист пуст.")
    return Table(header=_trim(header), rows=rows)


# Letter frequencies of Russian prose (per cent): the likelihood of a decoding's letters.
_RU_FREQ = {
    "о": 10.97,
    "е": 8.45,
    "а": 8.01,
    "и": 7.35,
    "н": 6.70,
    "т": 6.26,
    "с": 5.47,
    "р": 4.73,
    "в": 4.54,
    "л": 4.40,
    "к": 3.49,
    "м": 3.21,
    "д": 2.98,
    "п": 2.81,
    "у": 2.62,
    "я": 2.01,
    "ы": 1.90,
    "ь": 1.74,
    "г": 1.70,
    "з": 1.65,
    "б": 1.59,
    "ч": 1.44,
    "й": 1.21,
    "х": 0.97,
    "ж": 0.94,
    "ш": 0.73,
    "ю": 0.64,
    "ц": 0.48,
    "щ": 0.36,
    "э": 0.32,
    "ф": 0.26,
    "ъ": 0.04,
    "ё": 0.04,
}
_LOG_FREQ = {letter: math.log(p / 100) for letter, p in _RU_FREQ.items()}
_ODD_CHAR = math.log(1e-5)  # a non-letter above ASCII that tables do not contain (╚, Ђ, ‰ …)
_CASE_FLIP = math.log(1e-3)  # «жБНЙМЙС»: a capital after a small letter inside a word
_USUAL_SYMBOLS = set("«»—–№„“”‘’…\u00a0°±×")
SINGLE_BYTE = (("cp1251", "Windows-1251"), ("koi8_r", "KOI8-R"), ("cp866", "DOS (CP866)"))
MIN_EVIDENCE = 12.0  # log-likelihood ratio (nats) between the best and the next reading to be sure


def _russian_score(text: str) -> float:
    """Log-likelihood of ``text`` being Russian: letter frequencies, odd symbols and case flips."""
    score = 0.0
    previous_lower = False
    for ch in text:
        if ch < "\x80":
            previous_lower = False
            continue
        lower = ch.lower()
        if lower in _LOG_FREQ:
            score += _LOG_FREQ[lower]
            if ch != lower and previous_lower:
                score += _CASE_FLIP
            previous_lower = ch == lower
        else:
            previous_lower = False
            if ch not in _USUAL_SYMBOLS:
                score += _ODD_CHAR
    return score


def detect_encoding(data: bytes) -> tuple[str, str, dict[str, str]]:
    """(codec, label, readings): the Unicode encodings by their marks, else the single-byte encoding
    whose reading looks most like Russian. Raises :class:`TableError` when the evidence is too thin to
    choose (the message shows the header in each candidate reading and asks for UTF-8)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "UTF-8", {}
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "UTF-16", {}
    sample = data[:4096]
    if b"\x00" in sample:
        half = max(len(sample) // 2, 1)
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > 0.3 * half and even == 0:
            return "utf-16-le", "UTF-16", {}
        if even > 0.3 * half and odd == 0:
            return "utf-16-be", "UTF-16", {}
        raise TableError("Файл не похож на текстовую таблицу CSV (двоичные данные). Загрузите XLSX или CSV.")
    try:
        data.decode("utf-8")
        return "utf-8", "UTF-8", {}
    except UnicodeDecodeError:
        pass
    probe = data[:65536]
    scored = []
    readings: dict[str, str] = {}
    for codec, label in SINGLE_BYTE:
        text = probe.decode(codec, errors="replace")
        scored.append((_russian_score(text), codec, label))
        readings[label] = text.split("\n", 1)[0].strip()[:120]
    scored.sort(reverse=True)
    (best, codec, label), (second, _, _) = scored[0], scored[1]
    if best - second < MIN_EVIDENCE:
        shown = "; ".join(f"{lbl}: «{line}»" for lbl, line in readings.items())
        raise TableError(
            "Не удалось уверенно определить кодировку файла (в нём мало русского текста). "
            f"Первая строка читается так — {shown}. Сохраните файл в кодировке UTF-8 "
            "(Excel: «Сохранить как» → «CSV UTF-8») и загрузите снова."
        )
    return codec, label, readings


def _decode(data: bytes) -> tuple[str, str]:
    codec, label, _ = detect_encoding(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise TableError(f"Файл не читается в кодировке {label}: сохраните его в UTF-8.") from None
    return text.lstrip("\ufeff"), label


def _unquote(cell: str) -> str:
    """Undo :func:`csv_safe`: «'+7 900…» written by our exports reads back as «+7 900…»."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in "=+-@" else cell


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header, rows = _header_and_rows([_unquote(c.strip()) for c in cells] for cells in reader)
    except csv.Error as exc:
        raise TableError(f"Ошибка разбора CSV в строке {reader.line_num}: {exc}") from None
    if header is None:
        raise TableError("Файл пуст.")
    notes = [] if encoding == "UTF-8" else [f"Файл прочитан в кодировке {encoding}."]
    return Table(header=_trim(header), rows=rows, encoding=encoding, notes=notes)


def _header_and_rows(lines) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    """The first non-empty line is the header; later non-empty lines are rows, numbered as the user sees them."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(lines, start=1):
        if not any(cells):
            continue
        if header is None:
            header = cells
        else:
            rows.append((number, cells))
    return header, rows


def _trim(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    return header


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """A text a spreadsheet would run as a formula (or as a DDE command) if written as is."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value):
    """The value for a CSV cell: formula-like texts get a leading apostrophe (shown, never run)."""
    return "'" + value if is_formula_like(value) else value


def set_text_cell(cell, value) -> None:
    """Put ``value`` in an openpyxl cell; a formula-like text stays text (data type «s»),
    never a formula. Numbers, dates and other texts are stored as usual."""
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def append_row(ws, values) -> None:
    """``ws.append`` that keeps formula-like texts as text (see :func:`set_text_cell`)."""
    values = list(values)
    ws.append([None if is_formula_like(v) else v for v in values])
    row = ws.max_row
    for column, value in enumerate(values, start=1):
        if is_formula_like(value):
            set_text_cell(ws.cell(row=row, column=column), value)


def write_only_row(ws, values) -> list:
    """The row for ``ws.append`` of a write-only worksheet, formula-like texts as text cells
    (see :func:`set_text_cell`)."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if is_formula_like(value):
            cell = WriteOnlyCell(ws)
            set_text_cell(cell, value)
            value = cell
        out.append(value)
    return out


def write_csv(header: list[str], rows) -> bytes:
    """CSV as Russian Excel opens it: UTF-8 with BOM, «;» as separator; formula-like texts neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow([csv_safe(h) for h in header])
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def write_xlsx(header: list[str], rows, title: str = "Лист1") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for row in rows:
        append_row(ws, row)
        for i, value in enumerate(row):
            widths[i] = min(max(widths[i], len(str(value or ""))), 80)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
