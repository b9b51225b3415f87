"""Shared limits for real: counters in a real redis-server (atomic across processes), the client address behind
trusted proxies, lockouts that cannot be turned against the rightful user, the health check with Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from itog.conduct.models import Work
from itog.core import ratelimit
from itog.core.netaddr import client_ip
from tests.conduct.fixtures import finished_session
from tests.redis_server import redis_server, redis_settings  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "remote,forwarded,trusted,expected",
    [
        ("203.0.113.7", "", [], "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", [], "203.0.113.7"),  # no proxy trusted: header ignored
        ("10.0.0.5", "198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.5", "6.6.6.6, 198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),  # the client's own prefix ignored
        ("10.0.0.5", "198.51.100.1, 10.0.0.9", ["10.0.0.0/8"], "198.51.100.1"),  # two trusted hops
        ("203.0.113.7", "198.51.100.1", ["10.0.0.0/8"], "203.0.113.7"),  # from an untrusted address
        ("10.0.0.5", "not-an-address", ["10.0.0.0/8"], "10.0.0.5"),
        ("10.0.0.5", "[2001:db8::1]:443", ["10.0.0.0/8"], "2001:db8::1"),
        ("10.0.0.5", "198.51.100.1:5555", ["10.0.0.5"], "198.51.100.1"),
    ],
)
def test_client_address_from_trusted_proxies_only(settings, remote, forwarded, trusted, expected):
    settings.ITOG_TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected


# ---------------------------------------------------------------------------------------------- counters


def test_redis_counters_are_exact_across_processes(redis_settings):  # noqa: F811
    """8 processes × 250 increments of one key at once: exactly 2,000 (no lost updates), one expiry set."""
    code = (
        "import django, sys; django.setup(); from itog.core import ratelimit\n"
        "for _ in range(250): ratelimit.hit('race', 60)\n"
    )
    env = {
        **os.environ,
        "ITOG_REDIS_URL": redis_settings.url,
        "DJANGO_SETTINGS_MODULE": "itog.settings",
        "PYTHONPATH": str(ROOT),
        "ITOG_DATA_DIR": str(Path(os.environ.get("TMPDIR", "/tmp")) / "itog-race"),
    }
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(8)]
    assert all(p.wait(120) == 0 for p in procs)
    assert ratelimit.get("race") == 2000
    import redis

    ttl = redis.Redis.from_url(redis_settings.url).ttl(ratelimit.PREFIX + "race")
    assert 0 < ttl <= 60


def test_memory_counters_expire(settings):
    settings.ITOG_REDIS_URL = ""
    ratelimit.clear()
    assert [ratelimit.hit("k", 60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.get("k") == 3 and ratelimit.get("other") == 0
    assert ratelimit.hit("short", 0) == 1 and ratelimit.get("short") == 0


# ---------------------------------------------------------------------------------------------- lookup


@pytest.fixture
def published(region, redis_settings):  # noqa: F811
    session = finished_session(region)
    work = Work.objects.filter(session=session).exclude(result="").select_related("application__participant").first()
    return work, work.application.participant.document_number


def _lookup(client, work, document, address, **headers):
    return client.post(
        "/api/v1/results/lookup",
        {"code": work.code, "document": document},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )


def test_others_wrong_guesses_never_refuse_the_participant(client, published, settings):
    """Guessers from one address are stopped at the limit; the participant from another address with the
    right document gets the result; behind the proxy the addresses are the clients', not the proxy's."""
    work, doc = published
    settings.ITOG_LOOKUP_FAILURES_PER_CODE = 3
    settings.ITOG_TRUSTED_PROXIES = ["10.9.0.0/16"]
    proxy = "10.9.0.2"
    for n in range(3):
        assert _lookup(client, work, f"99999{n}", proxy, HTTP_X_FORWARDED_FOR="198.51.100.66").json()["found"] is False
    assert _lookup(client, work, doc, proxy, HTTP_X_FORWARDED_FOR="198.51.100.66").status_code == 429
    # the same header from an untrusted address is ignored: that address is its own client
    ok = _lookup(client, work, doc, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert ok.status_code == 200 and ok.json()["found"] is True and ok.json()["result"] == work.result
    assert (
        ratelimit.get_many(
            f"code:{work.code}:" + __import__("django.utils.timezone", fromlist=["x"]).localdate().isoformat()
        )[0]
        == 3
    )


def test_a_code_under_attack_allows_fewer_guesses_per_address(client, published, settings):
    work, doc = published
    settings.ITOG_LOOKUP_FAILURES_PER_CODE = 10
    settings.ITOG_LOOKUP_CODE_FAILURES_ALERT = 6
    settings.ITOG_LOOKUP_FAILURES_PER_CODE_UNDER_ATTACK = 2
    for n in range(6):  # six addresses, one wrong guess each: the code is now under attack
        assert _lookup(client, work, "1", f"198.51.100.{n + 1}").status_code == 200
    assert _lookup(client, work, "2", "198.51.100.1").status_code == 200  # second failure of that address
    assert _lookup(client, work, doc, "198.51.100.1").status_code == 429  # its limit is now 2
    assert _lookup(client, work, doc, "192.0.2.10").json()["found"] is True  # the participant is not refused


def test_per_address_limit_counts_in_redis(client, published, settings):
    work, doc = published
    settings.ITOG_LOOKUP_PER_IP_PER_HOUR = 2
    assert _lookup(client, work, doc, "192.0.2.1").status_code == 200
    assert _lookup(client, work, doc, "192.0.2.1").status_code == 200
    assert _lookup(client, work, doc, "192.0.2.1").status_code == 429
    assert _lookup(client, work, doc, "192.0.2.2").status_code == 200


# ---------------------------------------------------------------------------------------------- log-in


@pytest.fixture
def axes_on(settings, redis_settings):  # noqa: F811
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    settings.ITOG_LOGIN_FAILURE_LIMIT = 3
    settings.ITOG_LOGIN_USER_FAILURES_PER_DAY = 6
    settings.ITOG_LOGIN_FAILURE_LIMIT_UNDER_ATTACK = 1
    AccessAttempt.objects.all().delete()
    return settings


def _login(client, username, password, address):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_attacker_who_knows_the_name_cannot_lock_its_owner_out(client, region, axes_on):
    from tests.conftest import PASSWORD

    for _ in range(3):
        _login(client, "school", "wrong-password", "198.51.100.66")
    assert _login(client, "school", PASSWORD, "198.51.100.66").status_code == 429, "the attacker's address is locked"
    owner = _login(client, "school", PASSWORD, "192.0.2.10")
    assert owner.status_code == 302 and client.session.get("_auth_user_id"), "the owner logs in from their address"


def test_many_addresses_guessing_one_name_get_one_guess_each(client, region, axes_on):
    from tests.conftest import PASSWORD

    for n in range(6):  # six addresses × one failure: the name is under attack
        _login(client, "school", "wrong", f"198.51.100.{n + 1}")
    _login(client, "school", "wrong", "203.0.113.1")  # a new address: its first failure locks it
    assert _login(client, "school", PASSWORD, "203.0.113.1").status_code == 429
    assert _login(client, "school", PASSWORD, "192.0.2.10").status_code == 302


def test_an_address_spraying_many_names_is_refused(client, region, axes_on):
    from tests.conftest import PASSWORD

    axes_on.ITOG_LOGIN_ADDRESS_FAILURES_PER_HOUR = 4
    for name in ("a1", "a2", "a3", "a4"):
        _login(client, name, "wrong", "198.51.100.77")
    refused = _login(client, "mouo", PASSWORD, "198.51.100.77")
    assert refused.status_code == 200 and not client.session.get("_auth_user_id")
    assert _login(client, "mouo", PASSWORD, "192.0.2.20").status_code == 302


# ---------------------------------------------------------------------------------------------- health


def test_health_with_redis_counts_workers_and_fails_without_redis(
    client,
    region,
    redis_settings,  # noqa: F811 - the fixture imported above
    settings,
    monkeypatch,
):
    from itog.jobs import tasks

    monkeypatch.setenv("ITOG_JOB_BACKEND", "celery")
    body = client.get("/health/").json()
    assert body["redis"] == "ok" and body["workers"] == 0 and body["status"] == "degraded"
    tasks.announce("w1@test")
    body = client.get("/health/").json()
    assert body["workers"] == 1 and body["status"] == "ok"
    settings.ITOG_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    down = client.get("/health/")
    assert down.status_code == 503 and down.json()["redis"] == "error" and down.json()["status"] == "error"
