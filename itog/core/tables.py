"""Reading tabular uploads (XLSX, CSV) with Russian error messages (pure Python).

Officials export from Excel: CSV may be UTF-8 (with or without BOM) or
Windows-1251, separated by «;», «,» or tabs. Anything else is refused with a
message that says what to do.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

XLSX_MAGIC = b"PK\x03\x04"


class TableError(ValueError):
    """A file that cannot be read as a table at all (message in Russian)."""


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
