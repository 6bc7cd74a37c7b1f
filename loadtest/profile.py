"""Where the web tier's CPU goes during a load run: py-spy samples the gunicorn master and its
workers (every thread) for the measured window, and the samples are summed per function.

    "self": samples in which the function itself was running;
    "total": samples in which it was anywhere on the stack (counted once per sample).
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

RATE = 50  # samples a second per process: enough for a minute's run, light on 2 cores
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def start(py_spy: Path, pid: int, seconds: int, out: Path) -> subprocess.Popen:
    """Samples `pid` and its children for `seconds` into `out` (py-spy's raw, collapsed stacks)."""
    command = [
        str(py_spy),
        "record",
        "--pid",
        str(pid),
        "--subprocesses",
        "--nonblocking",
        "--rate",
        str(RATE),
        "--duration",
        str(seconds),
        "--format",
        "raw",
        "--output",
        str(out),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _frame_name(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/work/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match['function']} ({path})"


def summarise(raw: Path, count: int = 15) -> tuple[int, list[tuple[str, float, float]]]:
    """(samples, [(function, self share, total share)]) for the `count` functions with most self time."""
    own: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        frames = [_frame_name(frame) for frame in stack.split(";") if not frame.startswith("process ")]
        frames = [frame for frame in frames if not frame.startswith("thread ")]
        if not frames:
            continue
        weight = int(number)
        samples += weight
        own[frames[-1]] += weight
        for frame in set(frames):
            anywhere[frame] += weight
    top = [(name, own[name] / samples, anywhere[name] / samples) for name, _ in own.most_common(count)]
    return samples, top


def print_summary(raw: Path, count: int = 15) -> None:
    samples, top = summarise(raw, count)
    print(f"\nwhere the CPU went (py-spy, {samples} samples over the workers; self / total share):")
    for name, own, total in top:
        print(f"  {own:6.1%} {total:6.1%}  {name}")
