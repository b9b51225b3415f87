"""The printable consent to the processing of personal data (приложение 3 of the essay procedure, A33–A43):
filled in for one participant (their record's whitelisted fields, the consent's recorded text version, purposes
and third parties) or blank (the region's current text) for handing out before registration.

Plain data in, PDF bytes out (ReportLab, DejaVu): the views gather the values through the scoping layer. Fields
the record does not hold (the registration address, when and by whom the document was issued — A35, A34; the
parent's data) are left as lines to fill in by hand: they are the form's own fields, not the participant's
personal data (A37), and are never stored here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from itog.blanks.render import FONT, FONT_BOLD, register_fonts

TITLE = "Согласие на обработку персональных данных"
BLANK = "_" * 48  # a line to fill in by hand
ADULT_AGE = 18

# A37: the closed list of categories, as the form names them (the fields of the whitelist, CONSENT_PD_FIELDS,
# grouped: the document's type, series, number, date and issuer are its «реквизиты»).
PD_CATEGORIES = (
    "фамилия, имя, отчество (последнее — при наличии)",
    "пол",
    "дата рождения",
    "контактный телефон (при наличии)",
    "гражданство",
    "СНИЛС (при наличии)",
    "реквизиты документа, удостоверяющего личность",
    "наименование образовательной организации, в которой осваивается (освоена) образовательная программа "
    "среднего общего образования",
    "номер класса (при наличии)",
    "отнесение к категории лиц с ОВЗ, детей-инвалидов или инвалидов",
)
# A39: the actions the consent allows (the form's closed list, by their names).
ACTIONS = (
    "сбор",
    "систематизация",
    "накопление",
    "хранение",
    "уточнение (обновление, изменение)",
    "использование",
    "передача третьим лицам",
    "обезличивание",
    "блокирование",
)
# A41: how long the consent is valid (the keeping period, п. 13.3 / I8).
VALIDITY = (
    "Согласие действует до достижения целей обработки персональных данных или в течение срока хранения информации."
)
# The participant's lines of the blank form (the filled form prints the record's values instead).
SUBJECT = (
    "Фамилия, имя, отчество (при наличии)",
    "Дата рождения",
    "Документ, удостоверяющий личность (вид, серия, номер)",
    "Образовательная организация, класс",
)
# A42: revocation.
REVOCATION = "Согласие может быть отозвано в любой момент по письменному заявлению; после отзыва обработка невозможна."


@dataclass(frozen=True)
class ConsentFormData:
    """What one printed consent shows. ``participant`` is None for the blank form: every personal-data
    value is then a line to fill in by hand."""

    operator: str  # A36: the operator (the region's ministry)
    text_version: str
    purposes: tuple[str, ...]  # A38
    third_parties: tuple[str, ...]  # A39
    modes: tuple[str, ...]  # A40
    participant: list[tuple[str, str]] | None = None  # (label, value) of the record's whitelisted fields
    minor: bool | None = None  # None: not known (the blank form) — the parent's line is printed anyway
    lines: list[str] = field(default_factory=list)  # e.g. the application's number
    pd_categories: tuple[str, ...] = PD_CATEGORIES  # A37


def is_minor(birth_date: date, on: date) -> bool:
    """Under 18 on the given day (the exam's date): the parent (legal representative) signs too."""
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return years < ADULT_AGE


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: ReportLab reads its markup, so «<», «>», «&» of a name or a school's
    name are escaped (printed as written, never a broken or failed form)."""
    return Paragraph(escape(text), style)


def consent_pdf(data: ConsentFormData) -> bytes:
    register_fonts()
    title_style = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=2, alignment=1)
    sub = ParagraphStyle("s", fontName=FONT, fontSize=8, leading=10, alignment=1, spaceAfter=6)
    head = ParagraphStyle("h", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2)
    normal = ParagraphStyle("n", fontName=FONT, fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=9, leading=11)
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, "#555555"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )

    def table(rows: list[tuple[str, str]]) -> Table:
        body = [[para(label, cell), para(value or "", cell)] for label, value in rows]
        return Table(body, colWidths=[62 * mm, 118 * mm], style=style)

    subject = list(data.participant) if data.participant is not None else [(label, BLANK) for label in SUBJECT]
    # A34, A35: the form's own fields — never stored, always filled in by hand
    subject += [("Когда и кем выдан документ", BLANK), ("Адрес регистрации", BLANK)]
    story = [
        para(TITLE, title_style),
        para(f"(редакция текста согласия: {data.text_version})", sub),
        *[para(line, normal) for line in data.lines],
        para("Субъект персональных данных (участник)", head),
        table(subject),
    ]
    if data.minor is not False:  # a minor's consent is given by the parent (legal representative)
        story += [
            para(
                "Родитель (законный представитель) несовершеннолетнего участника"
                + (" — заполняется, если участнику нет 18 лет" if data.minor is None else ""),
                head,
            ),
            table(
                [
                    ("Фамилия, имя, отчество (при наличии)", BLANK),
                    ("Документ, удостоверяющий личность (вид, серия, номер, когда и кем выдан)", BLANK),
                    ("Адрес регистрации", BLANK),
                ]
            ),
        ]
    story += [
        para("Оператор персональных данных", head),
        para(data.operator, normal),  # A36
        para(
            "Подписывая настоящее согласие, субъект персональных данных (родитель, законный представитель "
            "несовершеннолетнего) дает согласие оператору на обработку персональных данных участника на "
            "указанных ниже условиях.",
            normal,
        ),
        para("Перечень персональных данных, на обработку которых дается согласие", head),
        para("; ".join(data.pd_categories) + ".", normal),  # A37
        para("Цели обработки", head),
        para("; ".join(data.purposes) + ".", normal),  # A38
        para("Действия с персональными данными", head),
        para("; ".join(ACTIONS) + ".", normal),  # A39
        para("Передача третьим лицам: " + ("; ".join(data.third_parties) or "не допускается") + ".", normal),  # A39
        para("Способы обработки: " + "; ".join(data.modes) + ".", normal),  # A40
        para("Срок действия согласия", head),
        para(VALIDITY, normal),  # A41
        para(REVOCATION, normal),  # A42
    ]
    signatures = [Spacer(1, 7 * mm), para("Участник ____________________ / ____________________", normal)]
    if data.minor is not False:
        signatures += [
            Spacer(1, 7 * mm),
            para("Родитель (законный представитель) ____________________ / ____________________", normal),
        ]
    signatures += [Spacer(1, 7 * mm), para("Дата «____» ________________ 20____ г.", normal)]
    story.append(KeepTogether(signatures))
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm, bottomMargin=12 * mm, title=TITLE
    ).build(story)
    return out.getvalue()
