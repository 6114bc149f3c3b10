"""Search parameters of the territory design."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DistrictingSettings:
    """Search parameters of :func:`~solvers.districting.design_districts`.

    The defaults design 10,000 points into 50 districts in well under a minute on two cores:
    a median of 23 s (22 CPU seconds) on an AMD EPYC in benchmarks/territories.py. Smaller
    values trade quality for speed.

    Parameters
    ----------
    n_candidates
        Number of nearest district centres that each free point may join. The assignment and
        the local search never consider the other districts, which keeps the models small.
        On 10,000 points and 50 districts (benchmarks/territories.py, seeds 0 to 2), 16
        candidates instead of 10 brought the median compactness from 10.4 % to 8.8 % above
        plain k-means, for about a third more time.
    n_rounds
        Maximum number of rounds of assignment, local search and centre update.
    round_tolerance
        Relative cost decrease below which a balanced round, following a balanced round,
        ends the search; 0 turns this stop off.
    n_boundary_points
        Number of points per district, besides the points that the linear relaxation splits,
        that the rounding model may move to their second-nearest candidate district.
    exact_assignment_size
        Largest number of (point, candidate district) pairs for which the rounding model
        includes every free point with every candidate, which makes it an exact balanced
        assignment for the current centres.
    rounding_effort
        Deterministic time limit of each of the two CP-SAT rounding stages, in CP-SAT's
        deterministic time units (about a second of work each). A deterministic limit keeps
        the design reproducible for a given seed.
    rounding_gap
        Relative optimality gap at which each CP-SAT rounding stage stops early.
    n_medoid_candidates
        Number of members tried as a district's new centre: the members nearest the district's
        mean position, or nearest its current centre when only a cost matrix is given.
    move_cost_factor
        Cost of moving a point away from its current district in a realignment, as a multiple
        of the mean cost from a point to its nearest centre.
    enclave_neighbours
        Number of nearest neighbouring points that the contiguity check examines.
    max_local_search_passes
        Maximum number of passes over all moves and swaps per round.
    max_relaxation_pairs
        Largest number of (free point, candidate district) pairs for which each round solves
        the linear relaxation with HiGHS. Larger problems use a Lagrangian relaxation of the
        balance bounds instead. On 10,000 points and 50 districts (benchmarks/territories.py)
        it took about a tenth of the LP's time per round, and the design reached the same
        compactness within half a percent.
    lagrangian_iterations
        Maximum number of subgradient iterations of the Lagrangian relaxation per round.
    """

    n_candidates: int = 16
    n_rounds: int = 8
    round_tolerance: float = 0.002
    n_boundary_points: int = 20
    exact_assignment_size: int = 4000
    rounding_effort: float = 0.5
    rounding_gap: float = 0.001
    n_medoid_candidates: int = 64
    move_cost_factor: float = 1.0
    enclave_neighbours: int = 5
    max_local_search_passes: int = 20
    max_relaxation_pairs: int = 20_000
    lagrangian_iterations: int = 300

    def __post_init__(self) -> None:
        positive = {
            "n_candidates": self.n_candidates,
            "n_rounds": self.n_rounds,
            "n_medoid_candidates": self.n_medoid_candidates,
            "enclave_neighbours": self.enclave_neighbours,
            "max_local_search_passes": self.max_local_search_passes,
            "lagrangian_iterations": self.lagrangian_iterations,
        }
        for name, value in positive.items():
            if value < 1:
                raise ValueError(f"{name} must be at least 1; got {value}")
        if self.n_boundary_points < 0:
            raise ValueError(f"n_boundary_points must be 0 or more; got {self.n_boundary_points}")
        if self.max_relaxation_pairs < 0:
            raise ValueError(
                f"max_relaxation_pairs must be 0 or more; got {self.max_relaxation_pairs}"
            )
        if self.exact_assignment_size < 0:
            raise ValueError(
                f"exact_assignment_size must be 0 or more; got {self.exact_assignment_size}"
            )
        if not self.rounding_effort > 0:
            raise ValueError(f"rounding_effort must be positive; got {self.rounding_effort}")
        if not 0 <= self.round_tolerance < 1:
            raise ValueError(f"round_tolerance must be in [0, 1); got {self.round_tolerance}")
        if not 0 <= self.rounding_gap < 1:
            raise ValueError(f"rounding_gap must be in [0, 1); got {self.rounding_gap}")
        if not self.move_cost_factor >= 0:
            raise ValueError(f"move_cost_factor must be 0 or more; got {self.move_cost_factor}")
