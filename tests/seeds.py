"""Locate the real seed documents (read-only) for tests and benchmarks.

They live in ``shared/seeds`` beside the repository; ``ITOG_SEEDS_DIR``
points elsewhere. Missing seeds skip a test loudly on a developer machine
and fail it in CI.
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
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return path
