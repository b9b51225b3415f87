"""Checking, the pure part shared by the kinds: :mod:`.assignment` — works → experts (never the own
school, balanced per day, an expert leaving). The criteria and their aggregation are the kind's
(``session.rules.checking``); the database side is ``itog.conduct.checking``."""
