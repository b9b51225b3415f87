"""The essay's blanks as printing and scanning see them (pure Python, no Django). The geometry of
every box is ``itog.blanks.geometry``; here is only what is the essay's choice."""

from __future__ import annotations

from datetime import date

# Criteria codes of the marks → box ids of the registration blank (itog.blanks.geometry).
BOX_OF: dict[str, str] = {"T1": "req1", "T2": "req2", "K1": "k1", "K2": "k2", "K3": "k3", "K4": "k4", "K5": "k5"}

# The session digit of a work code by the month of the session (п. 4.1: December, February, April).
_SESSION_INDEX = {12: 1, 2: 2, 4: 3}


def session_index(session_date: date) -> int:
    """The second digit of the work code's session part: 1 for December, 2 February, 3 April
    (a moved date in another month gets 4–8)."""
    return _SESSION_INDEX.get(session_date.month, 4 + session_date.month % 5)
