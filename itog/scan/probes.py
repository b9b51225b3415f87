"""Hostile-scan probes: damaged pages made independently of :mod:`itog.scan.synth` and
:mod:`itog.scan.fieldsim` (own pen, own distortions, own parameters — harsher than either
generator's defaults), for the rule «correct, or flagged for a person; never silently wrong».

Pure (no Django); every figure comes from a seeded ``numpy.random.Generator``.  A *case* is one
file (its bytes and name) with the truth of each of its pages; :data:`PROBES` maps a probe name to
a function ``(rng, kit) -> list[Case]``.  :func:`judge` scores recognition results against the
truth:

``correct``  the page says what the paper says (code, type, number, every box) and is not flagged
             (or is expected to be flagged and is);
``flagged``  the page carries a reason for a person and no wrong code;
``silent``   a wrong work code, or a box read *sure* (marked/empty, confidence ≥ 0.8, no note) and
             different from the paper — on any page, flagged or not (a flagged page's question is
             about its reasons; a sure box elsewhere on it would not be looked at).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from itog.blanks.geometry import EXPERT_ROWS, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, layout

__all__ = ["Case", "Kit", "PROBES", "PageTruth", "judge", "make_kit"]

MM_PER_INCH = 25.4
SURE = 0.8  # the reconciliation's MIN_CONFIDENCE: a box read at least this sure is not looked at


@dataclass
class PageTruth:
    work_code: str | None
    page_type: str | None = None
    page_number: int | None = None
    boxes: dict[str, str] = field(default_factory=dict)  # box id -> marked | empty | ambiguous
    must_flag: bool = False  # blank, foreign, half a page, truncated …
    loose: tuple[str, ...] = ()  # boxes whose sure reading either way is acceptable (e.g. a tick beside)


@dataclass
class Case:
    probe: str
    name: str  # file name
    data: bytes
    pages: list[PageTruth]


@dataclass
class Kit:
    """The rendered kit of one participant: the PDF and colour rasters by dpi (cached)."""

    pdf: bytes
    work_code: str
    _cache: dict = field(default_factory=dict)

    def page(self, index: int, dpi: int) -> np.ndarray:
        key = (index, dpi)
        if key not in self._cache:
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(self.pdf)
            try:
                arr = np.array(doc[index].render(scale=dpi / 72.0).to_numpy(), np.uint8)
            finally:
                doc.close()
            self._cache[key] = np.ascontiguousarray(arr[:, :, :3])
        return self._cache[key].copy()


def make_kit(work_code: str) -> Kit:
    from itog.blanks.render import KitParticipant, render_kits

    buf = io.BytesIO()
    p = KitParticipant(
        work_code=work_code,
        last_name="Ёлкина-Оглы",
        first_name="Зульфия",
        middle_name="",
        school_name="МКОУ «Улан-Хольская СОШ»",
        class_name="11",
        venue_name="МКОУ «Улан-Хольская СОШ»",
        room_number="3",
        session_date="04.12.2025",
    )
    render_kits([p], buf)
    return Kit(buf.getvalue(), work_code)


# ---------------------------------------------------------------------------
# The pen (own drawing: straight cv2 strokes, round caps, any colour)

BLACK = (25, 25, 25)
BLUE_PEN = (150, 60, 20)  # BGR: a blue ballpoint
PENCIL = (120, 120, 120)
RED_PEN = (40, 40, 200)
VIOLET_PEN = (150, 40, 110)
LIGHT_GEL = (210, 130, 50)  # a light-blue gel pen
GREEN_PEN = (60, 140, 30)


def _mm_poly(img: np.ndarray, ppm: float, pts_mm, colour, width_mm: float) -> None:
    pts = np.round(np.asarray(pts_mm, float) * ppm * 16).astype(np.int32)
    thickness = max(int(round(width_mm * ppm)), 1)
    cv2.polylines(img, [pts], False, colour, thickness, cv2.LINE_AA, shift=4)


def pen(img: np.ndarray, dpi: int, page_type: str, box_id: str, kind: str, rng, colour=BLACK, width=0.5) -> None:
    """Draw one mark: ``cross``, ``tick``, ``fill``, ``digit``, ``crossed_out`` (filled, then a big X
    running out of the box), ``beside`` (a tick next to the box, not in it), ``faint`` (thin, light)."""
    ppm = dpi / MM_PER_INCH
    b = layout(page_type).box(box_id)
    cx, cy = b.x + b.w / 2 + rng.uniform(-0.4, 0.4), b.y + b.h / 2 + rng.uniform(-0.4, 0.4)
    half = b.w * rng.uniform(0.32, 0.42)
    if kind == "cross":
        _mm_poly(img, ppm, [(cx - half, cy - half), (cx + half, cy + half)], colour, width)
        _mm_poly(img, ppm, [(cx + half, cy - half * 1.05), (cx - half * 0.95, cy + half)], colour, width)
    elif kind in ("tick", "faint"):
        pts = [(cx - half, cy), (cx - half * 0.2, cy + half), (cx + half * 1.1, cy - half * 1.1)]
        if kind == "faint":
            _mm_poly(img, ppm, pts, (165, 165, 165), 0.25)
        else:
            _mm_poly(img, ppm, pts, colour, width)
    elif kind in ("fill", "crossed_out"):
        for i, t in enumerate(np.linspace(-half, half, 9)):
            _mm_poly(img, ppm, [(cx - half, cy + t), (cx + half, cy + t + (0.4 if i % 2 else -0.4))], colour, 0.7)
        if kind == "crossed_out":
            over = b.w * 0.85
            _mm_poly(img, ppm, [(cx - over, cy - over), (cx + over, cy + over)], colour, width)
            _mm_poly(img, ppm, [(cx + over, cy - over), (cx - over, cy + over)], colour, width)
    elif kind == "struck":
        # a cross, then struck out with one line running well out of both sides of the box
        _mm_poly(img, ppm, [(cx - half, cy - half), (cx + half, cy + half)], colour, width)
        _mm_poly(img, ppm, [(cx + half, cy - half), (cx - half, cy + half)], colour, width)
        _mm_poly(img, ppm, [(b.x - 4, cy + 0.3), (b.right + 4, cy - 0.3)], colour, width)
    elif kind == "on_frame":
        # a tick drawn across the frame line: its foot outside the box, its long arm inside
        pts = [(b.x - 2.0, cy + 0.5), (b.x + 1.0, b.bottom - 1.0), (b.right - 1.0, b.y + 1.0)]
        _mm_poly(img, ppm, pts, colour, width)
    elif kind == "circled":
        # the box circled instead of crossed: an ellipse around it, 1–2.5 mm outside the frame
        t = np.linspace(0, 2 * math.pi * 1.05, 60)
        rx, ry = b.w / 2 + rng.uniform(1.0, 2.5), b.h / 2 + rng.uniform(1.0, 2.5)
        _mm_poly(img, ppm, np.stack([b.x + b.w / 2 + rx * np.cos(t), b.y + b.h / 2 + ry * np.sin(t)], 1), colour, width)
    elif kind == "dot":
        r = rng.uniform(0.5, 0.8)
        t = np.linspace(0, 2 * math.pi, 16)
        for k in (1.0, 0.6, 0.3):
            _mm_poly(img, ppm, np.stack([cx + k * r * np.cos(t), cy + k * r * np.sin(t)], 1), colour, 0.4)
    elif kind == "small_tick":
        s = rng.uniform(1.2, 1.8)
        _mm_poly(img, ppm, [(cx - s, cy), (cx - s * 0.3, cy + s), (cx + s, cy - s)], colour, width)
    elif kind == "ring":
        t = np.linspace(0, 2 * math.pi, 40)
        _mm_poly(img, ppm, np.stack([cx + half * np.cos(t), cy + half * np.sin(t)], 1), colour, width)
    elif kind == "beside":
        x = b.right + 2.5 if box_id.endswith(".pass") else b.x - 2.5 - b.w * 0.8
        pts = [(x, cy), (x + 1.5, cy + 2.0), (x + 4.5, cy - 2.5)]
        _mm_poly(img, ppm, pts, colour, width)
    elif kind == "digit":
        w, h = b.w * 0.55, b.h * 0.6
        x0, y0 = cx - w / 2, cy - h / 2
        # a «4»-like glyph: three strokes
        _mm_poly(img, ppm, [(x0 + w * 0.7, y0 + h), (x0 + w * 0.7, y0)], colour, width)
        _mm_poly(img, ppm, [(x0 + w * 0.7, y0), (x0, y0 + h * 0.65), (x0 + w, y0 + h * 0.65)], colour, width)
    else:
        raise ValueError(kind)


def fill_registration(img: np.ndarray, dpi: int, rng, colour=BLACK, extra: dict | None = None) -> dict[str, str]:
    """A registration page filled in: one decision per expert row (random side, cross or tick),
    the topic and the sheet count; ``extra`` = {box id: kind} drawn on top (and its truth)."""
    truth = {b.id: "empty" for b in layout("registration").of_kind("mark", "digit")}
    extra = extra or {}
    for prefix, _caption, _bold in EXPERT_ROWS:
        if any(k.startswith(prefix + ".") for k in extra):
            continue
        side = "pass" if rng.random() < 0.7 else "fail"
        pen(img, dpi, "registration", f"{prefix}.{side}", "cross" if rng.random() < 0.6 else "tick", rng, colour)
        truth[f"{prefix}.{side}"] = "marked"
    for box_id in ("topic.d0", "blank_count.d1"):
        pen(img, dpi, "registration", box_id, "digit", rng, colour)
        truth[box_id] = "marked"
    for box_id, kind in extra.items():
        pen(img, dpi, "registration", box_id, kind, rng, colour)
        truth[box_id] = {
            "crossed_out": "ambiguous",
            "beside": "empty",
            "struck": "ambiguous",
            "circled": "ambiguous",
            "dot": "ambiguous",
        }.get(kind, "marked")
    return truth


def fill_answer(img: np.ndarray, dpi: int, rng, colour=BLACK) -> dict[str, str]:
    truth = {b.id: "empty" for b in layout("answer").of_kind("mark", "digit")}
    pen(img, dpi, "answer", "topic.d0", "digit", rng, colour)
    truth["topic.d0"] = "marked"
    # some handwriting on the lines (an essay), away from the boxes
    ppm = dpi / MM_PER_INCH
    for row in range(12):
        y = 80 + row * 9.0
        x = 20.0
        while x < 180:
            n = rng.uniform(6, 18)
            pts = [(x + t, y + 2.5 * math.sin(t * 2.3 + row)) for t in np.linspace(0, n, 12)]
            _mm_poly(img, ppm, pts, colour, 0.4)
            x += n + rng.uniform(2, 4)
    return truth


# ---------------------------------------------------------------------------
# Distortions (own implementations)


def to_gray(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img


def rotate_any(img: np.ndarray, degrees: float, fill=255) -> np.ndarray:
    """Rotate by any angle about the centre, enlarging the canvas (quarter turns exactly)."""
    q = int(round(degrees / 90.0)) % 4
    if abs(degrees - 90 * round(degrees / 90.0)) < 1e-9:
        return np.ascontiguousarray(np.rot90(img, -q))
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -degrees, 1.0)
    nw = int(abs(h * m[0, 1]) + abs(w * m[0, 0])) + 2
    nh = int(abs(h * m[0, 0]) + abs(w * m[0, 1])) + 2
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    border = (fill, fill, fill) if img.ndim == 3 else fill
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=border)


def perspective(img: np.ndarray, rng, strength: float = 0.12, fill=(90, 100, 110)) -> np.ndarray:
    """A phone held over the page: every corner moved independently, dark table around."""
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jit = rng.uniform(-strength, strength, (4, 2)) * np.float32([w, h]) * 0.5
    # a strong keystone on one side
    dst = src + jit.astype(np.float32)
    pad = int(0.12 * max(w, h))
    dst += pad
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(img, m, (w + 2 * pad, h + 2 * pad), flags=cv2.INTER_LINEAR, borderValue=fill)
    return out


def barrel(img: np.ndarray, k1: float) -> np.ndarray:
    """Radial lens distortion (k1 > 0 barrel, < 0 pincushion), normalised to the half-diagonal."""
    h, w = img.shape[:2]
    yy, xx = np.indices((h, w), np.float32)
    cx, cy = w / 2, h / 2
    r0 = math.hypot(cx, cy)
    dx, dy = (xx - cx) / r0, (yy - cy) / r0
    f = 1 + k1 * (dx * dx + dy * dy)
    mx, my = cx + dx * f * r0, cy + dy * f * r0
    return cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderValue=(255, 255, 255) if img.ndim == 3 else 255)


def jpeg(img: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return data.tobytes()


def png(img: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    return data.tobytes()


def tiff_pages(images: list[np.ndarray], compression: str = "tiff_lzw") -> bytes:
    from PIL import Image

    frames = [Image.fromarray(cv2.cvtColor(i, cv2.COLOR_BGR2RGB) if i.ndim == 3 else i) for i in images]
    if compression == "group4":
        frames = [f.convert("1") for f in frames]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression=compression)
    return buf.getvalue()


def pdf_pages(images: list[np.ndarray], dpi: int) -> bytes:
    from PIL import Image

    frames = [Image.fromarray(cv2.cvtColor(i, cv2.COLOR_BGR2RGB) if i.ndim == 3 else i).convert("RGB") for i in images]
    buf = io.BytesIO()
    frames[0].save(buf, format="PDF", save_all=True, append_images=frames[1:], resolution=float(dpi), quality=70)
    return buf.getvalue()


def gradient(img: np.ndarray, low: float, rng) -> np.ndarray:
    """Light falling from one side to ``low`` of full on the other (any direction)."""
    h, w = img.shape[:2]
    a = rng.uniform(0, 2 * math.pi)
    yy, xx = np.indices((h, w), np.float32)
    t = ((xx / w - 0.5) * math.cos(a) + (yy / h - 0.5) * math.sin(a)) / 0.71 * 0.5 + 0.5
    gain = low + (1 - low) * np.clip(t, 0, 1)
    if img.ndim == 3:
        gain = gain[:, :, None]
    return np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def ppm_of(dpi: int) -> float:
    return dpi / MM_PER_INCH


def holes(img: np.ndarray, dpi: int, dark: bool) -> None:
    """Two punched holes in the left margin (black with an open lid / dark backing, or white)."""
    ppm = ppm_of(dpi)
    colour = (20, 20, 20) if dark else (255, 255, 255)
    for y in (PAGE_HEIGHT_MM / 2 - 40, PAGE_HEIGHT_MM / 2 + 40):
        cv2.circle(img, (int(8 * ppm), int(y * ppm)), int(3 * ppm), colour, -1, cv2.LINE_AA)


def staple(img: np.ndarray, dpi: int, rng) -> None:
    """A staple across the top-left corner (over the fiducial) with its dent shadow."""
    ppm = ppm_of(dpi)
    x, y = rng.uniform(8, 16), rng.uniform(8, 16)
    a = math.radians(rng.uniform(30, 60))
    d = np.array([math.cos(a), math.sin(a)]) * 6
    p0, p1 = (np.array([x, y]) - d) * ppm, (np.array([x, y]) + d) * ppm
    cv2.line(img, tuple(int(v) for v in p0 + 2), tuple(int(v) for v in p1 + 2), (150, 150, 150), int(1.5 * ppm))
    cv2.line(img, tuple(int(v) for v in p0), tuple(int(v) for v in p1), (60, 60, 60), max(int(0.8 * ppm), 1))


def coffee(img: np.ndarray, dpi: int, rng, over_mm: tuple[float, float]) -> None:
    """A brown ring stain with a tinted inside, centred near ``over_mm``."""
    ppm = ppm_of(dpi)
    cx, cy = (over_mm[0] + rng.uniform(-5, 5)) * ppm, (over_mm[1] + rng.uniform(-5, 5)) * ppm
    r = rng.uniform(18, 28) * ppm
    layer = np.zeros(img.shape[:2], np.float32)
    cv2.circle(layer, (int(cx), int(cy)), int(r), 0.35, -1, cv2.LINE_AA)
    cv2.circle(layer, (int(cx), int(cy)), int(r), 0.75, max(int(1.2 * ppm), 1), cv2.LINE_AA)
    layer = cv2.GaussianBlur(layer, (0, 0), 0.6 * ppm)
    stain = np.array([40, 110, 160], np.float32)  # BGR brown
    base = img.astype(np.float32)
    img[:] = np.clip(base * (1 - layer[:, :, None]) + (base * stain / 255.0) * layer[:, :, None], 0, 255)


def shadow(img: np.ndarray, rng, depth: float = 0.45) -> np.ndarray:
    """A hard-edged shadow (a hand, the phone) over a random third of the page."""
    h, w = img.shape[:2]
    mask = np.zeros((h, w), np.float32)
    x0 = rng.uniform(0.4, 0.7) * w
    pts = np.array([[x0, 0], [w, 0], [w, h], [x0 + rng.uniform(-0.2, 0.2) * w, h]], np.int32)
    cv2.fillPoly(mask, [pts], 1.0)
    mask = cv2.GaussianBlur(mask, (0, 0), 3)
    gain = 1 - depth * mask
    return np.clip(img.astype(np.float32) * gain[:, :, None], 0, 255).astype(np.uint8)


def ordered_dither(gray: np.ndarray) -> np.ndarray:
    bayer = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16 * 255
    h, w = gray.shape
    tile = np.tile(bayer, (h // 4 + 1, w // 4 + 1))[:h, :w]
    return np.where(gray.astype(np.float32) > tile, 255, 0).astype(np.uint8)


def bleed_through(img: np.ndarray, back: np.ndarray, strength: float = 0.25) -> np.ndarray:
    """The other side of the sheet showing through, mirrored."""
    mirror = cv2.flip(cv2.resize(back, (img.shape[1], img.shape[0])), 1).astype(np.float32)
    base = img.astype(np.float32)
    return np.clip(base - strength * (255 - mirror), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------
# Probes


def _reg(kit: Kit, dpi: int, rng, colour=BLACK, extra=None) -> tuple[np.ndarray, PageTruth]:
    img = kit.page(0, dpi)
    boxes = fill_registration(img, dpi, rng, colour, extra)
    loose = tuple(k for k, v in (extra or {}).items() if v == "beside")
    return img, PageTruth(kit.work_code, "registration", 1, boxes, loose=loose)


def _ans(kit: Kit, dpi: int, rng, colour=BLACK) -> tuple[np.ndarray, PageTruth]:
    img = kit.page(1, dpi)
    return img, PageTruth(kit.work_code, "answer", 1, fill_answer(img, dpi, rng, colour))


def _one(probe: str, name: str, data: bytes, truth: PageTruth) -> list[Case]:
    return [Case(probe, name, data, [truth])]


def p_jpeg10(rng, kit):
    img, t = _reg(kit, 200, rng)
    return _one("jpeg10", "jpeg10.jpg", jpeg(img, int(rng.integers(10, 16))), t)


def p_jpeg_low_dpi(rng, kit):
    img, t = _reg(kit, 120, rng)
    return _one("jpeg_low_dpi", "jpeg-120dpi.jpg", jpeg(to_gray(img), 20), t)


def p_dpi100(rng, kit):
    img, t = _reg(kit, 100, rng)
    return _one("dpi100", "dpi100.png", png(to_gray(img)), t)


def p_dpi75(rng, kit):
    img, t = _reg(kit, 75, rng)
    return _one("dpi75", "dpi75.png", png(to_gray(img)), t)


def p_upscaled(rng, kit):
    img, t = _reg(kit, 100, rng)
    big = cv2.resize(to_gray(img), None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    return _one("upscaled", "upscaled-100to300.jpg", jpeg(big, 60), t)


def p_rot(rng, kit):
    img, t = _reg(kit, 150, rng)
    angle = float(rng.choice([90, 180, 270])) + rng.uniform(-7, 7)
    return _one("rotation_skew7", "rot.png", png(to_gray(rotate_any(img, angle))), t)


def p_skew7(rng, kit):
    img, t = _reg(kit, 150, rng)
    angle = float(rng.choice([-1, 1])) * rng.uniform(6, 7)
    return _one("skew7", "skew7.png", png(to_gray(rotate_any(img, angle))), t)


def p_photo(rng, kit):
    img, t = _reg(kit, 200, rng)
    out = perspective(img, rng, 0.14)
    out = gradient(out, 0.6, rng)
    return _one("photo", "photo.jpg", jpeg(out, 70), t)


def p_barrel(rng, kit):
    img, t = _reg(kit, 150, rng)
    out = barrel(perspective(img, rng, 0.06), float(rng.choice([-1, 1])) * rng.uniform(0.02, 0.035))
    return _one("barrel", "barrel.jpg", jpeg(out, 80), t)


def p_crop_margin(rng, kit):
    img, t = _reg(kit, 150, rng)
    ppm = ppm_of(150)
    side = int(rng.integers(4))
    cut = int(rng.uniform(3, 7.5) * ppm)  # the fiducials stay (their outer edge is 8 mm from the edge)
    img = [img[:, cut:], img[:, :-cut], img[cut:], img[:-cut]][side]
    return _one("crop_margin", "crop-margin.png", png(to_gray(img)), t)


def p_crop_corner(rng, kit):
    img, t = _reg(kit, 150, rng)
    ppm = ppm_of(150)
    h, w = img.shape[:2]
    c = int(rng.uniform(20, 30) * ppm)
    corner = int(rng.choice([0, 2, 3]))  # not the top right (the 2D code's)
    x0, y0 = (0, 0) if corner == 0 else ((w - c, h - c) if corner == 2 else (0, h - c))
    img[y0 : y0 + c, x0 : x0 + c] = 255  # a torn-off corner (rectangle: the scanner's white)
    return _one("crop_corner", "crop-corner.png", png(to_gray(img)), t)


def p_half_page(rng, kit):
    img, t = _reg(kit, 150, rng)
    h = img.shape[0]
    t.must_flag = True  # the bottom half — expert boxes, two fiducials — is missing
    return _one("half_page", "half.png", png(to_gray(img[: int(h * 0.55)])), t)


def p_dark_gradient(rng, kit):
    img, t = _reg(kit, 150, rng)
    return _one("dark_gradient", "dark.jpg", jpeg(gradient(img, 0.3, rng), 75), t)


def p_shadow(rng, kit):
    img, t = _reg(kit, 150, rng)
    return _one("shadow", "shadow.jpg", jpeg(shadow(img, rng, 0.55), 80), t)


def p_coffee(rng, kit):
    img, t = _reg(kit, 150, rng)
    coffee(img, 150, rng, (155.0, 210.0))
    return _one("coffee", "coffee.jpg", jpeg(img, 80), t)


def p_holes_staple(rng, kit):
    img, t = _reg(kit, 150, rng)
    holes(img, 150, dark=bool(rng.random() < 0.5))
    staple(img, 150, rng)
    return _one("holes_staple", "holes.png", png(to_gray(img)), t)


def p_fax(rng, kit):
    img, t = _reg(kit, 200, rng)
    g = to_gray(img)
    g = cv2.GaussianBlur(g, (3, 3), 0)
    bw = np.where(g > 150, 255, 0).astype(np.uint8)
    # a fax is 204 × 196 dpi: stretched rows
    bw = cv2.resize(bw, None, fx=1.0, fy=98 / 102, interpolation=cv2.INTER_NEAREST)
    return _one("fax_threshold", "fax.tif", tiff_pages([bw], "group4"), t)


def p_dither(rng, kit):
    img, t = _reg(kit, 200, rng)
    return _one("dither_ordered", "dither.png", png(ordered_dither(to_gray(img))), t)


def p_low_contrast(rng, kit):
    img, t = _reg(kit, 150, rng)
    g = to_gray(img).astype(np.float32)
    low, high = rng.uniform(110, 140), rng.uniform(175, 200)
    g = low + g / 255.0 * (high - low)
    g += rng.normal(0, 3, g.shape)
    return _one("low_contrast", "lowc.png", png(np.clip(g, 0, 255).astype(np.uint8)), t)


def p_blue_pen(rng, kit):
    img, t = _reg(kit, 200, rng, colour=BLUE_PEN)
    return _one("blue_pen", "blue.jpg", jpeg(img, 85), t)


def p_faint(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k2.pass": "faint"})
    return _one("faint_tick", "faint.png", png(to_gray(img)), t)


def p_crossed_out(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k1.fail": "crossed_out", "k1.pass": "cross"})
    return _one("crossed_out", "crossed.png", png(to_gray(img)), t)


def p_beside(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k4.pass": "beside"})
    return _one("tick_beside", "beside.png", png(to_gray(img)), t)


def _pen_probe(name: str, colour):
    def probe(rng, kit):
        img, t = _reg(kit, 200, rng, colour=colour)
        return _one(name, f"{name}.jpg", jpeg(img, 85), t)

    return probe


def p_struck(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k3.pass": "struck", "k3.fail": "cross"})
    return _one("struck_through", "struck.png", png(to_gray(img)), t)


def p_on_frame(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k5.pass": "on_frame"})
    return _one("tick_on_frame", "onframe.png", png(to_gray(img)), t)


def p_harsh(rng, kit):
    """Everything at once: 100 dpi, 7° skew, a quarter turn, dark gradient, JPEG 12."""
    img, t = _reg(kit, 100, rng)
    img = gradient(img, 0.45, rng)
    img = rotate_any(img, float(rng.choice([0, 90, 180, 270])) + float(rng.choice([-1, 1])) * rng.uniform(5, 7))
    return _one("harsh_combo", "harsh.jpg", jpeg(to_gray(img), 12), t)


def p_steep_photo(rng, kit):
    img, t = _reg(kit, 150, rng)
    out = perspective(img, rng, 0.3)
    return _one("steep_photo", "steep.jpg", jpeg(out, 75), t)


def p_crop_fiducial(rng, kit):
    img, t = _reg(kit, 150, rng)
    ppm = ppm_of(150)
    side = int(rng.integers(4))
    cut = int(rng.uniform(9, 14) * ppm)  # into the fiducials of one side (8–15 mm from the edge)
    img = [img[:, cut:], img[:, :-cut], img[cut:], img[:-cut]][side]
    return _one("crop_fiducial", "crop-fid.png", png(to_gray(img)), t)


def p_struck_alone(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k2.fail": "struck"})
    return _one("struck_alone", "struck-alone.png", png(to_gray(img)), t)


def p_streak(rng, kit):
    """Dirt on the scanner glass: a thin line down (or across) the whole page, through a column of boxes."""
    img, t = _reg(kit, 200, rng)
    ppm = ppm_of(200)
    g = to_gray(img)
    level = int(rng.choice([40, 110, 170]))
    width = max(int(rng.uniform(0.15, 0.5) * ppm), 1)
    if rng.random() < 0.6:
        b = layout("registration").box(str(rng.choice(["k1.pass", "k1.fail"])))
        x = int((b.x + rng.uniform(1.5, b.w - 1.5)) * ppm)
        g[:, x : x + width] = np.minimum(g[:, x : x + width], level)
    else:
        b = layout("registration").box(str(rng.choice(["k2.pass", "k4.fail", "overall.pass"])))
        y = int((b.y + rng.uniform(1.5, b.h - 1.5)) * ppm)
        g[y : y + width, :] = np.minimum(g[y : y + width, :], level)
    return _one("scanner_streak", "streak.png", png(g), t)


def p_fit_to_page(rng, kit):
    """The blank printed with «fit to page» (94–97 %, a little anisotropic) and scanned at A4."""
    img, t = _reg(kit, 150, rng)
    g = to_gray(img)
    h, w = g.shape
    sx, sy = rng.uniform(0.93, 0.97), rng.uniform(0.93, 0.97)
    small = cv2.resize(g, (int(w * sx), int(h * sy)), interpolation=cv2.INTER_AREA)
    out = np.full_like(g, 250)
    y0, x0 = (h - small.shape[0]) // 2, (w - small.shape[1]) // 2
    out[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    return _one("fit_to_page", "fit.png", png(out), t)


def p_circled(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k3.fail": "circled"})
    return _one("circled", "circled.png", png(to_gray(img)), t)


def p_dot(rng, kit):
    img, t = _reg(kit, 200, rng, extra={"k4.fail": "dot"})
    return _one("dot", "dot.png", png(to_gray(img)), t)


def p_small_marks(rng, kit):
    img, t = _reg(kit, 150, rng, extra={"k1.pass": "small_tick", "k5.fail": "ring"})
    return _one("small_marks", "small.jpg", jpeg(to_gray(img), 50), t)


def p_crop_code_corner(rng, kit):
    """The top-right corner — its fiducial and the 2D code — torn off."""
    img, t = _reg(kit, 150, rng)
    ppm = ppm_of(150)
    h, w = img.shape[:2]
    c = int(rng.uniform(40, 55) * ppm)
    img[:c, w - c :] = 255
    t.must_flag = True
    return _one("crop_code_corner", "crop-code.png", png(to_gray(img)), t)


def p_salt_pepper(rng, kit):
    """A bad fax line or a dirty sensor: 0.5–1.5 % of the pixels flipped black or white."""
    img, t = _reg(kit, 200, rng)
    g = to_gray(img)
    share = rng.uniform(0.005, 0.015)
    noise = rng.random(g.shape)
    g[noise < share / 2] = 0
    g[noise > 1 - share / 2] = 255
    return _one("salt_pepper", "salt.png", png(g), t)


def p_blue_stamp(rng, kit):
    """A blue round stamp of the school over the expert's boxes, the rest in black pen."""
    img, t = _reg(kit, 200, rng)
    ppm = ppm_of(200)
    cx, cy = rng.uniform(140, 175) * ppm, rng.uniform(190, 235) * ppm
    colour = (190, 110, 60)  # BGR: stamp-pad blue
    for r_mm, w in ((19, 0.6), (15, 0.4)):
        cv2.circle(img, (int(cx), int(cy)), int(r_mm * ppm), colour, max(int(w * ppm), 1), cv2.LINE_AA)
    for k in range(14):  # the lettering round the ring
        a = k / 14 * 2 * math.pi
        x, y = cx + 17 * ppm * math.cos(a), cy + 17 * ppm * math.sin(a)
        cv2.putText(img, "ABCDEFGHIJKLMN"[k], (int(x), int(y)), cv2.FONT_HERSHEY_SIMPLEX, 0.08 * ppm / 3, colour, 1)
    return _one("blue_stamp", "stamp.jpg", jpeg(img, 85), t)


def p_partial_second(rng, kit):
    """The next sheet lying under the scanned one, a third of it showing at the side (its fiducials half)."""
    a, t = _reg(kit, 100, rng)
    b = kit.page(1, 100)
    g = np.hstack([to_gray(a), to_gray(b)[:, : int(b.shape[1] * rng.uniform(0.3, 0.45))]])
    return _one("partial_second", "partial.png", png(g), t)


def p_blank(rng, kit):
    ppm = ppm_of(150)
    g = np.full((int(PAGE_HEIGHT_MM * ppm), int(PAGE_WIDTH_MM * ppm)), 238, np.uint8)
    g = np.clip(g + rng.normal(0, 4, g.shape), 0, 255).astype(np.uint8)
    return _one("blank", "blank.jpg", jpeg(g, 60), PageTruth(None, must_flag=True))


def p_other_form(rng, kit):
    """A page of another form: a text page with black squares in its corners and a table of boxes."""
    ppm = ppm_of(150)
    h, w = int(PAGE_HEIGHT_MM * ppm), int(PAGE_WIDTH_MM * ppm)
    g = np.full((h, w), 250, np.uint8)
    for x, y in ((10, 10), (190, 10), (10, 280), (190, 280)):
        cv2.rectangle(g, (int(x * ppm), int(y * ppm)), (int((x + 6) * ppm), int((y + 6) * ppm)), 0, -1)
    for r in range(30):
        for c in range(10):
            x, y = 30 + c * 15, 60 + r * 7
            cv2.rectangle(g, (int(x * ppm), int(y * ppm)), (int((x + 5) * ppm), int((y + 5) * ppm)), 0, 1)
            if rng.random() < 0.2:
                cv2.line(g, (int(x * ppm), int(y * ppm)), (int((x + 5) * ppm), int((y + 5) * ppm)), 0, 2)
    return _one("other_form", "other-form.png", png(g), PageTruth(None, must_flag=True))


def p_two_up(rng, kit):
    """Two registration pages of the same work side by side in one image (the lid open on two sheets)."""
    a, t = _reg(kit, 100, rng)
    b = kit.page(0, 100)
    fill_registration(b, 100, rng)
    g = np.hstack([to_gray(a), np.full((a.shape[0], 20), 255, np.uint8), to_gray(b)])
    return _one("two_up", "two-up.png", png(g), PageTruth(kit.work_code, must_flag=True))


def p_twice(rng, kit):
    """The same sheet scanned twice into one file: the page is read on both; the duplicate is the
    reconciliation's question (``duplicate_page``)."""
    img, t = _reg(kit, 150, rng)
    g = to_gray(img)
    second = rotate_any(g, 180 + rng.uniform(-2, 2))
    return [Case("scanned_twice", "twice.tif", tiff_pages([g, second]), [t, t])]


def p_mixed_tiff(rng, kit):
    reg, t1 = _reg(kit, 150, rng)
    ans, t2 = _ans(kit, 150, rng)
    pages = [to_gray(rotate_any(reg, 90)), to_gray(rotate_any(ans, 270 + rng.uniform(-3, 3)))]
    return [Case("mixed_tiff", "mixed.tif", tiff_pages(pages), [t1, t2])]


def p_mixed_pdf(rng, kit):
    reg, t1 = _reg(kit, 150, rng)
    ans, t2 = _ans(kit, 150, rng)
    pages = [rotate_any(ans, 180), reg]
    return [Case("mixed_pdf", "mixed.pdf", pdf_pages(pages, 150), [t2, t1])]


def p_truncated(rng, kit):
    img, t = _reg(kit, 150, rng)
    g = to_gray(img)
    out = []
    for name, data in (("cut.jpg", jpeg(g, 85)), ("cut.png", png(g)), ("cut.tif", tiff_pages([g]))):
        keep = int(len(data) * rng.uniform(0.55, 0.8))
        out.append(Case("truncated", name, data[:keep], [PageTruth(kit.work_code, must_flag=True)]))
    two = pdf_pages([g, g], 150)
    out.append(Case("truncated", "cut.pdf", two[: int(len(two) * 0.6)], [PageTruth(kit.work_code, must_flag=True)]))
    return out


def p_bleed(rng, kit):
    img, t = _reg(kit, 150, rng)
    back, _t = _ans(kit, 150, rng)
    return _one("bleed_through", "bleed.jpg", jpeg(bleed_through(to_gray(img), to_gray(back), 0.3), 80), t)


def p_blur(rng, kit):
    img, t = _reg(kit, 200, rng)
    return _one("blur", "blur.jpg", jpeg(cv2.GaussianBlur(img, (0, 0), rng.uniform(1.8, 2.4)), 80), t)


def p_negative(rng, kit):
    img, t = _reg(kit, 150, rng)
    t.must_flag = False
    return _one("negative", "negative.png", png(255 - to_gray(img)), t)


def p_transparent(rng, kit):
    """A scanning app's PNG: the paper see-through (alpha = ink), the colour under it black."""
    from PIL import Image

    img, t = _reg(kit, 150, rng)
    g = to_gray(img)
    rgba = np.zeros((*g.shape, 4), np.uint8)
    rgba[..., 3] = 255 - g
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG")
    return _one("transparent_png", "transparent.png", buf.getvalue(), t)


def p_inverted16(rng, kit):
    """A 16-bit grey TIFF written as a negative (a converter that lost «MinIsWhite»)."""
    from PIL import Image

    img, t = _reg(kit, 150, rng)
    g = to_gray(img).astype(np.uint16) * 257
    buf = io.BytesIO()
    Image.fromarray((65535 - g).astype(np.uint16)).save(buf, format="TIFF")
    return _one("inverted_tiff16", "inverted16.tif", buf.getvalue(), t)


PROBES: dict[str, Callable] = {
    "jpeg10": p_jpeg10,
    "jpeg_low_dpi": p_jpeg_low_dpi,
    "dpi100": p_dpi100,
    "dpi75": p_dpi75,
    "upscaled": p_upscaled,
    "rotation_skew7": p_rot,
    "skew7": p_skew7,
    "photo": p_photo,
    "barrel": p_barrel,
    "crop_margin": p_crop_margin,
    "crop_corner": p_crop_corner,
    "half_page": p_half_page,
    "dark_gradient": p_dark_gradient,
    "shadow": p_shadow,
    "coffee": p_coffee,
    "holes_staple": p_holes_staple,
    "fax_threshold": p_fax,
    "dither_ordered": p_dither,
    "low_contrast": p_low_contrast,
    "blue_pen": p_blue_pen,
    "faint_tick": p_faint,
    "crossed_out": p_crossed_out,
    "tick_beside": p_beside,
    "red_pen": _pen_probe("red_pen", RED_PEN),
    "violet_pen": _pen_probe("violet_pen", VIOLET_PEN),
    "light_gel": _pen_probe("light_gel", LIGHT_GEL),
    "green_pen": _pen_probe("green_pen", GREEN_PEN),
    "struck_through": p_struck,
    "tick_on_frame": p_on_frame,
    "harsh_combo": p_harsh,
    "steep_photo": p_steep_photo,
    "crop_fiducial": p_crop_fiducial,
    "struck_alone": p_struck_alone,
    "scanner_streak": p_streak,
    "fit_to_page": p_fit_to_page,
    "circled": p_circled,
    "dot": p_dot,
    "small_marks": p_small_marks,
    "crop_code_corner": p_crop_code_corner,
    "salt_pepper": p_salt_pepper,
    "blue_stamp": p_blue_stamp,
    "partial_second": p_partial_second,
    "blank": p_blank,
    "other_form": p_other_form,
    "two_up": p_two_up,
    "scanned_twice": p_twice,
    "mixed_tiff": p_mixed_tiff,
    "mixed_pdf": p_mixed_pdf,
    "truncated": p_truncated,
    "bleed_through": p_bleed,
    "blur": p_blur,
    "negative": p_negative,
    "transparent_png": p_transparent,
    "inverted_tiff16": p_inverted16,
}


# ---------------------------------------------------------------------------
# Judging


def judge(truth: PageTruth, result) -> tuple[str, list[str]]:
    """``correct`` | ``flagged`` | ``silent`` for one page, with what was wrong."""
    wrong: list[str] = []
    flagged = bool(result.reasons)
    if result.work_code is not None and truth.work_code is not None and result.work_code != truth.work_code:
        return "silent", [f"work code {result.work_code} != {truth.work_code}"]
    if truth.work_code is None and result.work_code is not None:
        return "silent", [f"a code {result.work_code} read on a page without one"]
    if truth.must_flag:
        return ("flagged", []) if flagged else ("silent", ["not flagged"])
    if result.work_code is None or (truth.page_type and result.page_type != truth.page_type):
        if flagged:
            return "flagged", []
        return "silent", [f"page read as {result.page_type} without a reason"]
    if truth.page_number is not None and result.page_number != truth.page_number:
        wrong.append(f"page number {result.page_number} != {truth.page_number}")
    for box_id, expected in truth.boxes.items():
        got = result.boxes.get(box_id)
        if got is None:
            if not flagged:
                wrong.append(f"{box_id} missing")
            continue
        sure = got.state in ("marked", "empty") and got.confidence >= SURE and not got.note
        if got.state == expected or box_id in truth.loose and (got.state != "ambiguous" or flagged):
            continue
        if sure or not flagged:
            wrong.append(f"{box_id}: {got.state} {got.confidence:.2f} {got.note} != {expected}")
    if wrong:
        return "silent", wrong
    return ("flagged", []) if flagged else ("correct", [])


def cases(names, seed: int, kit: Kit) -> list[Case]:
    out: list[Case] = []
    for i, name in enumerate(names):
        rng = np.random.default_rng([seed, i])
        out += PROBES[name](rng, kit)
    return out
