"""Spawning real processes of a chosen size for the live-kernel OOM tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

HOG = r"""
import os, sys
size = int(sys.argv[1])
adj = sys.argv[2]
if adj != "keep":
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write(adj)
block = bytearray(b"\x01") * size
step = int(sys.argv[3]) if len(sys.argv) > 3 else 0
print("ready", flush=True)
if step:
    chunks = [block]
    while True:
        chunks.append(bytearray(b"\x02") * step)
sys.stdin.read()
"""


@contextmanager
def hogs(
    specs: list[tuple[int, str]], preexec: object = None
) -> Iterator[list[subprocess.Popen[str]]]:
    """Start one process per (bytes, oom_score_adj) pair and wait until each holds its memory."""
    procs: list[subprocess.Popen[str]] = []
    try:
        for size, adj in specs:
            proc = subprocess.Popen(
                [sys.executable, "-c", HOG, str(size), adj],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                preexec_fn=preexec,  # type: ignore[arg-type]
            )
            procs.append(proc)
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
        yield procs
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    pipe.close()
