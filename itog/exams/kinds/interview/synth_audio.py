"""Synthetic recordings for tests and the demo (no downloads, no real voices).

* :func:`speech_like` — band-limited noise in syllable-rate bursts (≈ 4 per second) with short
  pauses between phrases: loud where speech is loud, quiet between words;
* :func:`silence` — near silence (a −80 dBFS noise floor, like a microphone left unplugged);
* :func:`clipped` — speech driven into the rails (±1.0);
* :func:`encode` — to WAV (PCM 16), MP3, OGG/Opus, OGG/Vorbis or FLAC with ``soundfile``
  (libsndfile bundled in its wheel);
* :func:`room_recording` — one file for a room: answers at given offsets, silence between.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

__all__ = ["FORMATS", "SAMPLE_RATE", "clipped", "encode", "room_recording", "silence", "speech_like"]

SAMPLE_RATE = 16000
# name -> (libsndfile format, subtype)
FORMATS: dict[str, tuple[str, str]] = {
    "wav": ("WAV", "PCM_16"),
    "mp3": ("MP3", "MPEG_LAYER_III"),
    "opus": ("OGG", "OPUS"),
    "vorbis": ("OGG", "VORBIS"),
    "flac": ("FLAC", "PCM_16"),
}


def speech_like(seconds: float, sr: int = SAMPLE_RATE, seed: int = 0, level: float = 0.2) -> np.ndarray:
    rnd = np.random.default_rng(seed)
    n = int(seconds * sr)
    noise = rnd.standard_normal(n).astype(np.float32)
    # crude band-pass (≈ 300–3000 Hz): difference of two moving averages
    k1, k2 = max(1, sr // 3000), max(2, sr // 300)
    low = np.convolve(noise, np.ones(k1, dtype=np.float32) / k1, mode="same")
    lower = np.convolve(noise, np.ones(k2, dtype=np.float32) / k2, mode="same")
    band = low - lower
    t = np.arange(n, dtype=np.float32) / sr
    syllables = 0.5 * (1 + np.sin(2 * np.pi * 4.0 * t + rnd.uniform(0, 6.28)))  # ≈ 4 syllables per second
    phrase = ((t % 6.0) < 5.0).astype(np.float32)  # 5 s phrase, 1 s pause
    signal = band * syllables * phrase
    peak = float(np.max(np.abs(signal))) or 1.0
    return (signal / peak * level).astype(np.float32)


def silence(seconds: float, sr: int = SAMPLE_RATE, seed: int = 0) -> np.ndarray:
    rnd = np.random.default_rng(seed)
    return (rnd.standard_normal(int(seconds * sr)) * 1e-4).astype(np.float32)


def clipped(seconds: float, sr: int = SAMPLE_RATE, seed: int = 0) -> np.ndarray:
    return np.clip(speech_like(seconds, sr, seed, level=1.0) * 8.0, -1.0, 1.0).astype(np.float32)


def write_chunked(buf, samples: np.ndarray, sr: int, container: str, subtype: str | None = None) -> None:
    """Write in one-second chunks: libsndfile 1.2.2 (soundfile 0.14 wheel) crashes the process when
    a few minutes of OGG/Vorbis are written in one call (seen here at 200 s); chunks are safe."""
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    with sf.SoundFile(buf, "w", sr, channels, format=container, subtype=subtype) as f:
        for i in range(0, len(samples), sr):
            f.write(samples[i : i + sr])


def encode(samples: np.ndarray, fmt: str = "wav", sr: int = SAMPLE_RATE) -> bytes:
    container, subtype = FORMATS[fmt]
    buf = io.BytesIO()
    write_chunked(buf, samples, sr, container, subtype)
    return buf.getvalue()


def room_recording(
    answers: list[tuple[float, float]],
    total_seconds: float,
    sr: int = SAMPLE_RATE,
    silent: frozenset[int] = frozenset(),
    seed: int = 0,
) -> np.ndarray:
    """A room's file: speech from ``start`` to ``end`` (seconds) for each answer, except the
    answers whose index is in ``silent``; near silence elsewhere."""
    out = silence(total_seconds, sr, seed)
    for i, (start, end) in enumerate(answers):
        if i in silent:
            continue
        a, b = int(start * sr), min(int(end * sr), len(out))
        out[a:b] = speech_like((b - a) / sr, sr, seed + i + 1)[: b - a]
    return out
