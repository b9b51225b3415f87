"""The results page's cards and familiarization links from one GROUP BY (place × result), pinned against the
database's own counts, unfiltered and filtered."""

from __future__ import annotations

import html
import re

import pytest
from django.db.models import Count

from itog.conduct.models import Work
from itog.core import ratelimit
from itog.web.views import conduct as views
from tests.conduct.fixtures import finished_session


@pytest.fixture
def published(region):
    ratelimit.clear()
    return finished_session(region)


def _cards(page: str) -> dict[str, int]:
    cards = page.split('id="result-cards"')[1].split("</div></div>")
    out = {}
    for card in cards:
        m = re.search(r'<div class="muted">([^<]*)</div><div class="big">(\d+)', card)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def test_cards_and_places_equal_the_database(region, published, login, monkeypatch):
    works = Work.objects.filter(session=published)
    expected = dict(works.values_list("result").annotate(n=Count("pk")))
    places = set(works.values_list("application__participant__registration_org", flat=True))
    assert len(expected) >= 1 and len(places) >= 2
    client = login("rcoi")
    page = html.unescape(client.get(f"/sessions/{published.pk}/results/").content.decode())
    cards = _cards(page)
    assert cards.pop("всего работ") == works.count()
    assert cards == {k or "без результата": n for k, n in expected.items()}
    assert page.count("/familiarization.pdf") == len(places)
    # fewer links allowed than places: the number of places is said instead
    monkeypatch.setattr(views, "FAMILIARIZATION_LINKS", len(places) - 1)
    page = html.unescape(client.get(f"/sessions/{published.pk}/results/").content.decode())
    assert f"Мест регистрации в выборке: {len(places)}." in page and "/familiarization.pdf" not in page
    # filtered by one school: the cards stay the whole session's, the places are the filter's
    page = html.unescape(
        client.get(f"/sessions/{published.pk}/results/", {"q": _first_name(region, published)}).content.decode()
    )
    assert _cards(page)["всего работ"] == works.count()


def _first_name(region, session) -> str:
    w = Work.objects.filter(session=session).select_related("application__participant").first()
    return w.application.participant.last_name
