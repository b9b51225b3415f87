"""Federal checking criteria as versioned configuration (pure Python).

The criteria are not in the regional procedure; they are federal and change: each set is a JSON
file in ``criteria_data/`` valid from an academic year (``"valid_from": "2019/20"``). A change next
year is a new file, not code. ``aggregate`` turns an expert's marks into the overall result.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "criteria_data"
from itog.exams.common import FAIL, PASS  # noqa: F401 - the marks, re-exported


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    mandatory: bool


@dataclass(frozen=True)
class Requirement:
    code: str
    title: str
    min_words: int | None
    fail_note: str


@dataclass(frozen=True)
class CriteriaSet:
    kind: str
    valid_from: str
    source: str
    requirements: tuple[Requirement, ...]
    criteria: tuple[Criterion, ...]
    min_optional: int

    def requirement(self, code: str) -> Requirement:
        return next(r for r in self.requirements if r.code == code)


@dataclass(frozen=True)
class Outcome:
    overall: str  # «зачет» | «незачет»
    reasons: tuple[str, ...]
    checked_criteria: bool  # False when a requirement failed: the criteria are not checked


def _start_year(label: str) -> int:
    match = re.match(r"^(\d{4})", label.strip())
    if not match:
        raise ValueError(f"not an academic year: {label!r}")
    return int(match.group(1))


@cache
def _all_sets() -> tuple[CriteriaSet, ...]:
    sets = []
    for path in sorted(DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sets.append(
            CriteriaSet(
                kind=data["kind"],
                valid_from=data["valid_from"],
                source=data.get("source", ""),
                requirements=tuple(
                    Requirement(r["code"], r["title"], r.get("min_words"), r.get("fail_note", ""))
                    for r in data["requirements"]
                ),
                criteria=tuple(Criterion(c["code"], c["title"], bool(c["mandatory"])) for c in data["criteria"]),
                min_optional=int(data["pass_rule"]["min_optional"]),
            )
        )
    return tuple(sets)


def criteria_for(kind: str, academic_year: str) -> CriteriaSet:
    """The set in force for the kind («essay» | «exposition») in that academic year."""
    year = _start_year(academic_year)
    valid = [s for s in _all_sets() if s.kind == kind and _start_year(s.valid_from) <= year]
    if not valid:
        raise LookupError(f"Критерии оценивания «{kind}» для {academic_year} учебного года не загружены.")
    return max(valid, key=lambda s: _start_year(s.valid_from))


def count_words(text: str) -> int:
    """Words as the federal rules count them: every word, function words included. Our reading
    where the rules are silent: a hyphenated word is one word, numbers written in digits are not
    counted (a configurable decision for the checking issue)."""
    return len([w for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)])


def aggregate(criteria: CriteriaSet, requirements: dict[str, str], marks: dict[str, str]) -> Outcome:
    """The overall result from the requirements and the criteria marks («зачет»/«незачет»).

    A failed requirement gives «незачет» for the work and the criteria are not checked;
    otherwise «зачет» needs every mandatory criterion (К1, К2) and at least ``min_optional`` of
    the others (К3–К5).
    """
    for req in criteria.requirements:
        if requirements.get(req.code) == FAIL:
            return Outcome(FAIL, (f"Требование «{req.title}» не выполнено.",), checked_criteria=False)
    missing = [c.code for c in criteria.criteria if marks.get(c.code) not in (PASS, FAIL)]
    if missing or any(requirements.get(r.code) not in (PASS, FAIL) for r in criteria.requirements):
        raise ValueError("Не выставлены оценки: " + ", ".join(missing or [r.code for r in criteria.requirements]))
    reasons = [
        f"Критерий {c.code} «{c.title}» — «незачет» (обязательный)."
        for c in criteria.criteria
        if c.mandatory and marks[c.code] == FAIL
    ]
    optional_passed = sum(1 for c in criteria.criteria if not c.mandatory and marks[c.code] == PASS)
    if optional_passed < criteria.min_optional:
        reasons.append(
            f"Нет «зачета» ни по одному из критериев {', '.join(c.code for c in criteria.criteria if not c.mandatory)}."
        )
    return Outcome(FAIL if reasons else PASS, tuple(reasons), checked_criteria=True)
