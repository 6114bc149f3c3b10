"""Time and peak memory of travel-matrix construction, against networkx and osmnx.

Cases: the Duitama extract with its OpenStreetMap outlets, and the Campo Grande extract with
1,000, 2,000 and 5,000 random points. Each measurement runs in a fresh process, so peaks do
not mix, and reports the wall time of the measured call and the process's peak resident
memory during it. Measured per case:

- ``build_matrices``: this project's many-to-many matrices (times and distances, access legs
  included) with the default settings, on every core.
- ``networkx loop``: ``networkx.single_source_dijkstra_path_length`` on ``travel_time`` from
  each distinct snapped node (the end node of each usable point's road edge), gathered into a
  node-to-node time matrix. Only on Duitama and 1,000 points, because it is slow.
- ``osmnx pairs``: ``osmnx.shortest_path`` on ``travel_time`` for a seeded sample of node
  pairs. The full-matrix figure is that per-pair time times the number of pairs: an
  extrapolation, not a measurement.

A check compares 100 random node pairs per network with ``networkx.shortest_path_length``.
Speed-ups are median(networkx loop / build_matrices) over the per-run ratios, both measured
in the same run.

Usage::

    .venv/bin/python benchmarks/matrix.py --runs 3 --out benchmarks/results/matrix.md
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import osmnx as ox
import psutil
import scipy

from gtm_optimizer.network import (
    RoadNetwork,
    Snapping,
    build_matrices,
    extract_outlets,
    load_network,
    snap_points,
)

logger = logging.getLogger("benchmarks.matrix")

REPO = Path(__file__).resolve().parent.parent
DUITAMA = REPO / "scenarios" / "duitama" / "duitama.osm.pbf"
CAMPO_GRANDE = REPO / "benchmarks" / "data" / "campo-grande.osm.gz"

#: Case name: (network file, number of random points, or None for the file's outlets).
CASES: dict[str, tuple[Path, int | None]] = {
    "duitama": (DUITAMA, None),
    "campo-grande-1000": (CAMPO_GRANDE, 1000),
    "campo-grande-2000": (CAMPO_GRANDE, 2000),
    "campo-grande-5000": (CAMPO_GRANDE, 5000),
}
NETWORKX_CASES = ("duitama", "campo-grande-1000")
CHECK_NETWORKS = {"duitama": DUITAMA, "campo-grande": CAMPO_GRANDE}

SEED = 20240601
OSMNX_PAIRS = 100
CHECK_PAIRS = 100
CHECK_TOLERANCE_S = 1e-3
TARGET_SPEEDUP = 20.0
TARGET_5000_S = 10.0
TARGET_5000_MB = 1024.0
SAMPLE_INTERVAL_S = 0.1
START_MARK = "start"
END_MARK = "end"


def case_points(case: str) -> tuple[RoadNetwork, Snapping]:
    """Load the case's network and snap its points (not timed)."""
    path, n_points = CASES[case]
    network = load_network(path)
    if n_points is None:
        outlets = extract_outlets(path)
        return network, snap_points(network, outlets.lat, outlets.lon)
    lat, lon = random_points(network, n_points, SEED + n_points)
    return network, snap_points(network, lat, lon)


def random_points(network: RoadNetwork, n_points: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw points uniformly in the main component's bounding box; keep the usable ones.

    About a third of uniform points in this box land too far from a road or on a piece cut
    off by the extract's edge, so four times as many are drawn and the first ``n_points``
    usable ones kept.
    """
    compact = network.compact
    lon_deg = compact.node_lon[compact.main_mask]
    lat_deg = compact.node_lat[compact.main_mask]
    rng = np.random.default_rng(seed)
    lat = rng.uniform(lat_deg.min(), lat_deg.max(), 4 * n_points)
    lon = rng.uniform(lon_deg.min(), lon_deg.max(), 4 * n_points)
    keep = np.flatnonzero(snap_points(network, lat, lon).usable)[:n_points]
    if len(keep) < n_points:
        raise RuntimeError(f"only {len(keep)} of {4 * n_points} random points are usable")
    return lat[keep], lon[keep]


def snapped_nodes(snapping: Snapping) -> np.ndarray:
    """Return the distinct OSM end nodes of the usable points' road edges."""
    return np.unique(snapping.edge_v[snapping.usable])


def run_build_matrices(network: RoadNetwork, snapping: Snapping) -> dict[str, Any]:
    build_matrices(network, snapping)
    return {"points": snapping.n_points, "usable": int(snapping.usable.sum())}


def run_networkx_loop(network: RoadNetwork, snapping: Snapping) -> dict[str, Any]:
    nodes = snapped_nodes(snapping)
    matrix_s = np.full((len(nodes), len(nodes)), np.inf, dtype=np.float32)
    for i, source in enumerate(nodes):
        times_s = nx.single_source_dijkstra_path_length(
            network.graph, int(source), weight="travel_time"
        )
        matrix_s[i] = [times_s.get(int(target), np.inf) for target in nodes]
    return {"sources": len(nodes)}


def run_osmnx_pairs(network: RoadNetwork, snapping: Snapping) -> dict[str, Any]:
    nodes = snapped_nodes(snapping)
    rng = np.random.default_rng(SEED)
    pairs = rng.choice(nodes, size=(OSMNX_PAIRS, 2))
    started = time.perf_counter()
    for origin, destination in pairs:
        ox.shortest_path(network.graph, int(origin), int(destination), weight="travel_time")
    seconds = time.perf_counter() - started
    usable = int(snapping.usable.sum())
    return {
        "pairs": OSMNX_PAIRS,
        "per_pair_s": seconds / OSMNX_PAIRS,
        "full_pairs": usable * (usable - 1),
    }


TOOLS = {
    "build_matrices": run_build_matrices,
    "networkx_loop": run_networkx_loop,
    "osmnx_pairs": run_osmnx_pairs,
}


def memory_mb(field: str) -> float:
    """Return a memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"/proc/self/status has no {field} line")


def cpu_seconds() -> float:
    """Return the processor time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def reset_peak_memory() -> None:
    """Reset the process's peak resident memory (VmHWM) to its current resident memory."""
    Path("/proc/self/clear_refs").write_text("5", encoding="utf-8")


def measure(case: str, tool: str) -> dict[str, Any]:
    """Run one tool on one case in this process; return seconds, memory and details.

    The lines ``start`` and ``end`` on standard output bracket the measured call, so the
    calling process samples the memory of this process and its workers only meanwhile.
    """
    network, snapping = case_points(case)
    before_mb = memory_mb("VmRSS")
    reset_peak_memory()
    print(START_MARK, flush=True)
    cpu_before_s = cpu_seconds()
    started = time.perf_counter()
    details = TOOLS[tool](network, snapping)
    seconds = time.perf_counter() - started
    cpu_s = cpu_seconds() - cpu_before_s
    print(END_MARK, flush=True)
    return {
        "seconds": seconds,
        "cpu_s": cpu_s,
        "rss_before_mb": before_mb,
        "peak_mb": memory_mb("VmHWM"),
        "road_nodes": network.compact.n_nodes,
        **details,
    }


def check(network_name: str) -> dict[str, Any]:
    """Compare matrix entries between points placed on nodes with networkx, 100 pairs."""
    network = load_network(CHECK_NETWORKS[network_name])
    graph = network.graph
    rng = np.random.default_rng(SEED)
    nodes = rng.choice(sorted(network.main_component), size=(CHECK_PAIRS, 2))
    lat = [graph.nodes[int(node)]["y"] for node in nodes.T.ravel()]
    lon = [graph.nodes[int(node)]["x"] for node in nodes.T.ravel()]
    matrices = build_matrices(network, snap_points(network, lat, lon))

    time_error_s, distance_error_m = [], []
    for k, (origin, destination) in enumerate(nodes):
        path = nx.shortest_path(graph, int(origin), int(destination), weight="travel_time")
        time_s = nx.path_weight(graph, path, "travel_time")
        length_m = sum(_fastest_edge(graph, u, v)["length"] for u, v in pairwise(path))
        time_error_s.append(abs(time_s - float(matrices.duration_s[k, CHECK_PAIRS + k])))
        distance_error_m.append(abs(length_m - float(matrices.distance_m[k, CHECK_PAIRS + k])))
    return {
        "pairs": CHECK_PAIRS,
        "max_time_error_s": max(time_error_s),
        "max_distance_error_m": max(distance_error_m),
    }


def _fastest_edge(graph: nx.MultiDiGraph, u: int, v: int) -> dict[str, Any]:
    return min(graph.get_edge_data(u, v).values(), key=lambda edge: edge["travel_time"])


def in_subprocess(*arguments: str) -> dict[str, Any]:
    """Run this script with ``arguments`` in a fresh Python process; return its JSON.

    Between the ``start`` and ``end`` lines it prints, the private memory of its worker
    processes is sampled every :data:`SAMPLE_INTERVAL_S` seconds, and the peak of their sum is
    added to the result as ``workers_peak_mb``.
    """
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    sampler = WorkerMemorySampler(process.pid)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        if line.strip() == START_MARK:
            sampler.start()
        elif line.strip() == END_MARK:
            sampler.stop()
        else:
            lines.append(line)
    if process.wait() != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed with exit code {process.returncode}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["workers_peak_mb"] = sampler.peak_mb
    result["total_mb"] = result.get("peak_mb", 0.0) + sampler.peak_mb
    return result


class WorkerMemorySampler:
    """Peak of the summed unique set size (USS) of a process's children.

    USS counts only the pages a process does not share, so a forked worker's copy of its
    parent's memory is left out and what the worker allocates itself is counted.
    """

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_mb = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.peak_mb = max(self.peak_mb, self._sample_mb())
            if self._stop.wait(SAMPLE_INTERVAL_S):
                return

    def _sample_mb(self) -> float:
        total = 0
        for child in self._process.children(recursive=True):
            try:
                total += child.memory_full_info().uss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return total / 2**20


def collect(runs: int) -> dict[str, Any]:
    """Measure every case and tool ``runs`` times, then run the networkx checks."""
    results: dict[str, Any] = {"runs": [], "checks": {}}
    for run in range(runs):
        measured: dict[str, dict[str, Any]] = {}
        for case in CASES:
            tools = ["build_matrices", "osmnx_pairs"]
            if case in NETWORKX_CASES:
                tools.append("networkx_loop")
            for tool in tools:
                logger.info("run %d/%d: %s on %s", run + 1, runs, tool, case)
                measured[f"{case}/{tool}"] = in_subprocess("--measure", case, tool)
        results["runs"].append(measured)
    for name in CHECK_NETWORKS:
        logger.info("checking %s against networkx", name)
        results["checks"][name] = in_subprocess("--check", name)
    return results


def median_of(results: dict[str, Any], key: str, field: str) -> float:
    return statistics.median(run[key][field] for run in results["runs"])


def speedup(results: dict[str, Any], case: str, field: str = "seconds") -> float:
    """Median over runs of networkx-loop seconds over build_matrices seconds."""
    ratios = [
        run[f"{case}/networkx_loop"][field] / run[f"{case}/build_matrices"][field]
        for run in results["runs"]
    ]
    return statistics.median(ratios)


def machine() -> str:
    """Describe the processor, the cores this process may use, and the operating system."""
    model = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    cores = len(os.sched_getaffinity(0))
    return f"{model}, {cores} cores available, {platform.system()} {platform.release()}"


def versions() -> str:
    return ", ".join(
        [
            f"Python {platform.python_version()}",
            f"numpy {np.__version__}",
            f"scipy {scipy.__version__}",
            f"networkx {nx.__version__}",
            f"osmnx {ox.__version__}",
        ]
    )


def build_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| case | points (usable) | road nodes | median s | runs s | CPU s | peak RSS MB | "
        "added by the call MB | workers MB | total MB |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in CASES:
        key = f"{case}/build_matrices"
        first = results["runs"][0][key]
        runs_s = ", ".join(f"{run[key]['seconds']:.2f}" for run in results["runs"])
        peak_mb = median_of(results, key, "peak_mb")
        added_mb = statistics.median(
            run[key]["peak_mb"] - run[key]["rss_before_mb"] for run in results["runs"]
        )
        lines.append(
            f"| {case} | {first['points']:,} ({first['usable']:,}) | {first['road_nodes']:,} | "
            f"{median_of(results, key, 'seconds'):.2f} | {runs_s} | "
            f"{median_of(results, key, 'cpu_s'):.2f} | {peak_mb:.0f} | "
            f"{added_mb:.0f} | {median_of(results, key, 'workers_peak_mb'):.0f} | "
            f"{median_of(results, key, 'total_mb'):.0f} |"
        )
    return lines


def networkx_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| case | sources | median s | runs s | CPU s | build_matrices speed-up (x) | "
        "CPU-time ratio (x) |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for case in NETWORKX_CASES:
        key = f"{case}/networkx_loop"
        runs_s = ", ".join(f"{run[key]['seconds']:.1f}" for run in results["runs"])
        lines.append(
            f"| {case} | {results['runs'][0][key]['sources']:,} | "
            f"{median_of(results, key, 'seconds'):.1f} | {runs_s} | "
            f"{median_of(results, key, 'cpu_s'):.1f} | {speedup(results, case):.1f} | "
            f"{speedup(results, case, 'cpu_s'):.1f} |"
        )
    return lines


def osmnx_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| case | pairs timed | ms per pair (median) | pairs in the full matrix | "
        "extrapolated full matrix s | build_matrices s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in CASES:
        key = f"{case}/osmnx_pairs"
        per_pair_s = median_of(results, key, "per_pair_s")
        full_pairs = results["runs"][0][key]["full_pairs"]
        ours_s = median_of(results, f"{case}/build_matrices", "seconds")
        lines.append(
            f"| {case} | {OSMNX_PAIRS} | {per_pair_s * 1000:.1f} | {full_pairs:,} | "
            f"{per_pair_s * full_pairs:,.0f} (extrapolation) | {ours_s:.2f} |"
        )
    return lines


def check_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| network | node pairs | max time difference s | max distance difference m |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, found in results["checks"].items():
        lines.append(
            f"| {name} | {found['pairs']} | {found['max_time_error_s']:.2e} | "
            f"{found['max_distance_error_m']:.2e} |"
        )
    return lines


def targets(results: dict[str, Any]) -> list[str]:
    """State each target with the measured value and whether it was met.

    With other load on the machine, the wall time of build_matrices cannot show what its
    processes need, so each line also gives the bound that its CPU seconds imply: on ``c``
    free cores it cannot take less wall time than its CPU seconds divided by ``c``.
    """

    def verdict(met: bool) -> str:
        return "met" if met else "**missed**"

    cores = len(os.sched_getaffinity(0))
    lines = []
    for case in NETWORKX_CASES:
        ratio = speedup(results, case)
        cpu_ratio = speedup(results, case, "cpu_s")
        lines.append(
            f"- At least {TARGET_SPEEDUP:.0f}x faster than the networkx loop on {case}: "
            f"{ratio:.1f}x, {verdict(ratio >= TARGET_SPEEDUP)}. CPU-time ratio {cpu_ratio:.1f}x, "
            f"so on {cores} free cores at most {cores * cpu_ratio:.0f}x (a bound, not a "
            "measurement)."
        )
    key = "campo-grande-5000/build_matrices"
    seconds = median_of(results, key, "seconds")
    cpu_s = median_of(results, key, "cpu_s")
    peak_mb = median_of(results, key, "peak_mb")
    lines.append(
        f"- Campo Grande 5,000 x 5,000 under {TARGET_5000_S:.0f} s: {seconds:.2f} s, "
        f"{verdict(seconds < TARGET_5000_S)}. It used {cpu_s:.2f} CPU seconds, so on {cores} "
        f"free cores at least {cpu_s / cores:.1f} s (a bound, not a measurement)."
    )
    total_mb = median_of(results, key, "total_mb")
    lines.append(
        f"- Campo Grande 5,000 x 5,000 under 1 GB peak memory: main process {peak_mb:.0f} MB, "
        f"with its workers' private memory {total_mb:.0f} MB, "
        f"{verdict(total_mb < TARGET_5000_MB)}."
    )
    return lines


def write_report(results: dict[str, Any], out: Path, runs: int, load: tuple[float, float]) -> None:
    """Write the Markdown report of the collected results."""
    lines = [
        "# Travel-matrix benchmark",
        "",
        f"Written by `benchmarks/matrix.py --runs {runs}` on {date.today().isoformat()}.",
        f"Machine: {machine()}. Versions: {versions()}.",
        f"One-minute load average before and after the runs: {load[0]:.2f} and {load[1]:.2f}.",
        "Times are medians over the runs, each in a fresh process; memory is the peak resident",
        "memory of that process during the measured call (VmHWM, reset before the call). A",
        "load average above the number of cores means other jobs competed for the processor:",
        "that lengthens wall times, most of all for build_matrices, whose search processes",
        "need every core, and affects CPU seconds much less.",
        "",
        "## build_matrices",
        "",
        "Travel times and distances between every pair of points, access legs included, with",
        "the default `n_jobs=-1` (one search process per core) and no cache.",
        "",
        *build_table(results),
        "",
        "Peak RSS is the main process's peak resident memory during the call, libraries and",
        "road network included; the next column is its growth during the call. Workers is",
        "the peak of the summed private memory (USS) of the search processes, sampled every",
        f"{SAMPLE_INTERVAL_S * 1000:.0f} ms; total is peak RSS plus workers, an upper bound",
        "because the two peaks need not coincide. Campo Grande points are drawn uniformly in",
        "the bounding box of the main component (seeded) and kept when usable; Duitama uses",
        "the outlets of its extract.",
        "",
        "## networkx loop",
        "",
        "`networkx.single_source_dijkstra_path_length` on `travel_time` from each distinct",
        "snapped node, gathered into a node-to-node time matrix (no distances, no access legs).",
        "The speed-up is the median over runs of the ratio of the two wall times measured in",
        "the same run; the CPU-time ratio compares processor seconds (build_matrices: its",
        "process plus its search processes) and does not depend on how many cores are free.",
        "",
        *networkx_table(results),
        "",
        "## osmnx shortest_path",
        "",
        f"`osmnx.shortest_path` on `travel_time` for {OSMNX_PAIRS} seeded pairs of snapped",
        "nodes. The full-matrix column multiplies the time per pair by the number of ordered",
        "pairs of usable points: an extrapolation, not a measurement.",
        "",
        *osmnx_table(results),
        "",
        "## Check against networkx",
        "",
        f"{CHECK_PAIRS} random node pairs of the main component per network, placed as points",
        "on the nodes (no access legs), compared with `networkx.shortest_path` on",
        f"`travel_time`. The time check passes below {CHECK_TOLERANCE_S * 1000:.0f} ms.",
        "",
        *check_table(results),
        "",
        "## Targets",
        "",
        *targets(results),
        "",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="measurements per case and tool")
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "benchmarks" / "results" / "matrix.md",
        help="Markdown file to write",
    )
    parser.add_argument("--measure", nargs=2, metavar=("CASE", "TOOL"), help=argparse.SUPPRESS)
    parser.add_argument("--check", metavar="NETWORK", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.stdout.write(json.dumps(measure(*args.measure)) + "\n")
        return
    if args.check:
        sys.stdout.write(json.dumps(check(args.check)) + "\n")
        return
    if args.runs < 1:
        parser.error(f"--runs is {args.runs}; use at least 1")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    load_before = os.getloadavg()[0]
    results = collect(args.runs)
    write_report(results, args.out, args.runs, (load_before, os.getloadavg()[0]))
    logger.info("wrote %s", args.out)


if __name__ == "__main__":
    main()
