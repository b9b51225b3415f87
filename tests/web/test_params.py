"""Record keys from a request: untrusted text, never passed to the database unchecked."""

from __future__ import annotations

import pytest

from itog.web.params import MAX_KEY, key_of, keys_of


@pytest.mark.parametrize(
    "value, expected",
    [
        ("17", 17),
        (" 17 ", 17),
        (17, 17),
        (str(MAX_KEY), MAX_KEY),
        (str(MAX_KEY + 1), None),  # «Python int too large to convert to SQLite INTEGER» before
        ("99999999999999999999", None),
        ("0", None),
        ("-1", None),
        ("1e3", None),
        ("١٢", None),  # Arabic-Indic digits pass str.isdigit() and int(), but are no key
        ("", None),
        (None, None),
    ],
)
def test_key_of(value, expected):
    assert key_of(value) == expected


def test_keys_of_keeps_the_valid_ones_once_in_order():
    assert keys_of(["3", "x", "3", "99999999999999999999", "1"]) == [3, 1]
