"""Charts drawn on the server with matplotlib (Agg, the DejaVu font it ships): SVG for the pages (prints
sharply), PNG for the DOCX report. Every chart is shown beside its table (accessibility)."""

from __future__ import annotations

import functools
import io
import threading
from collections import OrderedDict

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from . import stats as S  # noqa: E402

matplotlib.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none",
                            "svg.hashsalt": "itog"})
_LOCK = threading.RLock()  # matplotlib's text layout caches are not thread-safe
MAX_BARS = 40
BLUE, GREY, RED = "#2f5d8a", "#9aa7b4", "#b0413e"


_CACHE: OrderedDict[str, bytes | None] = OrderedDict()
_CACHE_SIZE = 256


def _cached(fn):
    """Charts are pure functions of their figures: the last ``_CACHE_SIZE`` are kept in the process (the
    aggregates change only when results are published)."""

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


def _render(fig: Figure, fmt: str) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=110 if fmt == "png" else 72, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


@_cached
def share_bars(title: str, items: list[tuple[str, int, int]], reference: float | None = None,
               reference_label: str = "регион", fmt: str = "svg") -> bytes | None:
    """Horizontal bars: the «незачет» share of each unit with its 95 % interval; units with fewer than
    five checked works are left out (they would reveal a person). ``items``: (label, failed, checked)."""
    items = [(label, k, n) for label, k, n in items if n >= S.MIN_GROUP]
    if not items:
        return None
    items = sorted(items, key=lambda t: t[1] / t[2], reverse=True)[:MAX_BARS]
    items.reverse()
    with _LOCK:
        height = 0.9 + 0.28 * len(items)
        fig = Figure(figsize=(7.5, height))
        fig.subplots_adjust(left=0.42, right=0.97, top=1 - 0.45 / height, bottom=0.55 / height)
        ax = fig.add_subplot()
        values = [k / n * 100 for _, k, n in items]
        lows, highs = zip(*[S.wilson(k, n) for _, k, n in items])
        err = [[v - lo * 100 for v, lo in zip(values, lows)], [hi * 100 - v for v, hi in zip(values, highs)]]
        ax.barh(range(len(items)), values, color=BLUE, xerr=err, ecolor="#333333", capsize=2, height=0.6)
        ax.set_yticks(range(len(items)), [_short(label) for label, _, _ in items])
        if reference is not None:
            ax.axvline(reference * 100, color=RED, linestyle="--", linewidth=1)
            ax.text(reference * 100, len(items) - 0.4, f" {reference_label}: {S.pct(reference)}", color=RED,
                    va="bottom", fontsize=8)
        ax.set_xlabel("доля «незачета», % (линии — 95 % доверительный интервал)")
        ax.set_title(title, fontsize=10, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        return _render(fig, fmt)


@_cached
def criteria_bars(title: str, items: list[tuple[str, int, int]], reference: dict[str, tuple[int, int]] | None = None,
                  fmt: str = "svg") -> bytes | None:
    """Vertical bars per criterion: the share who failed it; the region's share beside it when given."""
    items = [(code, k, n) for code, k, n in items if n >= S.MIN_GROUP]
    if not items:
        return None
    with _LOCK:
        fig = Figure(figsize=(7.5, 3.2))
        fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.12)
        ax = fig.add_subplot()
        xs = range(len(items))
        width = 0.38 if reference else 0.6
        ax.bar([x - (width / 2 if reference else 0) for x in xs], [k / n * 100 for _, k, n in items], width,
               color=BLUE, label="выбранное")
        if reference:
            ref = [reference.get(code, (0, 0)) for code, _, _ in items]
            ax.bar([x + width / 2 for x in xs], [k / n * 100 if n else 0 for k, n in ref], width, color=GREY,
                   label="регион")
            ax.legend(frameon=False, fontsize=8)
        ax.set_xticks(list(xs), [code for code, _, _ in items])
        ax.set_ylabel("не выполнили, %")
        ax.set_title(title, fontsize=10, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        return _render(fig, fmt)


@_cached
def year_bars(title: str, series: list[tuple[str, list[tuple[str, int, int]]]], fmt: str = "svg") -> bytes | None:
    """Grouped bars: for each unit, its «незачет» share in each year, with intervals."""
    series = [(name, [(y, k, n) for y, k, n in points]) for name, points in series[:8]]
    years = sorted({y for _, points in series for y, _, _ in points})
    if not years or not any(n >= S.MIN_GROUP for _, pts in series for _, _, n in pts):
        return None
    with _LOCK:
        fig = Figure(figsize=(7.5, 3.6))
        fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.3)
        ax = fig.add_subplot()
        width = 0.8 / len(years)
        palette = ["#c7d5e3", "#7f9fbf", BLUE, "#1c3a57"][-len(years):]
        for j, y in enumerate(years):
            xs, vals, errs = [], [], [[], []]
            for i, (_, points) in enumerate(series):
                pt = next(((k, n) for yy, k, n in points if yy == y and n >= S.MIN_GROUP), None)
                if pt is None:
                    continue
                k, n = pt
                lo, hi = S.wilson(k, n)
                xs.append(i + (j - (len(years) - 1) / 2) * width)
                vals.append(k / n * 100)
                errs[0].append(k / n * 100 - lo * 100)
                errs[1].append(hi * 100 - k / n * 100)
            ax.bar(xs, vals, width, yerr=errs, capsize=2, color=palette[j], label=y, ecolor="#333333")
        ax.set_xticks(range(len(series)), [_short(name, 22) for name, _ in series], rotation=20, ha="right")
        ax.set_ylabel("доля «незачета», %")
        ax.legend(frameon=False, fontsize=8, title="учебный год")
        ax.set_title(title, fontsize=10, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        return _render(fig, fmt)


def _short(label: str, limit: int = 45) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def svg_text(data: bytes | None) -> str:
    """The SVG for inlining into a page (without the XML declaration)."""
    if not data:
        return ""
    text = data.decode("utf-8")
    return text[text.index("<svg"):]
