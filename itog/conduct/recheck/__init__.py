"""Re-check and перепроверка (section F): :mod:`.services`.

The pure rules are the kind's (``session.rules.recheck``); this package is their database side."""
