"""Registry of exam rules: one pure-Python module per exam kind, all with the same interface
(:class:`itog.exams.rules.base.ExamRules`).

    >>> rules = get_rules("essay")
    >>> [s.date.isoformat() for s in rules.session_dates("2023/24")]
    ['2023-12-06', '2024-02-07', '2024-04-10']

A new kind (the final interview, ОГЭ, ЕГЭ) adds its module and one line to ``_MODULES`` —
or calls :func:`register` — and everything that asks ``get_rules(kind)`` works with it.
Modules are imported on first use.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["UnknownExamKind", "get_rules", "known_kinds", "register"]

# exam kind (the values of ``itog.exams.models.ExamKind``) -> dotted path of its rules module
_MODULES: dict[str, str] = {
    "essay": "itog.exams.rules.essay",
}


class UnknownExamKind(LookupError):
    pass


def register(kind: str, module_path: str) -> None:
    """Register (or replace) the rules module of an exam kind."""
    _MODULES[kind] = module_path


def known_kinds() -> list[str]:
    return sorted(_MODULES)


def get_rules(kind: str) -> ModuleType:
    """The rules module of an exam kind ("essay", …)."""
    try:
        path = _MODULES[str(kind)]
    except KeyError:
        raise UnknownExamKind(f"no rules for exam kind {kind!r}; known: {', '.join(known_kinds())}") from None
    return importlib.import_module(path)
