"""The plan layout corpus, imported end to end (read → structure → deadline grammar → linter; no database).

    python benchmarks/bench_plan_corpus.py [--runs 3] [--pdf]

The corpus: the four seed plans re-typed in every text/Office layout (tests/plans/corpus/retype.py:
tab, pipe, markdown, cells, lines ×3, numbered, pages, fixed, docx, xlsx — 48 documents) plus the
hand-written plans of other regions in tests/plans/corpus/. Target (issue 10): the whole corpus < 5 s.
PDFs (pdfplumber/pdfminer, ~0.3 s a page) are timed apart with --pdf.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="also time the seeds as PDF (slow)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itog.settings")
    import django

    django.setup()
    from itog.plans.importing import parse_document
    from itog.plans.parsing.readers import read_plan
    from itog.plans.seeds import SEED_PLANS, seed_file
    from tests.plans.corpus.retype import LAYOUTS, retype

    corpus: list[tuple[str, str, bytes]] = []
    pdfs: list[tuple[str, str, bytes]] = []
    for prefix in SEED_PLANS:
        ref = read_plan(seed_file(prefix))
        for layout in LAYOUTS:
            if layout == "pdf":
                if args.pdf:
                    pdfs.append((prefix, layout, retype(ref, layout)))
                continue
            corpus.append((prefix, layout, retype(ref, layout)))
    for path in sorted((ROOT / "tests" / "plans" / "corpus").glob("*.*")):
        if path.suffix != ".py":
            corpus.append((path.stem, path.suffix.lstrip("."), path.read_bytes()))

    size = sum(len(d) for _, _, d in corpus)
    best = None
    best_cpu = None
    per_layout: dict[str, float] = {}
    items = 0
    for _ in range(args.runs):
        times: dict[str, float] = {}
        items = 0
        cpu = time.process_time()
        start = time.perf_counter()
        for prefix, layout, data in corpus:
            t = time.perf_counter()
            doc = parse_document(data, f"{prefix}.{layout}")
            times[layout] = times.get(layout, 0.0) + time.perf_counter() - t
            items += len(doc.plan.items)
        total = time.perf_counter() - start
        cpu = time.process_time() - cpu
        if best is None or total < best:
            best, per_layout = total, times
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"corpus: {len(corpus)} documents, {size / 1024:.0f} KB, {items} items")
    print(
        f"whole corpus, best of {args.runs}: {best:.2f} s wall, {best_cpu:.2f} s CPU  (target < 5 s; "
        f"load average {load:.1f} on {os.cpu_count()} cores)"
    )
    for layout, seconds in sorted(per_layout.items(), key=lambda kv: -kv[1]):
        print(f"  {layout:<11} {seconds:.3f} s")
    for prefix, _layout, data in pdfs:
        t = time.perf_counter()
        doc = parse_document(data, f"{prefix}.pdf")
        print(f"pdf {prefix}: {len(data) / 1024:.0f} KB, {len(doc.plan.items)} items, {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
