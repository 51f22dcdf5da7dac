"""Optional spoken cues through a local espeak-ng. Never needed, never online."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from innerpace import words as wording
from innerpace.guide.synth import LEVELS, envelope

ESPEAK = "espeak-ng"
TIMEOUT_S = 20.0
#: Words per minute: slow and unhurried.
SPEED_WPM = 135


class VoiceUnavailable(RuntimeError):
    """Spoken cues cannot be made here; the reason is a plain sentence."""


def espeak_path() -> str | None:
    """Where espeak-ng is on PATH, if it is."""
    return shutil.which(ESPEAK)


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Band-limited (FFT) resampling of a short clip."""
    if sr_in == sr_out or len(x) == 0:
        return x.astype(np.float64)
    n_out = max(1, round(len(x) * sr_out / sr_in))
    spectrum = np.fft.rfft(x)
    keep = min(len(spectrum), n_out // 2 + 1)
    return np.fft.irfft(spectrum[:keep], n_out) * (n_out / len(x))


def _speak_one(exe: str, text: str, sr: int, folder: str) -> np.ndarray:
    wav = os.path.join(folder, "cue.wav")
    args = [exe, "-v", "en", "-s", str(SPEED_WPM), "-b", "1", "-w", wav, "--stdin"]
    try:
        subprocess.run(
            args, input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT_S, check=True
        )
        data, sr_in = sf.read(wav, dtype="float64", always_2d=True)
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        reason = wording.text("guide.voice_failed", problem=exc.__class__.__name__)
        raise VoiceUnavailable(reason) from exc
    clip = resample(data.mean(axis=1), int(sr_in), sr)
    peak = float(np.max(np.abs(clip))) if len(clip) else 0.0
    if peak <= 0.0:
        raise VoiceUnavailable(wording.text("guide.voice_silent"))
    ramp = round(0.01 * sr)
    return LEVELS["voice"] * clip / peak * envelope(len(clip), ramp, ramp)


def speak(texts: list[str], sr: int) -> dict[str, np.ndarray]:
    """One clip per distinct text, at ``sr``; raises :class:`VoiceUnavailable`."""
    exe = espeak_path()
    if exe is None:
        raise VoiceUnavailable(wording.text("guide.voice_missing"))
    clips: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory(prefix="innerpace-voice-") as folder:
        for text in dict.fromkeys(texts):
            clips[text] = _speak_one(exe, text, sr, folder)
            Path(folder, "cue.wav").unlink(missing_ok=True)
    return clips
