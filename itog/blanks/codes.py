"""Work codes and the content of the 2D code printed on every page of a blank kit.

Pure Python, no Django.

Work code («код работы», 7.11.1: «бланки имеют уникальный код работы»)
=======================================================================

Twelve decimal digits::

    RR SS NNNNNNN C
    |  |  |       +-- check digit (Damm algorithm, see below)
    |  |  +---------- serial of the work inside the session, 7 digits (0000001–9999999)
    |  +------------- session number, 2 digits (00–99), chosen by the caller
    +---------------- region code, 2 digits (e.g. 23 = Краснодарский край)

The canonical form is the bare 12 digits (``"230100123457"``); it is what the
2D code carries and what a database stores.  For people it is printed grouped
as ``"23-01-0012345-7"`` (:func:`format_code`); :func:`normalize` and
:func:`parse` accept either form (hyphens and spaces are ignored).

Uniqueness is per (region, session): the caller allocates the serials.  The
session number identifies the writing date inside the region's numbering (for
example the ExamSession's sequence number modulo 100); if codes must be unique
across years the caller includes the year in its session numbering.

Check digit: the Damm algorithm
-------------------------------

H. Michael Damm (2004): the check digit is the digit that brings the running
interim digit through a fixed totally anti-symmetric quasigroup of order 10
back to 0.  A code is valid when running *all 12 digits* through the table
ends in 0.  Every row and every column of the table is a permutation of 0–9
(so every single-digit substitution is detected) and ``T[T[c][a]][b] !=
T[T[c][b]][a]`` whenever ``a != b`` (so every transposition of two adjacent
digits is detected, the check digit included).  Luhn misses ``09 <-> 90`` and
ISO 7064 MOD 11-10 misses some adjacent transpositions; Damm misses neither,
with a single decimal check digit.

2D code content
===============

Every printed page carries a QR code (version 2, 25×25 modules, error
correction level Q, ~25 % of the symbol may be damaged) with the text::

    ITOG1:<12-digit work code>:<page type>:<page number>

    ITOG1:230100123457:R:1      бланк регистрации
    ITOG1:230100123457:A:2      бланк записи № 2
    ITOG1:230100123457:X:3      дополнительный бланк записи № 3

* ``ITOG1`` — magic and format version.  The ``1`` is also the version of the
  page geometry (:mod:`itog.blanks.geometry`, ``GEOMETRY_VERSION``): a scanner
  that reads ``ITOG2`` must use another layout definition.
* page type letters: ``R`` registration, ``A`` answer, ``X`` extra answer.
* page number, decimal without leading zeros: the registration page is 1;
  answer and extra answer pages share one numbering of writing sheets
  (answer pages 1..N, extra pages continue N+1, N+2, …), so the largest
  number used equals the field «Количество бланков».

The separator is ``:`` rather than ``|`` so the whole text stays inside the
QR alphanumeric character set (0–9, A–Z, space, ``$%*+-./:``), which keeps
the symbol at 25×25 modules with level-Q error correction.  The QR symbol
itself is encoded here (:func:`qr_matrix`): a fixed version, level and mask
make it ~20× faster than a general encoder, which matters at 90,000 pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CODE_LENGTH",
    "PAGE_TYPE_LETTERS",
    "PageRef",
    "WorkCode",
    "check_digit",
    "content_for",
    "format_code",
    "is_valid",
    "make_code",
    "normalize",
    "parse",
    "parse_content",
    "qr_matrix",
    "qr_modules",
]

CODE_LENGTH = 12
CONTENT_MAGIC = "ITOG1"

# The order-10 totally anti-symmetric quasigroup from Damm's dissertation.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

_SEPARATORS = re.compile(r"[\s\-]+")


def _damm_interim(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return interim


def check_digit(digits: str) -> str:
    """The Damm check digit for a string of decimal digits."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"only decimal digits are allowed: {digits!r}")
    return str(_damm_interim(digits))


@dataclass(frozen=True)
class WorkCode:
    region: int
    session: int
    serial: int
    check: int

    @property
    def code(self) -> str:
        return f"{self.region:02d}{self.session:02d}{self.serial:07d}{self.check}"

    def __str__(self) -> str:
        return self.code


def make_code(region: int, session: int, serial: int) -> str:
    """The canonical 12-digit work code for ``region`` (0–99), ``session`` (0–99)
    and ``serial`` (1–9,999,999)."""
    for name, value, low, high in (
        ("region", region, 0, 99),
        ("session", session, 0, 99),
        ("serial", serial, 1, 9_999_999),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} must be an integer in {low}..{high}, got {value!r}")
    body = f"{region:02d}{session:02d}{serial:07d}"
    return body + check_digit(body)


def normalize(code: str) -> str:
    """Strip the human grouping (hyphens, spaces) from a code; no validation."""
    return _SEPARATORS.sub("", code or "")


def is_valid(code: str) -> bool:
    """True when ``code`` (bare or grouped) is 12 digits with a correct check digit."""
    if not isinstance(code, str):
        return False
    bare = normalize(code)
    return (
        len(bare) == CODE_LENGTH
        and bare.isascii()
        and bare.isdigit()
        and _damm_interim(bare) == 0
        and bare[4:11] != "0000000"
    )


def parse(code: str) -> WorkCode:
    """Split a valid work code into its parts; ``ValueError`` (Russian message) otherwise."""
    if not is_valid(code):
        raise ValueError(f"Неверный код работы: «{code}»")
    bare = normalize(code)
    return WorkCode(region=int(bare[0:2]), session=int(bare[2:4]), serial=int(bare[4:11]), check=int(bare[11]))


def format_code(code: str) -> str:
    """Grouped for people: ``230100123457`` → ``23-01-0012345-7``."""
    bare = normalize(code)
    if len(bare) != CODE_LENGTH:
        raise ValueError(f"Неверный код работы: «{code}»")
    return f"{bare[0:2]}-{bare[2:4]}-{bare[4:11]}-{bare[11]}"


# ---------------------------------------------------------------------------
# 2D code content

PAGE_TYPE_LETTERS = {"registration": "R", "answer": "A", "extra_answer": "X"}
_LETTER_PAGE_TYPES = {letter: name for name, letter in PAGE_TYPE_LETTERS.items()}
_CONTENT_RE = re.compile(r"^ITOG1:(\d{12}):([RAX]):([1-9]\d{0,2})$")


@dataclass(frozen=True)
class PageRef:
    """What the 2D code of one page says: whose page it is and which page."""

    work_code: str
    page_type: str  # "registration" | "answer" | "extra_answer"
    page_number: int

    @property
    def content(self) -> str:
        return content_for(self.work_code, self.page_type, self.page_number)


def content_for(work_code: str, page_type: str, page_number: int) -> str:
    """The 2D code text for a page, e.g. ``ITOG1:230100123457:A:2``."""
    if not is_valid(work_code):
        raise ValueError(f"Неверный код работы: «{work_code}»")
    if page_type not in PAGE_TYPE_LETTERS:
        raise ValueError(f"unknown page type {page_type!r}")
    if not 1 <= int(page_number) <= 999:
        raise ValueError(f"page number must be 1..999, got {page_number!r}")
    return f"{CONTENT_MAGIC}:{normalize(work_code)}:{PAGE_TYPE_LETTERS[page_type]}:{int(page_number)}"


def parse_content(text: str) -> PageRef:
    """Inverse of :func:`content_for`; ``ValueError`` for foreign or damaged content."""
    match = _CONTENT_RE.match(text.strip() if isinstance(text, str) else "")
    if not match or not is_valid(match.group(1)):
        raise ValueError(f"Не удалось распознать код страницы: «{text}»")
    return PageRef(
        work_code=match.group(1), page_type=_LETTER_PAGE_TYPES[match.group(2)], page_number=int(match.group(3))
    )


# ---------------------------------------------------------------------------
# QR symbol: version 2 (25×25), error correction level Q, alphanumeric mode,
# fixed mask pattern.  Written for exactly this use (ISO/IEC 18004 layout);
# tests compare it with ReportLab's general encoder and decode it with zxing.

QR_VERSION = 2
QR_SIZE = 17 + 4 * QR_VERSION  # 25 modules
QR_DATA_CODEWORDS = 22  # version 2-Q: one block of 22 data + 22 EC codewords
QR_EC_CODEWORDS = 22
QR_MAX_CHARS = 29  # alphanumeric capacity of 2-Q
QR_MASK = 4  # (row // 2 + col // 3) % 2 == 0
_QR_LEVEL_BITS = 0b11  # Q
_QR_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_QR_ALNUM_VALUE = {ch: i for i, ch in enumerate(_QR_ALNUM)}

# GF(256) with the QR primitive polynomial x^8 + x^4 + x^3 + x^2 + 1.
_GF_EXP = [0] * 512
_GF_LOG = [0] * 256
_value = 1
for _i in range(255):
    _GF_EXP[_i] = _value
    _GF_LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _i in range(255, 512):
    _GF_EXP[_i] = _GF_EXP[_i - 255]


def _rs_generator(degree: int) -> list[int]:
    """Coefficients (highest power first, leading 1 omitted) of prod (x - a^i), i < degree."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            if coef:
                nxt[j + 1] ^= _GF_EXP[_GF_LOG[coef] + i]
        poly = nxt
    return poly[1:]


_RS_GEN = _rs_generator(QR_EC_CODEWORDS)
# _RS_MUL[f] = the generator's coefficients multiplied by f (one table row per factor).
_RS_MUL = [[0] * QR_EC_CODEWORDS] + [
    [_GF_EXP[_GF_LOG[g] + _GF_LOG[f]] if g else 0 for g in _RS_GEN] for f in range(1, 256)
]


def _rs_remainder(data: list[int]) -> list[int]:
    """Reed–Solomon EC codewords: the remainder of data(x)·x^22 divided by the generator."""
    rem = [0] * QR_EC_CODEWORDS
    for byte in data:
        row = _RS_MUL[byte ^ rem[0]]
        rem = [a ^ b for a, b in zip(rem[1:] + [0], row)]
    return rem


def _qr_codewords(text: str) -> list[int]:
    acc, nbits = 0b0010, 4  # alphanumeric mode indicator
    acc, nbits = (acc << 9) | len(text), nbits + 9  # character count (versions 1–9)
    values = [_QR_ALNUM_VALUE[ch] for ch in text]
    for i in range(0, len(values) - 1, 2):
        acc, nbits = (acc << 11) | (values[i] * 45 + values[i + 1]), nbits + 11
    if len(values) % 2:
        acc, nbits = (acc << 6) | values[-1], nbits + 6
    capacity = QR_DATA_CODEWORDS * 8
    pad = min(4, capacity - nbits)  # terminator
    pad += (-(nbits + pad)) % 8  # up to a byte boundary
    acc, nbits = acc << pad, nbits + pad
    data = list(acc.to_bytes(nbits // 8, "big"))
    filler = 0xEC
    while len(data) < QR_DATA_CODEWORDS:
        data.append(filler)
        filler ^= 0xEC ^ 0x11
    return data + _rs_remainder(data)


def _qr_format_bits() -> int:
    data = (_QR_LEVEL_BITS << 3) | QR_MASK
    rem = data
    for _ in range(10):
        rem = (rem << 1) ^ ((rem >> 9) * 0x537)
    return ((data << 10) | rem) ^ 0x5412


def _qr_template() -> tuple[list[list[bool]], list[tuple[int, int, bool]]]:
    """Function patterns of the symbol and the ordered data-module positions
    (row, col, mask bit) in placement order."""
    n = QR_SIZE
    dark = [[False] * n for _ in range(n)]
    reserved = [[False] * n for _ in range(n)]

    def setf(row: int, col: int, value: bool) -> None:
        dark[row][col] = value
        reserved[row][col] = True

    for top, left in ((0, 0), (0, n - 7), (n - 7, 0)):  # finders + separators
        for dr in range(-1, 8):
            for dc in range(-1, 8):
                r, c = top + dr, left + dc
                if 0 <= r < n and 0 <= c < n:
                    ring = max(abs(dr - 3), abs(dc - 3))
                    setf(r, c, ring != 2 and ring != 4)
    for i in range(8, n - 8):  # timing
        setf(6, i, i % 2 == 0)
        setf(i, 6, i % 2 == 0)
    centre = 4 * QR_VERSION + 10  # alignment (one, at 18,18)
    for dr in range(-2, 3):
        for dc in range(-2, 3):
            setf(centre + dr, centre + dc, max(abs(dr), abs(dc)) != 1)
    fmt = _qr_format_bits()
    bit = [bool((fmt >> i) & 1) for i in range(15)]
    for i in range(6):
        setf(i, 8, bit[i])
    setf(7, 8, bit[6])
    setf(8, 8, bit[7])
    setf(8, 7, bit[8])
    for i in range(9, 15):
        setf(8, 14 - i, bit[i])
    for i in range(8):
        setf(8, n - 1 - i, bit[i])
    for i in range(8, 15):
        setf(n - 15 + i, 8, bit[i])
    setf(n - 8, 8, True)  # the dark module

    positions: list[tuple[int, int, bool]] = []
    upward = True
    col = n - 1
    while col > 0:
        if col == 6:
            col -= 1
        rows = range(n - 1, -1, -1) if upward else range(n)
        for row in rows:
            for c in (col, col - 1):
                if not reserved[row][c]:
                    positions.append((row, c, (row // 2 + c // 3) % 2 == 0))
        upward = not upward
        col -= 2
    return dark, positions


_QR_BASE, _QR_POSITIONS = _qr_template()
_QR_BASE_FLAT = bytes(int(v) for row in _QR_BASE for v in row)
_QR_POS_FLAT = [row * QR_SIZE + col for row, col, _mask in _QR_POSITIONS]
_QR_MASK_FLAT = [int(mask) for _row, _col, mask in _QR_POSITIONS]
_QR_REMAINDER_BITS = [0] * (len(_QR_POSITIONS) - 8 * (QR_DATA_CODEWORDS + QR_EC_CODEWORDS))
_BYTE_BITS = [tuple((byte >> shift) & 1 for shift in range(7, -1, -1)) for byte in range(256)]


def qr_modules(text: str) -> bytearray:
    """The QR symbol for ``text`` as a flat row-major ``bytearray`` of 25×25 (1 = dark).

    ``text`` must use the QR alphanumeric set and be at most 29 characters.
    """
    if len(text) > QR_MAX_CHARS or any(ch not in _QR_ALNUM_VALUE for ch in text):
        raise ValueError(f"QR content must be ≤{QR_MAX_CHARS} alphanumeric characters: {text!r}")
    flat = bytearray(_QR_BASE_FLAT)
    bits = [bit for byte in _qr_codewords(text) for bit in _BYTE_BITS[byte]]
    bits += _QR_REMAINDER_BITS
    for index, bit, mask in zip(_QR_POS_FLAT, bits, _QR_MASK_FLAT):
        flat[index] = bit ^ mask
    return flat


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol for ``text`` as rows of booleans (True = dark), row 0 on top."""
    flat = qr_modules(text)
    return [[bool(v) for v in flat[r * QR_SIZE : (r + 1) * QR_SIZE]] for r in range(QR_SIZE)]
