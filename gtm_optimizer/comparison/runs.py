"""Runs of several scenarios in parallel processes, sharing the cores between them.

:func:`share_workers` chooses how many scenarios run at once and divides the cores between
their route solves. With two scenarios at a time on two cores, each run solves its routes in
one process, so the route solves of all runs together use one process per core.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from gtm_optimizer.comparison.sweep import ScenarioCase
from gtm_optimizer.errors import GtmError
from gtm_optimizer.execution import worker_count
from gtm_optimizer.i18n import _, get_language, set_language

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseOutcome:
    """Outcome of one run of a comparison: its summary, or the error that stopped it."""

    case: ScenarioCase
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    runtime_s: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the run finished and wrote its outputs."""
        return not self.error


SERIAL_SHARE = 0.1
"""Estimated time of a run's stages other than routing, over its routing CPU time.

Measured at 0.07 on the Duitama baseline (5 s per route-day problem, 40 problems, about 14 s
of loading, territory design, calendar and writing against 200 s of solving), on 2 cores.
"""


def share_workers(n_cases: int, *, workers: int) -> tuple[int, int]:
    """Return how many scenarios run at once and how many processes each run's routes get.

    With ``workers`` > 0, that many scenarios run at once (at most one per scenario). With 0,
    the count is the one that should finish soonest: ``k`` runs at once each solve routes on
    ``cores / k`` processes, so a batch takes about ``SERIAL_SHARE + k / cores`` routing
    units and there are ``ceil(n_cases / k)`` batches. On 2 cores this runs 2 or 4 scenarios
    two at a time but 3 one at a time, since a lone third run would leave a core idle. The
    cores are divided evenly between the runs at once, at least one process each.
    """
    cores = worker_count(0)
    if workers > 0:
        at_once = max(1, min(workers, n_cases))
    else:
        choices = range(1, max(1, min(cores, n_cases)) + 1)
        at_once = min(choices, key=lambda k: (-(-n_cases // k)) * (SERIAL_SHARE + k / cores))
    return at_once, max(1, cores // at_once)


def run_cases(
    cases: list[ScenarioCase],
    out_dir: Path,
    *,
    workers: int = 0,
    cache_dir: Path | None = None,
    maps: bool = True,
    offline_maps: bool = False,
) -> list[CaseOutcome]:
    """Run every scenario and write each one's outputs to ``out_dir / case.folder``.

    Parameters
    ----------
    cases
        The scenarios, from :func:`load_cases`.
    out_dir
        Folder of the comparison; each run's folder inside it is replaced as a whole.
    workers
        Scenarios run at once in separate processes; 0 chooses the count that should finish
        soonest (:func:`share_workers`). The cores are shared: each run solves its routes
        with ``cores // scenarios at once`` processes (at least one), or fewer if its
        scenario sets ``solver.workers`` lower.
    cache_dir
        Folder of the travel-matrix cache, shared by the runs; no cache when omitted.
    maps, offline_maps
        As for :func:`gtm_optimizer.reporting.writers.write_outputs`.

    Returns
    -------
    list[CaseOutcome]
        One per case, in the order of ``cases``. A run stopped by an input or scenario error
        has the message in ``error``; any other exception propagates.
    """
    started_s = time.perf_counter()
    at_once, route_workers = share_workers(len(cases), workers=workers)
    tasks = [
        (case, Path(out_dir), route_workers, cache_dir, maps, offline_maps, get_language())
        for case in cases
    ]
    logger.info(
        _(
            "Running {count} scenarios, {at_once} at a time, with {workers} route process(es) each"
        ).format(count=len(cases), at_once=at_once, workers=route_workers)
    )
    if at_once == 1:
        outcomes = [run_case(*task) for task in tasks]
    else:
        # Spawned, not forked: a forked child inherits the parent's OpenMP thread pool in a
        # locked state, and scikit-learn's k-means in the child then waits forever.
        with ProcessPoolExecutor(max_workers=at_once, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(run_case, *task) for task in tasks]
            outcomes = [future.result() for future in futures]
    failed = sum(not outcome.ok for outcome in outcomes)
    logger.info(
        _("Ran {count} scenarios ({failed} failed) in {seconds} s").format(
            count=len(cases), failed=failed, seconds=f"{time.perf_counter() - started_s:.1f}"
        )
    )
    return outcomes


def run_case(
    case: ScenarioCase,
    out_dir: Path,
    route_workers: int,
    cache_dir: Path | None,
    maps: bool,
    offline_maps: bool,
    language: str,
) -> CaseOutcome:
    """Run one scenario of a comparison and write its outputs; see :func:`run_cases`."""
    from gtm_optimizer.pipeline import run
    from gtm_optimizer.reporting.writers import write_outputs

    set_language(language)
    started_s = time.perf_counter()
    solver = case.scenario.solver
    workers = route_workers if solver.workers == 0 else min(solver.workers, route_workers)
    scenario = case.scenario.model_copy(
        update={"solver": solver.model_copy(update={"workers": workers})}
    )
    logger.info(
        _("Scenario {name}: running into {folder}").format(
            name=scenario.name, folder=out_dir / case.folder
        )
    )
    try:
        result = run(scenario, cache_dir=cache_dir)
        write_outputs(result, out_dir / case.folder, maps=maps, offline_maps=offline_maps)
    except GtmError as error:
        logger.error(_("Scenario {name} failed: {error}").format(name=scenario.name, error=error))
        return CaseOutcome(case=case, error=str(error), runtime_s=time.perf_counter() - started_s)
    runtime_s = time.perf_counter() - started_s
    logger.info(
        _("Scenario {name}: finished in {seconds} s").format(
            name=scenario.name, seconds=f"{runtime_s:.1f}"
        )
    )
    return CaseOutcome(
        case=replace(case, scenario=scenario),
        summary=result.summary,
        runtime_s=runtime_s,
    )
