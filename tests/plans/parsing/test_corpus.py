"""The layout corpus: every seed plan re-typed in every layout gives the same items; plans of other
regions and years written in their own layouts (tests/plans/corpus/*); odd structures refused with
messages that say what was found."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from itog.plans.parsing.model import PlanReadError
from itog.plans.parsing.readers import detect_format, read_plan
from tests.plans.corpus.retype import LAYOUTS, TEXT_FORMAT, retype
from tests.seeds import seed_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEEDS = ("000", "001", "002", "004")
# PDF through pdfminer costs ~0.3 s a page: the two long roadmaps are measured by the benchmark only.
# Known ambiguity: in space-aligned text (and PDF) a row without a number (Kuzbass 3.3.1's unnumbered
# second half) looks exactly like the wrapped continuation of the row above; those two items merge.
AMBIGUOUS = {("004", "fixed"): {"S3.3.1", "S3.3.1-u1"}}


def _key(item, with_responsible=True):
    return (
        item.id,
        " ".join(item.activity.split()),
        " ".join(item.deadline_raw.split()),
        tuple(item.responsible) if with_responsible else None,
    )


@pytest.fixture(scope="module")
def seeds():
    return {p: read_plan(seed_path(p)) for p in SEEDS}


# every pair runs, the long PDFs too (about 10 s each; benchmarks/bench_plan_corpus.py measures their speed)
@pytest.mark.parametrize(("prefix", "layout"), [(p, lay) for p in SEEDS for lay in LAYOUTS])
def test_every_layout_of_every_seed_gives_the_same_items(seeds, prefix, layout):
    ref = seeds[prefix]
    data = retype(ref, layout)
    assert detect_format(data, f"plan.{layout}") == TEXT_FORMAT[layout]
    got = read_plan(data, filename=f"plan.{layout}")
    skip = AMBIGUOUS.get((prefix, layout), set())
    # an item whose deadline cell swallowed the responsible (001 G5) has no responsible in the source;
    # re-typed, the empty cell inherits from its sibling — compare the rest of it
    no_resp = {it.id for it in ref.items if "no_responsible" in it.warning_codes()}
    want = [_key(it, it.id not in no_resp) for it in ref.items if it.id not in skip]
    have = [_key(it, it.id not in no_resp) for it in got.items if it.id not in skip]
    assert have == want
    assert len(got.items) == len(ref.items) - (1 if skip else 0)
    assert got.confidence["level"] in ("высокая", "средняя")


@pytest.mark.parametrize("layout", ["lines", "lines-pipe", "fixed", "markdown", "numbered", "pages"])
def test_forced_format_reads_the_same(seeds, layout):
    ref = seeds["000"]
    got = read_plan(retype(ref, layout), format=TEXT_FORMAT[layout])
    assert [_key(i) for i in got.items] == [_key(i) for i in ref.items]


def test_layout_features_are_reported(seeds):
    assert "pages" in read_plan(retype(seeds["001"], "pages")).layout
    assert "numbers-alone" in read_plan(retype(seeds["001"], "numbered")).layout
    assert read_plan(retype(seeds["000"], "lines-sep")).layout[:2] == ["lines", "cells:separate"]


# ---------------------------------------------------------------------------
# Other regions, other years, their own layouts
# ---------------------------------------------------------------------------


def _corpus(name):
    return read_plan(CORPUS / name)


def test_session_columns_give_one_item_with_a_deadline_per_session():
    plan = _corpus("essay_sessions_2015.txt")
    assert len(plan.items) == 6
    item = plan.items[3]
    assert item.activity == "Проведение итогового сочинения"
    assert item.sessions == {"декабрь": "03.12.2014", "февраль": "04.02.2015", "май": "06.05.2015"}
    # an empty session cell is kept, not dropped and not shifted
    assert plan.items[5].sessions == {"декабрь": "до 15.12.2014", "февраль": "", "май": "до 18.05.2015"}
    # no responsible column: one plan-level note, no per-item findings
    assert [w.code for w in plan.warnings].count("no_responsible_column") == 1
    assert not any("empty_responsible" in it.warning_codes() for it in plan.items)


def test_session_deadlines_are_parsed_per_session():
    from itog.plans.importing import session_deadline
    from itog.plans.parsing.deadlines import AcademicYear

    d = session_deadline(
        {"декабрь": "03.12.2014", "февраль": "до 11.02.2015", "май": ""}, AcademicYear.parse("2014/15"), {}
    )
    assert d["kind"] == "windows"
    assert [(w["session"], w["end"]) for w in d["windows"]] == [("декабрь", "2014-12-03"), ("февраль", "2015-02-11")]
    assert [s["session"] for s in d["sessions"]] == ["декабрь", "февраль", "май"]


def test_two_level_header_with_sessions_under_a_merged_cell():
    plan = _corpus("gia_two_level_2022.txt")
    assert [it.id for it in plan.items] == ["1", "2"]
    assert plan.items[1].sessions == {
        "основной период": "20.05.2022 - 01.07.2022",
        "дополнительный период": "05.09.2022 - 24.09.2022",
        "резервные дни": "по расписанию",
    }
    assert plan.items[1].responsible == ["ОО"]
    assert plan.confidence["level"] == "высокая"


def test_header_synonyms_and_extra_columns_kept():
    plan = _corpus("interview_2019.md")
    assert plan.format == "pipe" and "markdown" in plan.layout
    assert plan.columns["activity"] == "Вид работ" and plan.columns["deadline"] == "Сроки проведения"
    assert plan.columns["responsible"] == "Исполнители"
    assert plan.item("1.2").extra == {"Отметка об исполнении": "приказ № 12"}
    assert [s.title for s in plan.sections] == ["1. Организационные мероприятия", "2. Проведение"]


@pytest.mark.parametrize(
    "header,role",
    [
        ("Наименование мероприятия", "activity"),
        ("Содержание работы", "activity"),
        ("Направления деятельности", "activity"),
        ("Вид работ", "activity"),
        ("Мероприятия", "activity"),
        ("Срок", "deadline"),
        ("Срок исполнения", "deadline"),
        ("Дата", "deadline"),
        ("Период", "deadline"),
        ("Сроки проведения", "deadline"),
        ("Ответственные", "responsible"),
        ("Ответственный исполнитель", "responsible"),
        ("Исполнители", "responsible"),
        ("Ответственные за исполнение", "responsible"),  # not an «исполнение» remark column
        ("Ответственный за выполнение", "responsible"),
        ("Контроль исполнения", "extra:Контроль исполнения"),
        ("Должностное лицо, ответственное за исполнение", "responsible"),
        ("Фактический срок", "extra:Фактический срок"),  # the record of execution, not a second session
        ("Срок исполнения (факт)", "extra:Срок исполнения (факт)"),
        ("Плановый срок", "deadline"),
        ("Месяц", "deadline"),
        ("Отметка о выполнении", "extra:Отметка о выполнении"),
        ("Результат", "extra:Результат"),
        ("Ожидаемый результат работы", "extra:Ожидаемый результат работы"),
        ("Отметка об исполнении", "extra:Отметка об исполнении"),
        ("Примечание", "extra:Примечание"),
        ("Ссылка", "extra:Ссылка"),
        ("Декабрь", "session:декабрь"),
        ("Срок (февраль)", "session:февраль"),
    ],
)
def test_header_synonyms(header, role):
    from itog.plans.parsing.structure import header_role

    assert header_role(header, 1) == role


def test_planned_and_actual_dates_are_one_deadline_and_a_record():
    from itog.plans.parsing.structure import header_roles

    roles = header_roles(["№", "Мероприятие", "Срок (план)", "Срок (факт)", "Ответственный"])
    assert roles == ["number", "activity", "deadline", "extra:Срок (факт)", "responsible"]


def test_headerless_table_columns_inferred_and_said_so():
    plan = _corpus("roadmap_headerless_2012.txt")
    assert len(plan.items) == 5
    assert plan.items[2].deadline_raw == "до 01.02.2012"
    assert plan.items[2].responsible == ["Региональный центр обработки информации"]
    assert "no_header" in [w.code for w in plan.warnings]
    assert plan.confidence["level"] == "средняя"


def test_plain_text_numbering_plus_dates():
    plan = _corpus("roadmap_plain_2010.txt")
    assert plan.format == "plain"
    assert [(it.number, it.deadline_raw, it.responsible) for it in plan.items] == [
        ("1", "до 15.11.2009", ["Министерство образования"]),
        ("2", "до 01.12.2009", ["Отдел общего образования"]),
        ("3", "март - апрель 2010 года", ["Центр мониторинга"]),
        ("4", "в течение учебного года", ["Руководители школ"]),
    ]
    assert plan.items[1].activity == "Формирование перечня пунктов проведения экзаменов"
    assert "plain_layout" in [w.code for w in plan.warnings] and plan.confidence["score"] < 0.85


def test_space_aligned_columns_with_wrapped_cells():
    plan = _corpus("essay_start_end_2017.txt")
    assert plan.format == "fixed"
    assert plan.columns["responsible"] == "Ответственный исполнитель"
    assert plan.items[0].activity == "Приём заявлений участников итогового сочинения (изложения)"
    assert (plan.items[0].deadline_start_raw, plan.items[0].deadline_end_raw) == ("01.11.2017", "22.11.2017")
    assert plan.items[3].responsible == ["Экспертные комиссии ОО"]


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


def _scan_pdf() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("RGB", (400, 200), "white")
    for x in range(50, 350):
        img.putpixel((x, 100), (0, 0, 0))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawImage(ImageReader(img), 50, 500, 400, 200)
    c.showPage()
    c.save()
    return out.getvalue()


def test_scanned_pdf_is_refused_as_a_scan():
    with pytest.raises(PlanReadError, match="скан"):
        read_plan(_scan_pdf(), filename="plan.pdf")


def test_pdf_text_layer_without_ruled_table_is_read_as_aligned_text():
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf"
    pdfmetrics.registerFont(TTFont("DejaVuMono", str(font)))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("DejaVuMono", 8)
    y = 800
    for line in (CORPUS / "essay_start_end_2017.txt").read_text().splitlines():
        c.drawString(20, y, line)
        y -= 11
    c.save()
    plan = read_plan(out.getvalue(), filename="plan.pdf")
    assert plan.format == "pdf"
    assert [it.deadline_start_raw for it in plan.items] == ["01.11.2017", "20.11.2017", "06.12.2017", "07.12.2017"]


# ---------------------------------------------------------------------------
# Never silently wrong
# ---------------------------------------------------------------------------


def test_missing_activity_column_is_described():
    text = "Что делаем\tКогда\tКто\nСовещание с МОУО\tдо 01.10.2024\tРЦОИ\nОбучение экспертов\tноябрь 2024 года\tИРО\n"
    with pytest.raises(PlanReadError) as exc:
        read_plan(text.encode())
    message = str(exc.value)
    assert "найдено 3 столбца: «Что делаем», «Когда», «Кто»" in message
    assert "не найден столбец с мероприятиями" in message and "--columns" in message
    plan = read_plan(text.encode(), columns={"activity": 1})
    assert [(it.activity, it.deadline_raw, it.responsible) for it in plan.items] == [
        ("Совещание с МОУО", "до 01.10.2024", ["РЦОИ"]),
        ("Обучение экспертов", "ноябрь 2024 года", ["ИРО"]),
    ]


def test_one_giant_item_is_refused():
    body = " ".join(f"{k}. Мероприятие номер {k} до {k:02d}.10.2024 РЦОИ" for k in range(1, 30))
    text = f"Мероприятие\tСрок\tОтветственный\n{body}\tдо 01.10.2024\tРЦОИ\n"
    with pytest.raises(PlanReadError, match="одно мероприятие"):
        read_plan(text.encode())


def test_shifted_columns_are_refused_then_importable_with_findings_when_forced():
    rows = "\n".join(f"{k}.\tРЦОИ\tМероприятие {k}\t{k:02d}.10.2024" for k in range(1, 8))
    text = f"№\tМероприятие\tСрок\tОтветственный\n{rows}\n"
    with pytest.raises(PlanReadError) as exc:
        read_plan(text.encode())
    assert "столбцы" in str(exc.value) and "--columns" in str(exc.value)
    plan = read_plan(text.encode(), columns={"activity": 3, "deadline": 4, "responsible": 2})
    assert plan.items[0].activity == "Мероприятие 1" and plan.items[0].responsible == ["РЦОИ"]
    assert plan.confidence["level"] == "высокая"


def test_activity_that_is_only_a_number_is_refused():
    rows = "\n".join(f"{k}\t{k}.\tдо {k:02d}.10.2024\tРЦОИ" for k in range(1, 6))
    text = f"Раздел\tМероприятие\tСрок\tОтветственный\n{rows}\n"
    with pytest.raises(PlanReadError, match="число"):
        read_plan(text.encode())


def test_headerless_table_without_dates_is_not_a_plan():
    text = "Сокращение\tРасшифровка\nМОУО\tмуниципальные органы\nОО\tорганизации\n"
    with pytest.raises(PlanReadError, match="нет сроков"):
        read_plan(text.encode())


def test_header_rows_chosen_by_the_user_are_not_items():
    # the row numbering the columns («1 2 3») under the header, as many printed tables have
    text = "Мероприятие\tСрок\tОтветственный\n1\t2\t3\nСовещание\tдо 01.10.2024\tРЦОИ\n"
    plan = read_plan(text.encode())
    assert [it.activity for it in plan.items] == ["Совещание"]  # recognised without the user's help
    plan = read_plan(text.encode(), header_lines={2})
    assert [it.activity for it in plan.items] == ["Совещание"]


def test_every_import_carries_a_confidence(seeds):
    for plan in seeds.values():
        assert plan.confidence["level"] == "высокая" and 0.85 <= plan.confidence["score"] <= 1


def test_row_split_across_pages_continues_after_the_repeated_header():
    text = (
        "План мероприятий по подготовке к ГИА в 2025 году\n\n"
        "№\tМероприятие\tСрок\tОтветственные\n"
        "1.\tСовещание с руководителями\tсентябрь 2024 года\tМинистерство\n"
        "2.\tОбучение организаторов ППЭ и технических\tмарт 2025 года\tРЦОИ,\n"
        "\n- 2 -\n\f\n"
        "№\tМероприятие\tСрок\tОтветственные\n"
        "\tспециалистов пунктов проведения экзаменов\t\tИРО\n"
        "3.\tПроведение экзаменов\tпо расписанию\tГЭК\n"
    )
    plan = read_plan(text.encode())
    assert "pages" in plan.layout
    assert [it.id for it in plan.items] == ["1", "2", "3"]
    item = plan.item("2")
    assert item.activity == "Обучение организаторов ППЭ и технических специалистов пунктов проведения экзаменов"
    assert item.responsible == ["РЦОИ", "ИРО"] and "row_joined" in item.warning_codes()


def test_an_orders_numbered_paragraphs_are_not_a_plain_plan():
    text = (
        "ПРИКАЗ\n1. Утвердить прилагаемый план.\n2. Руководителям МОУО обеспечить исполнение.\n"
        "3. Разработать муниципальные планы в срок до 20 сентября 2020 года.\n"
        "4. Контроль исполнения возложить на заместителя министра.\n"
    )
    with pytest.raises(PlanReadError, match="пронумерованных пунктов со сроками"):
        read_plan(text.encode())


@pytest.mark.parametrize("data", [b"%PDF-1.4 junk", b"%PDF-1.7\n" + b"x" * 1000])
def test_damaged_pdf_is_refused_in_russian(data):
    with pytest.raises(PlanReadError, match="PDF повреждён"):
        read_plan(data, filename="plan.pdf")
