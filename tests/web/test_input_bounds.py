"""Out-of-range numbers in web URLs and query strings answer 404 (or the page), never a server error.

Every page of the permission matrix is requested with every id replaced by numbers no database column
holds, and the list pages with huge ``page``/filter values; SQLite raises OverflowError and PostgreSQL
«out of range» for such values if they reach a query.
"""

from __future__ import annotations

import re

import pytest

from tests.conduct.test_permissions_conduct import CONDUCT_PAGES
from tests.web.test_permissions import PAGES

HUGE = ["9" * 25, str(2**63), str(2**64)]
PLACEHOLDER = re.compile(r"\{[a-z0-9_]+\}")
WITH_IDS = sorted({url for _, url, *_ in PAGES + CONDUCT_PAGES if PLACEHOLDER.search(url)})
LISTS = sorted({url.split("?")[0] for _, url, *_ in PAGES + CONDUCT_PAGES if not PLACEHOLDER.search(url)})


@pytest.mark.parametrize("url", WITH_IDS)
def test_huge_ids_in_paths_are_not_found(client, region, url):
    client.force_login(region.user("minobr"))
    for value in HUGE:
        target = PLACEHOLDER.sub(value, url)
        response = client.get(target)
        assert response.status_code in (404, 403, 405), (target, response.status_code)


@pytest.mark.parametrize("url", LISTS)
def test_huge_query_values_do_not_fail(client, region, url):
    client.force_login(region.user("minobr"))
    for value in HUGE:
        query = "&".join(
            f"{name}={value}"
            for name in (
                "page",
                "parent",
                "school",
                "grade",
                "session",
                "plan",
                "org",
                "actor",
                "section",
                "venue",
                "kind",
                "expert",
            )
        )
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, value, response.status_code)
