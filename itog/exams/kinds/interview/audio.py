"""Checks of an interview recording on arrival (pure Python; decoding by ``soundfile``).

Facts (Рекомендации): every answer is recorded; recordings go to РЦОИ with the protocols and
statements (seed 002 row 9, D+6) and may be the basis of evaluation after the interview. A bad
recording must be found while the participant can still be re-recorded on an additional date,
so every file is checked the moment it arrives:

1. **accepted format** — WAV, MP3, OGG (Opus, Vorbis); FLAC too. The type is sniffed from the
   bytes (not the file name) and the file is decoded with libsndfile (bundled in the
   ``soundfile`` wheel, which decodes MP3 and Opus — tests prove it on this machine);
2. **decodable** to the end, within size and duration limits (a hostile file is refused with a
   Russian reason, never an exception);
3. **duration** consistent with the ведомость (±2 minutes, configuration);
4. **not silent** — the RMS level over the answer's span above a threshold, and sound in a
   minimum share of it (our reading: −50 dBFS and 20 %; configuration);
5. **clipping** — a warning when more than 1 % of the samples hit the rails;
6. **SHA-256** of the bytes, so that the same file uploaded twice is one file (I65).

One file per participant (:func:`check_recording`) or one per room cut by the ведомость's times
(:func:`check_room_recording`, :func:`cut_segment`).

Severity: I60/I61/I67 (unreadable) and I65 (duplicate) mean the file is refused; I62–I64, I68
flag a stored recording as bad; I66 is a warning.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

import numpy as np

from itog.exams.kinds.base import Violation

from .codes import violation

__all__ = [
    "AudioConfig",
    "AudioReport",
    "Span",
    "SpanReport",
    "check_recording",
    "check_room_recording",
    "cut_segment",
    "sha256",
    "sniff",
    "spans_from_statement",
]

REFUSING = frozenset({"I60", "I61", "I65", "I67"})


@dataclass(frozen=True)
class AudioConfig:
    tolerance_minutes: float = 2.0  # duration vs the ведомость
    silence_dbfs: float = -50.0  # RMS over the answer below this: silent (our reading)
    window_seconds: float = 0.5
    min_voiced_share: float = 0.2  # windows above the threshold, share of the answer (our reading)
    clip_share: float = 0.01  # warning above 1 % clipped samples
    max_bytes: int = 300 * 1024 * 1024
    max_seconds: float = 8 * 3600  # a room's day at most
    max_channels: int = 8
    max_samplerate: int = 384_000


@dataclass(frozen=True)
class Span:
    """The answer of one participant within a file, in seconds from the file's start."""

    participant_id: str
    name: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class SpanReport:
    span: Span
    rms_dbfs: float
    voiced_share: float
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not any(v.is_error for v in self.violations)


@dataclass
class AudioReport:
    sha256: str
    size: int
    format: str | None = None  # "wav" | "mp3" | "ogg" | "flac"
    codec: str = ""  # libsndfile subtype: "PCM_16", "MPEG_LAYER_III", "OPUS", "VORBIS" …
    samplerate: int = 0
    channels: int = 0
    duration_s: float = 0.0
    clipped_share: float = 0.0
    violations: list[Violation] = field(default_factory=list)
    spans: list[SpanReport] = field(default_factory=list)
    detail: str = ""  # technical text of a decoding failure, for the log (not shown to users)

    @property
    def decoded(self) -> bool:
        return self.duration_s > 0 and not any(v.code in ("I60", "I61", "I67") for v in self.violations)

    @property
    def refused(self) -> bool:
        return any(v.code in REFUSING for v in self.violations)

    @property
    def ok(self) -> bool:
        return not any(v.is_error for v in self.violations)

    @property
    def flagged(self) -> bool:
        """Stored but bad: the participant should be re-recorded."""
        return not self.refused and not self.ok


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_OTHER_TYPES = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX/XLSX"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1aE\xdf\xa3", "WebM/Matroska"),
    (b"MZ", "исполняемый файл"),
)


def sniff(data: bytes) -> tuple[str | None, str]:
    """(accepted format or None, what it looks like) from the first bytes."""
    head = data[:12]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav", "WAV"
    if head[:4] == b"OggS":
        return "ogg", "OGG"
    if head[:4] == b"fLaC":
        return "flac", "FLAC"
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3", "MP3"
    if head[4:8] == b"ftyp":
        return None, "MP4/M4A"
    for magic, name in _OTHER_TYPES:
        if head.startswith(magic):
            return None, name
    if not data:
        return None, "пустой файл"
    return None, "неизвестный тип"


def _fmt_min(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} мин {s:02d} с"


def _decode(data: bytes, cfg: AudioConfig, report: AudioReport) -> tuple[np.ndarray, int] | None:
    """Per-window mean squares (mono) and the window length in frames; None (with I60) on failure."""
    import soundfile as sf  # imported here: the rest of the rules do not need the C library

    try:
        with sf.SoundFile(io.BytesIO(data)) as f:
            report.codec = f.subtype or ""
            report.samplerate, report.channels = int(f.samplerate), int(f.channels)
            if not 0 < report.samplerate <= cfg.max_samplerate or not 0 < report.channels <= cfg.max_channels:
                report.violations.append(
                    violation(
                        "I60",
                        field="file",
                        reason=(f"недопустимые параметры записи ({report.samplerate} Гц, {report.channels} кан.)"),
                    )
                )
                return None
            declared = int(f.frames) if f.frames and f.frames > 0 else 0
            win = max(1, int(cfg.window_seconds * report.samplerate))
            limit = int(cfg.max_seconds * report.samplerate)
            sums: list[float] = []
            clipped = frames = 0
            while True:
                # read() until it returns nothing: blocks() pads a truncated MP3 up to the frame
                # count its header declares, which would hide the truncation
                block = f.read(win * 20, dtype="float32", always_2d=True)
                if not len(block):
                    break
                mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
                if not np.all(np.isfinite(mono)):
                    mono = np.nan_to_num(mono, nan=0.0, posinf=1.0, neginf=-1.0)
                clipped += int(np.count_nonzero(np.abs(block) >= 0.999))
                n = len(mono)
                full = n // win * win
                if full:
                    sums.extend(np.mean(mono[:full].reshape(-1, win) ** 2, axis=1).tolist())
                if n > full:
                    sums.append(float(np.mean(mono[full:] ** 2)))
                frames += n
                if frames > limit:
                    report.violations.append(
                        violation(
                            "I60", field="file", reason=(f"запись длиннее допустимых {cfg.max_seconds / 3600:.0f} ч")
                        )
                    )
                    return None
    except Exception as exc:  # libsndfile, memory, malformed headers: always a clear refusal
        report.detail = f"{type(exc).__name__}: {exc}"
        report.violations.append(
            violation(
                "I60",
                field="file",
                reason=(
                    f"файл поврежден или не является записью в формате {report.format.upper() if report.format else '?'}"
                ),
            )
        )
        return None
    if frames == 0:
        report.violations.append(violation("I60", field="file", reason="в файле нет звуковых данных"))
        return None
    report.duration_s = frames / report.samplerate
    report.clipped_share = clipped / (frames * report.channels)
    if declared and frames < declared * 0.98 and report.format == "mp3":
        # the MP3's own header announces more audio than could be decoded: cut off in transfer
        report.violations.append(
            violation(
                "I60",
                field="file",
                reason=(
                    f"файл обрезан: заявлено {_fmt_min(declared / report.samplerate)}, прочитано "
                    f"{_fmt_min(report.duration_s)}"
                ),
            )
        )
        return None
    return np.asarray(sums, dtype=np.float64), win


def _open(data: bytes, known_hashes: Iterable[str], cfg: AudioConfig) -> tuple[AudioReport, tuple | None]:
    report = AudioReport(sha256=sha256(data), size=len(data))
    if report.sha256 in set(known_hashes):
        report.violations.append(violation("I65", field="file", sha256=report.sha256[:12] + "…"))
        return report, None
    if len(data) > cfg.max_bytes:
        report.violations.append(
            violation("I67", field="file", size=f"{len(data) / 2**20:.0f}", limit=f"{cfg.max_bytes / 2**20:.0f}")
        )
        return report, None
    fmt, looks_like = sniff(data)
    if fmt is None:
        report.violations.append(violation("I61", field="file", found=looks_like))
        return report, None
    report.format = fmt
    decoded = _decode(data, cfg, report)
    if decoded is not None and report.clipped_share > cfg.clip_share:
        report.violations.append(violation("I66", field="file", share=f"{report.clipped_share * 100:.1f}"))
    return report, decoded


def _span_report(span: Span, windows: np.ndarray, win: int, sr: int, cfg: AudioConfig) -> SpanReport:
    wsec = win / sr
    a = max(0, int(math.floor(span.start_s / wsec)))
    b = min(len(windows), max(a + 1, int(math.ceil(span.end_s / wsec))))
    part = windows[a:b]
    ms = float(np.mean(part)) if len(part) else 0.0
    rms_db = 10 * math.log10(ms) if ms > 1e-12 else -120.0
    threshold_ms = 10 ** (cfg.silence_dbfs / 10)
    voiced = float(np.mean(part > threshold_ms)) if len(part) else 0.0
    out: list[Violation] = []
    span_text = f"{_fmt_min(span.start_s)} – {_fmt_min(span.end_s)}"
    if rms_db < cfg.silence_dbfs:
        out.append(
            violation(
                "I63",
                field="file",
                name=span.name,
                span=span_text,
                rms=f"{rms_db:.0f}",
                threshold=f"{cfg.silence_dbfs:.0f}",
            )
        )
    elif voiced < cfg.min_voiced_share:
        out.append(
            violation(
                "I68",
                field="file",
                name=span.name,
                span=span_text,
                share=f"{voiced * 100:.0f}",
                min_share=f"{cfg.min_voiced_share * 100:.0f}",
            )
        )
    return SpanReport(span, rms_db, voiced, tuple(out))


def check_recording(
    data: bytes,
    expected_minutes: float | None,
    name: str = "",
    participant_id: str = "",
    known_hashes: Iterable[str] = (),
    config: AudioConfig | None = None,
) -> AudioReport:
    """One participant's file. ``expected_minutes`` is the answer's length from the ведомость
    (end − start); ``None`` skips the duration check (the ведомость is not closed yet)."""
    cfg = config or AudioConfig()
    report, decoded = _open(data, known_hashes, cfg)
    if decoded is None:
        return report
    windows, win = decoded
    if expected_minutes is not None:
        diff = abs(report.duration_s - expected_minutes * 60)
        if diff > cfg.tolerance_minutes * 60:
            report.violations.append(
                violation(
                    "I62",
                    field="file",
                    actual=_fmt_min(report.duration_s),
                    expected=_fmt_min(expected_minutes * 60),
                    tolerance=f"{cfg.tolerance_minutes:g}",
                )
            )
    report.spans.append(
        _span_report(
            Span(participant_id, name or participant_id or "(не указан)", 0.0, report.duration_s),
            windows,
            win,
            report.samplerate,
            cfg,
        )
    )
    report.violations.extend(report.spans[0].violations)
    return report


def spans_from_statement(
    recording_started_at: datetime, lines: Sequence[tuple[str, str, datetime, datetime]]
) -> list[Span]:
    """Spans of a room's file from the ведомость: ``(participant id, name, started_at, ended_at)``."""
    return [
        Span(pid, name, (start - recording_started_at).total_seconds(), (end - recording_started_at).total_seconds())
        for pid, name, start, end in lines
    ]


def check_room_recording(
    data: bytes, spans: Sequence[Span], known_hashes: Iterable[str] = (), config: AudioConfig | None = None
) -> AudioReport:
    """One file for a room, cut by the ведомость's times: each answer's span must lie in the
    file (I64) and not be silent (I63/I68); the file must not run more than the tolerance past
    the last answer (I62)."""
    cfg = config or AudioConfig()
    report, decoded = _open(data, known_hashes, cfg)
    if decoded is None:
        return report
    windows, win = decoded
    tol = cfg.tolerance_minutes * 60
    for span in sorted(spans, key=lambda s: s.start_s):
        if span.end_s > report.duration_s + tol or span.start_s < -tol:
            cut = violation(
                "I64", field="file", name=span.name, end=_fmt_min(span.end_s), file_end=_fmt_min(report.duration_s)
            )
            report.spans.append(SpanReport(span, -120.0, 0.0, (cut,)))  # the participant is flagged too
            report.violations.append(cut)
            continue
        r = _span_report(span, windows, win, report.samplerate, cfg)
        report.spans.append(r)
        report.violations.extend(r.violations)
    if spans:
        last = max(s.end_s for s in spans)
        if report.duration_s > last + tol:
            report.violations.append(
                violation(
                    "I62",
                    field="file",
                    actual=_fmt_min(report.duration_s),
                    expected=_fmt_min(last),
                    tolerance=f"{cfg.tolerance_minutes:g}",
                )
            )
    return report


def cut_segment(data: bytes | BinaryIO, span: Span, fmt: str = "FLAC") -> bytes:
    """The participant's answer cut out of a room's file (for playback and the РЦОИ transfer); ``data`` is
    the file's bytes or an open binary file (a room's day need not be read into memory)."""
    import soundfile as sf

    with sf.SoundFile(io.BytesIO(data) if isinstance(data, bytes | bytearray) else data) as f:
        sr = f.samplerate
        start = max(0, int(span.start_s * sr))
        if f.seekable():
            f.seek(min(start, f.frames))
        else:  # pragma: no cover - libsndfile seeks in every accepted format
            f.read(start, dtype="float32")
        chunk = f.read(max(0, int((span.end_s - span.start_s) * sr)), dtype="float32", always_2d=True)
    from .synth_audio import write_chunked

    out = io.BytesIO()
    write_chunked(out, chunk, sr, fmt)
    return out.getvalue()
