"""Kits, extra answer sheets and room forms: text layer, 2D codes, AcroForm fields, parts."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from itog.blanks import codes
from itog.blanks.geometry import LAYOUTS
from itog.blanks.kits import render_kits_parallel
from itog.blanks.render import (
    IS05_ROWS_PER_PAGE,
    KitParticipant,
    KitRoom,
    render_extra_answer,
    render_kits,
    render_room_forms,
)

DAY = dt.date(2026, 12, 2)
NAMES = [
    ("Иванова", "Мария", "Петровна"),
    ("Щербаков", "Фёдор", "Эдуардович"),
    ("Ли", "Юн", ""),
    ("Кузнецова-Римская", "Анна-Мария", "Вячеславовна"),
    ("Ёлкин", "Илья", "Ильич"),
    ("Абдуллаев", "Тимур", "Рустамович"),
    ("Соколова", "Ксения", "Андреевна"),
]


def make_people(count: int = len(NAMES), start: int = 1) -> list[KitParticipant]:
    people = []
    for i in range(count):
        last, first, middle = NAMES[i % len(NAMES)]
        people.append(
            KitParticipant(
                work_code=codes.make_code(23, 1, start + i),
                last_name=last,
                first_name=first,
                middle_name=middle,
                document_series="03 15",
                document_number=f"{100000 + i}",
                school_name="МБОУ СОШ № 5 им. А. С. Пушкина г. Краснодара",
                class_name="11 «Б»",
                venue_name="МБОУ СОШ № 5",
                room_number="12",
                session_date=DAY,
                form="exposition" if i == 2 else "essay",
                answer_pages=3 if i == 1 else 2,
            )
        )
    return people


PEOPLE = make_people()


def page_texts(pdf_bytes: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(pdf_bytes)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def raster(pdf_bytes: bytes, index: int, dpi: int):
    return pdfium.PdfDocument(pdf_bytes)[index].render(scale=dpi / 72).to_pil().convert("L")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def kits_pdf() -> bytes:
    buf = io.BytesIO()
    seen = []
    pages = render_kits(PEOPLE, buf, progress=seen.append)
    assert pages == sum(1 + p.answer_pages for p in PEOPLE)
    assert seen == [len(PEOPLE)]
    return buf.getvalue()


def expected_pages(people):
    """(participant, page type, page number) in print order."""
    for p in people:
        yield p, "registration", 1
        for n in range(1, p.answer_pages + 1):
            yield p, "answer", n


def test_every_page_carries_its_code_and_the_registration_page_the_name(kits_pdf):
    texts = page_texts(kits_pdf)
    layout = list(expected_pages(PEOPLE))
    assert len(texts) == len(layout)
    for text, (p, page_type, number) in zip(texts, layout):
        flat = squash(text)
        assert codes.format_code(p.work_code) in flat
        assert codes.content_for(p.work_code, page_type, number) in flat  # bare code, too
        if page_type == "registration":
            assert "БЛАНК РЕГИСТРАЦИИ" in flat
            for part in (p.last_name, p.first_name, p.middle_name, "02.12.2026", "11 «Б»", "03 15"):
                assert part in flat
            assert ("Итоговое изложение" if p.form == "exposition" else "Итоговое сочинение") in flat
            assert "«Не закончил»" in flat and "«Удален»" in flat and "«Количество бланков»" in flat
        else:
            assert "БЛАНК ЗАПИСИ" in flat
            assert p.last_name not in flat  # answer pages are anonymous
            assert "Номер бланка записи" in flat


def test_text_layer_holds_every_participant(kits_pdf):
    whole = squash(" ".join(page_texts(kits_pdf)))
    for p in PEOPLE:
        assert p.work_code in whole and codes.format_code(p.work_code) in whole
        assert p.last_name in whole and p.first_name in whole


def decode(img):
    return [b for b in zxingcpp.read_barcodes(img) if b.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("dpi", [150, 200])
@pytest.mark.parametrize("page_index", [0, 1, 2, 3, 5])
def test_qr_code_decodes_to_code_type_and_number(kits_pdf, page_index, dpi):
    p, page_type, number = list(expected_pages(PEOPLE))[page_index]
    img = raster(kits_pdf, page_index, dpi)
    found = decode(img)
    assert len(found) == 1
    ref = codes.parse_content(found[0].text)
    assert ref == codes.PageRef(p.work_code, page_type, number)
    # ... and it sits inside the geometry's code box
    qr = LAYOUTS[page_type].box("qr")
    pos = found[0].position
    for corner in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right):
        assert qr.x * dpi / 25.4 - 2 <= corner.x <= qr.right * dpi / 25.4 + 2
        assert qr.y * dpi / 25.4 - 2 <= corner.y <= qr.bottom * dpi / 25.4 + 2


def test_static_layout_is_one_form_xobject_per_page_type(kits_pdf):
    raw = kits_pdf
    assert raw.count(b"/Subtype /Form") == 2  # registration + answer, drawn once
    reader = PdfReader(io.BytesIO(raw))
    for page in reader.pages[:3]:
        xobjects = page["/Resources"]["/XObject"]
        assert len(xobjects) >= 1


def test_extra_answer_continues_the_numbering():
    p = PEOPLE[1]  # three answer pages in the kit
    buf = io.BytesIO()
    assert render_extra_answer(p, buf, count=2) == 2
    texts = page_texts(buf.getvalue())
    assert all("ДОПОЛНИТЕЛЬНЫЙ БЛАНК ЗАПИСИ" in t for t in texts)
    for index, number in enumerate((4, 5)):
        found = decode(raster(buf.getvalue(), index, 150))
        assert codes.parse_content(found[0].text) == codes.PageRef(p.work_code, "extra_answer", number)
        assert codes.content_for(p.work_code, "extra_answer", number) in texts[index]
    again = io.BytesIO()
    render_extra_answer(PEOPLE[:2], again, first_page=7)
    found = decode(raster(again.getvalue(), 1, 150))
    assert found[0].text == codes.content_for(PEOPLE[1].work_code, "extra_answer", 7)


def test_bad_input_is_refused_in_russian():
    bad = make_people(1)[0]
    bad.work_code = bad.work_code[:-1] + str((int(bad.work_code[-1]) + 1) % 10)
    with pytest.raises(ValueError, match="Неверный код работы"):
        render_kits([bad], io.BytesIO())
    with pytest.raises(ValueError, match="Нет участников"):
        render_kits([], io.BytesIO())
    odd = make_people(1)[0]
    odd.form = "poem"
    with pytest.raises(ValueError, match="Неизвестная форма"):
        render_kits([odd], io.BytesIO())


def test_long_values_are_fitted_not_spilled():
    p = make_people(1)[0]
    p.school_name = "Муниципальное бюджетное общеобразовательное учреждение " * 4
    buf = io.BytesIO()
    render_kits([p], buf)
    text = squash(page_texts(buf.getvalue())[0])
    assert "Муниципальное бюджетное" in text and "…" in text


# --- room forms --------------------------------------------------------------------

ROOM = KitRoom(
    venue_name="МБОУ СОШ № 5", room_number="12", session_date=DAY, venue_code="230105", municipality="г. Краснодар"
)


@pytest.fixture(scope="module")
def room_pdf():
    people = make_people(IS05_ROWS_PER_PAGE + 3, start=500)
    buf = io.BytesIO()
    pages = render_room_forms(ROOM, people, buf)
    assert pages == 2 + 2  # two ИС-05 sheets, ИС-08, ИС-09
    return people, buf.getvalue()


def test_is05_has_fields_for_every_participant_row(room_pdf):
    people, raw = room_pdf
    fields = PdfReader(io.BytesIO(raw)).get_fields()
    for p in people:
        for suffix, ftype in (("not_finished", "/Btn"), ("removed", "/Btn"), ("blanks", "/Tx"), ("topic", "/Tx")):
            name = f"is05_{p.code}_{suffix}"
            assert name in fields, name
            assert fields[name]["/FT"] == ftype
    row_codes = {name.split("_")[1] for name in fields if name.startswith("is05_2")}
    assert row_codes == {p.code for p in people}
    assert "is05_total_not_finished" in fields and "is05_total_removed" in fields


def test_is05_fields_sit_on_their_rows(room_pdf):
    people, raw = room_pdf
    reader = PdfReader(io.BytesIO(raw))
    for sheet, page in enumerate(reader.pages[:2]):
        names = {a.get_object()["/T"] for a in page["/Annots"]}
        on_sheet = people[sheet * IS05_ROWS_PER_PAGE : (sheet + 1) * IS05_ROWS_PER_PAGE]
        assert {f"is05_{p.code}_removed" for p in on_sheet} <= names


def test_room_forms_text_and_acts(room_pdf):
    people, raw = room_pdf
    texts = [squash(t) for t in page_texts(raw)]
    assert "Форма ИС-05" in texts[0] and "Ведомость проведения итогового сочинения" in texts[0]
    assert "Лист 1 из 2" in texts[0] and "Лист 2 из 2" in texts[1]
    both = texts[0] + texts[1]
    for p in people:
        assert codes.format_code(p.code) in both and p.full_name in both
    assert "Форма ИС-08" in texts[2] and "по уважительным причинам" in texts[2]
    assert "Форма ИС-09" in texts[3] and "Акт об удалении участника" in texts[3]
    fields = PdfReader(io.BytesIO(raw)).get_fields()
    for name in (
        "is08_1_participant",
        "is08_1_work_code",
        "is08_1_reason",
        "is08_1_marked",
        "is09_1_participant",
        "is09_1_violation",
        "is09_1_head",
        "is09_1_marked",
    ):
        assert name in fields, name


def test_room_forms_refuse_duplicate_codes():
    p = make_people(1)[0]
    with pytest.raises(ValueError, match="повторяется код работы"):
        render_room_forms(ROOM, [p, p], io.BytesIO())


def test_acts_copies_have_distinct_field_names():
    buf = io.BytesIO()
    assert render_room_forms(ROOM, make_people(2), buf, acts_copies=2) == 1 + 4
    fields = PdfReader(io.BytesIO(buf.getvalue())).get_fields()
    assert {"is08_1_reason", "is08_2_reason", "is09_1_violation", "is09_2_violation"} <= set(fields)


# --- parts in several processes ----------------------------------------------------


def test_parallel_parts_keep_the_order(tmp_path):
    people = make_people(7, start=900)
    seen: list[int] = []
    parts = render_kits_parallel(people, tmp_path, workers=2, chunk=3, progress=seen.append)
    assert [p.name for p in parts] == ["kits-0001.pdf", "kits-0002.pdf", "kits-0003.pdf"]
    assert seen and seen[-1] == 7 and seen == sorted(seen)
    assert not list(tmp_path.glob("*.part"))
    order = []
    for part in parts:
        for text in page_texts(part.read_bytes()):
            match = re.search(r"ITOG1:(\d{12}):R:1", text)
            if match:
                order.append(match.group(1))
    assert order == [p.code for p in people]
    assert sum(len(pdfium.PdfDocument(str(part))) for part in parts) == sum(1 + p.answer_pages for p in people)


def test_parallel_in_process_and_validation(tmp_path):
    people = make_people(3, start=950)
    seen: list[int] = []
    parts = render_kits_parallel(people, tmp_path, workers=1, chunk=2, progress=seen.append)
    assert len(parts) == 2 and seen[-1] == 3
    bad = make_people(1)[0]
    bad.work_code = "230100000000"
    with pytest.raises(ValueError, match="Неверный код работы"):
        render_kits_parallel([bad], tmp_path / "bad", workers=2)
