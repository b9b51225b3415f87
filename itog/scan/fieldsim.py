"""Field-like test scans (issue #11): the real printed kits, filled in as people fill them in,
damaged as phones, fax machines and tired scanners damage them.  Separate from
:mod:`itog.scan.synth` (the scanner-like set) on purpose: recognition tuned on one
generator is measured on another.

Pure: no Django.  Every figure comes from a seeded ``numpy.random.Generator``.

1. **Render** — the participant's kit from :func:`itog.blanks.render.render_kits`,
   rasterised by pypdfium2 *in colour* at 100, 150, 200 or 300 dpi, on slightly
   tinted paper.
2. **Marks** (:data:`MARK_KINDS`) — drawn in colour with a supersampled pen:
   ``cross``, ``tick``, ``filled`` (the box scribbled over), ``digit``, ``faint``
   (a thin low-pressure tick), ``corrected`` (filled, then crossed out with an X
   running out of the box: must stay *ambiguous*), ``pencil`` (grey, grainy,
   low-contrast graphite: must be flagged «карандаш»).  Ink is black or blue-black.
3. **Damage** (:data:`DAMAGES`, one main damage per page, plus mild paper noise):
   ``clean``; ``photo`` (phone photo: up to 10° tilt, any keystone, table around the
   sheet, vignette, JPEG); ``shadow`` (a hand or phone shadow with a soft edge);
   ``light`` (uneven light: strong gradient and hot spot); ``fold`` (creases crossing
   boxes, one side shaded); ``stamp`` (a violet round stamp and a signature over the
   boxes); ``coffee`` (ring stains); ``speckle`` (dust, toner specks, hair);
   ``fax`` (dithered bitonal 200 dpi TIFF group 4); ``jpeg25``; ``dpi100``;
   ``cut_corner`` (a corner cut off, its fiducial lost); ``rotation`` (a quarter
   turn plus up to 3° skew).
4. **Output** — colour or grey (fax: bitonal), PNG / JPEG / TIFF G4 as the damage implies.

Truth per page (:class:`FieldPage`): the work code, page type and number, and every
scanned box's state (``marked`` / ``empty`` / ``ambiguous``) with the mark's kind;
``pencil`` lists the boxes written in pencil; ``obstructed`` lists empty boxes a stamp
or a signature stroke runs across (a person may be asked about those).
:func:`evaluate` scores results against it by the issue's goals.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from itog.blanks.geometry import EXPERT_ROWS, Box, layout

from . import synth

__all__ = ["DAMAGES", "MARK_KINDS", "FieldPage", "evaluate", "generate", "render_page", "write_field_scans"]

MM_PER_INCH = 25.4
SS = 4  # supersampling of the pen
MARK_KINDS = ("cross", "tick", "filled", "digit", "faint", "corrected", "pencil")
DAMAGES = (
    "clean",
    "photo",
    "shadow",
    "light",
    "fold",
    "stamp",
    "coffee",
    "speckle",
    "fax",
    "jpeg25",
    "dpi100",
    "cut_corner",
    "rotation",
)
_TRUTH = {
    "cross": "marked",
    "tick": "marked",
    "filled": "marked",
    "digit": "marked",
    "faint": "marked",
    "pencil": "marked",
    "corrected": "ambiguous",
}


@dataclass
class FieldPage:
    kind: str  # itog
    dpi: int
    damage: str
    color: str  # color | gray | bitonal
    work_code: str | None = None
    page_type: str | None = None
    page_number: int | None = None
    boxes: dict[str, str] = field(default_factory=dict)  # box id -> expected state
    marks: dict[str, str] = field(default_factory=dict)  # box id -> mark kind drawn
    pencil: list[str] = field(default_factory=list)
    obstructed: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    file: str = ""
    page: int = 1

    def to_json(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------
# Rendering


def render_page(pdf: bytes, index: int, dpi: int) -> np.ndarray:
    """One PDF page rasterised by pdfium in colour (BGR uint8)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[index].render(scale=dpi / 72.0)
        arr = np.array(bitmap.to_numpy(), dtype=np.uint8)
    finally:
        doc.close()
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = arr[:, :, :3]
    return np.ascontiguousarray(arr)


# ---------------------------------------------------------------------------
# Marks


def _mark_lines(kind: str, box: Box, rng: np.random.Generator) -> list[np.ndarray]:
    x, y, w, h = box.x, box.y, box.w, box.h
    cx, cy = x + w / 2 + rng.normal(0, 0.3), y + h / 2 + rng.normal(0, 0.3)
    if kind in ("cross", "pencil_cross"):
        half = w / 2 * rng.uniform(0.7, 1.1)
        j = lambda: rng.normal(0, 0.3, 2)
        return [
            synth._hand_line(rng, np.array([cx - half, cy - half]) + j(), np.array([cx + half, cy + half]) + j(), 0.6),
            synth._hand_line(rng, np.array([cx + half, cy - half]) + j(), np.array([cx - half, cy + half]) + j(), 0.6),
        ]
    if kind in ("tick", "faint"):
        s = rng.uniform(0.75, 1.05)
        p0 = np.array([cx - 0.32 * w * s, cy + 0.02 * h * s]) + rng.normal(0, 0.2, 2)
        p1 = np.array([cx - 0.08 * w * s, cy + 0.33 * h * s]) + rng.normal(0, 0.2, 2)
        p2 = np.array([cx + 0.42 * w * s, cy - 0.42 * h * s]) + rng.normal(0, 0.25, 2)
        return [np.vstack([synth._hand_line(rng, p0, p1, 0.2), synth._hand_line(rng, p1, p2, 0.5)[1:]])]
    if kind == "filled":
        # Zig-zag scribble covering the inside of the frame.
        lines = []
        n = int(rng.integers(7, 11))
        pts = []
        for i in range(n + 1):
            t = i / n
            yy = y + 0.7 + t * (h - 1.4) + rng.normal(0, 0.15)
            xa, xb = x + 0.6 + rng.uniform(0, 0.4), x + w - 0.6 - rng.uniform(0, 0.4)
            pts.append((xa, yy) if i % 2 == 0 else (xb, yy))
        lines.append(np.array(pts))
        return lines
    raise ValueError(kind)


def _stamp_strokes(
    canvas: np.ndarray, lines: list[np.ndarray], origin: tuple[float, float], ppm: float, width_mm: float
) -> None:
    thickness = max(int(round(width_mm * ppm * SS)), 1)
    for line in lines:
        pts = ((line - np.array(origin)) * ppm * SS - 0.5) * 16
        cv2.polylines(canvas, [np.round(pts).astype(np.int32)], False, 255, thickness, lineType=cv2.LINE_AA, shift=4)


def _blend_ink(img: np.ndarray, x0: int, y0: int, alpha: np.ndarray, colour: tuple[float, float, float]) -> None:
    """Multiply-blend ink of ``colour`` (BGR) with coverage ``alpha`` (0..1) at (x0, y0)."""
    bx, by, bw, bh = cv2.boundingRect((alpha > 0.002).astype(np.uint8))
    if bw == 0 or bh == 0:
        return
    alpha, x0, y0 = alpha[by : by + bh, bx : bx + bw], x0 + bx, y0 + by
    h, w = alpha.shape
    x1, y1 = min(x0 + w, img.shape[1]), min(y0 + h, img.shape[0])
    ax0, ay0 = max(-x0, 0), max(-y0, 0)
    x0, y0 = max(x0, 0), max(y0, 0)
    if x1 <= x0 or y1 <= y0:
        return
    a = alpha[ay0 : ay0 + (y1 - y0), ax0 : ax0 + (x1 - x0)][:, :, None]
    region = img[y0:y1, x0:x1].astype(np.float32)
    ink = np.array(colour, np.float32)[None, None, :]
    # Subtractive: the paper's colour times the ink's transmission.
    out = region * (1 - a + a * ink / 255.0)
    img[y0:y1, x0:x1] = np.clip(out, 0, 255).astype(np.uint8)


def _draw_lines(
    img: np.ndarray,
    lines: list[np.ndarray],
    ppm: float,
    width_mm: float,
    opacity: float,
    colour: tuple[float, float, float],
    rng: np.random.Generator,
    grain: float = 0.0,
    pad_mm: float = 4.0,
) -> None:
    allpts = np.vstack(lines)
    lo, hi = allpts.min(axis=0) - pad_mm, allpts.max(axis=0) + pad_mm
    x0, y0 = int(math.floor(lo[0] * ppm)), int(math.floor(lo[1] * ppm))
    x1, y1 = int(math.ceil(hi[0] * ppm)), int(math.ceil(hi[1] * ppm))
    canvas = np.zeros(((y1 - y0) * SS, (x1 - x0) * SS), np.uint8)
    _stamp_strokes(canvas, lines, (x0 / ppm, y0 / ppm), ppm, width_mm)
    alpha = canvas.astype(np.float32) / 255.0
    if grain > 0:  # graphite: a grainy, broken stroke
        noise = rng.uniform(1.0 - grain, 1.0, alpha.shape).astype(np.float32)
        noise = cv2.GaussianBlur(noise, (0, 0), 0.6 * SS)
        alpha *= np.clip(noise, 0, 1)
    alpha = cv2.resize(alpha, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA) * opacity
    _blend_ink(img, x0, y0, alpha, colour)


_BLACK_INKS = ((25, 22, 20), (60, 30, 25), (35, 35, 35), (70, 40, 30))  # BGR: black, blue-black gel


def draw_mark(
    img: np.ndarray, dpi: float, box: Box, kind: str, rng: np.random.Generator, digit: int | None = None
) -> None:
    ppm = dpi / MM_PER_INCH
    ink = _BLACK_INKS[int(rng.integers(len(_BLACK_INKS)))]
    if kind in ("cross", "tick"):
        _draw_lines(img, _mark_lines(kind, box, rng), ppm, rng.uniform(0.35, 0.7), rng.uniform(0.9, 1.0), ink, rng)
    elif kind == "filled":
        _draw_lines(img, _mark_lines("filled", box, rng), ppm, rng.uniform(0.9, 1.4), rng.uniform(0.9, 1.0), ink, rng)
    elif kind == "faint":  # a ballpoint barely pressed: thin and light, but ink
        _draw_lines(img, _mark_lines("tick", box, rng), ppm, rng.uniform(0.25, 0.35), rng.uniform(0.5, 0.7), ink, rng)
    elif kind == "pencil":
        grey = float(rng.uniform(95, 140))
        shape = "cross" if rng.random() < 0.6 else "tick"
        _draw_lines(
            img, _mark_lines(shape, box, rng), ppm, rng.uniform(0.4, 0.7), 1.0, (grey, grey, grey + 4), rng, grain=0.5
        )
    elif kind == "corrected":
        _draw_lines(img, _mark_lines("filled", box, rng), ppm, rng.uniform(0.9, 1.4), 0.95, ink, rng)
        over = rng.uniform(2.0, 3.0)
        lines = [
            synth._hand_line(rng, (box.x - over, box.y - over), (box.right + over, box.bottom + over), 0.5),
            synth._hand_line(rng, (box.right + over, box.y - over), (box.x - over, box.bottom + over), 0.5),
        ]
        _draw_lines(img, lines, ppm, rng.uniform(0.4, 0.7), 0.95, ink, rng)
    elif kind == "digit":
        gx0, gy0 = box.x + rng.uniform(0.9, 1.5), box.y + rng.uniform(0.8, 1.4)
        gw, gh = box.w - 2.4 + rng.uniform(-0.3, 0.3), box.h - 2.2 + rng.uniform(-0.4, 0.2)
        slant = rng.uniform(-0.15, 0.15)
        lines = []
        for poly in synth._DIGITS[int(digit or 0)]:
            pts = np.asarray(poly, float) + rng.normal(0, 0.025, (len(poly), 2))
            lines.append(np.stack([gx0 + (pts[:, 0] + slant * (0.5 - pts[:, 1])) * gw, gy0 + pts[:, 1] * gh], axis=1))
        _draw_lines(img, lines, ppm, rng.uniform(0.35, 0.6), rng.uniform(0.9, 1.0), ink, rng)
    else:
        raise ValueError(kind)


def plan(page_type: str, rng: np.random.Generator, hard_rate: float = 0.25) -> dict[str, tuple[str, int | None]]:
    """What was written on a page: box id → (mark kind, digit)."""
    lay = layout(page_type)
    out: dict[str, tuple[str, int | None]] = {}

    def digits(prefix: str, value: str) -> None:
        for i, ch in enumerate(value):
            if f"{prefix}.d{i}" in lay and ch != " ":
                out[f"{prefix}.d{i}"] = ("digit", int(ch))

    if rng.random() < 0.93:
        digits("topic", str(int(rng.integers(1, 14 if rng.random() < 0.7 else 40))))
    if page_type != "registration":
        return out
    r = rng.random()
    if r < 0.04:
        out["not_finished"] = (str(rng.choice(["cross", "tick"])), None)
    elif r < 0.07:
        out["removed"] = (str(rng.choice(["cross", "tick"])), None)
    count = int(rng.integers(1, 6))
    digits("blank_count", f"0{count}" if rng.random() < 0.6 else f" {count}")
    if rng.random() < 0.94:
        style = rng.choice(["cross", "tick", "filled"], p=[0.55, 0.3, 0.15])  # each expert has a habit
        for prefix, _caption, _bold in EXPERT_ROWS:
            ok = rng.random() < (0.9 if prefix.startswith("req") else 0.8)
            kind = str(style) if rng.random() < 0.9 else str(rng.choice(["cross", "tick"]))
            out[f"{prefix}.{'pass' if ok else 'fail'}"] = (kind, None)
        if rng.random() < hard_rate:
            prefix = EXPERT_ROWS[int(rng.integers(len(EXPERT_ROWS)))][0]
            variant = str(rng.choice(["faint", "corrected", "pencil", "pencil_all"], p=[0.35, 0.35, 0.2, 0.1]))
            marked = "pass" if f"{prefix}.pass" in out else "fail"
            other = "fail" if marked == "pass" else "pass"
            if variant == "faint":
                out[f"{prefix}.{marked}"] = ("faint", None)
            elif variant == "corrected":  # marked the wrong box, filled it, crossed it out, marked the other
                out[f"{prefix}.{marked}"] = ("corrected", None)
                out[f"{prefix}.{other}"] = (str(style) if style != "filled" else "cross", None)
            elif variant == "pencil":
                out[f"{prefix}.{marked}"] = ("pencil", None)
            else:  # the expert filled the whole table in pencil
                for key, (_kind, _d) in list(out.items()):
                    if key.split(".")[0] in {p for p, _c, _b in EXPERT_ROWS}:
                        out[key] = ("pencil", None)
    return out


# ---------------------------------------------------------------------------
# Damage on the upright page


def _soft_mask(shape: tuple[int, int], rng: np.random.Generator, edge_px: float) -> np.ndarray:
    """A half-plane with a soft edge crossing the page (1 inside), as float32."""
    h, w = shape
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    theta = rng.uniform(0, 2 * math.pi)
    px, py = rng.uniform(0.25, 0.75) * w, rng.uniform(0.25, 0.75) * h
    d = (xx - px) * math.cos(theta) + (yy - py) * math.sin(theta)
    # a wavy edge (a hand's shadow is not straight)
    d += 0.04 * max(h, w) * np.sin((xx * math.sin(theta) - yy * math.cos(theta)) / max(h, w) * rng.uniform(3, 8))
    m = 1.0 / (1.0 + np.exp(np.clip(-d / max(edge_px / 8, 1.0) * 4, -60, 60)))
    return cv2.resize(m.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def _multiply(img: np.ndarray, factor: np.ndarray) -> np.ndarray:
    f = np.clip(factor * 255.0, 0, 255).astype(np.uint8)
    if img.ndim == 3:
        f = cv2.merge([f, f, f])
    return cv2.multiply(img, f, scale=1.0 / 255.0)


def _shadow(img: np.ndarray, ppm: float, rng: np.random.Generator) -> dict:
    depth = float(rng.uniform(0.35, 0.6))
    edge = float(rng.uniform(6, 25)) * ppm
    m = _soft_mask(img.shape[:2], rng, edge)
    img[:] = _multiply(img, 1.0 - depth * m)
    return {"shadow_depth": round(depth, 2), "shadow_edge_mm": round(edge / ppm, 1)}


def _light(img: np.ndarray, ppm: float, rng: np.random.Generator) -> dict:
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    theta = rng.uniform(0, 2 * math.pi)
    ramp = (xx / w) * math.cos(theta) + (yy / h) * math.sin(theta)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    spot = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * (0.25 * max(h, w)) ** 2))
    gain = 1.0 - rng.uniform(0.3, 0.55) * ramp + 0.12 * spot
    img[:] = _multiply(img, cv2.resize(gain.astype(np.float32), (w, h)))
    return {"light": "gradient+spot"}


def _fold(img: np.ndarray, ppm: float, rng: np.random.Generator, boxes: list[Box]) -> tuple[dict, list[str]]:
    """Creases: thin grey lines with a bright edge, one side slightly shaded, passing over boxes."""
    h, w = img.shape[:2]
    n = int(rng.integers(1, 3))
    crossed = []
    for _ in range(n):
        target = boxes[int(rng.integers(len(boxes)))]
        cx, cy = (
            (target.x + target.w / 2 + rng.uniform(-2, 2)) * ppm,
            (target.y + target.h / 2 + rng.uniform(-2, 2)) * ppm,
        )
        horizontal = rng.random() < 0.6
        angle = math.radians(rng.uniform(-8, 8) + (0 if horizontal else 90))
        dx, dy = math.cos(angle) * 4 * max(h, w), math.sin(angle) * 4 * max(h, w)
        p0, p1 = (int(cx - dx), int(cy - dy)), (int(cx + dx), int(cy + dy))
        darkness = float(rng.uniform(0.1, 0.25))
        width = max(int(round(rng.uniform(0.2, 0.45) * ppm)), 1)
        line = np.zeros((h, w), np.uint8)
        cv2.line(line, p0, p1, 255, width, cv2.LINE_AA)
        bright = np.zeros((h, w), np.uint8)
        off = (int(round(math.sin(angle) * width * 1.5)), int(round(-math.cos(angle) * width * 1.5)))
        cv2.line(bright, (p0[0] + off[0], p0[1] + off[1]), (p1[0] + off[0], p1[1] + off[1]), 255, width, cv2.LINE_AA)
        # one side of the fold is slightly shaded
        side = np.zeros((h, w), np.float32)
        poly = np.array(
            [p0, p1, (p1[0] - off[0] * 4000, p1[1] - off[1] * 4000), (p0[0] - off[0] * 4000, p0[1] - off[1] * 4000)],
            np.int32,
        )
        cv2.fillPoly(side, [poly], 1.0)
        side = cv2.GaussianBlur(side, (0, 0), 3 * ppm)
        factor = (1.0 - darkness * line.astype(np.float32) / 255.0) * (1.0 - 0.08 * side)
        factor = np.maximum(factor, 0.0) + 0.06 * bright.astype(np.float32) / 255.0
        img[:] = _multiply(img, factor)
        for b in boxes:
            c = np.array([(b.x + b.w / 2) * ppm - cx, (b.y + b.h / 2) * ppm - cy])
            dist = abs(c[0] * math.sin(angle) - c[1] * math.cos(angle)) / ppm
            if dist < b.w / 2 + 0.5:
                crossed.append(b.id)
    return {"folds": n}, crossed


def _stamp(img: np.ndarray, ppm: float, rng: np.random.Generator, boxes: list[Box]) -> tuple[dict, list[str]]:
    """A violet round stamp and a black signature flourish, placed over the boxes' region."""
    h, w = img.shape[:2]
    target = boxes[int(rng.integers(len(boxes)))]
    cx = (target.x + target.w / 2 + rng.uniform(-18, 18)) * ppm
    cy = (target.y + target.h / 2 + rng.uniform(-18, 18)) * ppm
    r = rng.uniform(18, 21) * ppm
    alpha = np.zeros((h, w), np.float32)
    cv2.circle(alpha, (int(cx), int(cy)), int(r), 1.0, max(int(0.8 * ppm), 1), cv2.LINE_AA)
    cv2.circle(alpha, (int(cx), int(cy)), int(r * 0.72), 1.0, max(int(0.4 * ppm), 1), cv2.LINE_AA)
    for k in range(28):  # the ring text, as short blobs
        a = 2 * math.pi * k / 28
        rr = r * 0.86
        cv2.ellipse(
            alpha,
            (int(cx + rr * math.cos(a)), int(cy + rr * math.sin(a))),
            (max(int(1.1 * ppm), 1), max(int(0.5 * ppm), 1)),
            math.degrees(a) + 90,
            0,
            360,
            1.0,
            -1,
        )
    grain = rng.uniform(0.4, 1.0, (h // 4 + 1, w // 4 + 1)).astype(np.float32)
    grain = cv2.resize(grain, (w, h))
    alpha *= grain * float(rng.uniform(0.5, 0.85))
    colour = (float(rng.uniform(150, 200)), float(rng.uniform(60, 110)), float(rng.uniform(90, 140)))  # BGR violet
    _blend_ink(img, 0, 0, alpha, colour)
    hit = [b.id for b in boxes if math.hypot((b.x + b.w / 2) * ppm - cx, (b.y + b.h / 2) * ppm - cy) < r + b.w * ppm]
    # A signature: loops and a long flourish, black ink, near the stamp.
    sx, sy = cx / ppm + rng.uniform(-15, 5), cy / ppm + rng.uniform(-5, 5)
    t = np.linspace(0, 1, 60)
    loops = np.stack([sx + 30 * t + 2.5 * np.sin(t * 20), sy + 3 * np.cos(t * 20) - 4 * t], axis=1)
    tail = synth._hand_line(rng, loops[-1], loops[-1] + np.array([rng.uniform(10, 25), rng.uniform(-6, 6)]), 3)
    lines = [loops, tail]
    _draw_lines(img, lines, ppm, 0.45, 0.95, _BLACK_INKS[0], rng)
    for b in boxes:
        for line in lines:
            inside = (
                (line[:, 0] > b.x - 0.5)
                & (line[:, 0] < b.right + 0.5)
                & (line[:, 1] > b.y - 0.5)
                & (line[:, 1] < b.bottom + 0.5)
            )
            if inside.any():
                hit.append(b.id)
    return {"stamp_at_mm": [round(cx / ppm, 1), round(cy / ppm, 1)]}, hit


def _coffee(img: np.ndarray, ppm: float, rng: np.random.Generator, boxes: list[Box]) -> tuple[dict, list[str]]:
    h, w = img.shape[:2]
    hit = []
    for _ in range(int(rng.integers(1, 3))):
        target = boxes[int(rng.integers(len(boxes)))]
        cx = (target.x + rng.uniform(-30, 30)) * ppm
        cy = (target.y + rng.uniform(-30, 30)) * ppm
        r = rng.uniform(25, 40) * ppm
        fill = np.zeros((h, w), np.float32)
        cv2.circle(fill, (int(cx), int(cy)), int(r), 1.0, -1, cv2.LINE_AA)
        ring = np.zeros((h, w), np.float32)
        cv2.circle(ring, (int(cx), int(cy)), int(r), 1.0, max(int(1.2 * ppm), 1), cv2.LINE_AA)
        ring = cv2.GaussianBlur(ring, (0, 0), 0.6 * ppm)
        fill = cv2.GaussianBlur(fill, (0, 0), 1.5 * ppm)
        alpha = 0.12 * fill + 0.35 * ring
        _blend_ink(img, 0, 0, alpha, (90, 140, 175))  # BGR brown
        hit += [
            b.id
            for b in boxes
            if abs(math.hypot((b.x + b.w / 2) * ppm - cx, (b.y + b.h / 2) * ppm - cy) - r) < (b.w / 2 + 1.5) * ppm
        ]
    return {"stains": True}, hit


def _speckle(img: np.ndarray, ppm: float, rng: np.random.Generator) -> dict:
    h, w = img.shape[:2]
    n = int(rng.integers(150, 600))
    for _ in range(n):
        rad = int(rng.integers(0, max(int(0.15 * ppm), 1) + 1))
        v = int(rng.uniform(20, 140))
        cv2.circle(img, (int(rng.integers(0, w)), int(rng.integers(0, h))), rad, (v, v, v), -1)
    for _ in range(int(rng.integers(1, 4))):  # a hair
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        pts = [(x, y)]
        a = rng.uniform(0, 2 * math.pi)
        for _k in range(12):
            a += rng.normal(0, 0.3)
            x, y = x + math.cos(a) * 2 * ppm, y + math.sin(a) * 2 * ppm
            pts.append((x, y))
        cv2.polylines(img, [np.array(pts, np.int32)], False, (70, 70, 70), 1, cv2.LINE_AA)
    return {"specks": n}


def _perspective(
    img: np.ndarray,
    ppm: float,
    rng: np.random.Generator,
    tilt: float,
    keystone: float,
    background: tuple[int, int, int],
) -> tuple[np.ndarray, dict]:
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    # keystone: one side shorter (camera not parallel to the sheet); tilt: rotation in the image plane
    k = keystone
    side = int(rng.integers(4))
    dst = src.copy()
    if side == 0:
        dst[0, 0] += k * w
        dst[1, 0] -= k * w
    elif side == 1:
        dst[3, 0] += k * w
        dst[2, 0] -= k * w
    elif side == 2:
        dst[0, 1] += k * h
        dst[3, 1] -= k * h
    else:
        dst[1, 1] += k * h
        dst[2, 1] -= k * h
    dst += rng.normal(0, 0.01, dst.shape).astype(np.float32) * np.float32([w, h])
    a = math.radians(tilt)
    c = dst.mean(axis=0)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    dst = (dst - c) @ rot.T + c
    # camera distance: the page ends up 75–100 % of its rendered size
    s = rng.uniform(0.75, 1.0)
    dst = (dst - c) * s + c
    margin = rng.uniform(0.03, 0.1) * max(h, w)
    dst -= dst.min(axis=0) - margin
    size = (int(dst[:, 0].max() + margin), int(dst[:, 1].max() + margin))
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    out = cv2.warpPerspective(
        img,
        m,
        size,
        flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=background,
    )
    return out, {"tilt_deg": round(tilt, 2), "keystone": round(k, 3), "scale": round(s, 3)}


def _vignette(img: np.ndarray, rng: np.random.Generator) -> None:
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    d = np.hypot((xx - cx) / w, (yy - cy) / h)
    gain = 1.0 - rng.uniform(0.2, 0.4) * np.clip(d / 0.7, 0, 1) ** 2
    img[:] = _multiply(img, cv2.resize(gain.astype(np.float32), (w, h)))


def _noise(img: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    if sigma <= 0.05:
        return img
    grain = np.empty(img.shape[:2], np.int16)
    cv2.setRNGSeed(int(rng.integers(2**31)))
    cv2.randn(grain, 0.0, sigma)
    if img.ndim == 3:
        grain = cv2.merge([grain, grain, grain])
    return cv2.add(img, grain, dtype=cv2.CV_8U)


def _rotate(img: np.ndarray, quarter: int, skew: float, background) -> np.ndarray:
    if quarter:
        img = np.ascontiguousarray(np.rot90(img, quarter))
    if abs(skew) > 0.01:
        h, w = img.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        nw, nh = int(h * sin + w * cos) + 4, int(h * cos + w * sin) + 4
        m[0, 2] += nw / 2 - w / 2
        m[1, 2] += nh / 2 - h / 2
        img = cv2.warpAffine(
            img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=background
        )
    return img


def _cut_corner(img: np.ndarray, ppm: float, rng: np.random.Generator) -> dict:
    h, w = img.shape[:2]
    corner = int(rng.integers(4))
    if corner == 3:  # keep the 2D code's corner (top right): it is never the one cut here
        corner = 2
    cut = rng.uniform(22, 32) * ppm  # the fiducial's far edge is at 15 mm from both sides
    pts = {
        0: [(0, 0), (cut, 0), (0, cut)],
        1: [(0, h), (cut, h), (0, h - cut)],
        2: [(w, h), (w - cut, h), (w, h - cut)],
    }[corner]
    cv2.fillPoly(img, [np.array(pts, np.int32)], (255, 255, 255) if img.ndim == 3 else 255)
    return {"cut": ["top-left", "bottom-left", "bottom-right"][corner]}


# ---------------------------------------------------------------------------
# Encoding


def _encode(img: np.ndarray, fmt: str, quality: int = 85, dpi: int = 200) -> bytes:
    if fmt == "jpeg":
        ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
        return data.tobytes()
    if fmt == "png":
        ok, data = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        return data.tobytes()
    if fmt == "g4":
        from PIL import Image

        buf = io.BytesIO()
        Image.fromarray(img).convert("1").save(buf, format="TIFF", compression="group4", dpi=(dpi, dpi))
        return buf.getvalue()
    raise ValueError(fmt)


def _bitonal(gray: np.ndarray) -> np.ndarray:
    """A fax machine: auto-level (paper to white), then Floyd–Steinberg dithering."""
    from PIL import Image

    white = float(np.percentile(gray, 90))
    levelled = np.clip(gray.astype(np.float32) * (255.0 / max(white, 1.0)), 0, 255).astype(np.uint8)
    # a little contrast, as fax machines have (paper stays white, ink black)
    lut = np.clip((np.arange(256) - 40) * 255.0 / 190.0, 0, 255).astype(np.uint8)
    out = Image.fromarray(cv2.LUT(levelled, lut)).convert("1")  # Floyd–Steinberg
    return np.asarray(out.convert("L"), np.uint8)


# ---------------------------------------------------------------------------
# A page


def make_page(
    pdf: bytes, index: int, page_type: str, rng: np.random.Generator, damage: str, hard_rate: float = 0.25
) -> tuple[bytes, str, FieldPage]:
    """One damaged page: (file bytes, extension, truth)."""
    dpi = (
        int(rng.choice([150, 200, 200, 300]))
        if damage not in ("dpi100", "fax")
        else (100 if damage == "dpi100" else 200)
    )
    if damage == "photo":
        dpi = int(rng.choice([200, 250, 300]))
    img = render_page(pdf, index, dpi)
    ppm = dpi / MM_PER_INCH
    tint = (float(rng.uniform(0.93, 1.0)), float(rng.uniform(0.95, 1.0)), float(rng.uniform(0.96, 1.0)), 0.0)
    img = cv2.multiply(img, tint)
    marks = plan(page_type, rng, hard_rate)
    lay = layout(page_type)
    for box_id, (kind, digit) in marks.items():
        draw_mark(img, dpi, lay.box(box_id), kind, rng, digit)
    from .recognize import scanned_boxes

    boxes = scanned_boxes(page_type)
    truth = {b.id: (_TRUTH[marks[b.id][0]] if b.id in marks else "empty") for b in boxes}
    page = FieldPage(
        kind="itog",
        dpi=dpi,
        damage=damage,
        color="color",
        page_type=page_type,
        boxes=truth,
        marks={k: v[0] for k, v in marks.items()},
        pencil=sorted(k for k, v in marks.items() if v[0] == "pencil"),
    )
    params: dict = {}
    obstructed: list[str] = []
    background = (int(rng.uniform(40, 120)), int(rng.uniform(60, 130)), int(rng.uniform(80, 160)))
    if damage == "shadow":
        params.update(_shadow(img, ppm, rng))
    elif damage == "light":
        params.update(_light(img, ppm, rng))
    elif damage == "fold":
        p, obstructed = _fold(img, ppm, rng, boxes)
        params.update(p)
    elif damage == "stamp":
        p, obstructed = _stamp(img, ppm, rng, boxes)
        params.update(p)
    elif damage == "coffee":
        p, obstructed = _coffee(img, ppm, rng, boxes)
        params.update(p)
    elif damage == "speckle":
        params.update(_speckle(img, ppm, rng))
    elif damage == "cut_corner":
        params.update(_cut_corner(img, ppm, rng))
    fmt, quality = ("png", 0) if rng.random() < 0.5 else ("jpeg", int(rng.integers(70, 95)))
    if damage == "photo":
        img, p = _perspective(img, ppm, rng, float(rng.uniform(-10, 10)), float(rng.uniform(0.0, 0.08)), background)
        params.update(p)
        _vignette(img, rng)
        if rng.random() < 0.5:
            params.update(_shadow(img, ppm, rng))
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.3, 0.9)))
        img = _noise(img, float(rng.uniform(2, 6)), rng)
        fmt, quality = "jpeg", int(rng.integers(60, 90))
    elif damage == "rotation":
        quarter, skew = int(rng.integers(1, 4)), float(rng.uniform(-3, 3))
        img = _rotate(img, quarter, skew, (255, 255, 255))
        params.update({"quarter_turns": quarter, "skew_deg": round(skew, 2)})
    else:
        skew = float(rng.uniform(-1.5, 1.5))
        img = _rotate(img, 0, skew, (255, 255, 255))
        params["skew_deg"] = round(skew, 2)
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.2, 0.7)))
        img = _noise(img, float(rng.uniform(0, 3)), rng)
    colour = "color" if rng.random() < 0.5 or damage == "photo" else "gray"
    if colour == "gray" or damage == "fax":
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    if damage == "fax":
        img = _bitonal(img)
        colour, fmt = "bitonal", "g4"
    elif damage == "jpeg25":
        fmt, quality = "jpeg", 25
    elif damage == "dpi100" and fmt == "jpeg":
        quality = int(rng.integers(60, 85))
    page.color = colour
    page.obstructed = sorted(set(b for b in obstructed if truth.get(b) == "empty"))
    params.update({"format": fmt, **({"jpeg_quality": quality} if fmt == "jpeg" else {})})
    page.params = params
    ext = {"png": "png", "jpeg": "jpg", "g4": "tif"}[fmt]
    return _encode(img, fmt, quality, dpi), ext, page


def generate(
    participants: Iterable,
    count: int,
    seed: int,
    damages: Iterable[str] = DAMAGES,
    answer_rate: float = 0.15,
    hard_rate: float = 0.25,
) -> Iterator[tuple[bytes, str, FieldPage]]:
    """``count`` pages, the damages taken in turn (so every damage is equally represented);
    mostly registration pages (the ones with boxes), some answer pages."""
    rng = np.random.default_rng([seed, 11])
    damages = list(damages)
    people = list(participants)
    made = 0
    while made < count:
        for p in people:
            if made >= count:
                return
            pdf = synth._render_kit(p, False)
            if rng.random() < answer_rate:
                index, page_type, number = 1, "answer", 1
            else:
                index, page_type, number = 0, "registration", 1
            damage = damages[made % len(damages)]
            data, ext, page = make_page(pdf, index, page_type, rng, damage, hard_rate)
            page.work_code, page.page_number = p.code, number
            made += 1
            yield data, ext, page


def write_field_scans(out_dir, count: int, seed: int, damages: Iterable[str] = DAMAGES, **kwargs) -> dict:
    """Write a field-like set (``fld-NNNN-<damage>.<ext>``) and ``truth.json``; returns the truth."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    people = synth.fake_participants(count + 1, seed=seed, region=23, session=61)
    truth = []
    for i, (data, ext, page) in enumerate(generate(people, count, seed, damages, **kwargs)):
        name = f"fld-{i:04d}-{page.damage}.{ext}"
        (out / name).write_bytes(data)
        page.file, page.page = name, 1
        truth.append(page.to_json())
    doc = {"format": "itog-field-scans", "version": 1, "seed": seed, "count": len(truth), "pages": truth}
    (out / "truth.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return doc


# ---------------------------------------------------------------------------
# Scoring by the goals

PENCIL_WORD = "карандаш"
MIN_CONFIDENCE = 0.8  # reconcile.MIN_CONFIDENCE: below it a box goes to a person


def evaluate(truth: Iterable[dict], results: Iterable[dict]) -> dict:
    """Per page and per damage: work codes, definite boxes read without a person (right state,
    confidence ≥ 0.8, not pencil), silent errors (a wrong state given as marked/empty with
    confidence ≥ 0.8 — pencil boxes included), pencil flagged, corrected marks kept ambiguous,
    faint ticks never read as confidently empty, registration pages needing nobody."""
    got = {(r["file"], int(r["page"])): r for r in results}
    total = _blank_score()
    per: dict[str, dict] = {}
    for t in truth:
        s = per.setdefault(t["damage"], _blank_score())
        r = got.get((t["file"], int(t["page"])))
        for sc in (s, total):
            _score_page(sc, t, r)
    for sc in [total, *per.values()]:
        sc["definite_auto_share"] = sc["definite_auto"] / sc["definite"] if sc["definite"] else 1.0
        sc["reg_auto_share"] = sc["reg_clean_auto"] / sc["reg_clean"] if sc["reg_clean"] else 1.0
    total["per_damage"] = per
    return total


def _blank_score() -> dict:
    return dict(
        pages=0,
        missing=0,
        code_right=0,
        code_wrong=0,
        code_none=0,
        definite=0,
        definite_auto=0,
        definite_ambiguous=0,
        silent=0,
        pencil_boxes=0,
        pencil_flagged=0,
        pencil_pages=0,
        pencil_pages_flagged=0,
        corrected=0,
        corrected_ambiguous=0,
        faint=0,
        faint_empty_sure=0,
        reg_clean=0,
        reg_clean_auto=0,
        reg_all=0,
        reg_all_auto=0,
        reg_with_faint=0,
        reg_with_faint_auto=0,
        review_pages=0,
        obstructed=0,
        obstructed_auto=0,
        errors=[],
    )


def _score_page(s: dict, t: dict, r: dict | None) -> None:
    s["pages"] += 1
    if r is None:
        s["missing"] += 1
        return
    code = r.get("work_code")
    if code == t["work_code"]:
        s["code_right"] += 1
    elif code:
        s["code_wrong"] += 1
        s["errors"].append((t["file"], "code", t["work_code"], code))
    else:
        s["code_none"] += 1
    flagged = r.get("status") == "flagged"
    s["review_pages"] += int(flagged)
    pencil_reason = any(PENCIL_WORD in reason for reason in r.get("reasons") or [])
    boxes = r.get("boxes") or {}
    needs_person = flagged or any(float(b.get("confidence", 0.0)) < MIN_CONFIDENCE for b in boxes.values())
    # pages a person must see by design: pencil, a corrected mark, a faint tick (flagged, never guessed)
    hard = bool(t["pencil"]) or any(v == "ambiguous" for v in t["boxes"].values()) or "faint" in t["marks"].values()
    if t["pencil"]:
        s["pencil_pages"] += 1
        s["pencil_pages_flagged"] += int(pencil_reason)
    for box_id, expected in t["boxes"].items():
        got = boxes.get(box_id) or {}
        state, conf = got.get("state"), float(got.get("confidence", 0.0))
        sure = state in ("marked", "empty") and conf >= MIN_CONFIDENCE
        kind = t["marks"].get(box_id, "none")
        if sure and state != expected and not (kind == "pencil" and pencil_reason):
            s["silent"] += 1
            s["errors"].append((t["file"], box_id, kind, expected, state, round(conf, 3), t["damage"]))
        if kind == "pencil":
            s["pencil_boxes"] += 1
            s["pencil_flagged"] += int(pencil_reason)
            continue
        if expected == "ambiguous":
            s["corrected"] += 1
            s["corrected_ambiguous"] += int(state == "ambiguous")
            continue
        if kind == "faint":
            s["faint"] += 1
            s["faint_empty_sure"] += int(state == "empty" and conf >= 0.999)
        if box_id in t.get("obstructed", []):
            s["obstructed"] += 1
            s["obstructed_auto"] += int(sure and state == expected)
        s["definite"] += 1
        if sure and state == expected:
            s["definite_auto"] += 1
        elif state == "ambiguous" or not sure:
            s["definite_ambiguous"] += 1
    auto_page = int(not needs_person and code == t["work_code"])
    if t["page_type"] == "registration" and not hard:
        s["reg_clean"] += 1
        s["reg_clean_auto"] += auto_page
    if t["page_type"] == "registration":
        s["reg_all"] += 1
        s["reg_all_auto"] += auto_page
        if not t["pencil"] and "ambiguous" not in t["boxes"].values():
            s["reg_with_faint"] += 1
            s["reg_with_faint_auto"] += auto_page
