"""Locate the real seed documents (read-only) for tests and benchmarks.

They live in ``shared/seeds`` beside the repository; ``ITOG_SEEDS_DIR``
points elsewhere. A missing seed FAILS the test loudly (issue 13: no test skips
silently because a file outside the repository is absent). A developer without
the seeds may opt in to skipping with ``ITOG_ALLOW_MISSING_SEEDS=1`` — never
honoured in CI (``CI=true``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from itog.plans.seeds import seed_file, seeds_dir

REPO_ROOT = Path(__file__).resolve().parents[1]


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (e.g. "001")."""
    import os

    path = seed_file(prefix)
    if path is None:
        message = f"!!! SEED {prefix} NOT FOUND (looked in {seeds_dir()}; set ITOG_SEEDS_DIR) !!!"
        in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
        if in_ci or os.environ.get("ITOG_ALLOW_MISSING_SEEDS", "") != "1":
            pytest.fail(message)
        pytest.skip(message + " (ITOG_ALLOW_MISSING_SEEDS=1)")
    return path
