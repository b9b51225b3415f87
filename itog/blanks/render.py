"""PDF rendering of the blanks with ReportLab.  Pure Python, no Django.

* :func:`render_kits` — one PDF with, per participant, a бланк регистрации and
  N бланков записи (``answer_pages``, default 2);
* :func:`render_extra_answer` — дополнительные бланки записи for a participant;
* :func:`render_room_forms` — ИС-05 (room register, a fillable PDF: AcroForm
  check boxes and text fields per participant row), ИС-08 and ИС-09 acts (fillable).

Every page of a kit carries the work code as text (large, grouped, and the bare
code in the human-readable line under the QR code) and as a QR code whose
content is ``ITOG1:<code>:<R|A|X>:<page number>`` (see :mod:`itog.blanks.codes`).
Boxes, captions and rules come from :mod:`itog.blanks.geometry` only.

Speed: the static part of each page type is drawn once per PDF as a form
XObject (``beginForm``/``doForm``); a page is then one ``Do`` of that form plus
the variable text and the QR modules (merged into horizontal runs and written
as raw path operators).  See ``benchmarks/bench_kits.py``.

Privacy: the participant's name is printed on the бланк регистрации only.
Answer pages carry the work code and no name: experts check copies of the
answer pages, and the work code is the anonymous link (7.11.3, 8.1).

Fonts: DejaVu Sans from matplotlib's ``mpl-data`` (found without importing
matplotlib; ``ITOG_BLANKS_FONT_DIR`` overrides).  AcroForm fields can only use
ReportLab's standard fonts, so every Russian text on the forms is drawn as page
text, and the fields are left empty for the people who fill them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from . import codes
from .geometry import PAGE_HEIGHT_MM, Box, PageLayout, layout

__all__ = [
    "FORM_TITLES",
    "KitParticipant",
    "KitRoom",
    "font_dir",
    "register_fonts",
    "render_extra_answer",
    "render_kits",
    "render_room_forms",
]

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FORM_TITLES = {"essay": "Итоговое сочинение", "exposition": "Итоговое изложение"}
PROGRESS_EVERY = 100

# Line widths in points.  OMR boxes get a full point (2 px at 150 dpi).
OMR_BORDER_PT = 1.0
TEXT_BORDER_PT = 0.6
CAPTION_PT = 6.0


# ---------------------------------------------------------------------------
# Fonts


def font_dir() -> Path:
    """Directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf."""
    env = os.environ.get("ITOG_BLANKS_FONT_DIR")
    if env:
        return Path(env)
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        candidate = Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"
        if (candidate / "DejaVuSans.ttf").exists():
            return candidate
    import matplotlib  # slower (imports numpy); only if the package layout is unusual

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def register_fonts() -> None:
    """Register the Cyrillic fonts with ReportLab (idempotent)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT in registered and FONT_BOLD in registered:
        return
    directory = font_dir()
    for name, filename in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        path = directory / filename
        if not path.exists():
            raise RuntimeError(
                f"Шрифт не найден: {path} (установите пакет matplotlib или задайте ITOG_BLANKS_FONT_DIR)"
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


# ---------------------------------------------------------------------------
# Input data


def _date_text(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d.%m.%Y")
    return str(value)


@dataclass
class KitParticipant:
    """One participant's kit.  ``work_code`` is a valid code from :func:`codes.make_code`."""

    work_code: str
    last_name: str
    first_name: str
    middle_name: str = ""
    document_series: str = ""
    document_number: str = ""
    school_name: str = ""
    class_name: str = ""
    venue_name: str = ""
    room_number: str = ""
    session_date: dt.date | str | None = None
    form: str = "essay"  # "essay" (сочинение) | "exposition" (изложение)
    answer_pages: int = 2

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def document(self) -> str:
        return " ".join(part for part in (self.document_series, self.document_number) if part)

    @property
    def code(self) -> str:
        return codes.normalize(self.work_code)

    def validate(self) -> None:
        if not codes.is_valid(self.work_code):
            raise ValueError(f"Неверный код работы: «{self.work_code}» ({self.full_name})")
        if self.form not in FORM_TITLES:
            raise ValueError(f"Неизвестная форма «{self.form}»: ожидается essay или exposition")
        if not 1 <= int(self.answer_pages) <= 99:
            raise ValueError(f"Число бланков записи должно быть от 1 до 99: {self.answer_pages}")


@dataclass
class KitRoom:
    """A room (учебный кабинет) of a venue on the writing day, for the room forms."""

    venue_name: str
    room_number: str
    session_date: dt.date | str | None = None
    venue_code: str = ""
    municipality: str = ""


# ---------------------------------------------------------------------------
# Low-level drawing helpers (geometry is in mm from the top-left; PDF is in pt from the bottom-left)


def _x(x_mm: float) -> float:
    return x_mm * mm


def _y(y_mm: float, page_h_mm: float = PAGE_HEIGHT_MM) -> float:
    return (page_h_mm - y_mm) * mm


def _fit(text: str, font: str, size: float, width_pt: float, min_size: float = 6.0) -> tuple[str, float]:
    """Shrink the font down to ``min_size`` and then cut the text with «…» to fit ``width_pt``."""
    width = pdfmetrics.stringWidth(text, font, size)
    if width <= width_pt:
        return text, size
    size = max(min_size, size * width_pt / width)
    if pdfmetrics.stringWidth(text, font, size) <= width_pt:
        return text, size
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width_pt:
        text = text[:-1]
    return text.rstrip() + "…", size


def _draw_label(
    c: Canvas,
    text: str,
    x_mm: float,
    y_mm: float,
    size: float,
    bold: bool = False,
    align: str = "left",
    page_h_mm: float = PAGE_HEIGHT_MM,
) -> None:
    c.setFont(FONT_BOLD if bold else FONT, size)
    if align == "centre":
        c.drawCentredString(_x(x_mm), _y(y_mm, page_h_mm), text)
    elif align == "right":
        c.drawRightString(_x(x_mm), _y(y_mm, page_h_mm), text)
    else:
        c.drawString(_x(x_mm), _y(y_mm, page_h_mm), text)


def _draw_box_border(c: Canvas, box: Box, width_pt: float, gray: float = 0.0) -> None:
    c.setLineWidth(width_pt)
    c.setStrokeGray(gray)
    c.rect(_x(box.x), _y(box.bottom), box.w * mm, box.h * mm, stroke=1, fill=0)


def _draw_static(c: Canvas, lay: PageLayout) -> None:
    """Everything on a page type that does not depend on the participant."""
    c.setFillGray(0)
    for ln in lay.lines:
        c.setLineWidth(ln.width * mm)
        c.setStrokeGray(ln.gray)
        c.line(_x(ln.x1), _y(ln.y1), _x(ln.x2), _y(ln.y2))
    for box in lay.boxes:
        if box.kind == "fiducial":
            c.rect(_x(box.x), _y(box.bottom), box.w * mm, box.h * mm, stroke=0, fill=1)
        elif box.kind in ("mark", "digit"):
            _draw_box_border(c, box, OMR_BORDER_PT)
        elif box.kind in ("text", "area"):
            _draw_box_border(c, box, TEXT_BORDER_PT, gray=0.2)
        if box.caption:
            c.setFillGray(0.25)
            _draw_label(c, box.caption, box.x + 1.2, box.y + 2.7, CAPTION_PT)
            c.setFillGray(0)
    for lb in lay.labels:
        _draw_label(c, lb.text, lb.x, lb.y, lb.size, lb.bold, lb.align)
    c.setStrokeGray(0)
    c.setLineWidth(1)


# ---------------------------------------------------------------------------
# Kit pages

QR_QUIET_MODULES = 4  # quiet zone inside the geometry's code box, in modules


class _QrPainter:
    """Writes QR modules as raw PDF path operators: one ``re`` per horizontal run of
    dark modules.  Every operand string is precomputed once per page type."""

    def __init__(self, box: Box) -> None:
        n = codes.QR_SIZE
        module = box.w * mm / (n + 2 * QR_QUIET_MODULES)
        left = _x(box.x) + QR_QUIET_MODULES * module
        top = _y(box.y) - QR_QUIET_MODULES * module
        h = module + 0.02  # a hair of overlap: no seams between rows
        # Runs are found in the symbol with a 0 appended to every row (stride n + 1).
        self._n = n
        self._head = [
            f"{left + (i % (n + 1)) * module:.3f} {top - (i // (n + 1) + 1) * module:.3f} " for i in range((n + 1) * n)
        ]
        self._tail = [f"{run * module + 0.02:.3f} {h:.3f} re" for run in range(n + 1)]

    def ops(self, modules: bytes | bytearray) -> str:
        """``modules``: the flat row-major symbol from :func:`codes.qr_modules`."""
        n, head, tail = self._n, self._head, self._tail
        padded = b"\0".join(modules[i : i + n] for i in range(0, n * n, n))
        parts = ["q 0 g"]
        append = parts.append
        for run in _DARK_RUN.finditer(padded):
            start, end = run.span()
            append(head[start] + tail[end - start])
        append("f Q")
        return "\n".join(parts)


_DARK_RUN = re.compile(b"\x01+")


# Registration-page text boxes filled from a participant: box id -> value.
_REGISTRATION_FIELDS: dict[str, Callable[[KitParticipant], str]] = {
    "participant.last_name": lambda p: p.last_name,
    "participant.first_name": lambda p: p.first_name,
    "participant.middle_name": lambda p: p.middle_name,
    "participant.document": lambda p: p.document,
    "participant.class": lambda p: p.class_name,
    "participant.form": lambda p: FORM_TITLES.get(p.form, p.form),
    "participant.school": lambda p: p.school_name,
    "participant.venue": lambda p: p.venue_name,
    "participant.room": lambda p: p.room_number,
    "participant.date": lambda p: _date_text(p.session_date),
}
FIELD_PT = 10.5
CODE_PT = 15.0


class _KitWriter:
    """Draws kit pages on one canvas; the static part of each page type is a form XObject."""

    def __init__(self, canvas: Canvas) -> None:
        register_fonts()
        self.c = canvas
        self.pages = 0
        self._forms: set[str] = set()
        self._qr = {name: _QrPainter(layout(name).box("qr")) for name in ("registration", "answer", "extra_answer")}

    def _begin(self, page_type: str) -> PageLayout:
        lay = layout(page_type)
        form = f"itog_{page_type}"
        if form not in self._forms:
            self.c.beginForm(form)
            _draw_static(self.c, lay)
            self.c.endForm()
            self._forms.add(form)
        self.c.doForm(form)
        return lay

    def _value(self, box: Box, text: str, size: float, bold: bool = False) -> None:
        font = FONT_BOLD if bold else FONT
        text, size = _fit(text, font, size, (box.w - 3.0) * mm)
        self.c.setFont(font, size)
        self.c.drawString(_x(box.x + 1.5), _y(box.bottom - 2.2), text)

    def _common(self, lay: PageLayout, p: KitParticipant, page_number: int) -> None:
        code = p.code
        self._value(lay.box("work_code"), codes.format_code(code), CODE_PT, bold=True)
        self._value(lay.box("page_number"), str(page_number), CODE_PT, bold=True)
        content = codes.content_for(code, lay.page_type, page_number)
        self.c.addLiteral(self._qr[lay.page_type].ops(codes.qr_modules(content)))
        qr = lay.box("qr")
        self.c.setFont(FONT, 5.5)
        self.c.drawCentredString(_x(qr.x + qr.w / 2), _y(qr.bottom + 2.4), content)

    def _end(self) -> None:
        self.c.showPage()
        self.pages += 1

    def registration(self, p: KitParticipant) -> None:
        lay = self._begin("registration")
        self._common(lay, p, 1)
        for box_id, getter in _REGISTRATION_FIELDS.items():
            value = getter(p)
            if value:
                self._value(lay.box(box_id), value, FIELD_PT)
        self._end()

    def answer(self, p: KitParticipant, page_number: int, extra: bool = False) -> None:
        lay = self._begin("extra_answer" if extra else "answer")
        self._common(lay, p, page_number)
        self._end()


@contextlib.contextmanager
def _binary_streams():
    """Flate-compressed streams without the ASCII85 wrapper: ReportLab's pure-Python
    ASCII85 encoder took a third of the rendering time and made streams 25 % larger."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _new_canvas(out: BinaryIO | str | os.PathLike, title: str, pagesize=A4) -> Canvas:
    c = Canvas(out, pagesize=pagesize, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Итог")
    c.setCreator("Итог: бланки итогового сочинения (изложения)")
    return c


@_binary_streams()
def render_kits(
    participants: Iterable[KitParticipant],
    out: BinaryIO | str | os.PathLike,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one PDF with every participant's kit (бланк регистрации + ``answer_pages``
    бланков записи, in this order) to ``out`` (a binary file object or a path).

    ``progress(n)`` is called with the number of participants done so far, every
    100 participants and once at the end.  Returns the number of pages written.
    ReportLab holds the whole document in memory until it is saved (about
    40 KiB per participant, measured: 6,000 participants → 270 MiB peak RSS):
    for large jobs use :func:`itog.blanks.kits.render_kits_parallel`, which
    writes parts of ``chunk`` participants.
    """
    c = _new_canvas(out, "Комплекты бланков итогового сочинения (изложения)")
    writer = _KitWriter(c)
    done = 0
    for p in participants:
        p.validate()
        writer.registration(p)
        for page_number in range(1, int(p.answer_pages) + 1):
            writer.answer(p, page_number)
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    if not done:
        raise ValueError("Нет участников для печати комплектов")
    c.save()
    if progress is not None and done % PROGRESS_EVERY:
        progress(done)
    return writer.pages


@_binary_streams()
def render_extra_answer(
    participants: KitParticipant | Iterable[KitParticipant],
    out: BinaryIO | str | os.PathLike,
    *,
    count: int = 1,
    first_page: int | None = None,
) -> int:
    """Write ``count`` дополнительных бланков записи per participant.

    Pages continue the numbering of the writing sheets: by default the first
    extra page is ``answer_pages + 1`` (3 for a standard kit); pass
    ``first_page`` when extra sheets were already issued.  Returns the page count.
    """
    if isinstance(participants, KitParticipant):
        participants = [participants]
    if count < 1:
        raise ValueError("Количество дополнительных бланков должно быть не меньше 1")
    c = _new_canvas(out, "Дополнительные бланки записи")
    writer = _KitWriter(c)
    for p in participants:
        p.validate()
        start = int(first_page) if first_page is not None else int(p.answer_pages) + 1
        if start < 1 or start + count - 1 > 999:
            raise ValueError(f"Неверный номер бланка записи: {start}")
        for page_number in range(start, start + count):
            writer.answer(p, page_number, extra=True)
    if not writer.pages:
        raise ValueError("Нет участников для печати дополнительных бланков")
    c.save()
    return writer.pages


# ---------------------------------------------------------------------------
# Room forms: ИС-05 (fillable register), ИС-08 and ИС-09 (fillable acts)
#
# These pages are not machine-read, so their layout lives here rather than in
# geometry.py.  Field names (stable, for importing a filled PDF back):
#   ИС-05, per participant row:  is05_<work code>_topic, _not_finished, _removed, _blanks
#   ИС-05, per room:             is05_total_not_finished, is05_total_removed
#   ИС-08 copy k (1-based):      is08_<k>_participant, _work_code, _time, _reason,
#                                _medical, _marked, _member_1, _member_2
#   ИС-09 copy k:                is09_<k>_participant, _work_code, _time, _violation,
#                                _head, _member, _marked

LANDSCAPE_H_MM = 210.0
IS05_LEFT = 15.0
IS05_TABLE_TOP = 40.0
IS05_HEADER_H = 14.0
IS05_ROW_H = 9.0
IS05_ROWS_PER_PAGE = 13
# (caption, width mm, field kind or None)
IS05_COLUMNS = (
    ("№", 8.0, None),
    ("Код работы", 30.0, None),
    ("Фамилия, имя, отчество участника", 70.0, None),
    ("Документ\n(серия, номер)", 30.0, None),
    ("Форма", 22.0, None),
    ("Номер темы\n(текста)", 18.0, "topic"),
    ("«Не закончил»", 20.0, "not_finished"),
    ("«Удален»", 18.0, "removed"),
    ("Количество\nбланков записи", 20.0, "blanks"),
    ("Подпись\nучастника", 31.0, None),
)


def _wrap(text: str, font: str, size: float, width_pt: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}".strip()
            if current and pdfmetrics.stringWidth(trial, font, size) > width_pt:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines


def _paragraph(
    c: Canvas,
    text: str,
    x_mm: float,
    y_mm: float,
    width_mm: float,
    size: float,
    page_h_mm: float,
    bold: bool = False,
    align: str = "left",
    leading: float = 1.25,
) -> float:
    """Draw wrapped text from the baseline ``y_mm``; returns the baseline after the last line."""
    font = FONT_BOLD if bold else FONT
    step = size * leading / mm
    for line in _wrap(text, font, size, width_mm * mm):
        x = x_mm + width_mm / 2 if align == "centre" else x_mm
        _draw_label(c, line, x, y_mm, size, bold, align, page_h_mm)
        y_mm += step
    return y_mm


def _text_field(
    c: Canvas,
    name: str,
    x_mm: float,
    y_mm: float,
    w_mm: float,
    h_mm: float,
    page_h_mm: float,
    maxlen: int | None = None,
    multiline: bool = False,
    tooltip: str = "",
) -> None:
    from reportlab.lib import colors

    kwargs = dict(
        name=name,
        tooltip=tooltip or name,
        x=_x(x_mm),
        y=_y(y_mm + h_mm, page_h_mm),
        width=w_mm * mm,
        height=h_mm * mm,
        value="",
        fontName="Helvetica",
        fontSize=10 if h_mm < 12 else 9,
        borderWidth=0.5,
        borderColor=colors.grey,
        fillColor=colors.white,
        textColor=colors.black,
        forceBorder=True,
        fieldFlags="multiline" if multiline else "",
    )
    if maxlen:
        kwargs["maxlen"] = maxlen
    c.acroForm.textfield(**kwargs)


def _checkbox(
    c: Canvas, name: str, x_mm: float, y_mm: float, size_mm: float, page_h_mm: float, tooltip: str = ""
) -> None:
    from reportlab.lib import colors

    c.acroForm.checkbox(
        name=name,
        tooltip=tooltip or name,
        x=_x(x_mm),
        y=_y(y_mm + size_mm, page_h_mm),
        size=size_mm * mm,
        buttonStyle="cross",
        borderWidth=0.8,
        borderColor=colors.black,
        fillColor=colors.white,
        textColor=colors.black,
        forceBorder=True,
        checked=False,
    )


def _room_line(room: KitRoom) -> str:
    venue = " ".join(part for part in (room.venue_code, room.venue_name) if part)
    parts = [f"Место проведения: {venue}"]
    if room.municipality:
        parts.insert(0, f"Муниципалитет: {room.municipality}")
    parts += [f"Аудитория: {room.room_number}", f"Дата: {_date_text(room.session_date)}"]
    return "    ".join(parts)


def _is05_page(
    c: Canvas, room: KitRoom, rows: list[tuple[int, KitParticipant]], sheet: int, sheets: int, total: int
) -> None:
    H = LANDSCAPE_H_MM
    width = sum(w for _, w, _ in IS05_COLUMNS)
    right = IS05_LEFT + width
    _draw_label(c, "Форма ИС-05", right, 12.0, 9, bold=True, align="right", page_h_mm=H)
    _paragraph(
        c,
        "Ведомость проведения итогового сочинения (изложения) в учебном кабинете ОО (месте проведения)",
        IS05_LEFT,
        19.0,
        width,
        12,
        H,
        bold=True,
        align="centre",
    )
    _draw_label(c, _room_line(room) + f"    Лист {sheet} из {sheets}", IS05_LEFT, 33.0, 9, page_h_mm=H)
    # Header row.
    c.setLineWidth(0.6)
    c.setStrokeGray(0)
    x = IS05_LEFT
    table_bottom = IS05_TABLE_TOP + IS05_HEADER_H + IS05_ROWS_PER_PAGE * IS05_ROW_H
    for caption, w, _ in IS05_COLUMNS:
        lines = _wrap(caption, FONT_BOLD, 7, (w - 2) * mm)
        y0 = IS05_TABLE_TOP + IS05_HEADER_H / 2 - (len(lines) - 1) * 1.6 + 1.0
        for i, line in enumerate(lines):
            _draw_label(c, line, x + w / 2, y0 + i * 3.2, 7, bold=True, align="centre", page_h_mm=H)
        x += w
    # Grid.
    x = IS05_LEFT
    for _, w, _ in IS05_COLUMNS:
        c.line(_x(x), _y(IS05_TABLE_TOP, H), _x(x), _y(table_bottom, H))
        x += w
    c.line(_x(right), _y(IS05_TABLE_TOP, H), _x(right), _y(table_bottom, H))
    for k in range(IS05_ROWS_PER_PAGE + 2):
        y = IS05_TABLE_TOP if k == 0 else IS05_TABLE_TOP + IS05_HEADER_H + (k - 1) * IS05_ROW_H
        c.line(_x(IS05_LEFT), _y(y, H), _x(right), _y(y, H))
    # Rows.
    for slot, (number, p) in enumerate(rows):
        top = IS05_TABLE_TOP + IS05_HEADER_H + slot * IS05_ROW_H
        baseline = top + IS05_ROW_H / 2 + 1.3
        x = IS05_LEFT
        code = p.code
        values = (
            str(number),
            codes.format_code(code),
            p.full_name,
            p.document,
            FORM_TITLES.get(p.form, p.form).replace("Итоговое ", ""),
        )
        for i, (caption, w, kind) in enumerate(IS05_COLUMNS):
            if i < len(values):
                text, size = _fit(values[i], FONT, 9, (w - 2.4) * mm)
                c.setFont(FONT, size)
                c.drawString(_x(x + 1.2), _y(baseline, H), text)
            elif kind in ("topic", "blanks"):
                _text_field(
                    c,
                    f"is05_{code}_{kind}",
                    x + 2.0,
                    top + 1.5,
                    w - 4.0,
                    IS05_ROW_H - 3.0,
                    H,
                    maxlen=3 if kind == "topic" else 2,
                    tooltip=f"{p.full_name}: {caption.replace(chr(10), ' ')}",
                )
            elif kind in ("not_finished", "removed"):
                size_mm = 5.5
                _checkbox(
                    c,
                    f"is05_{code}_{kind}",
                    x + (w - size_mm) / 2,
                    top + (IS05_ROW_H - size_mm) / 2,
                    size_mm,
                    H,
                    tooltip=f"{p.full_name}: {caption}",
                )
            x += w
    # Footer.
    y = table_bottom + 6.0
    _draw_label(c, f"Всего участников по ведомости: {total}", IS05_LEFT, y, 9, page_h_mm=H)
    if sheet == sheets:
        _draw_label(c, "Не закончили:", 100.0, y, 9, page_h_mm=H)
        _text_field(c, "is05_total_not_finished", 125.0, y - 4.5, 12.0, 6.0, H, maxlen=2)
        _draw_label(c, "Удалены:", 145.0, y, 9, page_h_mm=H)
        _text_field(c, "is05_total_removed", 162.0, y - 4.5, 12.0, 6.0, H, maxlen=2)
    _paragraph(
        c,
        "Подписью участник подтверждает данные своей строки, в том числе отметки «Не закончил» "
        "(составлен акт ИС-08) и «Удален» (составлен акт ИС-09), и количество бланков записи.",
        IS05_LEFT,
        y + 6.0,
        width,
        7,
        H,
    )
    y += 17.0
    for i, role in enumerate(("Организатор в аудитории", "Организатор в аудитории")):
        xo = IS05_LEFT + i * 135.0
        _draw_label(c, f"{role}: ____________________ / ______________________", xo, y, 9, page_h_mm=H)
        _draw_label(c, "подпись", xo + 50.0, y + 3.5, 6, page_h_mm=H)
        _draw_label(c, "фамилия, инициалы", xo + 85.0, y + 3.5, 6, page_h_mm=H)


def _act_page(c: Canvas, room: KitRoom, kind: str, copy: int) -> None:
    """ИС-08 (``kind="is08"``) or ИС-09 (``kind="is09"``), fillable, one per page."""
    H = PAGE_HEIGHT_MM
    left, width = 20.0, 170.0
    prefix = f"{kind}_{copy}"
    if kind == "is08":
        form, title = (
            "Форма ИС-08",
            ("Акт о досрочном завершении написания итогового сочинения (изложения) по уважительным причинам"),
        )
    else:
        form, title = "Форма ИС-09", "Акт об удалении участника итогового сочинения (изложения)"
    _draw_label(c, form, left + width, 15.0, 9, bold=True, align="right", page_h_mm=H)
    y = _paragraph(c, title, left, 26.0, width, 13, H, bold=True, align="centre")
    y += 4.0
    venue = " ".join(part for part in (room.venue_code, room.venue_name) if part)
    for text in ([f"Муниципалитет: {room.municipality}"] if room.municipality else []) + [
        f"Место проведения: {venue}",
        f"Аудитория: {room.room_number}",
        f"Дата проведения: {_date_text(room.session_date)}",
    ]:
        y = _paragraph(c, text, left, y, width, 10, H)
    y += 4.0

    def field(
        caption: str,
        name: str,
        height: float = 8.0,
        maxlen: int | None = None,
        width_mm: float = width,
        multiline: bool = False,
    ) -> None:
        nonlocal y
        _draw_label(c, caption, left, y, 9.5, page_h_mm=H)
        _text_field(
            c,
            f"{prefix}_{name}",
            left,
            y + 1.5,
            width_mm,
            height,
            H,
            maxlen=maxlen,
            multiline=multiline,
            tooltip=caption,
        )
        y += height + 7.5

    field("Участник: фамилия, имя, отчество", "participant")
    field("Код работы", "work_code", maxlen=15, width_mm=60.0)
    if kind == "is08":
        field("Время досрочного завершения (часы:минуты)", "time", maxlen=5, width_mm=30.0)
        field(
            "Уважительная причина (состояние здоровья или иная объективная причина)",
            "reason",
            height=32.0,
            multiline=True,
        )
        field("Заключение медицинского работника (при наличии)", "medical", height=18.0, multiline=True)
        mark = "Отметка «Х» в поле «Не закончил» внесена в бланк регистрации и в форму ИС-05"
        signers = (("member_1", "Член комиссии по проведению"), ("member_2", "Член комиссии по проведению"))
    else:
        field("Время удаления (часы:минуты)", "time", maxlen=5, width_mm=30.0)
        field("Нарушение установленных требований (описание)", "violation", height=40.0, multiline=True)
        mark = "Отметка «Х» в поле «Удален» внесена в бланк регистрации и в форму ИС-05"
        signers = (("head", "Руководитель комиссии по проведению"), ("member", "Член комиссии по проведению"))
    _checkbox(c, f"{prefix}_marked", left, y - 4.2, 5.0, H, tooltip=mark)
    y = _paragraph(c, mark + " (подтверждено подписью члена комиссии).", left + 8.0, y, width - 8.0, 9, H)
    y += 7.0
    for name, role in signers:
        _draw_label(c, role, left, y, 9.5, page_h_mm=H)
        _text_field(c, f"{prefix}_{name}", left, y + 1.5, 100.0, 8.0, H, tooltip=f"{role}: фамилия, инициалы")
        _draw_label(c, "фамилия, инициалы", left, y + 13.0, 6, page_h_mm=H)
        _draw_label(c, "____________________", left + 110.0, y + 8.0, 10, page_h_mm=H)
        _draw_label(c, "подпись", left + 125.0, y + 13.0, 6, page_h_mm=H)
        y += 20.0
    _draw_label(c, "С актом ознакомлен(а), участник:", left, y, 9.5, page_h_mm=H)
    _draw_label(c, "____________________", left + 110.0, y, 10, page_h_mm=H)
    _draw_label(c, "подпись", left + 125.0, y + 5.0, 6, page_h_mm=H)
    _draw_label(
        c,
        "Акт составляется в день проведения; отметку участник подтверждает подписью в форме ИС-05.",
        left,
        282.0,
        7,
        page_h_mm=H,
    )


@_binary_streams()
def render_room_forms(
    room: KitRoom, participants: Iterable[KitParticipant], out: BinaryIO | str | os.PathLike, *, acts_copies: int = 1
) -> int:
    """Write the room's report forms to ``out``: ИС-05 (landscape, 13 rows a sheet,
    AcroForm fields per participant row) followed by ``acts_copies`` blank fillable
    acts ИС-08 and ИС-09 each (portrait).  Returns the page count.

    Russian data (names, the room) is printed as page text; the fields are for
    what the organisers record on the day (topic number, «Не закончил»,
    «Удален», number of writing sheets; the acts' particulars).
    """
    register_fonts()
    people = list(participants)
    for p in people:
        p.validate()
    if len({p.code for p in people}) != len(people):
        raise ValueError("В ведомости ИС-05 повторяется код работы")
    c = _new_canvas(out, f"Отчетные формы: аудитория {room.room_number}", pagesize=landscape(A4))
    pages = 0
    numbered = list(enumerate(people, start=1))
    sheets = max(1, -(-len(numbered) // IS05_ROWS_PER_PAGE))
    for sheet in range(sheets):
        chunk = numbered[sheet * IS05_ROWS_PER_PAGE : (sheet + 1) * IS05_ROWS_PER_PAGE]
        _is05_page(c, room, chunk, sheet + 1, sheets, len(people))
        c.showPage()
        pages += 1
    for kind in ("is08", "is09"):
        for copy in range(1, int(acts_copies) + 1):
            c.setPageSize(A4)
            _act_page(c, room, kind, copy)
            c.showPage()
            pages += 1
    c.save()
    return pages


def text_paragraph(text: object, style):
    """A ReportLab paragraph that prints ``text`` as written. ReportLab reads markup inside a Paragraph:
    a name or a room typed as ``<img src="/etc/…">`` would make the server open a file or a URL, ``<a href>``
    would put a foreign link into an official form, a lone «<» would drop the rest of a school's name.
    Every text from the database goes through here (escaped), never into ``Paragraph`` directly."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)), style)
