import math
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from innerpace.guide import (
    BreathPattern,
    RenderError,
    Segment,
    Session,
    get_session,
    list_sessions,
    plan_session,
    render_session,
    synth,
)
from innerpace.guide.render import Timeline

SR = 44100
CEILING = 10 ** (-1 / 20)
BUILT_IN = [s.id for s in list_sessions()]


def breath_only(pattern: BreathPattern, minutes: float = 6) -> Session:
    return Session(
        id="breath-only",
        title="Breath only",
        minutes=minutes,
        description="Breath cues and nothing else.",
        segments=(Segment("breath", minutes, pattern=pattern, cue_minutes=2, bell=False),),
    )


def read(path: Path) -> np.ndarray:
    data, sr = sf.read(path, dtype="float64")
    assert sr == SR
    return data


def true_peak(x: np.ndarray, factor: int = 4) -> float:
    """Peak after band-limited upsampling, looked at around the loudest samples."""
    best = 0.0
    for centre in np.argsort(np.abs(x))[-20:]:
        lo, hi = max(0, centre - 4096), min(len(x), centre + 4096)
        up = np.fft.irfft(np.fft.rfft(x[lo:hi]), (hi - lo) * factor) * factor
        middle = (centre - lo) * factor
        best = max(best, float(np.max(np.abs(up[max(0, middle - 512) : middle + 512]))))
    return best


def onsets_from_audio(x: np.ndarray, min_gap: int = SR // 50) -> list[int]:
    """Sample indices where sound starts after at least ``min_gap`` samples of silence."""
    sounding = np.flatnonzero(x != 0.0)
    if len(sounding) == 0:
        return []
    starts = [int(sounding[0])]
    gaps = np.flatnonzero(np.diff(sounding) > min_gap)
    starts += [int(s) for s in sounding[gaps + 1]]
    return starts


def silent_spans(plan, lengths: dict[str, int]) -> list[tuple[int, int]]:
    """Stretches where the plan places no sound at all."""
    busy = sorted(
        (c.onset, c.onset + (synth.breath_length(c.span, SR) if c.span else lengths[c.kind]))
        for c in plan.cues
    )
    spans, cursor = [], 0
    for start, end in busy:
        if start > cursor:
            spans.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < plan.total_samples:
        spans.append((cursor, plan.total_samples))
    return spans


@pytest.mark.parametrize("session_id", BUILT_IN)
@pytest.mark.parametrize("cadence", [160, 180])
def test_every_built_in_session_renders_short_versions(tmp_path, session_id, cadence):
    plan = plan_session(get_session(session_id), cadence, minutes=2)
    out = tmp_path / f"{session_id}.wav"
    result = render_session(plan, out, voice=False)
    audio = read(out)
    assert len(audio) == plan.total_samples == 2 * 60 * SR == result.frames
    assert result.duration_s == 120.0
    assert np.max(np.abs(audio)) <= CEILING
    assert true_peak(audio) <= CEILING
    assert result.true_peak_dbfs <= -1.0
    assert result.cue_counts == plan.cue_counts()
    for onset in plan.onsets("bell"):
        window = audio[onset : onset + SR // 2]
        bell = synth.bell(SR)[: len(window)]
        corr = np.dot(window, bell) / (np.linalg.norm(window) * np.linalg.norm(bell))
        assert corr > 0.8, (session_id, onset)
    assert os.listdir(tmp_path) == [out.name]


@pytest.mark.parametrize("cadence", [160, 180, 173.3])
@pytest.mark.parametrize("pattern", [BreathPattern(3, 2), BreathPattern(2, 1)])
def test_breath_cues_start_exactly_where_they_are_scheduled(tmp_path, cadence, pattern):
    plan = plan_session(breath_only(pattern), cadence)
    out = tmp_path / "breath.wav"
    render_session(plan, out)
    audio = read(out)
    scheduled = sorted(plan.onsets("inhale") + plan.onsets("exhale"))
    found = [x for x in onsets_from_audio(audio) if x < plan.onsets("bell")[-1]]
    assert len(found) == len(scheduled)
    errors_ms = [abs(f - s) * 1000 / SR for f, s in zip(found, scheduled, strict=True)]
    assert max(errors_ms) <= 1.0
    inhale_found = found[0::2]
    period = (pattern.inhale + pattern.exhale) * 60 / cadence
    span = (inhale_found[-1] - inhale_found[0]) / (len(inhale_found) - 1) / SR
    assert span == pytest.approx(period, abs=1 / SR)


def test_inhale_and_exhale_are_told_apart_by_spectral_centroid(tmp_path):
    pattern = BreathPattern(3, 2)
    plan = plan_session(breath_only(pattern), 170)
    out = tmp_path / "breath.flac"
    render_session(plan, out)
    audio = read(out)
    step = 60 * SR / 170
    length = {
        "inhale": synth.breath_length(round(3 * step), SR),
        "exhale": synth.breath_length(round(2 * step), SR),
    }
    centroids = {"inhale": [], "exhale": []}
    for cue in plan.cues:
        if cue.kind in centroids:
            clip = audio[cue.onset : cue.onset + length[cue.kind]]
            centroids[cue.kind].append(synth.spectral_centroid(clip, SR))
    assert min(centroids["inhale"]) > 600
    assert max(centroids["exhale"]) < 400
    assert min(centroids["inhale"]) > 1.5 * max(centroids["exhale"])


def test_every_cue_sound_starts_and_ends_without_a_click():
    step = round(60 * SR / 170)
    for wave in (
        synth.bell(SR),
        synth.inhale(3 * step, SR),
        synth.exhale(2 * step, SR),
        synth.tick(SR),
        synth.chime(SR),
    ):
        assert abs(wave[0]) < 1e-6
        assert abs(wave[-1]) < 1e-6
        # No jump bigger than a 3 kHz sine at full level could make between samples.
        assert np.max(np.abs(np.diff(wave))) < 2 * math.pi * 3000 / SR


def test_a_full_length_session_is_exact_quiet_where_planned_and_at_its_loudness(tmp_path):
    plan = plan_session(get_session("hard-day"), 170)
    out = tmp_path / "hard-day.wav"
    result = render_session(plan, out, voice=False)
    info = sf.info(out)
    assert info.frames == plan.total_samples == 15 * 60 * SR
    audio = read(out)
    lengths = {
        "bell": len(synth.bell(SR)),
        "tick": len(synth.tick(SR)),
        "prompt": len(synth.chime(SR)),
    }
    spans = silent_spans(plan, lengths)
    quiet = 0
    for start, end in spans:
        assert not np.any(audio[start:end]), (start, end)
        quiet += end - start
    assert quiet / len(audio) > 0.6
    assert result.loudness_dbfs == pytest.approx(-20.0, abs=0.01) or result.peak_dbfs > -1.2
    assert np.max(np.abs(audio)) <= CEILING
    assert result.voice_used is False
    assert result.voice_note


@pytest.mark.parametrize("ext", [".wav", ".flac", ".ogg", ".mp3"])
def test_every_format_writes_and_reads_back(tmp_path, ext):
    plan = plan_session(get_session("breathe-3-2"), 170, minutes=1)
    out = tmp_path / f"run{ext}"
    result = render_session(plan, out)
    audio = read(out)
    assert result.path == out
    if ext in (".wav", ".flac"):
        assert len(audio) == plan.total_samples
    else:
        assert abs(len(audio) - plan.total_samples) < 0.1 * SR
    assert 0 < np.max(np.abs(audio)) < 1.0
    assert os.listdir(tmp_path) == [out.name]


def test_an_unknown_extension_names_the_allowed_ones(tmp_path):
    plan = plan_session(get_session("hard-day"), 170, minutes=1)
    with pytest.raises(ValueError, match=r"\.wav.*\.flac") as info:
        render_session(plan, tmp_path / "run.aiff")
    assert "run.aiff" in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_missing_folder_is_a_clear_error(tmp_path):
    plan = plan_session(get_session("hard-day"), 170, minutes=1)
    with pytest.raises(RenderError, match="does not exist"):
        render_session(plan, tmp_path / "nowhere" / "run.wav")
    assert os.listdir(tmp_path) == []


def test_a_folder_that_cannot_be_written_leaves_nothing(tmp_path):
    plan = plan_session(get_session("hard-day"), 170, minutes=1)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(RenderError):
        render_session(plan, blocker / "run.wav")
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(RenderError, match="Cannot write"):
            render_session(plan, locked / "run.wav")
        assert os.listdir(locked) == []
    assert "run.wav" not in os.listdir(tmp_path)
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".part")]


def test_a_failure_while_writing_leaves_no_partial_file_and_keeps_the_old_one(
    tmp_path, monkeypatch
):
    plan = plan_session(get_session("hard-day"), 170, minutes=2)
    out = tmp_path / "run.wav"
    out.write_bytes(b"the previous render")
    real_mix = Timeline.mix
    calls = {"n": 0}

    def failing_mix(self, start, stop, buf):
        calls["n"] += 1
        if calls["n"] > 15:
            raise OSError(28, "No space left on device")
        return real_mix(self, start, stop, buf)

    monkeypatch.setattr(Timeline, "mix", failing_mix)
    with pytest.raises(RenderError, match="No space left"):
        render_session(plan, out)
    assert os.listdir(tmp_path) == ["run.wav"]
    assert out.read_bytes() == b"the previous render"


def test_refused_cadences_write_nothing(tmp_path):
    for cadence in (100, 240):
        with pytest.raises(ValueError):
            render_session(plan_session(get_session("noting"), cadence), tmp_path / "x.wav")
    assert os.listdir(tmp_path) == []


def test_48_khz_and_odd_lengths_are_exact_to_the_sample(tmp_path):
    plan = plan_session(get_session("noting"), 167.5, minutes=1.37, sample_rate=48000)
    out = tmp_path / "n.flac"
    result = render_session(plan, out, voice=False)
    info = sf.info(out)
    assert info.samplerate == result.sample_rate == 48000
    assert info.frames == plan.total_samples == round(1.37 * 60 * 48000)


def test_old_leftovers_of_an_interrupted_render_are_swept(tmp_path):
    stale = tmp_path / ".run.wav.abc123.part"
    fresh = tmp_path / ".run.wav.def456.part"
    other = tmp_path / ".other.wav.xyz.part"
    for path in (stale, fresh, other):
        path.write_bytes(b"half a file")
    os.utime(stale, (0, 0))
    os.utime(other, (0, 0))
    plan = plan_session(get_session("long-quiet"), 170, minutes=1)
    render_session(plan, tmp_path / "run.wav")
    assert sorted(os.listdir(tmp_path)) == sorted([fresh.name, other.name, "run.wav"])


def test_breath_cues_fade_towards_the_end_of_their_block(tmp_path):
    plan = plan_session(breath_only(BreathPattern(3, 2), minutes=4), 170)
    out = tmp_path / "fade.wav"
    render_session(plan, out)
    audio = read(out)
    n = synth.breath_length(round(3 * 60 * SR / 170), SR)
    levels = [np.sqrt(np.mean(audio[x : x + n] ** 2)) for x in plan.onsets("inhale")]
    assert levels[-1] < 0.2 * levels[0]
    assert levels[len(levels) // 2] == pytest.approx(levels[0], rel=0.01)
