"""Numbers from a request (a record's key, a count): what a form or a link sends is untrusted text."""

from __future__ import annotations

from collections.abc import Iterable

# The largest key a database holds (BIGINT, SQLite's INTEGER): a longer number is no record, and passed on
# to the database it fails the query («Python int too large to convert to SQLite INTEGER»).
MAX_KEY = 2**63 - 1


def key_of(value: object) -> int | None:
    """A record's key from a request value: a positive whole number the database can hold, else None."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_KEY else None


def keys_of(values: Iterable[object]) -> list[int]:
    """The valid keys among ``values`` (``request.POST.getlist("item")``), in order, each once."""
    out: list[int] = []
    for value in values:
        key = key_of(value)
        if key is not None and key not in out:
            out.append(key)
    return out
