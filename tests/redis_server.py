"""A throw-away redis-server (Debian package ``redis-server``) for tests and benchmarks.

Installed with apt-get when missing (root). Outside CI a machine that cannot have it skips the Redis tests
with a loud reason; in CI (``CI=true``) that is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_binary() -> str | None:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, capture_output=True, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "redis-server"], env=env, check=False, capture_output=True, timeout=900
        )
    return shutil.which("redis-server")


class RedisServer:
    def __init__(self, binary: str):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="itog-redis-")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_or_skip() -> RedisServer:
    binary = redis_binary()
    if binary is None:
        reason = (
            "REDIS TESTS NOT RUN: redis-server is missing and could not be installed "
            "(apt-get install redis-server as root)"
        )
        if in_ci():
            pytest.fail(reason)
        print(f"\n!!! {reason}\n")
        pytest.skip(reason)
    return RedisServer(binary)


class _External:
    """The redis-server that .ci/run started (``ITOG_TEST_REDIS_URL``)."""

    def __init__(self, url: str):
        self.url = url

    def stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def redis_server():
    url = os.environ.get("ITOG_TEST_REDIS_URL")
    server = _External(url) if url else start_or_skip()
    yield server
    server.stop()


@pytest.fixture
def redis_settings(redis_server, settings):
    """This process's settings pointed at the throw-away Redis (counters and cache); emptied per test."""
    import redis

    from itog.core import ratelimit

    settings.ITOG_REDIS_URL = redis_server.url
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url},
    }
    redis.Redis.from_url(redis_server.url).flushdb()
    ratelimit._memory.clear()
    yield redis_server
