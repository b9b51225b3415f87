"""A venue's papers for the exam day: the room lists (the list on the door and one per room) and each room's
report forms ИС-05/08/09 — rendered venue by venue in worker processes for a whole region.

Pure Python, no Django (the workers are started with ``spawn`` and import only this module). A room's forms
cost about 50 ms of CPU (the AcroForm fields), so a region of 8,000 rooms needs minutes of CPU: the venues are
spread over ``workers`` processes and each finished file is handed back to the caller (who writes it into the
archive and deletes it), so neither memory nor the temporary directory grows with the region.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .render import KitParticipant, KitRoom, render_room_forms


@dataclass
class ListRow:
    seat_number: int
    full_name: str
    class_name: str
    form_label: str


@dataclass
class RoomPapers:
    room: KitRoom
    capacity: int
    rows: list[ListRow] = field(default_factory=list)  # for the room list
    kits: list[KitParticipant] = field(default_factory=list)  # for ИС-05


@dataclass
class VenuePapers:
    name: str
    code: str  # used in file names
    rooms: list[RoomPapers] = field(default_factory=list)


def render_room_lists(title: str, date_text: str, venues: Iterable[VenuePapers], out) -> None:
    """Списки по аудиториям (для организаторов) и общий список на дверь места проведения, into ``out``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from .render import FONT, FONT_BOLD, register_fonts, text_paragraph

    register_fonts()
    head = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=6)
    normal = ParagraphStyle("n", fontName=FONT, fontSize=10, leading=12)
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, 10),
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 10),
            ("GRID", (0, 0), (-1, -1), 0.4, "#555555"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("REPEATROWS", (0, 0), (-1, 0), 1),
        ]
    )
    story = []
    for venue in venues:
        door = sorted((r.full_name, rp.room.room_number) for rp in venue.rooms for r in rp.rows)
        story += [
            text_paragraph(f"Список участников на дверь — {venue.name}", head),
            text_paragraph(f"{title} {date_text}", normal),
            Spacer(1, 4 * mm),
            Table(
                [["№", "Фамилия, имя, отчество", "Аудитория"]]
                + [[i, name, number] for i, (name, number) in enumerate(door, start=1)],
                colWidths=[12 * mm, 120 * mm, 30 * mm],
                style=style,
            ),
            PageBreak(),
        ]
        for rp in sorted(venue.rooms, key=lambda rp: rp.room.room_number):
            story += [
                text_paragraph(f"Аудитория № {rp.room.room_number} — {venue.name}", head),
                text_paragraph(f"{date_text}; мест в аудитории: {rp.capacity}; участников: {len(rp.rows)}", normal),
                Spacer(1, 4 * mm),
                Table(
                    [["Место", "Фамилия, имя, отчество", "Класс", "Форма"]]
                    + [
                        [r.seat_number, r.full_name, r.class_name, r.form_label]
                        for r in sorted(rp.rows, key=lambda r: r.seat_number)
                    ],
                    colWidths=[16 * mm, 110 * mm, 18 * mm, 28 * mm],
                    style=style,
                ),
                PageBreak(),
            ]
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="Списки по аудиториям",
    ).build(story or [Spacer(1, 1)])


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:60]


def _render_venue(args: tuple[int, VenuePapers, str, str, str]) -> tuple[int, list[tuple[str, str]], int]:
    """Worker: the venue's room lists and every room's forms as files in ``out_dir``; returns
    (index, [(name in the archive, path)], participants)."""
    index, venue, title, date_text, out_dir = args
    files = []
    path = os.path.join(out_dir, f"{index:05d}-lists.pdf")
    with open(path, "wb") as out:
        render_room_lists(title, date_text, [venue], out)
    files.append((f"списки/{_safe(venue.code)}-списки-по-аудиториям.pdf", path))
    for k, rp in enumerate(venue.rooms):
        path = os.path.join(out_dir, f"{index:05d}-{k:03d}-forms.pdf")
        with open(path, "wb") as out:
            render_room_forms(rp.room, rp.kits, out)
        files.append((f"формы/{_safe(venue.code)}-ауд{_safe(rp.room.room_number)}-ИС-05-08-09.pdf", path))
    return index, files, sum(len(rp.rows) for rp in venue.rooms)


def render_venue_papers(
    venues: list[VenuePapers],
    title: str,
    date_text: str,
    out_dir: str | os.PathLike,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    start_method: str = "spawn",
) -> Iterator[tuple[str, Path]]:
    """Yield ``(name in the archive, file)`` for each venue's lists and room forms, venue by venue in order;
    the caller takes each file away (writes it into the archive, deletes it). ``progress(n)`` gets the
    participants whose venues are done."""
    workers = max(1, int(workers or os.cpu_count() or 1))
    tasks = [(i, v, title, date_text, str(out_dir)) for i, v in enumerate(venues)]
    done = 0
    if workers == 1 or len(tasks) < 2:
        results = map(_render_venue, tasks)
        pool = None
    else:
        pool = mp.get_context(start_method).Pool(processes=min(workers, len(tasks)))
        results = pool.imap(_render_venue, tasks, chunksize=4)
    try:
        for _index, files, n in results:
            for name, path in files:
                yield name, Path(path)
            done += n
            if progress:
                progress(done)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
