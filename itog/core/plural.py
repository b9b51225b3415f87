"""Russian plural forms: 1 мероприятие, 2 мероприятия, 5 мероприятий (11–14 take the third form)."""

from __future__ import annotations


def plural_form(n: int, one: str, few: str, many: str) -> str:
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_of(n: int, one: str, few: str, many: str) -> str:
    """«22 мероприятия», «1 замечание», «11 замечаний»."""
    return f"{n} {plural_form(n, one, few, many)}"
