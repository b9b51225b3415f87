"""The exam day (section D): :mod:`.services` — topics by the venue's clock, rosters, each participant's day, custody.

The pure rules are the kind's (``session.rules.examday``); this package is their database side."""
