"""Checking (section E): :mod:`.services` — works, experts, marks, the second entry, delivery deadlines.

The pure rules are the kind's (``session.rules.checking``); this package is their database side."""
