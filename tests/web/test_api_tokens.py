from datetime import timedelta

from django.utils import timezone

from itog.accounts.models import ApiToken, TokenKind
from itog.plans.projection import feed_token


def test_token_auth_gives_the_same_scope(client, region):
    _, raw = ApiToken.issue(region.user("mouo2"), "выгрузка в РИС")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/orgs/{region.school2.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/orgs/{region.school1.pk}", **auth).json() == {"detail": "Не найдено"}
    me = client.get("/api/v1/me", **auth).json()
    assert me["username"] == "mouo2" and me["memberships"][0]["role"] == "mouo_operator"


def test_revoked_or_wrong_token_is_refused(client, region):
    token, raw = ApiToken.issue(region.user("rcoi"), "t")
    token.revoke()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Требуется аутентификация: токен отозван"}
    token.refresh_from_db()
    assert token.revoked and token.revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer itog_nonsense").status_code == 401


def test_expired_token_is_refused_with_json_401(client, region):
    token, raw = ApiToken.issue(region.user("rcoi"), "t", days=30)
    assert token.expires_at > timezone.now() + timedelta(days=29)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/me", **auth)
    assert response.status_code == 401
    assert response.json() == {"detail": "Требуется аутентификация: срок действия токена истёк"}


def test_validity_is_capped(settings, region):
    settings.ITOG_TOKEN_MAX_DAYS = 10
    token, _ = ApiToken.issue(region.user("rcoi"), "t", days=365)
    assert token.expires_at < timezone.now() + timedelta(days=10, minutes=1)


def test_token_is_shown_once_and_stored_hashed(login, region):
    response = login("rcoi").post("/account/", {"name": "интеграция", "days": "30"})
    text = response.content.decode()
    token = ApiToken.objects.get(user=region.user("rcoi"))
    raw = text.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("itog_") and raw not in token.key_hash
    assert ApiToken.authenticate(raw) == token
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_profile_revokes_only_own_tokens(login, region):
    mine, raw = ApiToken.issue(region.user("rcoi"), "мой")
    other, other_raw = ApiToken.issue(region.user("minobr"), "чужой")
    client = login("rcoi")
    assert client.post("/account/", {"revoke": str(other.pk)}).status_code == 302
    assert ApiToken.authenticate(other_raw) == other
    client.post("/account/", {"revoke": str(mine.pk)})
    assert ApiToken.authenticate(raw) is None
    assert "мой" not in client.get("/account/").content.decode()
    assert client.post("/account/", {"revoke": "99999999999999999999999"}).status_code == 302


def test_calendar_feed_link_expires_and_is_revocable(login, client, region):
    from tests.plans.fixtures import tiny_plans

    tiny_plans(region)  # assignments of school1
    org = region.school1
    page = login("school").post("/account/", {"action": "feed", "organization": str(org.pk), "days": "30"})
    link = page.content.decode().split('id="new-feed">')[1].split("<")[0]
    path = link.split("testserver", 1)[1]
    assert path.startswith("/calendar/ical_")
    client.logout()
    response = client.get(path)
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content
    token = ApiToken.objects.get(kind=TokenKind.CALENDAR, user=region.user("school"))
    assert token.last_used_at is not None and token.organization == org
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(path).status_code == 404
    raw = feed_token(region.user("school"), org)
    assert client.get(f"/calendar/{raw}.ics").status_code == 200
    ApiToken.authenticate(raw, kind=TokenKind.CALENDAR).revoke()
    assert client.get(f"/calendar/{raw}.ics").status_code == 404
    # a calendar key is not an API token, and an API token is not a calendar key
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    _, api_raw = ApiToken.issue(region.user("school"), "api")
    assert client.get(f"/calendar/{api_raw}.ics").status_code == 404
    # a school operator cannot get a feed of another school
    other = login("school").post("/account/", {"action": "feed", "organization": str(region.school2.pk)})
    assert "Выберите организацию" in other.content.decode()


def test_openapi_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Итог API"
    assert "/api/v1/orgs/{org_id}" in schema["paths"]
