"""The load test: gunicorn (4 workers) on the prepared PostgreSQL database, Locust headless on
loopback for a bounded time, then the figures per page; during the run, profile edits made
through one worker are checked in the rankings another worker serves on its next request.

    python -m loadtest.run [--users 50] [--seconds 60] [--workers 4] [--min-rps 45] [--profile]

With --profile, py-spy samples every worker during the measured window and the functions with
most CPU are printed (loadtest/profile.py); sampling costs some throughput, so measure without it.

Run `python -m loadtest.prepare` first (`make loadtest` does both)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from matching import SharedVectors, memory_of

from . import profile
from .freshness import check_freshness
from .prepare import WORK, database_url

ROOT = Path(__file__).resolve().parent.parent
LOCUST = WORK / "venv" / "bin" / "locust"
PY_SPY = WORK / "venv" / "bin" / "py-spy"
MATCH_PAGES = "/needs/[id]/matches"
RAMP_S = 10


def start_gunicorn(database: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "TANDEM_INDEX_DIR": str(WORK / "index"),
        "TANDEM_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "SECRET_KEY": secrets.token_hex(32),
        "HF_HUB_OFFLINE": "1",
    }
    log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - gunicorn writes to it for as long as it runs
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "webapp:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_workers(server: subprocess.Popen, workers: int, timeout: float = 180) -> None:
    """Every worker has loaded the model and its indexes (each logs it once)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped:\n" + (WORK / "gunicorn.log").read_text()[-3000:])
        if (WORK / "gunicorn.log").read_text().count("model, indexes and taxonomy loaded") >= workers:
            return
        time.sleep(0.5)
    raise SystemExit(f"the workers were not ready within {timeout:.0f} s")


def tier_memory(master: int) -> str:
    """The web tier's memory as the machine holds it: Pss of the master and each worker."""
    workers = [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    own, each = memory_of(master), [memory_of(pid) for pid in workers]
    total = own["pss"] + sum(m["pss"] for m in each)
    shares = ", ".join(f"{m['pss']:.0f}" for m in each)
    return (
        f"web tier memory (Pss, shared pages counted once): {total:.0f} MB = master {own['pss']:.0f} MB "
        f"+ {len(each)} workers ({shares} MB); Rss summed {own['rss'] + sum(m['rss'] for m in each):.0f} MB"
    )


def run_locust(port: int, users: int, seconds: int) -> Path:
    """Ramps up over RAMP_S (each user signs in), then measures `seconds` with every user active."""
    prefix = WORK / "locust"
    command = [
        str(LOCUST),
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        f"{users / RAMP_S:.2f}",
        "--reset-stats",
        "--run-time",
        f"{seconds + RAMP_S}s",
        "--stop-timeout",
        "5",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "TANDEM_LOAD_PLAN": str(WORK / "plan.json")}
    with open(WORK / "locust.log", "w") as log:
        subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            timeout=seconds + RAMP_S + 120,
            check=False,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Path(f"{prefix}_stats.csv")


def report(stats: Path, seconds: int) -> tuple[int, float, float]:
    rows = list(csv.DictReader(stats.open()))
    print(f"\n{'page':<40} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for row in rows:
        label = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        if row["Name"] == "Aggregated":
            print("-" * 86)
        print(
            f"{label:<40} {row['Request Count']:>8} {float(row['Requests/s']):>6.1f} {row['50%']:>7} "
            f"{row['95%']:>7} {row['99%']:>7} {row['Failure Count']:>6}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    matches = [row for row in rows if row["Name"].startswith(MATCH_PAGES)]
    count = sum(int(row["Request Count"]) for row in matches)
    # The worst p95 of the three kinds of match page.
    p95 = max(float(row["95%"]) for row in matches) if matches else float("nan")
    print(
        f"\n{int(total['Request Count'])} requests in {seconds} s: {float(total['Requests/s']):.1f} requests/s, "
        f"{total['Failure Count']} errors; match pages: {count} requests, worst p95 {p95:.0f} ms"
    )
    return int(total["Failure Count"]), p95, float(total["Requests/s"])


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used so far (from /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def server_errors() -> int:
    return len(re.findall(r"level=error", (WORK / "gunicorn.log").read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="tandem_load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--min-rps", type=float, default=0.0, help="requests/s the run must keep (a target)")
    parser.add_argument("--profile", action="store_true", help="sample the workers with py-spy during the run")
    args = parser.parse_args()
    if not (WORK / "plan.json").exists():
        raise SystemExit("run `python -m loadtest.prepare` first")
    plan = json.loads((WORK / "plan.json").read_text())
    # Each run starts as a fresh machine would: no long texts' vectors kept from an earlier run
    # in gunicorn's cache folder (read as webapp.config reads it).
    cache = Path(os.environ.get("TANDEM_CACHE_DIR") or ROOT / "instance" / "cache")
    SharedVectors.in_cache(cache, model_name="", dim=0).clear()
    server = start_gunicorn(args.database, args.port, args.workers)
    try:
        wait_for_workers(server, args.workers)
        print(tier_memory(server.pid), flush=True)
        print(
            f"gunicorn: {args.workers} workers ready on 127.0.0.1:{args.port}; {args.users} users "
            f"signing in over {RAMP_S} s, then measured for {args.seconds} s",
            flush=True,
        )
        freshness: list[str] = []
        checker = threading.Timer(
            RAMP_S + args.seconds / 3,
            lambda: freshness.extend(
                check_freshness(f"127.0.0.1:{args.port}", plan["freshness"], WORK / "gunicorn.log")
            ),
        )
        checker.start()
        sampler = None
        if args.profile:
            sampler = threading.Timer(
                RAMP_S,
                lambda: profile.start(PY_SPY, server.pid, args.seconds, WORK / "profile.txt").wait(args.seconds + 60),
            )
            sampler.start()
        started, busy = cpu_seconds(), machine_busy_seconds()
        stats = run_locust(args.port, args.users, args.seconds)
        if sampler is not None:
            sampler.join()
        locust_cpu, busy = cpu_seconds() - started, machine_busy_seconds() - busy
        checker.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    server_cpu = cpu_seconds() - started - locust_cpu
    errors, p95, rps = report(stats, args.seconds)
    print(
        f"CPU during the run: {busy:.0f} of {os.cpu_count() * (args.seconds + RAMP_S)} core-seconds busy "
        f"({os.cpu_count()} cores); Locust {locust_cpu:.0f} s; gunicorn {server_cpu:.0f} s including "
        f"its start-up; the rest is PostgreSQL and anything else running on the machine"
    )
    print("\ncross-worker freshness (edit through one worker, the next ranking from another):")
    for line in freshness:
        print(f"  {line}")
    logged = server_errors()
    print(f"\nerrors logged by the server: {logged}")
    if args.profile and (WORK / "profile.txt").exists():
        profile.print_summary(WORK / "profile.txt")
    fresh = bool(freshness) and all(line.startswith("ok") for line in freshness)
    verdict = errors == 0 and logged == 0 and p95 < 300 and fresh and rps >= args.min_rps
    wanted = f", at least {args.min_rps:g} requests/s" if args.min_rps else ""
    print(
        f"target (no errors, match pages p95 < 300 ms{wanted}, edits fresh across workers):",
        "met" if verdict else "NOT met",
    )
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
