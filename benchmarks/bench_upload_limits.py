"""Peak memory of reading hostile uploads with and without the bounds of itog/core/limits.py.

Each case runs in a fresh subprocess and reports its peak RSS (ru_maxrss) before reading (libraries
loaded, file in memory) and after, and the wall time:

* «XFD»: a ~20 KB XLSX, 1,000 rows in A:E plus one cell in column XFD;
* «bomb»: an XLSX whose shared strings expand from ~0.3 MB to 60 MB;
* «docx»: a DOCX whose document.xml is ~9 MB (limit lowered to 1 MB: the refusal path).

"unbounded" calls the reader the code used before the bounds (the fast XLSX reader / python-docx)
directly; "bounded" goes through the entry the application uses (read_table /
parse_document). Usage: PYTHONPATH=$PWD python benchmarks/bench_upload_limits.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

CASE = r"""
import io, os, resource, sys, time
mode, kind = sys.argv[2], sys.argv[3]
if kind == "docx":  # the plan import needs Django; the table reader does not
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itog.settings")
    import django; django.setup()
    from django.conf import settings
import lxml.etree, openpyxl, docx, zipfile  # the libraries are loaded in every case alike
from itog.core import tables, limits
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
outcome = "read"
try:
    if kind == "docx":
        settings.ITOG_UPLOAD_DOCX_MAX_XML_MB = 1
        if mode == "bounded":
            from itog.plans.importing import parse_document
            parse_document(data, "plan.docx")
        else:
            import docx
            docx.Document(io.BytesIO(data))
    else:
        if mode == "bounded":
            tables.read_table(data, "x.xlsx")
        else:  # the reader read_table used before (it reads the shared strings whole)
            tables._read_xlsx_fast(data)
except Exception as exc:
    outcome = "refused: " + str(exc)[:60]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{base / 1024:.0f}\t{peak / 1024:.0f}\t{time.perf_counter() - start:.2f}\t{outcome}")
"""


def build(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.core.test_limits import bomb, docx_bytes, participants, xlsx

    files = {
        "xfd": xlsx(participants(1000), {"XFD1": "x"}),
        "bomb": bomb("xl/sharedStrings.xml", 60, xlsx([["Код", "Имя"], ["1", "Анна"]])),
        "docx": docx_bytes(30000),
    }
    paths = {}
    for name, body in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(body)
    return paths


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(Path(tmp))
        print("case\tfile KB\tmode\tRSS before MB\tpeak RSS MB\tseconds\toutcome")
        for kind, path in paths.items():
            for mode in ("unbounded", "bounded"):
                out = subprocess.run(
                    [sys.executable, "-c", CASE, str(path), mode, kind],
                    capture_output=True,
                    text=True,
                    env={**os.environ},
                    check=False,
                )
                line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else f"error: {out.stderr[-200:]}"
                print(f"{kind}\t{path.stat().st_size // 1024}\t{mode}\t{line}")


if __name__ == "__main__":
    main()
