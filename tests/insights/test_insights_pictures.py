"""Pictures: well-formed SVG, drawn from the journal's own numbers, each with its words."""

import math
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import numpy as np
import pytest

from innerpace.domain import Moment
from innerpace.insights import build_insights
from innerpace.insights.data import assemble
from innerpace.insights.pictures import (
    calendar,
    moments_picture,
    moving_median,
    pictures,
    route,
    spread,
    strokes,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(picture):
    root = ET.fromstring(picture.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == picture.summary and len(picture.summary) > 20
    assert "href" not in picture.svg and "<script" not in picture.svg
    assert "nan" not in picture.svg.lower().split('"')
    return root


def small_journal(sim, n=30, seed=1):
    rng = np.random.default_rng(seed)
    pre = rng.integers(-3, 3, n)
    post = np.clip(pre + rng.integers(-1, 4, n), -5, 5)
    return sim.journal(pre, post)


def test_each_run_is_one_stroke_or_dot_and_the_words_count_them(sim):
    runs, checkins = small_journal(sim)
    pairs = assemble(runs, checkins).pairs
    picture = strokes(pairs)
    root = parse(picture)
    marks = [el for el in root.iter() if "pic-stroke" in (el.get("class") or "").split()]
    same = sum(p.post == p.pre for p in pairs)
    assert len(marks) == len(pairs) - same
    better = sum(p.post > p.pre for p in pairs)
    assert f"{better} ended higher" in picture.summary
    assert root.find(f"{SVG}polyline").get("class") == "pic-median"


def test_the_moving_median_follows_its_neighbours():
    assert moving_median([0, 0, 9, 0, 0], 3) == [0, 0, 0, 0, 0]
    assert moving_median([1, 2, 3], 9) == [2, 2, 2]


def test_the_spread_counts_lower_same_and_higher(sim):
    runs, checkins = small_journal(sim, seed=2)
    pairs = assemble(runs, checkins).pairs
    picture = spread(pairs)
    parse(picture)
    lower = sum(p.d < 0 for p in pairs)
    assert f"{lower} lower" in picture.summary


def test_the_calendar_colours_run_days_and_rings_rest_days(sim):
    runs, checkins = small_journal(sim, n=20, seed=3)
    pairs = assemble(runs, checkins).pairs
    today = pairs[-1].local_day + timedelta(days=3)
    rest = [pairs[0].local_day + timedelta(days=1)]
    picture = calendar(pairs, runs, rest, today)
    root = parse(picture)
    coloured = [
        el
        for el in root.iter(f"{SVG}rect")
        if {"pic-better", "pic-worse", "pic-same"} & set((el.get("class") or "").split())
    ]
    assert len(coloured) == len(pairs) + 3  # and the three legend squares
    assert len(list(root.iter(f"{SVG}circle"))) == 2  # the rest day and its legend
    assert "1 rest days" in picture.summary or "1 rest day" in picture.summary


def test_a_journal_of_older_runs_draws_the_year_up_to_its_latest_run(sim):
    runs, checkins = small_journal(sim, n=20, seed=3)
    pairs = assemble(runs, checkins).pairs
    latest = max(r.local_start.date() for r in runs)
    today = latest + timedelta(days=3 * 365)
    picture = calendar(pairs, runs, [], today)
    root = parse(picture)
    coloured = [
        el
        for el in root.iter(f"{SVG}rect")
        if {"pic-better", "pic-worse", "pic-same"} & set((el.get("class") or "").split())
    ]
    assert len(coloured) == len(pairs) + 3  # every run is drawn, not an empty year
    assert f"to {latest.day} " in picture.title and "none came in the year to today" in (
        picture.title
    )
    assert picture.summary.startswith(f"The year to {latest.day} ")


def test_moments_need_five_and_are_drawn_by_km_and_minute():
    few = [Moment(run_id=1, at_s=600, at_m=2000, tags=("release",))] * 4
    assert moments_picture(few) is None
    many = few + [Moment(run_id=2, at_s=1500, at_m=4200, tags=("struggle",))] * 3
    picture = moments_picture(many)
    parse(picture)
    assert "7 moments" in picture.summary and "4 of them release" in picture.summary


def test_a_route_is_drawn_from_its_own_points_with_its_moments(sim):
    t = np.arange(0, 1800, 5.0)
    lat = 51.5 + 0.01 * np.sin(t / 300)
    lon = -0.1 + 0.01 * np.cos(t / 300)
    dist = t * 3.0
    moments = [
        Moment(run_id=1, at_s=900, tags=("release",)),
        Moment(run_id=1, at_m=100, tags=("calm",)),
    ]
    picture = route(lat, lon, t, dist, moments, -1, 2)
    root = parse(picture)
    assert "2 moments" in picture.summary and "before −1" in picture.summary
    rings = [el for el in root.iter(f"{SVG}circle") if "pic-ring" in (el.get("class") or "")]
    assert len(rings) == 2
    points = root.find(f"{SVG}polyline").get("points").split()
    assert 2 <= len(points) <= 410
    for point in points:
        x, y = (float(v) for v in point.split(","))
        assert math.isfinite(x) and -1 <= x <= 421 and -1 <= y <= 320


def test_a_route_without_coordinates_draws_nothing():
    nan = float("nan")
    assert route([nan, nan], [nan, nan], [0, 1], [0, 1], [], None, None) is None
    assert route([], [], [], [], [], 1, 2) is None


def test_every_picture_of_a_small_journal_is_well_formed(sim):
    runs, checkins = small_journal(sim, n=25, seed=4)
    found = build_insights(runs, checkins, [], [], [], today=date(2026, 12, 1))
    drawn = pictures(runs, checkins, [], [], found)
    assert {p.name for p in drawn.all()} == {"strokes", "spread", "calendar"}
    for picture in drawn.all():
        parse(picture)


def test_an_empty_journal_draws_no_pictures():
    found = build_insights([], [], [], [], [], today=date(2026, 12, 1))
    assert pictures([], [], [], [], found).all() == ()


@pytest.mark.parametrize("n", [3, 250])
def test_strokes_show_at_most_two_hundred_runs(sim, n):
    runs, checkins = small_journal(sim, n=n, seed=5)
    picture = strokes(assemble(runs, checkins).pairs)
    assert f"{min(n, 200)} runs" in picture.summary
