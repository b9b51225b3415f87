"""Rendered kit pages for the scanning tests (cached per dpi: rendering is the slow part)."""

from __future__ import annotations

import functools
import io

import numpy as np

from itog.blanks import codes
from itog.blanks.render import KitParticipant, render_kits
from itog.scan import synth

CODE = codes.make_code(23, 61, 4242)


def participant(code: str = CODE) -> KitParticipant:
    return KitParticipant(
        work_code=code,
        last_name="Щербакова",
        first_name="Анна",
        middle_name="Ильинична",
        school_name="МБОУ СОШ № 5",
        class_name="11Б",
        venue_name="МБОУ СОШ № 5",
        room_number="12",
        session_date="03.12.2025",
    )


@functools.lru_cache(maxsize=8)
def _kit(dpi: int, code: str) -> tuple[np.ndarray, ...]:
    buf = io.BytesIO()
    render_kits([participant(code)], buf)
    return tuple(synth.rasterize_pdf(buf.getvalue(), dpi))


def kit_page(page_type: str = "registration", dpi: int = 200, code: str = CODE) -> np.ndarray:
    """A clean upright page: registration (index 0) or the first answer page."""
    return _kit(dpi, code)[0 if page_type == "registration" else 1].copy()


# A fully filled registration page: the expert passed everything except К3, the
# commission wrote 2 writing sheets, the participant topic 7.
FILLED = {
    "topic.d0": synth.MarkSpec("digit", "marked", 7),
    "blank_count.d0": synth.MarkSpec("digit", "marked", 0),
    "blank_count.d1": synth.MarkSpec("digit", "marked", 2),
    "req1.pass": synth.MarkSpec("cross", "marked"),
    "req2.pass": synth.MarkSpec("tick", "marked"),
    "k1.pass": synth.MarkSpec("cross", "marked"),
    "k2.pass": synth.MarkSpec("cross", "marked"),
    "k3.fail": synth.MarkSpec("cross", "marked"),
    "k4.pass": synth.MarkSpec("tick", "marked"),
    "k5.pass": synth.MarkSpec("cross", "marked"),
    "overall.pass": synth.MarkSpec("cross", "marked"),
}


def marked_page(
    marks: dict | None = None, dpi: int = 200, seed: int = 1, page_type: str = "registration", **distortion
) -> tuple[np.ndarray, dict[str, str]]:
    """A page with hand marks and (if any keyword is given, or ``distort=True``) scanner
    distortions; returns the image and the expected box states."""
    marks = FILLED if marks is None else marks
    rng = np.random.default_rng(seed)
    img = synth.draw_marks(kit_page(page_type, dpi), dpi, page_type, marks, rng)
    if distortion.pop("distort", False) or distortion:
        img, _params = synth.distort(img, dpi, rng, **distortion)
    return img, synth.truth_states(page_type, marks)


def states(result) -> dict[str, str]:
    return {box_id: box.state for box_id, box in result.boxes.items()}
