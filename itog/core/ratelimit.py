"""Rate-limit counters shared by every web process: in Redis when ``ITOG_REDIS_URL`` is set, else in memory.

Redis: one Lua script increments a key and sets its expiry on the first hit, atomically, so the counts are
exact across any number of web workers and machines (no read-modify-write races, no lost counts). Memory
(the demo): a dictionary per process under a lock.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache

from django.conf import settings

PREFIX = "itog:rl:"
_INCR = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


@lru_cache(maxsize=4)
def _redis(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)
    return client, client.register_script(_INCR)


class _Memory:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.data: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, ttl: int) -> int:
        now = time.monotonic()
        with self.lock:
            count, until = self.data.get(key, (0, 0.0))
            if until <= now:
                count, until = 0, now + ttl
                if len(self.data) > 100_000:  # drop expired entries now and then
                    self.data = {k: v for k, v in self.data.items() if v[1] > now}
            self.data[key] = (count + 1, until)
            return count + 1

    def get(self, key: str) -> int:
        with self.lock:
            count, until = self.data.get(key, (0, 0.0))
            return count if until > time.monotonic() else 0

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


_memory = _Memory()


def using_redis() -> bool:
    return bool(settings.ITOG_REDIS_URL)


def hit(key: str, ttl: int) -> int:
    """Count one event under ``key`` (expiring ``ttl`` seconds after the first) and return the count."""
    if using_redis():
        _client, script = _redis(settings.ITOG_REDIS_URL)
        return int(script(keys=[PREFIX + key], args=[ttl]))
    return _memory.hit(key, ttl)


def get(key: str) -> int:
    if using_redis():
        client, _script = _redis(settings.ITOG_REDIS_URL)
        value = client.get(PREFIX + key)
        return int(value) if value else 0
    return _memory.get(key)


def get_many(*keys: str) -> list[int]:
    if using_redis():
        client, _script = _redis(settings.ITOG_REDIS_URL)
        return [int(v) if v else 0 for v in client.mget([PREFIX + k for k in keys])]
    return [_memory.get(k) for k in keys]


def clear() -> None:
    """Forget every counter (tests)."""
    if using_redis():
        client, _script = _redis(settings.ITOG_REDIS_URL)
        for key in client.scan_iter(PREFIX + "*", count=1000):
            client.delete(key)
    _memory.clear()
