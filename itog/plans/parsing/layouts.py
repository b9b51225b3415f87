"""Text layouts a plan arrives in once it was copied out of a PDF, Word or a web page.

Every layout is turned into one normal form, ``Grid``: a list of logical rows,
each either a list of cells (a table row), a string (a paragraph between
table rows) or ``None`` (a blank line), with the physical source lines of
every logical row.  ``readers._assemble`` turns a ``Grid`` into a
``RawDocument``; so all layouts share header search, repeated headers,
preamble and trailer handling.

Layouts (the name is what ``--format`` accepts):

``tab``       cells separated by TAB, one row per line (seeds 001, 002, 004);
``pipe``      ``a | b | c`` rows; ``markdown`` is the same with ``|---|`` rules;
``lines``     one cell per line: rows separated by blank lines, or every cell
              line ends with ``|`` («cell |»), or a line holding only ``|``
              separates cells; cells may be hard-wrapped over several lines
              when ``|`` marks their ends;
``fixed``     columns aligned with spaces (``pdftotext -layout``), cells
              hard-wrapped over several lines;
``plain``     no separators at all: each item starts with its number, the
              deadline is found by its dates and the responsible after it.

Features handled in every text layout: a number standing alone on its line
before the rest of its row; tables split across pages with the header
repeated and page numbers («- 2 -», «Страница 2 из 5») or form feeds between
the pages; cells holding only a dash are empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .structure import MONTH_RE, is_plan_header, looks_like_actor, parse_number


@dataclass
class Grid:
    rows: list = field(default_factory=list)  # list[str] (cells) | str (paragraph) | None (blank)
    lines: list[list[int]] = field(default_factory=list)
    layout: str = "tab"
    features: list[str] = field(default_factory=list)

    def add(self, row, lines: list[int]) -> None:
        self.rows.append(row)
        self.lines.append(list(lines))


_DASH_CELL_RE = re.compile(r"^\s*[-–—]+\s*$")
_PAGE_RE = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,3}\s*[-–—]|(?:стр\.?|страница|лист)\s*\d{1,3}(?:\s*(?:из|/)\s*\d{1,3})?"
    r"|\d{1,3}\s*(?:из|/)\s*\d{1,3})\s*$",
    re.IGNORECASE,
)
_LONE_NUMBER_RE = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*[.)]?\s*$")
_PIPE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def clean_cell(text: str) -> str:
    return "" if _DASH_CELL_RE.match(text) else text


def split_lines(text: str) -> list[str]:
    """Lines of the text; a form feed (page break) becomes a blank line."""
    return text.replace("\f", "\n\n").split("\n")


# ---------------------------------------------------------------------------
# Line-per-row layouts: tab, pipe/markdown
# ---------------------------------------------------------------------------


def split_pipe(line: str) -> list[str] | None:
    stripped = line.strip()
    if stripped.count("|") < 2 and not (stripped.startswith("|") and stripped.count("|") >= 1):
        return None
    stripped = stripped.removeprefix("|")
    stripped = stripped.removesuffix("|")
    return [c.strip() for c in stripped.split("|")]


def grid_tab(text: str) -> Grid:
    grid = Grid(layout="tab")
    for idx, line in enumerate(split_lines(text), 1):
        if not line.strip():
            grid.add(None, [idx])
        elif "\t" in line:
            grid.add([clean_cell(c) for c in line.split("\t")], [idx])
        else:
            grid.add(line.strip(), [idx])
    return grid


def grid_pipe(text: str, layout: str = "pipe") -> Grid:
    grid = Grid(layout=layout)
    for idx, line in enumerate(split_lines(text), 1):
        if not line.strip():
            grid.add(None, [idx])
            continue
        if _PIPE_RULE_RE.match(line):
            continue
        cells = split_pipe(line)
        if cells is None:
            grid.add(line.strip(), [idx])
        else:
            grid.add([clean_cell(c) for c in cells], [idx])
    return grid


# ---------------------------------------------------------------------------
# One cell per line
# ---------------------------------------------------------------------------


def _cell_tokens(text: str) -> tuple[list, str]:
    """Cells with their lines and blank-line markers: [(text, [lines]) | None]."""
    lines = split_lines(text)
    nonblank = [ln for ln in lines if ln.strip()]
    trailing = sum(1 for ln in nonblank if ln.rstrip().endswith("|") and ln.strip() != "|")
    separate = sum(1 for ln in nonblank if ln.strip() == "|")
    tokens: list = []
    if separate >= max(3, len(nonblank) // 6):
        mode = "separate"
        buf: list[tuple[int, str]] = []
        for idx, line in enumerate(lines, 1):
            s = line.strip()
            if s == "|":
                tokens.append((unwrap("\n".join(t for _, t in buf)), [i for i, _ in buf] or [idx]))
                buf = []
            elif not s:
                if buf:
                    tokens.append(("\n".join(t for _, t in buf), [i for i, _ in buf]))
                    buf = []
                tokens.append(None)
            else:
                buf.append((idx, s))
        if buf:
            tokens.append(("\n".join(t for _, t in buf), [i for i, _ in buf]))
    elif trailing >= max(3, len(nonblank) // 2):
        mode = "trailing"
        buf = []
        for idx, line in enumerate(lines, 1):
            s = line.strip()
            if not s:
                if buf:  # an unterminated cell: keep it
                    tokens.append(("\n".join(t for _, t in buf), [i for i, _ in buf]))
                    buf = []
                tokens.append(None)
            elif s.endswith("|"):
                buf.append((idx, s[:-1].strip()))
                tokens.append((unwrap("\n".join(t for _, t in buf if t)), [i for i, _ in buf]))
                buf = []
            else:
                buf.append((idx, s))
        if buf:
            tokens.append(("\n".join(t for _, t in buf), [i for i, _ in buf]))
    else:
        mode = "blank"
        for idx, line in enumerate(lines, 1):
            s = line.strip()
            tokens.append((s, [idx]) if s else None)
    return tokens, mode


def grid_lines(text: str) -> Grid:
    tokens, mode = _cell_tokens(text)
    grid = Grid(layout="lines", features=[f"cells:{mode}"])
    # blocks of cells between blank lines
    blocks: list[list[tuple[str, list[int]]]] = []
    current: list[tuple[str, list[int]]] = []
    for tok in tokens:
        if tok is None:
            if current:
                blocks.append(current)
                current = []
            blocks.append([])  # blank marker
        else:
            current.append(tok)
    if current:
        blocks.append(current)

    width = 0
    header_found = False
    # one block may also hold preamble lines followed by the header (no blank line between)
    for block in blocks:
        if not block:
            grid.add(None, [])
            continue
        cells = [clean_cell(t) for t, _ in block]
        if not header_found:
            start = _header_start(cells)
            if start is None:
                for t, ln in block:
                    grid.add(t.replace("\n", " "), ln)
                continue
            for t, ln in block[:start]:
                grid.add(t.replace("\n", " "), ln)
            header = cells[start:]
            width = len(header)
            grid.add(header, [i for _, ln in block[start:] for i in ln])
            header_found = True
            continue
        if len(cells) == 1 and width > 1:
            grid.add(cells[0].replace("\n", " "), block[0][1])
            continue
        if is_plan_header(cells):
            width = len(cells)
            grid.add(cells, [i for _, ln in block for i in ln])
            continue
        # rows without blank lines between them: split by the width, a row starting at its number
        for chunk, chunk_lines in _chunks(cells, [ln for _, ln in block], width):
            grid.add(chunk, chunk_lines)
    return _drop_row_separators(grid)


def _drop_row_separators(grid: Grid) -> Grid:
    """In layouts where a blank line merely separates two rows it is not a page break."""
    out = Grid(layout=grid.layout, features=list(grid.features))
    rows = grid.rows
    for k, (row, lines) in enumerate(zip(rows, grid.lines)):
        if row is None:
            prev = next((r for r in reversed(rows[:k]) if r is not None), None)
            nxt = next((r for r in rows[k + 1 :] if r is not None), None)
            if isinstance(prev, list) and isinstance(nxt, list):
                continue
        out.add(row, lines)
    return out


def _header_start(cells: list[str]) -> int | None:
    """Where in this run of cells a plan header starts (it is the tail of the run)."""
    for start in range(len(cells) - 1):
        if is_plan_header(cells[start:]):
            return start
    return None


def _chunks(cells: list[str], lines: list[list[int]], width: int):
    if width <= 1 or len(cells) <= width:
        yield cells, [i for ln in lines for i in ln]
        return
    numbered = parse_number(cells[0]) is not None
    i = 0
    while i < len(cells):
        j = min(len(cells), i + width)
        if numbered:
            # the next row starts at the next number cell
            nxt = next(
                (k for k in range(i + 2, min(len(cells), i + width + 1)) if parse_number(cells[k]) is not None), None
            )
            if nxt is not None and nxt < j:
                j = nxt
        yield cells[i:j], [n for ln in lines[i:j] for n in ln]
        i = j


# ---------------------------------------------------------------------------
# Columns aligned with spaces (pdftotext -layout), hard-wrapped cells
# ---------------------------------------------------------------------------

_GAP_RE = re.compile(r"\S(\s{2,})(?=\S)")


def _boundaries(lines: list[str]) -> list[int]:
    """Column starts: positions where, on the table lines, a run of 2+ spaces ends
    consistently (a cell starts there on many lines and no line has text crossing it)."""
    if not lines:
        return [0]
    length = max(len(ln) for ln in lines)
    occupied = [0] * (length + 1)
    starts = [0] * (length + 1)
    for ln in lines:
        for k, ch in enumerate(ln):
            if not ch.isspace():
                occupied[k] += 1
        for m in re.finditer(r"(?:^|\s{2,})(\S)", ln):
            starts[m.start(1)] += 1
    out = [0]
    for k in range(1, length):
        if (
            starts[k] >= max(2, len(lines) // 8)
            and occupied[k - 1] <= len(lines) // 20
            and (k < 2 or occupied[k - 2] <= len(lines) // 20)
            and k - out[-1] >= 3
        ):
            out.append(k)
    return out


def _cut(line: str, bounds: list[int]) -> list[str]:
    cells = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else len(line)
        cells.append(line[start:end].strip())
    return cells


_HEADER_WORD_RE = re.compile(r"мероприят|наименован|содержан|срок|ответствен|исполнит", re.IGNORECASE)


def _has_gap(line: str) -> bool:
    return bool(_GAP_RE.search(line.strip()))


def grid_fixed(text: str) -> Grid:
    lines = [ln.rstrip() for ln in split_lines(text)]
    grid = Grid(layout="fixed")
    first = next((k for k, ln in enumerate(lines) if _has_gap(ln) and _HEADER_WORD_RE.search(ln)), None)
    if first is None:
        first = next((k for k, ln in enumerate(lines) if _has_gap(ln)), len(lines))
    bounds = _boundaries([ln for ln in lines[first:] if _has_gap(ln)])
    state = "pre"
    header: list[str] = []
    header_lines: list[int] = []
    has_number = False
    pending: list | None = None  # [cells, lines]

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            grid.add(pending[0], pending[1])
            pending = None

    def emit_header() -> None:
        nonlocal has_number, state
        grid.add(list(header), list(header_lines))
        h0 = header[0].strip() if header else ""
        has_number = h0 == "" or h0.startswith("№") or "п/п" in h0.lower() or h0.lower() in ("n", "no", "#")
        state = "body"

    for k, line in enumerate(lines):
        idx = k + 1
        if state == "pre":
            if k >= first and _has_gap(line):
                state = "header"
                header, header_lines = _cut(line, bounds), [idx]
            elif line.strip():
                grid.add(line.strip(), [idx])
            else:
                grid.add(None, [idx])
            continue
        cells = [clean_cell(c) for c in _cut(line, bounds)] if line.strip() else []
        if state == "header":
            if not line.strip():
                emit_header()
                grid.add(None, [idx])
                continue
            if cells and cells[0] and parse_number(cells[0]) is not None:
                emit_header()
            else:
                header = [_wrap(a, b) for a, b in zip(header, cells)]
                header_lines.append(idx)
                continue
        # body
        if not line.strip():
            flush()
            grid.add(None, [idx])
            continue
        if _has_gap(line) and is_plan_header(cells):
            flush()
            state = "header"
            header, header_lines = cells, [idx]
            continue
        indent = len(line) - len(line.lstrip())
        gapless = not _has_gap(line)
        if (
            gapless
            and indent < max(1, bounds[1] if len(bounds) > 1 else 1)
            and (has_number or pending is None and (k + 1 >= len(lines) or not lines[k + 1].strip()))
        ):
            flush()
            grid.add(line.strip(), [idx])
            continue
        starts_row = (bool(cells[0]) and parse_number(cells[0]) is not None) if has_number else pending is None
        if starts_row or pending is None:
            flush()
            pending = [cells, [idx]]
        else:
            pending = [[_wrap(a, b) for a, b in zip(pending[0], cells)], pending[1] + [idx]]
    if state == "header":
        emit_header()
    flush()
    return _drop_row_separators(grid)


def _wrap(a: str, b: str) -> str:
    """Join a hard-wrapped cell line: the line break is not a separator."""
    if not b:
        return a
    if not a:
        return b
    return unwrap(a + "\n" + b)


def unwrap(text: str) -> str:
    """Lines of one hard-wrapped cell joined with spaces (a word hyphenated at the break is glued)."""
    out = ""
    for part in text.split("\n"):
        part = part.strip()
        if not part:
            continue
        if out and re.search(r"[а-яёa-z]-$", out) and part[:1].islower():
            out += part
        else:
            out = f"{out} {part}" if out else part
    return out


# ---------------------------------------------------------------------------
# No separators: numbering plus dates
# ---------------------------------------------------------------------------

_NUM_START_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*[.)]?)\s+(\S.*)$")
_D = r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\s*(?:года|г\.?)?"
_M = MONTH_RE
_DATE_UNIT = (
    r"(?:" + _D + r"|\d{1,2}\s*[-–]?\s*(?:\d{1,2}\s+)?" + _M + r"(?:\s+\d{4}\s*(?:года|г\.?)?)?"
    r"|" + _M + r"(?:\s*[-–]\s*" + _M + r")?\s+\d{4}\s*(?:года|г\.?)?"
    r"|(?:в\s+течение|весь)\s+(?:учебного\s+)?(?:года|периода)|постоянно|ежемесячно|еженедельно|ежегодно"
    r"|по\s+(?:отдельному\s+)?графику|в\s+период\s+(?:проведения\s+)?(?:ГИА|ЕГЭ|ОГЭ|экзаменов))"
)
_DEADLINE_SPAN_RE = re.compile(
    r"(?:(?:до|не\s+позднее|не\s+позже|в\s+срок\s+до|с|по)\s+)?"
    + _DATE_UNIT
    + r"(?:\s*(?:[-–—]|по|до|,|и)\s*(?:до\s+)?"
    + _DATE_UNIT
    + r")*",
    re.IGNORECASE,
)


def split_plain_item(text: str) -> tuple[str, str, str] | None:
    """«Проведение совещания с руководителями МОУО до 15.11.2024 РЦОИ, МОУО» ->
    (activity, deadline, responsible); the deadline is the last date phrase after which
    only an organisation name (or nothing) follows."""
    best = None
    for m in _DEADLINE_SPAN_RE.finditer(text):
        rest = text[m.end() :].strip(" ,;.–—-")
        if m.start() == 0:
            continue
        if rest and not (looks_like_actor(rest) or len(rest) <= 60 and rest[:1].isupper()):
            continue
        best = m
    if best is None:
        return None
    activity = text[: best.start()].strip(" ,;–—-")
    deadline = best.group(0).strip(" ,;")
    responsible = text[best.end() :].strip(" ,;.–—-")
    if not activity:
        return None
    return activity, deadline, responsible


def grid_plain(text: str) -> Grid:
    grid = Grid(layout="plain")
    lines = split_lines(text)
    items: list[tuple[str, str, list[int]]] = []  # (number, text, lines)
    first_item = None
    for idx, line in enumerate(lines, 1):
        s = line.strip()
        m = _NUM_START_RE.match(s)
        if m and (items or _DEADLINE_SPAN_RE.search(s) or _next_has_date(lines, idx)):
            if first_item is None:
                first_item = len(grid.rows)
            items.append((m.group(1), m.group(2), [idx]))
            grid.add(("item", len(items) - 1), [idx])
            continue
        if not s:
            grid.add(None, [idx])
            continue
        if items and grid.rows and isinstance(grid.rows[-1], tuple):
            number, body, ln = items[-1]
            items[-1] = (number, body + " " + s, ln + [idx])
            grid.lines[-1].append(idx)
            continue
        grid.add(s, [idx])
    header_done = False
    out = Grid(layout="plain", features=["columns:inferred"])
    for row, ln in zip(grid.rows, grid.lines):
        if isinstance(row, tuple):
            if not header_done:
                out.add(["№", "Мероприятие", "Срок", "Ответственные"], [])
                header_done = True
            number, body, item_lines = items[row[1]]
            split = split_plain_item(" ".join(body.split()))
            if split is None:
                out.add([number, " ".join(body.split()), "", ""], item_lines)
            else:
                out.add([number, *split], item_lines)
        else:
            out.add(row, ln)
    return out


def _next_has_date(lines: list[str], idx: int) -> bool:
    for line in lines[idx : idx + 3]:
        if _NUM_START_RE.match(line.strip()):
            return False
        if _DEADLINE_SPAN_RE.search(line):
            return True
    return False


# ---------------------------------------------------------------------------
# Pre-pass on any grid: page numbers, lone numbers
# ---------------------------------------------------------------------------


def tidy(grid: Grid) -> Grid:
    """Drop page numbers; join a number standing alone on its line to the row after it."""
    rows, lines = grid.rows, grid.lines
    out = Grid(layout=grid.layout, features=list(grid.features))
    header_key = None
    i = 0
    n = len(rows)

    def next_nonblank(k: int) -> int | None:
        while k < n and rows[k] is None:
            k += 1
        return k if k < n else None

    while i < n:
        row = rows[i]
        if isinstance(row, list) and header_key is None and is_plan_header(row):
            header_key = [c.strip().lower() for c in row]
        if isinstance(row, str) and _PAGE_RE.match(row):
            if "pages" not in out.features:
                out.features.append("pages")
            i += 1
            continue
        if isinstance(row, str) and _LONE_NUMBER_RE.match(row):
            nxt = next_nonblank(i + 1)
            nxt_row = rows[nxt] if nxt is not None else None
            if nxt_row is None or (isinstance(nxt_row, list) and is_plan_header(nxt_row)):
                # a page number before the repeated header or at the very end
                if "pages" not in out.features:
                    out.features.append("pages")
                i += 1
                continue
            if isinstance(nxt_row, list) and nxt_row and parse_number(nxt_row[0]) is None:
                first = nxt_row[0].strip()
                body = nxt_row[1:] if not first else nxt_row
                out.add([row.strip()] + list(body), lines[i] + lines[nxt])
                if "numbers-alone" not in out.features:
                    out.features.append("numbers-alone")
                i = nxt + 1
                continue
        if (
            isinstance(row, list)
            and len(row) >= 1
            and _LONE_NUMBER_RE.match(row[0] or "x")
            and not any(c.strip() for c in row[1:])
        ):
            # «12.\t\t\t» then the row's cells on the next line
            nxt = next_nonblank(i + 1)
            nxt_row = rows[nxt] if nxt is not None else None
            if isinstance(nxt_row, list) and nxt_row and not nxt_row[0].strip() and any(c.strip() for c in nxt_row[1:]):
                out.add([row[0].strip()] + list(nxt_row[1:]), lines[i] + lines[nxt])
                if "numbers-alone" not in out.features:
                    out.features.append("numbers-alone")
                i = nxt + 1
                continue
        out.add(row, lines[i])
        i += 1
    if header_key is not None:
        repeats = sum(1 for r in out.rows if isinstance(r, list) and [c.strip().lower() for c in r] == header_key)
        if repeats > 1 and "pages" not in out.features:
            out.features.append("pages")
    return out


# ---------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------


def text_shape(text: str) -> str | None:
    lines = split_lines(text)
    tab_multi = cell_lines = pipe_multi = md_rules = lone_pipes = trailing = gap_lines = 0
    nonblank = 0
    for line in lines:
        if not line.strip():
            continue
        nonblank += 1
        if "\t" in line:
            cells = [c for c in line.split("\t") if c.strip()]
            if len(cells) >= 2:
                tab_multi += 1
            if line.startswith("\t") and line.count("\t") == 1:
                cell_lines += 1
        s = line.strip()
        if s == "|":
            lone_pipes += 1
        elif s.endswith("|") and s.count("|") == 1:
            trailing += 1
        if _PIPE_RULE_RE.match(line):
            md_rules += 1
        elif line.count("|") >= 2:
            cells = [c for c in (split_pipe(line) or []) if c.strip()]
            if len(cells) >= 2:
                pipe_multi += 1
        if "\t" not in line and re.search(r"\S\s{3,}\S", line.rstrip()):
            gap_lines += 1
    if tab_multi >= 2 and tab_multi >= pipe_multi and tab_multi * 3 >= cell_lines:
        return "tab"
    if pipe_multi >= 2:
        return "markdown" if md_rules else "pipe"
    if cell_lines >= 4:
        return "cells"
    if lone_pipes >= 3 or trailing >= max(3, nonblank // 3):
        return "lines"
    if gap_lines >= max(3, nonblank // 4):
        return "fixed"
    # one cell per line with blank lines between rows: a header run somewhere
    tokens = [ln.strip() for ln in lines]
    run: list[str] = []
    for tok in tokens + [""]:
        if tok:
            run.append(tok)
            continue
        if len(run) >= 2 and _header_start(run) is not None:
            return "lines"
        run = []
    numbered = [ln for ln in lines if _NUM_START_RE.match(ln.strip())]
    dated = sum(1 for ln in lines if _DEADLINE_SPAN_RE.search(ln))
    # most numbered points carry a date: a plan, not an order's or letter's numbered paragraphs
    if len(numbered) >= 3 and dated * 2 >= len(numbered):
        return "plain"
    return None


GRIDS = {
    "tab": grid_tab,
    "pipe": grid_pipe,
    "markdown": lambda text: grid_pipe(text, "markdown"),
    "lines": grid_lines,
    "fixed": grid_fixed,
    "plain": grid_plain,
}
