"""Смена пароля: the current password, Django's validators (Russian messages), the session survives."""

from __future__ import annotations

from tests.conftest import PASSWORD


def test_password_change_checks_and_changes(client, region):
    user = region.user("school")
    assert client.login(username="school", password=PASSWORD)
    page = client.get("/account/password/")
    assert page.status_code == 200 and "Смена пароля" in page.content.decode()

    wrong = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "Zx9!long-enough-pw", "new_password2": "Zx9!long-enough-pw"},
    )
    assert wrong.status_code == 200 and "Ваш старый пароль введен неправильно" in wrong.content.decode()

    weak = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    text = weak.content.decode()
    assert weak.status_code == 200
    assert "Введённый пароль слишком короткий" in text and "Введённый пароль состоит только из цифр" in text

    mismatch = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Zx9!long-enough-pw", "new_password2": "Zx9!other-enough-pw"},
    )
    assert "Введенные пароли не совпадают" in mismatch.content.decode()

    done = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Zx9!long-enough-pw", "new_password2": "Zx9!long-enough-pw"},
    )
    assert done.status_code == 302 and done["Location"] == "/account/"
    user.refresh_from_db()
    assert user.check_password("Zx9!long-enough-pw")
    assert client.get("/account/").status_code == 200, "this session stays logged in"
