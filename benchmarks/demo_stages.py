"""Wall time and peak memory of each stage of the Duitama demo run.

Runs ``gtm-optimizer run`` on a scenario several times, each in a fresh process with an empty
matrix cache, reads the per-stage figures from each run's summary.json, and prints a Markdown
table of the medians together with the machine and date.

Usage::

    .venv/bin/python benchmarks/demo_stages.py --runs 3 \
        --scenario scenarios/duitama/baseline.yaml
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_once(scenario: Path, folder: Path) -> tuple[dict[str, object], float]:
    """Run the scenario once into ``folder`` and return its summary and wall seconds."""
    env = dict(os.environ, XDG_CACHE_HOME=str(folder / "cache"),
               XDG_STATE_HOME=str(folder / "state"))
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "gtm_optimizer", "run", str(scenario), "--out",
         str(folder / "out")],
        check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    summary = json.loads((folder / "out" / "summary.json").read_text(encoding="utf-8"))
    return summary, wall


def machine() -> str:
    """Describe the processor, core count and Python of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", type=Path,
                        default=REPO / "scenarios" / "duitama" / "baseline.yaml")
    args = parser.parse_args()

    summaries, walls = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            summary, wall = run_once(args.scenario.resolve(), Path(folder))
        summaries.append(summary)
        walls.append(wall)

    stages = list(summaries[0]["runtime_s"])
    print(f"Scenario `{args.scenario}`, {args.runs} runs, {date.today()}, {machine()}.\n")
    print("| stage | median wall time (s) | peak memory after stage (MB) |")
    print("| --- | ---: | ---: |")
    for stage in stages:
        seconds = statistics.median(s["runtime_s"][stage] for s in summaries)
        memory = statistics.median(s["peak_rss_mb"][stage] for s in summaries)
        print(f"| {stage} | {seconds:.2f} | {memory:.0f} |")
    print(f"| whole command (process start to exit) | {statistics.median(walls):.1f} | |")


if __name__ == "__main__":
    main()
