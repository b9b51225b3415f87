"""Absolute date expressions of the deadline grammar.

Input is the *masked* normalised text of a cell (phrases already recognised
elsewhere are blanked out with spaces, so positions still match the
normalised text).  Output is a list of :class:`Window` plus warnings.

Grammar (informal)::

    cell   := item ((sep | nothing) item)*          sep := «,» «;» «и» «:» line break
    item   := [bound] point [«включительно»]
            | [«с»] point («-» | «по» | «до») point
    bound  := «до» | «не позднее [чем]» | «в срок до» | «к» | «по»     → upper bound
            | «с» | «начиная с» | «не ранее [чем]» | «после»            → lower bound
    point  := DD.MM[.YYYY] | D <month> [YYYY] | <month> [YYYY] | YYYY год
            | <n>-я <weekday> <month> | начало/середина/конец <month>
            | <n> декада <month> | <n> половина <month> | <n> квартал [YYYY]
            | <n> полугодие YYYY года (January–June / July–December)
            | <n> полугодие [YYYY/YY учебного года] (of the school year: September–December /
              January–June; without a year, of the plan's)
            | D (bare day, before a range end)

Year carrying: a point without a year takes it from the nearest point to
its right (from its left when there is none), assuming the points are in
chronological order («март-июнь, сентябрь 2024 года» → 2024;
«ноябрь – январь 2024» → ноябрь 2023).  When no point has a year, the
first one takes it from the academic year (September–December → the first
calendar year, January–August → the second) and the others follow it in
chronological order («январь – сентябрь» in 2023/24 → 01.2024–09.2024).  A bare day takes the month from the right («с 10 по 25 января»).
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from itog.calendar.workdays import DEFAULT_CALENDAR, add_months, nth_weekday
from itog.plans.parsing.deadline_lexicon import (
    MONTH_ALT,
    WEEKDAY_ALT,
    month_number,
    ordinal_value,
    weekday_number,
)
from itog.plans.parsing.deadline_model import AcademicYear, Window

__all__ = ["Qual", "DateScan", "scan_dates"]

# «года», «год», «г.», «гг.», «году» after a year
_YS = r"(?:\s*(?:года|году|год|гг|г)(?![а-я])\.?)?"
_YEAR = r"(?:19|20)\d{2}"


def _mon(name: str) -> str:
    return f"(?P<{name}>{MONTH_ALT})"


_ATOM_RE = re.compile(
    # every point starts a word or a number (a fast reject for the other positions)
    r"(?<![а-яa-z\d])(?=[\dа-яi])(?:"
    # n-th weekday of a month: «первая среда декабря», «вторая рабочая среда марта»
    r"(?P<nth>перв\w*|втор(?:ая|ую|ой|ое)|трет\w*|четверт\w*|последн\w*)\s+(?P<nthwork>рабоч\w*\s+)?"
    r"(?P<wd>" + WEEKDAY_ALT + r")\s+" + _mon("mon_w") + r"(?:\s+(?P<y_w>" + _YEAR + r"))?" + _YS +
    # part of a month: «начало декабря», «конец мая», «вторая декада марта»
    r"|(?P<part>начал[оаеу]|середин[аеуы]|кон(?:ец|ца|це)|перв\w*\s+декад\w*|втор\w*\s+декад\w*"
    r"|трет\w*\s+декад\w*|перв\w*\s+половин\w*|втор\w*\s+половин\w*"
    # «первая неделя декабря», «2-я неделя марта», «последняя неделя августа»: days 1–7, 8–14, …, the last 7
    r"|(?:перв|втор|трет|четв[её]рт|последн)\w*\s+недел\w*|[1-4](?:\s*-\s*(?:а?я|ой|ей|ую|й))?\s+недел\w*"
    # «1-я декада», «2 декада», «III декада», «1-ая половина»
    r"|(?:[123]|i{1,3})(?:\s*-\s*(?:а?я|ой|ей|ую|й))?\s+декад\w*|[12](?:\s*-\s*(?:а?я|ой|ей|ую|й))?\s+половин\w*)\s+"
    + _mon("mon_p")
    + r"(?:\s+(?P<y_p>"
    + _YEAR
    + r"))?"
    + _YS
    +
    # numeric date: 01.12.2023, 01.12. 2023, 01.11 2023, 1.9.23, 01/12/2023, 01.12
    r"|(?<![\d.,:])(?P<nd>\d{1,2})\s?[./]\s?(?P<nm>\d{1,2})"
    r"(?:\s?[./]\s?(?P<ny>\d{4}|\d{2})(?!\d)|\s(?P<ny2>"
    + _YEAR
    + r")(?!\d)|\.(?!\d))?"
    + _YS
    +
    # day + month word: «1 сентября 2024 года», «20-го мая»
    r"|(?<![\d.,:])(?P<dd>\d{1,2})(?:\s*-?\s*(?:го|е|ое))?\s+"
    + _mon("mon_d")
    + r"(?:\s*,?\s*(?P<y_d>"
    + _YEAR
    + r")(?!\d))?"
    + _YS
    +
    # month word + optional year: «ноябрь 2023 года», «сентябрь 2020», «март»
    r"|(?<![а-я])"
    + _mon("mon_m")
    + r"(?:\s*,?\s*(?P<y_m>"
    + _YEAR
    + r")(?!\d))?"
    + _YS
    +
    # half-year: «II полугодие 2025/26 уч. г.», «1 полугодие 2026 года», «первое полугодие»
    r"|(?<![а-я\d])(?P<h>[12]|i{1,2}|перв\w*|втор\w*)\s*(?:-?\s*(?:е|ое|го|м|ом))?\s+полугоди\w*"
    r"(?:\s+(?P<ay_h>(?:19|20)\d{2})\s*[-/–—]\s*(?:(?:19|20)?\d{2})(?!\d)\s*(?:учебн\w+\s+год\w*|уч\.?\s*г(?:од\w*|\.)?)?"
    r"|\s+(?P<y_h>" + _YEAR + r")(?![\d.]|\s*[-/–—]\s*\d)" + _YS + r"|\s+(?:текущего\s+)?учебн\w+\s+год\w*)?" +
    # quarter: «I квартал 2024 года», «1-й квартал»
    # quarters: «I-II квартал 2026» (both), «III кв. 2025»
    r"|(?<![а-я\d])(?P<q>[1-4]|iv|i{1,3}|перв\w*|втор\w*|трет\w*|четверт\w*)\s*(?:-?\s*(?:й|го|м|ом))?"
    r"(?:\s*[-–—]\s*(?P<q2>[1-4]|iv|i{1,3})\s*(?:-?\s*(?:й|го|м|ом))?)?"
    r"\s+(?:квартал\w*|кв\.?(?![а-я]))(?:\s+(?P<y_q>"
    + _YEAR
    + r"))?"
    + _YS
    +
    # a year alone: «2020 год», «в 2024 году», «2024»
    r"|(?<![\d.,:])(?P<yy>"
    + _YEAR
    + r")(?![\d.])"
    + _YS
    +
    # a bare day before a range end: «с 10 по 25 января», «10-15.01.2024»
    r"|(?<![\d.,:])(?P<bd>\d{1,2})(?=\s*(?:-|по|до|и|,)\s*(?:с\s+)?\d{1,2}(?:\s*-?\s*(?:го|е))?"
    r"\s*(?:" + MONTH_ALT + r"|[./]\s?\d{1,2})))"
)

_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# What may stand between two points of one range.
_RANGE_GAP_RE = re.compile(r"^\s*(?:(?:-+|—)\s*(?:по|до)?|по|до)\s*$")
# Separators between list items.
# (a line break is not one: «Не позднее\n20.02.2024» is one split cell)
_LIST_SEP_RE = re.compile(r"[,;:]|(?<![а-я])и(?![а-я])|(?<![а-я])а\s+также(?![а-я])")
_UNTIL_RE = re.compile(
    r"(?:^|[\s(])(?:до|не\s+позднее(?:\s*,?\s*чем)?|не\s+позже(?:\s*,?\s*чем)?|в\s+срок\s+до"
    r"|в\s+срок\s+не\s+позднее|к|по|срок\s*-?\s*до|не\s+позднее\s+срока)\s*$"
)
_UNTIL_END_RE = re.compile(r"(?:^|[\s(])(?:до|к|не\s+позднее)\s+(?:конца|окончания)\s*$")
_FROM_RE = re.compile(r"(?:^|[\s(])(?:с|со|начиная\s+с|не\s+ранее(?:\s*,?\s*чем)?|после|от)\s*$")
_FROM_ONLY_RE = re.compile(r"(?:^|[\s(])(?:с|со)\s*$")
_INCLUSIVE_RE = re.compile(r"^\s*\(?\s*включительно")

# A window lying this far outside the academic year gets a warning.
OUT_OF_YEAR_MARGIN_MONTHS = 2


@dataclass
class Qual:
    """A qualifier found in the cell (track, territory, time, session)."""

    start: int
    end: int
    type: str
    value: Any


@dataclass
class _Atom:
    start: int
    end: int
    kind: str  # day, month, year, half, quarter, part, nth
    day: int | None = None
    month: int | None = None
    year: int | None = None
    explicit_year: bool = False
    extra: tuple = ()
    quals: dict[str, Any] = field(default_factory=dict)

    def key(self) -> tuple[int, int]:
        return (self.month or 1, self.day or 1)

    def bounds(self, cal=DEFAULT_CALENDAR) -> tuple[date, date]:
        """First and last day covered by the atom (year and month must be known)."""
        y = self.year
        assert y is not None
        if self.kind == "year":
            return date(y, 1, 1), date(y, 12, 31)
        if self.kind == "half":
            h, academic = self.extra
            if academic:  # of the school year: September–December, January–June
                return (date(y, 9, 1), date(y, 12, 31)) if h == 1 else (date(y, 1, 1), date(y, 6, 30))
            return (date(y, 1, 1), date(y, 6, 30)) if h == 1 else (date(y, 7, 1), date(y, 12, 31))
        if self.kind == "quarter":
            q, q2 = self.extra
            first = date(y, 3 * q - 2, 1)
            return first, add_months(date(y, 3 * q2 - 2, 1), 3) - timedelta(days=1)
        m = self.month
        assert m is not None
        last_day = _calendar.monthrange(y, m)[1]
        if self.kind == "month":
            return date(y, m, 1), date(y, m, last_day)
        if self.kind == "part":
            lo, hi = self.extra
            if lo < 0:  # «последняя неделя мая»: the month's last seven days
                return date(y, m, last_day + lo + 1), date(y, m, last_day)
            return date(y, m, lo), date(y, m, min(hi, last_day))
        if self.kind == "nth":
            n, wd, working = self.extra
            d = _nth_weekday(y, m, wd, n, working, cal)
            return d, d
        d = date(y, m, self.day)  # may raise ValueError (31.02)
        return d, d


def _nth_weekday(y: int, m: int, wd: int, n: int, working: bool, cal) -> date:
    if not working:
        return nth_weekday(y, m, wd, n)
    days = [date(y, m, d) for d in range(1, _calendar.monthrange(y, m)[1] + 1)]
    hits = [d for d in days if d.weekday() == wd and cal.is_working_day(d)]
    return hits[n - 1] if n > 0 else hits[n]


_PARTS = {"начал": (1, 10), "середин": (11, 20), "кон": (21, 31)}


def _part_range(word: str) -> tuple[int, int]:
    w = word.split()[0]
    digits = re.match(r"([123])|(i{1,3})(?![а-я])", w)
    if "декад" in word:
        n = (int(digits.group(1)) if digits.group(1) else len(digits.group(2))) if digits else ordinal_value(w) or 1
        return (1, 10) if n == 1 else (11, 20) if n == 2 else (21, 31)
    if "недел" in word:
        if w.startswith("последн"):
            return (-7, 31)
        n = int(w[0]) if w[0].isdigit() else ordinal_value(w) or 1
        return (7 * (n - 1) + 1, 7 * n)
    if "половин" in word:
        n = int(digits.group(1)) if digits and digits.group(1) else ordinal_value(w) or 1
        return (1, 15) if n == 1 else (16, 31)
    for prefix, rng in _PARTS.items():
        if w.startswith(prefix):
            return rng
    return (1, 31)


def _year_of(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + 2000 if y < 100 else y


def _make_atom(m: re.Match[str]) -> _Atom | None:
    g = m.group
    a, b = m.start(), m.end()
    if g("nth"):
        n = ordinal_value(g("nth"))
        if n is None:
            return None
        y = _year_of(g("y_w"))
        return _Atom(
            a,
            b,
            "nth",
            month=month_number(g("mon_w")),
            year=y,
            explicit_year=y is not None,
            extra=(n, weekday_number(g("wd")), bool(g("nthwork"))),
        )
    if g("part"):
        y = _year_of(g("y_p"))
        return _Atom(
            a,
            b,
            "part",
            month=month_number(g("mon_p")),
            year=y,
            explicit_year=y is not None,
            extra=_part_range(g("part")),
        )
    if g("nd"):
        d, mo = int(g("nd")), int(g("nm"))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        y = _year_of(g("ny") or g("ny2"))
        return _Atom(a, b, "day", day=d, month=mo, year=y, explicit_year=y is not None)
    if g("dd"):
        y = _year_of(g("y_d"))
        d = int(g("dd"))
        if not 1 <= d <= 31:
            return None
        return _Atom(a, b, "day", day=d, month=month_number(g("mon_d")), year=y, explicit_year=y is not None)
    if g("mon_m"):
        y = _year_of(g("y_m"))
        return _Atom(a, b, "month", month=month_number(g("mon_m")), year=y, explicit_year=y is not None)
    if g("h"):
        ht = g("h")
        h = int(ht) if ht.isdigit() else {"i": 1, "ii": 2}.get(ht) or ordinal_value(ht)
        if h not in (1, 2):
            return None
        if g("y_h"):  # «1 полугодие 2026 года»: of the calendar year
            return _Atom(
                a, b, "half", month=1 if h == 1 else 7, year=int(g("y_h")), explicit_year=True, extra=(h, False)
            )
        # of the school year (named or the plan's): its first half lies in the first calendar year
        start = int(g("ay_h")) if g("ay_h") else None
        year = None if start is None else start if h == 1 else start + 1
        return _Atom(a, b, "half", month=9 if h == 1 else 1, year=year, explicit_year=year is not None, extra=(h, True))
    if g("q"):
        qt = g("q")
        q = int(qt) if qt.isdigit() else _QUARTER.get(qt) or ordinal_value(qt)
        if not q or not 1 <= q <= 4:
            return None
        q2 = q
        if g("q2"):
            q2 = int(g("q2")) if g("q2").isdigit() else _QUARTER.get(g("q2"), 0)
            if not q <= q2 <= 4:
                return None
        y = _year_of(g("y_q"))
        return _Atom(a, b, "quarter", month=3 * q - 2, year=y, explicit_year=y is not None, extra=(q, q2))
    if g("yy"):
        return _Atom(a, b, "year", month=1, day=1, year=int(g("yy")), explicit_year=True)
    if g("bd"):
        d = int(g("bd"))
        if not 1 <= d <= 31:
            return None
        return _Atom(a, b, "bareday", day=d)
    return None


# ---------------------------------------------------------------------------
# building windows
# ---------------------------------------------------------------------------


@dataclass
class DateScan:
    windows: list[Window] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # text consumed
    found: bool = False  # at least one date expression was seen


@dataclass
class _Item:
    first: _Atom
    last: _Atom
    bound: str = "window"  # window, until, until_before, from, range
    inclusive: bool = False
    after: bool = False  # «после X»: from the day after X


def _fmt(d: date) -> str:
    return d.strftime("%d.%m.%Y")


_LIST_TYPES = ("track", "territory", "session")


def _attach(atoms: list[_Atom], quals: list[Qual]) -> None:
    """Attach qualifiers to atoms (see module docstring of deadlines.py)."""
    if not atoms or not quals:
        return
    last_end = atoms[-1].end
    first_start = atoms[0].start
    labelled = [q for q in quals if q.type in _LIST_TYPES]
    postfix = any(q.start >= last_end for q in labelled) and not any(q.end <= first_start for q in labelled)
    for q in quals:
        if q.type == "time":
            before = [a for a in atoms if a.end <= q.start]
            target = before[-1] if before else next((a for a in atoms if a.start >= q.end), None)
            if target is not None:
                target.quals.setdefault("times", []).append(q.value)
            continue
        if postfix:
            before = [a for a in atoms if a.end <= q.start]
            targets = [before[-1]] if before else atoms[:1]
        else:
            # a label holds for every later point until the next label of its type
            nxt = next((o.start for o in labelled if o.type == q.type and o.start > q.start), None)
            targets = [a for a in atoms if a.start >= q.end and (nxt is None or a.start < nxt)]
            if not targets:
                before = [a for a in atoms if a.end <= q.start]
                targets = before[-1:]
        for a in targets:
            values = a.quals.setdefault(q.type, [])
            if q.value not in values:
                values.append(q.value)


def _labels_differ(a: _Atom, b: _Atom) -> bool:
    for key in ("track", "territory"):
        va, vb = a.quals.get(key), b.quals.get(key)
        if va and vb and va != vb:
            return True
    return False


def _build_items(masked: str, atoms: list[_Atom]) -> list[_Item]:
    items: list[_Item] = []
    prev_end = 0
    for i, atom in enumerate(atoms):
        gap = masked[prev_end : atom.start]
        if items and i > 0:
            prev_item = items[-1]
            is_range_gap = bool(_RANGE_GAP_RE.match(gap))
            if is_range_gap:
                word = gap.strip(" -—\n")
                if word in ("по", "до") and prev_item.bound != "from":
                    is_range_gap = False
            if (
                is_range_gap
                and prev_item.bound in ("window", "from")
                and prev_item.first is prev_item.last
                and not _labels_differ(prev_item.first, atom)
            ):
                prev_item.last = atom
                prev_item.bound = "range"
                prev_end = atom.end
                continue
            # a suffix of the previous item («включительно»)
            if _INCLUSIVE_RE.match(gap):
                prev_item.inclusive = True
        parts = _LIST_SEP_RE.split(gap)
        prefix = parts[-1] if parts else gap
        item = _Item(atom, atom)
        if _UNTIL_END_RE.search(prefix):  # «до конца II квартала»: by the last day of the period
            item.bound = "until"
            word = re.search(r"(?:конца|окончания)\s*$", masked[: atom.start])
            if word:  # the word is part of the date phrase (not left unparsed)
                atom.start = word.start()
        elif _UNTIL_RE.search(prefix):
            word = prefix.strip().split()[-1] if prefix.strip() else ""
            item.bound = (
                "until_before" if word == "до" and atom.kind in ("month", "half", "quarter", "year") else "until"
            )
        elif _FROM_RE.search(prefix):
            # «после 15 июня» starts the next day, «после мая» on 1 June; «с», «не ранее» on the day itself
            item.bound = "from"
            item.after = bool(re.search(r"после\s*$", prefix))
        items.append(item)
        prev_end = atom.end
    if items and _INCLUSIVE_RE.match(masked[prev_end:]):
        items[-1].inclusive = True
    return items


def _carry(atoms: list[_Atom], year: AcademicYear | None) -> list[_Atom]:
    """Fill missing months (bare days) and years; returns atoms still lacking a year."""
    for i, atom in enumerate(atoms):
        if atom.kind == "bareday":
            right = next((b for b in atoms[i + 1 :] if b.month is not None and b.kind != "year"), None)
            if right is not None:
                atom.month = right.month
                atom.kind = "day"
    # right to left
    known: _Atom | None = None
    for atom in reversed(atoms):
        if atom.month is None:
            continue
        if atom.year is None and known is not None:
            atom.year = known.year if atom.key() <= known.key() else known.year - 1
        if atom.year is not None:
            known = atom
    # left to right
    known = None
    for atom in atoms:
        if atom.month is None:
            continue
        if atom.year is None and known is not None:
            atom.year = known.year if atom.key() >= known.key() else known.year + 1
        if atom.year is not None:
            known = atom
    # no year anywhere: the first point takes it from the academic year,
    # the following ones are carried chronologically from it
    if year is not None and not any(a.year is not None for a in atoms):
        first = next((a for a in atoms if a.month is not None), None)
        if first is not None:
            first.year = year.year_for_month(first.month)
            known = None
            for atom in atoms:
                if atom.month is None:
                    continue
                if atom.year is None and known is not None:
                    atom.year = known.year if atom.key() >= known.key() else known.year + 1
                if atom.year is not None:
                    known = atom
    missing = []
    for atom in atoms:
        if atom.year is None and atom.month is not None and year is not None:
            atom.year = year.year_for_month(atom.month)
        if atom.year is None or atom.month is None:
            missing.append(atom)
    return missing


def _merge_quals(target: dict[str, Any], source: dict[str, Any]) -> None:
    for key, values in source.items():
        have = target.setdefault(key, [])
        for v in values:
            if v not in have:
                have.append(v)


@lru_cache(maxsize=64)
def _year_limits(year: AcademicYear) -> tuple[date, date]:
    return (add_months(year.start, -OUT_OF_YEAR_MARGIN_MONTHS), add_months(year.end, OUT_OF_YEAR_MARGIN_MONTHS))


def scan_dates(masked: str, year: AcademicYear | None, quals: list[Qual], cal=DEFAULT_CALENDAR, quote=None) -> DateScan:
    """Find the absolute date expressions of ``masked`` and turn them into windows.

    ``quote(start, end)`` returns the raw text behind a span (for messages).
    """
    if quote is None:

        def quote(a: int, b: int) -> str:
            return masked[a:b].strip()

    scan = DateScan()
    atoms: list[_Atom] = []
    for m in _ATOM_RE.finditer(masked):
        atom = _make_atom(m)
        if atom is not None:
            atoms.append(atom)
    # a bare day that found no month is not a date
    atoms = [a for i, a in enumerate(atoms) if a.kind != "bareday" or any(b.kind != "bareday" for b in atoms[i + 1 :])]
    if not atoms:
        return scan
    scan.found = True
    _attach(atoms, quals)
    items = _build_items(masked, atoms)  # may widen an atom over «конца» in «до конца II квартала»
    scan.spans = [(a.start, a.end) for a in atoms]
    missing = _carry(atoms, year)
    if missing:
        scan.warnings.append(
            (
                "year_unknown",
                "Год не указан, а учебный год плана не задан: срок «"
                + "», «".join(quote(a.start, a.end) for a in missing)
                + "» нельзя привязать к датам.",
            )
        )
    bad = {id(a) for a in missing}
    windows: list[Window] = []
    for item in items:
        if id(item.first) in bad or id(item.last) in bad:
            continue
        try:
            lo1, hi1 = item.first.bounds(cal)
            lo2, hi2 = item.last.bounds(cal)
        except (ValueError, IndexError, OverflowError):
            scan.warnings.append(("invalid_date", f"Несуществующая дата: «{quote(item.first.start, item.last.end)}»."))
            continue
        quals_: dict[str, Any] = {}
        _merge_quals(quals_, {k: v for k, v in item.first.quals.items() if k != "times"})
        times: list[dict[str, Any]] = []
        if item.last is not item.first and item.first.quals.get("times") and item.last.quals.get("times"):
            _merge_quals(quals_, {k: v for k, v in item.last.quals.items() if k != "times"})
            for t in item.first.quals.get("times", []):
                times.append({**t, "bound": "from" if t.get("bound") == "at" else t.get("bound")})
            for t in item.last.quals.get("times", []):
                times.append({**t, "bound": "until" if t.get("bound") == "at" else t.get("bound")})
        else:
            if item.last is not item.first:
                _merge_quals(quals_, {k: v for k, v in item.last.quals.items() if k != "times"})
                times.extend(item.last.quals.get("times", []))
            times[:0] = item.first.quals.get("times", [])
        if times:
            quals_["times"] = times
        if item.after:
            lo1 = hi1 + timedelta(days=1)
        if item.bound == "range":
            start, end = lo1, hi2
        elif item.bound == "until":
            start, end = None, hi1
        elif item.bound == "until_before":
            start, end = None, lo1 - timedelta(days=1)
        elif item.bound == "from":
            start, end = lo1, None
        else:
            start, end = lo1, hi1
        windows.append(Window(start, end, quals_))
    # merge windows with the same dates («01.12.2023г. г. Элиста, Районы и СПО – 01.12.2023г.»)
    merged: list[Window] = []
    for w in windows:
        twin = next((o for o in merged if o.start == w.start and o.end == w.end), None)
        if twin is None:
            merged.append(w)
        else:
            q = twin.qualifiers
            for key, values in w.qualifiers.items():
                if key == "times":
                    q.setdefault("times", []).extend(t for t in values if t not in q.get("times", []))
                else:
                    _merge_quals(q, {key: values})
    for w in merged:
        if w.is_reversed:
            scan.warnings.append(
                (
                    "reversed_window",
                    f"Окончание периода ({_fmt(w.end)}) раньше начала ({_fmt(w.start)}); "
                    "период оставлен как написан — вероятно, опечатка в годе.",
                )
            )
    ordered = [w.start or w.end for w in merged]
    if len(merged) > 1 and all(ordered) and any(b < a for a, b in zip(ordered, ordered[1:])):
        scan.warnings.append(
            (
                "windows_out_of_order",
                "Сроки перечислены не в хронологическом порядке (возможно, по одному на каждое мероприятие строки).",
            )
        )
    if year is not None:
        lo, hi = _year_limits(year)
        for w in merged:
            s, e = w.start or w.end, w.end or w.start
            if s is None or e is None:
                continue
            if max(s, e) < lo or min(s, e) > hi:
                scan.warnings.append(
                    (
                        "outside_academic_year",
                        f"Срок {_fmt(s)}–{_fmt(e)} лежит вне учебного года {year.label} — проверьте год.",
                    )
                )
    scan.windows = merged
    return scan
