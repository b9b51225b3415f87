"""«Оборудована для аудиозаписи» on rooms (issue 16): stored, edited in the room form, read by the API and the
places export, and the only rooms the interview's schedule answers in."""

from __future__ import annotations

import io

import openpyxl
import pytest

from itog.orgs.models import Place, Room

pytestmark = pytest.mark.django_db


def test_room_form_api_and_export_carry_the_flag(region, login):
    place = Place.objects.filter(organization=region.school1).first()
    client = login("school")
    r = client.post(f"/places/{place.pk}/rooms/", {"number": "305", "capacity": "12", "audio_equipped": "on"})
    assert r.status_code == 302
    room = Room.objects.get(place=place, number="305")
    assert room.audio_equipped and not room.accessible
    client.post(f"/places/{place.pk}/rooms/", {"number": "306", "capacity": "12"})
    assert not Room.objects.get(place=place, number="306").audio_equipped
    page = client.get(f"/places/{place.pk}/").content.decode()
    assert "Аудиозапись" in page and "оборудована" in page

    api = client.get(f"/api/v1/orgs/{region.school1.pk}/places").json()
    rooms = {x["number"]: x for p in api for x in p["rooms"]}
    assert rooms["305"]["audio_equipped"] is True and rooms["306"]["audio_equipped"] is False

    export = login("minobr").get("/places/", {"export": "xlsx"})
    data = b"".join(export.streaming_content) if export.streaming else export.content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(wb.active.iter_rows(values_only=True))
    header = list(rows[0])
    col = header.index("Аудиторий с аудиозаписью")
    row = next(r for r in rows[1:] if r[header.index("Место")] == place.name)
    assert row[col] == Room.objects.filter(place=place, audio_equipped=True).count() >= 1
