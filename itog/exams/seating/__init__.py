"""Seating on D−1 (п. 7.11.1): :mod:`.rules` (pure: rooms, seeded reproducible order, explained
failures) and :mod:`.services` (the database side and the venues' readiness by the kind's rules)."""
