"""Essay-shaped pages are not offered for an interview session (KindRules.pages decides, not the templates);
a typed URL still refuses with the kind's sentence (I90). The essay's session keeps offering them."""

from __future__ import annotations

import pytest

from itog.exams.kinds import get_rules
from itog.exams.kinds.base import ESSAY_SHAPED_PAGES, SESSION_PAGES
from itog.exams.registration.services import ensure_sessions
from tests.conduct.interview import interview_session, register_ninth

pytestmark = pytest.mark.django_db

ESSAY_ONLY = {
    "import": "/import/",
    "seating": "/seating/",
    "day": "/day/",
    "checking": "/checking/",
    "transfer": "/transfer/",
    "scanning": "/scanning/",
}


def test_the_kinds_name_their_pages():
    assert get_rules("essay").pages == ESSAY_SHAPED_PAGES
    interview = get_rules("interview").pages
    assert interview <= set(SESSION_PAGES) and "timed_day" in interview
    assert not interview & set(ESSAY_ONLY)


def links(html: str, session_pk: int) -> set[str]:
    return {name for name, tail in ESSAY_ONLY.items() if f'href="/sessions/{session_pk}{tail}"' in html}


def test_the_interview_session_page_offers_no_essay_links(region, login):
    session = interview_session(region)
    register_ninth(region, session, 1)
    essay = ensure_sessions(region.ministry, "2025/26", kind="essay")[0]
    for role in ("rcoi", "school"):
        c = login(role)
        page = c.get(f"/sessions/{session.pk}/").content.decode()
        assert links(page, session.pk) == set(), role
        assert f'href="/sessions/{session.pk}/interview/"' in page  # the interview's own day
        essay_page = c.get(f"/sessions/{essay.pk}/").content.decode()
        assert {"seating", "day"} <= links(essay_page, essay.pk), role
        assert f'href="/sessions/{essay.pk}/interview/"' not in essay_page
    c = login("rcoi")
    essay_page = c.get(f"/sessions/{essay.pk}/").content.decode()
    assert links(essay_page, essay.pk) == set(ESSAY_ONLY) - {"transfer"}  # РЦОИ: every stage but the МОУО's
    listing = c.get("/sessions/").content.decode()
    assert f'href="/sessions/{session.pk}/day/"' not in listing and f'href="/sessions/{essay.pk}/day/"' in listing
    assert f'href="/sessions/{session.pk}/transfer/"' not in listing
    results = c.get(f"/sessions/{session.pk}/results/")
    assert results.status_code == 200 and links(results.content.decode(), session.pk) == set()
    home = login("commission").get("/").content.decode()
    assert f'href="/sessions/{session.pk}/day/"' not in home


@pytest.mark.parametrize("name", sorted(ESSAY_ONLY))
def test_a_typed_url_still_refuses(region, login, name):
    session = interview_session(region)
    # the authorized person of the МОУО transfers marks; РЦОИ opens the other stages
    response = login("transfer" if name == "transfer" else "rcoi").get(f"/sessions/{session.pk}{ESSAY_ONLY[name]}")
    assert response.status_code == 409, response.status_code
    assert "В итоговом собеседовании нет этапа" in response.content.decode()
