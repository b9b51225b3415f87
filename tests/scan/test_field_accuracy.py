"""The goals of issue #11 on a seeded field-like set (:mod:`itog.scan.fieldsim`; the larger runs are
``benchmarks/bench_scan_field.py``): real kit PDFs rasterised by pdfium at 100–300 dpi in colour and grey,
marks as people draw them, and one damage per page — phone photos (up to 10° tilt, keystone), shadows,
uneven light, folds, stamps and signatures, coffee, speckle, fax-like group-4 TIFF, JPEG 25, 100 dpi,
cut corners, rotations.  Through the real path (files → the process pool → results):

* every work code right;
* no silent error (a box read as sure and wrong);
* ≥ 98 % of the definite boxes (pencil aside) read without a person;
* ≥ 90 % of the registration pages with no pencil, corrected or faint mark need nobody;
* every pencil mark flagged «карандаш», every corrected mark ambiguous, no faint tick read empty with
  confidence 1.0.
"""

from __future__ import annotations

from pathlib import Path

from itog.scan import fieldsim
from itog.scan.parallel import recognize_files

PAGES = 130  # 10 per damage
SEED = 2026


def test_field_like_set_meets_the_goals(tmp_path):
    truth = fieldsim.write_field_scans(tmp_path, PAGES, SEED, hard_rate=0.3)
    results = []
    for r in recognize_files([tmp_path], workers=2):
        data = r.to_json()
        data["file"] = Path(data["file"]).name
        results.append(data)
    score = fieldsim.evaluate(truth["pages"], results)
    errors = score.pop("errors")
    per = score.pop("per_damage")
    assert set(per) == set(fieldsim.DAMAGES) and all(s["pages"] == 10 for s in per.values())
    assert score["pencil_boxes"] >= 5 and score["corrected"] >= 3 and score["faint"] >= 3, score  # the set has them
    assert score["missing"] == 0 and score["code_right"] == PAGES, (score, errors)
    assert score["silent"] == 0, errors
    assert score["definite_auto_share"] >= 0.98, score
    assert score["reg_auto_share"] >= 0.90, score
    assert score["pencil_flagged"] == score["pencil_boxes"], score
    assert score["corrected_ambiguous"] == score["corrected"], score
    assert score["faint_empty_sure"] == 0, score
