"""Balance bounds on the district totals, in relative and in integer units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solvers.districting.model import DistrictingProblem

# Slack on relative totals below which a bound counts as met, so that float rounding in a sum
# of a few thousand weights never reports a violation.
BOUND_SLACK = 1e-9

# Largest integer measure total passed to CP-SAT, because larger integers slow it down.
# Values with up to 6 decimals are scaled exactly when the total stays below it. Other values
# are rounded to about a millionth of the total, far finer than any tolerance.
_MAX_INTEGER_TOTAL = 1e6


@dataclass(frozen=True, eq=False)
class Balance:
    """Lower and upper bounds on the district totals of the measures with a tolerance.

    Measures whose total is 0 have no bounds, because every district total is then 0.
    ``weights`` are the measures divided by their mean district total, so a perfectly
    balanced district has relative total 1 and the bounds are ``1 ± tolerance``. The integer
    versions feed CP-SAT.
    """

    columns: np.ndarray
    tolerances: np.ndarray
    weights: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer_weights: np.ndarray
    integer_lower: np.ndarray
    integer_upper: np.ndarray
    integer_mean: np.ndarray

    @classmethod
    def from_problem(cls, problem: DistrictingProblem) -> Balance:
        """Compute the bounds of a validated problem."""
        k = problem.n_districts
        totals = problem.measures.sum(axis=0)
        columns = np.array(
            [
                column
                for column, tolerance in enumerate(problem.tolerances)
                if tolerance is not None and totals[column] > 0
            ],
            dtype=np.int64,
        )
        tolerances = np.array([problem.tolerances[column] for column in columns], dtype=float)
        mean = totals[columns] / k
        weights = problem.measures[:, columns] / mean
        integer_weights = np.empty(weights.shape, dtype=np.int64)
        for position, column in enumerate(columns):
            scale = _integer_scale(problem.measures[:, column])
            integer_weights[:, position] = np.round(problem.measures[:, column] * scale)
        integer_mean = integer_weights.sum(axis=0) / k
        return cls(
            columns=columns,
            tolerances=tolerances,
            weights=weights,
            lower=1.0 - tolerances,
            upper=1.0 + tolerances,
            integer_weights=integer_weights,
            integer_lower=np.ceil(integer_mean * (1.0 - tolerances) - 1e-6).astype(np.int64),
            integer_upper=np.floor(integer_mean * (1.0 + tolerances) + 1e-6).astype(np.int64),
            integer_mean=integer_mean,
        )

    @property
    def n_bounded(self) -> int:
        """Number of measures with bounds."""
        return int(self.columns.size)

    def totals(self, labels: np.ndarray, n_districts: int) -> np.ndarray:
        """Return the ``(k, q)`` relative totals of each district."""
        totals = np.zeros((n_districts, self.n_bounded))
        np.add.at(totals, labels, self.weights)
        return totals

    def violation(self, totals: np.ndarray) -> np.ndarray:
        """Return the sum over measures of the relative distance outside the bounds.

        ``totals`` has the measures on its last axis, which the result drops.
        """
        above = np.maximum(totals - self.upper - BOUND_SLACK, 0.0)
        below = np.maximum(self.lower - totals - BOUND_SLACK, 0.0)
        return np.asarray((above + below).sum(axis=-1))


def _integer_scale(values: np.ndarray) -> float:
    """Return the factor that turns a measure into integers for CP-SAT.

    The factor is the smallest power of ten up to 10**6 that makes every value integral,
    when the scaled total stays below ``_MAX_INTEGER_TOTAL``. Otherwise the values are scaled
    so that their total is ``_MAX_INTEGER_TOTAL`` and rounded.
    """
    total = float(values.sum())
    for exponent in range(7):
        scale = 10.0**exponent
        if total * scale > _MAX_INTEGER_TOTAL:
            break
        scaled = values * scale
        if np.allclose(scaled, np.round(scaled), rtol=0.0, atol=1e-6):
            return scale
    return _MAX_INTEGER_TOTAL / total
