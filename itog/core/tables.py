"""Reading tabular uploads (XLSX, CSV) with Russian error messages (pure Python).

Officials export from Excel: CSV may be UTF-8 (with or without BOM) or
Windows-1251, separated by «;», «,» or tabs. Anything else is refused with a
message that says what to do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

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


def read_table(data: bytes, filename: str = "", max_bytes: int | None = None) -> Table:
    if max_bytes is not None and len(data) > max_bytes:
        raise TableError(
            f"Файл слишком большой: {len(data) / 1048576:.1f} МБ при допустимых {max_bytes / 1048576:.0f} МБ. "
            "Разделите его на части."
        )
    if not data or not data.strip():
        raise TableError("Файл пуст.")
    name = filename.lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if name.endswith(".xls"):
        raise TableError("Формат XLS (Excel 97–2003) не поддерживается: сохраните файл как XLSX или CSV.")
    return _read_csv(data)


def _read_xlsx(data: bytes) -> Table:
    try:
        header, rows = _read_xlsx_fast(data)
    except Exception:  # noqa: BLE001 - anything unusual: let openpyxl read (and judge) the file
        return _read_xlsx_openpyxl(data)
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
            custom = {int(f.get("numFmtId")): f.get("formatCode", "")
                      for f in styles.iter(f"{_NS}numFmt")}
            xfs = styles.find(f"{_NS}cellXfs")
            for i, xf in enumerate(xfs if xfs is not None else []):
                fmt = int(xf.get("numFmtId", "0"))
                if fmt in _DATE_FORMAT_IDS or (fmt in custom and _DATE_CODE.search(_QUOTED.sub("", custom[fmt]))):
                    date_styles.add(i)
        lines = []
        with z.open(sheet_path) as sheet:
            for _, row in etree.iterparse(sheet, tag=f"{_NS}row"):
                cells: dict[int, str] = {}
                for position, c in enumerate(row.iter(f"{_NS}c"), start=1):
                    ref = c.get("r")
                    col = _column_number(ref) if ref else position
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
                    cells[col] = value.strip()
                row.clear()
                lines.append(cells)
    width = max((max(cells) for cells in lines if cells), default=0)
    return _header_and_rows([cells.get(i, "") for i in range(1, width + 1)] for cells in lines)


def _read_xlsx_openpyxl(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(f"Файл не является книгой Excel (XLSX) или поврежден: {exc}") from None
    try:
        header, rows = _header_and_rows([_cell(v) for v in values]
                                        for values in wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    if header is None:
        raise TableError("В книге Excel нет данных: первый лист пуст.")
    return Table(header=_trim(header), rows=rows)


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        raise TableError("Файл не похож на текстовую таблицу CSV (двоичные данные). Загрузите XLSX или CSV.")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "Windows-1251"
    except UnicodeDecodeError:
        raise TableError("Не удалось определить кодировку файла: сохраните его в UTF-8 или Windows-1251.") from None


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header, rows = _header_and_rows([c.strip() for c in cells] for cells in reader)
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


def write_csv(header: list[str], rows) -> bytes:
    """CSV as Russian Excel opens it: UTF-8 with BOM, «;» as separator."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def write_xlsx(header: list[str], rows, title: str = "Лист1") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for row in rows:
        ws.append(list(row))
        for i, value in enumerate(row):
            widths[i] = min(max(widths[i], len(str(value or ""))), 80)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
