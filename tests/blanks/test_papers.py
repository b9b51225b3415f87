"""A venue's papers for a region's print job: room lists and room forms per venue, from worker processes."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium

from itog.blanks import codes
from itog.blanks.papers import ListRow, RoomPapers, VenuePapers, render_venue_papers
from itog.blanks.render import KitParticipant, KitRoom

DAY = dt.date(2026, 12, 2)


def _venue(v: int, rooms: int, per_room: int) -> VenuePapers:
    venue = VenuePapers(name=f"МБОУ «СОШ № {v}»", code=f"V-{v:04d}")
    serial = v * 1000
    for r in range(rooms):
        rp = RoomPapers(
            KitRoom(venue_name=venue.name, room_number=str(101 + r), session_date=DAY, venue_code=venue.code),
            capacity=15,
        )
        for seat in range(1, per_room + 1):
            serial += 1
            last = f"Участник{v}x{r}x{seat}"
            rp.rows.append(ListRow(seat, f"{last} Иван Петрович", "11а", "сочинение"))
            rp.kits.append(
                KitParticipant(
                    work_code=codes.make_code(99, 61, serial),
                    last_name=last,
                    first_name="Иван",
                    middle_name="Петрович",
                    venue_name=venue.name,
                    room_number=str(101 + r),
                    session_date=DAY,
                )
            )
        venue.rooms.append(rp)
    return venue


def _text(path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_each_venue_gets_its_lists_and_each_room_its_forms_in_order(tmp_path):
    venues = [_venue(1, 2, 3), _venue(2, 1, 2), _venue(3, 3, 1)]
    seen = []
    out = list(
        render_venue_papers(venues, "Итоговое сочинение", "02.12.2026", tmp_path, workers=2, progress=seen.append)
    )
    names = [name for name, _ in out]
    assert names[0] == "списки/V-0001-списки-по-аудиториям.pdf"
    assert names.count("списки/V-0002-списки-по-аудиториям.pdf") == 1
    assert sum(n.startswith("формы/") for n in names) == 6  # one file per room
    assert "формы/V-0003-ауд103-ИС-05-08-09.pdf" in names
    assert seen[-1] == 3 * 2 + 2 + 3  # progress counts participants of finished venues
    lists = dict(out)
    text = _text(lists["списки/V-0002-списки-по-аудиториям.pdf"])
    assert "Участник2x0x2" in text and "Участник1x0x1" not in text  # a venue's list holds only its people
    forms = _text(lists["формы/V-0001-ауд102-ИС-05-08-09.pdf"])
    assert "Участник1x1x3" in forms and "Участник1x0x1" not in forms


def test_one_process_gives_the_same_files(tmp_path):
    venues = [_venue(1, 1, 2), _venue(2, 1, 1)]
    names = [name for name, _ in render_venue_papers(venues, "Итоговое сочинение", "02.12.2026", tmp_path, workers=1)]
    assert names == [
        "списки/V-0001-списки-по-аудиториям.pdf",
        "формы/V-0001-ауд101-ИС-05-08-09.pdf",
        "списки/V-0002-списки-по-аудиториям.pdf",
        "формы/V-0002-ауд101-ИС-05-08-09.pdf",
    ]
