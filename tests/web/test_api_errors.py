"""API errors are JSON, and out-of-range numbers answer 404/422 instead of reaching the database."""

from __future__ import annotations

import pytest


def json_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body.get("detail"), (str, list))
    return body


def test_unknown_path_and_method_answer_json(login, region):
    client = login("rcoi")
    assert json_error(client.get("/api/v1/no-such-thing"), 404) == {"detail": "Не найдено"}
    response = client.delete("/api/v1/me")
    assert json_error(response, 405) == {"detail": "Метод не поддерживается"}
    assert "GET" in response["Allow"]
    assert json_error(client.logout() or client.get("/api/v1/me"), 401)


HUGE = ["9" * 30, str(2**63), str(2**64 + 5), "-" + "9" * 25]


@pytest.mark.parametrize("value", HUGE)
def test_huge_numbers_never_reach_the_database(login, region, value):
    client = login("minobr")
    json_error(client.get(f"/api/v1/orgs/?page={value}"), 422)
    json_error(client.get(f"/api/v1/orgs/?parent_id={value}"), 422)
    response = client.get(f"/api/v1/orgs/{value.lstrip('-')}")
    assert response.status_code in (404, 422) and response["Content-Type"].startswith("application/json")
    response = client.get(f"/api/v1/orgs/{value.lstrip('-')}/places")
    assert response.status_code in (404, 422) and response["Content-Type"].startswith("application/json")


def test_bounds_still_allow_ordinary_values(login, region):
    client = login("minobr")
    assert len(client.get("/api/v1/orgs/?page=1&page_size=5").json()["items"]) == 5
    assert client.get("/api/v1/orgs/?page=1000000").json()["items"] == []  # past the end
    assert client.get(f"/api/v1/orgs/?parent_id={region.mouo1.pk}").status_code == 200


def test_unexpected_failure_answers_json_500(login, region, monkeypatch):
    import itog.api.api as api_module

    def boom(user):
        raise RuntimeError("broken")

    monkeypatch.setattr(api_module, "grants_of", boom)
    assert json_error(login("rcoi").get("/api/v1/me"), 500) == {"detail": "Внутренняя ошибка сервера"}


def test_overlong_lookup_fields_are_refused(client, region):
    response = client.post(
        "/api/v1/results/lookup", {"code": "1" * 10_000, "document": "x"}, content_type="application/json"
    )
    json_error(response, 422)
