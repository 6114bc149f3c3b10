"""Search parameters of the visit calendar."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScheduleSettings:
    """Search parameters of :func:`~solvers.scheduling.assign_visit_days`.

    Parameters
    ----------
    day_tolerance
        Two-sided relative tolerance of each day's workload around the mean day. Within it,
        the calendar trades balance for compact days.
    n_rounds
        Rounds of assignment and day-centre update.
    max_cp_sat_points
        Largest territory, in points, solved with CP-SAT. Larger ones use a greedy
        assignment and local search.
    solver_effort
        Deterministic time limit of each CP-SAT stage, in CP-SAT's deterministic time units
        (about a second of work each). A deterministic limit keeps the calendar
        reproducible for a given seed.
    n_workers
        CP-SAT search workers. More than one is faster on several cores but no longer
        reproducible.
    max_local_search_passes
        Maximum passes of the greedy fallback's local search.
    """

    day_tolerance: float = 0.05
    n_rounds: int = 2
    max_cp_sat_points: int = 500
    solver_effort: float = 1.0
    n_workers: int = 1
    max_local_search_passes: int = 20

    def __post_init__(self) -> None:
        if not 0 <= self.day_tolerance < 1:
            raise ValueError(
                f"day_tolerance must be in [0, 1), e.g. 0.05 for ±5 %; got {self.day_tolerance}"
            )
        positive = {
            "n_rounds": self.n_rounds,
            "n_workers": self.n_workers,
            "max_local_search_passes": self.max_local_search_passes,
        }
        for name, value in positive.items():
            if value < 1:
                raise ValueError(f"{name} must be at least 1; got {value}")
        if self.max_cp_sat_points < 0:
            raise ValueError(f"max_cp_sat_points must be 0 or more; got {self.max_cp_sat_points}")
        if not self.solver_effort > 0:
            raise ValueError(f"solver_effort must be positive; got {self.solver_effort}")
