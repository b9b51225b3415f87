"""Organization kinds, Russian time zones and name normalisation (pure Python)."""

from __future__ import annotations

import re
from enum import StrEnum


class OrgKind(StrEnum):
    MINISTRY = "ministry"
    RCOI = "rcoi"
    REGIONAL_BODY = "regional_body"
    MOUO = "mouo"
    SCHOOL = "school"


ORG_KIND_LABELS = {
    OrgKind.MINISTRY: "Министерство (орган управления образованием региона)",
    OrgKind.RCOI: "РЦОИ",
    OrgKind.REGIONAL_BODY: "Региональная организация",
    OrgKind.MOUO: "МОУО (муниципальный орган управления образованием)",
    OrgKind.SCHOOL: "ОО (образовательная организация)",
}

# Short words officials type in spreadsheets, mapped to kinds.
ORG_KIND_WORDS = {
    "министерство": OrgKind.MINISTRY,
    "оив": OrgKind.MINISTRY,
    "рцои": OrgKind.RCOI,
    "региональная организация": OrgKind.REGIONAL_BODY,
    "региональный орган": OrgKind.REGIONAL_BODY,
    "моуо": OrgKind.MOUO,
    "муниципалитет": OrgKind.MOUO,
    "оо": OrgKind.SCHOOL,
    "школа": OrgKind.SCHOOL,
    "образовательная организация": OrgKind.SCHOOL,
}

# Which kinds may stand directly under which (the organization tree).
ALLOWED_PARENT_KINDS = {
    OrgKind.MINISTRY: {None},
    OrgKind.RCOI: {OrgKind.MINISTRY},
    OrgKind.REGIONAL_BODY: {OrgKind.MINISTRY},
    OrgKind.MOUO: {OrgKind.MINISTRY},
    # Regional schools (boarding schools, СПО) sit directly under the ministry.
    OrgKind.SCHOOL: {OrgKind.MOUO, OrgKind.MINISTRY},
}

# The eleven time zones of Russia (UTC+2 … UTC+12), by their IANA names.
RUSSIAN_TIME_ZONES = [
    ("Europe/Kaliningrad", "Калининград (МСК−1)"),
    ("Europe/Moscow", "Москва (МСК)"),
    ("Europe/Volgograd", "Волгоград (МСК)"),
    ("Europe/Samara", "Самара (МСК+1)"),
    ("Europe/Astrakhan", "Астрахань (МСК+1)"),
    ("Europe/Saratov", "Саратов (МСК+1)"),
    ("Europe/Ulyanovsk", "Ульяновск (МСК+1)"),
    ("Asia/Yekaterinburg", "Екатеринбург (МСК+2)"),
    ("Asia/Omsk", "Омск (МСК+3)"),
    ("Asia/Novosibirsk", "Новосибирск (МСК+4)"),
    ("Asia/Barnaul", "Барнаул (МСК+4)"),
    ("Asia/Tomsk", "Томск (МСК+4)"),
    ("Asia/Novokuznetsk", "Новокузнецк (МСК+4)"),
    ("Asia/Krasnoyarsk", "Красноярск (МСК+4)"),
    ("Asia/Irkutsk", "Иркутск (МСК+5)"),
    ("Asia/Chita", "Чита (МСК+6)"),
    ("Asia/Yakutsk", "Якутск (МСК+6)"),
    ("Asia/Khandyga", "Хандыга (МСК+6)"),
    ("Asia/Vladivostok", "Владивосток (МСК+7)"),
    ("Asia/Ust-Nera", "Усть-Нера (МСК+7)"),
    ("Asia/Sakhalin", "Сахалин (МСК+8)"),
    ("Asia/Magadan", "Магадан (МСК+8)"),
    ("Asia/Srednekolymsk", "Среднеколымск (МСК+8)"),
    ("Asia/Kamchatka", "Камчатка (МСК+9)"),
    ("Asia/Anadyr", "Анадырь (МСК+9)"),
]
TIME_ZONE_NAMES = {name for name, _ in RUSSIAN_TIME_ZONES}


def time_zone_label(name: str) -> str:
    """«Москва (UTC+3)»: the city of the zone with its offset from UTC (Russia keeps no summer time since
    2014, so the offset is the zone's standard one). Unknown names are shown as they are."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    city = next((label.split(" (")[0] for n, label in RUSSIAN_TIME_ZONES if n == name), None)
    if city is None:
        return name
    offset = datetime(2024, 1, 15, tzinfo=ZoneInfo(name)).utcoffset()
    hours, minutes = divmod(int(offset.total_seconds()) // 60, 60)
    return f"{city} (UTC{'+' if hours >= 0 else '−'}{abs(hours)}{f':{minutes:02d}' if minutes else ''})"


_LATIN_TO_CYRILLIC = str.maketrans("aceopxyACEHKMOPTXB", "асеорхуАСЕНКМОРТХВ")
_QUOTES = re.compile(r"[«»\"'“”„‘’`]")
_SPACES = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Key for matching an actor's name: case, quotes, spaces and Latin
    look-alike letters do not matter («КРИПКиПРО» = «КРИПКИПРО»)."""
    text = _QUOTES.sub(" ", text or "")
    text = text.translate(_LATIN_TO_CYRILLIC).replace("ё", "е").replace("Ё", "Е")
    return _SPACES.sub(" ", text).strip().casefold()
