"""The public results lookup (п. 11): a participant enters the work code and the document number.

- One answer for every failure (unknown code, wrong document, results not yet published), produced by
  the same steps, so a code's existence does not leak (:func:`services.lookup_result`).
- Rate limits (shared counters, :mod:`itog.core.ratelimit`; the client address behind trusted proxies,
  :mod:`itog.core.netaddr`): per address (``ITOG_LOOKUP_PER_IP_PER_HOUR``) and per (work code, address)
  (``ITOG_LOOKUP_FAILURES_PER_CODE`` failed attempts a day), so document numbers cannot be guessed — and
  others' wrong guesses at a code never refuse the participant who comes with the right document from their
  own address. Once a code has ``ITOG_LOOKUP_CODE_FAILURES_ALERT`` failures a day from all addresses, each
  address gets only ``ITOG_LOOKUP_FAILURES_PER_CODE_UNDER_ATTACK`` failures at it.
- Every refused attempt is written to the audit log with the code masked; document numbers never are.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.core import ratelimit
from itog.core.netaddr import client_ip

from . import services as S

NOT_FOUND = (
    "Результат не найден: проверьте код работы и номер документа. Результаты доступны со дня "
    "ознакомления (п. 11 Порядка)."
)
TOO_MANY = "Слишком много запросов. Повторите попытку позже."


def _mask(code: str) -> str:
    return (code[:4] + "…" + code[-2:]) if len(code) >= 6 else "…"


def lookup(request, code: str, document: str) -> dict:
    """``{"answer": LookupAnswer}`` or ``{"error": text, "status": 429|200}``; the limits and the log."""
    code = "".join(ch for ch in code if ch.isdigit())[:12]
    document = document[:40]
    ip = client_ip(request) or "-"
    hour = timezone.now().strftime("%Y%m%d%H")
    if ratelimit.hit(f"ip:{ip}:{hour}", 3700) > settings.ITOG_LOOKUP_PER_IP_PER_HOUR:
        return {"error": TOO_MANY, "status": 429, "code": code}
    day = timezone.localdate().isoformat()
    pair_key, code_key = f"code-ip:{code}:{ip}:{day}", f"code:{code}:{day}"
    pair_failures, code_failures = ratelimit.get_many(pair_key, code_key)
    limit = (
        settings.ITOG_LOOKUP_FAILURES_PER_CODE_UNDER_ATTACK
        if code_failures >= settings.ITOG_LOOKUP_CODE_FAILURES_ALERT
        else settings.ITOG_LOOKUP_FAILURES_PER_CODE
    )
    if pair_failures >= limit:
        _log(request, code, "per_code_limit")
        return {"error": TOO_MANY, "status": 429, "code": code}
    answer = S.lookup_result(code, document)
    if not answer.found:
        ratelimit.hit(pair_key, 90000)
        ratelimit.hit(code_key, 90000)
        _log(request, code, "not_found")
        return {"error": NOT_FOUND, "status": 200, "code": code}
    return {"answer": answer, "code": code, "status": 200}


def lookup_view_answer(request) -> dict:
    """The context of the lookup page for GET (empty form) and POST (an answer)."""
    if request.method != "POST":
        return {"answer": None}
    return lookup(request, request.POST.get("code", ""), request.POST.get("document", ""))


def _log(request, code: str, reason: str) -> None:
    record(
        EventKind.LOOKUP_REFUSED,
        request,
        description=f"Просмотр результата: код {_mask(code)} — {reason}",
        reason=reason,
    )
