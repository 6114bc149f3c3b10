"""Balance figures and English messages of a territory design."""

from __future__ import annotations

import numpy as np

from solvers.districting.balance import BOUND_SLACK
from solvers.districting.model import DistrictingProblem, DistrictingResult

# Districts listed in a message before the rest are only counted.
_MAX_LISTED = 5


def build_result(
    problem: DistrictingProblem,
    labels: np.ndarray,
    centres: np.ndarray,
    *,
    n_enclaves: int | None,
    timed_out: bool = False,
) -> DistrictingResult:
    """Compute the totals, deviations, compactness and message of a labelling.

    When ``timed_out`` is true, the message of an unbalanced design adds that the time limit
    stopped the search.
    """
    k = problem.n_districts
    totals = np.zeros((k, problem.n_measures))
    np.add.at(totals, labels, problem.measures)
    mean = problem.measures.sum(axis=0) / k
    safe_mean = np.where(mean > 0, mean, 1.0)
    deviation = np.where(mean > 0, totals / safe_mean - 1.0, 0.0)
    max_deviation = np.abs(deviation).max(axis=0)

    breaches = _breaches(problem, totals, deviation, mean)
    balanced = not breaches
    n_moved = 0
    if problem.current is not None:
        n_moved = int(np.sum((problem.current >= 0) & (labels != problem.current)))

    if balanced:
        message = _balanced_message(problem, max_deviation, n_moved, n_enclaves)
    else:
        message = _unbalanced_message(problem, breaches, n_moved, timed_out=timed_out)
    return DistrictingResult(
        labels=labels.copy(),
        centers=centres.copy(),
        totals=totals,
        deviation=deviation,
        max_deviation=max_deviation,
        compactness_s=_compactness_s(problem, labels, centres),
        compactness_m=_compactness_m(problem, labels, centres),
        n_moved=n_moved,
        n_enclaves=n_enclaves,
        balanced=balanced,
        status="balanced" if balanced else "tolerance_not_met",
        message=message,
    )


def impossible_reasons(problem: DistrictingProblem) -> list[str]:
    """Explain the inputs that make a tolerance impossible to meet, with their numbers.

    Three cases are detected: a point heavier than the upper bound of a district, points
    locked to one district that together exceed its upper bound, and fewer points with a
    positive value than districts when the lower bound is positive.
    """
    k = problem.n_districts
    reasons: list[str] = []
    for column, tolerance in enumerate(problem.tolerances):
        if tolerance is None:
            continue
        values = problem.measures[:, column]
        mean = values.sum() / k
        upper = mean * (1.0 + tolerance)
        name, unit = _name_unit(problem, column)
        bound = (
            f"the upper bound {_amount(upper)}{unit} of a district "
            f"(mean {_amount(mean)}{unit} + {_percent(tolerance)})"
        )
        heavy = np.flatnonzero(values > upper * (1.0 + BOUND_SLACK))
        for point in heavy[:_MAX_LISTED]:
            reasons.append(
                f"point {point} has {name} {_amount(values[point])}{unit}, above {bound}"
            )
        if heavy.size > _MAX_LISTED:
            reasons.append(f"{heavy.size - _MAX_LISTED} more points are above that bound")
        for district in range(k):
            locked_total = values[problem.locked == district].sum()
            if locked_total > upper * (1.0 + BOUND_SLACK):
                reasons.append(
                    f"the points locked to district {district} have {name} "
                    f"{_amount(locked_total)}{unit} together, above {bound}"
                )
        n_positive = int(np.count_nonzero(values > 0))
        lower = mean * (1.0 - tolerance)
        if lower > 0 and n_positive < k:
            reasons.append(
                f"only {n_positive} points have a positive {name} for {k} districts, but each "
                f"district needs at least {_amount(lower)}{unit}"
            )
    return reasons


def _unbalanced_message(
    problem: DistrictingProblem, breaches: list[str], n_moved: int, *, timed_out: bool
) -> str:
    """List the breaches of the tolerances and what may cause them."""
    listed = breaches[:_MAX_LISTED]
    if len(breaches) > _MAX_LISTED:
        listed.append(f"{len(breaches) - _MAX_LISTED} more breaches of a tolerance")
    message = "Tolerance not met: " + "; ".join(listed) + "."

    reasons = impossible_reasons(problem)
    if reasons:
        message += " No design can meet it: " + "; ".join(reasons) + "."
    if problem.max_moved is not None and n_moved >= problem.max_moved:
        message += (
            f" The move limit of {problem.max_moved} points is used up; a larger "
            "max_moved_share may allow a balanced design."
        )
    if timed_out:
        message += " The time limit stopped the search; a larger time_limit_s may balance it."
    return message


def _breaches(
    problem: DistrictingProblem, totals: np.ndarray, deviation: np.ndarray, mean: np.ndarray
) -> list[str]:
    """Describe each (district, measure) outside its tolerance, worst first."""
    found: list[tuple[float, str]] = []
    for column, tolerance in enumerate(problem.tolerances):
        if tolerance is None:
            continue
        name, unit = _name_unit(problem, column)
        for district in np.flatnonzero(np.abs(deviation[:, column]) > tolerance + BOUND_SLACK):
            relative = float(deviation[district, column])
            side = "above" if relative > 0 else "below"
            found.append(
                (
                    abs(relative) - tolerance,
                    f"district {district} {name} {_amount(totals[district, column])}{unit} is "
                    f"{_percent(abs(relative))} {side} the mean {_amount(mean[column])}{unit}; "
                    f"tolerance {_percent(tolerance)}",
                )
            )
    found.sort(key=lambda item: -item[0])
    return [text for _, text in found]


def _balanced_message(
    problem: DistrictingProblem,
    max_deviation: np.ndarray,
    n_moved: int,
    n_enclaves: int | None,
) -> str:
    """Summarise a design that meets every tolerance."""
    parts = [
        f"{problem.measure_names[column]} {_percent(float(max_deviation[column]))}"
        for column in range(problem.n_measures)
    ]
    message = (
        f"{problem.n_districts} districts within every tolerance; largest deviation from the "
        f"mean: " + ", ".join(parts) + "."
    )
    if problem.current is not None:
        message += f" {n_moved} points changed district."
    if n_enclaves:
        message += (
            f" {n_enclaves} enclaves remain because moving them would break a tolerance, a "
            "lock or the move limit, or empty a district."
        )
    return message


def _compactness_s(
    problem: DistrictingProblem, labels: np.ndarray, centres: np.ndarray
) -> float | None:
    """Return the summed travel time from each district centre to its points."""
    if problem.cost_s is None:
        return None
    return float(np.asarray(problem.cost_s[centres[labels], np.arange(labels.size)]).sum())


def _compactness_m(
    problem: DistrictingProblem, labels: np.ndarray, centres: np.ndarray
) -> float | None:
    """Return the summed straight-line distance from each district centre to its points."""
    if problem.coords_m is None:
        return None
    origins = problem.home_xy_m if problem.home_xy_m is not None else problem.coords_m[centres]
    offsets = problem.coords_m - origins[labels]
    return float(np.linalg.norm(offsets, axis=1).sum())


def _name_unit(problem: DistrictingProblem, column: int) -> tuple[str, str]:
    """Return a measure's name and its unit with a leading space, or an empty unit."""
    unit = problem.measure_units[column]
    return problem.measure_names[column], f" {unit}" if unit else ""


def _amount(value: float) -> str:
    """Format an amount with three significant digits, or whole numbers from 1,000."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _percent(share: float) -> str:
    """Format a share as a percentage with one decimal: 0.091 as "9.1 %", 0.05 as "5 %"."""
    return f"{100 * share:.1f}".removesuffix(".0") + " %"
