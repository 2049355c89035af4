"""First-request benchmark (run by hand): how long the first reader's search
takes right after `openwenku serve` starts, with and without the warm-up.

    .venv/bin/python benchmarks/first_request.py [--runs 3] [--query 核电厂]

Each run starts `openwenku serve` (one web process, no worker) on a free port
with a fresh data folder, waits until the port accepts connections, then times
the first search request (the clock starts when it is sent, so time spent by
the process loading before it answers counts against it), then a second one.
Prints the medians and the cold/warm ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ops.serving import get, serving


def first_requests(warm: bool, query: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"OPENWENKU_WARM_UP": "1" if warm else "0"}
        with serving(Path(tmp) / "data", env=env) as url:
            times = []
            for _ in range(2):
                started = time.perf_counter()
                status, _ = get(f"{url}/search?q={quote(query)}")
                times.append(time.perf_counter() - started)
                assert status == 200, status
            return times[0], times[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", default="核电厂 安全审查")
    args = parser.parse_args()
    results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(args.runs):
        for warm in (False, True):
            results[warm].append(first_requests(warm, args.query))
    for warm in (False, True):
        firsts = [r[0] for r in results[warm]]
        seconds = [r[1] for r in results[warm]]
        print(
            f"{'with' if warm else 'without'} warm-up: first request "
            f"{statistics.median(firsts) * 1000:.0f} ms (runs: "
            f"{', '.join(f'{t * 1000:.0f}' for t in firsts)}), second "
            f"{statistics.median(seconds) * 1000:.0f} ms"
        )
    cold = statistics.median(r[0] for r in results[False])
    warm_ = statistics.median(r[0] for r in results[True])
    print(f"ratio without/with warm-up: {cold / warm_:.1f}x")


if __name__ == "__main__":
    main()
