"""Pictures of the findings as small, self-contained SVG text: nothing fetched, no script.

Each picture is drawn on the server from the journal's own numbers, scales to the width it is
given (readable from 390 px), takes its colours from CSS classes (``pic-*``, styled in
``static/insights.css`` for light and dark) and carries its own text equivalent: ``role="img"``,
an ``aria-labelledby`` pointing at its ``<title>`` and ``<desc>``. The description says in words
what the picture shows, so a screen reader hears the same story.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from itertools import count

from innerpace.domain import CheckIn, Moment, MomentStatus, Run, WellbeingCheck
from innerpace.insights.data import RunPair, assemble
from innerpace.insights.findings import Insights
from innerpace.insights.wellbeing import Month

WIDTH = 340
MAX_STROKES = 200
MEDIAN_WINDOW = 9
_ids = count(1)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Picture:
    """One picture: its name, the SVG markup and the words it stands for."""

    name: str
    title: str
    summary: str
    svg: str


@dataclass(frozen=True, slots=True)
class Pictures:
    strokes: Picture | None
    spread: Picture | None
    moments: Picture | None
    calendar: Picture | None
    wellbeing: Picture | None

    def all(self) -> tuple[Picture, ...]:
        found = (self.strokes, self.spread, self.moments, self.calendar, self.wellbeing)
        return tuple(p for p in found if p is not None)


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _svg(name: str, title: str, summary: str, height: float, body: Iterable[str]) -> Picture:
    uid = f"pic-{name}-{next(_ids)}"
    svg = (
        f'<svg class="pic pic-{name}" viewBox="0 0 {WIDTH} {_f(height)}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(summary)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    return Picture(name, title, summary, svg)


def _text(x: float, y: float, words: str, cls: str = "pic-label", anchor: str = "start") -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" class="{cls}" text-anchor="{anchor}">{escape(words)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" class="{cls}"/>'


def _signed(x: float) -> str:
    return f"+{_f(x)}" if x > 0 else ("−" + _f(-x) if x < 0 else "0")


def moving_median(values: Sequence[float], window: int = MEDIAN_WINDOW) -> list[float]:
    """The median of each value with its neighbours (a centred window, shorter at the ends)."""
    half = window // 2
    out = []
    for i in range(len(values)):
        chunk = sorted(values[max(0, i - half) : i + half + 1])
        m = len(chunk)
        out.append(chunk[m // 2] if m % 2 else (chunk[m // 2 - 1] + chunk[m // 2]) / 2)
    return out


# --- before → after strokes -----------------------------------------------------------------


def strokes(pairs: Sequence[RunPair]) -> Picture | None:
    """Each run a short vertical stroke from its before to its after feeling, in time order,
    with the moving median of the change drawn beneath."""
    if len(pairs) < 3:
        return None
    shown = list(pairs[-MAX_STROKES:])
    n = len(shown)
    left, right, top = 24.0, WIDTH - 4.0, 10.0
    band = 130.0  # −5…+5
    step = (right - left) / max(1, n)

    def y(v: float) -> float:
        return top + (5 - v) / 10 * band

    body = [
        _line(left, y(0), right, y(0), "pic-axis"),
        _text(left - 4, y(5) + 4, "+5", "pic-small", "end"),
        _text(left - 4, y(0) + 4, "0", "pic-small", "end"),
        _text(left - 4, y(-5) + 4, "−5", "pic-small", "end"),
    ]
    better = worse = same = 0
    for i, p in enumerate(shown):
        x = left + step * (i + 0.5)
        if p.post > p.pre:
            better += 1
            cls = "pic-better"
        elif p.post < p.pre:
            worse += 1
            cls = "pic-worse"
        else:
            same += 1
            cls = "pic-same"
        if p.post == p.pre:
            body.append(f'<circle cx="{_f(x)}" cy="{_f(y(p.pre))}" r="1.8" class="{cls}"/>')
        else:
            body.append(_line(x, y(p.pre), x, y(p.post), f"pic-stroke {cls}"))
            body.append(f'<circle cx="{_f(x)}" cy="{_f(y(p.post))}" r="1.8" class="{cls}"/>')
    # moving median of the change, on its own band below
    mtop = top + band + 34
    mband = 50.0
    med = moving_median([p.d for p in shown])

    def my(v: float) -> float:
        return mtop + (3 - max(-3.0, min(3.0, v))) / 6 * mband

    body.append(_text(left, mtop - 14, "Typical change (moving median)", "pic-small"))
    body.append(_line(left, my(0), right, my(0), "pic-axis"))
    body.append(_text(left - 4, my(0) + 4, "0", "pic-small", "end"))
    body.append(_text(left - 4, my(3) + 6, "+3", "pic-small", "end"))
    body.append(_text(left - 4, my(-3) + 2, "−3", "pic-small", "end"))
    points = " ".join(f"{_f(left + step * (i + 0.5))},{_f(my(v))}" for i, v in enumerate(med))
    body.append(f'<polyline points="{points}" class="pic-median"/>')
    first, last = shown[0].local_day, shown[-1].local_day
    body.append(_text(left, mtop + mband + 16, _day(first), "pic-small"))
    body.append(_text(right, mtop + mband + 16, _day(last), "pic-small", "end"))
    lately = med[-1]
    title = "How you felt before and after each run"
    summary = (
        f"{n} runs from {_day(first)} to {_day(last)}, each drawn as a stroke from the feeling "
        f"before to the feeling after: {better} ended higher, {same} the same, {worse} lower. "
        f"The typical change over the most recent runs is {_signed(lately)} points."
    )
    return _svg("strokes", title, summary, mtop + mband + 22, body)


def _month(key: str) -> str:
    return f"{_MONTHS[int(key[5:]) - 1]} {key[:4]}"


def _day(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# --- better / same / worse ------------------------------------------------------------------


def spread(pairs: Sequence[RunPair]) -> Picture | None:
    """How the changes are distributed: one bar per whole-point change, lower / same / higher."""
    if len(pairs) < 3:
        return None
    changes = Counter(int(round(p.d)) for p in pairs)
    lo, hi = min(-3, min(changes)), max(3, max(changes))
    left, right, top, height = 10.0, WIDTH - 10.0, 26.0, 110.0
    slots = hi - lo + 1
    width = (right - left) / slots
    most = max(changes.values())
    better = sum(c for k, c in changes.items() if k > 0)
    worse = sum(c for k, c in changes.items() if k < 0)
    same = changes.get(0, 0)
    n = len(pairs)
    body = [
        _text(left, 14, f"Lower {worse}", "pic-label pic-worse-text"),
        _text(WIDTH / 2, 14, f"Same {same}", "pic-label", "middle"),
        _text(right, 14, f"Higher {better}", "pic-label pic-better-text", "end"),
    ]
    for k in range(lo, hi + 1):
        c = changes.get(k, 0)
        h = height * c / most
        x = left + (k - lo) * width
        cls = "pic-better" if k > 0 else "pic-worse" if k < 0 else "pic-same"
        if c:
            body.append(
                f'<rect x="{_f(x + 1)}" y="{_f(top + height - h)}" width="{_f(width - 2)}" '
                f'height="{_f(h)}" class="{cls}" rx="2"/>'
            )
        if k % (1 if slots <= 13 else 2) == 0:
            body.append(_text(x + width / 2, top + height + 14, _signed(k), "pic-small", "middle"))
    body.append(_line(left, top + height, right, top + height, "pic-axis"))
    body.append(
        _text(
            WIDTH / 2, top + height + 30, "change in points, after − before", "pic-small", "middle"
        )
    )
    common = max(changes, key=lambda k: (changes[k], -abs(k)))
    summary = (
        f"Of {n} runs, {better} ended higher than they began, {same} the same and {worse} "
        f"lower. The most common change was {_signed(common)} "
        f"{'point' if abs(common) == 1 else 'points'}."
    )
    return _svg("spread", "How much runs changed how you felt", summary, top + height + 36, body)


# --- moments by km and by minute ------------------------------------------------------------


def moments_picture(moments: Iterable[Moment]) -> Picture | None:
    """Where moments come: confirmed moments by kilometre and by five-minute stretch, release
    apart from the rest."""
    chosen = [m for m in moments if m.status == MomentStatus.CONFIRMED and m.tags]
    if len(chosen) < 5:
        return None
    by_km: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    by_min: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for m in chosen:
        kind = 0 if "release" in m.tags else 1
        if m.at_m is not None:
            by_km[int(m.at_m // 1000)][kind] += 1
        if m.at_s is not None:
            by_min[int(m.at_s // 300)][kind] += 1
    body: list[str] = []
    y0 = 8.0
    parts = []
    for label, bins, unit, scale in (
        ("By kilometre", by_km, "km", 1),
        ("By minute into the run", by_min, "min", 5),
    ):
        if not bins:
            continue
        body.append(_text(10, y0 + 10, label, "pic-label"))
        top, height = y0 + 18, 60.0
        last = max(bins)
        slots = min(last + 1, 40)
        width = (WIDTH - 20) / slots
        most = max(sum(v) for v in bins.values())
        for b in range(slots):
            rel, other = bins.get(b, [0, 0])
            x = 10 + b * width
            h_rel = height * rel / most
            h_other = height * other / most
            if other:
                body.append(
                    f'<rect x="{_f(x + 1)}" y="{_f(top + height - h_other)}" '
                    f'width="{_f(max(1.0, width - 2))}" height="{_f(h_other)}" class="pic-other"/>'
                )
            if rel:
                body.append(
                    f'<rect x="{_f(x + 1)}" y="{_f(top + height - h_other - h_rel)}" '
                    f'width="{_f(max(1.0, width - 2))}" height="{_f(h_rel)}" class="pic-better"/>'
                )
            every = max(1, math.ceil(slots / 7))
            if b % every == 0:
                body.append(
                    _text(x + width / 2, top + height + 13, str(b * scale), "pic-small", "middle")
                )
        body.append(_line(10, top + height, WIDTH - 10, top + height, "pic-axis"))
        peak = max(bins, key=lambda b: (bins[b][0], sum(bins[b])))
        parts.append(f"{label.lower()}, release came most often around {peak * scale} {unit}")
        y0 = top + height + 22
    n_rel = sum(1 for m in chosen if "release" in m.tags)
    body.append(f'<rect x="10" y="{_f(y0)}" width="8" height="8" class="pic-better"/>')
    body.append(_text(22, y0 + 8, "release", "pic-small"))
    body.append(f'<rect x="90" y="{_f(y0)}" width="8" height="8" class="pic-other"/>')
    body.append(_text(102, y0 + 8, "other moments", "pic-small"))
    summary = f"{len(chosen)} moments marked during runs, {n_rel} of them release. " + (
        "; ".join(parts) + "." if n_rel and parts else ""
    )
    return _svg("moments", "Where moments come along a run", summary.strip(), y0 + 14, body)


# --- a year calendar ------------------------------------------------------------------------


def calendar(
    pairs: Sequence[RunPair], runs: Sequence[Run], rest_days: Iterable[date], today: date
) -> Picture | None:
    """The last 54 weeks as two half-years, a square per day: runs coloured by how the feeling
    changed (higher, same, lower, or not checked in), rest days with two check-ins ringed.

    When no run falls in those weeks (a journal of older runs), the 54 weeks up to the latest
    run are drawn instead, and the caption says so."""
    if not runs:
        return None
    weeks, rows = 27, 2
    span = timedelta(days=(weeks * rows - 1) * 7)
    latest = max(r.local_start.date() for r in runs)
    end = today if latest >= today - timedelta(days=today.weekday()) - span else latest
    start = end - timedelta(days=end.weekday()) - span
    change = {p.local_day: p.d for p in pairs}
    ran = {r.local_start.date() for r in runs}
    rest = set(rest_days)
    left, gap = 18.0, 1.2
    cell = (WIDTH - left - 2) / weeks
    block = 7 * cell + 22
    body = []
    counts: Counter[str] = Counter()
    for half in range(rows):
        top = 14 + half * block
        for i, name in ((0, "M"), (3, "Th"), (6, "Su")):
            body.append(_text(left - 3, top + i * cell + cell - 2, name, "pic-small", "end"))
        last_label = -10
        for week in range(weeks):
            for wd in range(7):
                day = start + timedelta(days=(half * weeks + week) * 7 + wd)
                if day > end:
                    continue
                x, y = left + week * cell, top + wd * cell
                if wd == 0 and day.day <= 7 and week - last_label >= 3:
                    last_label = week
                    body.append(_text(x, top - 4, _MONTHS[day.month - 1], "pic-small"))
                strength = ""
                if day in change:
                    d = change[day]
                    cls = "pic-better" if d > 0 else "pic-worse" if d < 0 else "pic-same"
                    strength = "pic-strong" if abs(d) >= 2 else ""
                    counts[cls] += 1
                elif day in ran:
                    cls = "pic-ran"
                    counts[cls] += 1
                else:
                    cls = "pic-empty"
                classes = f"{cls} {strength}".strip()
                size = cell - gap
                body.append(
                    f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(size)}" height="{_f(size)}" '
                    f'rx="1.5" class="{classes}"/>'
                )
                if day in rest and day not in ran:
                    counts["rest"] += 1
                    body.append(
                        f'<circle cx="{_f(x + size / 2)}" cy="{_f(y + size / 2)}" '
                        f'r="{_f(size / 3)}" class="pic-rest"/>'
                    )
    y = 14 + rows * block - 6
    legend = (
        ("pic-better pic-strong", "higher", 0),
        ("pic-same", "same", 64),
        ("pic-worse pic-strong", "lower", 118),
        ("pic-ran", "no check-ins", 176),
    )
    for cls, words, dx in legend:
        body.append(
            f'<rect x="{_f(left + dx)}" y="{_f(y - 8)}" width="8" height="8" class="{cls}"/>'
        )
        body.append(_text(left + dx + 11, y, words, "pic-small"))
    body.append(f'<circle cx="{_f(left + 266)}" cy="{_f(y - 4)}" r="3.2" class="pic-rest"/>')
    body.append(_text(left + 272, y, "rest day", "pic-small"))
    summary = (
        f"The year to {_day(end)}: {counts['pic-better']} runs ended higher, "
        f"{counts['pic-same']} the same, {counts['pic-worse']} lower, {counts['pic-ran']} "
        f"without both check-ins, and {counts['rest']} rest days with two check-ins."
    )
    title = "Your year of runs and rest days"
    if end != today:
        title = f"Your last year of runs, to {_day(end)}: none came in the year to today"
    return _svg("calendar", title, summary, y + 6, body)


# --- well-being over months ------------------------------------------------------------------


def wellbeing_picture(months: Sequence[Month]) -> Picture | None:
    """Monthly WHO-5 (0–100) as a line, above bars of how often you ran that month."""
    shown = list(months[-24:])
    if not any(m.who5 is not None for m in shown):
        return None
    n = len(shown)
    left, right, top, height = 26.0, WIDTH - 6.0, 12.0, 110.0
    step = (right - left) / max(1, n)

    def y(v: float) -> float:
        return top + (100 - v) / 100 * height

    body = [
        _line(left, y(50), right, y(50), "pic-axis pic-dashed"),
        _text(left - 4, y(100) + 4, "100", "pic-small", "end"),
        _text(left - 4, y(50) + 4, "50", "pic-small", "end"),
        _text(left - 4, y(0) + 4, "0", "pic-small", "end"),
        _line(left, y(0), right, y(0), "pic-axis"),
    ]
    points = [
        (left + step * (i + 0.5), y(m.who5)) for i, m in enumerate(shown) if m.who5 is not None
    ]
    body.append(
        '<polyline points="' + " ".join(f"{_f(a)},{_f(b)}" for a, b in points) + '" '
        'class="pic-line"/>'
    )
    for a, b in points:
        body.append(f'<circle cx="{_f(a)}" cy="{_f(b)}" r="2.4" class="pic-dot"/>')
    btop, bheight = top + height + 24, 40.0
    most = max(1, max(m.runs for m in shown))
    body.append(_text(left, btop - 6, "Runs each month", "pic-small"))
    for i, m in enumerate(shown):
        h = bheight * m.runs / most
        x = left + step * i
        body.append(
            f'<rect x="{_f(x + 1)}" y="{_f(btop + bheight - h)}" width="{_f(max(1.0, step - 2))}" '
            f'height="{_f(h)}" class="pic-other"/>'
        )
        if i % max(1, n // 6) == 0:
            label = f"{_MONTHS[int(m.month[5:]) - 1]} {m.month[2:4]}"
            body.append(_text(x + step / 2, btop + bheight + 13, label, "pic-small", "middle"))
    scored = [m for m in shown if m.who5 is not None]
    summary = (
        f"Well-being (WHO-5, 0 to 100) month by month, from {scored[0].who5:.0f} in "
        f"{_month(scored[0].month)} to {scored[-1].who5:.0f} in {_month(scored[-1].month)}; "
        f"runs per month from {min(m.runs for m in shown)} to {max(m.runs for m in shown)}."
    )
    return _svg(
        "wellbeing",
        "Well-being over the months, beside how often you ran",
        summary,
        btop + bheight + 18,
        body,
    )


def pictures(
    runs: Sequence[Run],
    checkins: Sequence[CheckIn],
    moments: Iterable[Moment],
    wellbeing: Iterable[WellbeingCheck],
    found: Insights,
) -> Pictures:
    """Every picture of the Insights page, from the same rows the findings came from."""
    del wellbeing  # the months come already counted in the findings
    data = assemble(runs, checkins)
    months = found.wellbeing.numbers.months if found.wellbeing.numbers is not None else ()
    return Pictures(
        strokes=strokes(data.pairs),
        spread=spread(data.pairs),
        moments=moments_picture(moments),
        calendar=calendar(data.pairs, runs, (r.at.date() for r in data.rest), found.today),
        wellbeing=wellbeing_picture(months),
    )


# --- a run's route ------------------------------------------------------------------------


def route(
    lat: Sequence[float],
    lon: Sequence[float],
    t_s: Sequence[float],
    distance_m: Sequence[float],
    moments: Iterable[Moment],
    pre: float | None,
    post: float | None,
) -> Picture | None:
    """The route's own shape from its coordinates (no map, nothing fetched), with its moments
    placed where they were marked and the feeling before and after."""
    pts = [
        (i, la, lo)
        for i, (la, lo) in enumerate(zip(lat, lon, strict=False))
        if math.isfinite(la) and math.isfinite(lo)
    ]
    if len(pts) < 2:
        return None
    every = max(1, len(pts) // 400)
    sample = pts[::every] + ([pts[-1]] if pts[-1] is not pts[::every][-1] else [])
    mid_lat = math.radians(sum(p[1] for p in pts) / len(pts))
    xs = [p[2] * math.cos(mid_lat) for p in sample]
    ys = [-p[1] for p in sample]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-9
    size, pad = 260.0, 14.0
    scale = (size - 2 * pad) / span
    ox = (WIDTH - (max(xs) - min(xs)) * scale) / 2 - min(xs) * scale
    oy = pad - min(ys) * scale

    def at(i_point: int) -> tuple[float, float]:
        la, lo = lat[i_point], lon[i_point]
        return ox + lo * math.cos(mid_lat) * scale, oy - la * scale

    path = " ".join(
        f"{_f(ox + x * scale)},{_f(oy + y * scale)}" for x, y in zip(xs, ys, strict=True)
    )
    body = [f'<polyline points="{path}" class="pic-route"/>']
    sx, sy = at(pts[0][0])
    ex, ey = at(pts[-1][0])
    body.append(f'<circle cx="{_f(sx)}" cy="{_f(sy)}" r="5" class="pic-start"/>')
    body.append(f'<circle cx="{_f(ex)}" cy="{_f(ey)}" r="4" class="pic-end"/>')
    placed = []
    valid = {p[0] for p in pts}
    for m in moments:
        if m.status != MomentStatus.CONFIRMED:
            continue
        idx = _nearest(t_s, distance_m, m, valid)
        if idx is None:
            continue
        x, y = at(idx)
        cls = "pic-better" if "release" in m.tags else "pic-moment"
        body.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="5.5" class="{cls} pic-ring"/>')
        placed.append(", ".join(m.tags) or "a moment")
    feel = []
    if pre is not None:
        feel.append(f"before {_signed(pre)}")
    if post is not None:
        feel.append(f"after {_signed(post)}")
    if feel:
        body.append(_text(WIDTH / 2, size + 8, "Feeling " + ", ".join(feel), "pic-label", "middle"))
    summary = (
        "The shape of this run's route, drawn from its own recorded points (north up), from the "
        "larger start dot to the smaller end dot"
        + (f", with {len(placed)} moments marked along it ({'; '.join(placed)})" if placed else "")
        + (f". Feeling {' and '.join(feel)}." if feel else ".")
    )
    return _svg("route", "The route of this run", summary, size + 16, body)


def _nearest(
    t_s: Sequence[float], distance_m: Sequence[float], m: Moment, valid: set[int]
) -> int | None:
    if m.at_s is not None and len(t_s):
        target, column = m.at_s, t_s
    elif m.at_m is not None and len(distance_m):
        target, column = m.at_m, distance_m
    else:
        return None
    best, best_gap = None, math.inf
    for i, v in enumerate(column):
        if i in valid and math.isfinite(v) and abs(v - target) < best_gap:
            best, best_gap = i, abs(v - target)
    return best
