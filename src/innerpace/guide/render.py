"""Render a plan to an audio file, ten seconds at a time, written atomically."""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from innerpace.guide import synth, voice
from innerpace.guide.plan import Plan
from innerpace.words import text

#: Extension -> (soundfile format, subtype). Only those this soundfile can write are offered.
FORMATS = {
    ".wav": ("WAV", "PCM_16"),
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
}
CHUNK_SECONDS = 10
#: Loudness target: RMS over the sounding part (100 ms blocks within 30 dB of the loudest).
TARGET_LOUDNESS_DBFS = -20.0
LOUDNESS_GATE_DB = 30.0
PEAK_CEILING_DBFS = -1.0
#: Kept below the ceiling so the estimated true peak has a small margin.
PEAK_MARGIN_DB = 0.1
#: Leftover temporary files of an interrupted render are removed once this old.
STALE_PART_S = 3600


class RenderError(OSError):
    """The audio file could not be written; nothing was left behind."""


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What was written, and how it sounds in numbers."""

    path: Path
    duration_s: float
    sample_rate: int
    frames: int
    cue_counts: dict[str, int] = field(default_factory=dict)
    voice_used: bool = False
    voice_note: str | None = None
    gain_db: float = 0.0
    peak_dbfs: float = -math.inf
    true_peak_dbfs: float = -math.inf
    loudness_dbfs: float = -math.inf


def supported_formats() -> dict[str, tuple[str, str]]:
    """The extensions this installation can write."""
    return {ext: fs for ext, fs in FORMATS.items() if sf.check_format(*fs)}


def format_for(out: Path) -> tuple[str, str]:
    """(format, subtype) for the file's extension, or ValueError naming the allowed ones."""
    formats = supported_formats()
    ext = out.suffix.lower()
    if ext not in formats:
        allowed = ", ".join(formats)
        raise ValueError(text("guide.file_ending", name=repr(out.name), allowed=allowed))
    return formats[ext]


class Timeline:
    """Cue sounds made once, added into chunks by slicing."""

    def __init__(self, plan: Plan, templates: dict[tuple, np.ndarray], keys: list[tuple]) -> None:
        self.templates = templates
        self.onsets = np.array([c.onset for c in plan.cues], dtype=np.int64)
        self.keys = keys
        self.gains = [c.gain for c in plan.cues]
        lengths = [len(templates[k]) for k in keys]
        self.ends = self.onsets + np.array(lengths, dtype=np.int64)
        self.longest = max(lengths, default=0)

    def mix(self, start: int, stop: int, buf: np.ndarray) -> bool:
        """Mix samples ``[start, stop)`` into ``buf`` (zeroed); False when all silent."""
        lo = int(np.searchsorted(self.onsets, start - self.longest, side="left"))
        hi = int(np.searchsorted(self.onsets, stop, side="left"))
        buf[: stop - start] = 0.0
        sounding = False
        for i in range(lo, hi):
            onset, end = int(self.onsets[i]), int(self.ends[i])
            if end <= start:
                continue
            a, b = max(onset, start), min(end, stop)
            tmpl = self.templates[self.keys[i]]
            buf[a - start : b - start] += self.gains[i] * tmpl[a - onset : b - onset]
            sounding = True
        return sounding


def _templates(plan: Plan, clips: dict[str, np.ndarray]) -> tuple[dict, list[tuple]]:
    sr = plan.sample_rate
    templates: dict[tuple, np.ndarray] = {}
    keys: list[tuple] = []
    for cue in plan.cues:
        if cue.kind in ("inhale", "exhale"):
            key: tuple = (cue.kind, cue.span)
        elif cue.kind == "prompt" and cue.text in clips:
            key = ("voice", cue.text)
        elif cue.kind == "prompt":
            key = ("chime",)
        else:
            key = (cue.kind,)
        if key not in templates:
            if key[0] == "inhale":
                templates[key] = synth.inhale(cue.span, sr)
            elif key[0] == "exhale":
                templates[key] = synth.exhale(cue.span, sr)
            elif key[0] == "voice":
                templates[key] = clips[key[1]]
            else:
                templates[key] = getattr(synth, key[0])(sr)
        keys.append(key)
    return templates, keys


def _voice_clips(plan: Plan, wanted: bool) -> tuple[dict[str, np.ndarray], str | None]:
    texts = [c.text for c in plan.cues if c.kind == "prompt" and c.text]
    if not texts:
        return {}, None
    if not wanted:
        return {}, text("guide.cues_off")
    try:
        return voice.speak(texts, plan.sample_rate), None
    except voice.VoiceUnavailable as exc:
        return {}, text("guide.no_voice", reason=exc)


def _measure(timeline: Timeline, total: int, chunk: int, block: int) -> tuple[float, float]:
    """First pass: sample peak and gated RMS (dBFS) of the unscaled mix."""
    buf = np.zeros(chunk)
    peak = 0.0
    powers: list[np.ndarray] = []
    for start in range(0, total, chunk):
        stop = min(start + chunk, total)
        if not timeline.mix(start, stop, buf):
            continue
        part = buf[: stop - start]
        peak = max(peak, float(np.max(np.abs(part))))
        whole = (stop - start) // block * block
        if whole:
            powers.append(np.mean(part[:whole].reshape(-1, block) ** 2, axis=1))
        if whole < stop - start:
            powers.append(np.array([np.mean(part[whole:] ** 2)]))
    if peak == 0.0:
        return 0.0, -math.inf
    power = np.concatenate(powers)
    power = power[power > 0]
    gated = power[power >= power.max() * 10 ** (-LOUDNESS_GATE_DB / 10)]
    return peak, 10 * math.log10(float(np.mean(gated)))


def _db(x: float) -> float:
    return 20 * math.log10(x) if x > 0 else -math.inf


def _part_prefix(out: Path) -> str:
    return f".{out.name}."


def sweep_partial_renders(out: Path, older_than_s: float = STALE_PART_S) -> list[Path]:
    """Remove temporary files left beside ``out`` by an interrupted render; return them."""
    cutoff = time.time() - older_than_s
    removed = []
    for path in out.parent.glob(f"{_part_prefix(out)}*.part"):
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
    return removed


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def render_plan(plan: Plan, out: Path, use_voice: bool = True) -> RenderResult:
    """Render ``plan`` to ``out`` (format from the extension), atomically."""
    out = Path(out)
    fmt, subtype = format_for(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(text("guide.no_folder", path=out, folder=folder))
    sweep_partial_renders(out)
    sr, total = plan.sample_rate, plan.total_samples
    clips, note = _voice_clips(plan, use_voice)
    templates, keys = _templates(plan, clips)
    timeline = Timeline(plan, templates, keys)
    chunk = CHUNK_SECONDS * sr
    peak, loudness = _measure(timeline, total, chunk, block=max(1, sr // 10))
    tp_ratio = max(synth.oversampled_peak(t) / np.max(np.abs(t)) for t in templates.values())
    gain = 1.0
    if peak > 0:
        ceiling = 10 ** ((PEAK_CEILING_DBFS - PEAK_MARGIN_DB) / 20)
        gain = min(10 ** ((TARGET_LOUDNESS_DBFS - loudness) / 20), ceiling / (peak * tp_ratio))
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_part_prefix(out), suffix=".part", dir=folder)
    except OSError as exc:
        raise RenderError(text("guide.cannot_write", path=out, reason=exc.strerror or exc)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        buf = np.zeros(chunk)
        with sf.SoundFile(tmp, "w", sr, 1, subtype, format=fmt) as snd:
            for start in range(0, total, chunk):
                stop = min(start + chunk, total)
                if timeline.mix(start, stop, buf):
                    buf[: stop - start] *= gain
                snd.write(buf[: stop - start])
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, RenderError):
            raise RenderError(
                text("guide.cannot_write", path=out, reason=exc.strerror or exc)
            ) from exc
        if isinstance(exc, sf.SoundFileError | sf.SoundFileRuntimeError):
            raise RenderError(text("guide.cannot_write", path=out, reason=exc)) from exc
        raise
    _fsync_folder(folder)
    gain_db = _db(gain)
    return RenderResult(
        path=out,
        duration_s=total / sr,
        sample_rate=sr,
        frames=total,
        cue_counts=plan.cue_counts(),
        voice_used=bool(clips),
        voice_note=note,
        gain_db=gain_db,
        peak_dbfs=_db(peak) + gain_db,
        true_peak_dbfs=_db(peak * tp_ratio) + gain_db,
        loudness_dbfs=loudness + gain_db,
    )
