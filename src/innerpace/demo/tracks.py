"""Synthetic recordings: per-second series, laps and summaries that hang together."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from innerpace.demo.timeline import Slot
from innerpace.domain import Lap, LapTrigger, Run, Series, Setting, Sport

HR_REST = 55.0
HR_MAX = 188.0
HOME_LAT, HOME_LON = 51.3236, 12.3528  # a park by the river

# (median minutes, spread) per effort; pace in s/km (low, high)
_DURATION = {"easy": (42.0, 0.25), "steady": (48.0, 0.2), "hard": (52.0, 0.15), "long": (85.0, 0.1)}
_PACE = {"easy": (360, 405), "steady": (335, 360), "hard": (320, 345), "long": (355, 395)}
# Seconds between samples: every second, or "smart" recording.
_SAMPLE_S = {"garmin forerunner 255": 1.0, "coros pace 3": 2.0, "apple watch": 2.0}
_HR = {"easy": (132, 142), "steady": (146, 154), "hard": (156, 165), "long": (138, 148)}


@dataclass(frozen=True, slots=True)
class Recording:
    """A generated activity and what the feeling model needs to know about it."""

    run: Run
    presses_s: tuple[float, ...]  # manual lap presses, seconds from the start
    t_s: np.ndarray  # time grid (empty when nothing was recorded)
    distance_m: np.ndarray

    def distance_at(self, seconds: float) -> float | None:
        if len(self.t_s):
            return float(np.interp(seconds, self.t_s, self.distance_m))
        if self.run.distance_m:
            return self.run.distance_m * seconds / self.run.duration_s
        return None


def _column(values: np.ndarray) -> array:
    column = array("d")
    column.frombytes(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return column


def _smooth(values: np.ndarray, seconds: float, dt: float) -> np.ndarray:
    """First-order lag (like a heart following effort), by convolution."""
    n = max(2, int(4 * seconds / dt))
    kernel = np.exp(-np.arange(n) * dt / seconds)
    kernel /= kernel.sum()
    padded = np.concatenate([np.full(n - 1, values[0]), values])
    return np.convolve(padded, kernel, mode="valid")


def _duration_s(rng: np.random.Generator, slot: Slot) -> float:
    if slot.sport == Sport.WALKING:
        return float(rng.uniform(35, 75) * 60)
    if slot.sport == Sport.CYCLING:
        return float(rng.uniform(60, 150) * 60)
    if slot.sport == Sport.SWIMMING:
        return float(rng.uniform(35, 50) * 60)
    median, spread = _DURATION[slot.effort]
    minutes = float(np.clip(median * np.exp(rng.normal(0, spread)), 20, 100))
    if slot.setting == Setting.TREADMILL:
        minutes = min(minutes, 55.0)
    return round(minutes * 60)


def _speed_profile(
    rng: np.random.Generator, slot: Slot, t: np.ndarray, mean_speed: float
) -> np.ndarray:
    n = len(t)
    wobble = _smooth(rng.normal(0, 0.25, n), 60.0, float(t[1] - t[0]) if n > 1 else 1.0)
    speed = mean_speed * (1 + wobble) + rng.normal(0, 0.08, n)
    if slot.effort == "hard":
        block = ((t - 900) % 300) < 180
        work = (t > 900) & (t < t[-1] - 600) & block
        speed = np.where(work, speed * 1.18, speed * 0.9)
    warm = np.clip(t / 300, 0.85, 1.0)
    return np.clip(speed * warm, 0.5, None)


def _route(rng: np.random.Generator, distance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = max(float(distance[-1]), 1.0)
    turn = rng.choice([-1.0, 1.0])
    heading = rng.uniform(0, 2 * np.pi) + turn * 2 * np.pi * distance / total
    heading += 0.3 * np.sin(distance / rng.uniform(150, 400))
    step = np.diff(distance, prepend=0.0)
    north = np.cumsum(step * np.cos(heading))
    east = np.cumsum(step * np.sin(heading))
    lat = HOME_LAT + north / 111_320 + rng.normal(0, 2e-5, len(step))
    lon = (
        HOME_LON + east / (111_320 * np.cos(np.radians(HOME_LAT))) + rng.normal(0, 2e-5, len(step))
    )
    return lat, lon


def _altitude(rng: np.random.Generator, slot: Slot, distance: np.ndarray) -> np.ndarray:
    relief = {Setting.TRAIL: rng.uniform(10, 30), Setting.TRACK: 0.3}.get(slot.setting, 4.0)
    phase = rng.uniform(0, 2 * np.pi, 3)
    waves = sum(
        np.sin(distance / wavelength + p) / k
        for k, (wavelength, p) in enumerate(zip((900, 400, 170), phase, strict=True), start=1)
    )
    return 112 + relief * waves + rng.normal(0, 0.3, len(distance))


def _gain_loss(altitude: np.ndarray) -> tuple[float, float]:
    steps = np.diff(altitude[:: max(1, len(altitude) // 400)] if len(altitude) > 1 else altitude)
    steps = steps[np.abs(steps) > 0.6]
    return float(steps[steps > 0].sum()), float(-steps[steps < 0].sum())


def _presses(rng: np.random.Generator, slot: Slot, duration: float) -> tuple[float, ...]:
    if slot.sport != Sport.RUNNING or slot.source != "fit" or rng.random() >= 0.3:
        return ()
    count = 1 if rng.random() < 0.7 else 2
    if duration > 45 * 60 and rng.random() < 0.6:
        centre = [rng.uniform(35, 50) * 60 for _ in range(count)]
    else:
        centre = [rng.uniform(0.15, 0.9) * duration for _ in range(count)]
    return tuple(sorted(round(min(c, duration - 60)) for c in centre))


def _laps(run_start, t, distance, hr, presses, auto: bool) -> tuple[Lap, ...]:
    """Auto laps every kilometre, split by manual presses; the last ends with the session."""
    cuts: list[tuple[float, LapTrigger]] = []
    if auto:
        for km in range(1, int(distance[-1] // 1000) + 1):
            cuts.append((float(np.interp(km * 1000, distance, t)), LapTrigger.DISTANCE))
    cuts += [(p, LapTrigger.MANUAL) for p in presses]
    cuts.sort()
    end = float(t[-1])
    cuts = [c for c in cuts if 5 < c[0] < end - 5] + [(end, LapTrigger.SESSION_END)]
    laps, begin = [], 0.0
    for at, trigger in cuts:
        if at - begin < 1:
            continue
        inside = (t >= begin) & (t <= at)
        lap_hr = (
            float(np.nanmean(hr[inside]))
            if inside.any() and not np.isnan(hr[inside]).all()
            else None
        )
        d0, d1 = np.interp([begin, at], t, distance)
        laps.append(
            Lap(
                start=run_start + timedelta(seconds=begin),
                elapsed_s=round(at - begin, 1),
                distance_m=round(float(d1 - d0), 1),
                trigger=trigger,
                avg_hr=None if lap_hr is None else round(lap_hr, 1),
            )
        )
        begin = at
    return tuple(laps)


def _name(rng: np.random.Generator, slot: Slot) -> str:
    hour = slot.local_start.hour
    part = (
        "Morning"
        if hour < 11
        else "Lunch"
        if hour < 14
        else "Afternoon"
        if hour < 17
        else "Evening"
    )
    if slot.sport == Sport.WALKING:
        return f"{part} Walk"
    if slot.sport == Sport.CYCLING:
        return f"{part} Ride"
    if slot.sport == Sport.SWIMMING:
        return "Pool Swim"
    if slot.setting == Setting.TREADMILL:
        return "Treadmill"
    if rng.random() < 0.25:
        own = {
            "long": ["Long one by the Elster", "Sunday long run", "Out to the lakes and back"],
            "hard": ["Intervals 6x3'", "Track Tuesday", "Tempo-ish"],
            "easy": ["River loop", "Easy shuffle", "Park loop", "Just out the door"],
            "steady": ["Steady along the canal", "Bridges loop"],
        }[slot.effort]
        return str(own[rng.integers(len(own))])
    return f"{part} Run"


def record(rng: np.random.Generator, slot: Slot) -> Recording:
    """Generate one activity for ``slot``: summary, laps and (when recorded) a series."""
    duration = _duration_s(rng, slot)
    start = slot.start
    base = {
        "start": start,
        "duration_s": duration,
        "sport": slot.sport,
        "utc_offset_min": slot.utc_offset_min,
        "setting": slot.setting,
        "company": slot.company,
        "name": _name(rng, slot),
        "device": slot.device,
        "source": slot.source,
    }
    if slot.sport == Sport.SWIMMING:
        distance = round(duration / 60 * rng.uniform(36, 44) / 25) * 25.0
        run = Run(
            **base,
            moving_s=duration * 0.85,
            distance_m=distance,
            avg_hr=round(rng.uniform(118, 130)),
        )
        return Recording(run, (), np.empty(0), np.empty(0))
    if slot.sport == Sport.RUNNING:
        low, high = _PACE[slot.effort]
        pace = rng.uniform(low, high) + (15 if slot.setting == Setting.TRAIL else 0)
        hr_target = rng.uniform(*_HR[slot.effort])
    elif slot.sport == Sport.WALKING:
        pace, hr_target = 3600 / rng.uniform(4.6, 5.6), rng.uniform(92, 108)
    else:
        pace, hr_target = 3600 / rng.uniform(20, 26), rng.uniform(118, 135)
    mean_speed = 1000 / pace

    if slot.source == "manual":
        distance = round(duration * mean_speed, -1)
        run = Run(**base, moving_s=duration, distance_m=distance)
        return Recording(run, (), np.empty(0), np.empty(0))

    dt = _SAMPLE_S.get(slot.device, 2.0) if slot.sport == Sport.RUNNING else 3.0
    t = np.arange(0.0, duration + dt / 2, dt)
    speed = _speed_profile(rng, slot, t, mean_speed)
    distance = np.concatenate([[0.0], np.cumsum(speed[1:] * dt)])
    effort = speed / mean_speed
    hr_raw = HR_REST + (hr_target - HR_REST) * (0.4 + 0.6 * effort)
    hr = _smooth(hr_raw, 40.0, dt) + np.linspace(0, rng.uniform(3, 8), len(t))
    hr = np.minimum(hr * np.clip(0.72 + t / 600, 0, 1) + rng.normal(0, 1.2, len(t)), HR_MAX)
    if slot.sport == Sport.RUNNING:
        cadence = rng.uniform(163, 176) + 9 * (effort - 1) + rng.normal(0, 1.5, len(t))
    else:
        cadence = np.full(len(t), np.nan)
    altitude = _altitude(rng, slot, distance)
    if slot.setting == Setting.TREADMILL:
        lat = lon = np.full(len(t), np.nan)
        altitude = np.full(len(t), np.nan)
    else:
        lat, lon = _route(rng, distance)
    if slot.source == "gpx":  # a plain GPX track: positions, elevation and time only
        hr = np.full(len(t), np.nan)
        cadence = np.full(len(t), np.nan)
    hr, cadence = np.round(hr), np.round(cadence)
    series = Series(
        t_s=_column(t),
        distance_m=_column(np.round(distance, 1)),
        hr=_column(hr),
        cadence_spm=_column(cadence),
        altitude_m=_column(np.round(altitude, 1)),
        lat=_column(np.round(lat, 6)),
        lon=_column(np.round(lon, 6)),
    )
    presses = _presses(rng, slot, duration)
    has_hr = not np.isnan(hr).all()
    gain, loss = (None, None) if slot.setting == Setting.TREADMILL else _gain_loss(altitude)
    run = Run(
        **base,
        moving_s=duration,
        distance_m=round(float(distance[-1]), 1),
        avg_hr=round(float(hr.mean()), 1) if has_hr else None,
        max_hr=float(hr.max()) if has_hr else None,
        avg_cadence_spm=round(float(cadence.mean()), 1)
        if slot.sport == Sport.RUNNING and has_hr
        else None,
        elevation_gain_m=None if gain is None else round(gain, 1),
        elevation_loss_m=None if loss is None else round(loss, 1),
        laps=_laps(start, t, distance, hr, presses, auto=slot.source == "fit"),
        series=series,
    )
    return Recording(run, presses, t, distance)
