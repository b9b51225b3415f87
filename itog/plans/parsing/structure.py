"""Turn raw table rows (``model.RawDocument``) into a ``ParsedPlan``.

The readers only know cells and line numbers; everything about meaning
lives here:

* column roles from the header (or guessed from the content);
* section headings vs. sub-group headings vs. stray text;
* continuation rows (page breaks, rows with an empty number cell) joined
  column by column;
* rows where a column vanished (3 cells in a 4-column table), merged
  deadline+responsible cells, a date sitting in the responsible column;
* numbering: levels, parents, duplicates, unnumbered rows, section-qualified
  ids;
* the same table given twice;
* inheritance of empty deadline/responsible cells from a sibling or parent
  (recorded in ``ParsedItem.inherited``);
* responsible names and named persons, the track (ГИА-9/ГИА-11/...);
* plan title, approving order, academic year.

Rows are never dropped silently: anything uncertain becomes a ``Finding`` on
the item (or on the plan when there is no item to attach it to).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .model import (
    Finding,
    ParsedItem,
    ParsedPlan,
    ParsedSection,
    PlanReadError,
    RawDocument,
    RawRow,
    RawTable,
)

Resolver = Callable[[str], "str | None"]
DeadlineHook = Callable[[ParsedItem], "dict[str, Any] | None"]

# Every code this module can emit, with its meaning (English, for developers).
WARNING_CODES: dict[str, str] = {
    # item level
    "row_joined": "a continuation row (page break / empty number cell) was joined to the item",
    "continuation_new_actor": "a continuation row adds a different responsible actor (maybe a separate phase)",
    "unnumbered_row": "a row without a number that is not a continuation; kept as a sub-item",
    "bad_number": "the number cell holds something that is not a number",
    "missing_column": "the row has one cell fewer than the header: the responsible column vanished (vertical merge)",
    "merged_deadline_responsible": "deadline and responsible were in one cell and were split",
    "no_responsible": "deadline and responsible were in one cell and no responsible could be found",
    "column_shift": "a date sat in the responsible column while the deadline column was empty; moved",
    "actor_in_deadline": "the deadline cell holds an organisation name instead of a deadline",
    "schedule_in_responsible": "the responsible cell holds a schedule reference («По плану …»)",
    "duplicate_number": "the same number occurs twice in a section",
    "parent_missing": "no item with the parent number exists",
    "number_sequence": "the number does not follow the previous one",
    "number_format": "the number is written differently from the rest (e.g. no trailing dot)",
    "subgroup_heading": "a heading inside the numbering that is not a section",
    "empty_deadline": "no deadline and nothing to inherit it from",
    "empty_responsible": "no responsible and nothing to inherit it from",
    "empty_activity": "the activity cell is empty",
    "short_row": "the row has fewer cells than the header",
    "extra_cells": "the row has more cells than the header; the surplus was appended to the last column",
    "merged_cells": "a (DOCX/XLSX) cell is merged across several columns",
    "duplicate_table_diff": "the second copy of a duplicated table differs in this row",
    "unresolved_responsible": "a responsible name is unknown to the alias dictionary",
    "responsible_split_guess": "names written without commas were split with the alias dictionary",
    "deadline_parser_error": "the deadline parser failed on this item",
    # plan level
    "duplicate_table": "the whole table is given twice; the copies were merged",
    "repeated_header": "the header row repeats (page header); the rows were concatenated",
    "text_outside_table": "a paragraph inside the table region that is not a heading",
    "approval_placeholder": "the approving order's date/number are blank placeholders",
    "approval_date_conflict": "the order header and the approval stamp give different dates",
    "no_title": "no plan title found",
    "no_header": "(reader) the table has no header row; column roles were guessed from the content",
    "month_marks": "no deadline column: each deadline composed from the months marked «+»/«х»",
    "float_numbers": "(xlsx) item numbers stored as numbers: trailing zeros lost (1.10 = 1.1)",
    "float_number": "(xlsx) this float number was read as the next in order (1.1 after 1.9 -> 1.10)",
    "serial_dates": "(xlsx) deadlines stored as Excel day numbers in «General» cells were read as dates",
    "hidden_rows": "(xlsx) hidden rows of the plan sheet were imported like the others",
    "hidden_columns": "(xlsx) hidden columns of the plan sheet were read",
    "word_auto_numbers": "(docx) item numbers come from Word's list numbering and were reconstructed",
    "tracked_changes": "(docx) the document has tracked changes; it was read as if they were accepted",
    "uncached_formulas": "(xlsx) formulas without saved values: their text was kept, the values are unknown",
    "person_without_organization": "only a person (and a post) is responsible, no organisation",
    "organization_from_post": "the organisation was taken from a person's post («директор РЦОИ Иванов И.И.»)",
}

ROLE_NUMBER = "number"
ROLE_ACTIVITY = "activity"
ROLE_DEADLINE = "deadline"
ROLE_START = "start"
ROLE_END = "end"
ROLE_RESPONSIBLE = "responsible"
EXTRA = "extra:"
CORE_ROLES = (ROLE_NUMBER, ROLE_ACTIVITY, ROLE_DEADLINE, ROLE_START, ROLE_END, ROLE_RESPONSIBLE)

# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------

_MARKUP_RE = re.compile(r"</?\s*(?:b|strong)\s*>|\*\*", re.IGNORECASE)
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_WS_RE = re.compile(r"\s+")


def clean_markup(text: str) -> tuple[str, bool]:
    """Strip ``<b>``/``**`` markup; return (text, had_bold_markup)."""
    text = _BR_RE.sub("\n", text.replace("\r", ""))
    bold = bool(_MARKUP_RE.search(text))
    if bold:
        text = _MARKUP_RE.sub("", text)
    return text.strip(), bold


def norm(text: str) -> str:
    """Loose comparison key: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-zа-яё]+", "", text.lower())


def smart_join(parts: Iterable[str]) -> str:
    """Join cell fragments the way a reader would: with a space, except for
    URL pieces (``…/`` + ``exam2024/``) and words hyphenated at a break."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("/") or part.startswith("/") or re.search(r"[а-яёa-z]-$", out) and part[:1].islower():
            out += part
        else:
            out += " " + part
    return out


def _starts_lower(text: str) -> bool:
    text = text.lstrip()
    return bool(text) and text[0].isalpha() and text[0].islower()


def _starts_upper(text: str) -> bool:
    text = text.lstrip(' «"(')
    return bool(text) and text[0].isalpha() and text[0].isupper()


def _starts_continuation(text: str) -> bool:
    text = text.lstrip()
    if not text:
        return False
    return _starts_lower(text) or text[0] in "-–—•·;,):"


# ---------------------------------------------------------------------------
# Header roles
# ---------------------------------------------------------------------------


ROLE_SESSION = "session:"  # one deadline column per session: «session:декабрь»
_EXTRA_WORDS = (
    "результат",
    "отметк",
    "примечан",
    "ссылк",
    "комментар",
    "отчетн",
    "отчётн",
    "документ",
    "выполнени",
    "исполнени",
    "контрол",
    "источник",
    "финансир",
    "показател",
)
_ACTIVITY_WORDS = (
    "мероприят",
    "наименован",
    "содержан",
    "работ",
    "действ",
    "задач",
    "направлен",
    "деятельност",
    "вид работ",
    "этап",
    "перечень",
)
_SESSION_RE = re.compile(
    r"^(?:(?:срок[иа]?|дат[аы]|период)\s*(?:проведения\s*)?[:(\-–—]?\s*)?"
    r"(?P<label>" + "(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-яё]*"
    r"(?:\s+20\d\d(?:\s*г\.?|\s+года)?)?"
    r"|(?:основн|дополнит|резервн|досрочн)[а-яё]*(?:\s+(?:срок|период|этап|день|дни|дня)[а-яё]*)?"
    r"|(?:\d|i{1,3}|iv)\s*(?:-?й)?\s*этап)\)?\.?$",
    re.IGNORECASE,
)


_MARK_RE = re.compile(r"^(?:[+xхXХ×✓✔vV•*●■]|да)$", re.IGNORECASE)


def month_marks(session_roles: list[str], values: list[str]) -> str | None:
    """Month columns with marks («+», «х», «✓») instead of dates (a Gantt-like plan): the marked
    months as a deadline («октябрь – ноябрь, март»), runs of adjacent columns joined by a dash.
    None when the columns are not all months or a cell holds anything but a mark."""
    if len(session_roles) < 3:
        return None
    labels = [r[len(ROLE_SESSION) :] for r in session_roles]
    if not all(_month_number(label.split()[0]) for label in labels):
        return None
    texts = [_WS_RE.sub(" ", v).strip() for v in values]
    if not all(not t or _MARK_RE.match(t) for t in texts):
        return None
    runs: list[list[str]] = []
    previous = -2
    for k, (label, text) in enumerate(zip(labels, texts)):
        if not text:
            continue
        if k == previous + 1:
            runs[-1].append(label)
        else:
            runs.append([label])
        previous = k
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} – {run[-1]}" for run in runs)


def session_label(text: str) -> str | None:
    """«Декабрь», «Срок (февраль)», «Основной период» -> the session's label; else None."""
    t = _WS_RE.sub(" ", clean_markup(text)[0]).strip()
    m = _SESSION_RE.match(t)
    return m.group("label").strip().lower() if m else None


def header_role(text: str, index: int) -> str:
    t = clean_markup(text)[0].lower()
    t = _WS_RE.sub(" ", t).strip()
    if not t:
        return ROLE_NUMBER if index == 0 else f"{EXTRA}{index + 1}"
    if t.startswith("№") or "п/п" in t or t in ("n", "nn", "no", "номер", "#"):
        return ROLE_NUMBER
    label = session_label(t)
    if label:
        return ROLE_SESSION + label
    if ("начал" in t and ("дат" in t or "срок" in t or t.startswith("начал"))) or t in ("с", "от"):
        return ROLE_START
    if "оконч" in t or "заверш" in t or t in ("по", "до"):
        return ROLE_END
    if "факт" in t:  # «Фактический срок», «Срок (факт)»: the record of execution, not a second deadline
        return EXTRA + clean_markup(text)[0]
    if "срок" in t or "дата" in t or "период" in t or t.startswith(("когда", "месяц")) or "время" in t:
        return ROLE_DEADLINE
    # «Ответственные за исполнение», «Должностное лицо, ответственное за выполнение»: not a remark column
    if "ответствен" in t or t.startswith("исполнител"):
        t = re.sub(r"за\s+(?:исполнени|выполнени|проведени|подготовк)\w*", "", t)
    if any(k in t for k in _EXTRA_WORDS):
        return EXTRA + clean_markup(text)[0]
    if "ответствен" in t or "исполнител" in t or t.startswith("кто") or "участник" in t:
        return ROLE_RESPONSIBLE
    if any(k in t for k in _ACTIVITY_WORDS):
        return ROLE_ACTIVITY
    return EXTRA + clean_markup(text)[0]


def header_roles(cells: list[str]) -> list[str]:
    roles: list[str] = []
    for i, cell in enumerate(cells):
        role = header_role(cell, i)
        if role in roles and role != ROLE_DEADLINE:
            role = f"{EXTRA}{clean_markup(cell)[0] or i + 1}"
        roles.append(role)
    deadlines = [i for i, r in enumerate(roles) if r == ROLE_DEADLINE]
    if len(deadlines) > 1:
        # several deadline columns («Срок (основной период)», «Срок (дополнительный)»): one per session
        for i in deadlines:
            label = (
                _WS_RE.sub(
                    " ", re.sub(r"(?i)срок[иа]?|проведения|исполнения|[():]", " ", clean_markup(cells[i])[0])
                ).strip()
                or f"столбец {i + 1}"
            )
            roles[i] = ROLE_SESSION + label.lower()
    return roles


def is_plan_header(cells: list[str]) -> bool:
    """Does this row look like the header of a plan table?"""
    texts = [clean_markup(c)[0] for c in cells]
    nonempty = [t for t in texts if t]
    if len(nonempty) < 2 or any(len(t) > 60 for t in nonempty):
        return False
    if texts and parse_number(texts[0]) is not None:
        return False
    role_list = header_roles(cells)
    for text, role in zip(texts, role_list):
        # a data row whose cells happen to contain header words («Организация деятельности …»,
        # «в период проведения ГИА») is not a header: header labels are short and hold no deadline
        if role == ROLE_ACTIVITY and len(text.split()) > 5:
            return False
        if role in (ROLE_DEADLINE, ROLE_START, ROLE_END) and looks_like_deadline(text):
            return False
    roles = set(role_list)
    known = roles & {ROLE_ACTIVITY, ROLE_DEADLINE, ROLE_START, ROLE_END, ROLE_RESPONSIBLE}
    if any(r.startswith(ROLE_SESSION) for r in roles):
        known.add(ROLE_DEADLINE)
    if ROLE_ACTIVITY in known and len(known) >= 2:
        return True
    return {ROLE_DEADLINE, ROLE_RESPONSIBLE} <= known


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)(\.?|\))\s*$")
_ROMAN_RE = re.compile(r"^\s*(?=[IVXLC]+\.?\s*$)(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\.?\s*$")


def parse_number(text: str) -> tuple[str, tuple[int, ...]] | None:
    """'2.2.7.' -> ('2.2.7', (2, 2, 7)); None when the text is not a number."""
    m = _NUMBER_RE.match(text or "")
    if not m:
        return None
    number = m.group(1)
    return number, tuple(int(p) for p in number.split("."))


def is_roman(text: str) -> bool:
    return bool(text.strip()) and bool(_ROMAN_RE.match(text))


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SECTION_ORDINAL_RE = re.compile(r"^\s*(?:раздел\s+)?(?P<n>[IVXLC]+|\d{1,2})\s*[.)]?(?:\s|$)", re.IGNORECASE)


def roman_value(text: str) -> int:
    """The value of a Roman numeral already accepted by `is_roman` («IV.» → 4)."""
    digits = [_ROMAN_VALUES[c] for c in text.strip().rstrip(".").upper()]
    return sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))


def section_ordinal(numeral: str | None, title: str) -> int | None:
    """The number a section heading gives itself: «II» in the number column, «II. Организация…»,
    «2. Организация…» or «Раздел 2». Items «2.1», «2.2» under it are its children, not orphans."""
    if numeral and is_roman(numeral):
        return roman_value(numeral)
    m = _SECTION_ORDINAL_RE.match(title)
    if not m:
        return None
    n = m.group("n")
    if n.isdigit():
        return int(n)
    if n.upper() != n or not is_roman(n):  # «Мониторинг…» is not «M»; lower-case «i» is a word
        return None
    return roman_value(n)


# ---------------------------------------------------------------------------
# What does a cell look like?
# ---------------------------------------------------------------------------

MONTH_RE = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-яё]*"
_MONTH_WORD_RE = re.compile(r"^" + MONTH_RE + r"[,.]?$", re.IGNORECASE)
_DEADLINE_RE = re.compile(
    r"\b" + MONTH_RE + r"\b"
    r"|\b(?:19|20)\d{2}\b"
    r"|\d{1,2}\.\d{1,2}\."
    r"|в течение|постоянно|ежемесячно|еженедельно|ежедневно|ежегодно|ежеквартально|круглогодично"
    r"|весь период|график|по отдельному|по плану|в период|не позднее|не ранее|до начала|по мере"
    r"|по запросу|по срокам|в сроки|в день|за день|накануне|по завершени|после|по договору"
    r"|со дня|с момента|сутк|раза? в|не реже|^до\s|^с\s+\d|\bза\s+\S+\s+(?:дн|недел|месяц|рабоч|календар)",
    re.IGNORECASE,
)
_ACTOR_WORD_RE = re.compile(
    r"\b[А-ЯЁ][А-ЯЁа-яё]*[А-ЯЁ]\b"  # abbreviations: МОУО, МОиНК, КРИПКиПРО
    r"|(?i:сектор|отдел|управлени|министерств|центр|комисси|руководител|специалист|координатор"
    r"|учител|эксперт|организаци|учреждени|департамент|институт|служб|председател|член"
    r"|наблюдател|психолог|администрац|школ)",
)


def looks_like_deadline(text: str) -> bool:
    return bool(text and _DEADLINE_RE.search(text))


def looks_like_actor(text: str) -> bool:
    return bool(text) and not looks_like_deadline(text) and bool(_ACTOR_WORD_RE.search(text))


# Tokens a deadline may end with (used to split "по графику Сектор ГИА, РЦОИ").
_DEADLINE_END_RE = re.compile(
    r"^(?:года|год|г\.?|\d{4}|графику|плану|договору|постоянно|ежемесячно|еженедельно|ежедневно"
    r"|ежеквартально|ежегодно|круглогодично|квартал|период|экзамена|экзаменов|экзамену"
    r"|(?:ГИА|ЕГЭ|ОГЭ|ГВЭ)(?:\s*[-–]\s*\d{1,4})?|ФЦТ|" + MONTH_RE + r")$",
    re.IGNORECASE,
)
_DEADLINE_UPPER_OK_RE = re.compile(r"^(?:(?:ГИА|ЕГЭ|ОГЭ|ГВЭ)(?:[-–]\d{1,4})?|ФЦТ)[,.]?$")


def split_deadline_responsible(text: str) -> tuple[str, str] | None:
    """Split a merged «<deadline> <responsible>» cell.

    Returns (deadline, responsible) as substrings of ``text`` or None when no
    plausible split exists.  The last plausible split point wins, so
    «в период ГИА Сектор ГИА» -> («в период ГИА», «Сектор ГИА»).
    """
    tokens = list(re.finditer(r"\S+", text))
    best: tuple[str, str] | None = None
    for k in range(1, len(tokens)):
        last = tokens[k - 1].group()
        if not _DEADLINE_END_RE.match(last):
            continue
        # The deadline part may not contain capitalised words other than the
        # exam acronyms (that would be an actor name already).
        ok = True
        for tok in tokens[1:k]:
            word = tok.group()
            if word[:1].isupper() and not _DEADLINE_UPPER_OK_RE.match(word) and not _MONTH_WORD_RE.match(word):
                ok = False
                break
        if not ok:
            continue
        left = text[: tokens[k - 1].end()].strip()
        right = text[tokens[k].start() :].strip()
        if not _starts_upper(right) or looks_like_deadline(right):
            continue
        if not looks_like_deadline(left):
            continue
        best = (left, right)
    return best


# ---------------------------------------------------------------------------
# Responsible names, persons, track
# ---------------------------------------------------------------------------

_PERSON_RES = (
    re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\."),
    re.compile(r"[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"),
)
_DEFINITION_RE = re.compile(r"\(\s*далее\s*[-–—]?[^)]*\)", re.IGNORECASE)
_SCHEDULE_PREFIX_RE = re.compile(
    r"^(?:по|согласно)\s+(?:отдельному\s+)?(?:плану|графику)(?:-графику)?\s+", re.IGNORECASE
)
_ABBR_STOP_RE = re.compile(r"(?<=[А-ЯЁA-Z]{2})\.\s+(?=[А-ЯЁA-Z])")
# A capitalised actor head word in the middle of a piece starts a new actor
# when the comma was forgotten: «руководители ОО Руководители методических …».
_HEAD_WORD_SPLIT_RE = re.compile(
    r"(?<=\S)\s+(?=(?:Руководител|Сектор\b|Отдел\b|Председател|Члены\b|Специалист|Управление\b)"
    r"[а-яё]*)"
)


def _split_top_level(text: str) -> list[str]:
    """Split on , ; and newlines, but not inside parentheses."""
    parts: list[str] = []
    depth = 0
    buf = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in ",;\n" and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    if depth:  # unbalanced parentheses: do not trust them
        parts = re.split(r"[,;\n]", text)
    return parts


# A post, not an organisation: «Иванов И.И., начальник отдела ГИА», «заместитель министра Петров П.П.»
_POSITION_RE = re.compile(
    r"^(?:(?:главн|ведущ|старш|перв)[а-яё]*\s+)?(?:начальник|заместител|зам\.|директор|министр|руководител"
    r"|председател|специалист|консультант|методист|советник|референт|эксперт|инспектор|заведующ"
    r"|ректор|проректор|помощник|секретар|уполномоченн)",
    re.IGNORECASE,
)


_PAREN_RE = re.compile(r"\(([^()]*)\)")
# Words that join two responsible organisations written without a comma
_JOINING_WORDS = frozenset({"и", "/", "совместно", "с", "со", "при", "участии", "во", "взаимодействии"})
# A remark after an organisation, not part of its name: «ОО (по согласованию)», «МОУО - по компетенции»
_REMARK_RE = re.compile(
    r"\s*(?:\(\s*по\s+(?:согласованию|компетенции|необходимости)\s*\)|[-–—]?\s*по\s+(?:согласованию|компетенции))\s*$",
    re.IGNORECASE,
)


def _paren_posts(match: re.Match, posts: dict[str, str]) -> str:
    """«(Сидорова А.А., главный специалист)»: the post is noted for the person and dropped."""
    parts = [p.strip() for p in re.split(r"[,;]", match.group(1))]
    kept: list[str] = []
    for part in parts:
        person = next((m.group() for rx in _PERSON_RES for m in [rx.search(kept[-1])] if m), None) if kept else None
        if person and _POSITION_RE.match(part) and not any(rx.search(part) for rx in _PERSON_RES):
            posts[person] = part
            continue
        kept.append(part)
    return "(" + ", ".join(kept) + ")"


def split_responsible(text: str) -> tuple[list[str], list[dict[str, str | None]]]:
    """Split a responsible cell into actor names and named persons.

    «БУ РК «ЦОКО» (Убушаева Е.И.), МОУО» ->
    (['БУ РК «ЦОКО»', 'МОУО'], [{'name': 'Убушаева Е.И.', 'organization': 'БУ РК «ЦОКО»'}])

    A post next to a person («Иванов И.И., начальник отдела ГИА», «заместитель министра
    Петров П.П.») is the person's ``position``, not an organisation.
    """
    names: list[str] = []
    persons: list[dict[str, str | None]] = []
    last_alone: dict[str, str | None] | None = None  # a person written without anything else
    for piece in _split_top_level(text):
        bare = _WS_RE.sub(" ", piece).strip(" \t.,;:-–—•")
        if (
            last_alone is not None
            and bare
            and _POSITION_RE.match(bare)
            and not any(rx.search(bare) for rx in _PERSON_RES)
        ):
            last_alone["position"] = bare
            last_alone = None
            continue
        last_alone = None
        posts: dict[str, str] = {}
        piece = _PAREN_RE.sub(lambda m, posts=posts: _paren_posts(m, posts), piece)
        subs = [s for part in _ABBR_STOP_RE.split(piece) for s in _HEAD_WORD_SPLIT_RE.split(part)]
        for sub in subs:
            sub = _DEFINITION_RE.sub("", sub)
            found: list[str] = []
            for rx in _PERSON_RES:
                for m in rx.finditer(sub):
                    found.append(m.group())
            for person in found:
                sub = sub.replace(person, " ")
            sub = re.sub(r"\([\s,;]*\)|«\s*»", " ", sub)
            sub = _SCHEDULE_PREFIX_RE.sub("", sub.strip())
            sub = _REMARK_RE.sub("", sub)
            sub = _WS_RE.sub(" ", sub).strip(" \t.,;:-–—•")
            if found and sub.startswith("(") and sub.endswith(")") and sub.count("(") == 1:
                sub = sub[1:-1].strip()  # «Иванова А.А. (РЦОИ)»: the person's organisation
            position = sub if sub and found and _POSITION_RE.match(sub) else None
            for person in found:
                entry: dict[str, str | None] = {"name": _WS_RE.sub(" ", person).strip(), "organization": None}
                if person in posts:  # «Министерство (Сидорова А.А., главный специалист)»
                    entry["organization"] = None if position else (sub or None)
                    entry["position"] = posts[person]
                elif position:
                    entry["position"] = position
                else:
                    entry["organization"] = sub or None
                persons.append(entry)
            if found and not sub and len(subs) == 1:
                last_alone = persons[-1]
            if sub and not position:
                names.append(sub)
    return names, persons


_TRACK_PATTERNS = {
    "essay": re.compile(r"сочинени|изложени|ИС\s*\(\s*ИЗ\s*\)", re.IGNORECASE),
    "interview": re.compile(r"итогов\w*\s+(?:устн\w*\s+)?собеседовани|собеседовани\w*\s+по\s+русскому", re.IGNORECASE),
    "gia9": re.compile(
        r"ГИА\s*[-–—]?\s*9\b|\bОГЭ\b|ППЭ\s*-\s*9\b|ГЭК\s*-\s*9\b|\b9\s*-?\s*х?\s+класс|\bIX\b"
        r"|основного общего(?: образования| и среднего)",
        re.IGNORECASE,
    ),
    "gia11": re.compile(
        r"ГИА\s*[-–—]?\s*11\b|\bЕГЭ\b|ППЭ\s*-\s*11\b|ГЭК\s*-\s*11\b|\b11\s*-?\s*х?\s+класс|\bXI\b"
        r"|среднего общего образования",
        re.IGNORECASE,
    ),
}


def detect_track(text: str) -> str | None:
    """ГИА-9 / ГИА-11 / both / essay / interview, when the text says so."""
    if not text:
        return None
    special = []
    for key in ("essay", "interview"):
        m = _TRACK_PATTERNS[key].search(text)
        if m:
            special.append((m.start(), key))
    if special:
        return min(special)[1]
    g9 = bool(_TRACK_PATTERNS["gia9"].search(text))
    g11 = bool(_TRACK_PATTERNS["gia11"].search(text))
    if g9 and g11:
        return "both"
    if g9:
        return "gia9"
    if g11:
        return "gia11"
    return None


# ---------------------------------------------------------------------------
# Plan metadata: title, approving order, academic year
# ---------------------------------------------------------------------------

_MONTH_NUM = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "май": 5,
    "мая": 5,
    "мае": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}


def _month_number(word: str) -> int | None:
    w = word.lower()
    for stem, num in _MONTH_NUM.items():
        if w.startswith(stem):
            return num
    return None


_DATE_RE = re.compile(
    r"«?\s*(?P<d>\d{1,2})\s*»?\s*[.\s]\s*(?P<m>\d{1,2}|" + MONTH_RE + r")\s*[.\s]\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_DOC_REF_RE = re.compile(
    r"\bот\s+(?P<date>«?\s*(?:\d{1,2}|_+)\s*»?\s*[.\s]?\s*(?:\d{1,2}|" + MONTH_RE + r"|_+)"
    r"[.\s]*(?:\d{4}|_+\d{4}|_+)?\s*(?:г(?:ода|\.)?|года)?)\s*(?:г\.?\s*)?№\s*(?P<num>[\w\-/]+|_+)",
    re.IGNORECASE,
)
_TITLE_START_RE = re.compile(
    r"^\W*(?:план\b|план\s*[-–—]\s*график|план-график|дорожная\s+карта|график\b|"
    r"перечень\s+мероприятий|комплекс\s+мер|календарн)",
    re.IGNORECASE,
)


def _parse_date(text: str) -> date | None:
    m = _DATE_RE.search(text)
    if not m:
        return None
    month = m.group("m")
    mnum = int(month) if month.isdigit() else _month_number(month)
    try:
        return date(int(m.group("y")), mnum or 0, int(m.group("d")))
    except ValueError:
        return None


def _joined(lines: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Join text lines with newlines; return the text and (offset, line) marks."""
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0
    for line_no, text in lines:
        marks.append((offset, line_no))
        parts.append(text)
        offset += len(text) + 1
    return "\n".join(parts), marks


def _line_at(marks: list[tuple[int, int]], offset: int) -> int | None:
    line = None
    for start, line_no in marks:
        if start <= offset:
            line = line_no
        else:
            break
    return line


def extract_title(lines: list[tuple[int, str]]) -> tuple[str | None, int | None]:
    """The last title-like paragraph before the table («План…», «Дорожная карта…»)."""
    best: tuple[str, int] | None = None
    i = 0
    clean = [(n, clean_markup(t)[0]) for n, t in lines]
    while i < len(clean):
        line_no, text = clean[i]
        if text and _TITLE_START_RE.match(text):
            parts = [text]
            j = i + 1
            while (
                j < len(clean) and clean[j][1] and not _starts_upper(clean[j][1]) and clean[j][0] == clean[j - 1][0] + 1
            ):
                parts.append(clean[j][1])
                j += 1
            best = (_WS_RE.sub(" ", " ".join(parts)).strip(), line_no)
            i = j
            continue
        i += 1
    if best is None:
        return None, None
    return best


def _doc_ref(match: re.Match, marks, kind: str, source: str) -> dict[str, Any]:
    date_raw = match.group("date").strip()
    number = match.group("num").strip()
    placeholder = "_" in date_raw or "_" in number
    parsed = None if placeholder else _parse_date(date_raw)
    return {
        "kind": kind,
        "date": parsed.isoformat() if parsed else None,
        "date_raw": date_raw,
        "number": None if "_" in number else number,
        "line": _line_at(marks, match.start()),
        "source": source,
        "placeholder": placeholder,
    }


def extract_approval(lines: list[tuple[int, str]]) -> tuple[dict[str, Any] | None, list[Finding]]:
    findings: list[Finding] = []
    text, marks = _joined([(n, clean_markup(t)[0]) for n, t in lines])
    stamp = None
    # 1. Approval stamp: «Утверждена приказом … от 01.11 2023 года № 1992».
    for m in re.finditer(
        r"утвержд[её]н[аоы]?\s+(?P<kind>приказом|распоряжением|постановлением|решением)", text, re.IGNORECASE
    ):
        ref = _DOC_REF_RE.search(text, m.end(), m.end() + 400)
        if ref:
            kind = {
                "приказом": "приказ",
                "распоряжением": "распоряжение",
                "постановлением": "постановление",
                "решением": "решение",
            }[m.group("kind").lower()]
            stamp = _doc_ref(ref, marks, kind, "гриф утверждения")
            break
    # 2. «Приложение к приказу/письму … от … №».
    annex = None
    for m in re.finditer(
        r"приложение\s+(?:№?\s*\d+\s+)?к\s+(?P<kind>приказу|письму|распоряжению|постановлению)", text, re.IGNORECASE
    ):
        ref = _DOC_REF_RE.search(text, m.end(), m.end() + 300)
        if ref:
            kind = {
                "приказу": "приказ",
                "письму": "письмо",
                "распоряжению": "распоряжение",
                "постановлению": "постановление",
            }[m.group("kind").lower()]
            annex = _doc_ref(ref, marks, kind, "приложение к документу")
            break
    # 3. The order's own header: «П Р И К А З … От 11.02.2023г … № 1992».
    header = None
    hm = re.search(r"^\s*(?:П\s*Р\s*И\s*К\s*А\s*З|ПРИКАЗ)\s*$", text, re.MULTILINE)
    if hm:
        window = text[hm.end() : hm.end() + 200]
        dm = re.search(r"от\s+(?P<date>[^\n№]*\d{4}\s*(?:г(?:ода|\.)?)?)", window, re.IGNORECASE)
        nm = re.search(r"№\s*(?P<num>[\w\-/]+)", window)
        if dm and nm:
            parsed = _parse_date(dm.group("date"))
            header = {
                "kind": "приказ",
                "date": parsed.isoformat() if parsed else None,
                "date_raw": dm.group("date").strip(),
                "number": nm.group("num"),
                "line": _line_at(marks, hm.end() + dm.start()),
                "source": "шапка приказа",
                "placeholder": False,
            }
    # 4. A signature stamp: «УТВЕРЖДАЮ / Министр … / ____ И.И. Иванов / «01» сентября 2025 г.» — approved
    #    by the official's signature, no order number.
    signed = None
    sm = re.search(r"(?<![а-яё])утверждаю(?![а-яё])", text, re.IGNORECASE)
    if sm:
        window = text[sm.end() : sm.end() + 300]
        dm = re.search(
            r"«?\s*(?:\d{1,2}|_+)\s*»?\s*[.\s]\s*(?:\d{1,2}|" + MONTH_RE + r"|_+)\s*[.\s]\s*(?:\d{4}|20_+|_+)"
            r"(?:\s*(?:г(?:ода|\.)?))?",
            window,
            re.IGNORECASE,
        )
        if dm:
            raw_date = dm.group().strip()
            parsed = None if "_" in raw_date else _parse_date(raw_date)
            signed = {
                "kind": "гриф «УТВЕРЖДАЮ»",
                "date": parsed.isoformat() if parsed else None,
                "date_raw": raw_date,
                "number": None,
                "line": _line_at(marks, sm.end() + dm.start()),
                "source": "подпись руководителя",
                "placeholder": "_" in raw_date or parsed is None,
            }
    approved = None
    for candidate in (stamp, annex, header, signed):
        if candidate and not candidate["placeholder"]:
            approved = candidate
            break
    if approved is None:
        placeholder = next((c for c in (stamp, annex, signed) if c and c["placeholder"]), None)
        if placeholder:
            findings.append(
                Finding(
                    "approval_placeholder",
                    (
                        f"Дата утверждения не заполнена («{placeholder['date_raw']}»): "
                        if placeholder is signed
                        else f"Дата и номер документа не заполнены («{placeholder['date_raw']} № …»): "
                    )
                    + "вероятно, это проект, а не утверждённый план.",
                    "warning",
                    placeholder["line"],
                )
            )
    if (
        approved
        and header
        and approved is not header
        and header.get("number") == approved.get("number")
        and header.get("date")
        and approved.get("date")
        and header["date"] != approved["date"]
    ):
        findings.append(
            Finding(
                "approval_date_conflict",
                f"Приказ № {approved['number']} датирован по-разному: «{header['date_raw']}» в шапке "
                f"и «{approved['date_raw']}» в грифе утверждения. Использована дата из грифа.",
                "warning",
                approved["line"],
            )
        )
    if approved:
        approved = {k: v for k, v in approved.items() if k != "placeholder"}
    return approved, findings


def academic_year(title: str | None, approved: dict[str, Any] | None) -> str | None:
    """«2023/24» from the title (or the approval date as a fallback)."""

    def fmt(start: int) -> str:
        return f"{start}/{str(start + 1)[2:]}"

    if title:
        # «2025/2026 учебный год», «2025/26 уч. г.», «2025-26»: two consecutive years are the academic year
        for m in re.finditer(r"\b(20\d\d)\s*[-–—/]\s*(20\d\d|\d\d)\b", title):
            start, end = int(m.group(1)), int(m.group(2))
            if end == start + 1 or end == (start + 1) % 100:
                return fmt(start)
        m = re.search(r"\bв\s+(20\d\d)\s+год", title, re.IGNORECASE)
        if m:
            return fmt(int(m.group(1)) - 1)
        m = re.search(r"(" + MONTH_RE + r")\s+(20\d\d)", title, re.IGNORECASE)
        if m:
            month = _month_number(m.group(1)) or 1
            year = int(m.group(2))
            return fmt(year if month >= 9 else year - 1)
        m = re.search(r"\b(20\d\d)\b", title)
        if m:
            return fmt(int(m.group(1)) - 1)
    if approved and approved.get("date"):
        d = date.fromisoformat(approved["date"])
        return fmt(d.year if d.month >= 9 else d.year - 1)
    return None


# ---------------------------------------------------------------------------
# Records: one logical row after joining continuation rows
# ---------------------------------------------------------------------------


@dataclass
class _Rec:
    kind: str  # "item" | "heading" | "text"
    line: int
    lines: list[int]
    table: int
    frags: dict[str, list[str]] = field(default_factory=dict)
    number_raw: str | None = None
    number: str | None = None
    comps: tuple[int, ...] | None = None
    title: str = ""
    roman: bool = False
    bold: bool = False
    warnings: list[Finding] = field(default_factory=list)
    vmerged: set[str] = field(default_factory=set)
    merged_candidate: bool = False
    missing_responsible: bool = False
    no_inherit: set[str] = field(default_factory=set)
    unnumbered: bool = False
    cells_short: bool = False
    # whole cell texts per role, one per table row (``frags`` splits them into lines)
    cells: dict[str, list[str]] = field(default_factory=dict)
    # rows joined to this item because its number cell is merged over them
    merged_rows: int = 0

    def text(self, role: str) -> str:
        return smart_join(self.frags.get(role, []))

    def add(self, role: str, text: str) -> None:
        if text.strip():
            self.frags.setdefault(role, []).extend(p for p in text.split("\n") if p.strip())
            self.cells.setdefault(role, []).append(text.strip())

    def warn(
        self, code: str, message: str, severity: str = "warning", line: int | None = None, field_name: str | None = None
    ) -> None:
        self.warnings.append(Finding(code, message, severity, self.line if line is None else line, field_name))


_ROLE_RU = {
    ROLE_ACTIVITY: "Мероприятие",
    ROLE_DEADLINE: "Сроки",
    ROLE_START: "Дата начала",
    ROLE_END: "Дата окончания",
    ROLE_RESPONSIBLE: "Ответственные",
    ROLE_NUMBER: "№",
}


def _role_ru(role: str) -> str:
    if role.startswith(EXTRA):
        return role[len(EXTRA) :]
    if role.startswith(ROLE_SESSION):
        return "Срок: " + role[len(ROLE_SESSION) :]
    return _ROLE_RU.get(role, role)


def infer_roles(rows: list[RawRow]) -> list[str]:
    """Guess column roles of a table without a recognisable header."""
    width = max((len(r.cells) for r in rows if r.kind == "row"), default=0)
    if width == 0:
        return []
    stats = []
    for col in range(width):
        values = [clean_markup(r.cells[col])[0] for r in rows if r.kind == "row" and col < len(r.cells)]
        values = [v for v in values if v]
        n = len(values) or 1
        stats.append(
            {
                "number": sum(1 for v in values if parse_number(v)) / n,
                "deadline": sum(1 for v in values if looks_like_deadline(v)) / n,
                "actor": sum(1 for v in values if looks_like_actor(v)) / n,
                "length": sum(len(v) for v in values) / n,
                "filled": len(values),
            }
        )
    roles: list[str | None] = [None] * width
    free = set(range(width))

    def take(col: int, role: str) -> None:
        roles[col] = role
        free.discard(col)

    numberish = [c for c in free if stats[c]["number"] >= 0.5 and stats[c]["filled"]]
    if numberish:
        take(min(numberish), ROLE_NUMBER)
    if free:
        col = max(free, key=lambda c: (stats[c]["deadline"], -c))
        if stats[col]["deadline"] >= 0.3:
            take(col, ROLE_DEADLINE)
    if free:
        col = max(free, key=lambda c: (stats[c]["length"], -c))
        if stats[col]["filled"]:
            take(col, ROLE_ACTIVITY)
    if free:
        col = max(free, key=lambda c: (stats[c]["actor"], -c))
        if stats[col]["actor"] >= 0.3:
            take(col, ROLE_RESPONSIBLE)
    return [r if r is not None else f"{EXTRA}{i + 1}" for i, r in enumerate(roles)]


def _plural_columns(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} столбец"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} столбца"
    return f"{n} столбцов"


COLUMN_HINT = (
    "Укажите, какой столбец что содержит: в веб-форме — на шаге предпросмотра, в командной строке — "
    "--columns activity=N,deadline=N,responsible=N (номера столбцов слева направо, с 1)."
)


def describe_columns(table: RawTable, roles: list[str] | None = None) -> str:
    """«найдено 3 столбца: «Срок», «Ответственные», «Примечание»» (or samples of a headerless table)."""
    if table.header:
        names = [clean_markup(c)[0] or f"(пустой {i + 1}-й)" for i, c in enumerate(table.header)]
    else:
        width = max((len(r.cells) for r in table.rows if r.kind == "row"), default=0)
        names = []
        for col in range(width):
            sample = next(
                (
                    clean_markup(r.cells[col])[0]
                    for r in table.rows
                    if r.kind == "row" and col < len(r.cells) and r.cells[col].strip()
                ),
                "",
            )
            names.append(f"{col + 1}-й, например «{sample[:40]}»" if sample else f"{col + 1}-й (пустой)")
    return f"найдено {_plural_columns(len(names))}: " + ", ".join(
        n if n.startswith(tuple("0123456789(")) else f"«{n}»" for n in names
    )


def is_column_numbers(cells: list[str]) -> bool:
    """The row under a header numbering its columns «1 | 2 | 3 | 4» (ГОСТ tables; repeated on every
    page of a table that runs over several): not an item."""
    filled = [(i, clean_markup(c)[0].strip().rstrip(".")) for i, c in enumerate(cells)]
    filled = [(i, t) for i, t in filled if t]
    if len(filled) < 3 or not all(t.isdigit() for _, t in filled):
        return False
    values = [int(t) for _, t in filled]
    return values == list(range(values[0], values[0] + len(values))) and values[0] in (0, 1)


def _is_subheader(cells: list[str], roles: list[str]) -> bool:
    """A second header row naming the sessions under a merged «Сроки проведения» cell."""
    texts = [clean_markup(c)[0] for c in cells]
    filled = [i for i, t in enumerate(texts) if t]
    if len(filled) < 2:
        return False
    if ROLE_ACTIVITY in roles and texts[roles.index(ROLE_ACTIVITY)]:
        return False
    return all(session_label(texts[i]) or header_role(texts[i], i) in (ROLE_START, ROLE_END) for i in filled)


def apply_columns(roles: list[str], columns: dict[str, int]) -> list[str]:
    """The user's mapping (role -> 1-based column) over the detected roles."""
    roles = list(roles)
    width = max([len(roles), *columns.values()])
    roles += [f"{EXTRA}{i + 1}" for i in range(len(roles), width)]
    for role, col in columns.items():
        if role in ("skip", "extra") or role.startswith(EXTRA):
            roles[col - 1] = f"{EXTRA}{col}"
            continue
        for i, r in enumerate(roles):
            if r == role:
                roles[i] = f"{EXTRA}{i + 1}"
        roles[col - 1] = role
    return roles


class _TableBuilder:
    """Builds the records of one raw table."""

    def __init__(
        self, table: RawTable, index: int, columns: dict[str, int] | None = None, header_lines: set[int] | None = None
    ):
        self.table = table
        self.index = index
        self.forced = bool(columns)
        if header_lines:
            kept = [r for r in table.rows if r.line not in header_lines]
            if table.header is None:
                first = next((r for r in table.rows if r.line in header_lines and r.kind == "row"), None)
                if first is not None:
                    table.header, table.header_line = first.cells, first.line
            table.rows = kept
        self.inferred = not table.header
        table.rows = [r for r in table.rows if r.kind != "row" or not is_column_numbers(r.cells)]
        if table.header:
            # the header row again inside the table (a table pasted page by page): not an item; the
            # row after it may continue the item before it, as after a page break
            header = [norm(c) for c in table.header]
            rows = []
            after_header = False
            for r in table.rows:
                if r.kind == "row" and [norm(c) for c in r.cells] == header:
                    after_header = True
                    continue
                if after_header and r.kind == "row":
                    r.after_break = True
                    after_header = False
                rows.append(r)
            table.rows = rows
        if table.header:
            self.roles = header_roles(table.header)
            rows = [r for r in table.rows if r.kind == "row"]
            if rows and _is_subheader(rows[0].cells, self.roles):
                sub = rows[0]
                width = max(len(table.header), len(sub.cells))
                merged = [
                    (s if clean_markup(s)[0] else h)
                    for h, s in zip(
                        table.header + [""] * (width - len(table.header)), sub.cells + [""] * (width - len(sub.cells))
                    )
                ]
                table.header = merged
                table.rows.remove(sub)
                self.roles = header_roles(merged)
        else:
            self.roles = infer_roles(table.rows)
        if columns:
            self.roles = apply_columns(self.roles, columns)
        if ROLE_ACTIVITY not in self.roles:
            raise PlanReadError(
                f"Таблица плана: {describe_columns(table)}; не найден столбец с мероприятиями. " + COLUMN_HINT
            )
        if (
            self.inferred
            and not self.forced
            and not (
                {ROLE_DEADLINE, ROLE_START, ROLE_END} & set(self.roles)
                or any(r.startswith(ROLE_SESSION) for r in self.roles)
            )
        ):
            raise PlanReadError(
                f"Таблица без строки заголовка: {describe_columns(table)}; ни в одном столбце нет сроков "
                "(дат, месяцев), поэтому это не похоже на план мероприятий. " + COLUMN_HINT
            )
        self.records: list[_Rec] = []
        self.has_number = ROLE_NUMBER in self.roles

    # -- cell alignment ----------------------------------------------------

    def _align(self, row: RawRow, cells: list[str]) -> tuple[dict[str, str], dict[str, Any]]:
        roles = self.roles
        n, m = len(roles), len(cells)
        flags: dict[str, Any] = {
            "short": False,
            "missing_responsible": False,
            "merged": False,
            "extra": "",
            "merged_other": [],
        }
        if m > n:
            surplus = [c for c in cells[n:] if c]
            if surplus:
                flags["extra"] = " ".join(surplus)
                cells = cells[: n - 1] + [smart_join([cells[n - 1]] + surplus)]
            else:
                cells = cells[:n]
            m = n
        role_seq = list(roles)
        if m < n:
            if (
                m == n - 1
                and ROLE_RESPONSIBLE in roles
                and ROLE_DEADLINE in roles
                and roles.index(ROLE_RESPONSIBLE) != 0
            ):
                role_seq = [r for r in roles if r != ROLE_RESPONSIBLE]
                flags["missing_responsible"] = True
                flags["merged"] = roles.index(ROLE_DEADLINE) < roles.index(ROLE_RESPONSIBLE)
            else:
                flags["short"] = True
            cells = cells + [""] * (len(role_seq) - m)
        values = {role: cells[i] for i, role in enumerate(role_seq)}
        if row.spans:
            for i, span in enumerate(row.spans[: len(roles)]):
                if span > 1:
                    covered = roles[i : i + span]
                    if roles[i] == ROLE_DEADLINE and ROLE_RESPONSIBLE in covered:
                        flags["merged"] = True
                    elif len(covered) > 1 and cells[i]:
                        flags["merged_other"].append((roles[i], covered))
        return values, flags

    # -- classification ----------------------------------------------------

    def build(self, carry: _Rec | None = None) -> list[_Rec]:
        """``carry``: the last item of the table before a repeated header (a page break); a first
        row without a number continues it."""
        last_item: _Rec | None = carry
        last: _Rec | None = carry
        if carry is not None:
            first = next((r for r in self.table.rows if r.kind == "row"), None)
            if first is not None:
                first.after_break = True
        for row in self.table.rows:
            if row.kind == "paragraph":
                text, bold = clean_markup(" ".join(row.cells))
                if not text:
                    continue
                is_heading = (row.after_break and row.before_break) or bold or row.bold or row.heading
                rec = _Rec(
                    "heading" if is_heading and len(text) <= 300 else "text",
                    row.line,
                    list(row.lines),
                    self.index,
                    title=text,
                    bold=bold,
                )
                self.records.append(rec)
                last = rec
                if rec.kind == "heading":
                    last_item = None
                continue

            cleaned = [clean_markup(c) for c in row.cells]
            cells = [c for c, _ in cleaned]
            bold = row.bold or any(b for _, b in cleaned)
            nonempty = [i for i, c in enumerate(cells) if c]
            if not nonempty:
                continue
            values, flags = self._align(row, cells)
            full_span = bool(row.spans) and len(nonempty) == 1 and row.spans[nonempty[0]] >= max(2, len(self.roles) - 1)

            num_text = values.get(ROLE_NUMBER, "") if self.has_number else ""
            parsed = parse_number(num_text) if num_text else None
            others = [r for r, v in values.items() if v and r != ROLE_NUMBER]

            heading_title: str | None = None
            roman = False
            if self.has_number:
                if (
                    num_text
                    and parsed is None
                    and is_roman(num_text)
                    and others
                    and all(r in (ROLE_ACTIVITY,) for r in others)
                ):
                    heading_title, roman = values[ROLE_ACTIVITY], True
                elif num_text and parsed is None and not others:
                    heading_title = num_text
                elif not num_text and len(nonempty) == 1 and (bold or full_span):
                    heading_title = cells[nonempty[0]]
            else:
                if len(nonempty) == 1 and (bold or full_span):
                    heading_title = cells[nonempty[0]]
            if heading_title is not None:
                rec = _Rec(
                    "heading",
                    row.line,
                    list(row.lines),
                    self.index,
                    title=_WS_RE.sub(" ", heading_title).strip(),
                    roman=roman,
                    bold=bold,
                    number_raw=num_text if roman else None,
                )
                self.records.append(rec)
                last, last_item = rec, None
                continue

            vmerged_roles = {self.roles[i] for i in row.vmerged if i < len(self.roles)}

            # Continuation or unnumbered row?
            if not num_text or not self.has_number:
                first_text = values.get(ROLE_ACTIVITY) or cells[nonempty[0]]
                if self.has_number:
                    prev_activity = last_item.text(ROLE_ACTIVITY) if last_item else ""
                    is_cont = (
                        last_item is not None
                        and last is last_item
                        and (
                            row.after_break
                            or not values.get(ROLE_ACTIVITY)
                            or _starts_continuation(first_text)
                            or prev_activity.rstrip().endswith(":")
                        )
                    )
                else:
                    is_cont = (
                        last_item is not None
                        and last is last_item
                        and (not values.get(ROLE_ACTIVITY) or (row.after_break and _starts_continuation(first_text)))
                    )
                if is_cont:
                    self._join(last_item, row, values)
                    continue

            rec = _Rec("item", row.line, list(row.lines), self.index, bold=bold)
            rec.vmerged = vmerged_roles
            if self.has_number:
                if parsed:
                    rec.number_raw = num_text
                    rec.number, rec.comps = parsed
                elif num_text:
                    rec.number_raw = num_text
                    rec.unnumbered = True
                    rec.warn(
                        "bad_number",
                        f"Номер пункта «{num_text}» не распознан; строка импортирована как пункт без номера.",
                    )
                else:
                    rec.unnumbered = True
                    rec.warn(
                        "unnumbered_row",
                        "Строка без номера, не похожая на продолжение предыдущей; "
                        "импортирована как подпункт предыдущего пункта. Проверьте.",
                    )
            for role, value in values.items():
                if role != ROLE_NUMBER:
                    rec.add(role, value)
            if flags["extra"]:
                rec.warn(
                    "extra_cells",
                    f"В строке больше ячеек, чем столбцов; лишний текст "
                    f"«{flags['extra']}» добавлен в последний столбец.",
                )
            if flags["short"]:
                rec.cells_short = True
                rec.warn(
                    "short_row",
                    f"В строке {len(row.cells)} ячеек вместо {len(self.roles)}; "
                    "ячейки сопоставлены столбцам слева направо.",
                )
            rec.missing_responsible = flags["missing_responsible"] and not flags["merged"]
            rec.merged_candidate = flags["merged"]
            for role, covered in flags["merged_other"]:
                rec.warn(
                    "merged_cells",
                    "Ячейка «{}» объединена со столбцами {}; текст отнесён к «{}».".format(
                        _role_ru(role), ", ".join(f"«{_role_ru(c)}»" for c in covered[1:]), _role_ru(role)
                    ),
                    "info",
                )
            self.records.append(rec)
            last = last_item = rec
        for rec in self.records:
            if rec.kind == "item":
                self._repair(rec)
        return self.records

    def _join(self, rec: _Rec, row: RawRow, values: dict[str, str]) -> None:
        for role, value in values.items():
            if role == ROLE_NUMBER or not value:
                continue
            if role == ROLE_RESPONSIBLE and rec.frags.get(role):
                prev = rec.frags[role][-1].rstrip()
                if not prev.endswith((",", ";")) and _starts_upper(value):
                    rec.warn(
                        "continuation_new_actor",
                        f"Продолжение строки (стр. {row.line}) добавляет другого ответственного "
                        f"«{value.strip()}»; возможно, это отдельный этап мероприятия.",
                        line=row.line,
                        field_name="responsible",
                    )
            rec.add(role, value)
        if ROLE_NUMBER in self.roles and self.roles.index(ROLE_NUMBER) in row.vmerged:
            rec.merged_rows += 1
        rec.lines.extend(row.lines)
        reason = "после разрыва страницы" if row.after_break else "с пустым номером"
        rec.warn(
            "row_joined",
            f"Строка {row.line} ({reason}) — продолжение пункта; ячейки присоединены по столбцам.",
            "info",
            line=row.line,
        )

    def _repair(self, rec: _Rec) -> None:
        if rec.merged_candidate:
            merged = rec.text(ROLE_DEADLINE)
            split = split_deadline_responsible(merged) if merged else None
            if split and not rec.text(ROLE_RESPONSIBLE):
                rec.frags[ROLE_DEADLINE] = [split[0]]
                rec.frags[ROLE_RESPONSIBLE] = [split[1]]
                rec.warn(
                    "merged_deadline_responsible",
                    f"Сроки и ответственные были в одной ячейке «{merged}»; "
                    f"разделены: срок «{split[0]}», ответственные «{split[1]}».",
                    "info",
                )
            elif not rec.text(ROLE_RESPONSIBLE):
                rec.no_inherit.add(ROLE_RESPONSIBLE)
                rec.warn(
                    "no_responsible",
                    f"Сроки и ответственные были в одной ячейке «{merged}», "
                    "выделить ответственных не удалось: ответственные не указаны.",
                    field_name="responsible",
                )
        elif rec.missing_responsible:
            rec.warn(
                "missing_column",
                "В строке нет столбца «Ответственные» (ячейка объединена по вертикали); "
                "ответственные взяты из предыдущих строк.",
                "info",
                field_name="responsible",
            )
        deadline = rec.text(ROLE_DEADLINE)
        responsible = rec.text(ROLE_RESPONSIBLE)
        if (
            ROLE_DEADLINE in self.roles
            and not deadline
            and responsible
            and looks_like_deadline(responsible)
            and not _SCHEDULE_PREFIX_RE.match(responsible + " ")
        ):
            rec.frags[ROLE_DEADLINE] = rec.frags.pop(ROLE_RESPONSIBLE)
            rec.warn(
                "column_shift",
                f"Срок «{responsible}» стоял в столбце «Ответственные»; перенесён в столбец сроков.",
                field_name="deadline",
            )
        elif deadline and looks_like_actor(deadline) and len(deadline) < 80:
            rec.warn(
                "actor_in_deadline",
                f"В столбце сроков указана организация «{deadline}», а не срок; срок не определён.",
                field_name="deadline",
            )
        if responsible and _SCHEDULE_PREFIX_RE.match(responsible + " "):
            rec.warn(
                "schedule_in_responsible",
                f"В столбце ответственных указана ссылка на план «{responsible}».",
                field_name="responsible",
            )


# ---------------------------------------------------------------------------
# Duplicate tables
# ---------------------------------------------------------------------------


def _item_signature(records: list[_Rec]) -> list[str]:
    return [norm(r.text(ROLE_ACTIVITY)) for r in records if r.kind == "item"]


def _is_duplicate(a: list[str], b: list[str]) -> bool:
    if not a or len(a) != len(b):
        return False
    same = sum(1 for x, y in zip(a, b) if x == y)
    return same >= max(1, int(0.9 * len(a)))


def _note_differences(kept: list[_Rec], copy: list[_Rec]) -> None:
    items_a = [r for r in kept if r.kind == "item"]
    items_b = [r for r in copy if r.kind == "item"]
    for a, b in zip(items_a, items_b):
        roles = set(a.frags) | set(b.frags)
        for role in sorted(roles):
            ta, tb = a.text(role), b.text(role)
            if _WS_RE.sub(" ", ta) != _WS_RE.sub(" ", tb):
                a.warn(
                    "duplicate_table_diff",
                    f"Во второй копии таблицы (стр. {b.line}) столбец «{_role_ru(role)}» отличается: "
                    f"«{ta}» / «{tb}». Использован текст первой копии.",
                    "info",
                    field_name=role,
                )


# ---------------------------------------------------------------------------
# The plan builder
# ---------------------------------------------------------------------------


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


class _PlanBuilder:
    def __init__(
        self,
        raw: RawDocument,
        resolve: Resolver | None,
        parse_deadline: DeadlineHook | None,
        source_name: str | None,
        columns: dict[str, int] | None = None,
        header_lines: set[int] | None = None,
    ):
        self.raw = raw
        self.columns = columns
        self.header_lines = header_lines
        self.inferred = False
        self.resolve = resolve
        self.parse_deadline = parse_deadline
        self.source_name = source_name
        self.plan_warnings: list[Finding] = list(raw.notes)
        self.gantt = False  # deadlines composed from month columns with marks

    # -- step 1: records for all tables, duplicates merged -------------------

    def _records(self) -> tuple[list[_Rec], list[str]]:
        kept: list[tuple[RawTable, list[_Rec], list[str]]] = []
        roles_used: list[str] = []
        for index, table in enumerate(self.raw.tables):
            builder = _TableBuilder(table, index, self.columns, self.header_lines)
            self.inferred = self.inferred or builder.inferred
            carry = None
            if (
                kept
                and table.header
                and kept[-1][0].header
                and [norm(c) for c in table.header] == [norm(c) for c in kept[-1][0].header]
            ):
                carry = next((r for r in reversed(kept[-1][1]) if r.kind == "item"), None)
                if carry is not None and kept[-1][1][-1] is not carry:
                    carry = None  # a heading came last: nothing to continue
            records = builder.build(carry)
            signature = _item_signature(records)
            if not signature and not any(r.kind == "heading" for r in records):
                continue
            duplicate_of = None
            for k_table, k_records, k_sig in kept:
                if _is_duplicate(k_sig, signature):
                    duplicate_of = (k_table, k_records)
                    break
            if duplicate_of:
                k_table, k_records = duplicate_of
                first = k_table.header_line or (k_records[0].line if k_records else None)
                second = table.header_line or (records[0].line if records else None)
                last_second = max((ln for r in records for ln in r.lines), default=second)
                last_first = max((ln for r in k_records for ln in r.lines), default=first)
                self.plan_warnings.append(
                    Finding(
                        "duplicate_table",
                        f"Таблица плана приведена в документе дважды (строки {first}–{last_first} и "
                        f"{second}–{last_second}); копии объединены, мероприятия второй копии "
                        "не добавлены повторно.",
                        "warning",
                        second,
                    )
                )
                _note_differences(k_records, records)
                continue
            if kept and table.name == kept[-1][0].name:  # (another XLSX sheet is a section, said otherwise)
                if (
                    table.header
                    and kept[-1][0].header
                    and [norm(c) for c in table.header] == [norm(c) for c in kept[-1][0].header]
                ):
                    self.plan_warnings.append(
                        Finding(
                            "repeated_header",
                            f"Строка заголовка таблицы повторяется (стр. {table.header_line}); "
                            "строки после неё считаются продолжением таблицы.",
                            "info",
                            table.header_line,
                        )
                    )
            kept.append((table, records, signature))
            if not roles_used:
                roles_used = builder.roles
        records = [r for _, recs, _ in kept for r in recs]
        return records, roles_used

    # -- step 2: structure ----------------------------------------------------

    def build(self) -> ParsedPlan:
        if not self.raw.tables:
            raise PlanReadError("В документе не найдена таблица плана мероприятий.")
        records, roles = self._records()
        if not any(r.kind == "item" for r in records):
            raise PlanReadError("Таблица найдена, но в ней нет ни одной строки мероприятий.")
        self.roles = roles
        self.start_end = ROLE_START in roles or ROLE_END in roles

        numbered = [r for r in records if r.kind == "item" and r.comps]
        hierarchical = any(len(r.comps) > 1 for r in numbered)
        restart = self._restart_mode(records)
        if not numbered:
            scheme = "row"
        elif restart and hierarchical:
            scheme = "dotted"
        elif restart:
            scheme = "letter"
        else:
            scheme = "global"
        self.scheme = scheme

        meta_lines = list(self.raw.preamble)
        if self.raw.tables:
            meta_lines += list(self.raw.tables[0].preamble)
        title, _title_line = extract_title(meta_lines)
        approved, approval_findings = extract_approval(meta_lines)
        self.plan_warnings.extend(approval_findings)
        if not title:
            self.plan_warnings.append(Finding("no_title", "Название плана не найдено.", "info"))

        sections: list[ParsedSection] = []
        items: list[ParsedItem] = []
        self._build_items(records, sections, items, restart)
        plan_track = detect_track(title or "")
        if plan_track not in ("essay", "interview"):
            plan_track = None
        self._finish_items(items, sections, plan_track)

        if self.gantt:
            self.plan_warnings.append(
                Finding(
                    "month_marks",
                    "Сроков в отдельной графе нет: срок каждого мероприятия составлен из отмеченных "
                    "(«+», «х») месяцев таблицы. Проверьте в предпросмотре.",
                    "info",
                )
            )
        abbreviations = self._abbreviations()
        header = self.raw.tables[0].header or []
        columns = {role: (clean_markup(header[i])[0] if i < len(header) else "") for i, role in enumerate(roles)}
        if ROLE_RESPONSIBLE not in roles:
            self.plan_warnings.append(
                Finding(
                    "no_responsible_column",
                    "В таблице нет столбца ответственных: мероприятия импортированы без ответственных; "
                    "назначьте исполнителей в карточках мероприятий (или укажите столбец вручную).",
                    "info",
                )
            )
        if self.inferred and not self.columns and not any(w.code == "no_header" for w in self.plan_warnings):
            self.plan_warnings.append(
                Finding(
                    "no_header",
                    "У таблицы нет строки заголовка; назначение столбцов определено по содержимому: "
                    + ", ".join(f"{i + 1} — {_role_ru(r)}" for i, r in enumerate(roles) if not r.startswith(EXTRA))
                    + ". Проверьте.",
                    "warning",
                )
            )
        return ParsedPlan(
            title=title,
            approved=approved,
            year=academic_year(title, approved),
            sections=sections,
            items=items,
            warnings=self.plan_warnings,
            format=self.raw.format,
            source_name=self.source_name,
            columns=columns,
            abbreviations=abbreviations,
        )

    def _restart_mode(self, records: list[_Rec]) -> bool:
        seen_number = False
        for i, rec in enumerate(records):
            if rec.kind == "item" and rec.comps:
                seen_number = True
            elif rec.kind == "heading" and seen_number:
                nxt = self._next_numbered(records, i)
                if nxt is not None and nxt.comps == (1,):
                    return True
        return False

    @staticmethod
    def _next_numbered(records: list[_Rec], i: int) -> _Rec | None:
        for rec in records[i + 1 :]:
            if rec.kind == "item" and rec.comps:
                return rec
        return None

    def _build_items(
        self, records: list[_Rec], sections: list[ParsedSection], items: list[ParsedItem], restart: bool
    ) -> None:
        section: ParsedSection | None = None
        seen_number = False
        by_number: dict[tuple[str | None, tuple[int, ...]], ParsedItem] = {}
        used_ids: dict[str, ParsedItem] = {}
        prev_comps: dict[str | None, tuple[int, ...] | None] = {}
        last_numbered: dict[str | None, ParsedItem] = {}
        unnumbered_count: dict[str, int] = {}
        dot_styles: list[tuple[ParsedItem, bool]] = []
        row_counter = 0
        pending_group: tuple[str, int] | None = None
        active_group: dict[str, Any] | None = None
        self.levels: dict[str, int] = {}
        section_number: dict[str, int | None] = {}
        numbered_sections: set[str | None] = set()

        for i, rec in enumerate(records):
            if rec.kind == "text":
                self.plan_warnings.append(
                    Finding(
                        "text_outside_table",
                        f"Текст вне строк таблицы пропущен (стр. {rec.line}): «{rec.title[:200]}».",
                        "warning",
                        rec.line,
                    )
                )
                continue
            if rec.kind == "heading":
                nxt = self._next_numbered(records, i)
                is_section = not restart or not seen_number or rec.roman or nxt is None or nxt.comps == (1,)
                if is_section:
                    index = len(sections)
                    sid = _letters(index) if self.scheme == "letter" else f"S{index + 1}"
                    section = ParsedSection(sid, rec.title, rec.line, index + 1)
                    section_number[sid] = section_ordinal(rec.number_raw, rec.title)
                    sections.append(section)
                    pending_group = active_group = None
                else:
                    pending_group = (rec.title, rec.line)
                    if section is not None:
                        section.groups.append({"title": rec.title, "line": rec.line})
                continue

            # -- an item --------------------------------------------------
            sid = section.id if section else None
            scope = sid if self.scheme in ("dotted", "letter") else None
            prefix = self._id_prefix(sid)
            parent: ParsedItem | None = None
            level = 1
            if rec.comps:
                seen_number = True
                number = rec.number
                item_id = prefix + number
                comps = rec.comps
                level = len(comps)
                if len(comps) > 1:
                    for cut in range(len(comps) - 1, 0, -1):
                        parent = by_number.get((scope, comps[:cut]))
                        if parent:
                            break
                # numbering sequence
                prev = prev_comps.get(scope)
                expected = self._expected_next(prev)
                own = section_number.get(sid) if sid else None
                if own is not None and sid not in numbered_sections:
                    expected |= {(own,), (own, 1)}  # «II. …» opens with 2.1 (or 2.)
                numbered_sections.add(sid)
                dup = (scope, comps) in by_number
            elif self.scheme == "row" or not rec.unnumbered:
                row_counter += 1
                number = None
                item_id = f"R{row_counter}"
                comps = None
                prev = None
                expected = set()
                dup = False
            else:
                number = None
                comps = None
                prev = None
                expected = set()
                dup = False
                anchor = last_numbered.get(scope)
                base = anchor.id if anchor else prefix.rstrip(".") or "U"
                unnumbered_count[base] = unnumbered_count.get(base, 0) + 1
                item_id = f"{base}-u{unnumbered_count[base]}"
                parent = anchor
                level = (anchor.level + 1) if anchor else 1

            item = ParsedItem(
                id=item_id,
                section=sid,
                number=number,
                number_raw=rec.number_raw,
                parent=parent.id if parent else None,
                activity=rec.text(ROLE_ACTIVITY),
                deadline_raw=rec.text(ROLE_DEADLINE),
                responsible_raw=rec.text(ROLE_RESPONSIBLE),
                line=rec.line,
                lines=sorted(set(rec.lines)),
                level=level,
            )
            item.warnings.extend(rec.warnings)
            item._rec = rec  # type: ignore[attr-defined]
            if self.start_end:
                item.deadline_start_raw = rec.text(ROLE_START)
                item.deadline_end_raw = rec.text(ROLE_END)
                parts = [p for p in (item.deadline_start_raw, item.deadline_end_raw) if p]
                starts, ends = rec.cells.get(ROLE_START, []), rec.cells.get(ROLE_END, [])
                if not item.deadline_raw and rec.merged_rows and len(starts) == len(ends) == rec.merged_rows + 1:
                    # one item over several rows (its number cell merged), a start and an end in each:
                    # one window per row, not the starts joined with the ends
                    item.deadline_raw = "; ".join(f"{a.strip()} – {b.strip()}" for a, b in zip(starts, ends))
                if not item.deadline_raw:
                    item.deadline_raw = " – ".join(parts)
            for role in rec.frags:
                if role.startswith(EXTRA):
                    item.extra[role[len(EXTRA) :]] = rec.text(role)
            session_roles = [r for r in self.roles if r.startswith(ROLE_SESSION)]
            marked = month_marks(session_roles, [rec.text(r) for r in session_roles])
            if marked is not None:
                # a Gantt-like plan: a column per month, «+» where the activity runs
                session_roles = []
                if not item.deadline_raw:
                    item.deadline_raw = marked
                    self.gantt = True
            if session_roles:
                # one deadline per session column, never dropped (an empty cell stays empty)
                item.sessions = {r[len(ROLE_SESSION) :]: rec.text(r) for r in session_roles}
                if not item.deadline_raw:
                    item.deadline_raw = "; ".join(f"{label}: {raw}" for label, raw in item.sessions.items() if raw)

            if comps:
                section_is_parent = parent is None and len(comps) == 2 and comps[0] == own
                if (
                    len(comps) > 1
                    and not section_is_parent
                    and (parent is None or parent.number != ".".join(map(str, comps[:-1])))
                ):
                    target = ".".join(map(str, comps[:-1]))
                    item.warn(
                        "parent_missing",
                        f"Нет пункта {target}, к которому относится пункт {number}; "
                        + (f"пункт отнесён к {parent.id}." if parent else "пункт оставлен без родителя."),
                    )
                if dup:
                    first = by_number[(scope, comps)]
                    msg = (
                        f"Номер {number} встречается в разделе дважды (стр. {first.line} и {item.line}); "
                        "пункты импортированы как разные мероприятия."
                    )
                    item.warn("duplicate_number", msg)
                    if "duplicate_number" not in first.warning_codes():
                        first.warn("duplicate_number", msg)
                elif prev is not None or expected:
                    if comps not in expected:
                        before = ".".join(map(str, prev)) if prev else "начала раздела"
                        item.warn(
                            "number_sequence",
                            f"Нарушена последовательность нумерации: пункт {number} идёт после {before}.",
                            "info",
                        )
                by_number[(scope, comps)] = item
                prev_comps[scope] = comps
                last_numbered[scope] = item
                dot_styles.append((item, bool(rec.number_raw and rec.number_raw.strip().endswith("."))))

            if item.id in used_ids:
                k = 2
                while f"{item.id}-{k}" in used_ids:
                    k += 1
                item.id = f"{item.id}-{k}"
            used_ids[item.id] = item
            self.levels[item.id] = item.level

            # sub-group headings
            if pending_group is not None:
                title, line = pending_group
                active_group = {"title": title, "parent": item.parent, "level": item.level, "members": {item.id}}
                item.warn(
                    "subgroup_heading",
                    f"Подзаголовок «{title}» (стр. {line}) не считается разделом: нумерация "
                    "продолжается; он отнесён к следующим пунктам как группа.",
                    "info",
                    line=line,
                )
                pending_group = None
            elif active_group is not None:
                if (item.parent == active_group["parent"] and item.level == active_group["level"]) or (
                    item.parent in active_group["members"]
                ):
                    active_group["members"].add(item.id)
                else:
                    active_group = None
            if active_group is not None and item.id in active_group["members"]:
                item.group = active_group["title"]
            if not item.activity:
                item.warn("empty_activity", "Не указано содержание мероприятия.", field_name="activity")
            items.append(item)

        # number style: flag numbers written unlike the majority
        if dot_styles:
            with_dot = sum(1 for _, d in dot_styles if d)
            majority = with_dot * 2 >= len(dot_styles)
            if 0 < with_dot < len(dot_styles):
                for item, dotted in dot_styles:
                    if dotted != majority:
                        item.warn(
                            "number_format",
                            f"Номер «{item.number_raw}» записан "
                            + ("без завершающей точки" if majority else "с точкой")
                            + ", в отличие от остальных.",
                            "info",
                        )

    def _id_prefix(self, sid: str | None) -> str:
        if self.scheme == "dotted":
            return f"{sid or 'S0'}."
        if self.scheme == "letter":
            return sid if sid else "S0."
        return ""

    @staticmethod
    def _expected_next(prev: tuple[int, ...] | None) -> set[tuple[int, ...]]:
        if prev is None:
            return {(1,)}
        out = {prev + (1,)}
        for cut in range(len(prev), 0, -1):
            out.add(prev[: cut - 1] + (prev[cut - 1] + 1,))
        return out

    # -- step 3: inheritance, names, track, deadline hook ---------------------

    def _finish_items(self, items: list[ParsedItem], sections: list[ParsedSection], plan_track: str | None) -> None:
        by_id = {it.id: it for it in items}
        has_children = {it.parent for it in items if it.parent}
        siblings: dict[tuple[str | None, str | None], list[ParsedItem]] = {}
        section_track = {s.id: detect_track(s.title) for s in sections}
        own_names: dict[str, tuple[list[str], list[dict[str, str | None]]]] = {}
        previous: ParsedItem | None = None

        fields = [ROLE_RESPONSIBLE] + ([] if self.start_end else [ROLE_DEADLINE])
        for item in items:
            rec: _Rec = item._rec  # type: ignore[attr-defined]
            key = (item.section, item.parent)
            sibs = siblings.setdefault(key, [])
            for role in fields:
                attr = "responsible_raw" if role == ROLE_RESPONSIBLE else "deadline_raw"
                if getattr(item, attr):
                    continue
                if role not in self.roles and not (role == ROLE_RESPONSIBLE and rec.missing_responsible):
                    continue
                if item.id in has_children:
                    continue  # a parent: its children carry the value
                if role in rec.no_inherit:
                    continue
                source = None
                if role in rec.vmerged and previous is not None and previous.section == item.section:
                    source = previous
                if source is None or not getattr(source, attr):
                    source = None
                    for sib in reversed(sibs):
                        if getattr(sib, attr):
                            source = sib
                            break
                if source is None:
                    ancestor = by_id.get(item.parent) if item.parent else None
                    while ancestor is not None and not getattr(ancestor, attr):
                        ancestor = by_id.get(ancestor.parent) if ancestor.parent else None
                    source = ancestor
                if source is not None:
                    setattr(item, attr, getattr(source, attr))
                    item.inherited.append(role)
                    item.inherited_from[role] = source.inherited_from.get(role, source.id)
                    if role == ROLE_RESPONSIBLE:
                        own_names[item.id] = own_names.get(source.id) or split_responsible(source.responsible_raw)
            sibs.append(item)
            previous = item

            # what is still empty?
            if item.id not in has_children:
                if (
                    not item.deadline_raw
                    and ROLE_DEADLINE not in rec.no_inherit
                    and "actor_in_deadline" not in item.warning_codes()
                ):
                    item.warn("empty_deadline", "Срок не указан и не может быть унаследован.", field_name="deadline")
                if (
                    not item.responsible_raw
                    and "no_responsible" not in item.warning_codes()
                    and ROLE_RESPONSIBLE in self.roles
                ):
                    item.warn(
                        "empty_responsible",
                        "Ответственные не указаны и не могут быть унаследованы.",
                        field_name="responsible",
                    )

            # responsible names and persons
            if item.id not in own_names:
                own_names[item.id] = self._names_from_fragments(rec.frags.get(ROLE_RESPONSIBLE, []))
            names, persons = own_names[item.id]
            item.persons = [dict(p) for p in persons]
            if persons and not names:
                names = self._organizations_in_posts(item)
            item.responsible_names = list(names)
            if persons and not names and "responsible" not in item.inherited:
                item.warn(
                    "person_without_organization",
                    "Ответственным указано только лицо ("
                    + "; ".join(", ".join(filter(None, (p["name"], p.get("position")))) for p in persons)
                    + ") без организации: назначьте организацию-исполнителя вручную.",
                    field_name="responsible",
                )
            item.responsible = self._resolve_names(item, names)

            # track
            track = detect_track(item.activity)
            source_kind = "text" if track else None
            if not track:
                track = detect_track(item.deadline_raw)
                source_kind = "deadline" if track else None
            if not track and item.parent and item.parent in by_id:
                track = by_id[item.parent].track
                source_kind = "parent" if track else None
            if not track and item.section:
                track = section_track.get(item.section)
                source_kind = "section" if track else None
            if not track and plan_track:
                track, source_kind = plan_track, "plan"
            item.track, item.track_from = track, source_kind

        for item in items:
            if hasattr(item, "_rec"):
                del item._rec  # type: ignore[attr-defined]
            if self.parse_deadline is not None:
                try:
                    item.deadline = self.parse_deadline(item)
                except Exception as exc:  # noqa: BLE001 - report, never crash the import
                    item.warn(
                        "deadline_parser_error",
                        f"Не удалось разобрать срок «{item.deadline_raw}»: {exc}",
                        field_name="deadline",
                    )

    @staticmethod
    def _names_from_fragments(frags: list[str]) -> tuple[list[str], list[dict[str, str | None]]]:
        """Split the responsible cell; fragment boundaries (line/page breaks)
        separate actors unless a word continues («образовательные» + «организации …»)."""
        text = ""
        for frag in frags:
            frag = frag.strip()
            if not frag:
                continue
            if not text:
                text = frag
            elif text.rstrip().endswith((",", ";")) or _starts_upper(frag):
                text = text.rstrip().rstrip(",;") + ", " + frag
            else:
                text = smart_join([text, frag])
        return split_responsible(text)

    def _organizations_in_posts(self, item: ParsedItem) -> list[str]:
        """«директор РЦОИ Иванов И.И.», «руководитель МОУО Сидоров С.С.»: the organisation named in a person's
        post, when the region's dictionary knows it (the longest known tail of the post after its head word);
        the guess is said on the item. «начальник отдела ГИА министерства» finds nothing and stays a person."""
        if self.resolve is None:
            return []
        found: list[str] = []
        for person in item.persons:
            position = person.get("position") or ""
            if person.get("organization") or not _POSITION_RE.match(position):
                continue
            tokens = position.split()[1:]
            for i in range(len(tokens)):
                tail = " ".join(tokens[i:])
                if self.resolve(tail):
                    person["organization"] = tail
                    found.append(tail)
                    item.warn(
                        "organization_from_post",
                        f"Организация-исполнитель «{tail}» взята из должности «{position}» ({person['name']}); "
                        "проверьте назначение.",
                        "info",
                        field_name="responsible",
                    )
                    break
        return list(dict.fromkeys(found))

    def _resolve_names(self, item: ParsedItem, names: list[str]) -> list[str]:
        if self.resolve is None:
            return list(dict.fromkeys(names))
        out: list[str] = []
        for name in names:
            canonical = self.resolve(name)
            if canonical:
                out.append(canonical)
                continue
            parts = self._segment(name)
            if parts and len(parts) > 1:
                out.extend(parts)
                item.warn(
                    "responsible_split_guess",
                    f"Ответственные «{name}» записаны без запятых; разделены по словарю: " + ", ".join(parts) + ".",
                    "info",
                    field_name="responsible",
                )
                continue
            out.append(name)
            item.warn(
                "unresolved_responsible",
                f"Организация «{name}» не найдена в справочнике.",
                "info",
                field_name="responsible",
            )
        return list(dict.fromkeys(out))

    def _segment(self, name: str) -> list[str] | None:
        """Names the dictionary knows, written without commas: «МОиНК Кузбассобрнадзор», «МОУО и РЦОИ»,
        «МОУО/ОО», «ЦОКО совместно с МОУО» (the joining words between two known names are skipped)."""
        tokens = name.replace("/", " / ").split()
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if out and tokens[i].lower() in _JOINING_WORDS:
                i += 1
                continue
            for j in range(len(tokens), i, -1):
                canonical = self.resolve(" ".join(tokens[i:j])) if self.resolve else None
                if canonical:
                    out.append(canonical)
                    i = j
                    break
            else:
                return None
        return out

    def _abbreviations(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for table in self.raw.side_tables:
            rows = [r for r in table.rows if r.kind == "row"]
            head = table.header or (rows[0].cells if rows else [])
            if "сокращ" not in " ".join([*head, table.name or ""]).lower():
                continue
            for row in rows:
                cells = [clean_markup(c)[0] for c in row.cells]
                if len(cells) >= 2 and cells[0] and cells[1] and "сокращ" not in cells[0].lower():
                    out[cells[0]] = cells[1]
        return out


def build_plan(
    raw: RawDocument,
    *,
    resolve: Resolver | None = None,
    parse_deadline: DeadlineHook | None = None,
    source_name: str | None = None,
    columns: dict[str, int] | None = None,
    header_lines: set[int] | None = None,
) -> ParsedPlan:
    """Structure the raw rows of a document into a ``ParsedPlan``.

    ``columns`` (role -> 1-based column) overrides the detected column roles;
    ``header_lines`` are source lines of rows that are headers, not items.
    The plan's ``confidence`` says how sure the structure is; structurally odd
    results raise ``PlanReadError`` unless the columns were given by the user.
    """
    from .quality import assess

    plan = _PlanBuilder(raw, resolve, parse_deadline, source_name, columns, header_lines).build()
    plan.layout = list(raw.layout or [raw.format])
    assess(plan, forced=bool(columns))
    return plan
