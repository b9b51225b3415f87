"""Results (п. 9.2, 11): :mod:`.services` — processing, publication, visibility, the lookup; :mod:`.lookup` — its rate limits.

The pure rules are the kind's (``session.rules.results``); this package is their database side."""
