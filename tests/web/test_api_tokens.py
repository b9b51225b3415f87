from itog.accounts.models import ApiToken


def test_token_auth_gives_the_same_scope(client, region):
    _, raw = ApiToken.issue(region.user("mouo2"), "выгрузка в РИС")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/orgs/{region.school2.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/orgs/{region.school1.pk}", **auth).json() == {"detail": "Не найдено"}
    me = client.get("/api/v1/me", **auth).json()
    assert me["username"] == "mouo2" and me["memberships"][0]["role"] == "mouo_operator"


def test_revoked_or_wrong_token_is_refused(client, region):
    token, raw = ApiToken.issue(region.user("rcoi"), "t")
    token.revoked = True
    token.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer itog_nonsense").status_code == 401


def test_token_is_shown_once_and_stored_hashed(login, region):
    response = login("rcoi").post("/account/", {"name": "интеграция"})
    text = response.content.decode()
    token = ApiToken.objects.get(user=region.user("rcoi"))
    raw = text.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("itog_") and raw not in token.key_hash
    assert ApiToken.authenticate(raw) == token


def test_openapi_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Итог API"
    assert "/api/v1/orgs/{org_id}" in schema["paths"]
