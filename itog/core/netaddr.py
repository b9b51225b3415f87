"""The client's address behind reverse proxies.

``X-Forwarded-For`` is believed only when the request arrives from a configured trusted proxy
(``ITOG_TRUSTED_PROXIES``: addresses or CIDRs). The client is then the rightmost address of the header that
is not itself a trusted proxy — the leftmost entries are whatever the client chose to send.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_networks() -> tuple:
    return _networks(tuple(settings.ITOG_TRUSTED_PROXIES))


def _parse(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(addr, networks) -> bool:
    if addr is None:
        return False
    if getattr(addr, "ipv4_mapped", None):
        addr = addr.ipv4_mapped
    return any(addr.version == net.version and addr in net for net in networks)


def client_ip(request) -> str | None:
    """The address of the client that made ``request`` (``None`` without a request)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = trusted_networks()
    if not networks or not _trusted(_parse(remote or ""), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [part for part in forwarded.split(",") if part.strip()]
    for hop in reversed(hops):
        addr = _parse(hop)
        if addr is None:
            return remote  # a garbled header: do not guess
        if not _trusted(addr, networks):
            return str(addr)
    return remote
