"""Storage and destruction (section I): :mod:`.services`.

The pure rules are the kind's (``session.rules.retention``); this package is their database side."""
