"""Registry of exam kinds: each kind is one rules object (:class:`~itog.exams.kinds.base.KindRules`)
covering every stage of the cycle, plus its own files under ``itog/exams/kinds/<kind>/``.

    >>> rules = get_rules("essay")
    >>> [s.date.isoformat() for s in rules.calendar.session_dates("2023/24")]
    ['2023-12-06', '2024-02-07', '2024-04-10']

Shared code never imports a kind's modules: it asks ``session.rules`` (a property of
``ExamSession``) or :func:`get_rules` / :func:`calendar_of`. A kind may be known by its calendar
only (the plan parser needs the interview's days before the interview's other rules exist):
:func:`calendar_of` answers for it, :func:`get_rules` refuses it.

A new kind adds its folder and one line to ``_RULES`` (or ``_CALENDARS``) — or calls
:func:`register`. Modules are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from .base import KindRules

__all__ = ["UnknownExamKind", "calendar_of", "get_rules", "has_rules", "known_kinds", "register"]

# exam kind (the values of ``itog.exams.models.ExamKind``) -> "module:attribute" of its rules object
_RULES: dict[str, str] = {
    "essay": "itog.exams.kinds.essay.rules:RULES",
    "interview": "itog.exams.kinds.interview.stages:RULES",
}
# exam kind -> module of its calendar (``session_dates``); a kind with full rules uses rules.calendar
_CALENDARS: dict[str, str] = {}
_LOADED: dict[str, KindRules] = {}


class UnknownExamKind(LookupError):
    pass


def register(kind: str, rules: str | None = None, *, calendar: str | None = None) -> None:
    """Register (or replace) a kind: ``rules`` as "module:attribute" of its :class:`KindRules`,
    or only its ``calendar`` module."""
    if rules is None and calendar is None:
        raise ValueError("register a kind with its rules or its calendar")
    if rules is not None:
        _RULES[kind] = rules
        _LOADED.pop(kind, None)
    if calendar is not None:
        _CALENDARS[kind] = calendar


def known_kinds() -> list[str]:
    """Every kind the registry knows (those known by their calendar only included)."""
    return sorted(set(_RULES) | set(_CALENDARS))


def has_rules(kind: str) -> bool:
    return str(kind) in _RULES


def _load(target: str) -> Any:
    module_path, _, attribute = target.partition(":")
    module = importlib.import_module(module_path)
    return getattr(module, attribute) if attribute else module


def get_rules(kind: str) -> KindRules:
    """The rules object of an exam kind ("essay", …)."""
    kind = str(kind)
    if kind in _LOADED:
        return _LOADED[kind]
    if kind not in _RULES:
        if kind in _CALENDARS:
            raise UnknownExamKind(f"exam kind {kind!r} is known by its calendar only; no rules registered")
        raise UnknownExamKind(f"no rules for exam kind {kind!r}; known: {', '.join(known_kinds())}")
    rules = _load(_RULES[kind])
    _LOADED[kind] = rules
    return rules


def calendar_of(kind: str) -> Any:
    """The calendar of an exam kind (an object with ``session_dates(academic_year)``; for a kind with
    full rules also ``session_deadlines`` and ``validate_override``)."""
    kind = str(kind)
    if kind in _RULES:
        return get_rules(kind).calendar
    if kind in _CALENDARS:
        return _load(_CALENDARS[kind])
    raise UnknownExamKind(f"no calendar for exam kind {kind!r}; known: {', '.join(known_kinds())}")
