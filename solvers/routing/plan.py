"""Backend output: candidate plans in the original problem's client indexes."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BackendRun", "PlannedRoute"]


@dataclass(frozen=True)
class PlannedRoute:
    """A backend's route: vehicle type, client indexes in visiting order and departure time."""

    vehicle_type: int
    clients: tuple[int, ...]
    departure_s: float


@dataclass(frozen=True)
class BackendRun:
    """Outcome of one backend search.

    Parameters
    ----------
    plans
        Candidate plans, the backend's final plan last. Earlier ones are kept only when the
        caller asked for them (to weigh stability against cost).
    status
        Name of the backend's outcome.
    n_iterations
        Search iterations, or solutions found, as the backend counts them.
    reproducible
        Whether the search stopped on its iteration budget rather than on the time limit.
    """

    plans: tuple[tuple[PlannedRoute, ...], ...]
    status: str
    n_iterations: int | None
    reproducible: bool
