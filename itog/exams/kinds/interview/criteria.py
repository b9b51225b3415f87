"""Federal criteria of the interview as versioned data, and the aggregation of an expert's marks.

The criteria are federal (ФИПИ) and change: each set is a JSON file
``criteria_data/interview-<year>.json`` valid from an academic year; next year's change is a new
file. The structure — four tasks (reading aloud, retelling with a quotation, monologue,
dialogue) plus speech-literacy criteria, 20 points in all, «зачет» from 10 — is federal; the
criteria codes and points inside the tasks are our reading (the file says so), as is the lower
threshold for ОВЗ participants where the ПМПК recommends it (a regional setting,
:class:`PassPolicy`).

A criterion code is unique only within its task block («Г» occurs for tasks 1–2 and 3–4), so
marks are keyed ``"<block>.<code>"`` («1-2.Г», «2.П1»).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from itog.exams.kinds.base import Violation

from .codes import violation
from .values import FAIL, PASS

__all__ = [
    "CriteriaSet",
    "Criterion",
    "Outcome",
    "PassPolicy",
    "aggregate",
    "criteria_for",
    "load_sets",
    "validate_marks",
]

DATA_DIR = Path(__file__).resolve().parent / "criteria_data"


@dataclass(frozen=True)
class Criterion:
    key: str  # "<block>.<code>"
    block: str
    code: str
    title: str
    max: int
    literacy: bool


@dataclass(frozen=True)
class CriteriaSet:
    valid_from: str
    source: str
    max_total: int
    pass_min: int
    pass_min_ovz: int
    blocks: tuple[tuple[str, str], ...]  # (block code, title) in order
    criteria: tuple[Criterion, ...]

    def by_key(self) -> dict[str, Criterion]:
        return {c.key: c for c in self.criteria}


@dataclass(frozen=True)
class PassPolicy:
    """Regional setting: the ОВЗ threshold (``None``: the criteria set's own value)."""

    pass_min_ovz: int | None = None


@dataclass(frozen=True)
class Outcome:
    total: int
    result: str  # «зачет» | «незачет»
    threshold: int
    by_block: dict[str, int]


def _start(label: str) -> int:
    m = re.match(r"^\s*(\d{4})", str(label))
    if not m:
        raise ValueError(f"not an academic year: {label!r}")
    return int(m.group(1))


def _parse(data: dict) -> CriteriaSet:
    blocks, criteria = [], []
    for task in data["tasks"]:
        blocks.append((task["code"], task["title"]))
        for c in task["criteria"]:
            criteria.append(
                Criterion(
                    f"{task['code']}.{c['code']}",
                    task["code"],
                    c["code"],
                    c["title"],
                    int(c["max"]),
                    bool(task.get("literacy", False)),
                )
            )
    s = CriteriaSet(
        data["valid_from"],
        data.get("source", ""),
        int(data["max_total"]),
        int(data["pass_min"]),
        int(data.get("pass_min_ovz", data["pass_min"])),
        tuple(blocks),
        tuple(criteria),
    )
    if sum(c.max for c in s.criteria) != s.max_total:
        raise ValueError(
            f"criteria {s.valid_from}: maxima add up to {sum(c.max for c in s.criteria)}, not {s.max_total}"
        )
    if len({c.key for c in s.criteria}) != len(s.criteria):
        raise ValueError(f"criteria {s.valid_from}: duplicate criterion keys")
    return s


def load_sets(directory: str = str(DATA_DIR)) -> tuple[CriteriaSet, ...]:
    """Every set in the directory (cached while the files are unchanged)."""
    files = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(Path(directory).glob("interview-*.json")))
    return _load(files)


@lru_cache(maxsize=8)
def _load(files: tuple[tuple[str, int], ...]) -> tuple[CriteriaSet, ...]:
    return tuple(_parse(json.loads(Path(p).read_text(encoding="utf-8"))) for p, _ in files)


def criteria_for(academic_year: str | int, directory: str | Path = DATA_DIR) -> CriteriaSet:
    """The set in force in that academic year (the latest ``valid_from`` not after it)."""
    year = academic_year if isinstance(academic_year, int) else _start(academic_year)
    valid = [s for s in load_sets(str(directory)) if _start(s.valid_from) <= year]
    if not valid:
        raise LookupError(
            f"Критерии оценивания итогового собеседования для {academic_year} учебного года не загружены."
        )
    return max(valid, key=lambda s: _start(s.valid_from))


def validate_marks(cs: CriteriaSet, marks: Mapping[str, object]) -> list[Violation]:
    """Every mark is a whole number 0…max of a known criterion (I70, I72); none missing (I71)."""
    out: list[Violation] = []
    known = cs.by_key()
    for key, value in marks.items():
        c = known.get(key)
        if c is None:
            out.append(violation("I72", field=key, code=key))
            continue
        if value is None or value == "":
            continue
        try:
            n = int(str(value).strip())
            ok = str(n) == str(value).strip() and 0 <= n <= c.max
        except ValueError:
            ok = False
        if not ok:
            out.append(violation("I70", field=key, code=key, mark=value, max=c.max))
    missing = [k for k in known if marks.get(k) in (None, "")]
    if missing:
        out.append(violation("I71", field="marks", codes=", ".join(missing)))
    return out


def threshold(cs: CriteriaSet, ovz_lower_threshold: bool = False, policy: PassPolicy = PassPolicy()) -> int:
    """«зачет» from ``pass_min`` (10); the lower ОВЗ threshold where the ПМПК recommends it."""
    if not ovz_lower_threshold:
        return cs.pass_min
    return cs.pass_min_ovz if policy.pass_min_ovz is None else policy.pass_min_ovz


def aggregate(
    cs: CriteriaSet, marks: Mapping[str, object], ovz_lower_threshold: bool = False, policy: PassPolicy = PassPolicy()
) -> Outcome:
    """The total and «зачет»/«незачет». Marks must pass :func:`validate_marks` (``ValueError``
    with the Russian messages otherwise)."""
    problems = validate_marks(cs, marks)
    if problems:
        raise ValueError(" ".join(v.message for v in problems))
    by_block: dict[str, int] = {b: 0 for b, _ in cs.blocks}
    for c in cs.criteria:
        by_block[c.block] += int(str(marks[c.key]).strip())
    total = sum(by_block.values())
    limit = threshold(cs, ovz_lower_threshold, policy)
    return Outcome(total, PASS if total >= limit else FAIL, limit, by_block)


def compare_entries(first: Mapping[str, object], second: Mapping[str, object]) -> list[Violation]:
    """Double entry of the protocol (the technical specialist enters it twice, as for the essay's
    transfer): every differing criterion blocks (I73)."""
    keys = sorted(set(first) | set(second))
    diff = [k for k in keys if str(first.get(k, "")).strip() != str(second.get(k, "")).strip()]
    return [violation("I73", field="marks", codes=", ".join(diff))] if diff else []
