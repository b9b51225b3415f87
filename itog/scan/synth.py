"""The test-scan generator (п. 9.2): rendered kits → «scanned» page images + ground truth.

Pure: no Django.  The command ``itog scan make-test-scans`` feeds it the
participants and writes the files; the tests and ``benchmarks/bench_scan.py``
use it in memory.

What a generated page goes through, in this order (every figure drawn from a
seeded ``numpy.random.Generator``, so a seed reproduces the whole set):

1. **Render** — the kit pages come from :func:`itog.blanks.render.render_kits`
   (and ``render_extra_answer``) and are rasterised with pypdfium2 at the page's
   dpi (150–300, or one fixed value).
2. **Hand marks** (:func:`plan_marks`, :func:`draw_marks`) — on the бланк
   регистрации the expert's «зачет»/«незачет» per row, sometimes «Не закончил» or
   «Удален», handwritten digits in «Количество бланков» and the topic number; on
   answer pages the topic number.  Crosses and ticks are curved, uneven strokes of
   a 0.35–0.7 mm pen; digits are hand-drawn glyphs.  Some pages get an
   *ambiguous* mark, whose truth is ``ambiguous``: a short stray stroke
   («half-filled»), an erased cross (a wide grey smudge with no firm ink), or both
   «зачет» and «незачет» crossed in one row.
3. **Geometry** (:func:`distort`) — quarter turns (upright, upside down, 90°,
   270°), skew ±5°, scale ±4 % (x and y apart), shear, translation, the canvas
   being the skewed page's bounding box plus a margin of white or dark scanner
   backing.
4. **Photometry** — paper tone and scanner black, a lighting gradient (linear or
   radial, up to 30 % darker), Gaussian blur, Gaussian noise and dust specks.
   JPEG artefacts are added when the page is written as JPEG (quality 50–90), or
   with :func:`jpeg_roundtrip`.
5. **Foreign and blank pages** (:func:`foreign_page`, :func:`blank_page`) —
   a text-and-table page (sometimes with somebody else's QR code or corner
   squares) and an empty sheet, both expected to be flagged.

Truth per page (:class:`SynthPage`): ``kind`` (``itog`` | ``foreign`` |
``blank``), the work code, page type and number, and every scanned box's
expected state.  :func:`evaluate` scores recognition results against it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from itog.blanks import codes
from itog.blanks.geometry import EXPERT_ROWS, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Box, layout

__all__ = [
    "MarkSpec",
    "SynthPage",
    "blank_page",
    "distort",
    "draw_marks",
    "evaluate",
    "fake_participants",
    "foreign_page",
    "generate_pages",
    "jpeg_roundtrip",
    "plan_marks",
    "rasterize_pdf",
    "replace_code",
    "truth_states",
    "write_test_scans",
]

MM_PER_INCH = 25.4
SUPERSAMPLE = 4


# ---------------------------------------------------------------------------
# Truth


@dataclass
class MarkSpec:
    """What is drawn in one box: ``cross``, ``tick``, ``digit`` (with ``digit``), ``half``
    (a short stray stroke), ``erased`` (an erased cross) — and the state the recogniser
    must report (``truth``)."""

    kind: str
    truth: str
    digit: int | None = None


@dataclass
class SynthPage:
    kind: str  # itog | foreign | blank
    dpi: int
    work_code: str | None = None
    page_type: str | None = None
    page_number: int | None = None
    boxes: dict[str, str] = field(default_factory=dict)  # box id -> expected state
    distortions: dict = field(default_factory=dict)
    file: str = ""
    page: int = 1

    def to_json(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------
# Rendering helpers


def rasterize_pdf(pdf: bytes, dpi: int | Sequence[int]) -> list[np.ndarray]:
    """Every page of a PDF as a grey uint8 array; ``dpi`` per page or one for all."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for i in range(len(doc)):
            page_dpi = dpi if isinstance(dpi, (int, float)) else dpi[i]
            bitmap = doc[i].render(scale=page_dpi / 72.0, grayscale=True)
            out.append(np.array(bitmap.to_numpy(), dtype=np.uint8).reshape(bitmap.height, bitmap.width))
        return out
    finally:
        doc.close()


def fake_participants(count: int, seed: int = 0, region: int = 99, session: int = 90) -> list:
    """Deterministic participants with valid work codes, when no database is at hand."""
    from itog.blanks.render import KitParticipant

    rng = np.random.default_rng(seed)
    last = ("Иванов", "Петрова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Новикова")
    first = ("Иван", "Мария", "Алексей", "Анна", "Дмитрий", "Елена", "Сергей", "Ольга")
    start = int(rng.integers(1, 5_000_000))
    return [
        KitParticipant(
            work_code=codes.make_code(region, session, start + i),
            last_name=last[i % len(last)],
            first_name=first[(i * 3) % len(first)],
            school_name="МБОУ «Средняя общеобразовательная школа № 1»",
            class_name="11А",
            venue_name="МБОУ СОШ № 1",
            room_number=str(100 + i % 20),
            session_date="03.12.2025",
        )
        for i in range(count)
    ]


# ---------------------------------------------------------------------------
# Hand-made strokes


def _bezier(p0, p1, p2, n: int = 14) -> np.ndarray:
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (1 - t) ** 2 * np.asarray(p0) + 2 * (1 - t) * t * np.asarray(p1) + t**2 * np.asarray(p2)


def _hand_line(rng: np.random.Generator, a, b, wobble: float) -> np.ndarray:
    a, b = np.asarray(a, float), np.asarray(b, float)
    direction = b - a
    normal = np.array([-direction[1], direction[0]]) / (np.linalg.norm(direction) + 1e-9)
    mid = (a + b) / 2 + normal * rng.uniform(-wobble, wobble)
    return _bezier(a, mid, b)


def _ellipse(cx, cy, rx, ry, start: float = 0.0, n: int = 24) -> np.ndarray:
    t = np.linspace(start, start + 2 * math.pi, n)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


# Digit glyphs in a unit cell (x right, y down): lists of polylines.
_DIGITS: dict[int, list[list[tuple[float, float]]]] = {
    0: [_ellipse(0.5, 0.5, 0.3, 0.42, -math.pi / 2).tolist()],
    1: [[(0.28, 0.3), (0.55, 0.07), (0.55, 0.93)]],
    2: [[(0.2, 0.28), (0.3, 0.12), (0.5, 0.07), (0.72, 0.14), (0.78, 0.32), (0.65, 0.52), (0.2, 0.92), (0.82, 0.92)]],
    3: [
        [
            (0.22, 0.15),
            (0.5, 0.07),
            (0.75, 0.2),
            (0.7, 0.4),
            (0.45, 0.48),
            (0.75, 0.58),
            (0.78, 0.8),
            (0.5, 0.93),
            (0.2, 0.85),
        ]
    ],
    4: [[(0.62, 0.93), (0.62, 0.07), (0.15, 0.66), (0.85, 0.66)]],
    5: [[(0.78, 0.08), (0.3, 0.08), (0.25, 0.45), (0.55, 0.4), (0.78, 0.55), (0.75, 0.82), (0.5, 0.93), (0.2, 0.85)]],
    6: [
        [
            (0.72, 0.1),
            (0.4, 0.2),
            (0.25, 0.5),
            (0.28, 0.82),
            (0.5, 0.93),
            (0.72, 0.82),
            (0.74, 0.6),
            (0.5, 0.5),
            (0.28, 0.62),
        ]
    ],
    7: [[(0.2, 0.08), (0.8, 0.08), (0.4, 0.93)]],
    8: [_ellipse(0.5, 0.28, 0.24, 0.2, math.pi / 2).tolist(), _ellipse(0.5, 0.7, 0.3, 0.23, -math.pi / 2).tolist()],
    9: [_ellipse(0.5, 0.3, 0.26, 0.22).tolist(), [(0.76, 0.3), (0.7, 0.93)]],
}


def _strokes_for(spec: MarkSpec, box: Box, rng: np.random.Generator) -> tuple[list[np.ndarray], float, float, float]:
    """Polylines in page mm for one mark, with pen width (mm), opacity and smudge (mm)."""
    x, y, w, h = box.x, box.y, box.w, box.h
    width, opacity, smudge = rng.uniform(0.35, 0.7), rng.uniform(0.88, 1.0), 0.0
    lines: list[np.ndarray] = []
    if spec.kind in ("cross", "erased"):
        size = rng.uniform(0.78, 1.12)
        cx, cy = x + w / 2 + rng.normal(0, 0.25), y + h / 2 + rng.normal(0, 0.25)
        half = w / 2 * size
        jitter = lambda: rng.normal(0, 0.25, 2)  # noqa: E731
        lines.append(
            _hand_line(
                rng, np.array([cx - half, cy - half]) + jitter(), np.array([cx + half, cy + half]) + jitter(), 0.5
            )
        )
        lines.append(
            _hand_line(
                rng, np.array([cx + half, cy - half]) + jitter(), np.array([cx - half, cy + half]) + jitter(), 0.5
            )
        )
        if spec.kind == "erased":
            width, opacity, smudge = rng.uniform(0.8, 1.3), rng.uniform(0.2, 0.3), rng.uniform(0.15, 0.3)
    elif spec.kind == "tick":
        size = rng.uniform(0.85, 1.05)
        cx, cy = x + w / 2 + rng.normal(0, 0.2), y + h / 2 + rng.normal(0, 0.2)
        p0 = np.array([cx - 0.32 * w * size, cy + 0.02 * h * size]) + rng.normal(0, 0.15, 2)
        p1 = np.array([cx - 0.08 * w * size, cy + 0.33 * h * size]) + rng.normal(0, 0.15, 2)
        p2 = np.array([cx + 0.4 * w * size, cy - 0.4 * h * size]) + rng.normal(0, 0.2, 2)
        lines.append(np.vstack([_hand_line(rng, p0, p1, 0.2), _hand_line(rng, p1, p2, 0.5)[1:]]))
    elif spec.kind == "half":
        # A short stray stroke well inside the measured area: some ink, far from a mark.
        width, length = rng.uniform(0.4, 0.5), rng.uniform(1.5, 2.0)
        angle = rng.uniform(0, math.pi)
        cx = x + w / 2 + rng.uniform(-0.6, 0.6)
        cy = y + h / 2 + rng.uniform(-0.6, 0.6)
        d = np.array([math.cos(angle), math.sin(angle)]) * length / 2
        lines.append(_hand_line(rng, np.array([cx, cy]) - d, np.array([cx, cy]) + d, 0.1))
    elif spec.kind == "digit":
        gx0, gy0 = x + rng.uniform(0.9, 1.5), y + rng.uniform(0.8, 1.4)
        gw, gh = w - 2.4 + rng.uniform(-0.3, 0.3), h - 2.2 + rng.uniform(-0.4, 0.2)
        slant = rng.uniform(-0.12, 0.12)
        width = rng.uniform(0.35, 0.6)
        for poly in _DIGITS[int(spec.digit or 0)]:
            pts = np.asarray(poly, float)
            pts = pts + rng.normal(0, 0.025, pts.shape)
            px = gx0 + (pts[:, 0] + slant * (0.5 - pts[:, 1])) * gw
            py = gy0 + pts[:, 1] * gh
            lines.append(np.stack([px, py], axis=1))
    else:
        raise ValueError(f"unknown mark kind {spec.kind!r}")
    return lines, width, opacity, smudge


def draw_marks(
    image: np.ndarray, dpi: float, page_type: str, marks: dict[str, MarkSpec], rng: np.random.Generator
) -> np.ndarray:
    """Draw hand marks on an upright rendered page (grey uint8, origin at the page corner)."""
    out = image.copy()
    lay = layout(page_type)
    ppm = dpi / MM_PER_INCH
    s = SUPERSAMPLE
    for box_id, spec in marks.items():
        if spec.kind == "none":
            continue
        box = lay.box(box_id)
        lines, width, opacity, smudge = _strokes_for(spec, box, rng)
        pad = 3.0
        x0 = max(int(math.floor((box.x - pad) * ppm)), 0)
        y0 = max(int(math.floor((box.y - pad) * ppm)), 0)
        x1 = min(int(math.ceil((box.right + pad) * ppm)), out.shape[1])
        y1 = min(int(math.ceil((box.bottom + pad) * ppm)), out.shape[0])
        canvas = np.zeros(((y1 - y0) * s, (x1 - x0) * s), np.uint8)
        thickness = max(int(round(width * ppm * s)), 1)
        for line in lines:
            pts = ((line * ppm - np.array([x0, y0])) * s - 0.5) * 16
            cv2.polylines(
                canvas, [np.round(pts).astype(np.int32)], False, 255, thickness, lineType=cv2.LINE_AA, shift=4
            )
        alpha = cv2.resize(canvas, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
        if smudge > 0:
            alpha = cv2.GaussianBlur(alpha, (0, 0), smudge * ppm)
            alpha = alpha / max(float(alpha.max()), 1e-6)
        alpha *= opacity
        ink = rng.uniform(5, 45)
        region = out[y0:y1, x0:x1].astype(np.float32)
        out[y0:y1, x0:x1] = np.clip(region - alpha * (region - ink), 0, 255).astype(np.uint8)
    return out


def plan_marks(page_type: str, rng: np.random.Generator, ambiguous_rate: float = 0.15) -> dict[str, MarkSpec]:
    """What a participant, the commission and the expert wrote on one page."""
    marks: dict[str, MarkSpec] = {}
    lay = layout(page_type)

    def digits(prefix: str, value: str) -> None:
        for i, ch in enumerate(value):
            if f"{prefix}.d{i}" in lay and ch != " ":
                marks[f"{prefix}.d{i}"] = MarkSpec("digit", "marked", int(ch))

    if rng.random() < 0.93:  # the topic number, written left-aligned
        topic = int(rng.integers(1, 14 if rng.random() < 0.7 else 40))
        digits("topic", str(topic))
    if page_type != "registration":
        return marks

    r = rng.random()
    if r < 0.03:
        marks["not_finished"] = MarkSpec(str(rng.choice(["cross", "tick"])), "marked")
    elif r < 0.05:
        marks["removed"] = MarkSpec(str(rng.choice(["cross", "tick"])), "marked")
    count = int(rng.integers(1, 6))
    digits("blank_count", f"0{count}" if rng.random() < 0.6 else f" {count}")

    if rng.random() < 0.92:  # checked by the expert (otherwise the expert part is empty)
        failed_req = rng.random() < 0.12
        for prefix, _caption, _bold in EXPERT_ROWS:
            if prefix.startswith("req"):
                ok = not (failed_req and (prefix == "req1" or rng.random() < 0.5))
            elif prefix == "overall":
                ok = not failed_req and rng.random() < 0.85
            else:
                ok = rng.random() < 0.8
            kind = "cross" if rng.random() < 0.7 else "tick"
            marks[f"{prefix}.{'pass' if ok else 'fail'}"] = MarkSpec(kind, "marked")

    if rng.random() < ambiguous_rate:
        prefix = EXPERT_ROWS[int(rng.integers(len(EXPERT_ROWS)))][0]
        variant = rng.choice(["half", "erased", "both"])
        marked = [p for p in ("pass", "fail") if f"{prefix}.{p}" in marks]
        if variant == "both":
            for p in ("pass", "fail"):
                marks[f"{prefix}.{p}"] = MarkSpec("cross", "ambiguous")
        elif variant == "erased":
            # The expert crossed one box, erased it and crossed the other.
            erased = marked[0] if marked else "pass"
            other = "fail" if erased == "pass" else "pass"
            marks[f"{prefix}.{erased}"] = MarkSpec("erased", "ambiguous")
            marks[f"{prefix}.{other}"] = MarkSpec(str(rng.choice(["cross", "tick"])), "marked")
        else:
            empty = [p for p in ("pass", "fail") if f"{prefix}.{p}" not in marks]
            marks[f"{prefix}.{empty[0] if empty else 'fail'}"] = MarkSpec("half", "ambiguous")
    return marks


def truth_states(page_type: str, marks: dict[str, MarkSpec]) -> dict[str, str]:
    from .recognize import scanned_boxes

    return {b.id: (marks[b.id].truth if b.id in marks else "empty") for b in scanned_boxes(page_type)}


# ---------------------------------------------------------------------------
# Scanner distortions


def _affine(
    page_w: int,
    page_h: int,
    quarter: int,
    skew: float,
    scale: tuple[float, float],
    shear: float,
    margin: tuple[float, float, float, float],
) -> tuple[np.ndarray, tuple[int, int]]:
    angle = math.radians(quarter * 90 + skew)
    cos, sin = math.cos(angle), math.sin(angle)
    # page px → output px: rotate (counter-clockwise on screen for positive angles), shear, scale.
    lin = np.array([[cos, sin], [-sin, cos]]) @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag(scale)
    corners = np.array([[0, 0], [page_w, 0], [page_w, page_h], [0, page_h]], float) @ lin.T
    low, high = corners.min(axis=0), corners.max(axis=0)
    left, top, right, bottom = margin
    offset = -low + np.array([left, top])
    size = (int(math.ceil(high[0] - low[0] + left + right)), int(math.ceil(high[1] - low[1] + top + bottom)))
    return np.hstack([lin, offset[:, None]]), size


def distort(
    image: np.ndarray,
    dpi: float,
    rng: np.random.Generator,
    *,
    quarter: int | None = None,
    skew: float | None = None,
    blur: float | None = None,
    noise: float | None = None,
    gradient: float | None = None,
    dark_backing: bool | None = None,
) -> tuple[np.ndarray, dict]:
    """A scanner's view of an upright page image; returns the image and what was applied.
    Keyword arguments fix a parameter (tests); ``None`` draws it at random."""
    ppm = dpi / MM_PER_INCH
    if quarter is None:
        quarter = int(rng.choice([0, 2, 1, 3], p=[0.6, 0.2, 0.1, 0.1]))
    if skew is None:
        skew = float(rng.uniform(-5.0, 5.0))
    scale = (float(rng.uniform(0.96, 1.04)), 0.0)
    scale = (scale[0], scale[0] * float(rng.uniform(0.99, 1.01)))
    shear = float(rng.uniform(-0.01, 0.01))
    margin = tuple(float(rng.uniform(0.0, 8.0)) * ppm for _ in range(4))
    if dark_backing is None:
        dark_backing = bool(rng.random() < 0.15)
    backing = float(rng.uniform(25, 70)) if dark_backing else 255.0
    # Paper tone and the scanner's black (a lookup table on the grey levels).
    paper, black = float(rng.uniform(225, 252)), float(rng.uniform(5, 45))
    tone = np.clip(black + np.arange(256) * ((paper - black) / 255.0), 0, 255).astype(np.uint8)
    h, w = image.shape
    matrix, size = _affine(w, h, quarter, skew, scale, shear, margin)
    out = cv2.warpAffine(
        cv2.LUT(image, tone), matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=backing
    )  # outside: the scanner lid
    # Lighting: a linear ramp or a radial fall-off, darkening up to ``gradient``.
    if gradient is None:
        gradient = float(rng.uniform(0.0, 0.3))
    oh, ow = out.shape
    if gradient > 0:
        yy, xx = np.mgrid[0:oh:16, 0:ow:16].astype(np.float32)
        if rng.random() < 0.7:
            theta = rng.uniform(0, 2 * math.pi)
            ramp = (xx / ow) * math.cos(theta) + (yy / oh) * math.sin(theta)
        else:
            cx, cy = rng.uniform(0.2, 0.8) * ow, rng.uniform(0.2, 0.8) * oh
            ramp = np.hypot(xx - cx, yy - cy) / math.hypot(ow, oh)
        ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
        light = np.clip((1.0 - gradient * ramp) * 255.0, 0, 255).astype(np.uint8)
        light = cv2.resize(light, (ow, oh), interpolation=cv2.INTER_LINEAR)
        out = cv2.multiply(out, light, scale=1.0 / 255.0)
    if blur is None:
        blur = float(rng.uniform(0.0, 1.0))
    if blur > 0.05:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise is None:
        noise = float(rng.uniform(0.0, 7.0))
    if noise > 0:
        grain = np.empty(out.shape, np.int16)
        cv2.setRNGSeed(int(rng.integers(2**31)))
        cv2.randn(grain, 0.0, noise)
        out = cv2.add(out, grain, dtype=cv2.CV_8U)
    specks = int(rng.integers(0, 40)) if rng.random() < 0.4 else 0
    for _ in range(specks):
        cv2.circle(
            out,
            (int(rng.integers(0, ow)), int(rng.integers(0, oh))),
            int(rng.integers(0, max(int(0.12 * ppm), 1) + 1)),
            int(rng.uniform(30, 120)),
            -1,
        )
    params = {
        "quarter_turns": quarter,
        "skew_deg": round(skew, 3),
        "scale": [round(v, 4) for v in scale],
        "shear": round(shear, 4),
        "blur_px": round(blur, 3),
        "noise": round(noise, 2),
        "gradient": round(gradient, 3),
        "paper": round(paper),
        "black": round(black),
        "dark_backing": dark_backing,
        "specks": specks,
    }
    return out, params


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


# ---------------------------------------------------------------------------
# Pages that are not ours


def _paper(dpi: float) -> np.ndarray:
    ppm = dpi / MM_PER_INCH
    return np.full((int(round(PAGE_HEIGHT_MM * ppm)), int(round(PAGE_WIDTH_MM * ppm))), 255, np.uint8)


def foreign_page(dpi: float, rng: np.random.Generator) -> np.ndarray:
    """Somebody else's document: a heading, lines of «words», a table; sometimes a QR code
    with other content, sometimes corner squares of another form."""
    img = _paper(dpi)
    ppm = dpi / MM_PER_INCH
    y = 20.0
    cv2.rectangle(img, (int(25 * ppm), int(y * ppm)), (int(140 * ppm), int((y + 6) * ppm)), 0, -1)
    y += 14
    while y < 150:
        x = 20.0
        while x < 185:
            word = rng.uniform(6, 22)
            cv2.rectangle(
                img,
                (int(x * ppm), int(y * ppm)),
                (int(min(x + word, 190) * ppm), int((y + 2.4) * ppm)),
                int(rng.uniform(0, 60)),
                -1,
            )
            x += word + 2.5
        y += 6.5
    for i in range(8):  # a table
        yy = int((160 + i * 12) * ppm)
        cv2.line(img, (int(20 * ppm), yy), (int(190 * ppm), yy), 0, max(int(0.3 * ppm), 1))
    for xx in (20, 60, 120, 190):
        cv2.line(img, (int(xx * ppm), int(160 * ppm)), (int(xx * ppm), int(244 * ppm)), 0, max(int(0.3 * ppm), 1))
    if rng.random() < 0.5:
        text = str(rng.choice(["HTTPS://EXAMPLE.RU/FORM/17", "GOSUSLUGI 2025 1234", "ITOG1:1234:Z:1"]))
        _paint_qr(img, dpi, text, 165.0, 255.0, 28.0)
    if rng.random() < 0.4:  # another form's corner squares (other size and spacing)
        for cx, cy in ((6, 6), (194, 6), (6, 281), (194, 281)):
            cv2.rectangle(img, (int(cx * ppm), int(cy * ppm)), (int((cx + 10) * ppm), int((cy + 10) * ppm)), 0, -1)
    return img


def blank_page(dpi: float, rng: np.random.Generator) -> np.ndarray:
    """An empty sheet, sometimes with a faint show-through of the other side."""
    img = _paper(dpi)
    if rng.random() < 0.5:
        ppm = dpi / MM_PER_INCH
        for k in range(int(rng.integers(5, 25))):
            y = int((30 + k * 8) * ppm)
            cv2.rectangle(img, (int(20 * ppm), y), (int(rng.uniform(60, 190) * ppm), y + int(2 * ppm)), 238, -1)
    return img


def _paint_qr(image: np.ndarray, dpi: float, content: str, x_mm: float, y_mm: float, size_mm: float) -> None:
    """Paint a QR symbol (our encoder) with a 4-module quiet zone into a box."""
    ppm = dpi / MM_PER_INCH
    n = codes.QR_SIZE
    module = size_mm / (n + 8)
    matrix = codes.qr_matrix(content)
    x0, y0 = int(round(x_mm * ppm)), int(round(y_mm * ppm))
    side = int(round(size_mm * ppm))
    image[y0 : y0 + side, x0 : x0 + side] = 255
    for r in range(n):
        for c in range(n):
            if matrix[r][c]:
                xa, ya = (x_mm + (c + 4) * module) * ppm, (y_mm + (r + 4) * module) * ppm
                cv2.rectangle(
                    image,
                    (int(round(xa)), int(round(ya))),
                    (int(round(xa + module * ppm)) - 1, int(round(ya + module * ppm)) - 1),
                    0,
                    -1,
                )


def replace_code(image: np.ndarray, dpi: float, content: str) -> np.ndarray:
    """The same upright page with another 2D code (e.g. a wrong check digit) in the code box."""
    qr = layout("registration").box("qr")
    out = image.copy()
    _paint_qr(out, dpi, content, qr.x, qr.y, qr.w)
    return out


# ---------------------------------------------------------------------------
# Whole sets


def _dpi_for(dpi: int | tuple[int, int], rng: np.random.Generator) -> int:
    if isinstance(dpi, tuple):
        return int(rng.integers(dpi[0], dpi[1] + 1))
    return int(dpi)


def _render_kit(p, extra: bool) -> bytes:
    from itog.blanks.render import render_extra_answer, render_kits

    buf = io.BytesIO()
    render_kits([p], buf)
    if not extra:
        return buf.getvalue()
    extra_buf = io.BytesIO()
    render_extra_answer(p, extra_buf)
    return buf.getvalue(), extra_buf.getvalue()


def generate_pages(
    participants: Iterable,
    count: int,
    seed: int,
    dpi: int | tuple[int, int] = 200,
    *,
    foreign_rate: float = 0.02,
    blank_rate: float = 0.02,
    ambiguous_rate: float = 0.15,
    extra_rate: float = 0.1,
    distortions: bool = True,
) -> Iterator[tuple[np.ndarray, SynthPage]]:
    """``count`` distorted pages with their truth, in kit order (shuffle when writing).

    Runs through the participants' kits — registration page, answer pages, sometimes
    an extra answer page; one dpi per kit (drawn from ``dpi`` when it is a range) —
    again from the first participant if they run out, and mixes in foreign and blank
    pages at the given rates."""
    rng = np.random.default_rng(seed)
    people = list(participants)
    if not people:
        raise ValueError("Нет участников для тестовых сканов")
    made = 0
    while True:
        for p in people:
            kit_dpi = _dpi_for(dpi, rng)
            extra = bool(rng.random() < extra_rate)
            if extra:
                main, more = _render_kit(p, True)
                images = rasterize_pdf(main, kit_dpi) + rasterize_pdf(more, kit_dpi)
            else:
                images = rasterize_pdf(_render_kit(p, False), kit_dpi)
            kinds = [("registration", 1)] + [("answer", n) for n in range(1, int(p.answer_pages) + 1)]
            if extra:
                kinds.append(("extra_answer", int(p.answer_pages) + 1))
            for img, (page_type, number) in zip(images, kinds):
                r = rng.random()
                if r < foreign_rate + blank_rate:
                    kind = "foreign" if r < foreign_rate else "blank"
                    other_dpi = _dpi_for(dpi, rng)
                    other = foreign_page(other_dpi, rng) if kind == "foreign" else blank_page(other_dpi, rng)
                    other, params = distort(other, other_dpi, rng) if distortions else (other, {})
                    yield other, SynthPage(kind=kind, dpi=other_dpi, distortions=params)
                    made += 1
                    if made >= count:
                        return
                marks = plan_marks(page_type, rng, ambiguous_rate)
                img = draw_marks(img, kit_dpi, page_type, marks, rng)
                img, params = distort(img, kit_dpi, rng) if distortions else (img, {})
                yield (
                    img,
                    SynthPage(
                        kind="itog",
                        dpi=kit_dpi,
                        work_code=p.code,
                        page_type=page_type,
                        page_number=number,
                        boxes=truth_states(page_type, marks),
                        distortions=params,
                    ),
                )
                made += 1
                if made >= count:
                    return


# ---------------------------------------------------------------------------
# Scoring


def evaluate(truth: Iterable[SynthPage | dict], results: Iterable) -> dict:
    """Score recognition results (PageResult or their JSON) against the truth, matched by
    (file, page).  A box is *silently wrong* when its state differs from the truth, it is
    not reported ambiguous and its page is not flagged."""
    got = {}
    for r in results:
        data = r if isinstance(r, dict) else r.to_json()
        got[(data["file"], int(data["page"]))] = data
    s = dict(
        pages=0,
        itog_pages=0,
        read_pages=0,
        code_wrong=0,
        type_wrong=0,
        boxes=0,
        boxes_right=0,
        boxes_wrong_flagged=0,
        silent_errors=0,
        other_pages=0,
        other_flagged=0,
        flagged_clean=0,
        ambiguous_truth=0,
        ambiguous_found=0,
        missing=0,
        wrong=[],
    )
    for t in truth:
        t = t if isinstance(t, dict) else t.to_json()
        s["pages"] += 1
        r = got.get((t["file"], int(t["page"])))
        if r is None:
            s["missing"] += 1
            continue
        flagged = r["status"] == "flagged"
        if t["kind"] != "itog":
            s["other_pages"] += 1
            s["other_flagged"] += int(flagged)
            continue
        s["itog_pages"] += 1
        if r.get("work_code"):
            s["read_pages"] += 1
            if r["work_code"] != t["work_code"]:
                s["code_wrong"] += 1
            if r.get("page_type") != t["page_type"] or r.get("page_number") != t["page_number"]:
                s["type_wrong"] += 1
        clean = all(v != "ambiguous" for v in t["boxes"].values())
        s["flagged_clean"] += int(flagged and clean)
        for box_id, expected in t["boxes"].items():
            s["boxes"] += 1
            s["ambiguous_truth"] += int(expected == "ambiguous")
            state = (r.get("boxes") or {}).get(box_id, {}).get("state")
            s["ambiguous_found"] += int(expected == "ambiguous" and state == "ambiguous")
            if state == expected:
                s["boxes_right"] += 1
            elif state == "ambiguous" or flagged:
                s["boxes_wrong_flagged"] += 1
                s["wrong"].append((t["file"], t["page"], box_id, expected, state, "flagged"))
            else:
                s["silent_errors"] += 1
                s["wrong"].append((t["file"], t["page"], box_id, expected, state, "SILENT"))
    s["box_accuracy"] = s["boxes_right"] / s["boxes"] if s["boxes"] else 1.0
    return s


# ---------------------------------------------------------------------------
# Writing a set to disk


def _encode(image: np.ndarray, fmt: str, quality: int = 90) -> bytes:
    if fmt == "jpeg":
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    else:
        ok, data = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:  # pragma: no cover
        raise RuntimeError(f"cannot encode {fmt}")
    return data.tobytes()


def _save_multi(images: list[np.ndarray], dpis: list[int], path, fmt: str) -> None:
    from PIL import Image

    frames = [Image.fromarray(img) for img in images]
    if fmt == "tiff":
        frames[0].save(
            path, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(dpis[0], dpis[0])
        )
    else:
        frames[0].save(path, format="PDF", save_all=True, append_images=frames[1:], resolution=float(dpis[0]))


def write_test_scans(
    pages: Iterable[tuple[np.ndarray, SynthPage]], out_dir, seed: int, count: int, meta: dict | None = None
) -> dict:
    """Write generated pages as a scanner would leave them: single PNG and JPEG (quality
    50–90) files, a few multi-page TIFFs (2–4 pages), one PDF (3 pages, when there are
    enough) — all under random names, so a folder listing mixes the kits — and
    ``truth.json``.  Returns the truth document."""
    import json
    from pathlib import Path

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 7])
    used: set[str] = set()
    truth: list[dict] = []
    formats: dict[str, int] = {}
    pdf_at = max(count // 2, 0) if count >= 3 else None

    def name(ext: str) -> str:
        while True:
            candidate = f"scan-{int(rng.integers(16**6)):06x}.{ext}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    group: list[tuple[np.ndarray, SynthPage]] = []
    group_fmt, group_size = "", 0

    def flush() -> None:
        nonlocal group, group_fmt, group_size
        if not group:
            return
        file = name("tif" if group_fmt == "tiff" else "pdf")
        _save_multi([g[0] for g in group], [g[1].dpi for g in group], out / file, group_fmt)
        for i, (_img, page) in enumerate(group, start=1):
            page.file, page.page = file, i
            page.distortions = {**page.distortions, "format": group_fmt}
            truth.append(page.to_json())
        formats[group_fmt] = formats.get(group_fmt, 0) + 1
        group, group_fmt, group_size = [], "", 0

    for index, (image, page) in enumerate(pages):
        if group:
            group.append((image, page))
            if len(group) >= group_size:
                flush()
            continue
        if pdf_at is not None and index >= pdf_at and "pdf" not in formats:
            group, group_fmt, group_size = [(image, page)], "pdf", min(3, count - index)
        elif rng.random() < 0.08 and count - index >= 2:
            group, group_fmt, group_size = [(image, page)], "tiff", int(rng.integers(2, 5))
        else:
            fmt = "jpeg" if rng.random() < 0.55 else "png"
            quality = int(rng.integers(50, 91))
            file = name("jpg" if fmt == "jpeg" else "png")
            (out / file).write_bytes(_encode(image, fmt, quality))
            page.file, page.page = file, 1
            extra = {"jpeg_quality": quality} if fmt == "jpeg" else {}
            page.distortions = {**page.distortions, "format": fmt, **extra}
            truth.append(page.to_json())
            formats[fmt] = formats.get(fmt, 0) + 1
            continue
        if len(group) >= group_size:
            flush()
    flush()
    truth.sort(key=lambda t: (t["file"], t["page"]))
    document = {
        "format": "itog-test-scans",
        "version": 1,
        "seed": seed,
        "count": len(truth),
        "files": formats,
        **(meta or {}),
        "pages": truth,
    }
    (out / "truth.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return document
