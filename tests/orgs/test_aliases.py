import html

import pytest

from itog.orgs.models import ActorAlias, resolve_actor


@pytest.mark.parametrize("spelling", ["КРИПКиПРО", "КРИПКипРО", "КРИПКИПРО", " крипкипро "])
def test_iro_spellings_resolve_to_one_organization(region, spelling):
    entry = resolve_actor(region.ministry, spelling)
    assert entry is not None and entry.organization.code == "000002"


@pytest.mark.parametrize("spelling", ["БУ РК «ЦОКО»", 'БУ РК "ЦОКО"', "РЦОИ", "ЦОКО", "PЦOИ"])
def test_rcoi_spellings(region, spelling):
    """Quotes and Latin look-alike letters («PЦOИ» with Latin P and O) do not matter."""
    assert resolve_actor(region.ministry, spelling).organization == region.rcoi


def test_external_actor(region):
    assert resolve_actor(region.ministry, "Рособнадзор").canonical == "Рособрнадзор"


def test_alias_added_in_ui_and_duplicate_refused(login, region):
    client = login("rcoi")
    response = client.post("/aliases/new/", {"alias": "Центр оценки", "organization": region.rcoi.pk})
    assert response.status_code == 302
    assert resolve_actor(region.ministry, "центр  оценки").organization == region.rcoi
    response = client.post("/aliases/new/", {"alias": "«Центр оценки»", "organization": region.ministry.pk})
    text = html.unescape(response.content.decode())
    assert "Такое написание уже есть в словаре" in text
    response = client.post("/aliases/new/", {"alias": "Кто-то"})
    assert "Укажите организацию или каноническое наименование" in html.unescape(response.content.decode())
    assert ActorAlias.objects.filter(alias="Кто-то").count() == 0
