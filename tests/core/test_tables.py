"""The fast XLSX reader gives exactly what openpyxl gives (strings, numbers, dates, booleans, gaps)."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook

from itog.core import tables


def workbook(write_only=False) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet() if write_only else wb.active
    ws.append(["Код", "Дата", "Число", "Дробь", "Пусто", "Логика"])
    ws.append(["010001", date(2009, 5, 12), 42, 3.5, None, True])
    ws.append([None, None, None, None, None, None])
    ws.append(["  x  ", datetime(2020, 1, 2, 3, 4, 5), 1e3, 0.1, "", False, None, "далеко"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_fast_reader_matches_openpyxl():
    for write_only in (False, True):
        data = workbook(write_only)
        fast, slow = tables.read_table(data, "x.xlsx"), tables._read_xlsx_openpyxl(data)
        assert fast.header == slow.header == ["Код", "Дата", "Число", "Дробь", "Пусто", "Логика"]

        def stripped(rows):  # openpyxl pads rows to the sheet's width only when it knows the width
            return [(n, list(cells[: max((i + 1 for i, c in enumerate(cells) if c), default=0)])) for n, cells in rows]

        assert stripped(fast.rows) == stripped(slow.rows)
        assert fast.rows[0] == (2, ["010001", "2009-05-12 00:00:00", "42", "3.5", "", "True", "", ""])
        assert fast.rows[1][0] == 4, "row numbers as the user sees them, empty rows skipped"


def test_damaged_workbook_falls_back_to_openpyxl_message():
    import pytest

    with pytest.raises(tables.TableError, match="не является книгой Excel"):
        tables.read_table(b"PK\x03\x04 not really a zip", "x.xlsx")
