"""Which gunicorn worker class suits a 2-core machine? (the Procfile's choice)

Starts gunicorn on 127.0.0.1 with the baseline `sync -w 2` and with the
Procfile's `gthread -w 3 --threads 8`, loads `/` and `/health` with wrk for a
few seconds each (bounded, loopback only), and prints each setting's
throughput and p99 as ratios against the sync baseline measured in this run.

    python bench/web.py [--seconds 5]

Needs `wrk` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SETTINGS = {
    "sync -w 2 (baseline)": ["-k", "sync", "-w", "2"],
    "gthread -w 3 --threads 8 (Procfile)": ["-k", "gthread", "-w", "3", "--threads", "8"],
    "gthread -w 2 --threads 4": ["-k", "gthread", "-w", "2", "--threads", "4"],
}
PATHS = ["/", "/health"]


def _wrk(url: str, seconds: int) -> tuple[float, float]:
    out = subprocess.run(
        ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 is not None
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rps, float(p99.group(1)) * scale


def _serve(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), *args, "-b", f"127.0.0.1:{port}", "quizapp:create_app()"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--port", type=int, default=18765)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "SECRET_KEY": "bench",
        }
        subprocess.run(
            [str(BIN / "quizapp"), "db", "upgrade"], env=env, check=True, capture_output=True
        )
        results: dict[str, dict[str, tuple[float, float]]] = {}
        for name, args in SETTINGS.items():
            results[name] = {}
            for path in PATHS:
                server = _serve(args, env, options.port)  # a fresh server for every cell
                try:
                    _wrk(f"http://127.0.0.1:{options.port}{path}", 1)  # warm up
                    results[name][path] = _wrk(
                        f"http://127.0.0.1:{options.port}{path}", options.seconds
                    )
                finally:
                    server.send_signal(signal.SIGTERM)
                    server.wait(timeout=30)

    baseline = results["sync -w 2 (baseline)"]
    print(f"{'setting':40} {'path':8} {'req/s vs baseline':>18} {'p99 vs baseline':>16}")
    for name, cells in results.items():
        for path, (rps, p99) in cells.items():
            base_rps, base_p99 = baseline[path]
            print(f"{name:40} {path:8} {rps / base_rps:17.2f}x {p99 / base_p99:15.2f}x")


if __name__ == "__main__":
    main()
