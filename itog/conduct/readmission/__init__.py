"""Re-admission to an additional date (п. 10): :mod:`.services`.

The pure rules are the kind's (``session.rules.readmission``); this package is their database side."""
