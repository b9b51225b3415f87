"""Calibration of the thresholds from verified scans (issue #11): fitting, the report, the stored profile, and
recognition with a profile."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from itog.scan import calibrate as C
from itog.scan import fieldsim
from itog.scan.parallel import recognize_files
from itog.scan.recognize import DEFAULT_PROFILE, Figures, Profile, Thresholds


def samples(empty_ink: float, mark_ink: float, n: int = 200) -> list[C.Sample]:
    out = []
    for i in range(n):
        out.append(C.Sample("mark", "empty", Figures(True, empty_ink * i / n, 0.0, 0.0, 0.0, 0.0)))
        out.append(C.Sample("mark", "marked", Figures(True, mark_ink * (1 + i / n), 0.3, 0.0, 0.9, 0.0, 5.0)))
    return out


def test_fit_moves_thresholds_between_empty_and_marked_within_bounds():
    profile, changes = C.fit(samples(0.004, 0.9), DEFAULT_PROFILE, "x")
    t = profile.mark
    assert DEFAULT_PROFILE.mark.empty_ink < t.empty_ink < t.mark_ink <= 2 * DEFAULT_PROFILE.mark.mark_ink
    assert t.mark_ink == pytest.approx(0.1)  # bounded: twice the default at most
    assert ("mark", "mark_ink", 0.05, t.mark_ink, "изменение ограничено") in changes
    # weak marks close to the empty ones: the mark threshold may go down a quarter at most
    low, _ = C.fit(samples(0.004, 0.02), DEFAULT_PROFILE, "y")
    assert low.mark.mark_ink == pytest.approx(0.0375)
    # not separable (an empty box as inky as a mark): the old thresholds stay, with the reason
    same, changes = C.fit(samples(0.3, 0.1), DEFAULT_PROFILE, "z")
    assert same.mark.mark_ink == DEFAULT_PROFILE.mark.mark_ink
    assert any("не разделяются" in note for _k, name, _o, _n, note in changes if name == "mark_ink")


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    folder = tmp_path_factory.mktemp("verified")
    fieldsim.write_field_scans(folder, 6, seed=5, damages=("clean", "fold", "jpeg25"), answer_rate=0.0)
    return folder


def test_calibrate_command_stores_a_profile_and_reports_what_changed(verified, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ITOG_DATA_DIR", str(tmp_path))
    call_command("scan", "calibrate", str(verified), "--profile", "Canon-DR-1")
    out = capsys.readouterr().out
    assert "Профиль «Canon-DR-1»: страниц 6" in out and "было: без участия человека" in out and "стало:" in out
    assert "отметки  mark_ink" in out
    stored = json.loads((tmp_path / "scan-profiles" / "canon-dr-1.json").read_text(encoding="utf-8"))
    assert stored["name"] == "Canon-DR-1" and stored["pages"] == 6 and stored["after"]["silent"] == 0
    assert C.load_profile("Canon-DR-1").mark == Thresholds.from_json(stored["mark"])
    with pytest.raises(CommandError, match="Имя профиля"):
        call_command("scan", "calibrate", str(verified), "--profile", "../etc")
    with pytest.raises(CommandError, match="нет truth.json"):
        call_command("scan", "calibrate", str(tmp_path), "--profile", "x")


def test_decisions_csv_is_accepted_as_truth(verified, tmp_path):
    doc = json.loads((verified / "truth.json").read_text(encoding="utf-8"))
    rows = ["file;page;box_id;state"]
    for page in doc["pages"]:
        for box_id, state in page["boxes"].items():
            rows.append(f"{page['file']};{page['page']};{box_id};{'отмечено' if state == 'marked' else state}")
    (tmp_path / "decisions.csv").write_text("\n".join(rows), encoding="utf-8")
    truth = C.read_truth(verified, tmp_path / "decisions.csv")
    assert len(truth) == 6 and all(set(v.values()) <= {"marked", "empty", "ambiguous"} for v in truth.values())
    report = C.calibrate(verified, "csv", truth=tmp_path / "decisions.csv")
    assert report.pages == 6 and report.after["definite"] > 100


def test_recognition_uses_the_profile_when_given(verified, tmp_path, monkeypatch):
    monkeypatch.setenv("ITOG_DATA_DIR", str(tmp_path))
    strict = Profile(name="strict", mark=Thresholds(mark_ink=0.95, mark_firm=0.95, empty_ink=0.008, empty_firm=0.004))
    C.save_profile(strict)
    plain = list(recognize_files([verified], workers=1))
    profiled = list(recognize_files([verified], workers=1, profile="strict"))
    marked = lambda results: sum(b.state == "marked" for r in results for b in r.boxes.values())
    assert marked(profiled) < marked(plain) / 2  # crosses and ticks fall short of the absurd threshold
    with pytest.raises(C.CalibrationError, match="не найден"):
        list(recognize_files([verified], workers=1, profile="nosuch"))


def test_batch_workers_take_the_profile_from_the_environment(verified, tmp_path, monkeypatch):
    import itog.scan.parallel as P

    monkeypatch.setenv("ITOG_DATA_DIR", str(tmp_path))
    C.save_profile(
        Profile(name="strict", mark=Thresholds(mark_ink=0.95, mark_firm=0.95, empty_ink=0.008, empty_firm=0.004))
    )
    monkeypatch.setenv("ITOG_SCAN_PROFILE", "strict")
    monkeypatch.setattr(P, "_profile", None)
    profiled = list(recognize_files([verified], workers=1))
    assert all(
        b.state != "marked" for r in profiled for k, b in r.boxes.items() if not k.startswith(("topic", "blank"))
    )
    monkeypatch.setenv("ITOG_SCAN_PROFILE", "missing")
    monkeypatch.setattr(P, "_profile", None)
    from itog.scan.inputs import page_refs

    result = P.recognize_ref(next(iter(page_refs([verified]))))
    assert result.status == "flagged" and "Профиль сканера «missing» не найден" in result.reasons[0]
    monkeypatch.setattr(P, "_profile", None)
