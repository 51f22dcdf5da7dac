import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from innerpace.guide import get_session, plan_session, render_session
from innerpace.guide.voice import resample

FAKE_ESPEAK = """#!{python}
import sys
import numpy as np
import soundfile as sf

args = sys.argv[1:]
text = sys.stdin.read()
assert "--stdin" in args and text.strip()
out = args[args.index("-w") + 1]
t = np.arange(int(22050 * 0.2 * len(text.split()))) / 22050
sf.write(out, 0.4 * np.sin(2 * np.pi * 180 * t), 22050)
"""


@pytest.fixture
def fake_espeak(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    exe = folder / "espeak-ng"
    exe.write_text(FAKE_ESPEAK.format(python=sys.executable))
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    return exe


@pytest.fixture
def no_espeak(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_spoken_cues_are_mixed_in_when_espeak_is_there(tmp_path, fake_espeak):
    plan = plan_session(get_session("hard-day"), 170, minutes=2)
    out = tmp_path / "out" / "hard.wav"
    out.parent.mkdir()
    result = render_session(plan, out)
    assert result.voice_used is True
    assert result.voice_note is None
    audio, sr = sf.read(out)
    assert len(audio) == plan.total_samples
    first = plan.onsets("prompt")[0]
    spoken = audio[first : first + sr // 2]
    spectrum = np.abs(np.fft.rfft(spoken))
    assert abs(np.fft.rfftfreq(len(spoken), 1 / sr)[np.argmax(spectrum)] - 180) < 10
    assert os.listdir(out.parent) == ["hard.wav"]


def test_without_espeak_the_session_uses_chimes_and_says_so(tmp_path, no_espeak):
    plan = plan_session(get_session("body-scan"), 170, minutes=2)
    result = render_session(plan, tmp_path / "scan.flac")
    assert result.voice_used is False
    assert "espeak-ng" in result.voice_note
    assert "chime" in result.voice_note
    assert result.cue_counts["prompt"] == 10


def test_voice_can_be_turned_off(tmp_path, fake_espeak):
    plan = plan_session(get_session("noting"), 170, minutes=2)
    result = render_session(plan, tmp_path / "n.wav", voice=False)
    assert result.voice_used is False
    assert "off" in result.voice_note


def test_a_session_with_no_words_needs_no_voice(tmp_path, no_espeak):
    plan = plan_session(get_session("long-quiet"), 170, minutes=2)
    result = render_session(plan, tmp_path / "q.wav")
    assert result.voice_used is False
    assert result.voice_note is None


def test_a_broken_espeak_falls_back_to_chimes(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    exe = folder / "espeak-ng"
    exe.write_text("#!/bin/sh\nexit 3\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    plan = plan_session(get_session("hard-day"), 170, minutes=2)
    result = render_session(plan, tmp_path / "h.wav")
    assert result.voice_used is False
    assert "chime" in result.voice_note


def test_resampling_keeps_length_and_pitch():
    t = np.arange(22050) / 22050
    up = resample(np.sin(2 * np.pi * 440 * t), 22050, 44100)
    assert len(up) == 44100
    peak = np.argmax(np.abs(np.fft.rfft(up)))
    assert abs(np.fft.rfftfreq(len(up), 1 / 44100)[peak] - 440) < 2


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_real_espeak_speaks(tmp_path):
    plan = plan_session(get_session("hard-day"), 170, minutes=2)
    result = render_session(plan, Path(tmp_path / "real.wav"))
    assert result.voice_used is True
