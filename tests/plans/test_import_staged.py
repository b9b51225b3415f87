"""A plan's file stays on the server between the preview and the import: the preview page carries a token,
not the file (a plan with scanned pages of a few megabytes used to get Django's bare 400 at «Загрузить»)."""

from __future__ import annotations

import html
import io
import os
import re
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.shared import Cm
from PIL import Image

from itog.jobs.imports import STAGED
from itog.plans.models import Plan
from tests.plans.parsing import field_plans as F

NOT_FOUND = "Файл предпросмотра не найден"


def heavy_plan() -> bytes:
    """A plan with a photographed approval page: a DOCX of about 4.5 MB (noise does not compress)."""
    doc = Document(io.BytesIO(F.docx_sections_landscape()))
    noise = np.random.default_rng(7).integers(0, 256, (1250, 1250, 3), dtype=np.uint8)
    picture = io.BytesIO()
    Image.fromarray(noise).save(picture, "PNG")
    doc.add_picture(io.BytesIO(picture.getvalue()), width=Cm(15))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def preview(client, data: bytes, name: str = "карта.docx") -> tuple[str, str]:
    response = client.post(
        "/plans/import/", {"file": SimpleUploadedFile(name, data), "format": "auto", "step": "preview"}
    )
    page = html.unescape(response.content.decode())
    token = re.search(r'name="staged" value="([0-9a-f]{32})"', page)
    assert token, page[:2000]
    return page, token.group(1)


def test_a_heavy_plan_goes_from_preview_to_import(login, sync_jobs):
    data = heavy_plan()
    assert len(data) > 4 * 1024 * 1024  # above what a form field could carry back (5 MB of base64)
    client = login("rcoi")
    page, token = preview(client, data)
    assert "Предпросмотр: карта.docx" in page
    assert len(page) < 300_000  # the page carries the token, not the file
    before = Plan.objects.count()
    response = client.post("/plans/import/", {"staged": token, "format": "auto", "year": "", "step": "import"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert Plan.objects.count() == before + 1
    # the staged file is gone: a second «Загрузить» (a double click, the back button) imports nothing twice
    again = client.post("/plans/import/", {"staged": token, "format": "auto", "step": "import"})
    assert NOT_FOUND in again.content.decode()
    assert Plan.objects.count() == before + 1


def test_a_token_is_the_users_own(login, client):
    rcoi = login("rcoi")
    _, token = preview(rcoi, F.docx_sections_landscape())
    minobr = login("minobr")  # the same client, now another user who may import plans
    before = Plan.objects.count()
    for forged in (token, "../" + token, "0" * 32, "x" * 5000):
        response = minobr.post("/plans/import/", {"staged": forged, "format": "auto", "step": "import"})
        assert response.status_code == 200
        assert NOT_FOUND in response.content.decode()
    assert Plan.objects.count() == before
    # the owner still can
    rcoi = login("rcoi")
    response = rcoi.post("/plans/import/", {"staged": token, "format": "auto", "step": "preview"})
    assert "Предпросмотр:" in response.content.decode()


def test_staged_files_older_than_a_day_are_swept(login):
    client = login("rcoi")
    _, old = preview(client, F.docx_sections_landscape())
    folder = Path(settings.MEDIA_ROOT) / STAGED
    (stale,) = [p for p in folder.rglob("*") if p.is_file() and old in str(p)]
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))
    _, fresh = preview(client, F.docx_sections_landscape())
    assert not stale.exists()
    response = client.post("/plans/import/", {"staged": old, "format": "auto", "step": "preview"})
    assert NOT_FOUND in response.content.decode()
    response = client.post("/plans/import/", {"staged": fresh, "format": "auto", "step": "preview"})
    assert "Предпросмотр:" in response.content.decode()
