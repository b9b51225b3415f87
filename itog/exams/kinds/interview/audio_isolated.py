"""Decode an uploaded recording in a separate process.

libsndfile and its codecs are C code: a hostile file that crashed the decoder would take the web or
worker process down with it (writing long OGG/Vorbis in one call does crash libsndfile 1.2.2 here,
see :func:`synth_audio.write_chunked`, so the risk is not theoretical). The upload service calls
:func:`check_recording_isolated`: the checks of :mod:`.audio` run in a child Python process fed
through stdin; a crash, a timeout or unreadable output becomes a refusal with a Russian reason
(I60), never an exception.

    python -m itog.exams.kinds.interview.audio_isolated < file   # prints the report as JSON
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from itog.exams.kinds.base import Violation

from . import audio
from .audio import AudioConfig, AudioReport, Span, SpanReport
from .codes import violation

__all__ = ["check_recording_isolated", "check_room_recording_isolated"]

COMMAND = [sys.executable, "-m", "itog.exams.kinds.interview.audio_isolated"]


def _to_json(report: AudioReport) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, default=str)


def _from_json(text: str) -> AudioReport:
    data = json.loads(text)
    v = [Violation(**x) for x in data.pop("violations")]
    spans = [
        SpanReport(Span(**s["span"]), s["rms_dbfs"], s["voiced_share"], tuple(Violation(**x) for x in s["violations"]))
        for s in data.pop("spans")
    ]
    return AudioReport(**data, violations=v, spans=spans)


def check_recording_isolated(
    data: bytes,
    expected_minutes: float | None,
    name: str = "",
    participant_id: str = "",
    known_hashes: Iterable[str] = (),
    config: AudioConfig | None = None,
    timeout: float = 300.0,
) -> AudioReport:
    cfg = config or AudioConfig()
    known = set(known_hashes)
    sha = audio.sha256(data)
    if sha in known or len(data) > cfg.max_bytes:  # cheap refusals need no child process
        return audio.check_recording(data, expected_minutes, name, participant_id, known, cfg)
    args = json.dumps(
        {"expected_minutes": expected_minutes, "name": name, "participant_id": participant_id, "config": asdict(cfg)}
    )
    return _run(data, sha, args, timeout)


def check_room_recording_isolated(
    data: bytes,
    spans: Sequence[Span],
    known_hashes: Iterable[str] = (),
    config: AudioConfig | None = None,
    timeout: float = 600.0,
) -> AudioReport:
    """:func:`audio.check_room_recording` (one file for a room, cut by the ведомость) in a child process."""
    cfg = config or AudioConfig()
    known = set(known_hashes)
    sha = audio.sha256(data)
    if sha in known or len(data) > cfg.max_bytes:
        return audio.check_room_recording(data, spans, known, cfg)
    args = json.dumps({"spans": [asdict(s) for s in spans], "config": asdict(cfg)})
    return _run(data, sha, args, timeout)


def _run(data: bytes, sha: str, args: str, timeout: float) -> AudioReport:
    report = AudioReport(sha256=sha, size=len(data))
    try:
        done = subprocess.run([*COMMAND, args], input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        report.violations.append(violation("I60", field="file", reason=f"проверка не завершилась за {timeout:.0f} с"))
        return report
    if done.returncode != 0:
        report.detail = f"exit {done.returncode}: {done.stderr[-500:].decode('utf-8', 'replace')}"
        report.violations.append(violation("I60", field="file", reason="файл вызвал сбой декодера"))
        return report
    try:
        return _from_json(done.stdout.decode("utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        report.detail = f"{type(exc).__name__}: {exc}"
        report.violations.append(violation("I60", field="file", reason="проверка вернула неожиданный ответ"))
        return report


def main() -> None:  # the child process
    params = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    cfg = AudioConfig(**params.get("config", {}))
    data = sys.stdin.buffer.read()
    if "spans" in params:
        spans = [Span(**x) for x in params["spans"]]
        sys.stdout.write(_to_json(audio.check_room_recording(data, spans, (), cfg)))
        return
    report = audio.check_recording(
        data, params.get("expected_minutes"), params.get("name", ""), params.get("participant_id", ""), (), cfg
    )
    sys.stdout.write(_to_json(report))


if __name__ == "__main__":
    main()
