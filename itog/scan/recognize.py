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
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from itog.blanks import codes
from itog.blanks.geometry import EXPERT_ROWS, GEOMETRY_VERSION, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Box, PageLayout, layout

__all__ = [
    "BoxResult",
    "DEFAULT_PROFILE",
    "DIGIT_THRESHOLDS",
    "Figures",
    "MARK_THRESHOLDS",
    "Profile",
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

WORK_MIN_PX_PER_MM = 1.5  # the reduced copy (halvings of the image) to find fiducials, blank pages
PATCH_PX_PER_MM = 8.0  # box sampling resolution
QR_PX_PER_MM = 6.0  # 2D code resampling (a module is 0.76 mm → 4.5 px)
PATCH_MARGIN_MM = 2.0  # paper around a box in its patch (the gap to any other box)
FRAME_SEARCH_MM = 1.2  # how far the printed frame may be from where the transform puts it
INSET_MM = 1.0  # measured area = frame inset by this (frame line 0.35 mm + blur)

_REG = layout("registration")
_FID_IDS = ("fid.tl", "fid.tr", "fid.br", "fid.bl")  # clockwise from the top-left
_FID_CENTRES = np.array([[_REG.box(i).x + _REG.box(i).w / 2, _REG.box(i).y + _REG.box(i).h / 2] for i in _FID_IDS])
_FID_SIDE_MM = _REG.box("fid.tl").w
_FID_SHORT_MM = float(_FID_CENTRES[1, 0] - _FID_CENTRES[0, 0])  # 187 mm
_FID_LONG_MM = float(_FID_CENTRES[3, 1] - _FID_CENTRES[0, 1])  # 274 mm
_FID_RATIO = _FID_SHORT_MM / _FID_LONG_MM
_QR_BOX = _REG.box("qr")
_QR_QUIET_MM = _QR_BOX.w * 4 / (codes.QR_SIZE + 8)  # quiet zone of 4 modules

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
    "pencil": "Отметка карандашом, цветной или бледной ручкой (карандаш), прочитана как «отмечено» — подтвердите: {caption}",
    "corrected": "Исправленная отметка (поле закрашено и зачеркнуто): {caption}",
    "stroke": "Через поле проходит посторонний штрих (подпись, печать): {caption}",
    "dot": "Вместо отметки точка или очень мелкий знак: {caption}",
    "circled": "Поле обведено (не зачеркнуто): {caption}",
    "struck": "Отметка зачеркнута или через поле проходит линия (от края до края): {caption}",
    "faint": "Бледный след в поле, возможно отметка: {caption}",
    "both": "Неоднозначная отметка: отмечены и «зачет», и «незачет» — {caption}",
    "no_frame": "Не найдена рамка поля: {caption} (бланк смят, закрыт или не совпадает разметка)",
    "no_frames": "Не найдены рамки {missing} полей из {total} (бланк смят, искажен или не совпадает разметка)",
    "two_pages": "На изображении больше одного бланка (листы отсканированы вместе): прочитан только один, "
    "отсканируйте каждый бланк отдельно",
    "too_small": "Изображение слишком мало для распознавания ({width}×{height} точек)",
    "bad_image": "Изображение не читается: {error}",
}


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds on the figures of a box (:class:`Figures`).

    ``marked``: ``ink >= mark_ink``, ``firm >= mark_firm`` and ``peak >= pen_peak`` (pen);
    ``pencil``: ``ink >= pencil_ink`` with strokes lighter than ``pen_peak`` and little firm ink
    — read as marked, flagged «карандаш» for a person; ``empty``: ``ink < empty_ink``,
    ``firm < empty_firm`` and ``faint < faint_max``; a heavily filled box with strokes running out
    of it (``firm >= corrected_firm`` and ``ring >= corrected_ring``) is a corrected mark and a
    moderate mark with ``ring >= stroke_ring`` (and ``ring >= 0.3 × ink``) is a stroke passing
    through (a signature): both ambiguous; anything else is ambiguous.
    """

    mark_ink: float
    mark_firm: float
    empty_ink: float
    empty_firm: float
    pen_peak: float = 0.52
    pencil_ink: float = 0.012
    faint_max: float = 0.06
    corrected_firm: float = 0.6
    corrected_ring: float = 0.03
    stroke_ring: float = 0.02
    pencil_extent: float = 2.5
    stroke_ratio: float = 0.25
    faint_mark: float = 0.015
    crease_spread: float = 0.4

    def to_json(self) -> dict:
        return {k: round(float(v), 5) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict, base: Thresholds | None = None) -> Thresholds:
        values = asdict(base) if base is not None else {}
        values.update({k: float(v) for k, v in data.items() if k in cls.__dataclass_fields__})
        return cls(**values)


# Measured on the field-like generator (itog.scan.fieldsim: pdfium-rasterised kits, 100–300 dpi,
# photos, shadows, folds, stamps, fax, JPEG 25) and the scanner-like one (itog.scan.synth):
# pen crosses ink ≥ 0.12, ticks ≥ 0.067, firm ≥ 0.076, stroke peak ≥ 0.58; stray short strokes
# 0.03–0.04; pencil ink 0.02–0.11 with firm 0 and peak 0.34–0.45; faint ballpoint ticks ink
# 0.024–0.07, peak 0.39–0.54; empty boxes under creases and stains ink ≤ 0.005, faint ≤ 0.05.
MARK_THRESHOLDS = Thresholds(mark_ink=0.05, mark_firm=0.03, empty_ink=0.008, empty_firm=0.004)
# A digit box is 5 × 7 mm inside: handwritten digits measured ink ≥ 0.053 (a thin «1»).
# Digits stay inside their cell (ring ≈ 0 on 95 % of them): any stroke leaving it is suspect.
DIGIT_THRESHOLDS = Thresholds(
    mark_ink=0.03, mark_firm=0.012, empty_ink=0.008, empty_firm=0.004, stroke_ring=0.008, stroke_ratio=0.05
)


@dataclass(frozen=True)
class Profile:
    """Thresholds of one scanner (or one kind of input), fitted by ``itog scan calibrate``."""

    name: str = "default"
    mark: Thresholds = MARK_THRESHOLDS
    digit: Thresholds = DIGIT_THRESHOLDS

    def to_json(self) -> dict:
        return {"name": self.name, "mark": self.mark.to_json(), "digit": self.digit.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> Profile:
        return cls(
            name=str(data.get("name") or "default"),
            mark=Thresholds.from_json(data.get("mark") or {}, MARK_THRESHOLDS),
            digit=Thresholds.from_json(data.get("digit") or {}, DIGIT_THRESHOLDS),
        )


DEFAULT_PROFILE = Profile()

_DARK = 0.5  # "firm" ink: at least half as dark as printed black
_FAINT = 0.12  # below this a pixel is paper (noise, JPEG ringing)


# ---------------------------------------------------------------------------
# Results


@dataclass
class BoxResult:
    state: str  # "marked" | "empty" | "ambiguous"
    confidence: float  # 0..1; < 0.5 for ambiguous
    ink: float = 0.0  # measured figures, for calibration and debugging
    firm: float = 0.0
    figures: Figures | None = None
    note: str = ""  # "pencil" (read as marked, for a person to confirm) | "corrected" | "stroke" | "faint" | "struck" | "dot" | "circled"

    def to_json(self) -> dict:
        out = {"state": self.state, "confidence": round(float(self.confidence), 3)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class PageResult:
    """What was read from one page.  ``status`` is ``flagged`` whenever there is a reason."""

    file: str
    page: int  # 1-based index of the page inside its file
    work_code: str | None = None
    page_type: str | None = None  # registration | answer | extra_answer
    page_number: int | None = None  # the blank's number from the 2D code
    boxes: dict[str, BoxResult] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    rotation: float | None = None  # degrees, the page's up direction in the image (0 = upright)

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
    def from_json(cls, data: dict) -> PageResult:
        return cls(
            file=data["file"],
            page=int(data["page"]),
            work_code=data.get("work_code"),
            page_type=data.get("page_type"),
            page_number=data.get("page_number"),
            boxes={
                k: BoxResult(v["state"], float(v["confidence"]), note=v.get("note", ""))
                for k, v in (data.get("boxes") or {}).items()
            },
            reasons=list(data.get("reasons") or []),
            rotation=data.get("rotation"),
        )


# ---------------------------------------------------------------------------
# Boxes and their captions


def scanned_boxes(page_type: str) -> list[Box]:
    """The boxes recognised on a page type: every mark and digit box, layout order."""
    return layout(page_type).of_kind("mark", "digit")


_ROW_CAPTIONS = {
    prefix: caption.split(". «")[0] if prefix.startswith("req") else caption for prefix, caption, _bold in EXPERT_ROWS
}


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


def ink_gray(bgr: np.ndarray) -> np.ndarray:
    """Grey of a colour scan for reading black ink: the brightest of the three channels.  Black ink
    (and pencil) is dark in all three; a violet stamp, a brown coffee stain, a coloured pre-print
    are bright in at least one and fade towards paper — the «drop-out colour» of OMR forms.  A blue
    pen comes out mid-grey: it is flagged like pencil, never read as empty with confidence."""
    b, g, r = cv2.split(np.ascontiguousarray(bgr))
    return cv2.max(cv2.max(b, g), r)


def _to_gray(image: np.ndarray) -> np.ndarray:
    img = np.asarray(image)
    if img.ndim == 3:
        if img.shape[2] in (3, 4):
            img = ink_gray(img[:, :, :3])
        else:
            img = img[:, :, 0]
    if img.dtype == np.bool_:
        img = img.astype(np.uint8) * 255
    elif img.dtype != np.uint8:
        img = img.astype(np.float64)
        low, high = float(img.min()), float(img.max())
        img = np.zeros(img.shape, np.uint8) if high <= low else ((img - low) * (255.0 / (high - low))).astype(np.uint8)
    return np.ascontiguousarray(img)


def _stretch_contrast(gray: np.ndarray, small: np.ndarray, flat: np.ndarray) -> np.ndarray | None:
    """A washed-out grey scan (printed black at 130 on paper at 190: a toner-saving copy, a scanner's
    «lighter» setting) stretched linearly to the full range, so that the fiducials, the 2D code and the
    ink are dark again (``None`` when the scan has real blacks).  Decided on the lighting-flattened work
    copy ``flat``: the fiducials and the 2D code alone are ~0.6 % of a blank, so on a normal scan its
    darkest 0.2 % is black; between 0.45 and 0.85 of the paper it is printing at low contrast; a blank
    sheet with show-through or grain stays above 0.85 and stays «Пустая страница».  Darkness relative to
    the scan's own black (the fiducials') is unchanged by a linear stretch, so marks are measured as
    before."""
    values = flat.ravel()
    k = max(int(values.size * 0.002), 1)
    darkest = float(np.partition(values, k)[k])
    if not 0.45 < darkest < 0.85:
        return None
    lo, hi = _percentile_u8(small, 0.002), _percentile_u8(small, 0.99)
    if hi - lo < 20:
        return None
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * (245.0 / (hi - lo)) + 5.0, 0, 255).astype(np.uint8)
    return cv2.LUT(gray, lut)


def _flatten_light(small: np.ndarray, ppm: float, size_mm: float = 12.0, smooth: bool = True) -> np.ndarray:
    """``small`` divided by a local maximum of the paper (≈ 12 mm): 1.0 = paper, 0 = black.
    ``smooth=False`` with a smaller window follows a hard shadow edge more closely."""
    k = int(round(size_mm * ppm)) | 1
    background = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    if smooth:
        background = cv2.blur(background, (k, k))
    return small.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)


@dataclass
class _Fiducial:
    x: float  # centroid in full-resolution pixel index coordinates
    y: float
    side: float  # side in full-resolution pixels (sqrt of the area)
    black: float  # median grey inside
    white: float  # paper grey around


def _candidates(flat: np.ndarray, ppm: float) -> list[tuple[float, float, float, float]]:
    """Dark solid square components of the work copy: (cx, cy, side, fill) in work pixels."""
    binary = (flat < 0.55).astype(np.uint8)
    n, _labels, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    height, width = binary.shape
    expected = _FID_SIDE_MM * ppm
    x, y, w, h, area = (stats[1:, i].astype(np.float64) for i in range(5))
    keep = (
        (x > 0)
        & (y > 0)
        & (x + w < width)
        & (y + h < height)
        & (w >= 0.4 * expected)
        & (w <= 2.2 * expected)
        & (h >= 0.4 * expected)
        & (h <= 2.2 * expected)
        & (w <= 1.43 * h)
        & (h <= 1.43 * w)
        & (area >= 0.68 * w * h)
    )
    idx = np.nonzero(keep)[0]
    out = [
        (float(centroids[i + 1][0]), float(centroids[i + 1][1]), math.sqrt(area[i]), area[i] / (w[i] * h[i]))
        for i in idx
    ]
    out.sort(key=lambda c: -c[3])
    return out[:12]


def _convex_order(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    return sorted(points, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))  # clockwise on the page


def _quad_error(quad: list[tuple[float, float]], sides: list[float]) -> tuple[float, list[tuple[float, float]]] | None:
    """How far four points (convex order) are from a *view* of the fiducial rectangle: a scan
    (a rectangle, any rotation) or a phone photo (a perspective view: up to ~15° of tilt of the
    camera, any rotation in the image plane).  ``None`` if too far.  Returns the error and the
    points rotated so that the first edge is a short one.

    Checked: the four corners turn the same way (convex), each angle is 90° ± 28°, opposite
    edges differ by at most 35 %, the short/long proportion is within 22 % of 187/274, and each
    blob's size is within a factor 1.6 of what the local scale of the view predicts."""
    q = np.asarray(quad, float)
    edges = [math.dist(quad[i], quad[(i + 1) % 4]) for i in range(4)]
    if min(edges) <= 0:
        return None
    if edges[0] + edges[2] > edges[1] + edges[3]:
        quad, edges, sides = quad[1:] + quad[:1], edges[1:] + edges[:1], sides[1:] + sides[:1]
        q = np.asarray(quad, float)
    crosses = []
    angle_err = 0.0
    for i in range(4):
        a, b, c = q[i - 1], q[i], q[(i + 1) % 4]
        u, v = a - b, c - b
        crosses.append(u[0] * v[1] - u[1] * v[0])
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
        angle_err = max(angle_err, abs(math.degrees(math.acos(min(max(cos, -1.0), 1.0))) - 90.0))
    if not (all(c > 0 for c in crosses) or all(c < 0 for c in crosses)) or angle_err > 28.0:
        return None
    opposite = max(abs(math.log(edges[0] / edges[2])), abs(math.log(edges[1] / edges[3])))
    short, long_ = (edges[0] + edges[2]) / 2, (edges[1] + edges[3]) / 2
    proportion = abs(math.log(short / long_ / _FID_RATIO))
    if opposite > math.log(1.35) or proportion > math.log(1.22):
        return None
    # the size of each blob against the local scale at its corner (mean of its two edges)
    size_error = 0.0
    for i in range(4):
        local = edges[i] / _FID_SHORT_MM if i % 2 == 0 else edges[i] / _FID_LONG_MM
        local = (local + (edges[i - 1] / (_FID_LONG_MM if i % 2 == 0 else _FID_SHORT_MM))) / 2
        size_error = max(size_error, abs(math.log(sides[i] / (local * _FID_SIDE_MM))))
    if size_error > math.log(1.6):
        return None
    return math.radians(angle_err) + opposite + proportion + 0.3 * size_error, quad


def _triangle_to_quad(
    tri: list[tuple[float, float]], sides: list[float]
) -> tuple[float, list[tuple[float, float]]] | None:
    """Three fiducials at a right angle: complete the fourth corner (parallelogram).  Only a
    first guess under perspective: the 2D code corrects it (:func:`_refine_with_code`)."""
    best = None
    median = sorted(sides)[1]
    for k in range(3):
        corner, a, b = tri[k], tri[(k + 1) % 3], tri[(k + 2) % 3]
        fourth = (a[0] + b[0] - corner[0], a[1] + b[1] - corner[1])
        pts = [corner, a, b, fourth]
        order = _convex_order(pts)
        side_of = {p: sd for p, sd in zip(pts, [sides[k], sides[(k + 1) % 3], sides[(k + 2) % 3], median])}
        found = _quad_error(order, [side_of[p] for p in order])
        if found and (best is None or found[0] < best[0]):
            best = (found[0] + 0.05, found[1], fourth)
    return best


def _find_rectangle(
    cands: list[tuple[float, float, float, float]], ppm: float, limit: int = 4
) -> list[tuple[np.ndarray, int, tuple[float, float] | None]]:
    """Candidate fiducial quadrilaterals, best first: the four centres in work pixels (convex
    order, short edge first), how many of them were seen (4, or 3 when a corner is cut or
    folded), and the completed corner when 3.  Every four-point view comes before the
    three-point ones; the 2D code decides among them (a filled 7 mm box is as square as a
    fiducial).  Pairs closer than a third of the short span, or of too different sizes, cannot
    both be fiducials: they are pruned before trying the combinations."""
    n = len(cands)
    if n < 3:
        return []
    pts = [(c[0], c[1]) for c in cands]
    sides = [c[2] for c in cands]
    min_dist = 0.35 * _FID_SHORT_MM * ppm
    ok = [
        [
            i != j
            and math.dist(pts[i], pts[j]) >= min_dist
            and max(sides[i], sides[j]) <= 1.8 * min(sides[i], sides[j])
            for j in range(n)
        ]
        for i in range(n)
    ]
    fours = []
    for i, j, k in itertools.combinations(range(n), 3):
        if not (ok[i][j] and ok[i][k] and ok[j][k]):
            continue
        for m in range(k + 1, n):
            if ok[i][m] and ok[j][m] and ok[k][m]:
                idx = (i, j, k, m)
                order = _convex_order([pts[t] for t in idx])
                side_of = {pts[t]: sides[t] for t in idx}
                found = _quad_error(order, [side_of[p] for p in order])
                if found:
                    fours.append((found[0], found[1]))
    fours.sort(key=lambda f: f[0])
    out: list[tuple[np.ndarray, int, tuple[float, float] | None]] = [(np.array(f[1]), 4, None) for f in fours[:limit]]
    threes = []
    for i, j, k in itertools.combinations(range(n), 3):
        if ok[i][j] and ok[i][k] and ok[j][k]:
            found = _triangle_to_quad([pts[i], pts[j], pts[k]], [sides[i], sides[j], sides[k]])
            if found:
                threes.append(found)
    threes.sort(key=lambda f: f[0])
    out += [(np.array(f[1]), 3, f[2]) for f in threes[:limit]]
    return out


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
    label = labels[min(max(int(round(cy)), 0), labels.shape[0] - 1), min(max(int(round(cx)), 0), labels.shape[1] - 1)]
    if label == 0:
        label = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    blob = labels == label
    inner = cv2.erode(blob.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    black = float(np.median(crop[inner])) if inner.any() else black
    gx, gy = centroids[label]
    return _Fiducial(x0 + float(gx), y0 + float(gy), math.sqrt(float(stats[label, cv2.CC_STAT_AREA])), black, white)


class _Transform:
    """mm on the page → pixel index coordinates of the image (3×3 matrix)."""

    def __init__(self, matrix: np.ndarray, affine: bool) -> None:
        self.m = matrix
        self.affine = affine

    @classmethod
    def fit(cls, model_mm: np.ndarray, image_px: np.ndarray, px_per_mm: float) -> _Transform:
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

    def sample(
        self, gray: np.ndarray, x_mm: float, y_mm: float, w_mm: float, h_mm: float, px_per_mm: float
    ) -> np.ndarray:
        """Resample the page region (x, y, w, h) in mm upright; output pixel (u, v) is at
        mm (x + u / r, y + v / r)."""
        out_w, out_h = int(round(w_mm * px_per_mm)) + 1, int(round(h_mm * px_per_mm)) + 1
        a = np.array([[1.0 / px_per_mm, 0.0, x_mm], [0.0, 1.0 / px_per_mm, y_mm], [0.0, 0.0, 1.0]])
        m = self.m @ a
        flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        if self.affine:
            return cv2.warpAffine(
                gray, m[:2], (out_w, out_h), flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=255
            )
        return cv2.warpPerspective(
            gray, m, (out_w, out_h), flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=255
        )

    def rotation(self) -> float:
        """Angle of the page's x axis in the image, degrees, counter-clockwise positive
        as seen on screen; 0 = upright, ±180 = upside down."""
        x0, y0 = self.apply(0.0, PAGE_HEIGHT_MM / 2)
        x1, y1 = self.apply(PAGE_WIDTH_MM, PAGE_HEIGHT_MM / 2)
        return math.degrees(math.atan2(-(y1 - y0), x1 - x0))


# ---------------------------------------------------------------------------
# 2D code


def _decode(image: np.ndarray, *, rotate: bool) -> list[tuple[str, np.ndarray]]:
    """Every QR code in ``image``: its text and its four corners (the symbol's own top-left,
    top-right, bottom-right, bottom-left) in pixel index coordinates."""
    import zxingcpp

    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=rotate, try_downscale=rotate, try_invert=False
    )
    out = []
    for barcode in found:
        p = barcode.position
        corners = np.array(
            [
                [p.top_left.x, p.top_left.y],
                [p.top_right.x, p.top_right.y],
                [p.bottom_right.x, p.bottom_right.y],
                [p.bottom_left.x, p.bottom_left.y],
            ],
            dtype=float,
        )
        out.append((barcode.text, corners))
    return out


_QR_GRID = np.array(
    [
        [x, y, 1.0]
        for y in np.linspace(_QR_BOX.y + _QR_QUIET_MM, _QR_BOX.bottom - _QR_QUIET_MM, 12)
        for x in np.linspace(_QR_BOX.x + _QR_QUIET_MM, _QR_BOX.right - _QR_QUIET_MM, 12)
    ]
).T


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


# The corners of the QR symbol (quiet zone excluded) in page mm, in the symbol's own order.
_QR_CORNERS_MM = np.array(
    [
        [_QR_BOX.x + _QR_QUIET_MM, _QR_BOX.y + _QR_QUIET_MM],
        [_QR_BOX.right - _QR_QUIET_MM, _QR_BOX.y + _QR_QUIET_MM],
        [_QR_BOX.right - _QR_QUIET_MM, _QR_BOX.bottom - _QR_QUIET_MM],
        [_QR_BOX.x + _QR_QUIET_MM, _QR_BOX.bottom - _QR_QUIET_MM],
    ]
)


def _read_code_region(gray: np.ndarray, transform: _Transform, margin: float = 1.5) -> tuple[str, np.ndarray] | None:
    """The 2D code where ``transform`` puts it: its text and its corners in image pixels."""
    x0, y0 = _QR_BOX.x - margin, _QR_BOX.y - margin
    crop = transform.sample(gray, x0, y0, _QR_BOX.w + 2 * margin, _QR_BOX.h + 2 * margin, QR_PX_PER_MM)
    found = _decode(crop, rotate=False)
    if not found:
        found = _decode(cv2.GaussianBlur(crop, (3, 3), 0), rotate=True)
    if not found:
        return None
    text, corners = found[0]
    image_pts = np.array([transform.apply(x0 + u / QR_PX_PER_MM, y0 + v / QR_PX_PER_MM) for u, v in corners])
    return text, image_pts


def _read_code_page(gray: np.ndarray, px_per_mm: float) -> list[tuple[str, np.ndarray]]:
    """Whole-page fallback: at ~4 px/mm first, then at full resolution.  Texts with the centre
    of their symbol in image pixels."""
    if px_per_mm > 5.0:
        f = 4.0 / px_per_mm
        mid = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        found = _decode(mid, rotate=True)
        if found:
            return [(text, (corners.mean(axis=0) + 0.5) / f - 0.5) for text, corners in found]
    return [(text, corners.mean(axis=0)) for text, corners in _decode(gray, rotate=True)]


def _refine_with_code(fid_mm: np.ndarray, fid_px: np.ndarray, qr_px: np.ndarray, px_per_mm: float) -> _Transform | None:
    """A perspective map fitted to the three fiducials seen and the 2D code's four corners (a cut
    corner: the code stands in for the lost one).  ``None`` when it does not fit the seven points
    within 1 mm — then the three blobs were not the fiducials (a filled box is as square)."""
    src = np.vstack([fid_mm, _QR_CORNERS_MM]).astype(np.float32)
    dst = np.vstack([fid_px, qr_px]).astype(np.float32)
    h, _mask = cv2.findHomography(src, dst, 0)
    if h is None or not np.all(np.isfinite(h)):
        return None
    candidate = _Transform(h, affine=False)
    fitted = np.array([candidate.apply(x, y) for x, y in src])
    if np.abs(fitted - dst).max() / px_per_mm > 1.0:
        return None
    return candidate


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

        from itog.blanks.render import CODE_PT, font_dir

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


def _printed_check_digit(gray: np.ndarray, transform: _Transform) -> tuple[int | None, list[float]]:
    """The printed check digit (``None`` if it cannot be told) and the ten match scores."""
    left, base, width = _check_cell()
    pad = 0.8
    patch = transform.sample(
        gray, left - pad, base - 4.1 - pad, width + 2 * pad, 4.6 + 2 * pad, _CHECK_PX_PER_MM
    ).astype(np.float32)
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


@dataclass
class Figures:
    """What was measured in one box (shares of the measured area, darkness 0 = paper … 1 = the
    scanner's black): ``ink`` — the mass of visible ink (darkness ≥ 0.3); ``firm`` — the share of
    pixels at least half as dark as printed black; ``faint`` — the mass of barely visible
    darkness (0.12–0.3: creases, stains, a faint pen); ``peak`` — how dark the strokes are
    (90th percentile of the visible ink: pen ≈ 0.9, pencil 0.3–0.6); ``ring`` — the visible ink
    just outside the frame (0.6–1.5 mm: strokes running out of the box)."""

    frame: bool = False
    ink: float = 0.0
    firm: float = 0.0
    faint: float = 0.0
    peak: float = 0.0
    ring: float = 0.0
    extent: float = 0.0  # mm: the larger side of the visible ink's bounding box
    spread: float = 0.0  # mm: the faint darkness's spread across its main direction (a crease ≈ 0.2)
    struck: bool = False  # a line leaves the box through two opposite sides (struck through, a streak)


def _struck(dark: np.ndarray, y0: int, y1: int, x0: int, x1: int, r: float) -> bool:
    """A line crosses the strips 0.6–1.9 mm outside the frame on two opposite sides, within the middle
    of the box's height (resp. width): a mark struck through (the writer's «cancel»), a scanner streak.
    An ordinary cross or tick that overshoots does so at the corners, out of these strips; the rules
    between the rows of the blank are 3 mm and more away."""
    a, b = int(round(0.6 * r)), int(round(1.9 * r))
    h, w = dark.shape
    my0, my1 = y0 + (y1 - y0) // 5, y1 - (y1 - y0) // 5
    mx0, mx1 = x0 + (x1 - x0) // 5, x1 - (x1 - x0) // 5

    def crossed(strip: np.ndarray, axis: int) -> bool:
        # every column (axis 0: every row) of the strip has a visible pixel in the middle band
        return strip.size > 0 and float(strip.max(axis=axis).min()) >= _VISIBLE

    left = dark[my0:my1, max(x0 - b, 0) : max(x0 - a, 0)]
    right = dark[my0:my1, min(x1 + a, w) : min(x1 + b, w)]
    top = dark[max(y0 - b, 0) : max(y0 - a, 0), mx0:mx1]
    bottom = dark[min(y1 + a, h) : min(y1 + b, h), mx0:mx1]
    return (crossed(left, 0) and crossed(right, 0)) or (crossed(top, 1) and crossed(bottom, 1))


_VISIBLE = 0.3
_CLOSE_KERNEL = cv2.getStructuringElement(cv2.MORPH_RECT, (21, 21))  # 2.6 mm at 8 px/mm (separable: fast)


def _strip_background(patch: np.ndarray, strip: int, reach: int) -> np.ndarray:
    """The paper's brightness under the patch, interpolated from the paper around the box (the
    brightest pixels of the four outer strips, smoothed along them): follows shadows, light
    gradients and stains that reach under the box, ignores whatever is inside the frame."""
    h, w = patch.shape
    kernel = np.ones((1, 2 * reach + 1), np.uint8)

    def smooth(profile: np.ndarray) -> np.ndarray:
        p = cv2.dilate(profile.reshape(1, -1), kernel).astype(np.float32)
        return cv2.blur(p, (2 * reach + 1, 1)).ravel()

    left, right = smooth(patch[:, :strip].max(axis=1)), smooth(patch[:, w - strip :].max(axis=1))
    top, bottom = smooth(patch[:strip, :].max(axis=0)), smooth(patch[h - strip :, :].max(axis=0))
    tx = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    ty = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    across = left[:, None] * (1 - tx) + right[:, None] * tx
    down = top[None, :] * (1 - ty) + bottom[None, :] * ty
    return np.maximum((across + down) * 0.5, 1.0)


def _measure_box(gray: np.ndarray, transform: _Transform, box: Box, black_ratio: float) -> Figures:
    """The figures of one box (``frame`` False when its printed frame is not where it should be)."""
    r, m = PATCH_PX_PER_MM, PATCH_MARGIN_MM
    patch = transform.sample(gray, box.x - m, box.y - m, box.w + 2 * m, box.h + 2 * m, r)
    search = int(round(FRAME_SEARCH_MM * r))
    left, right = int(round(m * r)), int(round((m + box.w) * r))
    top, bottom = int(round(m * r)), int(round((m + box.h) * r))
    background = _strip_background(patch, max(left - search, 3), int(round(r)))
    # Shadow edges and light falling off inside the box: a closing wider than any pen stroke
    # (2.5 mm) follows the paper; it may not go below 70 % of the paper around the box (whose
    # interpolation already follows most of a shadow), so a filled box stays ink.
    closed = cv2.morphologyEx(patch, cv2.MORPH_CLOSE, _CLOSE_KERNEL).astype(np.float32)
    background = np.maximum(np.minimum(cv2.blur(closed, (5, 5)), background), 0.7 * background)
    dark = (background - patch.astype(np.float32)) / (background * max(1.0 - black_ratio, 0.2))
    dark = cv2.GaussianBlur(np.clip(dark, 0.0, 1.0), (3, 3), 0.8)
    # The printed frame: its lines are at m and m + w (resp. h) mm in the patch.
    band_y = slice(top + (bottom - top) // 5, bottom - (bottom - top) // 5)
    band_x = slice(left + (right - left) // 5, right - (right - left) // 5)
    cols = cv2.blur(dark[band_y].mean(axis=0).reshape(1, -1), (3, 1)).ravel()
    rows = cv2.blur(dark[:, band_x].mean(axis=1).reshape(1, -1), (3, 1)).ravel()
    dx, fl, fr = _profile_peak(cols, left, right, search)
    dy, ft, fb = _profile_peak(rows, top, bottom, search)
    sides = (fl, fr, ft, fb)
    frame_found = min(sides) >= 0.22 and sum(sides) / 4 >= 0.35
    inset = int(round(INSET_MM * r))
    inner = dark[top + dy + inset : bottom + dy - inset + 1, left + dx + inset : right + dx - inset + 1]
    if inner.size == 0:
        return Figures()
    visible = inner >= _VISIBLE
    ink = float(np.mean(np.where(visible, inner, 0.0)))
    faint = float(np.mean(np.where((inner >= _FAINT) & ~visible, inner, 0.0)))
    firm = float(np.mean(inner >= _DARK))
    strokes = inner[visible]
    peak = float(np.percentile(strokes, 90)) if strokes.size >= 8 else 0.0
    extent = 0.0
    if strokes.size:
        ys, xs = np.nonzero(visible)
        extent = float(max(xs.max() - xs.min(), ys.max() - ys.min()) + 1) / r
    # Outside the frame, 0.6–1.5 mm from it.
    o0, o1 = int(round(0.6 * r)), int(round(1.5 * r))
    y0, y1, x0, x1 = top + dy, bottom + dy, left + dx, right + dx
    outer = dark[max(y0 - o1, 0) : y1 + o1 + 1, max(x0 - o1, 0) : x1 + o1 + 1]
    hole = dark[max(y0 - o0, 0) : y1 + o0 + 1, max(x0 - o0, 0) : x1 + o0 + 1]
    ring_mass = float(np.where(outer >= _VISIBLE, outer, 0.0).sum() - np.where(hole >= _VISIBLE, hole, 0.0).sum())
    ring = ring_mass / max(outer.size - hole.size, 1)
    spread = 0.0
    if faint >= 0.01:
        ys, xs = np.nonzero(inner >= _FAINT)
        if len(xs) >= 6:
            w = inner[ys, xs].astype(np.float64)
            cov = np.cov(np.vstack([xs, ys]), aweights=w)
            spread = float(math.sqrt(max(np.linalg.eigvalsh(cov)[0], 0.0))) / r
    return Figures(frame_found, ink, firm, faint, peak, ring, extent, spread, _struck(dark, y0, y1, x0, x1, r))


def _classify(
    ink: float,
    firm: float,
    t: Thresholds,
    *,
    faint: float = 0.0,
    peak: float = 1.0,
    ring: float = 0.0,
    extent: float = 5.0,
    spread: float = 0.0,
) -> BoxResult:
    if firm >= t.corrected_firm and ring >= t.corrected_ring:
        return BoxResult("ambiguous", 0.3, ink, firm, note="corrected")
    if ink >= t.empty_ink and firm < t.corrected_firm and ring >= t.stroke_ring and ring >= t.stroke_ratio * ink:
        return BoxResult("ambiguous", 0.3, ink, firm, note="stroke")
    if ink >= t.mark_ink and firm >= t.mark_firm and peak >= t.pen_peak:
        margin = min(
            (ink - t.mark_ink) / t.mark_ink, (firm - t.mark_firm) / t.mark_firm, 0.2 + (peak - t.pen_peak) / 0.05
        )
        return BoxResult("marked", 0.75 + 0.25 * min(max(margin, 0.0), 1.0), ink, firm)
    if ink >= t.pencil_ink and peak < t.pen_peak and firm < t.mark_firm and extent >= t.pencil_extent:
        # Light strokes of a real size: pencil (or a pen barely pressed).  The likely reading is
        # «marked»; a person confirms (the participant and the expert must use black ink).
        return BoxResult("marked", 0.5, ink, firm, note="pencil")
    if ink < t.empty_ink and firm < t.empty_firm and faint >= t.faint_mark and spread >= t.crease_spread:
        # Faint darkness that is not a thin straight line (a crease is): a pen barely pressed, lost at
        # this resolution.  Never «empty» with confidence.
        return BoxResult("ambiguous", 0.35, ink, firm, note="faint")
    if ink < t.empty_ink and firm < t.empty_firm and faint < t.faint_max:
        # a crease or a stain leaves some faint darkness: it lowers the confidence only past half the limit
        closeness = max(ink / t.empty_ink, firm / t.empty_firm, 2 * faint / t.faint_max - 1.0)
        return BoxResult("empty", 0.75 + 0.25 * (1.0 - min(closeness, 1.0)), ink, firm)
    # In the band between: how deep inside it (0 at an edge … 1 in the middle) → 0.25–0.45.
    span = math.log(t.mark_ink / t.empty_ink)
    depth = math.log(max(ink, 1e-6) / t.empty_ink) / span if span > 0 else 0.5
    depth = 1.0 - abs(min(max(depth, 0.0), 1.0) - 0.5) * 2
    return BoxResult("ambiguous", 0.25 + 0.2 * depth, ink, firm)


DOT_MM = 2.6  # a mark whose ink spans less than this (mm) is a dot, not a cross or a tick
_CIRCLE_MARGIN_MM = 2.6  # a row's neighbour box is 3 mm away


def _circled(gray: np.ndarray, transform: _Transform, box: Box, black_ratio: float) -> bool:
    """A line goes round the box 0.7–2.6 mm outside its frame on all four sides (the box circled).  A rule
    between rows, a streak or a caption touches one or two sides only."""
    r, m = PATCH_PX_PER_MM, _CIRCLE_MARGIN_MM
    patch = transform.sample(gray, box.x - m, box.y - m, box.w + 2 * m, box.h + 2 * m, r).astype(np.float32)
    paper = max(float(np.percentile(patch, 90)), 1.0)
    dark = (paper - patch) / (paper * max(1.0 - black_ratio, 0.2)) >= _VISIBLE
    a, b = int(round(0.7 * r)), int(round(m * r)) - 1
    x0, y0 = int(round(m * r)), int(round(m * r))
    x1, y1 = int(round((m + box.w) * r)), int(round((m + box.h) * r))
    my0, my1 = y0 + (y1 - y0) // 4, y1 - (y1 - y0) // 4
    mx0, mx1 = x0 + (x1 - x0) // 4, x1 - (x1 - x0) // 4
    sides = (
        dark[my0:my1, x0 - b : x0 - a].any(axis=1),  # left: every row of its middle has ink
        dark[my0:my1, x1 + a : x1 + b].any(axis=1),
        dark[y0 - b : y0 - a, mx0:mx1].any(axis=0),  # top: every column of its middle
        dark[y1 + a : y1 + b, mx0:mx1].any(axis=0),
    )
    return all(side.size and side.all() for side in sides)


def _read_boxes(
    result: PageResult, gray: np.ndarray, transform: _Transform, black_ratio: float, profile: Profile = DEFAULT_PROFILE
) -> None:
    lay: PageLayout = layout(result.page_type)
    boxes = scanned_boxes(lay.page_type)
    no_frame: list[str] = []
    figures = {box.id: _measure_box(gray, transform, box, black_ratio) for box in boxes}
    for box in boxes:
        fig = figures[box.id]
        thresholds = profile.digit if box.kind == "digit" else profile.mark
        if not fig.frame:
            result.boxes[box.id] = BoxResult("ambiguous", 0.1, fig.ink, fig.firm)
            result.boxes[box.id].figures = fig
            no_frame.append(box.id)
            continue
        box_result = _classify(
            fig.ink,
            fig.firm,
            thresholds,
            faint=fig.faint,
            peak=fig.peak,
            ring=fig.ring,
            extent=fig.extent,
            spread=fig.spread,
        )
        box_result.figures = fig
        if box_result.note == "faint" and box.kind == "mark" and fig.faint < thresholds.faint_max:
            # A little faint darkness in one box of a row whose other box carries a clear pen mark: the
            # row is answered; the trace is a faded stamp, a stain or dust, and the box is empty.  (An
            # erased cross leaves more than faint_max: it stays ambiguous.)
            prefix, _, part = box.id.partition(".")
            partner = f"{prefix}.{'fail' if part == 'pass' else 'pass'}"
            other = figures.get(partner)
            if part in ("pass", "fail") and other is not None and other.frame:
                read = _classify(
                    other.ink,
                    other.firm,
                    thresholds,
                    faint=other.faint,
                    peak=other.peak,
                    ring=other.ring,
                    extent=other.extent,
                    spread=other.spread,
                )
                if read.state == "marked" and not read.note and read.confidence >= 0.8:
                    box_result = BoxResult("empty", 0.8, fig.ink, fig.firm)
                    box_result.figures = fig
        if box.kind == "mark" and box_result.state == "marked" and not box_result.note and fig.extent < DOT_MM:
            # A dot (a pen rested, or a «yes» too small to tell): never a sure mark.
            box_result = BoxResult("ambiguous", 0.35, fig.ink, fig.firm, note="dot")
            box_result.figures = fig
        if box.kind == "mark" and box_result.state == "empty" and _circled(gray, transform, box, black_ratio):
            # The box circled instead of crossed: the writer's choice, not an empty box.
            box_result = BoxResult("ambiguous", 0.3, fig.ink, fig.firm, note="circled")
            box_result.figures = fig
        if box.kind == "mark" and fig.struck and box_result.state == "marked":
            # A mark with a line through the box from side to side: struck out, or a streak — never «marked».
            box_result = BoxResult("ambiguous", 0.3, fig.ink, fig.firm, note="struck")
            box_result.figures = fig
        result.boxes[box.id] = box_result
        if box_result.note:
            result.flag(REASONS[box_result.note].format(caption=box_caption(box.id)))
        elif box_result.state == "ambiguous":
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


@dataclass
class _View:
    transform: _Transform | None = None
    text: str | None = None
    black_ratio: float = 0.0
    px_per_mm: float = 0.0
    hypotheses: list = field(default_factory=list)  # of the first view tried (for the page-wide fallback)
    order: list = field(default_factory=lambda: [0, 1])
    density: list = field(default_factory=lambda: [0.0, 0.0])


def _try_views(views: list, gray: np.ndarray, flat: np.ndarray, factor: int) -> _View:
    """Steps 3–4 for each candidate view in turn until the 2D code is read where one puts it."""
    out = _View()
    for quad_small, seen, completed in views:
        side_small = float(np.linalg.norm(quad_small[1] - quad_small[0])) * _FID_SIDE_MM / _FID_SHORT_MM
        real = [completed is None or math.dist((float(x), float(y)), completed) > 1e-6 for x, y in quad_small]
        fiducials = [
            _refine(gray, x * factor, y * factor, side_small * factor)
            if is_real
            else _Fiducial(x * factor, y * factor, side_small * factor, 0.0, 255.0)
            for (x, y), is_real in zip(quad_small, real)
        ]
        points = np.array([(f.x, f.y) for f in fiducials])
        px_per_mm = float(
            (np.linalg.norm(points[1] - points[0]) + np.linalg.norm(points[3] - points[2])) / (2 * _FID_SHORT_MM)
        )
        # The scanner's black relative to its paper white, from the fiducials' insides.
        ratios = [f.black / f.white for f, is_real in zip(fiducials, real) if is_real and f.white > 0]
        black_ratio = min(max(float(np.median(ratios)), 0.0), 0.6) if ratios else 0.0
        # 3. Two transforms: the short edge P0→P1 is the top (tl→tr) or the bottom (br→bl).
        hypotheses = []
        for k in (0, 2):
            rolled, seen_mask = np.roll(points, -k, axis=0), np.roll(np.array(real), -k)
            hypotheses.append(_Transform.fit(_FID_CENTRES[seen_mask], rolled[seen_mask], px_per_mm))
        density = [_qr_density(flat, t, factor) for t in hypotheses]
        order = [0, 1] if density[0] >= density[1] else [1, 0]
        if not out.hypotheses:
            out.hypotheses, out.order, out.density, out.px_per_mm = hypotheses, order, density, px_per_mm
        # 4. The 2D code.
        for k in order:
            got = _read_code_region(gray, hypotheses[k], margin=1.5 if seen == 4 else 9.0)
            if got is None:
                continue
            text, qr_px = got
            transform = hypotheses[k]
            if seen == 3:
                seen_mask = np.roll(np.array(real), -2 * k)
                rolled = np.roll(points, -2 * k, axis=0)
                transform = _refine_with_code(_FID_CENTRES[seen_mask], rolled[seen_mask], qr_px, px_per_mm)
                if transform is None:
                    continue
            out.transform, out.text, out.black_ratio, out.px_per_mm = transform, text, black_ratio, px_per_mm
            return out
    return out


def _second_page(cands: list, transform: _Transform, factor: int, ppm: float) -> bool:
    """Another sheet in the same image (two blanks scanned side by side, a page lying on another):
    at least three fiducial-like squares well outside the page that was read, forming a view of the
    fiducial rectangle of their own.  Only that page's boxes are read; the other would be lost."""
    inverse = np.linalg.inv(transform.m)
    outside = []
    for cx, cy, side, fill in cands:
        v = inverse @ np.array([cx * factor, cy * factor, 1.0])
        x, y = v[0] / v[2], v[1] / v[2]
        if x < -5.0 or y < -5.0 or x > PAGE_WIDTH_MM + 5.0 or y > PAGE_HEIGHT_MM + 5.0:
            outside.append((cx, cy, side, fill))
    return len(outside) >= 3 and bool(_find_rectangle(outside, ppm, limit=1))


def _identify(image: np.ndarray, result: PageResult) -> tuple[np.ndarray, _Transform, float] | None:
    """Steps 1–4: blank page, fiducials, transform, 2D code.  Fills the page identity (or the
    reasons) in ``result``; returns the grey image, the transform and the scanner's black
    ratio when the boxes can be read."""
    try:
        gray = _to_gray(image)
    except Exception as exc:  # pragma: no cover - numpy/cv2 refuse only truly odd input
        result.flag(REASONS["bad_image"].format(error=exc))
        return None
    if gray.ndim != 2 or min(gray.shape) < 200:
        result.flag(
            REASONS["too_small"].format(
                width=gray.shape[-1] if gray.ndim else 0, height=gray.shape[0] if gray.ndim else 0
            )
        )
        return None

    h, w = gray.shape
    est_px_per_mm = max(h, w) / PAGE_HEIGHT_MM  # if the page fills the image
    small, factor = gray, 1
    while est_px_per_mm / (factor * 2) >= WORK_MIN_PX_PER_MM and min(small.shape) > 400:
        small, factor = cv2.pyrDown(small), factor * 2
    work_ppm = est_px_per_mm / factor
    flat = _flatten_light(small, work_ppm)
    stretched = _stretch_contrast(gray, small, flat)
    if stretched is not None:  # a washed-out scan: read it stretched
        gray = stretched
        small = gray
        for _ in range(factor.bit_length() - 1):
            small = cv2.pyrDown(small)
        flat = _flatten_light(small, work_ppm)

    # 1. A blank page: no dark pixel in the central 80 %.
    sh, sw = flat.shape
    centre = flat[sh // 10 : sh - sh // 10, sw // 10 : sw - sw // 10]
    if float(np.mean(centre < 0.6)) < 0.0015:
        result.flag(REASONS["blank"])
        return None

    # 2. Fiducials: candidate quadrilaterals, best first; the 2D code read where one of them
    #    puts it confirms it (and its orientation).
    cands = _candidates(flat, work_ppm)
    views = _find_rectangle(cands, work_ppm)
    if not views:  # a hard shadow across a corner: follow the light more closely
        views = _find_rectangle(_candidates(_flatten_light(small, work_ppm, 9.5, smooth=False), work_ppm), work_ppm)
    if not views:
        texts = _read_code_page(gray, est_px_per_mm)
        if not texts:
            result.flag(REASONS["no_code"])
        elif _apply_content(result, texts[0][0]):
            result.flag(REASONS["no_fiducials"])
            _unknown_boxes(result)
        return None
    found_view = _try_views(views[:6], gray, flat, factor)
    first = found_view
    if found_view.transform is None:  # none carried the 2D code: a second look, closer to the light
        more = _find_rectangle(_candidates(_flatten_light(small, work_ppm, 9.5, smooth=False), work_ppm), work_ppm)
        known = [v[0] for v in views[:6]]
        more = [v for v in more if not any(np.allclose(v[0], k, atol=2.0) for k in known)]
        if more:
            found_view = _try_views(more[:6], gray, flat, factor)
    transform, text = found_view.transform, found_view.text
    black_ratio, px_per_mm = found_view.black_ratio, found_view.px_per_mm
    if transform is None:
        hypotheses, order, density = first.hypotheses, first.order, first.density
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
    if _second_page(cands, transform, factor, work_ppm):
        result.flag(REASONS["two_pages"])
    printed, _scores = _printed_check_digit(gray, transform)
    if printed is not None and str(printed) != result.work_code[-1]:
        result.flag(REASONS["printed_check"].format(coded=result.work_code[-1], printed=printed))
    return gray, transform, black_ratio


def _identify_any(image: np.ndarray, result: PageResult) -> tuple[np.ndarray, _Transform, float] | None:
    """:func:`_identify`, and for a mostly dark image in which no blank was found, again on its negative
    (a scanner or a converter that wrote the page inverted: white print on black)."""
    found = _identify(image, result)
    if found is not None or result.work_code is not None:
        return found
    gray = _to_gray(image) if np.asarray(image).ndim != 2 or np.asarray(image).dtype != np.uint8 else image
    if gray.ndim != 2 or min(gray.shape) < 200 or _percentile_u8(gray[::4, ::4], 0.5) >= 96:
        return found
    second = PageResult(file=result.file, page=result.page)
    found = _identify(cv2.bitwise_not(gray), second)
    if second.work_code is not None:
        result.__dict__.update(second.__dict__)
        return found
    return None


def recognize_page(image: np.ndarray, file: str = "", page: int = 1, profile: Profile | None = None) -> PageResult:
    """Recognise one page image (grey or BGR numpy array, any dpi from ~100 up) with the
    thresholds of ``profile`` (a scanner's calibration; the defaults otherwise)."""
    result = PageResult(file=file, page=page)
    found = _identify_any(image, result)
    if found is not None:
        gray, transform, black_ratio = found
        _read_boxes(result, gray, transform, black_ratio, profile or DEFAULT_PROFILE)  # 5. Boxes.
    return result


def crop_box(
    image: np.ndarray, box_id: str, margin_mm: float = 4.0, px_per_mm: float = PATCH_PX_PER_MM
) -> np.ndarray | None:
    """One box of a scanned page cut out upright with ``margin_mm`` of paper around it (for a
    person to look at), or ``None`` when the page cannot be aligned or has no such box."""
    result = PageResult(file="", page=1)
    found = _identify_any(image, result)
    if found is None or not result.page_type or box_id not in layout(result.page_type):
        return None
    gray, transform, _black = found
    box = layout(result.page_type).box(box_id)
    return transform.sample(
        gray, box.x - margin_mm, box.y - margin_mm, box.w + 2 * margin_mm, box.h + 2 * margin_mm, px_per_mm
    )
