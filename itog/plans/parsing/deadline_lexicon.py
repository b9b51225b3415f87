"""Lexicon of the deadline grammar: normalisation, months, number words.

Normalisation keeps a map from every character of the normalised text back
to its index in the raw text, so that matched phrases can be quoted exactly
as written (``schedule_ref``, territories, warnings).

What :func:`normalize` does:

* lower case, «ё» → «е»;
* every dash (‐ ‑ ‒ – — ― − ﹣ －) → «-»; a dash or bullet that starts a line
  (a list bullet) → «;»;
* every kind of space → « », line breaks are kept as «\\n»;
* «„“”«»» → «"»; soft hyphens and zero-width characters are dropped;
* Latin letters that look like Cyrillic ones (a, c, e, o, p, x, y, k, m,
  A, B, C, E, H, K, M, O, P, T, X, Y) are replaced by the Cyrillic letter in
  a word that also has Cyrillic letters («MОУО», «нoябрь»), or in a
  word made only of such letters in a text that is otherwise Cyrillic
  («c 10 по 25 января» with a Latin «c»);
* a Latin/Cyrillic «O»/«О» or a Cyrillic «З» between digits → «0»/«3»
  («2О23» → «2023»).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "normalize",
    "Normalized",
    "MONTH_NUMBER",
    "month_number",
    "MONTH_ALT",
    "NUMBER_WORDS",
    "NUMBER_WORD_ALT",
    "number_value",
    "WEEKDAY_ALT",
    "weekday_number",
]

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033\u2036"
_DROP = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_BULLETS = "\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043"

# Latin look-alikes of Cyrillic letters.
_LOOKALIKE = {
    "A": "А",
    "B": "В",
    "C": "С",
    "E": "Е",
    "H": "Н",
    "K": "К",
    "M": "М",
    "O": "О",
    "P": "Р",
    "T": "Т",
    "X": "Х",
    "Y": "У",
    "a": "а",
    "c": "с",
    "e": "е",
    "k": "к",
    "m": "м",
    "o": "о",
    "p": "р",
    "x": "х",
    "y": "у",
}


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_lat(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


class Normalized(tuple):
    """``(text, index_map)``: ``index_map[i]`` is the raw index of ``text[i]``."""

    __slots__ = ()

    @property
    def text(self) -> str:
        return self[0]

    @property
    def index(self) -> tuple[int, ...]:
        return self[1]

    def raw_span(self, raw: str, start: int, end: int) -> str:
        """The raw substring behind ``text[start:end]`` (stripped)."""
        idx = self[1]
        if start >= end or start >= len(idx):
            return ""
        end = min(end, len(idx))
        return raw[idx[start] : idx[end - 1] + 1].strip()


_WORD_RE = re.compile(r"[^\W\d_]+")


def _fix_lookalikes(raw: str) -> str:
    """Replace Latin look-alike letters (see module docstring)."""
    if not any(_is_lat(ch) for ch in raw):
        return raw
    has_cyr = any(_is_cyr(ch) for ch in raw)
    if not has_cyr:
        return raw

    def repl(m: re.Match[str]) -> str:
        word = m.group()
        lat = [ch for ch in word if _is_lat(ch)]
        if not lat or not all(ch in _LOOKALIKE for ch in lat):
            return word  # «portalу», «www»: a real Latin word, keep it
        return "".join(_LOOKALIKE.get(ch, ch) for ch in word)

    return _WORD_RE.sub(repl, raw)


_DIGIT_LOOKALIKE_RE = re.compile(r"(?<=\d)[OoОо](?=[\dOoОо]*\d)|(?<=\d)З(?=\d)")


@lru_cache(maxsize=8192)
def normalize(raw: str) -> Normalized:
    """Normalise ``raw`` for matching (cached); see the module docstring."""
    text = _fix_lookalikes(raw)
    if text is not raw and len(text) != len(raw):  # pragma: no cover - defensive
        text = raw
    text = _DIGIT_LOOKALIKE_RE.sub(lambda m: "3" if m.group() == "З" else "0", text)
    out: list[str] = []
    index: list[int] = []
    line_start = True
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        if ch == "\n":
            out.append("\n")
            index.append(i)
            line_start = True
            continue
        if ch.isspace():
            out.append(" ")
            index.append(i)
            continue
        if ch in _DASHES or ch == "-" or ch in _BULLETS:
            if line_start or ch in _BULLETS:
                out.append(";")
            else:
                out.append("-")
            index.append(i)
            line_start = False
            continue
        line_start = False
        if ch in _QUOTES:
            out.append('"')
            index.append(i)
            continue
        low = ch.lower()
        if low == "ё":
            low = "е"
        for c in low:
            out.append(c)
            index.append(i)
    return Normalized(("".join(out), tuple(index)))


# -- months ------------------------------------------------------------------
# Full forms (nominative, genitive, prepositional, dative) and the usual
# abbreviations; the trailing lookahead keeps «мая» from matching «майский».
MONTH_ALT = (
    r"(?:январ[ьяею]|феврал[ьяею]|март[аеу]?|апрел[ьяею]|ма[йяею]|июн[ьяею]|июл[ьяею]"
    r"|август[аеу]?|сентябр[ьяею]|октябр[ьяею]|ноябр[ьяею]|декабр[ьяею]"
    r"|янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)(?![а-я])\.?"
)
MONTH_NUMBER = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "май": 5,
    "мая": 5,
    "мае": 5,
    "маю": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}


def month_number(word: str) -> int:
    w = word.strip(". ")
    return MONTH_NUMBER.get(w[:3]) or MONTH_NUMBER[w]


# -- weekdays ------------------------------------------------------------------
WEEKDAY_ALT = (
    r"(?:понедельник\w*|вторник\w*|сред[аеуы]|средам|четверг\w*|пятниц\w*|суббот\w*"
    r"|воскресень\w*|воскресен\w*)"
)
_WEEKDAY_PREFIX = (("пон", 0), ("вто", 1), ("сре", 2), ("чет", 3), ("пят", 4), ("суб", 5), ("вос", 6))
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday_number(word: str) -> int:
    for prefix, n in _WEEKDAY_PREFIX:
        if word.startswith(prefix):
            return n
    raise KeyError(word)


# -- numbers written as words ---------------------------------------------------
NUMBER_WORDS = {
    "один": 1,
    "одна": 1,
    "одно": 1,
    "одного": 1,
    "одной": 1,
    "одну": 1,
    "одни": 1,
    "одних": 1,
    "одном": 1,
    "одному": 1,
    "два": 2,
    "две": 2,
    "двух": 2,
    "двум": 2,
    "двое": 2,
    "дважды": 2,
    "три": 3,
    "трех": 3,
    "трем": 3,
    "трое": 3,
    "трижды": 3,
    "четыре": 4,
    "четырех": 4,
    "четырем": 4,
    "пять": 5,
    "пяти": 5,
    "шесть": 6,
    "шести": 6,
    "семь": 7,
    "семи": 7,
    "восемь": 8,
    "восьми": 8,
    "девять": 9,
    "девяти": 9,
    "десять": 10,
    "десяти": 10,
    "четырнадцать": 14,
    "четырнадцати": 14,
    "пятнадцать": 15,
    "пятнадцати": 15,
    "двадцать": 20,
    "двадцати": 20,
    "тридцать": 30,
    "тридцати": 30,
}
NUMBER_WORD_ALT = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?![а-я])"

_ORDINAL = {"перв": 1, "втор": 2, "трет": 3, "четв": 4, "пят": 5, "посл": -1}


def number_value(token: str | None, default: int = 1) -> int:
    """«2» → 2, «двух» → 2, «2-х» → 2; None → ``default``."""
    if not token:
        return default
    t = token.strip()
    m = re.match(r"\d+", t)
    if m:
        return int(m.group())
    return NUMBER_WORDS.get(t, default)


def ordinal_value(word: str) -> int | None:
    """«первая» → 1, «вторую» → 2, «последний» → -1."""
    for prefix, n in _ORDINAL.items():
        if word.startswith(prefix):
            return n
    return None
