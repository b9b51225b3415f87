"""Decoding in a child process: same answer as in-process; a crash or a hang is a Russian refusal."""

import sys

from itog.exams.kinds.interview import audio, audio_isolated
from itog.exams.kinds.interview import synth_audio as syn


def test_same_report_as_in_process():
    data = syn.encode(syn.silence(20), "mp3")
    here = audio.check_recording(data, 20 / 60, name="Петрова П.")
    there = audio_isolated.check_recording_isolated(data, 20 / 60, name="Петрова П.")
    assert [v.code for v in there.violations] == [v.code for v in here.violations] == ["I63"]
    assert there.violations == here.violations and there.sha256 == here.sha256
    assert abs(there.duration_s - here.duration_s) < 1e-6 and there.spans[0].span == here.spans[0].span


def test_decoder_crash_is_a_refusal(monkeypatch):
    monkeypatch.setattr(audio_isolated, "COMMAND", [sys.executable, "-c", "import os; os.abort()"])
    r = audio_isolated.check_recording_isolated(b"RIFF....WAVE", 1)
    assert [v.code for v in r.violations] == ["I60"] and "сбой декодера" in r.violations[0].message
    assert r.refused


def test_hang_is_a_refusal(monkeypatch):
    monkeypatch.setattr(audio_isolated, "COMMAND", [sys.executable, "-c", "import time; time.sleep(30)"])
    r = audio_isolated.check_recording_isolated(b"RIFF....WAVE", 1, timeout=1)
    assert [v.code for v in r.violations] == ["I60"] and "не завершилась" in r.violations[0].message


def test_garbage_output_is_a_refusal(monkeypatch):
    monkeypatch.setattr(audio_isolated, "COMMAND", [sys.executable, "-c", "print('not json')"])
    r = audio_isolated.check_recording_isolated(b"RIFF....WAVE", 1)
    assert [v.code for v in r.violations] == ["I60"]


def test_duplicates_refused_without_a_child():
    data = syn.encode(syn.speech_like(5), "wav")
    r = audio_isolated.check_recording_isolated(data, None, known_hashes={audio.sha256(data)})
    assert [v.code for v in r.violations] == ["I65"]


def test_room_file_checked_in_a_child_process():
    from itog.exams.kinds.interview import synth_audio as syn
    from itog.exams.kinds.interview.audio import Span
    from itog.exams.kinds.interview.audio_isolated import check_room_recording_isolated

    data = syn.encode(syn.room_recording([(1, 20), (25, 45)], 50, sr=8000, silent=frozenset({1})), "wav", sr=8000)
    r = check_room_recording_isolated(data, [Span("a", "Первый", 1, 20), Span("b", "Второй", 25, 45)])
    assert [s.ok for s in r.spans] == [True, False] and [v.code for v in r.violations] == ["I63"]
