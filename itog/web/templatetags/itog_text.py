"""Template filters for Russian text: ``{{ n|ru_plural:"замечание,замечания,замечаний" }}``."""

from django import template

from itog.core.plural import plural_form

register = template.Library()


@register.filter
def ru_plural(value, forms: str) -> str:
    """The word form for the number (without the number)."""
    one, few, many = (f.strip() for f in forms.split(","))
    try:
        return plural_form(int(value), one, few, many)
    except (TypeError, ValueError):
        return many


@register.filter
def ru_count(value, forms: str) -> str:
    """The number with its word form: ``22 мероприятия``."""
    return f"{value} {ru_plural(value, forms)}"


_LATIN_TO_CYRILLIC = str.maketrans({"K": "К", "T": "Т"})


@register.filter
def ru_code(code) -> str:
    """Criterion codes are stored as «K1», «T2» (Latin, stable keys); officials read «К1», «Т2» (Cyrillic)."""
    return str(code).translate(_LATIN_TO_CYRILLIC)


@register.filter
def tz_label(name) -> str:
    """``Europe/Moscow`` → «Москва (UTC+3)»."""
    from itog.orgs.kinds import time_zone_label

    return time_zone_label(str(name))
