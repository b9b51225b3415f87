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


def test_a_nul_character_in_a_request_is_refused_in_russian(login):
    """PostgreSQL cannot store a NUL in text: a token named with one answered 500 there (the form fuzz of
    tests/web/test_crawl.py found it); every such request is refused before a view sees it."""
    from itog.accounts.models import ApiToken

    client = login("school")
    response = client.post("/account/", {"name": "токен\x00"})
    assert response.status_code == 400 and "недопустимый символ" in response.content.decode()
    assert not ApiToken.objects.filter(name__startswith="токен").exists()
    assert client.get("/students/?q=%00").status_code == 400
    lookup = client.post(
        "/api/v1/results/lookup", '{"code": "\\u0000", "document": "1"}', content_type="application/json"
    )
    assert lookup.status_code == 400
    assert client.post("/account/", {"name": "токен\tдля выгрузки"}).status_code in (200, 302)
    assert ApiToken.objects.filter(name="токендля выгрузки").exists()  # control characters dropped
