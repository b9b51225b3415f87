"""The charts: valid SVG that names its title, PNG that opens, small groups left out, bars in scale."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from itog.analytics import charts as C


def test_svg_is_valid_and_leaves_out_small_groups():
    C.clear_cache()
    svg = C.share_bars("Доля «незачета»", [("ОО <1>", 5, 50), ("ОО 2", 1, 4), ("ОО 3", 0, 20)], 0.05)
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Доля «незачета»" in texts and "ОО <1>" in texts and "ОО 3" in texts
    assert "ОО 2" not in texts  # 4 participants: would reveal a person
    assert "10,0 %" in texts and any(t and t.startswith("регион: 5,0") for t in texts)
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") == C.PALETTE[0]]
    widths = sorted(float(r.get("width")) for r in rects)
    assert widths[0] < widths[-1]  # 0 % is thinner than 10 %
    assert C.share_bars("x", [("ОО", 1, 4)]) is None


def test_png_opens_and_cache_returns_the_same_picture():
    C.clear_cache()
    args = ("Критерии", [("K1", 3, 40), ("K2", 9, 40)], {"K1": (10, 400), "K2": (20, 400)})
    png = C.criteria_bars(*args, fmt="png")
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.width > 1000
    assert C.criteria_bars(*args, fmt="png") is png
    years = C.year_bars("Годы", [("ОО", [("2023/24", 5, 50), ("2024/25", 2, 3)])])
    texts = [t.text for t in ET.fromstring(years).iter("{http://www.w3.org/2000/svg}text")]
    assert "2023/24" in texts and "10,0 %" in texts
