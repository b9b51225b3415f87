"""The preview step of a plan import: the first rows as read, the column roles (which the user may
correct), and what the import would give with them — nothing is saved."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .importing import ParsedDocument, parse_document
from .parsing.model import PlanReadError
from .parsing.readers import read_raw
from .parsing.structure import (
    EXTRA,
    ROLE_SESSION,
    _TableBuilder,
    clean_markup,
    header_roles,
    infer_roles,
)

ROLE_LABELS = {
    "number": "№ пункта",
    "activity": "Мероприятие",
    "deadline": "Сроки",
    "start": "Дата начала",
    "end": "Дата окончания",
    "responsible": "Ответственные",
    "extra": "другое (сохранить как есть)",
}
PREVIEW_ROWS = 15


def role_label(role: str) -> str:
    if role.startswith(ROLE_SESSION):
        return "Срок: " + role[len(ROLE_SESSION) :]
    if role.startswith(EXTRA):
        return ROLE_LABELS["extra"]
    return ROLE_LABELS.get(role, role)


def norm_role(role: str) -> str:
    return "extra" if role.startswith(EXTRA) else role


@dataclass
class Preview:
    filename: str
    format: str | None = None
    layout: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    header_line: int | None = None
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    detected: list[str] = field(default_factory=list)  # roles found without the user's mapping
    roles: list[str] = field(default_factory=list)  # roles in effect
    doc: ParsedDocument | None = None
    error: str | None = None
    total_rows: int = 0

    @property
    def width(self) -> int:
        return len(self.roles)

    def role_options(self) -> list[tuple[str, str]]:
        options = [("", "—")] + [(k, v) for k, v in ROLE_LABELS.items()]
        for role in self.detected + self.roles:
            if role.startswith(ROLE_SESSION) and role not in dict(options):
                options.insert(-1, (role, role_label(role)))
        return options

    def columns(self) -> list[dict[str, Any]]:
        return [
            {
                "index": i + 1,
                "title": self.header[i] if i < len(self.header) else "",
                "role": norm_role(r),
                "detected": norm_role(self.detected[i]) if i < len(self.detected) else "",
            }
            for i, r in enumerate(self.roles)
        ]


def _roles(table, columns, header_lines) -> list[str]:
    try:
        return _TableBuilder(copy.deepcopy(table), 0, columns, header_lines).roles
    except PlanReadError:
        t = copy.deepcopy(table)
        roles = header_roles(t.header) if t.header else infer_roles(t.rows)
        if columns:
            from .parsing.structure import apply_columns

            roles = apply_columns(roles, columns)
        return roles


def make_preview(
    data: bytes,
    filename: str,
    region=None,
    fmt: str = "auto",
    year: str | None = None,
    columns: dict[str, int] | None = None,
    header_lines: set[int] | None = None,
) -> Preview:
    preview = Preview(filename=filename)
    try:
        raw = read_raw(data, fmt, filename)
    except PlanReadError as exc:
        preview.error = exc.message
        return preview
    preview.format, preview.layout = raw.format, list(raw.layout or [raw.format])
    if raw.tables:
        table = raw.tables[0]
        preview.header = [clean_markup(c)[0] for c in (table.header or [])]
        preview.header_line = table.header_line
        body = [r for r in table.rows if r.kind == "row"]
        preview.total_rows = sum(len([r for r in t.rows if r.kind == "row"]) for t in raw.tables)
        preview.rows = [(r.line, [clean_markup(c)[0] for c in r.cells]) for r in body[:PREVIEW_ROWS]]
        preview.detected = _roles(table, None, None)
        preview.roles = _roles(table, columns, header_lines) if (columns or header_lines) else list(preview.detected)
        width = max([len(preview.roles), *(len(c) for _, c in preview.rows)], default=0)
        preview.roles += [f"{EXTRA}{i + 1}" for i in range(len(preview.roles), width)]
        preview.detected += [f"{EXTRA}{i + 1}" for i in range(len(preview.detected), width)]
    try:
        preview.doc = parse_document(
            data, filename, region, fmt=fmt, year=year, columns=columns, header_lines=header_lines
        )
    except PlanReadError as exc:
        preview.error = exc.message
    return preview


def mapping_from(post, detected: list[str]) -> dict[str, int] | None:
    """The user's column choices (``col_1`` … ``col_N``) as ``columns`` for the import; None when they
    are what was detected (so the plan's own sanity checks still apply)."""
    chosen: dict[str, int] = {}
    roles: list[str] = []
    for i in range(1, 60):
        value = post.get(f"col_{i}")
        if value is None:
            break
        roles.append(value)
        if value == "extra" or value == "":
            chosen[f"{EXTRA}{i}"] = i
        elif value in ROLE_LABELS or value.startswith(ROLE_SESSION):
            chosen[value] = i
    if not roles or [norm_role(r) for r in detected[: len(roles)]] == [r or "extra" for r in roles]:
        return None
    return chosen


def parse_columns_option(text: str) -> dict[str, int]:
    """``activity=2,deadline=3,responsible=4`` -> {"activity": 2, …} (CLI ``--columns``)."""
    out: dict[str, int] = {}
    aliases = {
        "deadline": "deadline",
        "date": "deadline",
        "dates": "deadline",
        "срок": "deadline",
        "activity": "activity",
        "мероприятие": "activity",
        "responsible": "responsible",
        "ответственные": "responsible",
        "number": "number",
        "№": "number",
        "start": "start",
        "end": "end",
        "skip": "extra",
        "extra": "extra",
    }
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise ValueError(f"«{part}»: ожидается роль=номер столбца, например activity=2")
        role, _, col = part.partition("=")
        role = role.strip().lower()
        if role.startswith("session:"):
            key = role
        elif role in aliases:
            key = aliases[role]
        else:
            raise ValueError(
                f"неизвестная роль «{role}»; допустимы: activity, deadline, responsible, number, "
                "start, end, session:<название>, skip"
            )
        if not col.strip().isdigit() or int(col) < 1:
            raise ValueError(f"«{part}»: номер столбца — целое число от 1")
        if key == "extra":
            key = f"{EXTRA}{int(col)}"
        out[key] = int(col)
    return out
