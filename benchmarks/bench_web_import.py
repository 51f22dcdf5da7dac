"""The web app keeps answering while a big import runs: about 1 GB of 1 Hz FIT runs sent to
``/import`` of the real server (``innerpace serve --no-browser --port 0``, its own process).

Goal: ``/healthz`` and the home page answer within 100 ms all through the import. Both are
polled every 100 ms, each on a connection of its own, while the upload and import run, and for
a while on the idle server before it: the idle figures are the peer the busy ones are measured
against, in the same run. A second server over an empty journal, polled the same way at the
same moments, is the control: what it shows comes from the machine, not from the import.

The server takes at most ``MAX_UPLOAD_BYTES`` per request, so the files go in as a few uploads
one after the other, each a folder of FIT files in one streamed multipart body.

    python benchmarks/bench_web_import.py [--gb 1.0] [--idle-s 10] [--samples FILE.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import httpx
import numpy as np
from bench_import import synthetic_run

from innerpace.formats.fit_writer import encode_run
from innerpace.services import Journal
from innerpace.web.security import MAX_UPLOAD_BYTES

GOAL_S = 0.100
POLL_EVERY_S = 0.100
BOUNDARY = "innerpace-bench-boundary"


# -- the files ---------------------------------------------------------------------------------
def build_files(folder: Path, target_bytes: int) -> list[Path]:
    """One-hour 1 Hz runs, six hours apart, from a few different templates, until the folder
    holds ``target_bytes``."""
    templates = [synthetic_run(0, np.random.default_rng(seed)) for seed in range(8)]
    folder.mkdir(parents=True)
    files: list[Path] = []
    total = 0
    i = 0
    while total < target_bytes:
        template = templates[i % len(templates)]
        shift = timedelta(hours=6 * i)
        run = dataclasses.replace(
            template,
            start=template.start + shift,
            laps=tuple(dataclasses.replace(lap, start=lap.start + shift) for lap in template.laps),
            avg_hr=(template.avg_hr or 140) + (i % 17),
        )
        data = encode_run(run, product=i % 60_000)
        path = folder / f"{i:05d}.fit"
        path.write_bytes(data)
        files.append(path)
        total += len(data)
        i += 1
    return files


def _part_head(path: Path) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="activities/{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()


_TAIL = f"--{BOUNDARY}--\r\n".encode()


def _part_size(path: Path) -> int:
    return len(_part_head(path)) + path.stat().st_size + 2


def batches(files: list[Path], limit: int) -> list[list[Path]]:
    """Files in about equal groups whose bodies each stay under ``limit`` bytes."""
    total = sum(_part_size(f) for f in files) + len(_TAIL)
    count = max(1, -(-total // limit))
    per_group = -(-len(files) // count)
    groups = [files[i : i + per_group] for i in range(0, len(files), per_group)]
    largest = max(sum(_part_size(f) for f in g) + len(_TAIL) for g in groups)
    if largest > limit:  # files of very different sizes: smaller groups
        per_group = max(1, per_group * limit // largest)
        groups = [files[i : i + per_group] for i in range(0, len(files), per_group)]
    return groups


def body(paths: list[Path], sent: list[float]) -> Iterator[bytes]:
    for path in paths:
        yield _part_head(path)
        yield path.read_bytes()
        yield b"\r\n"
    yield _TAIL
    sent.append(time.perf_counter())


# -- the server --------------------------------------------------------------------------------
def start_server(data_dir: Path, log: Path) -> tuple[subprocess.Popen, str, Path]:
    innerpace = Path(sys.executable).with_name("innerpace")
    env = {**os.environ, "INNERPACE_HOME": str(data_dir), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [str(innerpace), "serve", "--no-browser", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    url = sign_in = None
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while (url is None or sign_in is None) and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if "is open at " in line:
            url = line.split("is open at ", 1)[1].strip()
        if "file://" in line:
            sign_in = line[line.index("file://") + len("file://") :].strip()
    if url is None or sign_in is None:
        stop_server(process)
        raise SystemExit(f"the server did not start:\n{log.read_text()}")
    drain = threading.Thread(target=process.stdout.read, daemon=True)
    drain.start()
    return process, url, Path(sign_in)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def signed_in(url: str, sign_in: Path) -> httpx.Client:
    """Post the one-time key from the printed file, as the file's form does."""
    key = sign_in.read_text("utf-8").split('name="key" value="', 1)[1].split('"', 1)[0]
    client = httpx.Client(base_url=url, timeout=600, follow_redirects=False)
    answer = client.post("/auth", data={"key": key}, headers={"Origin": "null"})
    if answer.status_code != 200:
        raise SystemExit(f"sign-in refused: {answer.status_code}")
    client.headers["sec-fetch-site"] = "same-origin"
    return client


def csrf_token(client: httpx.Client) -> str:
    page = client.get("/import").text
    found = re.search(r'action="/import\?csrf=([^"]+)"', page)
    if found is None:
        raise SystemExit("no CSRF token on the import page")
    return unquote(found.group(1).replace("&amp;", "&"))


# -- measuring ---------------------------------------------------------------------------------
@dataclasses.dataclass
class Samples:
    """(when it was asked, how long the answer took) for one address."""

    seen: list[tuple[float, float]] = dataclasses.field(default_factory=list)
    errors: int = 0


def client_for(url: str, cookies: httpx.Cookies) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60, cookies=cookies)
    client.headers["sec-fetch-site"] = "same-origin"
    return client


def poll(url: str, cookies: httpx.Cookies, path: str, stop: threading.Event, into: Samples):
    """Ask for ``path`` every 100 ms on a connection of its own until ``stop`` is set."""
    with client_for(url, cookies) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = client.get(path).status_code == 200
            except httpx.HTTPError:
                ok = False
            into.seen.append((started, time.perf_counter() - started))
            into.errors += not ok
            time.sleep(max(0.0, POLL_EVERY_S - (time.perf_counter() - started)))


Target = tuple[str, httpx.Cookies, str]  # server address, its sign-in cookie, path


def polling(targets: dict[str, Target]) -> tuple[dict[str, Samples], Callable[[], None]]:
    """Every target polled side by side; returns the samples and how to stop."""
    stop = threading.Event()
    samples = {name: Samples() for name in targets}
    threads = [
        threading.Thread(target=poll, args=(*target, stop, samples[name]))
        for name, target in targets.items()
    ]
    for thread in threads:
        thread.start()

    def finish() -> None:
        stop.set()
        for thread in threads:
            thread.join(90)

    return samples, finish


def back_to_back(url: str, cookies: httpx.Cookies, path: str, pairs: int = 20) -> float:
    """Median time of a request sent right after another on the same connection, as a page's
    own assets are; on the idle server."""
    took = []
    with client_for(url, cookies) as client:
        for _ in range(pairs):
            client.get(path)
            started = time.perf_counter()
            client.get(path)
            took.append(time.perf_counter() - started)
            time.sleep(0.2)
    return statistics.median(took)


def load_average() -> str:
    """The machine's one-minute load, as context for the figures (other work shares the cores)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def figures(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95, ordered[-1]


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<26} no answers"
    med, p95, top = figures(values)
    over = sum(v > GOAL_S for v in values)
    return (
        f"{label:<26} {len(values):>5} answers: median {med * 1000:6.1f} ms, "
        f"p95 {p95 * 1000:6.1f} ms, max {top * 1000:6.1f} ms, {over} over {GOAL_S * 1000:.0f} ms"
    )


def upload_all(client: httpx.Client, csrf: str, groups: list[list[Path]], done: list[dict]) -> None:
    origin = str(client.base_url).rstrip("/")
    for paths in groups:
        length = sum(_part_size(p) for p in paths) + len(_TAIL)
        sent: list[float] = []
        started = time.perf_counter()
        answer = client.post(  # the answer comes once the import has finished
            f"/import?csrf={csrf}",
            content=body(paths, sent),
            headers={
                "Origin": origin,
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Content-Length": str(length),
            },
        )
        ended = time.perf_counter()
        brought = re.search(r"(\d+) activit(?:y|ies) brought in", answer.text)
        done.append(
            {
                "status": answer.status_code,
                "bytes": length,
                "files": len(paths),
                "imported": int(brought.group(1)) if brought else 0,
                "started": started,
                "sent": sent[0] if sent else ended,
                "ended": ended,
            }
        )
        if answer.status_code != 200:
            print(f"upload answered {answer.status_code}: {answer.text[:300]}", flush=True)
            return


def write_samples(
    path: Path, zero: float, done: list[dict], idle: dict[str, Samples], during: dict[str, Samples]
) -> None:
    """Every answer as (seconds since the first upload began, milliseconds), with the uploads'
    own moments on the same clock."""

    def since(at: float) -> float:
        return round(at - zero, 3)

    uploads = [{k: since(v) if k in ("started", "sent", "ended") else v for k, v in d.items()}
               for d in done]  # fmt: skip
    answers = {
        phase: {p: [(since(a), round(t * 1000, 2)) for a, t in s.seen] for p, s in seen.items()}
        for phase, seen in (("idle", idle), ("during", during))
    }
    path.write_text(json.dumps({"uploads": uploads, "answers": answers}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gb", type=float, default=1.0, help="size of the activity files")
    parser.add_argument("--idle-s", type=float, default=10.0, help="idle baseline length")
    parser.add_argument("--samples", type=Path, help="also write every answer's time here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="innerpace-bench-") as temp:
        root = Path(temp)
        started = time.perf_counter()
        files = build_files(root / "activities", int(args.gb * 2**30))
        total = sum(f.stat().st_size for f in files)
        print(f"built {len(files):,} one-hour 1 Hz FIT runs, {total / 2**20:,.0f} MB, "
              f"in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        groups = batches(files, int(MAX_UPLOAD_BYTES * 0.95))
        data_dir = root / "journal"
        with Journal.open(data_dir):
            pass
        control_dir = root / "control"
        with Journal.open(control_dir):
            pass
        process, url, sign_in = start_server(data_dir, root / "server.log")
        control: subprocess.Popen | None = None
        try:
            control, control_url, control_sign_in = start_server(control_dir, root / "control.log")
            client = signed_in(url, sign_in)
            other = signed_in(control_url, control_sign_in)
            csrf = csrf_token(client)
            stalls = {p: back_to_back(url, client.cookies, p) for p in ("/healthz", "/")}
            targets = {
                **{p: (url, client.cookies, p) for p in ("/healthz", "/")},
                **{f"control {p}": (control_url, other.cookies, p) for p in ("/healthz", "/")},
            }
            loads = [load_average()]
            idle, finish = polling(targets)
            time.sleep(args.idle_s)
            finish()
            done: list[dict] = []
            during, finish = polling(targets)
            started = time.perf_counter()
            sender = threading.Thread(target=upload_all, args=(client, csrf, groups, done))
            sender.start()
            sender.join()
            took = time.perf_counter() - started
            loads.append(load_average())
            finish()
            after, finish = polling(targets)  # the journal as big as the import left it
            time.sleep(args.idle_s)
            finish()
            client.close()
            other.close()
        finally:
            stop_server(process)
            if control is not None:
                stop_server(control)
    sent = sum(d["bytes"] for d in done)
    imported = sum(d["imported"] for d in done)
    print(f"upload + import: {sent / 2**20:,.0f} MB in {len(done)} uploads "
          f"(the server takes at most {MAX_UPLOAD_BYTES // 2**20} MB a request) "
          f"took {took:.1f} s ({sent / 2**20 / took:.1f} MB/s); "
          f"{imported:,} of {len(files):,} runs brought in")  # fmt: skip
    for n, d in enumerate(done, 1):
        print(f"  upload {n}: {d['files']:,} files, {d['bytes'] / 2**20:.0f} MB: "
              f"{d['sent'] - d['started']:.1f} s sending, then {d['ended'] - d['sent']:.1f} s "
              f"importing; answer {d['status']}")  # fmt: skip

    def receiving(at: float) -> bool:
        return any(d["started"] <= at <= d["sent"] for d in done)

    goal_met, errors = True, 0
    for path in ("/healthz", "/"):
        busy = [took for _, took in during[path].seen]
        calm = [took for _, took in idle[path].seen]
        errors += during[path].errors + idle[path].errors
        goal_met &= bool(busy) and max(busy) <= GOAL_S
        print(f"{path}  (polled every {POLL_EVERY_S * 1000:.0f} ms on a connection of its own)")
        print("  " + line("during upload + import", busy))
        arriving = [t for at, t in during[path].seen if receiving(at)]
        importing = [t for at, t in during[path].seen if not receiving(at)]
        print("  " + line("  while the body arrives", arriving))
        print("  " + line("  while it imports", importing))
        print("  " + line("idle server, before", calm))
        print("  " + line("idle server, after", [took for _, took in after[path].seen]))
        if busy and calm:
            (b_med, b_p95, b_max), (i_med, i_p95, i_max) = figures(busy), figures(calm)
            print(f"  during / idle: median {b_med / i_med:.1f}×, p95 {b_p95 / i_p95:.1f}×, "
                  f"max {b_max / i_max:.1f}×")  # fmt: skip
        control = [took for _, took in during[f"control {path}"].seen]
        control_idle = [took for _, took in idle[f"control {path}"].seen]
        print("  " + line("control, during", control))
        print("  " + line("control, before", control_idle))
        print(f"  idle, right after another request on the same connection: "
              f"median {stalls[path] * 1000:.1f} ms")  # fmt: skip
    if args.samples:
        write_samples(args.samples, started, done, idle, during)
    print(f"load average of the machine ({os.cpu_count()} cores): {loads[0]} before, "
          f"{loads[1]} at the end of the import")  # fmt: skip
    verdict = "met" if goal_met else "not met"
    print(f"failed or non-200 answers: {errors}; goal (every answer within "
          f"{GOAL_S * 1000:.0f} ms during the import): {verdict}")  # fmt: skip
    if imported != len(files) or any(d["status"] != 200 for d in done):
        return 1
    return 0 if goal_met and errors == 0 else 2


if __name__ == "__main__":
    raise SystemExit(main())
