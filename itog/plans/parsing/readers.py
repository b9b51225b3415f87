"""Plan readers: detect the format of an uploaded file and read its table rows.

Supported forms (all seen in the seed documents or in ordinary office use):

``tab``    one line per row, cells separated by TAB; section headings are rows
           with only the first cell filled (``<b>…</b>`` or plain) or bare
           paragraphs between blank lines (seeds 001, 002, 004);
``cells``  one cell per line, each cell line starts with a TAB, lines without
           a TAB continue the previous cell, rows are grouped by the header's
           column count (seed 000);
``pipe``   ``| a | b | c |`` tables (Markdown style);
``docx``   Word tables (python-docx), merged cells read once;
``xlsx``   Excel sheets (openpyxl), merged ranges read once.

Every reader returns a ``RawDocument`` with the physical source line of every
row (for DOCX: paragraphs and table rows counted in document order; for XLSX:
the sheet row number).  ``read_plan`` then hands it to ``structure.build_plan``.

Bad input raises ``PlanReadError`` with a Russian message.
"""

from __future__ import annotations

import io
import os
import re
import textwrap
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from .layouts import GRIDS, Grid, clean_cell, text_shape, tidy, unwrap
from .model import (
    Finding,
    ParsedItem,
    ParsedPlan,
    PlanReadError,
    RawDocument,
    RawRow,
    RawTable,
)
from .structure import build_plan, clean_markup, is_plan_header, parse_number

__all__ = [
    "FORMATS",
    "PlanReadError",
    "decode_text",
    "detect_format",
    "read_plan",
    "read_raw",
]

FORMATS = ("tab", "cells", "pipe", "markdown", "lines", "fixed", "plain", "pdf", "docx", "xlsx", "html")

# ---------------------------------------------------------------------------
# Format detection
# ---------------------------------------------------------------------------

_IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", None),  # checked more strictly below
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def _binary_kind(data: bytes) -> str | None:
    """Name of a recognised non-text binary format, or None."""
    for sig, name in _IMAGE_SIGNATURES:
        if name and data.startswith(sig):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "HEIC"
    return None


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOMs, then UTF-8, then CP1251.

    Raises ``PlanReadError`` for bytes that are not text in either encoding.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _normalise_newlines(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise PlanReadError("Не удалось прочитать текст файла (повреждённая кодировка UTF-16).") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise PlanReadError(
                "Не удалось определить кодировку файла: это не текст в UTF-8 или Windows-1251 и не документ Word/Excel."
            ) from exc
    controls = len(_CONTROL_RE.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 200):
        raise PlanReadError(
            "Файл не похож на текст: в нём двоичные данные. Загрузите документ Word (.docx), "
            "таблицу Excel (.xlsx) или текстовый файл."
        )
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(data: bytes, filename: str | None = None) -> str:
    """Return one of ``tab``, ``cells``, ``pipe``, ``docx``, ``xlsx``.

    The content decides; the file name is only used to phrase errors.
    Raises ``PlanReadError`` for unsupported or unreadable input.
    """
    if not data or not data.strip():
        raise PlanReadError("Файл пуст.")
    kind = _binary_kind(data)
    if kind:
        raise PlanReadError(
            f"Загружено изображение ({kind}), а не документ. Распознавание фотографий и сканов "
            "не поддерживается: загрузите план в формате Word (.docx), Excel (.xlsx) или текстом."
        )
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanReadError(
            "Старые форматы Word/Excel (.doc, .xls) не поддерживаются. Сохраните файл как .docx или .xlsx."
        )
    if data.startswith(b"{\\rtf"):
        raise PlanReadError("Формат RTF не поддерживается. Сохраните файл как .docx.")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise PlanReadError("Файл повреждён: архив документа Office не читается.") from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if any(n.startswith("content.xml") for n in names):
            raise PlanReadError(
                "Форматы OpenDocument (.odt, .ods) не поддерживаются. Сохраните файл как .docx или .xlsx."
            )
        raise PlanReadError("Архив не является документом Word (.docx) или таблицей Excel (.xlsx).")
    text = decode_text(data)
    head = text[:200000].lower()
    if _HTML_RE.match(head[:2000]) or ("<table" in head and "</td>" in head):
        return "html"
    shape = text_shape(text)
    if shape is None:
        raise PlanReadError(
            "В тексте не найдена таблица плана: нет ни строк с ячейками, разделёнными табуляцией "
            "или символом «|», ни столбцов, выровненных пробелами, ни строки заголовка с ячейками по "
            "одной в строке, ни пронумерованных пунктов со сроками. Сохраните план как .docx/.xlsx "
            "или укажите формат явно (--format)."
        )
    return shape


# ---------------------------------------------------------------------------
# Text readers
# ---------------------------------------------------------------------------


def _set_breaks(rows: list[RawRow], blank: list[bool]) -> None:  # DOCX paragraphs
    n = len(blank) - 1
    for row in rows:
        last = row.lines[-1]
        row.before_break = last >= n or blank[last + 1]


def _assemble(grid: Grid, fmt: str) -> RawDocument:
    """A ``layouts.Grid`` (logical rows with their source lines) -> ``RawDocument``."""
    grid = tidy(grid)
    doc = RawDocument(format=fmt, tables=[])
    doc.layout = [grid.layout, *grid.features]
    current: RawTable | None = None
    side: RawTable | None = None
    pending_break = False
    all_rows: list[RawRow] = []
    last_added: RawRow | None = None
    entries = list(zip(grid.rows, grid.lines))

    for k, (cells_or_text, lines) in enumerate(entries):
        if cells_or_text is None:
            pending_break = True
            if last_added is not None:
                last_added.before_break = True
            last_added = None
            continue
        idx = lines[0] if lines else (entries[k - 1][1][-1] if k and entries[k - 1][1] else 0)
        cells = cells_or_text if isinstance(cells_or_text, list) else None
        line = cells_or_text if isinstance(cells_or_text, str) else ""
        after_break = pending_break
        pending_break = False
        if cells is not None and is_plan_header(cells):
            same = (
                current is not None
                and current.header is not None
                and [c.strip() for c in cells] == [c.strip() for c in current.header]
            )
            if current is None or same or len([c for c in cells if c.strip()]) >= 3:
                new = RawTable(header=cells, header_line=idx)
                if current is not None:
                    # paragraphs after the last row belong to the next table
                    while current.rows and current.rows[-1].kind == "paragraph":
                        row = current.rows.pop()
                        new.preamble.insert(0, (row.line, " ".join(row.cells)))
                doc.tables.append(new)
                current = new
                side = None
                last_added = None
                continue
        if current is None:
            # before the plan table: preamble text or a side table
            if cells is not None:
                nonempty = [c.strip() for c in cells if c.strip()]
                if len(nonempty) >= 2:
                    if side is None:
                        side = RawTable(header=None, header_line=None, name="side")
                        doc.side_tables.append(side)
                    side.rows.append(RawRow(cells=cells, line=idx, lines=lines, after_break=after_break))
                    continue
                doc.preamble.append((idx, " ".join(nonempty)))
            else:
                side = None
                doc.preamble.append((idx, line.strip()))
            continue
        if cells is not None:
            row = RawRow(cells=cells, line=idx, lines=lines, after_break=after_break)
        else:
            _, bold = clean_markup(line)
            row = RawRow(
                cells=[line.strip()], line=idx, lines=lines, kind="paragraph", after_break=after_break, bold=bold
            )
        current.rows.append(row)
        all_rows.append(row)
        last_added = row

    if last_added is not None:
        last_added.before_break = True
    if current is None:
        rows = [r for r in grid.rows if isinstance(r, list) and len([c for c in r if c.strip()]) >= 2]
        if len(rows) >= 2:
            # a table without a header: its columns are inferred from the content
            table = RawTable(header=None, header_line=None)
            for cells_or_text, lines in entries:
                if isinstance(cells_or_text, list):
                    table.rows.append(RawRow(cells=cells_or_text, line=lines[0] if lines else 0, lines=lines))
            doc.side_tables = []
            doc.preamble = [(ln[0], r) for r, ln in entries if isinstance(r, str) and ln]
            doc.tables.append(table)
            doc.notes.append(
                Finding(
                    "no_header",
                    "У таблицы нет строки заголовка; назначение столбцов "
                    "определено по содержимому — проверьте его в предпросмотре.",
                    "warning",
                    table.rows[0].line,
                )
            )
            return doc
        raise PlanReadError(
            "В тексте не найдена строка заголовка таблицы плана (столбцы «Мероприятие», «Сроки», "
            "«Ответственные» и т. п.) и не найдено строк с несколькими ячейками."
        )
    while current.rows and current.rows[-1].kind == "paragraph" and not current.rows[-1].before_break:
        row = current.rows.pop()
        doc.trailer.insert(0, (row.line, " ".join(row.cells)))
    return doc


def read_text_layout(text: str, fmt: str) -> RawDocument:
    """Any text layout of ``layouts.GRIDS`` (tab, pipe, markdown, lines, fixed, plain).

    A Markdown table is reported as format ``pipe`` (the value `plan import --json` always gave
    for it) with ``markdown`` in its layout."""
    if fmt == "markdown":
        doc = _assemble(GRIDS[fmt](text), "pipe")
        doc.layout = ["pipe", *doc.layout]
        return doc
    return _assemble(GRIDS[fmt](text), fmt)


def read_tab(text: str) -> RawDocument:
    return read_text_layout(text, "tab")


def read_pipe(text: str) -> RawDocument:
    return read_text_layout(text, "pipe")


def read_cells(text: str) -> RawDocument:
    """Cell-per-line text (seed 000): ``\\t<cell>`` lines, other lines continue a cell."""
    lines = text.split("\n")
    # tokens: ("cell", text, [lines]) | ("blank",) | ("para", text, line)
    tokens: list[list[Any]] = []
    for idx, line in enumerate(lines, 1):
        if not line.strip() and not line.startswith("\t"):
            tokens.append(["blank"])
        elif line.startswith("\t"):
            tokens.append(["cell", line[1:].replace("\t", " ").strip(), [idx]])
        elif tokens and tokens[-1][0] == "cell":
            tokens[-1][1] = (tokens[-1][1] + "\n" + line.strip()).strip("\n")
            tokens[-1][2].append(idx)
        else:
            tokens.append(["para", line.replace("\t", " ").strip(), idx])

    # runs of consecutive cells
    run_id = []
    current_run = -1
    prev_cell = False
    for tok in tokens:
        if tok[0] == "cell":
            if not prev_cell:
                current_run += 1
            run_id.append(current_run)
            prev_cell = True
        else:
            run_id.append(None)
            prev_cell = False
    run_len: dict[int, int] = {}
    for r in run_id:
        if r is not None:
            run_len[r] = run_len.get(r, 0) + 1

    doc = RawDocument(format="cells", tables=[])
    header_at = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok[0] == "cell":
            run = run_id[i]
            cells = [t[1] for t, r in zip(tokens[i:], run_id[i:]) if r == run]
            if len(cells) >= 2 and is_plan_header(cells):
                header_at = i
                break
            i += run_len[run]
            doc.preamble.extend((t[2][0], t[1]) for t in tokens[i - run_len[run] : i])
            continue
        if tok[0] == "para":
            doc.preamble.append((tok[2], tok[1]))
        i += 1
    if header_at is None:
        raise PlanReadError(
            "В тексте не найдена строка заголовка таблицы плана (столбцы «Мероприятие», «Сроки», "
            "«Ответственные» и т. п.)."
        )
    run = run_id[header_at]
    header_tokens = [t for t, r in zip(tokens[header_at:], run_id[header_at:]) if r == run]
    header = [t[1] for t in header_tokens]
    width = len(header)
    table = RawTable(header=header, header_line=header_tokens[0][2][0])
    doc.tables.append(table)
    has_number = header[0].strip().startswith("№") or "п/п" in header[0] or not header[0].strip()

    row_cells: list[str] = []
    row_lines: list[int] = []
    prev_number: int | None = None
    saw_blank = False

    def flush() -> None:
        nonlocal row_cells, row_lines
        if row_cells:
            table.rows.append(RawRow(cells=row_cells, line=row_lines[0], lines=row_lines))
        row_cells, row_lines = [], []

    j = header_at + len(header_tokens)
    while j < len(tokens):
        tok = tokens[j]
        if tok[0] == "blank":
            saw_blank = True
            j += 1
            continue
        if tok[0] == "para":
            flush()
            table.rows.append(
                RawRow(
                    cells=[tok[1]],
                    line=tok[2],
                    kind="paragraph",
                    after_break=saw_blank,
                    before_break=j + 1 >= len(tokens) or tokens[j + 1][0] == "blank",
                )
            )
            saw_blank = False
            j += 1
            continue
        text_cell, cell_lines = tok[1], tok[2]
        run = run_id[j]
        single_run = run_len[run] == 1
        number = parse_number(text_cell)
        if not row_cells:
            is_heading = False
            if has_number and number is None and single_run and text_cell:
                is_heading = True
            elif not has_number and single_run:
                nxt = j + 1
                while nxt < len(tokens) and tokens[nxt][0] == "blank":
                    nxt += 1
                is_heading = nxt < len(tokens) and tokens[nxt][0] == "cell" and run_len[run_id[nxt]] >= 2
            if is_heading:
                table.rows.append(
                    RawRow(cells=[text_cell] + [""] * (width - 1), line=cell_lines[0], lines=list(cell_lines))
                )
                saw_blank = False
                j += 1
                continue
        elif (
            has_number
            and number is not None
            and saw_blank
            and len(row_cells) >= 2
            and prev_number is not None
            and number[1][0] == prev_number + 1
        ):
            flush()  # a short row: the next numbered row starts here
        if not row_cells and has_number and number is not None:
            prev_number = number[1][0]
        row_cells.append(text_cell)
        row_lines.extend(cell_lines)
        saw_blank = False
        if len(row_cells) == width:
            flush()
        j += 1
    flush()
    # trailing text after the last row
    while table.rows and table.rows[-1].kind == "paragraph":
        row = table.rows.pop()
        doc.trailer.insert(0, (row.line, row.cells[0]))
    return doc


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------


_ROMAN_DIGITS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_RU_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN_DIGITS:
        while n >= value:
            out += digits
            n -= value
    return out


def _format_counter(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("russianLower", "russianUpper"):
        letter = _RU_LETTERS[(n - 1) % len(_RU_LETTERS)]
        return letter.upper() if fmt == "russianUpper" else letter
    return str(n)


class _WordNumbering:
    """Word's automatic list numbering (w:numPr): the numbers a reader sees in Word but that are
    not in the text of the paragraphs — item numbers in the «№» column of many plans.

    As Word counts: the lists (w:num) of one definition (w:abstractNum) share their counters, so a second
    table of the same list continues «4, 5, 6»; a list with «начать заново» (w:lvlOverride/w:startOverride)
    restarts the level at its first paragraph; a level redefined in the override (w:lvl) uses its own format.
    A list without a definition, or one defined only by a numbering style, is numbered «1.», «1.1.» and said
    to be unsure (the document gets a warning)."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[int, dict[int, tuple[str, str, int]]] = {}
        self.list_of: dict[int, str] = {}  # num id → the definition whose counters it shares
        self.restarts: dict[int, dict[int, int]] = {}  # num id → level → start, applied at its first paragraph
        self.started: set[int] = set()
        self.counters: dict[str, list[int]] = {}
        self.used = False
        self.unsure = False
        try:
            element = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in element.findall(qn("w:abstractNum"))}
        for num in element.findall(qn("w:num")):
            num_id = int(num.get(qn("w:numId")))
            ref = num.find(qn("w:abstractNumId"))
            abstract_id = ref.get(qn("w:val")) if ref is not None else None
            definition = abstract.get(abstract_id)
            defined = definition.findall(qn("w:lvl")) if definition is not None else []
            levels = dict(self._level(lvl) for lvl in defined)
            if not levels:  # no definition, or a numbering style (w:numStyleLink) this reader does not follow
                self.unsure = True
            restarts: dict[int, int] = {}
            for override in num.findall(qn("w:lvlOverride")):
                level = int(override.get(qn("w:ilvl"), "0"))
                redefined = override.find(qn("w:lvl"))
                if redefined is not None:
                    levels[level] = self._level(redefined)[1]
                    restarts[level] = levels[level][2]
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    restarts[level] = int(start.get(qn("w:val"), "1"))
            self.levels[num_id] = levels
            self.list_of[num_id] = abstract_id if definition is not None else f"num:{num_id}"
            self.restarts[num_id] = restarts

    def _level(self, lvl) -> tuple[int, tuple[str, str, int]]:
        qn = self.qn
        fmt = lvl.find(qn("w:numFmt"))
        text = lvl.find(qn("w:lvlText"))
        start = lvl.find(qn("w:start"))
        return int(lvl.get(qn("w:ilvl"), "0")), (
            fmt.get(qn("w:val")) if fmt is not None else "decimal",
            text.get(qn("w:val")) if text is not None else "",
            int(start.get(qn("w:val"))) if start is not None else 1,
        )

    def label(self, p) -> str | None:
        """The number Word shows before paragraph ``p`` (a CT_P), advancing the counters."""
        p_pr = p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        num_id = int(num_pr.numId.val)
        level = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        if num_id == 0 or not 0 <= level < 9:
            return None
        levels = self.levels.get(num_id)
        if levels is None:  # a list without a definition: numbered «1.», «1.1.» as Word's default
            self.unsure = True
            levels = {}
        default = ("decimal", "".join(f"%{k + 1}." for k in range(level + 1)), 1)
        fmt, text, start = levels.get(level, default)
        counters = self.counters.setdefault(self.list_of.get(num_id, f"num:{num_id}"), [0] * 9)
        restart = self.restarts.get(num_id, {})
        if num_id not in self.started:  # «начать заново»: the overridden levels restart here
            self.started.add(num_id)
            for restarted in restart:
                counters[restarted] = 0
        counters[level] = counters[level] + 1 if counters[level] else restart.get(level, start)
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none") or not text:
            return None
        self.used = True

        def value(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(k, ("decimal", "", 1))
            return _format_counter(counters[k] or restart.get(k, lvl_start), lvl_fmt)

        return re.sub(r"%([1-9])", value, text)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Wrappers Word puts around paragraphs and tables (content controls, custom XML): read through them.
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}
# Text that Word does not show as the paragraph's: tracked deletions and moves away, text boxes.
_NOT_SHOWN = {_W + "del", _W + "moveFrom", _W + "txbxContent"}
_TRACKED = {_W + "ins", _W + "del", _W + "moveFrom", _W + "moveTo"}


def _docx_blocks(parent):
    """The paragraphs and tables of a body or a cell in order, inside content controls too (python-docx
    skips what a w:sdt wraps: a plan table or an item's text in a form field vanished)."""
    for child in parent:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _docx_blocks(child)


def _shown_runs(p) -> list:
    """The runs of paragraph ``p`` that Word shows: inserted text counts, deleted text does not (tracked
    changes as if accepted); runs in hyperlinks, fields and content controls count."""
    runs = []
    for r in p.iter(_W + "r"):
        ancestor = r.getparent()
        while ancestor is not None and ancestor is not p and ancestor.tag not in _NOT_SHOWN:
            ancestor = ancestor.getparent()
        if ancestor is p:
            runs.append(r)
    return runs


def _run_text(r) -> str:
    out = []
    for child in r:
        if child.tag == _W + "t":
            out.append(child.text or "")
        elif child.tag == _W + "tab":
            out.append("\t")
        elif child.tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif child.tag == _W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _docx_paragraph(p, numbering: _WordNumbering | None) -> tuple[str, bool]:
    """A paragraph's text as Word shows it (with its list number) and whether all its text is bold."""
    from docx.text.run import Run

    runs = [(r, _run_text(r)) for r in _shown_runs(p)]
    text = "".join(t for _r, t in runs)
    label = numbering.label(p) if numbering is not None else None
    text = f"{label} {text}".strip() if label else text
    shown = [r for r, t in runs if t.strip()]
    return text, bool(shown) and all(Run(r, None).bold for r in shown)


def _docx_cell_text(tc, numbering: _WordNumbering | None = None) -> tuple[str, bool]:
    """A cell's text: its paragraphs, and a table nested in it one line per row («этап | срок»)."""
    paragraphs: list[tuple[str, bool]] = []
    for block in _docx_blocks(tc):
        if block.tag == _W + "p":
            paragraphs.append(_docx_paragraph(block, numbering))
            continue
        for tr in block.findall(_W + "tr"):
            cells = [_docx_cell_text(cell, numbering) for cell in tr.findall(_W + "tc")]
            line = " | ".join(t.replace("\n", " ") for t, _b in cells if t)
            paragraphs.append((line, bool(cells) and all(b for t, b in cells if t)))
    text = "\n".join(t for t, _b in paragraphs).strip()
    texts = [b for t, b in paragraphs if t.strip()]
    return text, bool(texts) and all(texts)


def _docx_row(row, numbering: _WordNumbering | None = None) -> tuple[list[str], list[int], set[int], bool]:
    cells: list[str] = []
    spans: list[int] = []
    vmerged: set[int] = set()
    bold_cells: list[bool] = []
    for _ in range(row.grid_cols_before or 0):
        cells.append("")
        spans.append(1)
    for tc in row._tr.tc_lst:
        span = tc.grid_span or 1
        text, bold = _docx_cell_text(tc, numbering)
        if tc.vMerge == "continue":
            vmerged.add(len(cells))
            text = ""
        if text:
            bold_cells.append(bold)
        cells.append(text)
        spans.append(span)
        for _ in range(span - 1):
            cells.append("")
            spans.append(0)
    for _ in range(row.grid_cols_after or 0):
        cells.append("")
        spans.append(1)
    return cells, spans, vmerged, bool(bold_cells) and all(bold_cells)


_SECTION_LEAD_RE = re.compile(r"^\s*(?:раздел\s+)?(?:[IVXLC]+|\d{1,2})\s*[.)]?\s+[А-ЯЁA-Z]", re.IGNORECASE)
_SECTION_LEAD_STOP_RE = re.compile(
    r"приказ|утвержд|приложение|\d{2}\.\d{2}\.\d{4}|^\W*\w+\W+(?:план|дорожн|график)", re.IGNORECASE
)


def _section_lead(preamble: list[tuple[int, str]], table_line: int) -> tuple[int, str] | None:
    """The paragraph directly above the first plan table when it is a numbered section heading
    («I. Нормативное правовое обеспечение», «Раздел 1. …»), else None."""
    if not preamble:
        return None
    line, text = preamble[-1]
    if line != table_line or len(text) > 300:
        return None
    if not _SECTION_LEAD_RE.match(text) or _SECTION_LEAD_STOP_RE.search(text):
        return None
    return preamble[-1]


def _mark_headings(rows: list[RawRow]) -> None:
    """Paragraphs between two tables of one plan are headings of the rows that follow."""
    for row in reversed(rows):
        if row.kind != "paragraph":
            break
        if len(row.cells[0]) <= 300:
            row.heading = True


def read_docx(data: bytes) -> RawDocument:
    try:
        import docx  # python-docx
        from docx.table import Table
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise PlanReadError("Чтение файлов Word недоступно: не установлен python-docx.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file
        raise PlanReadError("Файл Word повреждён или не читается.") from exc

    doc = RawDocument(format="docx", tables=[])
    line = 0
    current: RawTable | None = None
    current_width = 0
    saw_table = False
    pending_break = False
    orphan_tables: list[RawTable] = []
    all_rows: list[RawRow] = []
    blank: list[bool] = [True]
    numbering = _WordNumbering(document)

    body_element = document.element.body
    for element in _docx_blocks(body_element):
        if element.tag == _W + "p":
            line += 1
            text, bold = _docx_paragraph(element, numbering)
            text = text.strip()
            blank.append(not text)
            if not text:
                pending_break = True
                continue
            if current is None:
                doc.preamble.append((line, text))
            else:
                row = RawRow(cells=[text], line=line, kind="paragraph", after_break=pending_break, bold=bold)
                current.rows.append(row)
                all_rows.append(row)
            pending_break = False
            continue
        block = Table(element, document._body)
        saw_table = True
        rows = []
        for tr in block.rows:
            line += 1
            blank.append(False)
            cells, spans, vmerged, bold = _docx_row(tr, numbering)
            rows.append((line, cells, spans, vmerged, bold))
        header_index = next((k for k, r in enumerate(rows) if is_plan_header(r[1])), None)
        if header_index is not None:
            header_line, header, *_ = rows[header_index]
            new = RawTable(header=header, header_line=header_line)
            same = (
                current is not None
                and current.header is not None
                and [c.strip() for c in header] == [c.strip() for c in current.header]
            )
            if current is not None and same:
                # one table per section under the same header: the paragraphs between the tables are
                # the headings of what follows (a table given twice is still found a duplicate)
                moved = []
                while current.rows and current.rows[-1].kind == "paragraph":
                    moved.insert(0, current.rows.pop())
                _mark_headings(moved)
                new.rows.extend(moved)
            elif current is not None:
                while current.rows and current.rows[-1].kind == "paragraph":
                    row = current.rows.pop()
                    new.preamble.insert(0, (row.line, row.cells[0]))
            else:
                doc.preamble.extend(
                    (ln, " ".join(c for c in cells if c)) for ln, cells, *_ in rows[:header_index] if any(cells)
                )
                # «I. Нормативное обеспечение» right above the first table: the first section's heading
                lead = _section_lead(doc.preamble, line - len(rows))
                if lead is not None:
                    doc.preamble.remove(lead)
                    new.rows.append(RawRow(cells=[lead[1]], line=lead[0], kind="paragraph", heading=True))
            current = new
            current_width = len(header)
            doc.tables.append(new)
            body = rows[header_index + 1 :]
        elif current is not None and rows and len(rows[0][1]) == current_width:
            body = rows  # a table split in two: continue the plan table
        else:
            side = RawTable(header=None, header_line=None, name="side")
            side.rows = [RawRow(cells=c, line=ln) for ln, c, *_ in rows]
            doc.side_tables.append(side)
            orphan_tables.append(side)
            if current is None:
                # a stamp laid out in a borderless table («СОГЛАСОВАНО | УТВЕРЖДЕНО приказом …»):
                # its text is part of the preamble the approval and the title are read from
                for ln, cells, *_ in rows:
                    for cell in dict.fromkeys(c for c in cells if c):
                        doc.preamble.extend((ln, part.strip()) for part in cell.split("\n") if part.strip())
            continue
        for k, (ln, cells, spans, vmerged, bold) in enumerate(body):
            row = RawRow(
                cells=cells, line=ln, spans=spans, vmerged=vmerged, bold=bold, after_break=pending_break and k == 0
            )
            current.rows.append(row)
            all_rows.append(row)
        pending_break = False

    if not saw_table:
        raise PlanReadError("В документе Word нет таблиц: план мероприятий должен быть оформлен таблицей.")
    if any(el.tag in _TRACKED for el in body_element.iter()):
        doc.notes.append(
            Finding(
                "tracked_changes",
                "В документе есть непринятые исправления (режим рецензирования): текст прочитан так, как если бы "
                "они были приняты — вставленное учтено, удалённое нет. Сверьте сроки и исполнителей с документом "
                "или примите исправления в Word и загрузите его заново.",
                "warning",
            )
        )
    if numbering.used:
        doc.notes.append(
            Finding(
                "word_auto_numbers",
                "Номера пунктов заданы автонумерацией Word (их нет в тексте ячеек): они восстановлены "
                "по порядку, как их показывает Word"
                + (
                    ", но в документе есть перезапуски или нестандартные списки — номера могут не совпасть; "
                    "сверьте нумерацию с документом."
                    if numbering.unsure
                    else "; сверьте нумерацию с документом."
                ),
                "warning" if numbering.unsure else "info",
            )
        )
    if current is not None:
        # text after the last table (signatures, «Принятые сокращения: …») is not a section
        while current.rows and current.rows[-1].kind == "paragraph":
            row = current.rows.pop()
            all_rows.remove(row)
            doc.trailer.insert(0, (row.line, row.cells[0]))
    if not doc.tables:
        # no recognisable header: take the biggest table and guess the columns
        biggest = max(orphan_tables, key=lambda t: len(t.rows), default=None)
        if biggest is None or len(biggest.rows) < 2 or max(len([c for c in r.cells if c]) for r in biggest.rows) < 2:
            raise PlanReadError("В документе Word не найдена таблица плана мероприятий.")
        doc.side_tables.remove(biggest)
        doc.tables.append(biggest)
        doc.notes.append(
            Finding(
                "no_header",
                "У таблицы нет строки заголовка; назначение столбцов определено по содержимому.",
                "warning",
                biggest.rows[0].line,
            )
        )
    _set_breaks(all_rows, blank)
    return doc


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def _xlsx_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.hour or value.minute:
            return value.strftime("%d.%m.%Y %H:%M")
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_float_numbers(grid: list[list[str]], raw_values: list[tuple], header_row: int, notes: list[Finding]) -> None:
    """Item numbers typed into Excel as numbers: 1.10 is stored as the float 1.1, 1.20 as 1.2.
    A float number is read as written unless the order of the items says it is the next number
    after «1.9» («1.1» -> «1.10»); every number read from a float with a fraction is reported."""
    from .structure import ROLE_NUMBER, header_roles

    roles = header_roles(grid[header_row])
    if ROLE_NUMBER not in roles:
        return
    col = roles.index(ROLE_NUMBER)
    previous: tuple[int, int] | None = None
    for i in range(header_row + 1, len(grid)):
        value = raw_values[i][col] if col < len(raw_values[i]) else None
        if not isinstance(value, float) or value.is_integer():
            parsed = parse_number(grid[i][col]) if grid[i][col] else None
            if parsed and len(parsed[1]) == 2:
                previous = parsed[1]
            elif parsed:
                previous = None
            continue
        text = repr(value)
        head, _, tail = text.partition(".")
        if previous is not None and previous[0] == int(head) and str(previous[1] + 1) == tail + "0":
            tail += "0"
            grid[i][col] = f"{head}.{tail}"
            notes.append(
                Finding(
                    "float_number",
                    f"Строка {i + 1}: номер пункта записан в Excel числом {text.replace('.', ',')} — так же "
                    f"Excel хранит и {head},{tail}; по порядку пунктов (после {previous[0]}.{previous[1]}) "
                    f"прочитан как «{head}.{tail}». Проверьте.",
                    "warning",
                    i + 1,
                )
            )
        elif not any(n.code == "float_numbers" for n in notes):
            notes.append(
                Finding(
                    "float_numbers",
                    "Номера пунктов записаны в Excel числами (1,1; 1,2 …): число не хранит нули в конце "
                    "(1,10 и 1,1 — одно и то же), номера прочитаны по порядку строк. Проверьте нумерацию; "
                    "надёжнее хранить номера как текст.",
                    "warning",
                    i + 1,
                )
            )
        previous = (int(head), int(tail))


_SERIAL_MIN, _SERIAL_MAX = 36526, 73051  # Excel day numbers of 01.01.2000 and 01.01.2100


def _xlsx_serial_dates(grid: list[list[str]], raw_values: list[tuple], header_row: int, notes: list[Finding]) -> None:
    """A date in a cell formatted «Общий» is its Excel day number (45931 = 01.10.2025): in a
    deadline / start / end column such a number is read as the date it stands for, and said so."""
    from openpyxl.utils.datetime import from_excel

    from .structure import ROLE_DEADLINE, ROLE_END, ROLE_START, header_roles

    roles = header_roles(grid[header_row])
    columns = [i for i, r in enumerate(roles) if r in (ROLE_DEADLINE, ROLE_START, ROLE_END)]
    converted: list[int] = []
    for i in range(header_row + 1, len(grid)):
        for col in columns:
            value = raw_values[i][col] if col < len(raw_values[i]) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool) and _SERIAL_MIN <= value < _SERIAL_MAX:
                grid[i][col] = _xlsx_value(from_excel(value))
                converted.append(i + 1)
    if converted:
        listed = _rows_listed(converted)
        notes.append(
            Finding(
                "serial_dates",
                f"В строках {listed} сроки записаны числами (формат ячейки «Общий»): они прочитаны как "
                "даты Excel (45931 = 01.10.2025). Проверьте.",
                "warning",
                converted[0],
            )
        )


def _rows_listed(rows: Sequence[int | str]) -> str:
    """«3, 5, 8», «C4, C5» — the first ten rows or cells of a finding, «…» when there are more."""
    return ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")


def _xlsx_hidden(sheet, grid: list[list[str]], header_row: int, notes: list[Finding]) -> None:
    """Hidden rows and columns of the plan sheet are read like the others, and said so."""
    from openpyxl.utils import get_column_letter

    hidden_rows = [
        i + 1 for i in range(header_row + 1, len(grid)) if any(grid[i]) and sheet.row_dimensions[i + 1].hidden
    ]
    if hidden_rows:
        listed = _rows_listed(hidden_rows)
        notes.append(
            Finding(
                "hidden_rows",
                f"В листе «{sheet.title}» скрыты строки {listed}; они импортированы как остальные — "
                "проверьте, действуют ли эти мероприятия.",
                "warning",
                hidden_rows[0],
            )
        )
    width = len(grid[header_row])
    hidden_cols = [
        c
        for c in range(width)
        if sheet.column_dimensions[get_column_letter(c + 1)].hidden and any(r[c] for r in grid[header_row:])
    ]
    if hidden_cols:
        names = ", ".join(f"«{grid[header_row][c] or get_column_letter(c + 1)}»" for c in hidden_cols)
        notes.append(
            Finding(
                "hidden_columns",
                f"В листе «{sheet.title}» скрыты столбцы {names}; их содержимое прочитано.",
                "info",
                header_row + 1,
            )
        )


def _xlsx_formula_book(data: bytes):
    """The workbook with its formulas, when a sheet has any (``None`` otherwise: one load is enough)."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if not any(
                name.startswith("xl/worksheets/") and b"<f" in archive.read(name) for name in archive.namelist()
            ):
                return None
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # noqa: BLE001 - the values' workbook opened; formulas are a bonus
        return None


def _xlsx_uncached(formulas, sheet, grid: list[list[str]], cells: list[str]) -> None:
    """Formulas with no saved value (a file written by a program, not saved by Excel) read as empty cells, and
    an empty deadline is inherited from the row above — silently wrong. Their text is kept instead (so the
    cell says what it is) and the cells are listed."""
    from openpyxl.utils import get_column_letter

    if formulas is None or sheet.title not in formulas.sheetnames:
        return
    source = formulas[sheet.title]
    for i, row in enumerate(grid):
        for j, text in enumerate(row):
            if text:
                continue
            value = source.cell(row=i + 1, column=j + 1).value
            formula = getattr(value, "text", value)  # an array formula keeps its text in ``.text``
            if isinstance(formula, str) and formula.startswith("="):
                row[j] = formula
                cells.append(f"{get_column_letter(j + 1)}{i + 1}")


def read_xlsx(data: bytes) -> RawDocument:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise PlanReadError("Чтение файлов Excel недоступно: не установлен openpyxl.") from exc
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise PlanReadError("Файл Excel повреждён или не читается.") from exc

    doc = RawDocument(format="xlsx", tables=[])
    candidates: list[RawTable] = []
    sheet_texts: list[tuple[int, str]] = []  # text of the sheets before the plan (a title sheet)
    formulas = _xlsx_formula_book(data)
    uncached: list[str] = []
    for sheet in workbook.worksheets:
        grid: list[list[str]] = []
        raw_values: list[tuple] = []
        for values in sheet.iter_rows(values_only=True):
            raw_values.append(values)
            grid.append([_xlsx_value(v) for v in values])
        if not grid:
            continue
        _xlsx_uncached(formulas, sheet, grid, uncached)
        width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in grid), default=0)
        if width == 0:
            continue
        grid = [(r + [""] * width)[:width] for r in grid]
        spans: dict[int, list[int]] = {}
        vmerged: dict[int, set[int]] = {}
        for rng in sheet.merged_cells.ranges:
            r0, c0, r1, c1 = rng.min_row, rng.min_col, rng.max_row, rng.max_col
            if c0 > width:
                continue
            for r in range(r0, r1 + 1):
                row_spans = spans.setdefault(r, [1] * width)
                if c1 > c0:
                    row_spans[c0 - 1] = min(c1, width) - c0 + 1
                    for c in range(c0, min(c1, width)):
                        row_spans[c] = 0
                if r > r0:
                    vmerged.setdefault(r, set()).add(c0 - 1)
        header_row = next((i for i, r in enumerate(grid) if is_plan_header(r)), None)
        start = header_row + 1 if header_row is not None else 0
        if header_row is not None:
            _xlsx_float_numbers(grid, raw_values, header_row, doc.notes)
            _xlsx_serial_dates(grid, raw_values, header_row, doc.notes)
            _xlsx_hidden(sheet, grid, header_row, doc.notes)
        table = RawTable(
            header=grid[header_row] if header_row is not None else None,
            header_line=header_row + 1 if header_row is not None else None,
            name=sheet.title,
        )
        if header_row is not None and not doc.tables:
            doc.preamble.extend(sheet_texts)
            doc.preamble.extend((i + 1, " ".join(c for c in grid[i] if c)) for i in range(header_row) if any(grid[i]))
        pending_break = False
        for i in range(start, len(grid)):
            cells = grid[i]
            if not any(cells):
                pending_break = True
                continue
            table.rows.append(
                RawRow(
                    cells=cells,
                    line=i + 1,
                    spans=spans.get(i + 1),
                    vmerged=vmerged.get(i + 1, set()),
                    after_break=pending_break,
                )
            )
            pending_break = False
        for k, row in enumerate(table.rows):
            nxt = table.rows[k + 1].line if k + 1 < len(table.rows) else None
            row.before_break = nxt is None or nxt > row.line + 1
        if header_row is not None:
            doc.tables.append(table)
            continue
        if sum(1 for r in table.rows if len([c for c in r.cells if c]) >= 2) >= 2:
            candidates.append(table)
        if not doc.tables:
            # a title sheet («УТВЕРЖДЕН приказом …», the plan's name) before the plan sheet
            sheet_texts.extend((i + 1, " ".join(c for c in r if c)) for i, r in enumerate(grid) if any(r))
        else:
            # a sheet after the plan: abbreviations, notes
            table.name = table.name or "side"
            doc.side_tables.append(table)
    if len(doc.tables) >= 2:
        # one sheet per part of the plan («ГИА-9», «ГИА-11»): each sheet is a section named by its tab
        for table in doc.tables:
            line = table.header_line or 1
            table.rows.insert(0, RawRow(cells=[table.name or ""], line=line, kind="paragraph", heading=True))
    if not doc.tables:
        if not candidates:
            raise PlanReadError("В файле Excel не найдена таблица плана мероприятий.")
        biggest = max(candidates, key=lambda t: len(t.rows))
        doc.tables.append(biggest)
        doc.notes.append(
            Finding(
                "no_header",
                "У таблицы нет строки заголовка; назначение столбцов определено по содержимому.",
                "warning",
                biggest.rows[0].line,
            )
        )
    if uncached:
        listed = _rows_listed(uncached)
        doc.notes.append(
            Finding(
                "uncached_formulas",
                f"В ячейках {listed} формулы без сохранённых значений (файл создан программой и не сохранялся в "
                "Excel): вместо значений показаны сами формулы, сроки и номера в этих ячейках не прочитаны. "
                "Откройте файл в Excel или LibreOffice, сохраните и загрузите заново.",
                "warning",
            )
        )
    return doc


# ---------------------------------------------------------------------------
# PDF (text layer)
# ---------------------------------------------------------------------------

MAX_PDF_PAGES = 200


def read_pdf(data: bytes) -> RawDocument:
    """A PDF with a text layer: ruled tables by pdfplumber, page by page; a page without
    ruled tables is read as text aligned with spaces (``fixed``).  A PDF without any text
    is a scan: refused with a message that says so."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise PlanReadError("Чтение PDF недоступно: не установлен pdfplumber.") from exc
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file
        raise PlanReadError("Файл PDF повреждён или не читается.") from exc
    try:
        grid, text_pages = _pdf_grid(pdf)
    except PlanReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - a page pdfminer cannot read: a damaged file
        raise PlanReadError("Файл PDF повреждён: не удалось прочитать текст страниц.") from exc
    if not any(isinstance(r, list) for r in grid.rows):
        text = "\n\f".join(text_pages)
        doc = read_text_layout(text, text_shape(text) or "fixed")
        doc.format = "pdf"
        doc.layout = ["pdf", *doc.layout]
        return doc
    return _assemble(grid, "pdf")


_HTML_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype\s+html|^\s*<html", re.IGNORECASE | re.DOTALL
)
_HTML_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "br", "title"}


class _HtmlGrid(HTMLParser):
    """A web page («Сохранить как… веб-страница» from Word, a page of the ministry's site): the rows of its
    tables as cells, the text around them as lines. A table nested in a cell is that cell's text, one line
    per row; a cell spanning columns is followed by empty cells, as in Word and Excel."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.grid = Grid(layout="html")
        self.line = 0
        self.depth = 0  # tables open
        self.skip = 0  # inside <script>, <style>, <head>
        self.text: list[str] = []  # text outside the tables
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1

    def _flush_text(self) -> None:
        for part in "".join(self.text).split("\n"):
            part = re.sub(r"\s+", " ", part).strip()
            if part:
                self.line += 1
                self.grid.add(part, [self.line])
        self.text = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag == "table":
            if self.depth == 0:
                self._flush_text()
            elif self.cell is not None:
                self.cell.append("\n")
            self.depth += 1
        elif self.depth > 1 and self.cell is not None and tag in ("tr", "td", "th"):
            # a nested table: a line per row, its cells «ППЭ | март 2026»
            if tag == "tr":
                self.cell.append("\n")
            elif "".join(self.cell).rsplit("\n", 1)[-1].strip():
                self.cell.append(" | ")
        elif self.depth == 1 and tag == "tr":
            self.row = []
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = []
            span = dict(attrs).get("colspan") or "1"
            self.span = min(int(span), 50) if span.isdigit() and int(span) > 0 else 1
        elif tag in _HTML_BLOCKS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag == "table":
            self.depth = max(0, self.depth - 1)
            if self.depth == 0:
                self.line += 1
                self.grid.add(None, [self.line])  # the end of a table
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            if self.row is None:
                self.row = []
            lines = [re.sub(r"\s+", " ", part).strip() for part in "".join(self.cell).split("\n")]
            self.row.append(clean_cell("\n".join(part for part in lines if part)))
            self.row.extend([""] * (self.span - 1))
            self.cell = None
        elif self.depth == 1 and tag == "tr" and self.row is not None:
            if any(self.row):
                self.line += 1
                self.grid.add(self.row, [self.line])
            self.row = None
        elif tag in _HTML_BLOCKS:
            self._newline()

    def _newline(self) -> None:
        target = self.cell if self.depth and self.cell is not None else self.text if not self.depth else None
        if target is not None:
            target.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.depth and self.cell is not None:
            self.cell.append(data)
        elif not self.depth:
            self.text.append(data)


def read_html(data: bytes) -> RawDocument:
    parser = _HtmlGrid()
    parser.feed(decode_text(data))
    parser.close()
    parser._flush_text()
    if not any(isinstance(r, list) for r in parser.grid.rows):
        raise PlanReadError(
            "На веб-странице нет таблиц: план мероприятий должен быть оформлен таблицей. Скопируйте текст плана "
            "или сохраните его как .docx."
        )
    return _assemble(parser.grid, "html")


def _pdf_grid(pdf) -> tuple[Grid, list[str]]:
    with pdf:
        pages = pdf.pages
        if len(pages) > MAX_PDF_PAGES:
            raise PlanReadError(f"В PDF {len(pages)} страниц; план длиннее {MAX_PDF_PAGES} страниц не читается.")
        grid = Grid(layout="pdf")
        any_text = False
        line = 0
        text_pages: list[str] = []
        for number, page in enumerate(pages, 1):
            words = page.extract_words()
            if not words:
                continue
            any_text = True
            tables = page.find_tables()
            if not tables:
                # no ruled table: the text laid out in characters of the page's own width, so that
                # the columns stay aligned with spaces (read as ``fixed``)
                widths = sorted(ch["x1"] - ch["x0"] for ch in page.chars if ch["text"].strip())
                heights = sorted(ch["bottom"] - ch["top"] for ch in page.chars if ch["text"].strip())
                x_density = widths[len(widths) // 2] if widths else 7.25
                y_density = heights[len(heights) // 2] * 1.3 if heights else 13
                text = page.extract_text(layout=True, x_density=x_density, y_density=y_density) or ""
                text_pages.append(textwrap.dedent("\n".join(ln.rstrip() for ln in text.split("\n"))))
                continue
            top = 0.0
            for table in sorted(tables, key=lambda t: t.bbox[1]):
                above = page.crop((0, top, page.width, max(top, table.bbox[1]))).extract_text() or ""
                for text_line in above.split("\n"):
                    line += 1
                    grid.add(text_line.strip() or None, [line])
                for row in table.extract():
                    line += 1
                    cells = [clean_cell(unwrap(c or "")) for c in row]
                    grid.add(cells, [line])
                top = table.bbox[3]
            below = page.crop((0, top, page.width, page.height)).extract_text() or ""
            for text_line in below.split("\n"):
                line += 1
                grid.add(text_line.strip() or None, [line])
            grid.add(None, [line])  # a page break
            del number
        if not any_text:
            raise PlanReadError(
                "Это скан: в PDF нет текстового слоя, только изображения страниц. Распознавание "
                "сканов не поддерживается — загрузите исходный документ (Word, Excel) или PDF, "
                "сохранённый из Word (с текстом)."
            )
    return grid, text_pages


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def read_raw(data: bytes, format: str = "auto", filename: str | None = None) -> RawDocument:
    """Read the table rows of a document without structuring them."""
    fmt = detect_format(data, filename) if format == "auto" else format
    if fmt not in FORMATS:
        raise PlanReadError(f"Неизвестный формат «{fmt}». Допустимые: {', '.join(FORMATS)}.")
    if fmt == "docx":
        return read_docx(data)
    if fmt == "xlsx":
        return read_xlsx(data)
    if fmt == "pdf":
        return read_pdf(data)
    if fmt == "html":
        return read_html(data)
    if not data or not data.strip():
        raise PlanReadError("Файл пуст.")
    if data.startswith((b"%PDF", b"PK\x03\x04")):
        raise PlanReadError(
            f"Формат «{fmt}» — текстовый, а загружен файл PDF/Office. Оставьте определение формата автоматическим."
        )
    text = decode_text(data)
    if fmt == "cells":
        return read_cells(text)
    return read_text_layout(text, fmt)


def _load(source: Any, filename: str | None) -> tuple[bytes, str | None]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), filename
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            return path.read_bytes(), filename or path.name
        except FileNotFoundError as exc:
            raise PlanReadError(f"Файл «{path}» не найден.") from exc
        except OSError as exc:
            raise PlanReadError(f"Не удалось прочитать файл «{path}»: {exc.strerror}.") from exc
    if hasattr(source, "read"):
        stream: BinaryIO = source
        data = stream.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, filename or getattr(source, "name", None)
    raise TypeError("read_plan expects bytes, a path or a binary file object")


def read_plan(
    path_or_bytes: Any,
    format: str = "auto",
    filename: str | None = None,
    *,
    resolve: Callable[[str], str | None] | None = None,
    parse_deadline: Callable[[ParsedItem], dict[str, Any] | None] | None = None,
    columns: dict[str, int] | None = None,
    header_lines: set[int] | None = None,
) -> ParsedPlan:
    """Read a plan (roadmap / plan-schedule) into a ``ParsedPlan``.

    ``path_or_bytes``: bytes, a path or a binary file object.
    ``format``: ``"auto"`` or one of ``FORMATS``.
    ``resolve``: optional alias lookup, name -> canonical organisation (or None).
    ``parse_deadline``: optional hook filling ``ParsedItem.deadline``.
    """
    data, name = _load(path_or_bytes, filename)
    if not data or not data.strip():
        raise PlanReadError("Файл пуст.")
    raw = read_raw(data, format, name)
    return build_plan(
        raw,
        resolve=resolve,
        parse_deadline=parse_deadline,
        source_name=Path(name).name if name else None,
        columns=columns,
        header_lines=header_lines,
    )
