"""Calibration of the box thresholds from real scans (issue #11): ``itog scan calibrate FOLDER --profile NAME``.

Pure: no Django.  A scanner profile is a JSON file ``<ITOG_DATA_DIR>/scan-profiles/<name>.json`` holding a
:class:`~itog.scan.recognize.Profile`; recognition uses it when asked (``itog scan recognize --profile``,
``ITOG_SCAN_PROFILE`` for the batch job's workers).

Input: a folder of scans the operator has verified and the truth about their boxes, either
* ``truth.json`` as the test-scan generators write it (``{"pages": [{"file", "page", "boxes": {id: state},
  "pencil": [ids]}]}``; pages without boxes are skipped), or
* a CSV of the operator's decisions (``file;page;box_id;state`` with a header, ``state`` = ``marked`` /
  ``empty`` / ``ambiguous`` / ``pencil``; «отмечено», «пусто» are accepted too; comma or semicolon).

Every page is recognised with the current thresholds while the figures of each box are kept
(:class:`~itog.scan.recognize.Figures`).  Then, for mark boxes and digit boxes apart, each threshold is
put between what the truth says is empty and what it says is marked: a third of the way (on a log scale)
from the largest empty figure (99.5th percentile) to the smallest marked one (0.5th) for ``empty_*``, two
thirds for ``mark_*`` — so a band where the box is «ambiguous» always remains.  Changes are bounded (a
factor of 2 from the defaults); a figure the truth cannot separate keeps its default and says so.  The
report compares, on the same boxes, what the old and the new thresholds read without a person and the
silent errors (a wrong box read as sure).
"""

from __future__ import annotations

import csv
import json
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .recognize import (
    DEFAULT_PROFILE,
    DIGIT_THRESHOLDS,
    MARK_THRESHOLDS,
    Figures,
    Profile,
    Thresholds,
    _classify,
    recognize_page,
)

__all__ = [
    "CalibrationError",
    "Report",
    "calibrate",
    "fit",
    "load_profile",
    "profile_path",
    "read_truth",
    "save_profile",
]

MIN_CONFIDENCE = 0.8
_STATES = {
    "marked": "marked",
    "empty": "empty",
    "ambiguous": "ambiguous",
    "pencil": "pencil",
    "отмечено": "marked",
    "пусто": "empty",
    "неоднозначно": "ambiguous",
    "карандаш": "pencil",
}
_NAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


class CalibrationError(ValueError):
    """A Russian message for the operator."""


# ---------------------------------------------------------------------------
# Profiles on disk


def profile_dir() -> Path:
    base = os.environ.get("ITOG_DATA_DIR") or str(Path.cwd() / "var")
    return Path(base).resolve() / "scan-profiles"


def profile_path(name: str) -> Path:
    if not name or not set(name.lower()) <= _NAME_OK or len(name) > 60:
        raise CalibrationError(f"Имя профиля «{name}»: допустимы латинские буквы, цифры, «-» и «_» (до 60 знаков)")
    return profile_dir() / f"{name.lower()}.json"


def load_profile(name: str | None) -> Profile:
    """The named profile (the defaults for ``None``, "" or "default")."""
    if not name or name == "default":
        return DEFAULT_PROFILE
    path = profile_path(name)
    if not path.exists():
        raise CalibrationError(
            f"Профиль сканера «{name}» не найден ({path.name}): создайте его командой "
            f"itog scan calibrate ПАПКА --profile {name}"
        )
    try:
        return Profile.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, KeyError) as exc:
        raise CalibrationError(f"Профиль сканера «{name}» поврежден: {exc}") from None


def save_profile(profile: Profile, meta: dict | None = None) -> Path:
    path = profile_path(profile.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**profile.to_json(), **(meta or {})}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


# ---------------------------------------------------------------------------
# Truth


def read_truth(folder: Path, truth: Path | None = None) -> dict[tuple[str, int], dict[str, str]]:
    """(file name, page) → {box id: state}; state ``pencil`` for a box the truth marks as pencil."""
    path = truth
    if path is None:
        for candidate in ("truth.json", "truth.csv", "decisions.csv"):
            if (folder / candidate).exists():
                path = folder / candidate
                break
    if path is None or not path.exists():
        raise CalibrationError(f"В папке {folder} нет truth.json или decisions.csv с проверенными отметками")
    out: dict[tuple[str, int], dict[str, str]] = {}
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            for page in doc["pages"]:
                boxes = dict(page.get("boxes") or {})
                if not boxes:
                    continue
                for box_id in page.get("pencil") or []:
                    boxes[box_id] = "pencil"
                out[(Path(page["file"]).name, int(page.get("page", 1)))] = boxes
        except (ValueError, KeyError, TypeError) as exc:
            raise CalibrationError(f"{path.name} не читается как описание проверенных сканов: {exc}") from None
        return out
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "a;b", delimiters=";,")
    for n, row in enumerate(csv.DictReader(text.splitlines(), dialect=dialect), start=2):
        try:
            state = _STATES[row["state"].strip().lower()]
            out.setdefault((Path(row["file"].strip()).name, int(row["page"])), {})[row["box_id"].strip()] = state
        except (KeyError, ValueError, AttributeError):
            raise CalibrationError(
                f"{path.name}, строка {n}: нужны столбцы file, page, box_id, state "
                f"(marked / empty / ambiguous / pencil)"
            ) from None
    return out


# ---------------------------------------------------------------------------
# Fitting


@dataclass
class Sample:
    kind: str  # mark | digit
    truth: str  # marked | empty | ambiguous | pencil
    figures: Figures


@dataclass
class Report:
    profile: Profile
    pages: int = 0
    pages_unread: list[str] = field(default_factory=list)
    boxes: dict[str, int] = field(default_factory=dict)
    changes: list[tuple[str, str, float, float, str]] = field(default_factory=list)  # kind, name, old, new, note
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"Профиль «{self.profile.name}»: страниц {self.pages}, полей: "
            + ", ".join(f"{k} — {v}" for k, v in sorted(self.boxes.items()))
        ]
        if self.pages_unread:
            out.append(f"Не прочитаны как бланк ({len(self.pages_unread)}): " + ", ".join(self.pages_unread[:10]))
        names = {"mark": "отметки", "digit": "цифры"}
        for kind, name, old, new, note in self.changes:
            arrow = "без изменений" if abs(new - old) < 1e-9 else f"{_num(old)} → {_num(new)}"
            out.append(f"  {names[kind]:8} {name:15} {arrow}" + (f" ({note})" if note else ""))
        for label, s in (("было", self.before), ("стало", self.after)):
            out.append(
                f"{label}: без участия человека {s['auto']} из {s['definite']} однозначных полей "
                f"({100 * s['auto'] / max(s['definite'], 1):.1f} %), неоднозначно {s['ambiguous']}, "
                f"молчаливых ошибок {s['silent']}"
            )
        return out


def _num(value: float) -> str:
    return f"{value:.4f}".replace(".", ",")


def _split(
    lo_values: list[float], hi_values: list[float], old_empty: float, old_mark: float, floor: float
) -> tuple[float, float, str]:
    """(empty, mark) thresholds a third and two thirds of the way (log scale) between the largest empty
    figure and the smallest marked one; the old ones when the truth does not separate them."""
    if not hi_values:
        return old_empty, old_mark, "нет отмеченных полей в образцах"
    high_empty = max(float(np.percentile(lo_values, 99.5)) if lo_values else 0.0, floor)
    low_mark = float(np.percentile(hi_values, 1.0))
    if low_mark <= high_empty * 1.5:
        return old_empty, old_mark, "пустые и отмеченные поля не разделяются — оставлено как было"
    a, b = math.log(high_empty), math.log(low_mark)
    empty, mark = math.exp(a + (b - a) / 3), math.exp(a + 2 * (b - a) / 3)
    notes = []
    # A mark threshold goes down by a quarter at most: the verified samples rarely hold the stray short
    # strokes it must keep out.  Otherwise a change is bounded to a factor of two.
    bounded_e = min(max(empty, old_empty / 2), old_empty * 2)
    bounded_m = min(max(mark, old_mark * 0.75), old_mark * 2)
    if bounded_e != empty or bounded_m != mark:
        notes.append("изменение ограничено")
    if bounded_e >= bounded_m:
        return old_empty, old_mark, "пустые и отмеченные поля не разделяются — оставлено как было"
    return bounded_e, bounded_m, "; ".join(notes)


def fit(samples: list[Sample], base: Profile, name: str) -> tuple[Profile, list[tuple[str, str, float, float, str]]]:
    changes: list[tuple[str, str, float, float, str]] = []
    fitted: dict[str, Thresholds] = {}
    for kind, old in (("mark", base.mark), ("digit", base.digit)):
        empty = [s.figures for s in samples if s.kind == kind and s.truth == "empty"]
        # Pen marks: light strokes (a pen barely pressed) are read by the pencil rule, not by these thresholds.
        marked = [
            s.figures for s in samples if s.kind == kind and s.truth == "marked" and s.figures.peak >= old.pen_peak
        ]
        light = [s.figures for s in samples if s.kind == kind and s.truth == "marked" and s.figures.peak < old.pen_peak]
        pencil = [s.figures for s in samples if s.kind == kind and s.truth == "pencil"]
        e_ink, m_ink, note_ink = _split(
            [f.ink for f in empty], [f.ink for f in marked], old.empty_ink, old.mark_ink, 0.002
        )
        e_firm, m_firm, note_firm = _split(
            [f.firm for f in empty], [f.firm for f in marked], old.empty_firm, old.mark_firm, 0.001
        )
        new = replace(old, empty_ink=e_ink, mark_ink=m_ink, empty_firm=e_firm, mark_firm=m_firm)
        # pen_peak separates pen strokes (above) from pencil (below).  Raised when pencil in the samples comes
        # close to it (never above the pen strokes); lowered a little only when there is no pencil in the samples
        # and many pen marks are light (a pale scanner).
        note_peak = ""
        peaks = sorted(f.peak for f in marked + light)
        pen_low = float(np.percentile(peaks, 2.0)) if peaks else 1.0
        peak = old.pen_peak
        if pencil:
            pencil_high = float(np.percentile([f.peak for f in pencil], 99.5))
            if pencil_high + 0.05 > old.pen_peak:
                if pencil_high + 0.05 < pen_low:
                    peak, note_peak = pencil_high + 0.05, "карандаш на этом сканере темнее"
                else:
                    note_peak = "карандаш и ручка по насыщенности не разделяются — оставлено как было"
        elif peaks and pen_low < old.pen_peak and len(light) > 0.05 * len(peaks):
            peak, note_peak = max(pen_low - 0.02, old.pen_peak - 0.1), "штрихи ручки светлее обычного"
        new = replace(new, pen_peak=peak)
        # Creases, stains and dust on empty boxes: the faint darkness they leave must stay below faint_max.
        note_faint = ""
        if empty:
            worst = float(np.percentile([f.faint for f in empty], 99.5))
            faint_max = min(max(old.faint_max, worst * 1.5), old.faint_max * 2)
            if faint_max != old.faint_max:
                note_faint = "бледные следы на пустых полях (сгибы, пятна)"
            new = replace(new, faint_max=faint_max)
        fitted[kind] = new
        for attr, note in (
            ("empty_ink", note_ink),
            ("mark_ink", note_ink),
            ("empty_firm", note_firm),
            ("mark_firm", note_firm),
            ("pen_peak", note_peak),
            ("faint_max", note_faint),
        ):
            changes.append((kind, attr, getattr(old, attr), getattr(new, attr), note))
    return Profile(name=name, mark=fitted["mark"], digit=fitted["digit"]), changes


def score(samples: list[Sample], profile: Profile) -> dict[str, int]:
    out = dict(definite=0, auto=0, ambiguous=0, silent=0)
    for s in samples:
        t = profile.digit if s.kind == "digit" else profile.mark
        f = s.figures
        r = _classify(f.ink, f.firm, t, faint=f.faint, peak=f.peak, ring=f.ring, extent=f.extent, spread=f.spread)
        if not f.frame:
            r.state, r.confidence = "ambiguous", 0.1
        sure = r.state in ("marked", "empty") and r.confidence >= MIN_CONFIDENCE and not r.note
        if s.truth in ("marked", "empty"):
            out["definite"] += 1
            out["auto"] += int(sure and r.state == s.truth)
            out["ambiguous"] += int(not sure)
        truth = "marked" if s.truth == "pencil" else s.truth
        if sure and r.state != truth:
            out["silent"] += 1
    return out


def calibrate(
    folder: str | os.PathLike,
    name: str,
    truth: str | os.PathLike | None = None,
    base: Profile | None = None,
    pdf_dpi: int = 200,
) -> Report:
    """Recognise the verified scans of ``folder``, fit a profile named ``name`` (not saved: see
    :func:`save_profile`) and report what changed."""
    from .inputs import page_refs, read_page

    profile_path(name)  # the name is checked before any work
    folder = Path(folder)
    if not folder.is_dir():
        raise CalibrationError(f"Папка {folder} не найдена")
    known = read_truth(folder, Path(truth) if truth else None)
    base = base or DEFAULT_PROFILE
    samples: list[Sample] = []
    report = Report(profile=base)
    for ref in page_refs([folder]):
        key = (Path(ref.file).name, ref.page)
        if key not in known:
            continue
        report.pages += 1
        page = read_page(ref, pdf_dpi)
        result = recognize_page(page.image, ref.file, ref.page, base) if page.image is not None else None
        if result is None or not result.boxes or all(b.figures is None for b in result.boxes.values()):
            report.pages_unread.append(f"{key[0]} стр. {key[1]}")
            continue
        from itog.blanks.geometry import layout

        lay = layout(result.page_type)
        for box_id, state in known[key].items():
            box = result.boxes.get(box_id)
            if box is None or box.figures is None or box_id not in lay:
                continue
            samples.append(Sample("digit" if lay.box(box_id).kind == "digit" else "mark", state, box.figures))
    if not samples:
        raise CalibrationError(
            "Ни одно поле не сопоставлено с проверенными отметками: проверьте имена файлов в truth.json / decisions.csv"
        )
    for s in samples:
        key = f"{s.kind}:{s.truth}"
        report.boxes[key] = report.boxes.get(key, 0) + 1
    profile, changes = fit(samples, base, name)
    report.profile, report.changes = profile, changes
    report.before, report.after = score(samples, base), score(samples, profile)
    return report


DEFAULTS = {"mark": MARK_THRESHOLDS, "digit": DIGIT_THRESHOLDS}
