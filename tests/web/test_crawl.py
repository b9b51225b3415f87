"""Every role walks its own pages as a new user would: from the home page through every link it is shown
(breadth first, GET only), no page answers 500, and no page shows a program's words instead of Russian —
«None», «True», an unrendered template tag, a traceback, Django's English defaults."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itog.core.bulk import refresh_statistics
from itog.demo.region import DEMO_USERS

# Links a crawl must not follow: they change state on GET by design (log out) or download files (checked
# by their own tests, which open the files).
SKIP = re.compile(
    r"^/(?:logout|accounts/logout|admin/|static/|media/)|\.(?:pdf|xlsx|docx|zip|png|csv)(?:$|\?)|[?&]export="
)
PAGES_PER_ROLE = 150

# What a page must never show (visible text, not attributes): a program's words, not the user's language.
LEAKS = [
    (re.compile(r"(?<![\w-])None(?![\w-])"), "None"),
    (re.compile(r"(?<![\w-])(?:True|False)(?![\w-])"), "True/False"),
    (re.compile(r"\{\{|\{%|%\}|\}\}"), "an unrendered template tag"),
    (re.compile(r"Traceback|Exception|Error:"), "a program error"),
    (re.compile(r"This field is required|Enter a valid|Ensure this value|Select a valid choice"), "Django's English"),
    (re.compile(r"\bnan\b|\bNaN\b|undefined"), "nan/undefined"),
    (
        re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"),
        "an English month",
    ),
]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self.forms: list[dict] = []  # POST forms: {"action": url or "", "fields": {name: (type, value)}}
        self._form: dict | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        values = dict(attrs)
        if tag == "form":
            method = (values.get("method") or "get").lower()
            action = values.get("hx-post") or (values.get("action") if method == "post" else None)
            if method == "post" or values.get("hx-post"):
                self._form = {"action": action or "", "fields": {}}
                self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None and values.get("name"):
            kind = values.get("type", tag).lower()
            if kind not in ("submit", "button", "reset"):
                self._form["fields"][values["name"]] = (kind, values.get("value") or "")
        for name in ("href", "hx-get") if tag == "a" else ("hx-get",):  # HTMX fragments are pages too
            if values.get(name):
                self.links.append(values[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
        if tag == "form":
            self._form = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def leaks(page: _Page) -> list[str]:
    text = " ".join(" ".join(page.text).split())
    found = []
    for rx, what in LEAKS:
        m = rx.search(text)
        if m:
            found.append(f"{what} — «…{text[max(0, m.start() - 60) : m.end() + 60]}…»")
    return found


def test_the_checks_find_what_they_look_for():
    page = _Page()
    page.feed(
        "<main><p>Класс: None</p><td>True</td><p>{{ x }}</p><p>This field is required.</p>"
        "<script>var a = undefined; None</script><a href='/orgs/1/'>x</a><div hx-get='/jobs/2/'></div></main>"
    )
    found = " ".join(leaks(page))
    assert "None" in found and "True/False" in found and "template tag" in found and "Django's English" in found
    assert "nan/undefined" not in found  # the script's text is not the page's
    assert page.links == ["/orgs/1/", "/jobs/2/"]
    assert _internal("/orgs/1/#x") == "/orgs/1/" and _internal("https://example.org/") is None
    assert _internal("/sessions/1/applications.xlsx") is None and _internal("/logout/") is None


def _internal(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(href):
        return None
    return href


@pytest.fixture
def demo_year(region, monkeypatch):
    """The demo's whole story on the small region: seed plans, this year's registration and seating, last
    year's checked and published essay, the interview, the analytics archive — every screen has data."""
    from datetime import date

    from itog.analytics.demo import load_demo_history
    from itog.conduct.demo import load_demo_results
    from itog.conduct.demo_interview import load_demo_interview
    from itog.exams.demo import load_demo_exams
    from itog.plans.demo import load_seed_plans
    from tests.conduct.fixtures import add_staff

    monkeypatch.setenv("ITOG_SCAN_WORKERS", "1")
    quiet = lambda *a: None  # noqa: E731
    today = date(2026, 12, 3)
    add_staff(region)
    load_seed_plans(region.ministry, today, progress=quiet)
    load_demo_exams(region.ministry, today, progress=quiet)
    load_demo_results(region.ministry, today, progress=quiet, fail_rate=0.6)
    load_demo_interview(region.ministry, today, progress=quiet)
    load_demo_history(region.ministry, 2024, progress=quiet)
    refresh_statistics()  # as the demo does after loading: with none, PostgreSQL nests loops over the plan items
    return region


def _crawl(client, user, forms: list | None = None) -> tuple[set[str], list[str]]:
    client.force_login(user)
    seen: set[str] = set()
    shapes: dict[str, int] = {}  # «/orgs/N/» → pages of that shape walked (two of each are enough)
    queue: list[tuple[str, str]] = [("/", "")]
    problems: list[str] = []
    while queue and len(seen) < PAGES_PER_ROLE:
        url, came_from = queue.pop(0)
        shape = re.sub(r"\d+", "N", url)
        if url in seen or shapes.get(shape, 0) >= 2:
            continue
        seen.add(url)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        if response.status_code >= 500 or response.status_code in (403, 404):
            # a link the user is shown must open: a refusal means the page offered what the role may not do
            problems.append(f"{url} (ссылка на {came_from}): {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        problems += [f"{url}: {leak}" for leak in leaks(page)]
        if forms is not None:
            forms += [(url, f) for f in page.forms]
        for href in page.links:
            target = _internal(href)
            if target and target not in seen:
                queue.append((target, url))
    return seen, problems


# What an attacker or a careless user types into every field of every form.
HOSTILE = ["", "<script>alert(1)</script>' OR 1=1 -- 31.02.2026 \x00", "99999999999999999999"]
# Forms a fuzz must not submit: they end the session the crawl is logged in with.
SKIP_FORMS = re.compile(r"logout|password")


def _fuzzed(fields: dict, value: str) -> dict:
    data = {}
    for name, (kind, original) in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "file":
            data[name] = SimpleUploadedFile("плохой файл.xlsx", value.encode() or b"\x00", "application/octet-stream")
        elif kind in ("checkbox", "radio", "hidden"):
            data[name] = original if value == "" else value
        else:
            data[name] = value
    return data


def test_every_role_walks_its_pages_and_forms_in_russian(client, demo_year):
    """Each demo user, over the demo's whole year: every page it is shown opens (no 500, no link that
    answers 403/404) and shows no program words; then every POST form it is shown, submitted empty and with
    hostile values in every field, answers without a server error and with its refusals in Russian."""
    problems: list[str] = []
    walked: dict[str, int] = {}
    submitted = 0
    client.raise_request_exception = False  # a server error is a finding to list, not the end of the walk
    for username, *_ in DEMO_USERS:
        user = demo_year.user(username)
        forms: list = []
        seen, found = _crawl(client, user, forms)
        walked[username] = len(seen)
        problems += [f"{username}: {p}" for p in found]
        shapes: set[str] = set()
        for url, form in forms:
            action = form["action"] or url
            shape = re.sub(r"\d+", "N", action)
            if shape in shapes or SKIP_FORMS.search(action) or not action.startswith("/"):
                continue
            shapes.add(shape)
            for value in HOSTILE:
                client.force_login(user)
                response = client.post(action, _fuzzed(form["fields"], value), HTTP_HX_REQUEST="true")
                submitted += 1
                if response.status_code >= 500:
                    problems.append(f"{username}: POST {action} «{value!r}»: {response.status_code}")
                    continue
                if "text/html" in response.get("Content-Type", ""):
                    page = _Page()
                    page.feed(response.content.decode())
                    problems += [f"{username}: POST {action} «{value!r}»: {leak}" for leak in leaks(page)]
    assert walked["minobr"] > 60 and walked["school"] > 30 and walked["expert"] > 5, walked
    assert submitted > 100, submitted
    assert not problems, "\n".join(problems)
