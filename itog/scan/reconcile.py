"""Reconciliation of one work (п. 9.2): the recognised pages against the marks entered
electronically — pure, for the database wiring that comes later.

Input, for one work code: the :class:`~itog.scan.recognize.PageResult` of every page
scanned with that code, and the marks entered by the expert and by the authorised
person, each a ``{box id: bool}`` dict (``True`` = crossed; a box missing from a dict
counts as not crossed; ``None`` = that person has entered nothing yet, so nothing is
compared with it).

Output: :class:`Reconciliation` — ``verified`` when everything agrees, otherwise
``queue`` with one :class:`QueueItem` per problem, each with a Russian reason for
the operator:

``missing_registration``  no бланк регистрации was read for the work
``duplicate_page``        the same page (type and number) was scanned more than once
``missing_page``          a gap in the numbering of the writing sheets (1..N)
``other_work``            a page of another work was passed in
``flagged_page``          the recogniser flagged the page (its reasons are quoted)
``ambiguous``             a compared box is ambiguous on the blank
``low_confidence``        a compared box was read with confidence below ``min_confidence``
``pencil``                a compared box is marked in pencil (or very faintly): the likely reading
                          (``likely``) is given, a person confirms it (black ink is required)
``mismatch``              the blank and an electronic entry disagree on a box
``disagreement``          the expert's and the authorised person's entries disagree

Compared boxes: the expert's part (requirements, criteria, the overall «зачет» /
«незачет») plus any other mark box named in either entry (e.g. «Не закончил»).
Digit boxes are not compared: handwritten digits are not read, only their ink.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from itog.blanks.geometry import EXPERT_ROWS, layout

from .recognize import PageResult, box_caption

__all__ = ["EXPERT_BOXES", "QueueItem", "Reconciliation", "reconcile"]

EXPERT_BOXES = tuple(f"{prefix}.{part}" for prefix, _caption, _bold in EXPERT_ROWS for part in ("pass", "fail"))
MIN_CONFIDENCE = 0.8
_PAGE_NAMES = {
    "registration": "бланк регистрации",
    "answer": "бланк записи",
    "extra_answer": "дополнительный бланк записи",
}


@dataclass(frozen=True)
class QueueItem:
    kind: str
    reason: str
    box_id: str | None = None
    file: str | None = None
    page: int | None = None
    likely: bool | None = None  # pencil: the likely reading (True = marked), for the queue to pre-select


@dataclass
class Reconciliation:
    work_code: str
    items: list[QueueItem] = field(default_factory=list)
    marks: dict[str, bool] = field(default_factory=dict)  # what the blank says (decisive boxes only)

    @property
    def verdict(self) -> str:
        return "queue" if self.items else "verified"


def _yes(value: bool) -> str:
    return "отмечено" if value else "не отмечено"


def _page_name(page: PageResult) -> str:
    name = _PAGE_NAMES.get(page.page_type or "", "страница")
    return f"{name} № {page.page_number}" if page.page_type != "registration" else name


def reconcile(
    work_code: str,
    pages: Iterable[PageResult],
    expert: Mapping[str, bool] | None,
    authorized: Mapping[str, bool] | None,
    min_confidence: float = MIN_CONFIDENCE,
) -> Reconciliation:
    """Compare a work's scanned pages with the electronic entries (see the module text)."""
    out = Reconciliation(work_code=work_code)
    own: list[PageResult] = []
    for page in pages:
        if page.work_code != work_code:
            out.items.append(
                QueueItem(
                    "other_work", f"Страница другой работы (код «{page.work_code}»)", file=page.file, page=page.page
                )
            )
        else:
            own.append(page)

    # Pages: the registration page, duplicates, gaps in the writing sheets.
    counts = Counter((p.page_type, p.page_number) for p in own)
    for (page_type, number), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or 0)):
        if n > 1:
            files = ", ".join(
                f"{p.file} стр. {p.page}" for p in own if (p.page_type, p.page_number) == (page_type, number)
            )
            name = _PAGE_NAMES.get(page_type or "", "страница")
            out.items.append(
                QueueItem(
                    "duplicate_page",
                    f"Страница отсканирована {n} раза: {name}"
                    + (f" № {number}" if page_type != "registration" else "")
                    + f" ({files})",
                )
            )
    registrations = [p for p in own if p.page_type == "registration"]
    if not registrations:
        out.items.append(
            QueueItem("missing_registration", "Нет бланка регистрации: страница не отсканирована или не распознана")
        )
    sheets = sorted({p.page_number for p in own if p.page_type in ("answer", "extra_answer") and p.page_number})
    if sheets:
        for number in range(1, sheets[-1] + 1):
            if number not in sheets:
                out.items.append(
                    QueueItem(
                        "missing_page", f"Нет бланка записи № {number} (отсканированы № {', '.join(map(str, sheets))})"
                    )
                )
    for page in own:
        if page.status == "flagged":
            out.items.append(
                QueueItem(
                    "flagged_page",
                    f"Страница требует проверки ({_page_name(page)}): " + "; ".join(page.reasons),
                    file=page.file,
                    page=page.page,
                )
            )

    # Boxes of the registration page against the entries.
    if not registrations:
        return out
    blank = registrations[0]
    reg_layout = layout("registration")
    compared = list(EXPERT_BOXES)
    for entry in (expert or {}), (authorized or {}):
        compared += [k for k in entry if k not in compared and k in reg_layout and reg_layout.box(k).kind == "mark"]
    for box_id in compared:
        caption = box_caption(box_id)
        read = blank.boxes.get(box_id)
        scanned: bool | None = None
        if read is None:
            pass  # the page was not read box by box: it is flagged, that item says why
        elif read.state == "ambiguous":
            out.items.append(
                QueueItem("ambiguous", f"Неоднозначная отметка на бланке: {caption}", box_id, blank.file, blank.page)
            )
        elif read.note == "pencil":
            likely = read.state == "marked"
            out.items.append(
                QueueItem(
                    "pencil",
                    f"Отметка карандашом (карандаш), вероятно «{_yes(likely)}»: {caption}",
                    box_id,
                    blank.file,
                    blank.page,
                    likely=likely,
                )
            )
        else:
            scanned = read.state == "marked"
            out.marks[box_id] = scanned
            if read.confidence < min_confidence:
                out.items.append(
                    QueueItem(
                        "low_confidence",
                        f"Отметка прочитана неуверенно ({read.confidence:.2f}): {caption}",
                        box_id,
                        blank.file,
                        blank.page,
                    )
                )
        by_expert = None if expert is None else bool(expert.get(box_id, False))
        by_authorized = None if authorized is None else bool(authorized.get(box_id, False))
        if by_expert is not None and by_authorized is not None and by_expert != by_authorized:
            out.items.append(
                QueueItem(
                    "disagreement",
                    f"Эксперт внес «{_yes(by_expert)}», уполномоченное лицо — «{_yes(by_authorized)}»: {caption}",
                    box_id,
                )
            )
        if scanned is None:
            continue
        for who, entered in (("экспертом", by_expert), ("уполномоченным лицом", by_authorized)):
            if entered is not None and entered != scanned:
                out.items.append(
                    QueueItem(
                        "mismatch",
                        f"На бланке «{_yes(scanned)}», внесено {who} «{_yes(entered)}»: {caption}",
                        box_id,
                        blank.file,
                        blank.page,
                    )
                )
    return out
