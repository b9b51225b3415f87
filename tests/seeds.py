"""Locate the real seed documents (read-only) for tests and benchmarks.

The seeds live in ``/work/shared/seeds`` next to the repository; set
``ITOG_SEEDS_DIR`` to point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def seeds_dir() -> Path:
    env = os.environ.get("ITOG_SEEDS_DIR")
    if env:
        return Path(env)
    return (REPO_ROOT / ".." / "shared" / "seeds").resolve()


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (e.g. "001");
    skips the test when the seeds are not available."""
    directory = seeds_dir()
    matches = sorted(directory.glob(f"{prefix}_*")) if directory.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not found in {directory}")
    return matches[0]
