"""Shared fixtures: one small deterministic demo region for the whole run.

The region is built by the same generator as `itog demo` (smaller), once per
test database; each test runs in a transaction that is rolled back, and the
``region`` fixture re-creates the region if a transactional (browser) test
flushed it.
"""

from __future__ import annotations

import os

import pytest

from itog.demo.generate import DemoSize

PASSWORD = "test-password-123"
SMALL = DemoSize(schools=24, grade11=240, grade9=240, teachers_per_school=3)


def pytest_configure(config):
    import tempfile

    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="itog-test-media-")
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config, items):
    # Browser tests flush the database (live server); run them last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


class Region:
    """Handles on the small demo region: users by login, organizations by role in the story."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from itog.orgs.kinds import OrgKind
        from itog.orgs.models import Organization

        self.users = {u.username: u for u in get_user_model().objects.all()}
        self.ministry = Organization.objects.get(depth=0, code="000000")
        self.rcoi = Organization.objects.get(kind=OrgKind.RCOI)
        mouos = list(Organization.objects.filter(kind=OrgKind.MOUO).order_by("code"))
        self.mouo1, self.mouo2 = mouos[0], mouos[1]
        schools1 = list(Organization.objects.filter(parent=self.mouo1).order_by("code"))
        self.school1, self.school1b, self.school3 = schools1[0], schools1[1], schools1[2]
        self.school2 = Organization.objects.filter(parent=self.mouo2).order_by("code").first()

    def user(self, username):
        return self.users[username]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from itog.demo.generate import generate

    with django_db_blocker.unblock():
        generate(PASSWORD, seed=7, size=SMALL, progress=lambda *a: None)


@pytest.fixture
def region(db) -> Region:
    from itog.demo.generate import generate

    generate(PASSWORD, seed=7, size=SMALL, progress=lambda *a: None)
    return Region()


@pytest.fixture
def login(client, region):
    """login("school") → the test client logged in as that demo user."""

    def do(username):
        client.force_login(region.user(username))
        return client

    return do


@pytest.fixture
def sync_jobs(monkeypatch):
    """Background jobs run inside the request (``ITOG_JOB_BACKEND=sync``): a view that queues a job (an
    import, a print run) redirects to the job's page with the job already finished."""
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
