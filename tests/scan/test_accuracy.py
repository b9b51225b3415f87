"""The acceptance criteria of issue #6 on a seeded set of generated scans (the full 2,000-page
run is ``benchmarks/bench_scan.py --accuracy 2000``).

Through the real path: the generator writes PNG / JPEG / multi-page TIFF / PDF files,
the process pool (2 workers) reads and recognises them, and the results are scored
against ``truth.json``:

* every page of ours is read, with the right work code, page type and number;
* at least 99.9 % of the boxes are right;
* zero silent errors: a wrong box is reported ambiguous or its page is flagged;
* every foreign and blank page is flagged; every ambiguous mark is found ambiguous.
"""

from __future__ import annotations

from pathlib import Path

from itog.scan import synth
from itog.scan.parallel import recognize_files

PAGES = 120
SEED = 2026


def test_seeded_set_meets_the_acceptance_criteria(tmp_path):
    people = synth.fake_participants(PAGES // 3 + 2, seed=SEED)
    pages = synth.generate_pages(
        people, PAGES, seed=SEED, dpi=(150, 300), foreign_rate=0.04, blank_rate=0.04, ambiguous_rate=0.3
    )
    truth = synth.write_test_scans(pages, tmp_path, SEED, PAGES)
    results = [r.to_json() for r in recognize_files([tmp_path], workers=2)]
    for r in results:
        r["file"] = Path(r["file"]).name
    score = synth.evaluate(truth["pages"], results)
    wrong = score.pop("wrong")

    assert score["pages"] == PAGES and score["missing"] == 0
    assert score["other_pages"] >= 4 and score["itog_pages"] >= 100  # the set has what it should
    assert score["ambiguous_truth"] >= 10
    assert score["read_pages"] == score["itog_pages"], score
    assert score["code_wrong"] == 0 and score["type_wrong"] == 0, score
    assert score["box_accuracy"] >= 0.999, (score, wrong)
    assert score["silent_errors"] == 0, [w for w in wrong if w[-1] == "SILENT"]
    assert score["other_flagged"] == score["other_pages"], score
    assert score["ambiguous_found"] == score["ambiguous_truth"], wrong
