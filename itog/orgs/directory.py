"""The organization directory as a table: columns, row validation (pure Python).

The same columns are written by the export and read by the import, so an
exported file can be corrected in Excel and loaded back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from itog.core.tables import RowError, Table

from .kinds import ORG_KIND_WORDS, TIME_ZONE_NAMES, OrgKind, normalize_name

COLUMNS: list[tuple[str, str]] = [
    ("code", "Код"),
    ("kind", "Тип"),
    ("name", "Полное наименование"),
    ("short_name", "Краткое наименование"),
    ("municipality", "Муниципалитет (код МОУО)"),
    ("address", "Адрес"),
    ("time_zone", "Часовой пояс"),
]
REQUIRED = {"code", "kind", "name"}
KIND_WORD = {
    OrgKind.MINISTRY: "министерство",
    OrgKind.RCOI: "РЦОИ",
    OrgKind.REGIONAL_BODY: "региональная организация",
    OrgKind.MOUO: "МОУО",
    OrgKind.SCHOOL: "ОО",
}
HEADER = [title for _, title in COLUMNS]


@dataclass
class OrgRecord:
    row: int
    code: str
    kind: OrgKind
    name: str
    short_name: str
    municipality: str  # code of the МОУО, "" for regional organizations
    address: str
    time_zone: str


@dataclass
class Validated:
    records: list[OrgRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _column_index(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    by_title = {normalize_name(t): key for key, t in COLUMNS}
    # Accept the short title «Муниципалитет» too.
    by_title[normalize_name("Муниципалитет")] = "municipality"
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for i, title in enumerate(header):
        key = by_title.get(normalize_name(title))
        if key is None:
            errors.append(RowError(1, title, "неизвестный столбец. Ожидаются столбцы: " + ", ".join(HEADER) + "."))
        elif key in index:
            errors.append(RowError(1, title, "столбец повторяется."))
        else:
            index[key] = i
    for key, title in COLUMNS:
        if key in REQUIRED and key not in index:
            errors.append(RowError(1, title, "обязательный столбец отсутствует."))
    return index, errors


def validate(
    table: Table,
    existing_kinds: Mapping[str, str],
    municipality_names: Mapping[str, str],
    default_time_zone: str,
    root_code: str,
) -> Validated:
    """Check every row; return records only if there are no errors at all.

    ``existing_kinds``: code → kind of organizations already in the region;
    ``municipality_names``: normalised name → code of existing МОУО (so the
    municipality column may hold a name instead of a code).
    """
    out = Validated()
    index, out.errors = _column_index(table.header)
    if out.errors:
        return out
    if not table.rows:
        out.errors.append(RowError(2, "", "в файле нет ни одной строки с данными."))
        return out

    file_kinds: dict[str, tuple[OrgKind, int]] = {}
    file_mouo_names: dict[str, str] = {}
    parsed: list[tuple[int, dict[str, str]]] = []
    for number, cells in table.rows:
        values = {key: (cells[i].strip() if i < len(cells) else "") for key, i in index.items()}
        parsed.append((number, values))
        code = values.get("code", "")
        kind = ORG_KIND_WORDS.get(normalize_name(values.get("kind", "")))
        if code and kind:
            if code in file_kinds:
                out.errors.append(
                    RowError(number, "Код", f"код «{code}» уже встречается в строке {file_kinds[code][1]}.")
                )
            else:
                file_kinds[code] = (kind, number)
            if kind == OrgKind.MOUO:
                for name_key in ("name", "short_name"):
                    if values.get(name_key):
                        file_mouo_names[normalize_name(values[name_key])] = code

    for number, values in parsed:
        record = _validate_row(
            number,
            values,
            out.errors,
            existing_kinds,
            municipality_names,
            file_kinds,
            file_mouo_names,
            default_time_zone,
            root_code,
        )
        if record is not None:
            out.records.append(record)
    if out.errors:
        out.records = []
    return out


def _validate_row(
    number,
    values,
    errors,
    existing_kinds,
    municipality_names,
    file_kinds,
    file_mouo_names,
    default_time_zone,
    root_code,
) -> OrgRecord | None:
    before = len(errors)
    titles = dict(COLUMNS)

    def err(key: str, message: str) -> None:
        errors.append(RowError(number, titles[key], message))

    for key in REQUIRED:
        if not values.get(key):
            err(key, "обязательное поле не заполнено.")
    code = values.get("code", "")
    if code and (len(code) > 20 or not all(ch.isalnum() or ch in "-_." for ch in code)):
        err("code", f"код «{code}» может содержать только буквы, цифры, «-», «_», «.» и не длиннее 20 знаков.")
    kind = ORG_KIND_WORDS.get(normalize_name(values.get("kind", "")))
    if values.get("kind") and kind is None:
        err("kind", f"неизвестный тип «{values['kind']}». Допустимо: " + ", ".join(KIND_WORD.values()) + ".")
    if kind == OrgKind.MINISTRY and code != root_code:
        err(
            "kind",
            f"министерство (корень региона) не загружается из файла; его можно только изменить (код «{root_code}»).",
        )
    if code and kind and code in existing_kinds and existing_kinds[code] != kind:
        err(
            "kind",
            f"организация с кодом «{code}» уже есть в справочнике с другим типом "
            f"(«{KIND_WORD[OrgKind(existing_kinds[code])]}»); тип менять нельзя.",
        )
    if len(values.get("name", "")) > 500:
        err("name", "наименование длиннее 500 знаков.")

    municipality = values.get("municipality", "")
    municipality_code = ""
    if kind == OrgKind.SCHOOL and municipality:
        municipality_code = _find_municipality(
            municipality, existing_kinds, municipality_names, file_kinds, file_mouo_names
        )
        if not municipality_code:
            err("municipality", f"МОУО «{municipality}» не найдено ни в справочнике, ни в файле.")
    elif kind in (OrgKind.RCOI, OrgKind.REGIONAL_BODY, OrgKind.MOUO) and municipality:
        err("municipality", "заполняется только для ОО; региональные организации и МОУО подчиняются министерству.")

    time_zone = values.get("time_zone", "") or default_time_zone
    if time_zone not in TIME_ZONE_NAMES:
        err(
            "time_zone",
            f"неизвестный часовой пояс «{time_zone}». Укажите пояс России в виде «Europe/Moscow», "
            "«Asia/Vladivostok» и т. п.",
        )
    if len(errors) > before or kind is None:
        return None
    return OrgRecord(
        row=number,
        code=code,
        kind=kind,
        name=values["name"],
        short_name=values.get("short_name", "")[:200],
        municipality=municipality_code,
        address=values.get("address", "")[:500],
        time_zone=time_zone,
    )


def _find_municipality(value, existing_kinds, municipality_names, file_kinds, file_mouo_names) -> str:
    if existing_kinds.get(value) == OrgKind.MOUO:
        return value
    if value in file_kinds and file_kinds[value][0] == OrgKind.MOUO:
        return value
    key = normalize_name(value)
    return municipality_names.get(key) or file_mouo_names.get(key) or ""


def export_row(
    org_kind: str, code: str, name: str, short_name: str, municipality_code: str, address: str, time_zone: str
) -> list[str]:
    return [code, KIND_WORD[OrgKind(org_kind)], name, short_name, municipality_code, address, time_zone]
