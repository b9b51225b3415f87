"""One recording per room and day (issue 16: «one file per participant or per room with the statement's times»):
the participants' spans come from the ведомость relative to the recording's start (given, or the first answer's
start), each span is checked (inside the file, not silent by RMS), a bad span flags that participant only,
SHA-256 dedupes across both kinds of files, and playback cuts the participant's span on the server."""

from __future__ import annotations

import io
import sys
from datetime import timedelta

import pytest
import soundfile as sf

from itog.conduct.examday.statement import answer_action
from itog.conduct.models import RecordingSpan, RoomRecording
from itog.conduct.recordings.services import span_audio, upload, upload_room
from itog.exams.kinds.interview import synth_audio
from itog.exams.seating.timed import current_seats, schedule_school
from itog.exams.violations import Refused
from tests.conduct.interview import at, interview_session, register_ninth, room_roles

pytestmark = pytest.mark.django_db

SR = 8000  # telephone quality keeps the synthesised room files small
MIN = 60


def room_file(answers, total_s, silent=frozenset(), seed=0) -> bytes:
    samples = synth_audio.room_recording(answers, total_s, sr=SR, silent=silent, seed=seed)
    return synth_audio.encode(samples, "wav", sr=SR)


@pytest.fixture
def room_day(region, settings, tmp_path):
    """Two participants answered in one room: 09:00–09:03 and 09:04–09:07 (short answers keep the files
    small; the ведомость warns under 10 minutes, which does not matter here)."""
    settings.MEDIA_ROOT = str(tmp_path)
    session = interview_session(region)
    apps = register_ninth(region, session, 3)
    schedule_school(session, region.school1, room_roles(region))
    seats = {s.application_id: s for s in current_seats(session, region.school1)}
    room = seats[apps[0].pk].room
    pair = [a for a in apps if seats[a.pk].room == room][:2]
    assert len(pair) == 2, "the schedule puts two of three participants into the first room"
    school = region.user("school")
    for i, a in enumerate(pair):
        answer_action(session, room, a, "start", school, now=at(9, 4 * i))
        answer_action(session, room, a, "stop", school, now=at(9, 4 * i + 3))
    return session, room, pair, school


def test_room_file_spans_from_the_statement_one_silent(room_day):
    session, room, (a0, a1), school = room_day
    data = room_file([(0, 3 * MIN), (4 * MIN, 7 * MIN)], 7.5 * MIN, silent=frozenset({1}))
    rec = upload_room(session, room, data, "room.wav", school)
    assert not rec.start_given and rec.started_at == at(9, 0)  # the first answer's start
    spans = {s.application_id: s for s in RecordingSpan.objects.filter(room_recording=rec)}
    assert (spans[a0.pk].start_s, spans[a0.pk].end_s) == (0, 180)
    assert (spans[a1.pk].start_s, spans[a1.pk].end_s) == (240, 420)
    assert not spans[a0.pk].flagged and spans[a0.pk].rms_dbfs > -50
    assert spans[a1.pk].flagged and [p["code"] for p in spans[a1.pk].problems] == ["I63"]
    assert a1.participant.full_name in spans[a1.pk].problems[0]["message"]
    assert not rec.flagged  # the file itself is fine; only the silent participant is to be re-recorded

    # the same bytes again — as a room file or as a participant's file — are one file (I65)
    with pytest.raises(Refused) as err:
        upload_room(session, room, data, "copy.wav", school)
    assert err.value.violations[0].code == "I65"
    with pytest.raises(Refused) as err:
        upload(a0, data, "copy.wav", school)
    assert err.value.violations[0].code == "I65"

    # playback cuts the participant's span on the server: three minutes, with speech
    clip = span_audio(spans[a0.pk])
    info = sf.info(io.BytesIO(clip))
    assert abs(info.duration - 180) < 1 and info.samplerate == SR
    assert session.rules.recordings.check_recording(clip, 3).ok


def test_room_file_shorter_than_the_statement(room_day):
    session, room, (a0, a1), school = room_day
    data = room_file([(0, 3 * MIN)], 3.5 * MIN)  # the recorder stopped after the first answer
    rec = upload_room(session, room, data, "short.wav", school)
    spans = {s.application_id: s for s in rec.spans.all()}
    assert not spans[a0.pk].flagged
    assert spans[a1.pk].flagged and [p["code"] for p in spans[a1.pk].problems] == ["I64"]
    assert "обрезана" in spans[a1.pk].problems[0]["message"]


def test_the_recordings_start_given_by_the_uploader(room_day):
    session, room, (a0, a1), school = room_day
    # the recorder ran from 08:59: every answer one minute later in the file
    data = room_file([(MIN, 4 * MIN), (5 * MIN, 8 * MIN)], 8.5 * MIN, seed=5)
    rec = upload_room(session, room, data, "room.wav", school, started_at=at(8, 59))
    assert rec.start_given
    spans = {s.application_id: s for s in rec.spans.all()}
    assert (spans[a0.pk].start_s, spans[a1.pk].end_s) == (60, 480)
    assert not any(s.flagged for s in spans.values())
    with pytest.raises(Refused) as err:  # a recording started after the first answer misses its beginning
        upload_room(session, room, room_file([(0, MIN)], MIN, seed=6), "late.wav", school, started_at=at(9, 1))
    assert err.value.violations[0].code == "I69"


def test_refused_while_an_answer_has_no_end(region, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    session = interview_session(region)
    (a0,) = register_ninth(region, session, 1)
    schedule_school(session, region.school1, room_roles(region))
    room = current_seats(session, region.school1)[0].room
    school = region.user("school")
    with pytest.raises(Refused) as err:  # nothing in the ведомость yet
        upload_room(session, room, room_file([(0, MIN)], MIN), "room.wav", school)
    assert err.value.violations[0].code == "I92"
    answer_action(session, room, a0, "start", school, now=at(9, 0))
    with pytest.raises(Refused) as err:
        upload_room(session, room, room_file([(0, MIN)], MIN), "room.wav", school)
    assert err.value.violations[0].code == "I54"
    assert not RoomRecording.objects.exists()


def test_room_upload_and_playback_through_the_pages(room_day, region, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from itog.audit.models import AuditEvent

    session, room, (a0, a1), _ = room_day
    data = room_file([(0, 3 * MIN), (4 * MIN, 7 * MIN)], 7.5 * MIN, silent=frozenset({1}), seed=9)
    c = login("school")
    url = f"/sessions/{session.pk}/interview/rooms/{room.pk}/recording/"
    r = c.post(url, {"file": SimpleUploadedFile("room.wav", data), "started_at": "9:00"}, follow=True)
    page = r.content.decode()
    assert r.status_code == 200 and "не содержит звука" in page and a1.participant.last_name in page
    rec = RoomRecording.objects.get()
    assert rec.start_given and rec.started_at == at(9, 0)
    bad = c.post(url, {"file": SimpleUploadedFile("x.wav", data[:-10]), "started_at": "девять"}, follow=True)
    assert "ЧЧ:ММ" in bad.content.decode()
    span = rec.spans.get(application=a0)
    room_page = c.get(f"/sessions/{session.pk}/interview/rooms/{room.pk}/").content.decode()
    assert 'id="room-upload"' in room_page and "требуется перезапись" in room_page and "проверен" in room_page
    school_page = c.get(f"/sessions/{session.pk}/interview/{region.school1.pk}/").content.decode()
    assert f"/recordings/spans/{span.pk}/audio" in school_page
    before = AuditEvent.objects.count()
    audio = c.get(f"/recordings/spans/{span.pk}/audio")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
    assert abs(sf.info(io.BytesIO(audio.content)).duration - 180) < 1
    assert AuditEvent.objects.count() == before + 1  # personal data: the playback is logged
    assert login("school2").get(f"/recordings/spans/{span.pk}/audio").status_code == 404
    assert timedelta(seconds=span.end_s - span.start_s) == timedelta(minutes=3)


def test_a_file_that_crashes_the_decoder_is_refused_not_fatal(room_day, settings, monkeypatch):
    """Uploaded audio is decoded in a child process (ITOG_AUDIO_ISOLATED, on by default): a file that made
    the C decoder crash is refused with I60 and nothing is kept, for a participant's file and a room's file
    alike; the web process lives on."""
    from itog.conduct.models import Recording
    from itog.exams.kinds.interview import audio_isolated

    assert settings.ITOG_AUDIO_ISOLATED
    session, room, (a0, a1), school = room_day
    # stands for libsndfile dying on a hostile file: the child aborts (SIGABRT) as a segfault would kill it
    monkeypatch.setattr(audio_isolated, "COMMAND", [sys.executable, "-c", "import os; os.abort()"])
    data = room_file([(0, 3 * MIN)], 3.5 * MIN, seed=5)
    with pytest.raises(Refused) as err:
        upload(a0, data, "hostile.wav", school)
    assert [v.code for v in err.value.violations] == ["I60"]
    assert "сбой декодера" in err.value.violations[0].message
    with pytest.raises(Refused) as err:
        upload_room(session, room, data, "hostile-room.wav", school)
    assert [v.code for v in err.value.violations] == ["I60"]
    assert not Recording.objects.filter(session=session).exists()
    assert not RoomRecording.objects.filter(session=session).exists()
