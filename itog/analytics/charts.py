"""Charts drawn on the server by hand: one horizontal grouped-bar chart with 95 % intervals, rendered as
SVG for the pages (vector, prints sharply; text in DejaVu Sans) and as PNG for the DOCX report (Pillow, the
DejaVu TTF matplotlib ships — the same font the blanks use). Every chart is shown beside its table
(accessibility); units with fewer than five checked works are left out (they would reveal a person).

Hand-built rather than matplotlib: a region's page has three charts and matplotlib's text layout took
0.3–1.2 s a chart on the shared 2-core machine; these take milliseconds.
"""

from __future__ import annotations

import functools
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from html import escape

from . import stats as S

MAX_BARS = 40
PALETTE = ["#2f5d8a", "#9aa7b4", "#7f9fbf", "#1c3a57"]
RED = "#b0413e"
WIDTH, LEFT, RIGHT, BAR, GAP, TOP = 760, 300, 30, 14, 8, 52

_LOCK = threading.RLock()
_CACHE: OrderedDict[str, bytes | None] = OrderedDict()
_CACHE_SIZE = 256


@dataclass(frozen=True)
class Bar:
    value: float  # 0..1
    low: float
    high: float
    text: str


@dataclass(frozen=True)
class Chart:
    title: str
    axis: str
    series: tuple[str, ...]
    groups: tuple[tuple[str, tuple[Bar | None, ...]], ...]
    reference: float | None = None
    reference_label: str = ""

    @property
    def height(self) -> int:
        per = len(self.series) * BAR + GAP
        return TOP + per * len(self.groups) + 40

    @property
    def scale_max(self) -> float:
        top = max([b.high for _, bars in self.groups for b in bars if b] + [self.reference or 0, 0.01])
        for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0):
            if top <= step:
                return step
        return 1.0


def _bar(k: int, n: int) -> Bar:
    low, high = S.wilson(k, n)
    return Bar(k / n, low, high, S.pct(k / n))


def _cached(fn):
    """Charts are pure functions of their figures: the last ``_CACHE_SIZE`` are kept in the process."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = fn.__name__ + repr(args) + repr(sorted(kwargs.items()))
        with _LOCK:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
        value = fn(*args, **kwargs)
        with _LOCK:
            _CACHE[key] = value
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        return value

    return wrapper


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _ticks(top: float) -> list[float]:
    step = {0.05: 0.01, 0.1: 0.02, 0.2: 0.05, 0.25: 0.05, 0.5: 0.1}.get(top, 0.2)
    return [i * step for i in range(round(top / step) + 1)]


def _layout(chart: Chart):
    """Yields drawing primitives shared by the SVG and PNG renderers."""
    plot_w = WIDTH - LEFT - RIGHT
    top = chart.scale_max
    x = lambda v: LEFT + plot_w * min(v, top) / top
    h = chart.height
    yield ("text", 8, 18, chart.title, 13, "start", "#111111", True)
    if len(chart.series) > 1:
        lx = LEFT
        for i, name in enumerate(chart.series):
            yield ("rect", lx, 28, 12, 10, PALETTE[i % len(PALETTE)])
            yield ("text", lx + 16, 37, name, 10, "start", "#333333", False)
            lx += 24 + 7 * len(name)
    bottom = h - 34
    for t in _ticks(top):
        yield ("line", x(t), TOP - 4, x(t), bottom, "#dde3ea", 1)
        yield ("text", x(t), bottom + 14, S.pct(t, 0), 10, "middle", "#555555", False)
    yield ("text", LEFT + plot_w / 2, bottom + 28, chart.axis, 10, "middle", "#555555", False)
    y = TOP
    for label, bars in chart.groups:
        yield ("text", LEFT - 6, y + len(chart.series) * BAR / 2 + 4, _short(label), 10, "end", "#222222", False)
        for i, b in enumerate(bars):
            if b is not None:
                yield ("rect", LEFT, y + 2, max(1.0, x(b.value) - LEFT), BAR - 4, PALETTE[i % len(PALETTE)])
                yield ("line", x(b.low), y + BAR / 2, x(b.high), y + BAR / 2, "#222222", 1)
                yield ("line", x(b.low), y + 3, x(b.low), y + BAR - 3, "#222222", 1)
                yield ("line", x(b.high), y + 3, x(b.high), y + BAR - 3, "#222222", 1)
                yield ("text", min(x(b.high) + 4, WIDTH - RIGHT - 2), y + BAR - 3, b.text, 9, "start", "#333333", False)
            y += BAR
        y += GAP
    yield ("line", LEFT, TOP - 4, LEFT, bottom, "#444444", 1)
    if chart.reference is not None:
        yield ("line", x(chart.reference), TOP - 8, x(chart.reference), bottom, RED, 2)
        yield (
            "text",
            x(chart.reference) + 4,
            TOP - 10,
            f"{chart.reference_label}: {S.pct(chart.reference)}",
            10,
            "start",
            RED,
            False,
        )


def to_svg(chart: Chart) -> bytes:
    h = chart.height
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" '
            f'role="img" aria-label="{escape(chart.title)}" font-family="DejaVu Sans, Verdana, sans-serif">'
        ),
        f"<title>{escape(chart.title)}</title>",
        f'<rect width="{WIDTH}" height="{h}" fill="#ffffff"/>',
    ]
    for item in _layout(chart):
        if item[0] == "text":
            _, x, y, text, size, anchor, color, bold = item
            weight = ' font-weight="bold"' if bold else ""
            out.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}"'
                f"{weight}>{escape(text)}</text>"
            )
        elif item[0] == "rect":
            _, x, y, w, hh, color = item
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{hh:.1f}" fill="{color}"/>')
        else:
            _, x1, y1, x2, y2, color, width = item
            out.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
                f'stroke-width="{width}"/>'
            )
    out.append("</svg>")
    return "".join(out).encode("utf-8")


@functools.lru_cache(maxsize=8)
def _font(size: int, bold: bool):
    from PIL import ImageFont

    from itog.blanks.render import font_dir

    return ImageFont.truetype(str(font_dir() / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def to_png(chart: Chart, scale: float = 1.6) -> bytes:
    from PIL import Image, ImageDraw

    h = chart.height
    img = Image.new("RGB", (int(WIDTH * scale), int(h * scale)), "#ffffff")
    d = ImageDraw.Draw(img)
    for item in _layout(chart):
        if item[0] == "text":
            _, x, y, text, size, anchor, color, bold = item
            a = {"start": "ls", "middle": "ms", "end": "rs"}[anchor]
            d.text((x * scale, y * scale), text, fill=color, font=_font(int(size * scale), bold), anchor=a)
        elif item[0] == "rect":
            _, x, y, w, hh, color = item
            d.rectangle([x * scale, y * scale, (x + w) * scale, (y + hh) * scale], fill=color)
        else:
            _, x1, y1, x2, y2, color, width = item
            d.line([x1 * scale, y1 * scale, x2 * scale, y2 * scale], fill=color, width=max(1, int(width * scale)))
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def _emit(chart: Chart, fmt: str) -> bytes:
    return to_svg(chart) if fmt == "svg" else to_png(chart)


@_cached
def share_bars(
    title: str,
    items: list[tuple[str, int, int]],
    reference: float | None = None,
    reference_label: str = "регион",
    fmt: str = "svg",
) -> bytes | None:
    """The «незачет» share of each unit with its 95 % interval, largest first. ``items``: (label, failed,
    checked)."""
    items = [(label, k, n) for label, k, n in items if n >= S.MIN_GROUP]
    if not items:
        return None
    # the pages show up to 40 bars, the report's pictures 25 (the table beside them has every unit)
    items = sorted(items, key=lambda t: t[1] / t[2], reverse=True)[: MAX_BARS if fmt == "svg" else 25]
    chart = Chart(
        title,
        "доля «незачета» (отрезки — 95 % доверительный интервал)",
        ("доля «незачета»",),
        tuple((label, (_bar(k, n),)) for label, k, n in items),
        reference,
        reference_label,
    )
    return _emit(chart, fmt)


@_cached
def criteria_bars(
    title: str, items: list[tuple[str, int, int]], reference: dict | None = None, fmt: str = "svg"
) -> bytes | None:
    """The share who failed each requirement / criterion; the region's beside it when given."""
    items = [(code, k, n) for code, k, n in items if n >= S.MIN_GROUP]
    if not items:
        return None
    groups = []
    for code, k, n in items:
        bars = [_bar(k, n)]
        if reference:
            rk, rn = reference.get(code, (0, 0))
            bars.append(_bar(rk, rn) if rn >= S.MIN_GROUP else None)
        groups.append((code, tuple(bars)))
    series = ("выбранное", "регион") if reference else ("не выполнили",)
    return _emit(Chart(title, "доля не выполнивших (отрезки — 95 % ДИ)", series, tuple(groups)), fmt)


@_cached
def year_bars(title: str, series: list[tuple[str, list[tuple[str, int, int]]]], fmt: str = "svg") -> bytes | None:
    """For each unit (up to 12), its «незачет» share in each year, with intervals."""
    series = series[:12]
    years = sorted({y for _, points in series for y, _, n in points})
    if not years or not any(n >= S.MIN_GROUP for _, pts in series for _, _, n in pts):
        return None
    groups = []
    for name, points in series:
        by_year = {y: (k, n) for y, k, n in points}
        groups.append(
            (name, tuple(_bar(*by_year[y]) if by_year.get(y, (0, 0))[1] >= S.MIN_GROUP else None for y in years))
        )
    return _emit(Chart(title, "доля «незачета» (отрезки — 95 % ДИ)", tuple(years), tuple(groups)), fmt)


def svg_text(data: bytes | None) -> str:
    """The SVG for inlining into a page."""
    return data.decode("utf-8") if data else ""
