"""Recording checks on files generated here (synth_audio): formats, duration, silence, hostile files."""

import io
import os
import struct
from datetime import datetime, timedelta

import numpy as np
import pytest
import soundfile as sf

from itog.exams.kinds.interview import audio
from itog.exams.kinds.interview import synth_audio as syn
from itog.exams.kinds.interview.audio import AudioConfig, Span

MIN = 60.0
# Short answers keep the suite fast (encoding minutes of MP3/Opus is slow on a shared machine);
# the ±2-minute default is exercised on WAV, the other checks with a proportional tolerance.
ANS = 1  # minutes
CFG = AudioConfig(tolerance_minutes=0.2)


@pytest.fixture(scope="module")
def answer():
    return syn.speech_like(ANS * MIN, seed=1)


@pytest.fixture(scope="module")
def encoded(answer):
    return {fmt: syn.encode(answer, fmt) for fmt in syn.FORMATS}


def codes(report):
    return sorted(v.code for v in report.violations)


@pytest.mark.parametrize(
    "fmt, container, codec",
    [
        ("wav", "wav", "PCM_16"),
        ("mp3", "mp3", "MPEG_LAYER_III"),
        ("opus", "ogg", "OPUS"),
        ("vorbis", "ogg", "VORBIS"),
        ("flac", "flac", "PCM_16"),
    ],
)
def test_each_format_really_decodes(encoded, fmt, container, codec):
    r = audio.check_recording(encoded[fmt], expected_minutes=ANS, name="Иванов И.", config=CFG)
    assert r.ok and not r.refused and codes(r) == []
    assert (r.format, r.codec) == (container, codec)
    assert abs(r.duration_s - ANS * MIN) < 1.0  # MP3/Opus decoders may pad a few ms
    assert -45 < r.spans[0].rms_dbfs < -20 and r.spans[0].voiced_share > 0.5
    assert r.sha256 == audio.sha256(encoded[fmt]) and len(r.sha256) == 64


def test_duration_tolerance_default_two_minutes():
    data = syn.encode(syn.speech_like(10 * MIN, seed=2), "wav")
    assert codes(audio.check_recording(data, expected_minutes=11.9)) == []
    r = audio.check_recording(data, expected_minutes=12.5)
    assert codes(r) == ["I62"] and r.flagged and "10 мин 00 с" in r.violations[0].message
    assert codes(audio.check_recording(data, expected_minutes=7.5)) == ["I62"]
    assert codes(audio.check_recording(data, expected_minutes=None)) == []


@pytest.mark.parametrize("fmt", ["wav", "mp3", "opus"])
def test_silent_recording_flagged(fmt):
    data = syn.encode(syn.silence(40), fmt)
    r = audio.check_recording(data, expected_minutes=40 / MIN, name="Петрова П.", config=CFG)
    assert codes(r) == ["I63"] and r.flagged and not r.refused
    assert "Петрова П." in r.violations[0].message and "дополнительный срок" in r.violations[0].message


def test_mostly_silent_flagged_by_voiced_share():
    x = syn.silence(10 * MIN)
    x[: 20 * syn.SAMPLE_RATE] = syn.speech_like(20, level=0.9)  # 20 loud seconds in 10 minutes
    r = audio.check_recording(syn.encode(x, "wav"), expected_minutes=10)
    assert r.spans[0].rms_dbfs > -50  # the RMS alone would pass
    assert codes(r) == ["I68"]


def test_clipping_warning():
    r = audio.check_recording(syn.encode(syn.clipped(60), "wav"), expected_minutes=1)
    assert codes(r) == ["I66"] and r.ok and not r.violations[0].is_error


def test_duplicate_by_sha256(encoded):
    first = audio.check_recording(encoded["opus"], ANS)
    again = audio.check_recording(encoded["opus"], ANS, known_hashes={first.sha256})
    assert codes(again) == ["I65"] and again.refused


def _wav_header(channels=1, rate=16000, bits=16, data_len=0xFFFFFFF0):
    block = (channels * bits // 8) & 0xFFFF
    return (
        b"RIFF"
        + struct.pack("<I", 0xFFFFFFF0)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, (rate * block) & 0xFFFFFFFF, block, bits)
        + b"data"
        + struct.pack("<I", data_len)
    )


HOSTILE = {
    "empty": b"",
    "random": os.urandom(4096),
    "pdf": b"%PDF-1.7\n" + os.urandom(500),
    "zip": b"PK\x03\x04" + os.urandom(500),
    "mp4": b"\x00\x00\x00\x20ftypM4A " + os.urandom(200),
    "wav_header_only": _wav_header()[:30],
    "wav_60000_channels": _wav_header(channels=60000) + b"\0" * 64,
    "wav_zero_rate": _wav_header(rate=0) + b"\0" * 64,
    "id3_then_junk": b"ID3" + os.urandom(5000),
    "ogg_then_junk": b"OggS" + os.urandom(5000),
    "flac_then_junk": b"fLaC" + os.urandom(300),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_refused_in_russian(name):
    r = audio.check_recording(HOSTILE[name], expected_minutes=ANS)
    assert r.refused and not r.ok
    assert codes(r)[0] in {"I60", "I61"}
    text = r.violations[0].message
    assert any("а" <= ch <= "я" for ch in text.lower()) and "Error" not in text


def test_wav_claiming_more_data_than_present_is_flagged_by_duration():
    data = _wav_header() + (syn.speech_like(30) * 32767).astype("<i2").tobytes()
    r = audio.check_recording(data, expected_minutes=15)
    assert not r.ok and "I62" in codes(r)


@pytest.mark.parametrize("fmt", ["wav", "mp3", "opus", "vorbis"])
def test_truncated_files(encoded, fmt):
    data = encoded[fmt]
    r = audio.check_recording(data[: len(data) // 2], expected_minutes=ANS, config=CFG)
    assert not r.ok  # either refused as cut off or flagged: never a silent success
    assert set(codes(r)) & {"I60", "I62"}


@pytest.mark.parametrize("fmt", ["mp3", "opus", "vorbis"])
def test_corrupted_body(encoded, fmt):
    data = bytearray(encoded[fmt])
    rnd = np.random.default_rng(5)
    data[1000:] = rnd.integers(0, 256, len(data) - 1000, dtype=np.uint8).tobytes()
    r = audio.check_recording(bytes(data), expected_minutes=ANS, config=CFG)
    assert not r.ok and r.violations  # refused or flagged, never accepted, never an exception
    # (a WAV whose PCM samples are overwritten with noise stays "decodable and loud": the checks
    # here do not judge whether the sound is speech — a known limitation)


def test_limits():
    r = audio.check_recording(b"RIFF" + b"\0" * 2000, 1, config=AudioConfig(max_bytes=1000))
    assert codes(r) == ["I67"] and r.refused
    long = syn.encode(syn.speech_like(30), "wav")
    r = audio.check_recording(long, 0.5, config=AudioConfig(max_seconds=10))
    assert codes(r) == ["I60"] and "длиннее" in r.violations[0].message


def test_stereo_and_48k():
    x = syn.speech_like(15, sr=48000)
    buf = io.BytesIO()
    syn.write_chunked(buf, np.stack([x, x * 0.5], axis=1), 48000, "OGG", "OPUS")
    r = audio.check_recording(buf.getvalue(), 0.25)
    assert r.ok and r.channels == 2 and r.samplerate == 48000


# ---------------------------------------------------------------- one file per room

T0 = datetime(2024, 2, 14, 9, 0)


def room_file(fmt="wav", silent=frozenset()):  # Opus encoding is slow here; decoding is covered above
    answers = [(10, 10 + 2 * MIN), (2.5 * MIN, 4.5 * MIN), (5 * MIN, 7 * MIN)]
    return syn.encode(syn.room_recording(answers, 7.5 * MIN, silent=silent), fmt), answers


def test_room_file_cut_by_statement():
    data, answers = room_file(silent=frozenset({1}))
    lines = [
        (f"p{i}", f"Участник {i}", T0 + timedelta(seconds=a), T0 + timedelta(seconds=b))
        for i, (a, b) in enumerate(answers)
    ]
    spans = audio.spans_from_statement(T0, lines)
    r = audio.check_room_recording(data, spans)
    assert [s.ok for s in r.spans] == [True, False, True]
    assert codes(r) == ["I63"] and "Участник 1" in r.violations[0].message
    clip = audio.cut_segment(data, spans[0])
    info = sf.info(io.BytesIO(clip))
    assert abs(info.duration - 2 * MIN) < 1.0
    assert audio.check_recording(clip, 2, name="Участник 0").ok


def test_room_file_shorter_than_statement():
    data, answers = room_file("wav")
    spans = [Span("p9", "Опоздавший О.", 8 * MIN, 10 * MIN)]
    r = audio.check_room_recording(data, spans, config=CFG)
    assert codes(r) == ["I64"] and "Опоздавший О." in r.violations[0].message


def test_room_file_much_longer_than_last_answer():
    data, _ = room_file("wav")
    r = audio.check_room_recording(data, [Span("p0", "А", 10, 2 * MIN)], config=CFG)
    assert "I62" in codes(r)
