"""Bulk import of participants of the final essay from a school's XLSX/CSV list: validation (pure Python).

The file is read by :func:`itog.core.tables.read_table`; :func:`validate_rows` checks every row and
reports each problem with its row and column, in Russian («Строка 15, столбец «Дата рождения»: …»).
All or nothing: records are returned only if every row is valid, unless the user explicitly chose to
import the valid rows (``partial=True``).

Columns (the header must hold exactly these, in any order; «*» after a title is ignored):

====================  ===========  =====================================================================
Заголовок             Обязателен   Что и в каком виде
====================  ===========  =====================================================================
Фамилия               да           буквы, пробел, дефис, апостроф
Имя                   да           то же
Отчество              нет          то же (при наличии)
Пол                   да           «м» / «ж» (или «мужской» / «женский»)
Дата рождения         да           ДД.ММ.ГГГГ или дата Excel
Гражданство           да           например «Российская Федерация» («РФ», «Россия» приводятся к нему)
СНИЛС                 нет          11 цифр, «123-456-789 01»; контрольное число проверяется
Вид документа         да           Паспорт гражданина РФ / Свидетельство о рождении /
                                   Паспорт иностранного гражданина / Иной документ
Серия                 паспорт РФ   паспорт РФ — 4 цифры
Номер                 да           паспорт РФ и свидетельство о рождении — 6 цифр
Код ОО                см. ниже     код ОО из справочника организаций; обязателен для обучающихся,
                                   экстернов и лиц со справкой (регистрация в ОО, п. 5.1)
Класс                 см. ниже     11 или 12 с литерой («11А»); обязателен для обучающихся XI–XII классов;
                                   10 класс не допускается (п. 2.4)
Категория участника   да           обучающийся XI–XII класса / экстерн / выпускник прошлых лет /
                                   обучающийся СПО / обучающийся иностранной ОО /
                                   лицо со справкой об обучении (пп. 2.1, 2.2)
Форма                 да           сочинение / изложение (изложение — только обучающимся и экстернам, п. 2.3)
ОВЗ/инвалидность      нет          пусто или «нет» / ОВЗ / ребенок-инвалид / инвалид
Дата участия          ЕГЭ          ДД.ММ.ГГГГ, одна из дат проведения; обязательна для участников ЕГЭ
                                   (выпускники прошлых лет, СПО, иностранные ОО; п. 5.5)
Телефон               нет          контактный телефон, 10 цифр с кодом
С Памяткой            да           «да», если участник ознакомлен с Памяткой о порядке проведения под
ознакомлен(а)                      подпись; «нет» или пусто — строка не загружается (V06)
Тип ОО                нет*         общеобразовательная / СУВУ закрытого типа / учреждение, исполняющее
                                   наказание / санаторная ОО (пп. 2.3, 5.4); пусто — общеобразовательная
Обучение на дому      нет*         «да» — обучается на дому по состоянию здоровья (п. 2.3)
Предъявленные         нет*         через «;»: рекомендации ПМПК; справка об инвалидности; заключение
документы                          медицинской организации; справка об обучении; копия заявления; копия
                                   приказа о зачислении (пп. 2.3, 5.1, 5.3, 5.4)
====================  ===========  =====================================================================

«*» — the column itself may be absent from the file (then: общеобразовательная ОО, not at home, no
documents). Every other column must be present.

Personal data: the columns marked with a consent category in :data:`COLUMNS` are exactly the list of
Приложение 3 (analysis A37): фамилия, имя, отчество; пол; дата рождения; контактный телефон;
гражданство; СНИЛС; реквизиты документа, удостоверяющего личность; наименование ОО (by its code);
номер класса; отнесение к лицам с ОВЗ, детям-инвалидам, инвалидам. The other three columns
(категория, форма, дата участия) are fields of the application (пп. 2.1–2.3, 5.5). Any other column
is refused (V15): personal data outside the consent must not be loaded.

Decisions documented here:
* a student or extern without ОВЗ/disability status, of a general ОО and not taught at home, who chose
  «изложение» is a warning here; the application rules run on every row afterwards
  (``itog.exams.registration.importing``) and refuse it (V01, V09 without the medical conclusion);
* «С Памяткой ознакомлен(а)» is read from the file for every row, never assumed (A25, V06);
* the category «лицо со справкой об обучении» is not an ЕГЭ participant (A3): no date is required;
* duplicates are found by the pair (серия, номер) with spaces removed and letters upper-cased, within
  the file and against the documents already registered in the region; a СНИЛС repeated within the
  file is an error too;
* a birth date must give an age of 12 to 100 years on ``today``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from itog.core.tables import RowError, Table

# ---------------------------------------------------------------- vocabularies

# The same codes as itog.exams.models.Category.
STUDENT = "student"
EXTERN = "extern"
VPL = "vpl"
SPO = "spo"
FOREIGN_OO = "foreign"
SPRAVKA = "spravka"
CATEGORY_LABELS = {
    STUDENT: "обучающийся XI–XII класса",
    EXTERN: "экстерн",
    VPL: "выпускник прошлых лет",
    SPO: "обучающийся СПО",
    FOREIGN_OO: "обучающийся иностранной ОО",
    SPRAVKA: "лицо со справкой об обучении",
}
EGE_CATEGORIES = frozenset({VPL, SPO, FOREIGN_OO})  # «участники ЕГЭ», п. 2.2 (A2)
SCHOOL_REGISTERED = frozenset({STUDENT, EXTERN, SPRAVKA})  # registered in an ОО, п. 5.1 (A9–A11)
EXPOSITION_ALLOWED = frozenset({STUDENT, EXTERN})  # п. 2.3 (A5–A7)

ESSAY = "essay"  # the same codes as itog.exams.models.Form
EXPOSITION = "exposition"
EXAM_KIND_LABELS = {ESSAY: "сочинение", EXPOSITION: "изложение"}

PASSPORT_RF = "passport_rf"
BIRTH_CERTIFICATE = "birth_certificate"
FOREIGN_PASSPORT = "foreign_passport"
OTHER_DOCUMENT = "other"
DOCUMENT_LABELS = {  # the same codes as itog.people.models.DocumentType
    PASSPORT_RF: "Паспорт гражданина РФ",
    BIRTH_CERTIFICATE: "Свидетельство о рождении",
    FOREIGN_PASSPORT: "Паспорт иностранного гражданина",
    OTHER_DOCUMENT: "Иной документ",
}

HEALTH_LABELS = {  # the same codes as itog.people.models.HealthCategory
    "": "нет",
    "ovz": "ОВЗ",
    "disabled_child": "ребенок-инвалид",
    "disabled": "инвалид",
}

SCHOOL_TYPE_LABELS = {  # the same codes as itog.exams.kinds.base.SchoolType
    "regular": "общеобразовательная",
    "suvu_closed": "СУВУ закрытого типа",
    "penal": "учреждение, исполняющее наказание",
    "sanatorium": "санаторная ОО",
}
DOCUMENT_KIND_LABELS = {  # the same codes as itog.exams.kinds.base.DocumentKind (those of an application)
    "pmpk": "рекомендации ПМПК",
    "disability": "справка об инвалидности",
    "med_conclusion": "заключение медицинской организации",
    "spravka": "справка об обучении",
    "application_copy": "копия заявления",
    "enrolment_order": "копия приказа о зачислении",
}

SEX_LABELS = {"м": "мужской", "ж": "женский"}
RUSSIA = "Российская Федерация"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool  # always required (conditional requirements are checked per row)
    consent: str | None  # the personal-data category of Приложение 3 (A37), None for an application field
    optional_column: bool = False  # the column may be absent from the header (older templates)


COLUMNS: tuple[Column, ...] = (
    Column("last_name", "Фамилия", True, "фамилия"),
    Column("first_name", "Имя", True, "имя"),
    Column("middle_name", "Отчество", False, "отчество (при наличии)"),
    Column("sex", "Пол", True, "пол"),
    Column("birth_date", "Дата рождения", True, "дата рождения"),
    Column("citizenship", "Гражданство", True, "гражданство"),
    Column("snils", "СНИЛС", False, "СНИЛС (при наличии)"),
    Column("document_type", "Вид документа", True, "реквизиты документа, удостоверяющего личность"),
    Column("document_series", "Серия", False, "реквизиты документа, удостоверяющего личность"),
    Column("document_number", "Номер", True, "реквизиты документа, удостоверяющего личность"),
    Column("school_code", "Код ОО", False, "наименование образовательной организации"),
    Column("class_name", "Класс", False, "номер класса (при наличии)"),
    Column("category", "Категория участника", True, None),
    Column("exam_kind", "Форма", True, None),
    Column(
        "health",
        "ОВЗ/инвалидность",
        False,
        "об отнесении участника к категории лиц с ОВЗ, детей-инвалидов или инвалидов",
    ),
    Column("participation_date", "Дата участия", False, None),
    Column("phone", "Телефон", False, "контактный телефон (при наличии)"),
    # Fields of the application (A25, п. 2.3, 5.1, 5.3, 5.4), not personal data of приложение 3.
    Column("pamyatka", "С Памяткой ознакомлен(а)", False, None),
    Column("school_type", "Тип ОО", False, None, optional_column=True),
    Column("home_schooling", "Обучение на дому", False, None, optional_column=True),
    Column("documents", "Предъявленные документы", False, None, optional_column=True),
)
HEADER = [c.title for c in COLUMNS]
TITLE = {c.key: c.title for c in COLUMNS}

# ---------------------------------------------------------------- results


@dataclass
class ParticipantRecord:
    row: int
    last_name: str
    first_name: str
    middle_name: str
    sex: str  # "м" | "ж"
    birth_date: date
    citizenship: str
    snils: str  # "123-456-789 01" or ""
    document_type: str  # a DOCUMENT_LABELS key
    document_series: str  # spaces removed, upper case
    document_number: str  # spaces removed, upper case
    school_code: str  # "" when not given (ЕГЭ participants)
    school: Any  # the value of schools_by_code[school_code], None when not given
    grade: int | None
    class_letter: str
    category: str  # a CATEGORY_LABELS key
    exam_kind: str  # "essay" | "exposition"
    health_category: str  # a HEALTH_LABELS key
    participation_date: date | None
    phone: str  # "+79001234567" or ""
    pamyatka_ack: bool = False  # «С Памяткой ознакомлен(а)»: «да» in the file
    school_type: str = "regular"  # a SCHOOL_TYPE_LABELS key
    home_schooling_health: bool = False
    documents: frozenset[str] = frozenset()  # DOCUMENT_KIND_LABELS keys

    @property
    def document_key(self) -> tuple[str, str]:
        return (self.document_series, self.document_number)


@dataclass
class ImportCheck:
    records: list[ParticipantRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows_total: int = 0
    partial: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


# ---------------------------------------------------------------- normalising what people type


@lru_cache(maxsize=4096)  # the same few words are repeated in every row
def _norm(text: str) -> str:
    """Lower case, «ё» as «е», one kind of dash, single spaces, no spaces around «/» and dashes."""
    text = text.strip().lower().replace("ё", "е").replace("\u00a0", " ")
    text = re.sub(r"[‐-―−]", "-", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([/-])\s*", r"\1", text)


@lru_cache(maxsize=1024)
def _norm_category(text: str) -> str:
    # «XI–XII» is typed with Latin or Cyrillic letters; brackets «XI (XII)» as well as «XI–XII».
    text = _norm(text).replace("х", "x").replace("і", "i").replace("(", "-").replace(")", "")
    return re.sub(r"\s*-\s*", "-", text).strip("- ")


def _aliases(pairs: dict[str, list[str]], norm=_norm) -> dict[str, str]:
    return {norm(alias): code for code, aliases in pairs.items() for alias in aliases}


CATEGORY_ALIASES = _aliases(
    {
        STUDENT: [
            CATEGORY_LABELS[STUDENT],
            "обучающийся XI (XII) класса",
            "обучающийся XI-XII классов",
            "обучающийся 11-12 класса",
            "обучающийся 11 класса",
            "обучающийся 12 класса",
            "обучающийся",
        ],
        EXTERN: [CATEGORY_LABELS[EXTERN]],
        VPL: [CATEGORY_LABELS[VPL], "ВПЛ"],
        SPO: [CATEGORY_LABELS[SPO], "обучающийся по программам СПО", "СПО"],
        FOREIGN_OO: [CATEGORY_LABELS[FOREIGN_OO], "обучающийся в иностранной ОО"],
        SPRAVKA: [CATEGORY_LABELS[SPRAVKA], "лицо со справкой"],
    },
    _norm_category,
)
EXAM_KIND_ALIASES = _aliases(
    {
        ESSAY: ["сочинение", "итоговое сочинение"],
        EXPOSITION: ["изложение", "итоговое изложение"],
    }
)
DOCUMENT_ALIASES = _aliases(
    {
        PASSPORT_RF: [DOCUMENT_LABELS[PASSPORT_RF], "паспорт", "паспорт РФ", "паспорт гражданина Российской Федерации"],
        BIRTH_CERTIFICATE: [DOCUMENT_LABELS[BIRTH_CERTIFICATE], "свидетельство о рождении РФ"],
        FOREIGN_PASSPORT: [DOCUMENT_LABELS[FOREIGN_PASSPORT], "иностранный паспорт"],
        OTHER_DOCUMENT: [DOCUMENT_LABELS[OTHER_DOCUMENT], "иной", "другой документ"],
    }
)
HEALTH_ALIASES = _aliases(
    {
        "": ["", "нет", "-", "не относится"],
        "ovz": ["ОВЗ", "лицо с ОВЗ", "с ОВЗ"],
        "disabled_child": ["ребенок-инвалид", "ребёнок-инвалид"],
        "disabled": ["инвалид"],
    }
)
SEX_ALIASES = _aliases({"м": ["м", "м.", "муж", "мужской"], "ж": ["ж", "ж.", "жен", "женский"]})
CITIZENSHIP_ALIASES = _aliases({RUSSIA: [RUSSIA, "РФ", "Россия"]})
YES_NO_ALIASES = _aliases(
    {
        "yes": ["да", "+", "1", "ознакомлен", "ознакомлена", "ознакомлен(а)", "ознакомлен (а)"],
        "no": ["", "нет", "-", "0", "не ознакомлен", "не ознакомлена"],
    }
)
SCHOOL_TYPE_ALIASES = _aliases(
    {
        "regular": ["", "общеобразовательная", "общеобразовательная организация", "ОО", "обычная"],
        "suvu_closed": [
            SCHOOL_TYPE_LABELS["suvu_closed"],
            "СУВУ",
            "СУВУЗТ",
            "СУВУ(ЗТ)",
            "СУВУ ЗТ",
            "специальное учебно-воспитательное учреждение закрытого типа",
        ],
        "penal": [
            SCHOOL_TYPE_LABELS["penal"],
            "учреждение, исполняющее наказание в виде лишения свободы",
            "исправительное учреждение",
            "воспитательная колония",
            "исправительная колония",
        ],
        "sanatorium": [
            SCHOOL_TYPE_LABELS["sanatorium"],
            "санаторная",
            "санаторно-курортная ОО",
            "санаторно-курортная",
            "санаторий",
            "санаторная образовательная организация",
        ],
    }
)
DOCUMENT_KIND_ALIASES = _aliases(
    {
        "pmpk": [DOCUMENT_KIND_LABELS["pmpk"], "ПМПК", "заключение ПМПК"],
        "disability": [
            DOCUMENT_KIND_LABELS["disability"],
            "справка МСЭ",
            "МСЭ",
            "справка, подтверждающая инвалидность",
        ],
        "med_conclusion": [DOCUMENT_KIND_LABELS["med_conclusion"], "медицинское заключение", "мед. заключение"],
        "spravka": [DOCUMENT_KIND_LABELS["spravka"]],
        "application_copy": [DOCUMENT_KIND_LABELS["application_copy"]],
        "enrolment_order": [
            DOCUMENT_KIND_LABELS["enrolment_order"],
            "копия приказа о зачислении в ОО",
            "приказ о зачислении",
        ],
    }
)
DOCUMENT_SEPARATORS_RE = re.compile(r"[;\n]")

NAME_RE = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:[ '’.-][A-Za-zА-Яа-яЁё]+)*\.?")
DOTTED_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
SERIAL_DATE_RE = re.compile(r"\d{1,5}(?:\.0+)?")
EXCEL_EPOCH = date(1899, 12, 30)
CLASS_RE = re.compile(r"(\d{1,2})\s*-?\s*[«\"']?([А-ЯЁA-Z]{0,2})[»\"']?", re.IGNORECASE)
PHONE_CHARS_RE = re.compile(r"[\d\s+()\-]+")
BAD_DOCUMENT_CHAR_RE = re.compile(r"[^0-9A-ZА-ЯЁ-]")
SNILS_SEPARATORS_RE = re.compile(r"[\s-]")
NOT_DIGIT_RE = re.compile(r"\D")

MIN_AGE, MAX_AGE = 12, 100


def parse_date(text: str) -> date | None:
    """ДД.ММ.ГГГГ, a date cell of Excel (read as «ГГГГ-ММ-ДД 00:00:00») or an Excel serial number."""
    text = text.strip()
    try:
        if m := DOTTED_DATE_RE.fullmatch(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := ISO_DATE_RE.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if SERIAL_DATE_RE.fullmatch(text):
            serial = int(float(text))
            if 61 <= serial <= 73051:  # 01.03.1900 … 31.12.2099 (Excel's 1900 leap-year bug lies before)
                return EXCEL_EPOCH + timedelta(days=serial)
    except ValueError:
        return None
    return None


SNILS_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, 1)


def snils_checksum(digits9: str) -> int:
    """Контрольное число СНИЛС: Σ digit × weight (weights 9…1); < 100 as is; 100 and 101 → 00;
    above 101 — the remainder of division by 101, where 100 again gives 00."""
    total = sum(map(int.__mul__, map(int, digits9), SNILS_WEIGHTS))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    rest = total % 101
    return 0 if rest == 100 else rest


def _fmt(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _years(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} год"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} года"
    return f"{n} лет"


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


SPACES_RE = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    """Runs of white space as one space."""
    return SPACES_RE.sub(" ", text) if "  " in text or "\t" in text or "\n" in text or "\xa0" in text else text


def _doc_key(series: str, number: str) -> tuple[str, str]:
    return (SPACES_RE.sub("", series).upper(), SPACES_RE.sub("", number).upper())


def _choices(labels) -> str:
    return ", ".join(labels)


EXCEL_ZEROS_HINT = " (если Excel убрал ведущие нули, задайте столбцу текстовый формат)"

# ---------------------------------------------------------------- messages (Russian, to the user)

MSG_EMPTY = "под строкой заголовка нет ни одной строки с участниками — заполните таблицу по шаблону."
MSG_UNKNOWN_COLUMN = (
    "столбец не входит в шаблон: поле не входит в перечень персональных данных, на обработку "
    "которых дано согласие (приложение 3), и в сведения заявления — удалите столбец."
)
MSG_MISSING_COLUMN = "столбец отсутствует. Столбцы шаблона: " + ", ".join(HEADER) + "."
MSG_DUPLICATE_COLUMN = "столбец повторяется."
MSG_UNTITLED_COLUMN = "столбец без заголовка — удалите его или дайте ему заголовок из шаблона."
MSG_CELLS_OUTSIDE = "заполнены ячейки в столбце без заголовка — удалите эти данные."
MSG_REQUIRED = "обязательное поле не заполнено."
MSG_BAD_NAME = "допускаются только буквы, пробел, дефис и апостроф."
MSG_BAD_SEX = "укажите пол: «м» или «ж»."
MSG_BAD_DATE = "«{value}» — не дата: укажите дату в виде ДД.ММ.ГГГГ, например 14.05.2007."
MSG_BIRTH_FUTURE = "дата рождения {value} позже сегодняшней."
MSG_BIRTH_AGE = "проверьте дату рождения {value}: участнику {age}."
MSG_TOO_LONG = "слишком длинное значение: не более {limit} символов."
MSG_SNILS_FORMAT = "СНИЛС «{value}» должен состоять из 11 цифр, например 123-456-789 01" + EXCEL_ZEROS_HINT + "."
MSG_DUPLICATE_SNILS = "СНИЛС {snils} уже указан в строке {first}."
MSG_SNILS_CHECKSUM = "СНИЛС «{value}» не проходит проверку контрольного числа — сверьте номер с документом."
MSG_BAD_DOCUMENT_TYPE = (
    "неизвестный вид документа «{value}». Допустимые значения: " + _choices(DOCUMENT_LABELS.values()) + "."
)
MSG_PASSPORT_SERIES_REQUIRED = "для паспорта гражданина РФ укажите серию (4 цифры)."
MSG_PASSPORT_SERIES = "серия паспорта гражданина РФ — 4 цифры, указано «{value}»" + EXCEL_ZEROS_HINT + "."
MSG_SIX_DIGITS = "номер {document} — 6 цифр, указано «{value}»" + EXCEL_ZEROS_HINT + "."
DOCUMENT_GENITIVE = {PASSPORT_RF: "паспорта гражданина РФ", BIRTH_CERTIFICATE: "свидетельства о рождении"}
MSG_BAD_DOCUMENT_CHARS = "допускаются только буквы, цифры, пробел и дефис."
MSG_DUPLICATE_IN_FILE = "документ {document} уже указан в строке {first}."
MSG_DUPLICATE_IN_REGION = "участник с документом {document} уже зарегистрирован в региональной базе участников."
MSG_UNKNOWN_SCHOOL = "ОО с кодом «{value}» нет в справочнике организаций."
MSG_SCHOOL_REQUIRED = "для категории «{category}» укажите код ОО, в которой участник подает заявление (п. 5.1)."
MSG_BAD_CLASS = "«{value}» — укажите номер класса и при необходимости литеру, например 11А."
MSG_GRADE_10 = (
    "обучающиеся X классов, участвующие в экзаменах по отдельным учебным предметам, не участвуют "
    "в итоговом сочинении (изложении) (п. 2.4)."
)
MSG_BAD_GRADE = "итоговое сочинение (изложение) пишут обучающиеся XI (XII) классов (п. 2.1), указан {grade} класс."
MSG_CLASS_REQUIRED = "для категории «обучающийся XI–XII класса» укажите класс (11 или 12)."
MSG_UNKNOWN_CATEGORY = (
    "неизвестная категория «{value}». Допустимые значения: " + _choices(CATEGORY_LABELS.values()) + "."
)
MSG_BAD_EXAM_KIND = "укажите форму: «сочинение» или «изложение»."
MSG_EXPOSITION_EGE = (
    "участники ЕГЭ и лица со справкой об обучении вправе писать только итоговое сочинение (пп. 2.2, 5.2)."
)
MSG_EXPOSITION_WARNING = (
    "изложение без статуса ОВЗ или инвалидности вправе писать только обучающиеся "
    "специальных учебно-воспитательных учреждений закрытого типа, учреждений, исполняющих "
    "наказание, и обучающиеся на дому или в санаторных ОО по заключению медицинской "
    "организации (п. 2.3) — проверьте основание."
)
MSG_BAD_HEALTH = "неизвестное значение «{value}». Допустимые значения: " + _choices(HEALTH_LABELS.values()) + "."
MSG_DATE_REQUIRED = (
    "участник ЕГЭ должен указать в заявлении дату участия из числа установленных расписанием (п. 5.5): {dates}."
)
MSG_DATE_NOT_SESSION = "{value} не является датой проведения итогового сочинения (изложения); даты: {dates}."
MSG_BAD_YES_NO = "«{value}» — укажите «да» или «нет»."
MSG_BAD_SCHOOL_TYPE = (
    "неизвестный тип ОО «{value}». Допустимые значения: " + _choices(SCHOOL_TYPE_LABELS.values()) + "."
)
MSG_BAD_DOCUMENT_KIND = (
    "неизвестный документ «{value}». Перечислите через «;»: " + _choices(DOCUMENT_KIND_LABELS.values()) + "."
)
MSG_BAD_PHONE = "телефон «{value}» — укажите номер из 10 цифр с кодом, например +7 900 123-45-67."


# ---------------------------------------------------------------- validation


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header_norm(title: str) -> str:
    return _norm(title).rstrip("*").strip()


_BY_TITLE = {_header_norm(c.title): c.key for c in COLUMNS}


def _column_index(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for i, title in enumerate(header):
        if not title.strip():
            errors.append(RowError(1, _column_letter(i), MSG_UNTITLED_COLUMN))
            continue
        key = _BY_TITLE.get(_header_norm(title))
        if key is None:
            errors.append(RowError(1, title, MSG_UNKNOWN_COLUMN))
        elif key in index:
            errors.append(RowError(1, title, MSG_DUPLICATE_COLUMN))
        else:
            index[key] = i
    for c in COLUMNS:
        if c.key not in index and not c.optional_column:
            errors.append(RowError(1, c.title, MSG_MISSING_COLUMN))
    return index, errors


class _Context:
    """What every row is checked against, prepared once per file."""

    def __init__(self, index, existing_documents, schools_by_code, session_dates, today):
        self.index = index
        self.width = len(index)  # the header holds exactly the template's columns
        self.existing = {_doc_key(s, n) for s, n in existing_documents}
        self.schools = schools_by_code
        self.sessions = frozenset(session_dates)
        self.sessions_text = ", ".join(_fmt(d) for d in sorted(self.sessions)) or "не установлены"
        self.today = today
        self.seen: dict[tuple[str, str], int] = {}
        self.seen_snils: dict[str, int] = {}


LIMITS = {
    "last_name": 100,
    "first_name": 100,
    "middle_name": 100,
    "citizenship": 60,
    "document_series": 10,
    "document_number": 20,
    "phone": 30,
}


def _check_row(
    ctx: _Context, number: int, cells: list[str], errors: list[RowError], warnings: list[RowError]
) -> ParticipantRecord | None:
    start = len(errors)

    def err(key: str, message: str) -> None:
        errors.append(RowError(number, TITLE[key], message))

    if len(cells) < ctx.width:
        cells = cells + [""] * (ctx.width - len(cells))
    value = {key: cells[i].strip() for key, i in ctx.index.items()}
    for c in COLUMNS:  # an optional column absent from the file reads as empty
        value.setdefault(c.key, "")
    for i in range(ctx.width, len(cells)):
        if cells[i].strip():
            errors.append(RowError(number, _column_letter(i), MSG_CELLS_OUTSIDE))
            break

    for c in COLUMNS:
        if c.required and not value[c.key]:
            err(c.key, MSG_REQUIRED)
    for key, limit in LIMITS.items():
        if len(value[key]) > limit:
            err(key, MSG_TOO_LONG.format(limit=limit))

    names = {}
    for key in ("last_name", "first_name", "middle_name"):
        text = _squeeze(value[key])
        names[key] = text
        if text and not NAME_RE.fullmatch(text):
            err(key, MSG_BAD_NAME)

    sex = SEX_ALIASES.get(_norm(value["sex"])) if value["sex"] else None
    if value["sex"] and sex is None:
        err("sex", MSG_BAD_SEX)

    birth_date = None
    if value["birth_date"]:
        birth_date = parse_date(value["birth_date"])
        if birth_date is None:
            err("birth_date", MSG_BAD_DATE.format(value=value["birth_date"]))
        elif birth_date > ctx.today:
            err("birth_date", MSG_BIRTH_FUTURE.format(value=_fmt(birth_date)))
        elif not MIN_AGE <= (age := _age(birth_date, ctx.today)) <= MAX_AGE:
            err("birth_date", MSG_BIRTH_AGE.format(value=_fmt(birth_date), age=_years(age)))

    citizenship = CITIZENSHIP_ALIASES.get(_norm(value["citizenship"]), _squeeze(value["citizenship"]))

    snils = ""
    if value["snils"]:
        digits = SNILS_SEPARATORS_RE.sub("", value["snils"])
        if not (len(digits) == 11 and _ascii_digits(digits)):
            err("snils", MSG_SNILS_FORMAT.format(value=value["snils"]))
        else:
            snils = f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"
            # The control number is defined for numbers above 001-001-998 only.
            if int(digits[:9]) > 1001998 and snils_checksum(digits[:9]) != int(digits[9:]):
                err("snils", MSG_SNILS_CHECKSUM.format(value=value["snils"]))
            elif (first := ctx.seen_snils.setdefault(snils, number)) != number:
                err("snils", MSG_DUPLICATE_SNILS.format(snils=snils, first=first))

    document_type = None
    if value["document_type"]:
        document_type = DOCUMENT_ALIASES.get(_norm(value["document_type"]))
        if document_type is None:
            err("document_type", MSG_BAD_DOCUMENT_TYPE.format(value=value["document_type"]))
    series, doc_number = _doc_key(value["document_series"], value["document_number"])
    series_bad = bool(BAD_DOCUMENT_CHAR_RE.search(series))
    number_bad = bool(BAD_DOCUMENT_CHAR_RE.search(doc_number))
    if series_bad:
        err("document_series", MSG_BAD_DOCUMENT_CHARS)
    if number_bad:
        err("document_number", MSG_BAD_DOCUMENT_CHARS)
    document_ok = bool(doc_number) and not (series_bad or number_bad)
    if document_type == PASSPORT_RF and not series_bad:
        if not series:
            err("document_series", MSG_PASSPORT_SERIES_REQUIRED)
        elif not (len(series) == 4 and _ascii_digits(series)):
            err("document_series", MSG_PASSPORT_SERIES.format(value=value["document_series"]))
    if (
        document_type in (PASSPORT_RF, BIRTH_CERTIFICATE)
        and doc_number
        and not number_bad
        and not (len(doc_number) == 6 and _ascii_digits(doc_number))
    ):
        err(
            "document_number",
            MSG_SIX_DIGITS.format(document=DOCUMENT_GENITIVE[document_type], value=value["document_number"]),
        )
    if document_ok:
        key = (series, doc_number)
        shown = f"{series} {doc_number}".strip()
        first = ctx.seen.get(key)
        if first is not None:
            err("document_number", MSG_DUPLICATE_IN_FILE.format(document=shown, first=first))
        else:
            ctx.seen[key] = number
            if key in ctx.existing:
                err("document_number", MSG_DUPLICATE_IN_REGION.format(document=shown))

    category = None
    if value["category"]:
        category = CATEGORY_ALIASES.get(_norm_category(value["category"]))
        if category is None:
            err("category", MSG_UNKNOWN_CATEGORY.format(value=value["category"]))

    school = None
    code = value["school_code"]
    if code:
        school = ctx.schools.get(code)
        if school is None:
            err("school_code", MSG_UNKNOWN_SCHOOL.format(value=code))
    elif category in SCHOOL_REGISTERED:
        err("school_code", MSG_SCHOOL_REQUIRED.format(category=CATEGORY_LABELS[category]))

    grade, letter = None, ""
    if value["class_name"]:
        m = CLASS_RE.fullmatch(value["class_name"])
        if m is None:
            err("class_name", MSG_BAD_CLASS.format(value=value["class_name"]))
        else:
            grade, letter = int(m[1]), m[2].upper()
            if grade == 10:
                err("class_name", MSG_GRADE_10)
            elif grade not in (11, 12):
                err("class_name", MSG_BAD_GRADE.format(grade=grade))
    elif category == STUDENT:
        err("class_name", MSG_CLASS_REQUIRED)

    health = HEALTH_ALIASES.get(_norm(value["health"]))
    if health is None:
        err("health", MSG_BAD_HEALTH.format(value=value["health"]))

    exam_kind = None
    if value["exam_kind"]:
        exam_kind = EXAM_KIND_ALIASES.get(_norm(value["exam_kind"]))
        if exam_kind is None:
            err("exam_kind", MSG_BAD_EXAM_KIND)
        elif exam_kind == EXPOSITION and category is not None and category not in EXPOSITION_ALLOWED:
            err("exam_kind", MSG_EXPOSITION_EGE)
        elif (
            exam_kind == EXPOSITION
            and category in EXPOSITION_ALLOWED
            and health == ""
            and not (
                _norm(value["home_schooling"])
                and YES_NO_ALIASES.get(_norm(value["home_schooling"])) == "yes"
                or SCHOOL_TYPE_ALIASES.get(_norm(value["school_type"]), "regular") != "regular"
            )
        ):
            warnings.append(RowError(number, TITLE["exam_kind"], MSG_EXPOSITION_WARNING))

    participation_date = None
    if value["participation_date"]:
        participation_date = parse_date(value["participation_date"])
        if participation_date is None:
            err("participation_date", MSG_BAD_DATE.format(value=value["participation_date"]))
        elif participation_date not in ctx.sessions:
            err(
                "participation_date",
                MSG_DATE_NOT_SESSION.format(value=_fmt(participation_date), dates=ctx.sessions_text),
            )
    elif category in EGE_CATEGORIES:
        err("participation_date", MSG_DATE_REQUIRED.format(dates=ctx.sessions_text))

    phone = ""
    if value["phone"]:
        digits = NOT_DIGIT_RE.sub("", value["phone"])
        if not PHONE_CHARS_RE.fullmatch(value["phone"]):
            digits = ""
        if len(digits) == 11 and digits[0] in "78":
            phone = "+7" + digits[1:]
        elif len(digits) == 10 and not value["phone"].startswith("+"):
            phone = "+7" + digits
        elif value["phone"].startswith("+") and 11 <= len(digits) <= 15:
            phone = "+" + digits
        else:
            err("phone", MSG_BAD_PHONE.format(value=value["phone"]))

    yes_no = {}
    for key in ("pamyatka", "home_schooling"):
        answer = YES_NO_ALIASES.get(_norm(value[key]))
        if answer is None:
            err(key, MSG_BAD_YES_NO.format(value=value[key]))
        yes_no[key] = answer == "yes"  # «нет» or empty Памятка: refused by the application rules (V06)
    school_type = SCHOOL_TYPE_ALIASES.get(_norm(value["school_type"]))
    if school_type is None:
        err("school_type", MSG_BAD_SCHOOL_TYPE.format(value=value["school_type"]))
    documents = set()
    for part in DOCUMENT_SEPARATORS_RE.split(value["documents"]):
        if not part.strip():
            continue
        kind = DOCUMENT_KIND_ALIASES.get(_norm(part))
        if kind is None:
            err("documents", MSG_BAD_DOCUMENT_KIND.format(value=part.strip()))
        else:
            documents.add(kind)

    if len(errors) > start:
        return None
    return ParticipantRecord(
        row=number,
        last_name=names["last_name"],
        first_name=names["first_name"],
        middle_name=names["middle_name"],
        sex=sex,
        birth_date=birth_date,
        citizenship=citizenship,
        snils=snils,
        document_type=document_type,
        document_series=series,
        document_number=doc_number,
        school_code=code,
        school=school,
        grade=grade,
        class_letter=letter,
        category=category,
        exam_kind=exam_kind,
        health_category=health,
        participation_date=participation_date,
        phone=phone,
        pamyatka_ack=yes_no["pamyatka"],
        school_type=school_type,
        home_schooling_health=yes_no["home_schooling"],
        documents=frozenset(documents),
    )


def validate_rows(
    table: Table,
    existing_documents: set[tuple[str, str]],
    schools_by_code: Mapping[str, Any],
    session_dates: list[date],
    today: date,
    *,
    partial: bool = False,
) -> ImportCheck:
    """Check every row of a participants' list.

    ``existing_documents`` — (серия, номер) of the participants already registered in the region;
    ``schools_by_code`` — the directory, code → whatever the caller wants back in ``record.school``;
    ``session_dates`` — the dates of the current academic year (for «Дата участия»);
    ``partial`` — return the valid rows even when others have errors (the user's explicit choice).
    A wrong header or an empty file gives errors and no records in either mode.
    """
    check = ImportCheck(rows_total=len(table.rows), partial=partial)
    index, header_errors = _column_index(table.header)
    if header_errors:
        check.errors = header_errors
        return check
    if not table.rows:
        check.errors = [RowError(1, "", MSG_EMPTY)]
        return check
    ctx = _Context(index, existing_documents, schools_by_code, session_dates, today)
    records = []
    for number, cells in table.rows:
        record = _check_row(ctx, number, cells, check.errors, check.warnings)
        if record is not None:
            records.append(record)
    check.records = records if partial or not check.errors else []
    return check
