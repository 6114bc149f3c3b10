"""Invalid territory design inputs: each raises ValueError naming the value and the fix."""

import numpy as np
import pytest

from solvers.districting import DistrictingSettings, design_districts

COORDS_M = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]])


def design(**overrides):
    arguments = {
        "measures": np.ones((3, 1)),
        "n_districts": 2,
        "coords_m": COORDS_M,
        "tolerances": (0.1,),
    }
    arguments.update(overrides)
    return design_districts(**arguments)


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"n_districts": 5}, "5 districts requested, only 3 points"),
        ({"n_districts": 0}, "n_districts must be at least 1; got 0"),
        ({"measures": np.ones(3)}, r"measures must be a 2-D array .* got shape \(3,\)"),
        (
            {"measures": np.array([[1.0], [-2.0], [1.0]])},
            "measures must be non-negative; point 1 measure 0 is -2.0",
        ),
        (
            {"measures": np.array([[1.0], [np.nan], [1.0]])},
            "measures must be finite; point 1 measure 0 is nan",
        ),
        ({"tolerances": (1.5,)}, r"tolerance 1.5 for measure 0 is out of range; use .* \[0, 1\)"),
        ({"tolerances": (-0.1,)}, "tolerance -0.1 for measure 0 is out of range"),
        ({"tolerances": (0.1, 0.1)}, "tolerances has 2 entries for 1 measures"),
        ({"coords_m": COORDS_M[:2]}, r"coords_m must have shape \(3, 2\) for 3 points"),
        ({"coords_m": None}, "give coords_m, cost_s or both; got neither"),
        (
            {"cost_s": np.full((3, 3), np.inf), "coords_m": None},
            r"cost_s\[0, 0\] is inf; replace unreachable pairs",
        ),
        ({"locked": np.array([0, -1, 2])}, r"locked\[2\] = 2 is out of range; use -1"),
        ({"locked": np.array([0, -1])}, r"locked must have shape \(3,\)"),
        ({"locked": np.array([0.5, -1, 1])}, r"locked\[0\] = 0.5 is not a district index"),
        ({"current": np.array([0, 7, 1])}, r"current\[1\] = 7 is out of range"),
        ({"max_moved_share": 0.5}, "max_moved_share needs current"),
        (
            {"current": np.array([0, 0, 1]), "max_moved_share": 1.5},
            r"max_moved_share must be in \[0, 1\]; got 1.5",
        ),
        (
            {
                "current": np.array([0, 0, 1]),
                "locked": np.array([1, 1, -1]),
                "max_moved_share": 0.4,
            },
            "2 locked points are locked to a district other than their current one, but "
            "max_moved_share allows only 1 moves",
        ),
        ({"home_bases": np.array([0, 3])}, r"home_bases\[1\] = 3 is not a point index"),
        ({"home_bases": np.array([0, 1, 2])}, "home_bases must have one entry per district"),
        (
            {"home_bases": np.zeros((2, 2)), "coords_m": None, "cost_s": np.ones((3, 3))},
            "home_bases given as coordinates need coords_m",
        ),
        ({"measure_names": ("a", "b")}, "measure_names has 2 names for 1 measures"),
        ({"time_limit_s": 0}, "time_limit_s must be positive; got 0"),
    ],
)
def test_invalid_input_rejected(overrides, match):
    with pytest.raises(ValueError, match=match):
        design(**overrides)


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("n_candidates", 0, "n_candidates must be at least 1; got 0"),
        ("n_rounds", 0, "n_rounds must be at least 1; got 0"),
        ("move_cost_factor", -1.0, "move_cost_factor must be 0 or more; got -1.0"),
        ("rounding_effort", 0.0, "rounding_effort must be positive; got 0.0"),
        ("rounding_gap", 1.0, r"rounding_gap must be in \[0, 1\); got 1.0"),
        ("n_boundary_points", -1, "n_boundary_points must be 0 or more; got -1"),
        ("max_relaxation_pairs", -1, "max_relaxation_pairs must be 0 or more; got -1"),
        ("lagrangian_iterations", 0, "lagrangian_iterations must be at least 1; got 0"),
        ("round_tolerance", 1.0, r"round_tolerance must be in \[0, 1\); got 1.0"),
    ],
)
def test_invalid_settings_rejected(field, value, match):
    with pytest.raises(ValueError, match=match):
        DistrictingSettings(**{field: value})
