"""THE geometry of the blanks: every box, caption and rule on every page type.

Pure Python, no Django, no ReportLab.  The renderer (:mod:`itog.blanks.render`)
draws every page from these definitions and the future scanning module reads
the same definitions (``to_json()``) to find the fiducials, the 2D code and
the mark boxes on a scanned page.  Change a coordinate here and both follow.

Coordinates
-----------

Millimetres, origin at the **top-left** corner of an A4 portrait page
(210 × 297 mm), x to the right, y downwards.  A box is ``(x, y, w, h)``:
its top-left corner and its size.  A label's ``y`` is its text baseline.

Page types
----------

``registration``  бланк регистрации (one per participant; 2D code page type ``R``)
``answer``        бланк записи (N per participant, usually 2; ``A``)
``extra_answer``  дополнительный бланк записи (on request; ``X``)

Box kinds
---------

``fiducial``  solid black square in a corner, for aligning a scanned page
``code``      the QR code (quiet zone included in the box)
``text``      text printed by the system (participant data, work code, page number)
``mark``      an empty square for a cross «X» (optical mark recognition)
``digit``     an empty cell for one handwritten digit (recognition later)
``area``      a handwriting area that is not recognised: signatures, the answer text

Box ids (stable: the scanner and the database refer to them)
------------------------------------------------------------

``fid.tl`` ``fid.tr`` ``fid.bl`` ``fid.br`` — fiducials; ``qr`` — the 2D code;
``work_code``, ``page_number`` — printed on every page;
``participant.last_name`` / ``first_name`` / ``middle_name`` / ``document`` /
``class`` / ``form`` / ``school`` / ``venue`` / ``room`` / ``date`` — registration page;
``topic.d0``–``topic.d2`` — номер темы (текста), every page;
``participant.signature``;
``not_finished`` («Не закончил») and ``not_finished.signature``;
``removed`` («Удален») and ``removed.signature``;
``blank_count.d0``, ``blank_count.d1`` («Количество бланков», tens and units) and
``organizer.signature``;
expert part: ``req1.pass`` ``req1.fail`` ``req2.pass`` ``req2.fail``
``k1.pass`` … ``k5.fail`` ``overall.pass`` ``overall.fail``, ``expert.name``,
``expert.signature``; answer pages: ``answer.area``.

The criteria are printed as codes only («Критерий К1» …): their federal titles
change (L6 in the procedure analysis) without changing the blank.  A different
number of criteria is a new layout: bump ``GEOMETRY_VERSION`` (and the ``ITOGn``
prefix of the 2D code, see :mod:`itog.blanks.codes`).

OMR rules kept here and checked by the tests: mark, digit and fiducial boxes
are at least 5 mm on a side (7 mm in practice: 41 px at 150 dpi), no two boxes
overlap, and every mark/digit box keeps at least 2 mm from any other box.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cached_property

__all__ = [
    "Box",
    "CRITERIA",
    "EXPERT_ROWS",
    "GEOMETRY_VERSION",
    "KINDS",
    "LAYOUTS",
    "Label",
    "Line",
    "MIN_BOX_MM",
    "MIN_GAP_MM",
    "PAGE_HEIGHT_MM",
    "PAGE_TYPES",
    "PAGE_WIDTH_MM",
    "PageLayout",
    "layout",
    "to_dict",
    "to_json",
]

GEOMETRY_VERSION = 1
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
KINDS = ("fiducial", "code", "text", "mark", "digit", "area")
MIN_BOX_MM = 5.0  # smallest side of a mark, digit or fiducial box
MIN_GAP_MM = 2.0  # clearance around every mark and digit box

FIDUCIAL_MM = 7.0
FIDUCIAL_MARGIN_MM = 8.0
MARK_MM = 7.0
DIGIT_W_MM = 7.0
DIGIT_H_MM = 9.0
DIGIT_STEP_MM = 9.0  # 2 mm between digit cells
ANSWER_LINE_STEP_MM = 8.0

CRITERIA = ("k1", "k2", "k3", "k4", "k5")
# (id prefix, caption, bold): the expert's table on the registration page.
EXPERT_ROWS = (
    ("req1", "Требование 1. «Объем сочинения (изложения)»", False),
    ("req2", "Требование 2. «Самостоятельность написания сочинения (изложения)»", False),
    *((k, f"Критерий К{k[1:]}", False) for k in CRITERIA),
    ("overall", "Оценка за работу в целом", True),
)


@dataclass(frozen=True)
class Box:
    id: str
    kind: str
    x: float
    y: float
    w: float
    h: float
    caption: str = ""  # printed small inside the top-left corner (text and area boxes)

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def gap_to(self, other: Box) -> float:
        """Clearance between two boxes in mm (0 when they touch or overlap)."""
        dx = max(other.x - self.right, self.x - other.right, 0.0)
        dy = max(other.y - self.bottom, self.y - other.bottom, 0.0)
        return (dx * dx + dy * dy) ** 0.5

    def overlaps(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom


@dataclass(frozen=True)
class Label:
    """Static text; ``y`` is the baseline; ``align`` is left, centre or right of ``x``."""

    text: str
    x: float
    y: float
    size: float = 8.5
    bold: bool = False
    align: str = "left"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.2  # mm
    gray: float = 0.0  # 0 black … 1 white


@dataclass(frozen=True)
class PageLayout:
    page_type: str
    letter: str
    title: str
    boxes: tuple[Box, ...]
    labels: tuple[Label, ...] = ()
    lines: tuple[Line, ...] = ()

    @cached_property
    def _index(self) -> dict[str, Box]:
        return {b.id: b for b in self.boxes}

    def box(self, box_id: str) -> Box:
        return self._index[box_id]

    def __contains__(self, box_id: str) -> bool:
        return box_id in self._index

    def of_kind(self, *kinds: str) -> list[Box]:
        return [b for b in self.boxes if b.kind in kinds]

    def to_dict(self) -> dict:
        return {
            "page_type": self.page_type,
            "letter": self.letter,
            "title": self.title,
            "boxes": [asdict(b) for b in self.boxes],
            "labels": [asdict(lb) for lb in self.labels],
            "lines": [asdict(ln) for ln in self.lines],
        }


# ---------------------------------------------------------------------------
# Builders (run once at import; the result is plain immutable data)

LEFT = 15.0
RIGHT = 195.0


def _fiducials() -> list[Box]:
    m, s = FIDUCIAL_MARGIN_MM, FIDUCIAL_MM
    far_x, far_y = PAGE_WIDTH_MM - m - s, PAGE_HEIGHT_MM - m - s
    return [
        Box("fid.tl", "fiducial", m, m, s, s),
        Box("fid.tr", "fiducial", far_x, m, s, s),
        Box("fid.bl", "fiducial", m, far_y, s, s),
        Box("fid.br", "fiducial", far_x, far_y, s, s),
    ]


def _header(title: str, number_caption: str) -> tuple[list[Box], list[Label]]:
    boxes = _fiducials() + [
        Box("qr", "code", 168.0, 18.0, 25.0, 25.0),
        Box("work_code", "text", LEFT, 31.0, 80.0, 11.0, "Код работы"),
        Box("page_number", "text", 98.0, 31.0, 66.0, 11.0, number_caption),
    ]
    labels = [
        Label(title, LEFT, 22.0, size=14, bold=True),
        Label("Итоговое сочинение (изложение)", LEFT, 27.5, size=9),
    ]
    return boxes, labels


def _digits(prefix: str, count: int, x: float, y: float) -> list[Box]:
    return [Box(f"{prefix}.d{i}", "digit", x + i * DIGIT_STEP_MM, y, DIGIT_W_MM, DIGIT_H_MM) for i in range(count)]


def _topic(y: float) -> tuple[list[Box], list[Label]]:
    return (
        _digits("topic", 3, 88.0, y),
        [
            Label("Номер темы сочинения", LEFT, y + 3.8, size=8.5),
            Label("(номер текста изложения)", LEFT, y + 7.8, size=8.5),
        ],
    )


def _registration() -> PageLayout:
    boxes, labels = _header("БЛАНК РЕГИСТРАЦИИ", "Номер листа")
    lines: list[Line] = []

    # 1. Participant (printed by the system; the participant checks it).
    labels.append(Label("Сведения об участнике", LEFT, 50.0, size=10, bold=True))
    rows = (
        (
            53.0,
            (
                ("participant.last_name", LEFT, 60.0, "Фамилия"),
                ("participant.first_name", 78.0, 55.0, "Имя"),
                ("participant.middle_name", 136.0, 59.0, "Отчество"),
            ),
        ),
        (
            66.0,
            (
                ("participant.document", LEFT, 60.0, "Документ (серия, номер)"),
                ("participant.class", 78.0, 25.0, "Класс"),
                ("participant.form", 106.0, 89.0, "Форма"),
            ),
        ),
        (79.0, (("participant.school", LEFT, 180.0, "Образовательная организация"),)),
        (
            92.0,
            (
                ("participant.venue", LEFT, 118.0, "Место проведения"),
                ("participant.room", 136.0, 25.0, "Аудитория"),
                ("participant.date", 164.0, 31.0, "Дата"),
            ),
        ),
    )
    for y, cells in rows:
        for box_id, x, w, caption in cells:
            boxes.append(Box(box_id, "text", x, y, w, 10.0, caption))
    topic_boxes, topic_labels = _topic(107.0)
    boxes += topic_boxes
    labels += topic_labels
    boxes.append(Box("participant.signature", "area", 130.0, 105.0, 65.0, 13.0, "Подпись участника"))
    lines.append(Line(LEFT, 122.0, RIGHT, 122.0, width=0.3))

    # 2. Conduct commission (7.11.3, 7.11.8, 7.11.9).
    labels.append(Label("Заполняется членами комиссии по проведению", LEFT, 127.5, size=10, bold=True))
    for box_id, caption, y in (("not_finished", "Не закончил", 132.0), ("removed", "Удален", 147.0)):
        boxes.append(Box(box_id, "mark", LEFT, y, MARK_MM, MARK_MM))
        labels.append(Label(f"«{caption}»", LEFT + MARK_MM + 3.0, y + 5.3, size=9.5, bold=True))
        boxes.append(Box(f"{box_id}.signature", "area", 60.0, y - 2.0, 45.0, 11.0, "Подпись члена комиссии"))
    labels += [
        Label("«Количество бланков»", 112.0, 133.5, size=9.5, bold=True),
        Label("бланков записи, включая дополнительные", 112.0, 137.5, size=7),
    ]
    boxes += _digits("blank_count", 2, 112.0, 142.0)
    boxes.append(Box("organizer.signature", "area", 135.0, 140.0, 60.0, 13.0, "Подпись организатора"))
    lines.append(Line(LEFT, 161.0, RIGHT, 161.0, width=0.3))

    # 3. Expert (8.1.4): marks go into the copy and are transferred to the original (8.1.2).
    labels.append(Label("Заполняется экспертом", LEFT, 166.5, size=10, bold=True))
    pass_x, fail_x = 138.0, 163.0
    labels += [
        Label("«зачет»", pass_x + MARK_MM / 2, 171.0, size=8.5, bold=True, align="centre"),
        Label("«незачет»", fail_x + MARK_MM / 2, 171.0, size=8.5, bold=True, align="centre"),
    ]
    for i, (prefix, caption, bold) in enumerate(EXPERT_ROWS):
        y = 174.0 + i * 10.0
        labels.append(Label(caption, LEFT, y + 5.0, size=8.5, bold=bold))
        boxes.append(Box(f"{prefix}.pass", "mark", pass_x, y, MARK_MM, MARK_MM))
        boxes.append(Box(f"{prefix}.fail", "mark", fail_x, y, MARK_MM, MARK_MM))
        if prefix == "req2" or prefix == CRITERIA[-1]:
            lines.append(Line(LEFT, y + 8.5, RIGHT, y + 8.5, width=0.15, gray=0.6))
    labels.append(
        Label(
            "Если не соблюдено хотя бы одно требование, выставляется «незачет» по требованию и по работе в целом.",
            LEFT,
            256.0,
            size=7,
        )
    )
    boxes += [
        Box("expert.name", "area", LEFT, 259.0, 100.0, 13.0, "Эксперт (фамилия, инициалы)"),
        Box("expert.signature", "area", 120.0, 259.0, 75.0, 13.0, "Подпись эксперта"),
    ]
    labels.append(Label(f"Бланк регистрации · разметка ITOG{GEOMETRY_VERSION}", 105.0, 279.0, size=6.5, align="centre"))
    return PageLayout("registration", "R", "БЛАНК РЕГИСТРАЦИИ", tuple(boxes), tuple(labels), tuple(lines))


def _answer(page_type: str, letter: str, title: str) -> PageLayout:
    boxes, labels = _header(title, "Номер бланка записи")
    topic_boxes, topic_labels = _topic(48.0)
    boxes += topic_boxes
    labels += topic_labels
    labels += [
        Label("Пишите разборчиво черной гелевой", 135.0, 50.5, size=7),
        Label("или капиллярной ручкой.", 135.0, 53.8, size=7),
        Label("Записи вне рамки не проверяются.", 135.0, 57.1, size=7),
    ]
    area = Box("answer.area", "area", LEFT, 61.0, RIGHT - LEFT, 212.0)
    boxes.append(area)
    lines = tuple(
        Line(
            area.x + 2.0,
            area.y + k * ANSWER_LINE_STEP_MM,
            area.right - 2.0,
            area.y + k * ANSWER_LINE_STEP_MM,
            width=0.15,
            gray=0.55,
        )
        for k in range(1, int(area.h // ANSWER_LINE_STEP_MM) + 1)
        if k * ANSWER_LINE_STEP_MM < area.h - 1.0
    )
    labels += [
        Label(
            "Незаполненные строки последнего бланка записи организатор перечеркивает знаком «Z».",
            105.0,
            277.5,
            size=7,
            align="centre",
        ),
        Label(f"{title.capitalize()} · разметка ITOG{GEOMETRY_VERSION}", 105.0, 281.0, size=6.5, align="centre"),
    ]
    return PageLayout(page_type, letter, title, tuple(boxes), tuple(labels), lines)


LAYOUTS: dict[str, PageLayout] = {
    "registration": _registration(),
    "answer": _answer("answer", "A", "БЛАНК ЗАПИСИ"),
    "extra_answer": _answer("extra_answer", "X", "ДОПОЛНИТЕЛЬНЫЙ БЛАНК ЗАПИСИ"),
}
PAGE_TYPES = tuple(LAYOUTS)


def layout(page_type: str) -> PageLayout:
    try:
        return LAYOUTS[page_type]
    except KeyError:
        raise ValueError(f"unknown page type {page_type!r}; known: {', '.join(PAGE_TYPES)}") from None


def to_dict() -> dict:
    """Everything the scanner needs, as plain JSON-able data."""
    return {
        "format": "itog-blanks-geometry",
        "version": GEOMETRY_VERSION,
        "qr_prefix": f"ITOG{GEOMETRY_VERSION}",
        "units": "mm",
        "origin": "top-left",
        "page": {"width": PAGE_WIDTH_MM, "height": PAGE_HEIGHT_MM},
        "kinds": list(KINDS),
        "omr": {"min_box_mm": MIN_BOX_MM, "min_gap_mm": MIN_GAP_MM},
        "page_types": {name: lay.to_dict() for name, lay in LAYOUTS.items()},
    }


def to_json(indent: int | None = 1) -> str:
    return json.dumps(to_dict(), ensure_ascii=False, indent=indent)
