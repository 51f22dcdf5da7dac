"""Cue sounds made with numpy: a bell, inhale and exhale cues, a step tick and a small chime.

Every sound starts and ends at zero under a smooth envelope, so nothing clicks. Levels here
are relative; the renderer scales the whole mix to its loudness target.
"""

from __future__ import annotations

import numpy as np

#: Partials of a struck bowl: inharmonic ratios, relative amplitudes, decay times (s).
BELL_RATIOS = (1.0, 2.76, 5.40, 8.93, 13.34)
BELL_AMPS = (1.0, 0.5, 0.28, 0.14, 0.07)
BELL_DECAYS = (3.0, 2.0, 1.2, 0.7, 0.4)
BELL_F0 = 220.0
BELL_SECONDS = 8.0

INHALE_GLIDE = (560.0, 880.0)
EXHALE_GLIDE = (330.0, 210.0)
#: A breath cue fills this share of its phase, leaving a short quiet gap before the next.
BREATH_FILL = 0.8
BREATH_MAX_S = 2.4
#: Attack of a breath cue: short enough to mark the step, long enough not to click.
ONSET_S = 0.012

LEVELS = {"bell": 1.0, "inhale": 0.45, "exhale": 0.5, "tick": 0.12, "chime": 0.35, "voice": 0.45}


def envelope(n: int, attack: int, release: int) -> np.ndarray:
    """Raised-cosine attack and release over ``n`` samples, flat in between."""
    env = np.ones(n)
    attack = max(1, min(attack, n))
    release = max(1, min(release, n - attack if n > attack else 1))
    env[:attack] = 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    env[n - release :] *= 0.5 + 0.5 * np.cos(np.pi * (np.arange(1, release + 1)) / release)
    return env


def _glide(f_start: float, f_end: float, n: int, sr: int) -> np.ndarray:
    """Phase of a sine gliding exponentially from ``f_start`` to ``f_end``."""
    t = np.arange(n) / sr
    duration = n / sr
    ratio = f_end / f_start
    if abs(ratio - 1.0) < 1e-9:
        return 2 * np.pi * f_start * t
    k = np.log(ratio) / duration
    return 2 * np.pi * f_start * (np.exp(k * t) - 1.0) / k


def _band_noise(n: int, sr: int, low: float, high: float, seed: int) -> np.ndarray:
    """White noise limited to ``[low, high]`` Hz with soft band edges, unit RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / sr)
    centre, width = np.sqrt(low * high), np.log(high / low) / 2
    shape = np.exp(-0.5 * (np.log(np.maximum(freqs, 1.0) / centre) / width) ** 2)
    noise = np.fft.irfft(spectrum * shape, n)
    return noise / (np.sqrt(np.mean(noise**2)) + 1e-12)


def bell(sr: int, f0: float = BELL_F0, seconds: float = BELL_SECONDS) -> np.ndarray:
    """A struck bell: inharmonic partials, each with its own exponential decay."""
    n = round(seconds * sr)
    t = np.arange(n) / sr
    out = np.zeros(n)
    for ratio, amp, decay in zip(BELL_RATIOS, BELL_AMPS, BELL_DECAYS, strict=True):
        f = f0 * ratio
        # Two slightly detuned modes per partial give the slow beating of a real bowl.
        beat = 0.5 * (np.sin(2 * np.pi * f * t) + np.sin(2 * np.pi * f * 1.0025 * t))
        out += amp * np.exp(-t / decay) * beat
    out *= envelope(n, round(0.004 * sr), round(2.0 * sr))
    return LEVELS["bell"] * out / np.max(np.abs(out))


def breath_length(span: int, sr: int) -> int:
    """Samples of a breath cue for a phase of ``span`` samples."""
    return max(1, min(round(span * BREATH_FILL), round(BREATH_MAX_S * sr)))


def inhale(span: int, sr: int) -> np.ndarray:
    """Breathing in: a brighter tone rising, with a little air, swelling then easing."""
    n = breath_length(span, sr)
    tone = np.sin(_glide(*INHALE_GLIDE, n, sr))
    tone += 0.25 * np.sin(2 * _glide(*INHALE_GLIDE, n, sr))
    air = 0.18 * _band_noise(n, sr, 1500.0, 5000.0, seed=11)
    swell = np.ones(n)
    rise = max(1, round(0.6 * n))
    swell[:rise] = 0.5 - 0.5 * np.cos(np.pi * np.arange(rise) / rise)
    # A clear (12 ms) start marks the first step of the breath, then the sound swells.
    env = envelope(n, round(ONSET_S * sr), round(0.35 * n)) * (0.45 + 0.55 * swell)
    out = (tone + air) * env
    return LEVELS["inhale"] * out / np.max(np.abs(out))


def exhale(span: int, sr: int) -> np.ndarray:
    """Breathing out: a darker tone falling, settling away."""
    n = breath_length(span, sr)
    tone = np.sin(_glide(*EXHALE_GLIDE, n, sr))
    air = 0.15 * _band_noise(n, sr, 120.0, 450.0, seed=12)
    out = (tone + air) * envelope(n, round(2 * ONSET_S * sr), round(0.75 * n))
    return LEVELS["exhale"] * out / np.max(np.abs(out))


def tick(sr: int) -> np.ndarray:
    """A soft, short step tick (a damped woody tone)."""
    n = round(0.04 * sr)
    t = np.arange(n) / sr
    out = np.sin(2 * np.pi * 950.0 * t) * np.exp(-t / 0.008)
    out *= envelope(n, round(0.0015 * sr), round(0.01 * sr))
    return LEVELS["tick"] * out / np.max(np.abs(out))


def chime(sr: int) -> np.ndarray:
    """A small high bell that stands in for a spoken cue."""
    out = bell(sr, f0=660.0, seconds=2.5)
    return LEVELS["chime"] * out / np.max(np.abs(out))


def spectral_centroid(x: np.ndarray, sr: int) -> float:
    """Power-weighted mean frequency of ``x`` in Hz."""
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1.0 / sr)
    return float(np.sum(freqs * power) / (np.sum(power) + 1e-30))


def oversampled_peak(x: np.ndarray, factor: int = 4) -> float:
    """Peak of ``x`` after band-limited upsampling: an estimate of its true peak."""
    if len(x) == 0:
        return 0.0
    spectrum = np.fft.rfft(x)
    up = np.fft.irfft(spectrum, len(x) * factor) * factor
    return float(np.max(np.abs(up)))
