"""Where the real seed documents are: ``ITOG_SEEDS_DIR``, else ``shared/seeds`` beside the
repository (found from the working directory or from this package)."""

from __future__ import annotations

import os
from pathlib import Path

SEED_PLANS = {
    "000": "План-график итогового сочинения (изложения), Республика Калмыкия, декабрь 2023",
    "001": "Дорожная карта ГИА-2024, Республика Калмыкия",
    "002": "План-график итогового собеседования, Томская область, февраль 2024",
    "004": "Дорожная карта ГИА-2021, Кузбасс",
}


def seeds_dir() -> Path | None:
    env = os.environ.get("ITOG_SEEDS_DIR")
    if env:
        return Path(env)
    candidates = [Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parents[2]]
    for base in candidates:
        for path in (base / "shared" / "seeds", base.parent / "shared" / "seeds"):
            if path.is_dir():
                return path.resolve()
    return None


def seed_file(prefix: str) -> Path | None:
    directory = seeds_dir()
    if directory is None or not directory.is_dir():
        return None
    matches = sorted(directory.glob(f"{prefix}_*"))
    return matches[0] if matches else None
