"""Recognition of one scanned page of a blank (п. 9.2).  Pure: a numpy image in,
a :class:`PageResult` out; no Django, no files.

Pipeline
--------

1. **Blank page.**  The image is halved down to a work copy of 1.5–3 px/mm and its
   lighting is flattened (each pixel divided by a local maximum of the paper);
   a page whose centre holds almost no dark pixel is «Пустая страница».
2. **Fiducials.**  The four solid 7 mm squares of :mod:`itog.blanks.geometry`
   (``fid.tl`` … ``fid.br``) are found among the dark connected components of
   the work copy: solid, square, of a plausible size, and — decisive — four of
   them forming a rectangle with the proportions of the fiducial centres
   (187 × 274 mm).  Three suffice (the fourth corner completes the
   parallelogram), e.g. when a corner is folded.  Their centroids are refined
   on the full-resolution image.
3. **Transform.**  An affine map mm → pixels is fitted by least squares to the
   centres (a flatbed or sheet-fed scan is affine: rotation, skew, scale,
   translation); when it leaves more than 0.6 mm of residue the exact
   perspective map of the four points is used instead.  The fiducial rectangle
   leaves one ambiguity, upside down or not; it is resolved by where the 2D code
   is (the darker of the two candidate corners is tried first), so any rotation
   — 90°, 180°, 270° ± skew — is handled.
4. **2D code.**  The code box is resampled upright and decoded with zxing-cpp;
   if that fails, the other orientation, then the whole page are tried.  The
   content ``ITOG1:<code>:<R|A|X>:<n>`` gives the work code, page type and page
   number; the work code's Damm check digit is verified, and cross-checked with
   the check digit printed on the page (the last digit of the code in the
   «Код работы» box, read by matching templates of the ten digits drawn in the
   renderer's font).  A printed digit that cannot be told apart (a pen stroke
   across it) is not a reason; a different one is.
5. **Boxes.**  Every mark and digit box of the page type's layout is resampled
   at 8 px/mm with a 2 mm margin; the printed frame is located in the patch
   (±1.2 mm) and must be there, or the box is ambiguous.  Inside the frame,
   inset by 1 mm, the darkness of each pixel is measured against the local paper
   white and the black of the fiducials (so lighting gradients and grey scans do
   not matter), and two figures are taken: ``ink`` — the mass of darkness
   (blur-invariant) — and ``firm`` — the share of pixels that are at least half
   as dark as printed black.  A pen mark has both; an erased mark leaves mass
   without firm ink; a stray short stroke has too little mass.  Thresholds
   (:data:`MARK_THRESHOLDS`, :data:`DIGIT_THRESHOLDS`) give marked / empty /
   ambiguous; between them lies a band that is always «ambiguous», never a guess.
   A «зачет»/«незачет» pair with both boxes marked is ambiguous as a pair.

Confidence: marked and empty boxes get 0.75–1.0 (how far the figures are from
the ambiguous band); ambiguous boxes get less than 0.5.  A page with any reason
(an ambiguous box, a failed check digit, a missing code, …) is ``flagged``;
reasons are in Russian, for the operator.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from itog.blanks import codes
from itog.blanks.geometry import (EXPERT_ROWS, GEOMETRY_VERSION, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Box,
                                  PageLayout, layout)

__all__ = [
    "BoxResult",
    "DIGIT_THRESHOLDS",
    "MARK_THRESHOLDS",
    "PageResult",
    "REASONS",
    "Thresholds",
    "box_caption",
    "crop_box",
    "recognize_page",
    "scanned_boxes",
]

# ---------------------------------------------------------------------------
# Constants

WORK_MIN_PX_PER_MM = 1.5    # the reduced copy (halvings of the image) to find fiducials, blank pages
PATCH_PX_PER_MM = 8.0       # box sampling resolution
QR_PX_PER_MM = 6.0          # 2D code resampling (a module is 0.76 mm → 4.5 px)
PATCH_MARGIN_MM = 2.0       # paper around a box in its patch (the gap to any other box)
FRAME_SEARCH_MM = 1.2       # how far the printed frame may be from where the transform puts it
INSET_MM = 1.0              # measured area = frame inset by this (frame line 0.35 mm + blur)

_REG = layout("registration")
_FID_IDS = ("fid.tl", "fid.tr", "fid.br", "fid.bl")          # clockwise from the top-left
_FID_CENTRES = np.array([[_REG.box(i).x + _REG.box(i).w / 2, _REG.box(i).y + _REG.box(i).h / 2]
                         for i in _FID_IDS])
_FID_SIDE_MM = _REG.box("fid.tl").w
_FID_SHORT_MM = float(_FID_CENTRES[1, 0] - _FID_CENTRES[0, 0])   # 187 mm
_FID_LONG_MM = float(_FID_CENTRES[3, 1] - _FID_CENTRES[0, 1])    # 274 mm
_FID_RATIO = _FID_SHORT_MM / _FID_LONG_MM
_QR_BOX = _REG.box("qr")
_QR_QUIET_MM = _QR_BOX.w * 4 / (codes.QR_SIZE + 8)               # quiet zone of 4 modules

_CONTENT_RE = re.compile(r"^ITOG(\d+):(\d{12}):([RAX]):(\d{1,3})$")
_LETTER_TO_TYPE = {letter: name for name, letter in codes.PAGE_TYPE_LETTERS.items()}

# Russian reasons (user-facing); the ones with {fields} are formatted where they are raised.
REASONS = {
    "blank": "Пустая страница",
    "no_code": "Страница не распознана как бланк Итог (нет кода страницы)",
    "foreign_code": "Страница не распознана как бланк Итог (чужой код страницы: «{text}»)",
    "version": "Бланк другой версии разметки ({magic}): эта версия программы читает ITOG{version}",
    "check_digit": "Контрольная цифра кода работы не сходится (код «{code}»)",
    "printed_check": "Контрольная цифра кода работы не совпадает с напечатанной на бланке "
                     "(в 2D-коде «{coded}», напечатано «{printed}»)",
    "no_fiducials": "Не найдены метки выравнивания (черные квадраты по углам бланка)",
    "code_misplaced": "Код страницы найден не на своем месте: разметка бланка не совпадает",
    "code_unreadable": "Код страницы не читается (метки выравнивания найдены)",
    "ambiguous": "Неоднозначная отметка: {caption}",
    "both": "Неоднозначная отметка: отмечены и «зачет», и «незачет» — {caption}",
    "no_frame": "Не найдена рамка поля: {caption} (бланк смят, закрыт или не совпадает разметка)",
    "no_frames": "Не найдены рамки {missing} полей из {total} (бланк смят, искажен или не совпадает разметка)",
    "too_small": "Изображение слишком мало для распознавания ({width}×{height} точек)",
    "bad_image": "Изображение не читается: {error}",
}


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds on the two figures of a box (shares of the measured area).

    ``marked``: ``ink >= mark_ink`` and ``firm >= mark_firm``;
    ``empty``: ``ink < empty_ink`` and ``firm < empty_firm``; otherwise ambiguous.
    """

    mark_ink: float
    mark_firm: float
    empty_ink: float
    empty_firm: float


# Calibrated on the test-scan generator (itog.scan.synth) at 150–300 dpi with every
# distortion and JPEG 50–90 (600 pages): pen crosses and ticks measured ink ≥ 0.077,
# stray short strokes 0.028–0.041, erased crosses 0.07–0.15 with firm = 0, empty
# boxes ≤ 0.002.  Each threshold sits about midway (geometrically) between them.
MARK_THRESHOLDS = Thresholds(mark_ink=0.06, mark_firm=0.02, empty_ink=0.01, empty_firm=0.006)
# A digit box is 5 × 7 mm inside: handwritten digits measured ink ≥ 0.059 (a thin «1»).
DIGIT_THRESHOLDS = Thresholds(mark_ink=0.03, mark_firm=0.012, empty_ink=0.009, empty_firm=0.005)

_DARK = 0.5       # "firm" ink: at least half as dark as printed black
_FAINT = 0.12     # below this a pixel is paper (noise, JPEG ringing)


# ---------------------------------------------------------------------------
# Results

@dataclass
class BoxResult:
    state: str                  # "marked" | "empty" | "ambiguous"
    confidence: float           # 0..1; < 0.5 for ambiguous
    ink: float = 0.0            # measured figures, for calibration and debugging
    firm: float = 0.0

    def to_json(self) -> dict:
        return {"state": self.state, "confidence": round(float(self.confidence), 3)}


@dataclass
class PageResult:
    """What was read from one page.  ``status`` is ``flagged`` whenever there is a reason."""

    file: str
    page: int                           # 1-based index of the page inside its file
    work_code: str | None = None
    page_type: str | None = None        # registration | answer | extra_answer
    page_number: int | None = None      # the blank's number from the 2D code
    boxes: dict[str, BoxResult] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    rotation: float | None = None       # degrees, the page's up direction in the image (0 = upright)

    @property
    def status(self) -> str:
        return "flagged" if self.reasons else "ok"

    def flag(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def to_json(self) -> dict:
        """The command-line contract (one JSON line per page); ``page_number`` and
        ``rotation`` are extra keys."""
        return {
            "file": self.file,
            "page": self.page,
            "work_code": self.work_code,
            "page_type": self.page_type,
            "page_number": self.page_number,
            "boxes": {box_id: box.to_json() for box_id, box in self.boxes.items()},
            "status": self.status,
            "reasons": list(self.reasons),
            "rotation": None if self.rotation is None else round(self.rotation, 2),
        }

    @classmethod
    def from_json(cls, data: dict) -> "PageResult":
        return cls(file=data["file"], page=int(data["page"]), work_code=data.get("work_code"),
                   page_type=data.get("page_type"), page_number=data.get("page_number"),
                   boxes={k: BoxResult(v["state"], float(v["confidence"]))
                          for k, v in (data.get("boxes") or {}).items()},
                   reasons=list(data.get("reasons") or []), rotation=data.get("rotation"))


# ---------------------------------------------------------------------------
# Boxes and their captions

def scanned_boxes(page_type: str) -> list[Box]:
    """The boxes recognised on a page type: every mark and digit box, layout order."""
    return layout(page_type).of_kind("mark", "digit")


_ROW_CAPTIONS = {prefix: caption.split(". «")[0] if prefix.startswith("req") else caption
                 for prefix, caption, _bold in EXPERT_ROWS}


def box_caption(box_id: str) -> str:
    """A Russian name of a box for reasons: ``k3.fail`` → «Критерий К3, «незачет»»."""
    prefix, _, part = box_id.partition(".")
    if prefix in _ROW_CAPTIONS:
        row = _ROW_CAPTIONS[prefix]
        return {"pass": f"{row}, «зачет»", "fail": f"{row}, «незачет»"}.get(part, row)
    if box_id == "not_finished":
        return "«Не закончил»"
    if box_id == "removed":
        return "«Удален»"
    if prefix == "blank_count" and part.startswith("d"):
        return f"«Количество бланков», цифра {int(part[1:]) + 1}"
    if prefix == "topic" and part.startswith("d"):
        return f"номер темы, цифра {int(part[1:]) + 1}"
    return box_id


# ---------------------------------------------------------------------------
# Image helpers

def _percentile_u8(values: np.ndarray, q: float) -> float:
    """The q-quantile (0..1) of a uint8 array, by its histogram (much faster than np.percentile)."""
    counts = np.bincount(values.ravel(), minlength=256)
    return float(np.searchsorted(np.cumsum(counts), q * values.size))

def _to_gray(image: np.ndarray) -> np.ndarray:
    img = np.asarray(image)
    if img.ndim == 3:
        if img.shape[2] == 4:
            img = cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
        elif img.shape[2] == 3:
            img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        else:
            img = img[:, :, 0]
    if img.dtype == np.bool_:
        img = img.astype(np.uint8) * 255
    elif img.dtype != np.uint8:
        img = img.astype(np.float64)
        low, high = float(img.min()), float(img.max())
        img = np.zeros(img.shape, np.uint8) if high <= low else \
            ((img - low) * (255.0 / (high - low))).astype(np.uint8)
    return np.ascontiguousarray(img)


def _flatten_light(small: np.ndarray, ppm: float) -> np.ndarray:
    """``small`` divided by a local maximum of the paper (≈ 12 mm): 1.0 = paper, 0 = black."""
    k = int(round(12 * ppm)) | 1
    background = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.blur(background, (k, k))
    return small.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)


@dataclass
class _Fiducial:
    x: float          # centroid in full-resolution pixel index coordinates
    y: float
    side: float       # side in full-resolution pixels (sqrt of the area)
    black: float      # median grey inside
    white: float      # paper grey around


def _candidates(flat: np.ndarray, ppm: float) -> list[tuple[float, float, float, float]]:
    """Dark solid square components of the work copy: (cx, cy, side, fill) in work pixels."""
    binary = (flat < 0.55).astype(np.uint8)
    n, _labels, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    height, width = binary.shape
    expected = _FID_SIDE_MM * ppm
    x, y, w, h, area = (stats[1:, i].astype(np.float64) for i in range(5))
    keep = ((x > 0) & (y > 0) & (x + w < width) & (y + h < height)
            & (w >= 0.4 * expected) & (w <= 2.2 * expected) & (h >= 0.4 * expected) & (h <= 2.2 * expected)
            & (w <= 1.43 * h) & (h <= 1.43 * w) & (area >= 0.68 * w * h))
    idx = np.nonzero(keep)[0]
    out = [(float(centroids[i + 1][0]), float(centroids[i + 1][1]), math.sqrt(area[i]), area[i] / (w[i] * h[i]))
           for i in idx]
    out.sort(key=lambda c: -c[3])
    return out[:12]


def _convex_order(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    return sorted(points, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))  # clockwise on the page


def _rectangle_error(quad: list[tuple[float, float]], sides: list[float]
                     ) -> tuple[float, list[tuple[float, float]]] | None:
    """How far four points (convex order) are from the fiducial rectangle; ``None`` if too far.
    Returns the error and the points rotated so that the first edge is a short one."""
    edges = [math.dist(quad[i], quad[(i + 1) % 4]) for i in range(4)]
    if min(edges) <= 0:
        return None
    if edges[0] + edges[2] > edges[1] + edges[3]:
        quad, edges = quad[1:] + quad[:1], edges[1:] + edges[:1]
    short, long_ = (edges[0] + edges[2]) / 2, (edges[1] + edges[3]) / 2
    d0, d1 = math.dist(quad[0], quad[2]), math.dist(quad[1], quad[3])
    errors = (abs(edges[0] - edges[2]) / short, abs(edges[1] - edges[3]) / long_,
              abs(d0 - d1) / max(d0, d1), abs(short / long_ - _FID_RATIO) / _FID_RATIO)
    if max(errors) > 0.05:
        return None
    expected_side = short * _FID_SIDE_MM / _FID_SHORT_MM
    size_error = max(abs(math.log(side / expected_side)) for side in sides)
    if size_error > math.log(1.6):
        return None
    return sum(errors) + 0.2 * size_error, quad


def _triangle_to_quad(tri: list[tuple[float, float]], sides: list[float]
                      ) -> tuple[float, list[tuple[float, float]]] | None:
    """Three fiducials at a right angle: complete the fourth corner (parallelogram)."""
    best = None
    median = sorted(sides)[1]
    for k in range(3):
        corner, a, b = tri[k], tri[(k + 1) % 3], tri[(k + 2) % 3]
        fourth = (a[0] + b[0] - corner[0], a[1] + b[1] - corner[1])
        found = _rectangle_error(_convex_order([corner, a, b, fourth]), sides + [median])
        if found and (best is None or found[0] < best[0]):
            best = found
    return best


def _find_rectangle(cands: list[tuple[float, float, float, float]], ppm: float
                    ) -> tuple[np.ndarray, int] | None:
    """The four fiducial centres in work pixels (convex order, short edge first) and how many
    of them were seen (4 or 3).  Pairs closer than half the short span, or of too different
    sizes, cannot both be fiducials: they are pruned before trying the combinations."""
    n = len(cands)
    if n < 3:
        return None
    pts = [(c[0], c[1]) for c in cands]
    sides = [c[2] for c in cands]
    min_dist = 0.5 * _FID_SHORT_MM * ppm
    ok = [[i != j and math.dist(pts[i], pts[j]) >= min_dist
           and max(sides[i], sides[j]) <= 1.6 * min(sides[i], sides[j]) for j in range(n)] for i in range(n)]
    best = None
    for i, j, k in itertools.combinations(range(n), 3):
        if not (ok[i][j] and ok[i][k] and ok[j][k]):
            continue
        for m in range(k + 1, n):
            if ok[i][m] and ok[j][m] and ok[k][m]:
                found = _rectangle_error(_convex_order([pts[i], pts[j], pts[k], pts[m]]),
                                         [sides[i], sides[j], sides[k], sides[m]])
                if found and (best is None or found[0] < best[0]):
                    best = found
    if best is not None:
        return np.array(best[1]), 4
    for i, j, k in itertools.combinations(range(n), 3):
        if ok[i][j] and ok[i][k] and ok[j][k]:
            found = _triangle_to_quad([pts[i], pts[j], pts[k]], [sides[i], sides[j], sides[k]])
            if found and (best is None or found[0] < best[0]):
                best = found
    return (np.array(best[1]), 3) if best is not None else None


def _refine(gray: np.ndarray, x: float, y: float, side: float) -> _Fiducial:
    """Centroid of the dark blob at (x, y) on the full image, with its black and white levels."""
    half = int(round(side * 1.1)) + 2
    h, w = gray.shape
    x0, y0 = max(int(round(x)) - half, 0), max(int(round(y)) - half, 0)
    x1, y1 = min(int(round(x)) + half + 1, w), min(int(round(y)) + half + 1, h)
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return _Fiducial(x, y, side, 0.0, 255.0)
    white, black = _percentile_u8(crop, 0.95), _percentile_u8(crop, 0.05)
    if white - black < 30:
        return _Fiducial(x, y, side, black, white)
    mask = (crop < (white + black) / 2).astype(np.uint8)
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return _Fiducial(x, y, side, black, white)
    cx, cy = x - x0, y - y0
    label = labels[min(max(int(round(cy)), 0), labels.shape[0] - 1),
                   min(max(int(round(cx)), 0), labels.shape[1] - 1)]
    if label == 0:
        label = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    blob = labels == label
    inner = cv2.erode(blob.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    black = float(np.median(crop[inner])) if inner.any() else black
    gx, gy = centroids[label]
    return _Fiducial(x0 + float(gx), y0 + float(gy), math.sqrt(float(stats[label, cv2.CC_STAT_AREA])),
                     black, white)


class _Transform:
    """mm on the page → pixel index coordinates of the image (3×3 matrix)."""

    def __init__(self, matrix: np.ndarray, affine: bool) -> None:
        self.m = matrix
        self.affine = affine

    @classmethod
    def fit(cls, model_mm: np.ndarray, image_px: np.ndarray, px_per_mm: float) -> "_Transform":
        a = np.hstack([model_mm, np.ones((len(model_mm), 1))])
        sol, *_ = np.linalg.lstsq(a, image_px, rcond=None)
        matrix = np.vstack([sol.T, [0.0, 0.0, 1.0]])
        residual = np.abs(a @ sol - image_px).max() / px_per_mm
        if residual > 0.6 and len(model_mm) == 4:
            persp = cv2.getPerspectiveTransform(model_mm.astype(np.float32), image_px.astype(np.float32))
            return cls(persp, affine=False)
        return cls(matrix, affine=True)

    def apply(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        v = self.m @ np.array([x_mm, y_mm, 1.0])
        return v[0] / v[2], v[1] / v[2]

    def sample(self, gray: np.ndarray, x_mm: float, y_mm: float, w_mm: float, h_mm: float,
               px_per_mm: float) -> np.ndarray:
        """Resample the page region (x, y, w, h) in mm upright; output pixel (u, v) is at
        mm (x + u / r, y + v / r)."""
        out_w, out_h = int(round(w_mm * px_per_mm)) + 1, int(round(h_mm * px_per_mm)) + 1
        a = np.array([[1.0 / px_per_mm, 0.0, x_mm], [0.0, 1.0 / px_per_mm, y_mm], [0.0, 0.0, 1.0]])
        m = self.m @ a
        flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        if self.affine:
            return cv2.warpAffine(gray, m[:2], (out_w, out_h), flags=flags,
                                  borderMode=cv2.BORDER_CONSTANT, borderValue=255)
        return cv2.warpPerspective(gray, m, (out_w, out_h), flags=flags,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=255)

    def rotation(self) -> float:
        """Angle of the page's x axis in the image, degrees, counter-clockwise positive
        as seen on screen; 0 = upright, ±180 = upside down."""
        x0, y0 = self.apply(0.0, PAGE_HEIGHT_MM / 2)
        x1, y1 = self.apply(PAGE_WIDTH_MM, PAGE_HEIGHT_MM / 2)
        return math.degrees(math.atan2(-(y1 - y0), x1 - x0))


# ---------------------------------------------------------------------------
# 2D code

def _decode(image: np.ndarray, *, rotate: bool) -> list[tuple[str, np.ndarray]]:
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=rotate,
                                   try_downscale=rotate, try_invert=False)
    out = []
    for barcode in found:
        p = barcode.position
        corners = np.array([[p.top_left.x, p.top_left.y], [p.top_right.x, p.top_right.y],
                            [p.bottom_right.x, p.bottom_right.y], [p.bottom_left.x, p.bottom_left.y]],
                           dtype=float)
        out.append((barcode.text, corners.mean(axis=0)))
    return out


_QR_GRID = np.array([[x, y, 1.0]
                     for y in np.linspace(_QR_BOX.y + _QR_QUIET_MM, _QR_BOX.bottom - _QR_QUIET_MM, 12)
                     for x in np.linspace(_QR_BOX.x + _QR_QUIET_MM, _QR_BOX.right - _QR_QUIET_MM, 12)]).T


def _qr_density(flat: np.ndarray, transform: _Transform, factor: int) -> float:
    """Share of dark work pixels inside the 2D code symbol under ``transform``."""
    v = transform.m @ _QR_GRID
    u = np.round(v[0] / v[2] / factor).astype(int)
    w = np.round(v[1] / v[2] / factor).astype(int)
    h, wd = flat.shape
    inside = (u >= 0) & (u < wd) & (w >= 0) & (w < h)
    if not inside.any():
        return 0.0
    return float(np.mean(flat[w[inside], u[inside]] < 0.6))


def _read_code_region(gray: np.ndarray, transform: _Transform) -> str | None:
    margin = 1.5
    crop = transform.sample(gray, _QR_BOX.x - margin, _QR_BOX.y - margin, _QR_BOX.w + 2 * margin,
                            _QR_BOX.h + 2 * margin, QR_PX_PER_MM)
    found = _decode(crop, rotate=False)
    if not found:
        found = _decode(cv2.GaussianBlur(crop, (3, 3), 0), rotate=True)
    return found[0][0] if found else None


def _read_code_page(gray: np.ndarray, px_per_mm: float) -> list[tuple[str, np.ndarray]]:
    """Whole-page fallback: at ~4 px/mm first, then at full resolution."""
    if px_per_mm > 5.0:
        f = 4.0 / px_per_mm
        mid = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        found = _decode(mid, rotate=True)
        if found:
            return [(text, (centre + 0.5) / f - 0.5) for text, centre in found]
    return _decode(gray, rotate=True)


# The printed check digit.  The work code is printed in the ``work_code`` box as
# ``RR-SS-NNNNNNN-C`` in DejaVu Sans Bold 15 pt from 1.5 mm right of the box edge, on a
# baseline 2.2 mm above its bottom (itog.blanks.render); DejaVu's digits all have the
# same advance, so the check digit always sits in the same cell.  It is compared with
# templates of the ten digits drawn with the same font.

_CHECK_PX_PER_MM = 10.0
_PT_MM = 25.4 / 72.0
_check_geometry: tuple[float, float, float] | None = None


def _check_cell() -> tuple[float, float, float]:
    """(left x, baseline y, width) in mm of the printed check digit (font metrics from ReportLab,
    as the renderer used them)."""
    global _check_geometry
    if _check_geometry is None:
        from reportlab.pdfbase import pdfmetrics

        from itog.blanks.render import CODE_PT, FONT_BOLD, register_fonts

        register_fonts()
        sample = codes.format_code(codes.make_code(0, 0, 1))
        box = _REG.box("work_code")
        left = box.x + 1.5 + pdfmetrics.stringWidth(sample[:-1], FONT_BOLD, CODE_PT) * _PT_MM
        _check_geometry = (left, box.bottom - 2.2, pdfmetrics.stringWidth(sample[-1], FONT_BOLD, CODE_PT) * _PT_MM)
    return _check_geometry


_check_templates: list[np.ndarray] | None = None


def _templates() -> list[np.ndarray]:
    global _check_templates
    if _check_templates is None:
        from PIL import Image, ImageDraw, ImageFont

        from itog.blanks.render import font_dir

        from itog.blanks.render import CODE_PT

        r = _CHECK_PX_PER_MM
        size = int(round(CODE_PT * _PT_MM * r))
        font = ImageFont.truetype(str(font_dir() / "DejaVuSans-Bold.ttf"), size)
        _left, _base, width = _check_cell()
        w, h = int(round(width * r)), int(round(4.6 * r))
        templates = []
        for digit in "0123456789":
            img = Image.new("L", (w, h), 255)
            ImageDraw.Draw(img).text((0, h - int(round(0.5 * r))), digit, font=font, fill=0, anchor="ls")
            templates.append(cv2.GaussianBlur(np.asarray(img, np.float32), (0, 0), 0.8))
        _check_templates = templates
    return _check_templates


def _printed_check_digit(gray: np.ndarray, transform: "_Transform") -> tuple[int | None, list[float]]:
    """The printed check digit (``None`` if it cannot be told) and the ten match scores."""
    left, base, width = _check_cell()
    pad = 0.8
    patch = transform.sample(gray, left - pad, base - 4.1 - pad, width + 2 * pad, 4.6 + 2 * pad,
                             _CHECK_PX_PER_MM).astype(np.float32)
    scores = [float(cv2.matchTemplate(patch, t, cv2.TM_CCOEFF_NORMED).max()) for t in _templates()]
    order = sorted(range(10), key=lambda d: -scores[d])
    best, second = order[0], order[1]
    # Measured on generated scans (150–300 dpi, JPEG 50): the printed digit scores ≥ 0.97,
    # any other digit ≤ 0.82.
    if scores[best] < 0.8 or scores[best] - scores[second] < 0.08:
        return None, scores
    return best, scores


def _apply_content(result: PageResult, text: str) -> bool:
    """Fill the page identity from the 2D code text; False (with a reason) if the page
    cannot be read as ours."""
    match = _CONTENT_RE.match(text.strip())
    if not match:
        shown = text.strip()[:40]
        result.flag(REASONS["foreign_code"].format(text=shown))
        return False
    if match.group(1) != str(GEOMETRY_VERSION):
        result.flag(REASONS["version"].format(magic=f"ITOG{match.group(1)}", version=GEOMETRY_VERSION))
        return False
    code, letter, number = match.group(2), match.group(3), int(match.group(4))
    result.work_code = code
    result.page_type = _LETTER_TO_TYPE[letter]
    result.page_number = number
    if not codes.is_valid(code):
        result.flag(REASONS["check_digit"].format(code=codes.format_code(code)))
    return True


# ---------------------------------------------------------------------------
# Boxes

def _profile_peak(profile: np.ndarray, first: int, second: int, search: int) -> tuple[int, float, float]:
    """Shift within ±search maximising profile[first + s] + profile[second + s]."""
    best_shift, best = 0, -1.0
    n = len(profile)
    for s in range(-search, search + 1):
        a, b = first + s, second + s
        if 0 <= a < n and 0 <= b < n:
            value = profile[a] + profile[b]
            if value > best:
                best, best_shift = value, s
    return best_shift, float(profile[first + best_shift]), float(profile[second + best_shift])


def _measure_box(gray: np.ndarray, transform: _Transform, box: Box, black_ratio: float
                 ) -> tuple[bool, float, float]:
    """(frame found, ink, firm) for one box."""
    r, m = PATCH_PX_PER_MM, PATCH_MARGIN_MM
    patch = transform.sample(gray, box.x - m, box.y - m, box.w + 2 * m, box.h + 2 * m, r)
    white = _percentile_u8(patch, 0.9)
    if white < 1.0:
        return False, 0.0, 0.0
    scale = 1.0 / (white * max(1.0 - black_ratio, 0.2))
    dark = np.clip((white - patch.astype(np.float32)) * scale, 0.0, 1.0)
    dark = cv2.GaussianBlur(dark, (3, 3), 0.8)
    # The printed frame: its lines are at m and m + w (resp. h) mm in the patch.
    left, right = int(round(m * r)), int(round((m + box.w) * r))
    top, bottom = int(round(m * r)), int(round((m + box.h) * r))
    search = int(round(FRAME_SEARCH_MM * r))
    band_y = slice(top + (bottom - top) // 5, bottom - (bottom - top) // 5)
    band_x = slice(left + (right - left) // 5, right - (right - left) // 5)
    cols = cv2.blur(dark[band_y].mean(axis=0).reshape(1, -1), (3, 1)).ravel()
    rows = cv2.blur(dark[:, band_x].mean(axis=1).reshape(1, -1), (3, 1)).ravel()
    dx, fl, fr = _profile_peak(cols, left, right, search)
    dy, ft, fb = _profile_peak(rows, top, bottom, search)
    sides = (fl, fr, ft, fb)
    frame_found = min(sides) >= 0.22 and sum(sides) / 4 >= 0.35
    inset = int(round(INSET_MM * r))
    inner = dark[top + dy + inset:bottom + dy - inset + 1, left + dx + inset:right + dx - inset + 1]
    if inner.size == 0:
        return False, 0.0, 0.0
    ink = float(np.mean(np.where(inner >= _FAINT, inner, 0.0)))
    firm = float(np.mean(inner >= _DARK))
    return frame_found, ink, firm


def _classify(ink: float, firm: float, t: Thresholds) -> BoxResult:
    if ink >= t.mark_ink and firm >= t.mark_firm:
        margin = min((ink - t.mark_ink) / t.mark_ink, (firm - t.mark_firm) / t.mark_firm)
        return BoxResult("marked", 0.75 + 0.25 * min(max(margin, 0.0), 1.0), ink, firm)
    if ink < t.empty_ink and firm < t.empty_firm:
        closeness = max(ink / t.empty_ink, firm / t.empty_firm)
        return BoxResult("empty", 0.75 + 0.25 * (1.0 - min(closeness, 1.0)), ink, firm)
    # In the band between: how deep inside it (0 at an edge … 1 in the middle) → 0.25–0.45.
    span = math.log(t.mark_ink / t.empty_ink)
    depth = math.log(max(ink, 1e-6) / t.empty_ink) / span if span > 0 else 0.5
    depth = 1.0 - abs(min(max(depth, 0.0), 1.0) - 0.5) * 2
    return BoxResult("ambiguous", 0.25 + 0.2 * depth, ink, firm)


def _read_boxes(result: PageResult, gray: np.ndarray, transform: _Transform, black_ratio: float) -> None:
    lay: PageLayout = layout(result.page_type)
    boxes = scanned_boxes(lay.page_type)
    no_frame: list[str] = []
    for box in boxes:
        frame, ink, firm = _measure_box(gray, transform, box, black_ratio)
        thresholds = DIGIT_THRESHOLDS if box.kind == "digit" else MARK_THRESHOLDS
        if not frame:
            result.boxes[box.id] = BoxResult("ambiguous", 0.1, ink, firm)
            no_frame.append(box.id)
            continue
        box_result = _classify(ink, firm, thresholds)
        result.boxes[box.id] = box_result
        if box_result.state == "ambiguous":
            result.flag(REASONS["ambiguous"].format(caption=box_caption(box.id)))
    if len(no_frame) > 3:
        result.flag(REASONS["no_frames"].format(missing=len(no_frame), total=len(boxes)))
    else:
        for box_id in no_frame:
            result.flag(REASONS["no_frame"].format(caption=box_caption(box_id)))
    # «зачет» and «незачет» both marked in one row: the pair is ambiguous.
    for prefix, _caption, _bold in EXPERT_ROWS:
        passed, failed = result.boxes.get(f"{prefix}.pass"), result.boxes.get(f"{prefix}.fail")
        if passed and failed and passed.state == "marked" and failed.state == "marked":
            for b in (passed, failed):
                b.state, b.confidence = "ambiguous", 0.2
            result.flag(REASONS["both"].format(caption=_ROW_CAPTIONS[prefix]))


def _unknown_boxes(result: PageResult) -> None:
    """The page's code is known but its boxes cannot be located: every box needs a person."""
    if result.page_type:
        for box in scanned_boxes(result.page_type):
            result.boxes[box.id] = BoxResult("ambiguous", 0.0)


# ---------------------------------------------------------------------------
# The page

def _identify(image: np.ndarray, result: PageResult) -> tuple[np.ndarray, _Transform, float] | None:
    """Steps 1–4: blank page, fiducials, transform, 2D code.  Fills the page identity (or the
    reasons) in ``result``; returns the grey image, the transform and the scanner's black
    ratio when the boxes can be read."""
    try:
        gray = _to_gray(image)
    except Exception as exc:   # pragma: no cover - numpy/cv2 refuse only truly odd input
        result.flag(REASONS["bad_image"].format(error=exc))
        return None
    if gray.ndim != 2 or min(gray.shape) < 200:
        result.flag(REASONS["too_small"].format(width=gray.shape[-1] if gray.ndim else 0,
                                                height=gray.shape[0] if gray.ndim else 0))
        return None

    h, w = gray.shape
    est_px_per_mm = max(h, w) / PAGE_HEIGHT_MM     # if the page fills the image
    small, factor = gray, 1
    while est_px_per_mm / (factor * 2) >= WORK_MIN_PX_PER_MM and min(small.shape) > 400:
        small, factor = cv2.pyrDown(small), factor * 2
    work_ppm = est_px_per_mm / factor
    flat = _flatten_light(small, work_ppm)

    # 1. A blank page: no dark pixel in the central 80 %.
    sh, sw = flat.shape
    centre = flat[sh // 10: sh - sh // 10, sw // 10: sw - sw // 10]
    if float(np.mean(centre < 0.6)) < 0.0015:
        result.flag(REASONS["blank"])
        return None

    # 2. Fiducials.
    found = _find_rectangle(_candidates(flat, work_ppm), work_ppm)
    if found is None:
        texts = _read_code_page(gray, est_px_per_mm)
        if not texts:
            result.flag(REASONS["no_code"])
        elif _apply_content(result, texts[0][0]):
            result.flag(REASONS["no_fiducials"])
            _unknown_boxes(result)
        return None
    quad_small, _seen = found          # 3 seen: the fourth corner was completed
    side_small = np.linalg.norm(quad_small[1] - quad_small[0]) * _FID_SIDE_MM / _FID_SHORT_MM
    fiducials = [_refine(gray, x * factor, y * factor, side_small * factor) for x, y in quad_small]
    points = np.array([(f.x, f.y) for f in fiducials])
    px_per_mm = float(np.linalg.norm(points[1] - points[0]) / _FID_SHORT_MM)
    # The scanner's black relative to its paper white, from the fiducials' insides.
    ratios = [f.black / f.white for f in fiducials if f.white > 0]
    black_ratio = min(max(float(np.median(ratios)), 0.0), 0.6) if ratios else 0.0

    # 3. Two transforms: the short edge P0→P1 is the top (tl→tr) or the bottom (br→bl).
    hypotheses = [_Transform.fit(_FID_CENTRES, np.roll(points, -k, axis=0), px_per_mm) for k in (0, 2)]
    density = [_qr_density(flat, t, factor) for t in hypotheses]
    order = [0, 1] if density[0] >= density[1] else [1, 0]

    # 4. The 2D code.
    transform, text = None, None
    for k in order:
        text = _read_code_region(gray, hypotheses[k])
        if text is not None:
            transform = hypotheses[k]
            break
    if text is None:
        texts = _read_code_page(gray, px_per_mm)
        if not texts:
            result.flag(REASONS["no_code"] if max(density) < 0.2 else REASONS["code_unreadable"])
            return None
        text, where = texts[0]
        qr_centre = np.array([_QR_BOX.x + _QR_BOX.w / 2, _QR_BOX.y + _QR_BOX.h / 2])
        for k in order:
            inverse = np.linalg.inv(hypotheses[k].m)
            v = inverse @ np.array([where[0], where[1], 1.0])
            if np.linalg.norm(v[:2] / v[2] - qr_centre) < 10.0:
                transform = hypotheses[k]
                break
        if transform is None:
            if _apply_content(result, text):
                result.flag(REASONS["code_misplaced"])
                _unknown_boxes(result)
            return None
    result.rotation = transform.rotation()
    if not _apply_content(result, text):
        return None
    printed, _scores = _printed_check_digit(gray, transform)
    if printed is not None and str(printed) != result.work_code[-1]:
        result.flag(REASONS["printed_check"].format(coded=result.work_code[-1], printed=printed))
    return gray, transform, black_ratio


def recognize_page(image: np.ndarray, file: str = "", page: int = 1) -> PageResult:
    """Recognise one page image (grey or BGR numpy array, any dpi from ~100 up)."""
    result = PageResult(file=file, page=page)
    found = _identify(image, result)
    if found is not None:
        gray, transform, black_ratio = found
        _read_boxes(result, gray, transform, black_ratio)      # 5. Boxes.
    return result


def crop_box(image: np.ndarray, box_id: str, margin_mm: float = 4.0,
             px_per_mm: float = PATCH_PX_PER_MM) -> np.ndarray | None:
    """One box of a scanned page cut out upright with ``margin_mm`` of paper around it (for a
    person to look at), or ``None`` when the page cannot be aligned or has no such box."""
    result = PageResult(file="", page=1)
    found = _identify(image, result)
    if found is None or not result.page_type or box_id not in layout(result.page_type):
        return None
    gray, transform, _black = found
    box = layout(result.page_type).box(box_id)
    return transform.sample(gray, box.x - margin_mm, box.y - margin_mm, box.w + 2 * margin_mm,
                            box.h + 2 * margin_mm, px_per_mm)
