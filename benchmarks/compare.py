"""Wall time of a three-scenario Duitama comparison: the baseline and two what-ifs.

Runs ``gtm-optimizer compare`` on the baseline, ``fewer_reps.yaml`` and ``second_depot.yaml``
several times, each in a fresh process with an empty matrix cache and the default workers.
``gtm_optimizer.comparison.share_workers`` then decides how many scenarios run at once and
how many processes each run's route solves get. The script writes a
Markdown table of the median wall time of the whole command and of each scenario's run, with
the machine and date, to ``benchmarks/results/compare.md`` (or ``--out``). The target is
under 6 minutes on 2 cores.

Usage::

    .venv/bin/python benchmarks/compare.py --runs 1
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
SCENARIOS = (
    REPO / "scenarios" / "duitama" / "baseline.yaml",
    REPO / "scenarios" / "duitama" / "fewer_reps.yaml",
    REPO / "scenarios" / "duitama" / "second_depot.yaml",
)
RESULT = REPO / "benchmarks" / "results" / "compare.md"
TARGET_S = 360.0


def compare_once(
    folder: Path, *, time_limit_s: float | None
) -> tuple[float, dict[str, dict[str, object]]]:
    """Run the comparison once into ``folder``; return the wall seconds and each summary."""
    env = dict(
        os.environ, XDG_CACHE_HOME=str(folder / "cache"), XDG_STATE_HOME=str(folder / "state")
    )
    out = folder / "out"
    command = [sys.executable, "-m", "gtm_optimizer", "compare", *map(str, SCENARIOS)]
    if time_limit_s is not None:
        command += ["--time-limit", str(time_limit_s)]
    started_s = time.perf_counter()
    subprocess.run(
        [*command, "--out", str(out)], check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL
    )
    wall_s = time.perf_counter() - started_s
    summaries = {
        scenario.stem: json.loads((out / scenario.stem / "summary.json").read_text("utf-8"))
        for scenario in SCENARIOS
    }
    return wall_s, summaries


def machine() -> str:
    """Describe the processor, core count, memory and Python of this machine."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024**2:.0f} GiB memory"
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores{memory}, Python {platform.python_version()}"


def report(
    walls_s: list[float],
    runs: list[dict[str, dict[str, object]]],
    *,
    load: tuple[float, float],
    args: list[str],
) -> str:
    """Return the Markdown page of the measurements.

    ``load`` is the machine's 5-minute load average before and after the runs: other work on
    the machine slows every stage but routing, whose solves stop at their time limit.
    """
    from gtm_optimizer.comparison import share_workers

    at_once, route_workers = share_workers(len(SCENARIOS), workers=0)
    median_s = statistics.median(walls_s)
    verdict = "meets" if median_s < TARGET_S else "misses"
    lines = [
        "# Scenario comparison: wall time",
        "",
        f"Script: `benchmarks/compare.py {' '.join(args)}`, run on {date.today()}.",
        f"Machine: {machine()}.",
        "",
        "Command: `gtm-optimizer compare` on "
        + ", ".join(f"`{path.relative_to(REPO)}`" for path in SCENARIOS)
        + f", default workers: {at_once} scenario(s) at a time, each run's route solves in "
        f"{route_workers} process(es); empty matrix cache, maps written.",
        f"Load average (5 min) before and after: {load[0]:.1f} and {load[1]:.1f}.",
        "",
        f"Median of {len(walls_s)} run(s): **{median_s:.0f} s** for the whole command, which "
        f"{verdict} the target of {TARGET_S:.0f} s. "
        f"Every run: {', '.join(f'{wall:.0f} s' for wall in walls_s)}.",
        "",
        "| scenario | time limit per route-day problem (s) | route-day problems per pass | "
        "routing passes | median routing stage (s) | median run, all stages (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    floor_cpu_s = 0.0
    for scenario in SCENARIOS:
        summaries = [run[scenario.stem] for run in runs]
        routing_s = statistics.median(_stage(s, "routing") for s in summaries)
        total_s = statistics.median(sum(_stages(s).values()) for s in summaries)
        first = summaries[0]
        settings = first["settings"]
        kpis = first["kpis"]
        assert isinstance(settings, dict)
        assert isinstance(kpis, dict)
        limit_s = float(settings["solver"]["time_limit_s"])
        problems = round(float(kpis["routes_per_week"]) * float(str(first["cycle_weeks"])))
        passes = _routing_passes(first)
        floor_cpu_s += limit_s * problems * passes
        lines.append(
            f"| {first['scenario']} | {limit_s:g} | {problems} | {passes} | {routing_s:.0f} | "
            f"{total_s:.0f} |"
        )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    lines += [
        "",
        "A run's stages add up to less than the whole command: the command also starts "
        "Python, loads the scenarios, writes the output files and the comparison.",
        "",
        "A route-day problem stops when its plan has not improved for the scenario's "
        "`solver.no_improvement_iterations` PyVRP iterations, or at its time limit: at most "
        f"problems × passes × time limit / cores = {floor_cpu_s:.0f} CPU-seconds / {cores} "
        f"cores = {floor_cpu_s / cores:.0f} s here, and in practice a small part of that. "
        "A run plans its routes again (another pass) when the routed workloads break the "
        "workload tolerance. The problems per pass are the routes of the final plan, an "
        "estimate for the earlier passes.",
        "",
    ]
    return "\n".join(lines)


def _routing_passes(summary: dict[str, object]) -> int:
    """Return how many times the run planned its routes, 1 when the summary has no record."""
    design = summary.get("design")
    if not isinstance(design, dict):
        return 1
    return max(1, len(design.get("rebalance_rounds", [])))


def _stages(summary: dict[str, object]) -> dict[str, float]:
    stages = summary["runtime_s"]
    assert isinstance(stages, dict)
    return {str(name): float(seconds) for name, seconds in stages.items()}


def _stage(summary: dict[str, object], name: str) -> float:
    return _stages(summary).get(name, 0.0)


def main() -> None:
    """Measure, write the Markdown page and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="repetitions of the comparison")
    parser.add_argument("--out", type=Path, default=RESULT, help="Markdown file to write")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds per route-day problem instead of the scenarios' own (5 s)",
    )
    args = parser.parse_args()

    walls_s, runs = [], []
    load_before = os.getloadavg()[1]
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            wall_s, summaries = compare_once(Path(folder), time_limit_s=args.time_limit)
        walls_s.append(wall_s)
        runs.append(summaries)

    page = report(walls_s, runs, load=(load_before, os.getloadavg()[1]), args=sys.argv[1:])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    sys.stdout.write(page)


if __name__ == "__main__":
    main()
