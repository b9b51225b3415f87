"""Plain data classes shared by the plan readers and the structurer.

Nothing here imports Django: the parsing package must stay usable from the
command line and from tests that do not configure settings.

Two layers live in this module:

* the *raw* layer (``RawRow``, ``RawTable``, ``RawDocument``) produced by the
  format readers in ``readers.py``: cells exactly as found, with the physical
  source line of every row;
* the *parsed* layer (``ParsedItem``, ``ParsedSection``, ``ParsedPlan``) built
  by ``structure.py``; every parsed class has ``to_json()`` returning plain
  JSON-serialisable data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class PlanReadError(Exception):
    """The only exception the readers raise for bad input.

    ``message`` is a human-readable Russian explanation meant for the user
    (it is also ``str(exc)``).
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------

SEVERITIES = ("info", "warning", "error")


@dataclass
class Finding:
    """A remark about an item or about the whole plan.

    ``code`` is a stable machine identifier (see ``structure.WARNING_CODES``),
    ``message`` is Russian text for the user.
    """

    code: str
    message: str
    severity: str = "warning"
    line: int | None = None
    field: str | None = None

    @property
    def shown(self) -> bool:
        """Shown on the import preview: warnings and errors, and the notes that say a value was
        reconstructed rather than read (the user must check it)."""
        return self.severity != "info" or self.code in SHOWN_NOTES

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
        }
        if self.field is not None:
            data["field"] = self.field
        return data


# Notes («info») the import preview shows all the same.
SHOWN_NOTES = frozenset(
    {
        "no_responsible_column",
        "plain_layout",
        "month_marks",
        "word_auto_numbers",
        "hidden_columns",
        "organization_from_post",
    }
)

# ``Warning`` would shadow the builtin, so the alias has a prefix.
PlanWarning = Finding


# ---------------------------------------------------------------------------
# Raw layer (reader output)
# ---------------------------------------------------------------------------


@dataclass
class RawRow:
    """One physical table row (or one stray paragraph inside a table region).

    ``kind`` is ``"row"`` for a table row and ``"paragraph"`` for a line of
    text without cells that sits between table rows (a bare-paragraph section
    heading, for instance).

    ``spans[i]`` is 1 for an ordinary cell, n > 1 when cell *i* starts a
    horizontal merge over n grid columns and 0 for grid positions covered by
    such a merge.  ``vmerged`` holds the indices of cells that continue a
    vertical merge from the row above (their text is empty: a merged cell is
    read once).
    """

    cells: list[str]
    line: int
    lines: list[int] = field(default_factory=list)
    kind: str = "row"
    after_break: bool = False
    before_break: bool = False
    bold: bool = False
    # a paragraph the reader knows to be a heading (the text between two tables of one plan)
    heading: bool = False
    spans: list[int] | None = None
    vmerged: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = [self.line]


@dataclass
class RawTable:
    header: list[str] | None
    header_line: int | None
    rows: list[RawRow] = field(default_factory=list)
    name: str | None = None
    # Text lines (line number, text) found between the previous table and
    # this table's header.
    preamble: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class RawDocument:
    format: str
    tables: list[RawTable]
    # Text lines before the first plan table: (line number, text).
    preamble: list[tuple[int, str]] = field(default_factory=list)
    # Text after the last table row.
    trailer: list[tuple[int, str]] = field(default_factory=list)
    # Small two-column tables found outside the plan (e.g. abbreviations).
    side_tables: list[RawTable] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    # The text layout and its features: ["tab", "pages", "numbers-alone"], ["pdf", "fixed"] …
    layout: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Parsed layer
# ---------------------------------------------------------------------------


@dataclass
class ParsedSection:
    id: str
    title: str
    line: int
    index: int
    # Sub-group headings found inside the section ("На всех этапах
    # проведения экзаменов"): [{"title": ..., "line": ...}].
    groups: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "line": self.line,
            "index": self.index,
            "groups": [dict(g) for g in self.groups],
        }


@dataclass
class ParsedItem:
    id: str
    section: str | None
    number: str | None
    number_raw: str | None
    parent: str | None
    activity: str
    deadline_raw: str
    responsible_raw: str
    line: int
    lines: list[int] = field(default_factory=list)
    # Start/end columns (plan-schedules like seed 000); ``deadline_raw`` then
    # holds "start – end" (or the one that is present).
    deadline_start_raw: str | None = None
    deadline_end_raw: str | None = None
    # Filled by the deadline grammar (``deadlines.py``) through the
    # ``parse_deadline`` hook; ``None`` until then.
    deadline: dict[str, Any] | None = None
    responsible_names: list[str] = field(default_factory=list)
    # Canonical names when a ``resolve`` hook was given, else equal to
    # ``responsible_names``.
    responsible: list[str] = field(default_factory=list)
    persons: list[dict[str, str | None]] = field(default_factory=list)
    track: str | None = None
    track_from: str | None = None
    group: str | None = None
    inherited: list[str] = field(default_factory=list)
    inherited_from: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    warnings: list[Finding] = field(default_factory=list)
    level: int = 1
    # One deadline per session column (label -> raw text), e.g. {"декабрь": "до 01.12.2024", …}.
    sessions: dict[str, str] = field(default_factory=dict)

    def warn(
        self, code: str, message: str, severity: str = "warning", field_name: str | None = None, line: int | None = None
    ) -> Finding:
        finding = Finding(code, message, severity, self.line if line is None else line, field_name)
        self.warnings.append(finding)
        return finding

    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]

    def to_json(self) -> dict[str, Any]:
        deadline: dict[str, Any] = {"raw": self.deadline_raw}
        if self.deadline_start_raw is not None or self.deadline_end_raw is not None:
            deadline["start_raw"] = self.deadline_start_raw
            deadline["end_raw"] = self.deadline_end_raw
        if self.sessions:
            deadline["sessions_raw"] = dict(self.sessions)
        if self.deadline:
            deadline.update(self.deadline)
        return {
            "id": self.id,
            "section": self.section,
            "number": self.number,
            "parent": self.parent,
            "activity": self.activity,
            "deadline": deadline,
            "responsible": list(self.responsible),
            "responsible_raw": self.responsible_raw,
            "responsible_names": list(self.responsible_names),
            "persons": [dict(p) for p in self.persons],
            "track": self.track,
            "group": self.group,
            "inherited": list(self.inherited),
            "inherited_from": dict(self.inherited_from),
            "extra": dict(self.extra),
            "warnings": [w.to_json() for w in self.warnings],
            "line": self.line,
            "lines": list(self.lines),
        }


@dataclass
class ParsedPlan:
    title: str | None
    approved: dict[str, Any] | None
    year: str | None
    sections: list[ParsedSection]
    items: list[ParsedItem]
    warnings: list[Finding] = field(default_factory=list)
    format: str | None = None
    source_name: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    layout: list[str] = field(default_factory=list)
    # {"score": 0..1, "level": "высокая|средняя|низкая", "reasons": [...]} (quality.assess)
    confidence: dict[str, Any] = field(default_factory=dict)

    def item(self, item_id: str) -> ParsedItem:
        """Return the item with this id (KeyError if absent)."""
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def items_in(self, section_id: str | None) -> list[ParsedItem]:
        return [it for it in self.items if it.section == section_id]

    def to_json(self) -> dict[str, Any]:
        counts: dict[str | None, int] = {}
        for it in self.items:
            counts[it.section] = counts.get(it.section, 0) + 1
        sections = []
        for s in self.sections:
            data = s.to_json()
            data["items"] = counts.get(s.id, 0)
            sections.append(data)
        return {
            "title": self.title,
            "approved": dict(self.approved) if self.approved else None,
            "year": self.year,
            "format": self.format,
            "source": self.source_name,
            "columns": dict(self.columns),
            "sections": sections,
            "items": [it.to_json() for it in self.items],
            "warnings": [w.to_json() for w in self.warnings],
            "abbreviations": dict(self.abbreviations),
            "layout": list(self.layout),
            "confidence": dict(self.confidence),
        }
