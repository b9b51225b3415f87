"""Bulk import of participants (pure validation): every problem with its row and column, all or nothing."""

from __future__ import annotations

import io
import random
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from itog.core.tables import Table, TableError, read_table, write_csv
from itog.exams.kinds.essay.participants_import import (
    COLUMNS,
    EXPOSITION,
    HEADER,
    PASSPORT_RF,
    STUDENT,
    VPL,
    ImportCheck,
    parse_date,
    snils_checksum,
    validate_rows,
)

TODAY = date(2024, 11, 1)
SESSIONS = [date(2024, 12, 4), date(2025, 2, 5), date(2025, 4, 9)]
SCHOOLS = {"230001": "МБОУ СОШ № 1", "230005": "МБОУ СОШ № 5"}
GOOD = {
    "Фамилия": "Иванова",
    "Имя": "Мария",
    "Отчество": "Петровна",
    "Пол": "ж",
    "Дата рождения": "14.05.2007",
    "Гражданство": "Российская Федерация",
    "СНИЛС": "112-233-445 95",
    "Вид документа": "Паспорт гражданина РФ",
    "Серия": "0321",
    "Номер": "123456",
    "Код ОО": "230001",
    "Класс": "11А",
    "Категория участника": "обучающийся XI–XII класса",
    "Форма": "сочинение",
    "ОВЗ/инвалидность": "",
    "Дата участия": "",
    "Телефон": "+7 900 123-45-67",
    "С Памяткой ознакомлен(а)": "да",
    "Тип ОО": "",
    "Обучение на дому": "",
    "Предъявленные документы": "",
}
VPL_ROW = {
    **GOOD,
    "Фамилия": "Петров",
    "Имя": "Олег",
    "Отчество": "",
    "Пол": "м",
    "Дата рождения": "02.03.2004",
    "СНИЛС": "",
    "Серия": "0318",
    "Номер": "654321",
    "Код ОО": "",
    "Класс": "",
    "Категория участника": "выпускник прошлых лет",
    "Дата участия": "05.02.2025",
    "Телефон": "",
}


def row(base=None, **changes) -> list[str]:
    """A row in HEADER order; ``changes`` by title, «_» standing for a space or «/»."""
    values = dict(base or GOOD)
    titles = {t.replace(" ", "_").replace("/", "_"): t for t in HEADER}
    for key, value in changes.items():
        values[titles.get(key, key) if key not in values else key] = value
    assert set(values) == set(HEADER), set(values) - set(HEADER)
    return [values[title] for title in HEADER]


def doc(n: int) -> dict:
    """Another participant: another document, no СНИЛС."""
    return {"Серия": "0321", "Номер": f"{n:06d}", "СНИЛС": ""}


def table(*rows, header=None) -> Table:
    return Table(header=list(header or HEADER), rows=[(i + 2, list(r)) for i, r in enumerate(rows)])


def check(*rows, header=None, existing=frozenset(), partial=False) -> ImportCheck:
    return validate_rows(table(*rows, header=header), set(existing), SCHOOLS, SESSIONS, TODAY, partial=partial)


def messages(result: ImportCheck) -> list[str]:
    return [str(e) for e in result.errors]


def one_error(**changes) -> str:
    """The single error of one otherwise good row changed by ``changes`` (keys: titles, «_» for spaces)."""
    result = check(row(**changes))
    assert result.records == []
    assert len(result.errors) == 1, messages(result)
    return str(result.errors[0])


# ---------------------------------------------------------------- good rows


def test_good_rows_become_records():
    result = check(row(), row(VPL_ROW))
    assert result.ok and result.errors == [] and len(result.records) == 2
    r = result.records[0]
    assert (r.row, r.last_name, r.first_name, r.middle_name, r.sex) == (2, "Иванова", "Мария", "Петровна", "ж")
    assert r.birth_date == date(2007, 5, 14) and r.snils == "112-233-445 95"
    assert (r.document_type, r.document_series, r.document_number) == (PASSPORT_RF, "0321", "123456")
    assert (r.school_code, r.school, r.grade, r.class_letter) == ("230001", "МБОУ СОШ № 1", 11, "А")
    assert (r.category, r.exam_kind, r.health_category, r.phone) == (STUDENT, "essay", "", "+79001234567")
    v = result.records[1]
    assert v.category == VPL and v.participation_date == date(2025, 2, 5) and v.school is None and v.grade is None


def test_values_are_normalised():
    result = check(
        row(
            Пол="Мужской",
            Гражданство="РФ",
            СНИЛС="11223344595",
            Класс="11 «б»",
            Категория_участника="Обучающийся XI (XII) класса",
            Форма="Итоговое сочинение",
            ОВЗ_инвалидность="лицо с ОВЗ",
            Серия="03 21",
            Телефон="8 (900) 123-45-67",
            Вид_документа="паспорт",
        )
    )
    r = result.records[0]
    assert (r.sex, r.citizenship, r.snils, r.grade, r.class_letter) == (
        "м",
        "Российская Федерация",
        "112-233-445 95",
        11,
        "Б",
    )
    assert (r.category, r.health_category, r.document_series, r.phone) == (STUDENT, "ovz", "0321", "+79001234567")


def test_header_titles_in_any_order_case_and_asterisks():
    header = [t.upper() + ("*" if c.required else "") for t, c in zip(HEADER, COLUMNS)][::-1]
    result = check(row()[::-1], header=header)
    assert result.ok and len(result.records) == 1


def test_personal_data_columns_are_exactly_the_consent_whitelist():
    # Приложение 3 (A37): the closed list of personal data the participant consents to.
    a37 = {
        "фамилия",
        "имя",
        "отчество (при наличии)",
        "пол",
        "дата рождения",
        "контактный телефон (при наличии)",
        "гражданство",
        "СНИЛС (при наличии)",
        "реквизиты документа, удостоверяющего личность",
        "наименование образовательной организации",
        "номер класса (при наличии)",
        "об отнесении участника к категории лиц с ОВЗ, детей-инвалидов или инвалидов",
    }
    assert {c.consent for c in COLUMNS if c.consent} == a37
    assert [c.title for c in COLUMNS if c.consent is None] == [
        "Категория участника",
        "Форма",
        "Дата участия",
        "С Памяткой ознакомлен(а)",
        "Тип ОО",
        "Обучение на дому",
        "Предъявленные документы",
    ]


# ---------------------------------------------------------------- the file as a whole


def test_unknown_column_is_refused_as_personal_data_outside_the_consent():
    result = check(row() + ["г. Краснодар, ул. Красная, 1"], header=HEADER + ["Адрес регистрации"])
    assert messages(result) == [
        "Строка 1, столбец «Адрес регистрации»: столбец не входит в шаблон: поле не входит в перечень "
        "персональных данных, на обработку которых дано согласие (приложение 3), и в сведения заявления — "
        "удалите столбец."
    ]
    assert result.records == []


def test_missing_and_repeated_columns():
    header = [t for t in HEADER if t != "Телефон"] + ["Фамилия"]
    phone = HEADER.index("Телефон")
    result = check(row()[:phone] + row()[phone + 1 :] + ["Иванова"], header=header)
    assert messages(result) == [
        "Строка 1, столбец «Фамилия»: столбец повторяется.",
        "Строка 1, столбец «Телефон»: столбец отсутствует. Столбцы шаблона: " + ", ".join(HEADER) + ".",
    ]


def test_untitled_column_and_cells_outside_the_table():
    result = check(row(), header=HEADER[:3] + [""] + HEADER[3:])
    assert messages(result)[0] == (
        "Строка 1, столбец «D»: столбец без заголовка — удалите его или дайте ему заголовок из шаблона."
    )
    result = check(row() + ["", "тайна"])
    assert messages(result) == ["Строка 2, столбец «W»: заполнены ячейки в столбце без заголовка — удалите эти данные."]


def test_empty_file():
    assert messages(check()) == [
        "Строка 1: под строкой заголовка нет ни одной строки с участниками — заполните таблицу по шаблону."
    ]
    with pytest.raises(TableError, match="Файл пуст"):
        read_table(b"", "participants.csv")


# ---------------------------------------------------------------- each kind of error, exact message


def test_missing_required_values():
    result = check(row(Фамилия="", Дата_рождения="", Номер=""))
    assert messages(result) == [
        "Строка 2, столбец «Фамилия»: обязательное поле не заполнено.",
        "Строка 2, столбец «Дата рождения»: обязательное поле не заполнено.",
        "Строка 2, столбец «Номер»: обязательное поле не заполнено.",
    ]


def test_bad_dates():
    assert one_error(Дата_рождения="31.02.2007") == (
        "Строка 2, столбец «Дата рождения»: «31.02.2007» — не дата: укажите дату в виде ДД.ММ.ГГГГ, "
        "например 14.05.2007."
    )
    assert one_error(Дата_рождения="2007/05/14") == (
        "Строка 2, столбец «Дата рождения»: «2007/05/14» — не дата: укажите дату в виде ДД.ММ.ГГГГ, "
        "например 14.05.2007."
    )
    assert one_error(Дата_рождения="02.11.2024") == (
        "Строка 2, столбец «Дата рождения»: дата рождения 02.11.2024 позже сегодняшней."
    )
    assert one_error(Дата_рождения="01.09.2015") == (
        "Строка 2, столбец «Дата рождения»: проверьте дату рождения 01.09.2015: участнику 9 лет."
    )


def test_excel_dates_are_accepted():
    assert parse_date("39216") == date(2007, 5, 14)  # an unformatted Excel serial number
    assert parse_date("39216.0") == date(2007, 5, 14)
    assert parse_date("2007-05-14 00:00:00") == date(2007, 5, 14)  # a date cell as read_table gives it
    assert parse_date("4.5.2007") == date(2007, 5, 4)
    assert parse_date("14.05.07") is None and parse_date("") is None and parse_date("0") is None


def test_unknown_school_code_and_missing_school():
    assert one_error(Код_ОО="239999") == (
        "Строка 2, столбец «Код ОО»: ОО с кодом «239999» нет в справочнике организаций."
    )
    assert one_error(Код_ОО="") == (
        "Строка 2, столбец «Код ОО»: для категории «обучающийся XI–XII класса» укажите код ОО, в которой "
        "участник подает заявление (п. 5.1)."
    )
    assert check(row(VPL_ROW, Код_ОО="")).ok  # ЕГЭ participants register at the ministry's places


def test_unknown_category():
    assert one_error(Категория_участника="слушатель курсов") == (
        "Строка 2, столбец «Категория участника»: неизвестная категория «слушатель курсов». Допустимые значения: "
        "обучающийся XI–XII класса, экстерн, выпускник прошлых лет, обучающийся СПО, обучающийся иностранной ОО, "
        "лицо со справкой об обучении."
    )


def test_snils_checksum_and_format():
    assert snils_checksum("112233445") == 95
    assert one_error(СНИЛС="112-233-445 96") == (
        "Строка 2, столбец «СНИЛС»: СНИЛС «112-233-445 96» не проходит проверку контрольного числа — сверьте "
        "номер с документом."
    )
    assert one_error(СНИЛС="1223344595") == (
        "Строка 2, столбец «СНИЛС»: СНИЛС «1223344595» должен состоять из 11 цифр, например 123-456-789 01 "
        "(если Excel убрал ведущие нули, задайте столбцу текстовый формат)."
    )
    # The control number is not defined for numbers up to 001-001-998.
    assert check(row(СНИЛС="001-001-998 13")).ok
    # The public algorithm: weights 9…1; a sum below 100 is the control number, 100 and 101 give 00,
    # larger sums the remainder of division by 101 (where 100 again gives 00).
    assert snils_checksum("001409582") == 0  # sum 100
    assert snils_checksum("001750099") == 0  # sum 101
    assert snils_checksum("001599638") == 49  # sum 150
    assert snils_checksum("007998190") == 0  # sum 201: remainder 100
    assert snils_checksum("009597828") == 0  # sum 202: remainder 0
    assert check(row(СНИЛС="001-409-582 00")).ok


def test_duplicate_snils_within_the_file():
    result = check(row(), row(**doc(2) | {"СНИЛС": "11223344595"}))
    assert messages(result) == ["Строка 3, столбец «СНИЛС»: СНИЛС 112-233-445 95 уже указан в строке 2."]


def test_grade_10_is_blocked():
    assert one_error(Класс="10Б") == (
        "Строка 2, столбец «Класс»: обучающиеся X классов, участвующие в экзаменах по отдельным учебным "
        "предметам, не участвуют в итоговом сочинении (изложении) (п. 2.4)."
    )
    assert one_error(Класс="9") == (
        "Строка 2, столбец «Класс»: итоговое сочинение (изложение) пишут обучающиеся XI (XII) классов (п. 2.1), "
        "указан 9 класс."
    )
    assert one_error(Класс="") == (
        "Строка 2, столбец «Класс»: для категории «обучающийся XI–XII класса» укажите класс (11 или 12)."
    )
    assert one_error(Класс="одиннадцатый") == (
        "Строка 2, столбец «Класс»: «одиннадцатый» — укажите номер класса и при необходимости литеру, например 11А."
    )


def test_duplicate_document_within_the_file():
    result = check(
        row(), row(Фамилия="Сидорова", СНИЛС=""), row(**doc(2)), row(Серия="03 21", Номер="123 456", СНИЛС="")
    )
    assert messages(result) == [
        "Строка 3, столбец «Номер»: документ 0321 123456 уже указан в строке 2.",
        "Строка 5, столбец «Номер»: документ 0321 123456 уже указан в строке 2.",
    ]
    assert result.records == []
    # The same person twice: both the document and the СНИЛС are named.
    assert messages(check(row(), row())) == [
        "Строка 3, столбец «СНИЛС»: СНИЛС 112-233-445 95 уже указан в строке 2.",
        "Строка 3, столбец «Номер»: документ 0321 123456 уже указан в строке 2.",
    ]


def test_duplicate_document_in_the_region():
    result = check(row(), row(**doc(7)), existing={("0321", "000007"), ("03 99", "1")})
    assert messages(result) == [
        "Строка 3, столбец «Номер»: участник с документом 0321 000007 уже зарегистрирован в региональной базе "
        "участников."
    ]
    # The region's documents are compared after the same normalisation (spaces, letter case).
    assert not check(
        row(**{"Вид документа": "Иной документ", "Серия": "ab", "Номер": "x1"}), existing={("A B", "X1")}
    ).ok


def test_passport_series_and_number():
    assert one_error(Серия="") == ("Строка 2, столбец «Серия»: для паспорта гражданина РФ укажите серию (4 цифры).")
    assert one_error(Серия="321") == (
        "Строка 2, столбец «Серия»: серия паспорта гражданина РФ — 4 цифры, указано «321» (если Excel убрал "
        "ведущие нули, задайте столбцу текстовый формат)."
    )
    assert one_error(Номер="12345") == (
        "Строка 2, столбец «Номер»: номер паспорта гражданина РФ — 6 цифр, указано «12345» (если Excel убрал "
        "ведущие нули, задайте столбцу текстовый формат)."
    )
    assert one_error(Номер="12#456") == "Строка 2, столбец «Номер»: допускаются только буквы, цифры, пробел и дефис."
    assert one_error(Вид_документа="загранпаспорт") == (
        "Строка 2, столбец «Вид документа»: неизвестный вид документа «загранпаспорт». Допустимые значения: "
        "Паспорт гражданина РФ, Свидетельство о рождении, Паспорт иностранного гражданина, Иной документ."
    )
    assert check(row(Вид_документа="Свидетельство о рождении", Серия="II-АГ", Номер="654321")).ok


def test_other_fields():
    assert one_error(Пол="x") == "Строка 2, столбец «Пол»: укажите пол: «м» или «ж»."
    assert one_error(Имя="Мария2") == "Строка 2, столбец «Имя»: допускаются только буквы, пробел, дефис и апостроф."
    assert check(row(Фамилия="Салтыкова-Щедрина", Имя="Анна Мария", Отчество="Д'Артаньян")).ok
    assert one_error(ОВЗ_инвалидность="да") == (
        "Строка 2, столбец «ОВЗ/инвалидность»: неизвестное значение «да». Допустимые значения: нет, ОВЗ, "
        "ребенок-инвалид, инвалид."
    )
    assert one_error(Форма="диктант") == "Строка 2, столбец «Форма»: укажите форму: «сочинение» или «изложение»."
    assert one_error(Телефон="12-34") == (
        "Строка 2, столбец «Телефон»: телефон «12-34» — укажите номер из 10 цифр с кодом, например +7 900 123-45-67."
    )
    assert one_error(Фамилия="И" * 101) == (
        "Строка 2, столбец «Фамилия»: слишком длинное значение: не более 100 символов."
    )


def test_participation_date_for_ege_participants():
    assert one_error(**VPL_ROW | {"Дата участия": ""}) == (
        "Строка 2, столбец «Дата участия»: участник ЕГЭ должен указать в заявлении дату участия из числа "
        "установленных расписанием (п. 5.5): 04.12.2024, 05.02.2025, 09.04.2025."
    )
    assert one_error(**VPL_ROW | {"Дата участия": "11.12.2024"}) == (
        "Строка 2, столбец «Дата участия»: 11.12.2024 не является датой проведения итогового сочинения "
        "(изложения); даты: 04.12.2024, 05.02.2025, 09.04.2025."
    )
    # Лица со справкой об обучении are not ЕГЭ participants (A3): no date required.
    assert check(row(Категория_участника="лицо со справкой об обучении", Класс="")).ok


def test_exposition_rules():
    assert one_error(**VPL_ROW | {"Форма": "изложение"}) == (
        "Строка 2, столбец «Форма»: участники ЕГЭ и лица со справкой об обучении вправе писать только итоговое "
        "сочинение (пп. 2.2, 5.2)."
    )
    with_status = check(row(Форма="изложение", ОВЗ_инвалидность="ОВЗ"))
    assert with_status.ok and with_status.warnings == [] and with_status.records[0].exam_kind == EXPOSITION
    # Without the status п. 2.3 still admits some students, which the list cannot show: a warning.
    warned = check(row(Форма="изложение"))
    assert warned.ok and len(warned.records) == 1
    assert [str(w) for w in warned.warnings] == [
        "Строка 2, столбец «Форма»: изложение без статуса ОВЗ или инвалидности вправе писать только обучающиеся "
        "специальных учебно-воспитательных учреждений закрытого типа, учреждений, исполняющих наказание, и "
        "обучающиеся на дому или в санаторных ОО по заключению медицинской организации (п. 2.3) — проверьте "
        "основание."
    ]


# ---------------------------------------------------------------- all or nothing, partial mode


def test_one_bad_row_means_no_records():
    result = check(row(), row(**doc(2), Пол=""), row(**doc(3)))
    assert result.records == [] and result.invalid_rows == [3] and result.rows_total == 3


def test_partial_mode_returns_the_valid_rows_and_lists_the_others():
    result = check(row(), row(**doc(2), Пол=""), row(**doc(3), Класс="10"), row(**doc(4)), partial=True)
    assert [r.row for r in result.records] == [2, 5]
    assert result.invalid_rows == [3, 4] and result.partial and not result.ok
    # A broken header gives nothing even in partial mode.
    phone = HEADER.index("Телефон")
    assert (
        check(row()[:phone] + row()[phone + 1 :], header=HEADER[:phone] + HEADER[phone + 1 :], partial=True).records
        == []
    )


# ---------------------------------------------------------------- real files


def test_cp1251_csv():
    data = write_csv(HEADER, [row(), row(VPL_ROW)]).decode("utf-8-sig").encode("cp1251")
    tbl = read_table(data, "участники.csv")
    assert tbl.encoding == "Windows-1251"
    result = validate_rows(tbl, set(), SCHOOLS, SESSIONS, TODAY)
    assert result.ok and [r.last_name for r in result.records] == ["Иванова", "Петров"]
    assert result.records[0].category == STUDENT


def test_xlsx_with_date_cells_and_numbers():
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    values = row(VPL_ROW)
    values[HEADER.index("Дата рождения")] = datetime(2004, 3, 2)
    values[HEADER.index("Дата участия")] = date(2025, 2, 5)
    values[HEADER.index("Номер")] = 654321  # a number cell
    ws.append(values)
    ws.append(row(**{"Дата рождения": 39216, "Класс": 11}))  # an Excel serial, a number class
    out = io.BytesIO()
    wb.save(out)
    result = validate_rows(read_table(out.getvalue(), "list.xlsx"), set(), SCHOOLS, SESSIONS, TODAY)
    assert messages(result) == []
    assert result.records[0].birth_date == date(2004, 3, 2)
    assert result.records[0].participation_date == date(2025, 2, 5)
    assert result.records[0].document_number == "654321"
    assert (result.records[1].birth_date, result.records[1].grade) == (date(2007, 5, 14), 11)


def snils(i: int) -> str:
    digits = f"{i * 7_919 + 2_000_000:09d}"  # distinct for every row
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
    control = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]} {control:02d}"


def generated_xlsx(n: int, seed: int = 1) -> bytes:
    """``n`` valid rows, written as a school's export would be (write-only workbook)."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Участники")
    ws.append(HEADER)
    for i in range(n):
        vpl = i % 10 == 0
        ws.append(
            row(
                VPL_ROW if vpl else GOOD,
                **{
                    "Фамилия": rng.choice(["Иванов", "Петров", "Сидоров", "Кузнецов"]),
                    "Дата рождения": date(2006 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28)),
                    "СНИЛС": snils(i) if rng.random() < 0.9 else "",
                    "Серия": f"{rng.randint(1000, 9999)}",
                    "Номер": f"{i:06d}",
                    "Код ОО": "" if vpl else rng.choice(list(SCHOOLS)),
                    "Класс": "" if vpl else rng.choice(["11А", "11Б", "12"]),
                },
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_five_thousand_rows_xlsx():
    # The 30,000-row figure is measured by benchmarks/bench_participant_import.py.
    tbl = read_table(generated_xlsx(5_000), "big.xlsx")
    assert len(tbl.rows) == 5_000
    result = validate_rows(tbl, set(), SCHOOLS, SESSIONS, TODAY)
    assert messages(result) == [] and len(result.records) == 5_000
    assert sum(1 for r in result.records if r.category == VPL) == 500
    # One participant already registered in the region: all or nothing, or the rest with partial=True.
    number, cells = tbl.rows[2_345]
    existing = {(cells[HEADER.index("Серия")], cells[HEADER.index("Номер")])}
    strict = validate_rows(tbl, existing, SCHOOLS, SESSIONS, TODAY)
    assert strict.records == [] and strict.invalid_rows == [number] == [2_347]
    partial = validate_rows(tbl, existing, SCHOOLS, SESSIONS, TODAY, partial=True)
    assert len(partial.records) == 4_999 and partial.invalid_rows == [number]
