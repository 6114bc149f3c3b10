"""Territory benchmark: metric functions on hand-checked layouts and one short seeded run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from benchmarks.territories import (
    METHODS,
    RunRecords,
    compactness,
    count_enclaves,
    count_moved,
    make_synthetic_instance,
    max_deviation_pct,
    min_moves_to_balance,
    parse_args,
    perturb_workloads,
    run_instance,
    write_report,
)


def _grid_with_foreign_centre() -> tuple[np.ndarray, np.ndarray]:
    """Return a 5 × 5 grid of territory 0 whose centre point is in territory 1, plus a far
    row of six points of territory 1."""
    grid_m = np.array([(x, y) for x in range(5) for y in range(5)], dtype=float) * 100.0
    far_m = np.column_stack([np.arange(6) * 100.0 + 10_000.0, np.zeros(6)])
    coords_m = np.vstack([grid_m, far_m])
    labels = np.array([0] * 25 + [1] * 6)
    labels[12] = 1  # (200 m, 200 m), the grid centre
    return coords_m, labels


def test_deviation_known_partition():
    # Totals 2 and 4 around a mean of 3: both territories are a third off the mean.
    values = np.array([1.0, 1.0, 1.0, 3.0])
    deviation = max_deviation_pct(values, np.array([0, 0, 1, 1]), 2)
    assert deviation == pytest.approx(100.0 / 3.0)


def test_deviation_empty_territory():
    deviation = max_deviation_pct(np.array([2.0, 2.0]), np.array([0, 0]), 2)
    assert deviation == pytest.approx(100.0)


def test_enclaves_grid_centre():
    coords_m, labels = _grid_with_foreign_centre()
    assert count_enclaves(labels, coords_m) == 1


def test_enclaves_none_when_grouped():
    coords_m, labels = _grid_with_foreign_centre()
    labels[12] = 0
    assert count_enclaves(labels, coords_m) == 0


def test_compactness_line_metres():
    # Medoids 1 m and 10 m (tie with 14 m, first kept): 1 + 0 + 1 + 0 + 4 = 6 m.
    coords_m = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [10.0, 0.0], [14.0, 0.0]])
    total_m = compactness(np.array([0, 0, 0, 1, 1]), 2, coords_m=coords_m)
    assert total_m == pytest.approx(6.0)


def test_compactness_asymmetric_seconds():
    # From point 0: 0 + 10 = 10 s; from point 1: 100 + 0 = 100 s. The medoid is point 0,
    # and the sum is taken from the medoid to each member.
    cost_s = np.array([[0.0, 10.0], [100.0, 0.0]])
    coords_m = np.zeros((2, 2))
    total_s = compactness(np.array([0, 0]), 1, coords_m=coords_m, cost_s=cost_s)
    assert total_s == pytest.approx(10.0)


def test_moved_after_matching():
    # Territories 0 and 1 swap names; only the point of territory 2 changes territory.
    before = np.array([0, 0, 1, 1, 2])
    after = np.array([1, 1, 0, 0, 0])
    assert count_moved(before, after, 3) == 1


def test_min_moves_equal_counts():
    # Five points against one around a mean of 3 (upper bound 3.15): two points must move.
    values = np.ones(6)
    labels = np.array([0, 0, 0, 0, 0, 1])
    assert min_moves_to_balance(values, labels, 2) == 2


def test_min_moves_heavy_point():
    # Territory 0 has 10 of 12 around a mean of 6 (upper 6.3): the point of 8 covers the
    # excess 3.7 alone, and territory 1 can receive it in one move.
    values = np.array([8.0, 1.0, 1.0, 1.0, 1.0])
    labels = np.array([0, 0, 0, 1, 1])
    assert min_moves_to_balance(values, labels, 2) == 1


def test_min_moves_balanced_is_zero():
    values = np.ones(4)
    assert min_moves_to_balance(values, np.array([0, 1, 0, 1]), 2) == 0


def test_perturbation_share():
    workload_h = np.ones(200)
    perturbed = perturb_workloads(workload_h, seed=3)
    assert np.count_nonzero(perturbed == 1.5) == 20


def test_perturbation_keeps_others():
    workload_h = np.ones(200)
    perturbed = perturb_workloads(workload_h, seed=3)
    assert np.count_nonzero(perturbed == 1.0) == 180


def test_synthetic_seeded():
    first = make_synthetic_instance(400, seed=5)
    second = make_synthetic_instance(400, seed=5)
    assert np.array_equal(first.coords_m, second.coords_m)


def test_synthetic_workload_positive():
    instance = make_synthetic_instance(400, seed=5)
    assert np.all(instance.workload_h > 0)


def test_synthetic_revenue_heavy_tail():
    # Log-normal with sigma 1 inside segments: the top 1 % hold far more than 1 % of revenue.
    instance = make_synthetic_instance(2_000, seed=5)
    top = np.sort(instance.revenue)[-20:].sum()
    assert top / instance.revenue.sum() > 0.05


def test_args_reject_unknown_instance(capsys):
    with pytest.raises(SystemExit, match="2"):
        parse_args(["--instances", "duitama,paris"])
    assert "unknown instance paris" in capsys.readouterr().err


def test_args_reject_unknown_method(capsys):
    with pytest.raises(SystemExit, match="2"):
        parse_args(["--methods", "k-medoids"])
    assert "unknown method k-medoids" in capsys.readouterr().err


def test_args_always_run_kmeans():
    # The realignment test starts from the k-means design.
    args = parse_args(["--methods", "design_districts"])
    assert args.methods == ["k-means", "design_districts"]


@pytest.fixture(scope="module")
def short_run() -> tuple[RunRecords, object]:
    """One run of k-means and design_districts on 150 synthetic customers, k = 3."""
    instance = replace(make_synthetic_instance(150, seed=1), district_counts=(3,))
    methods = [method for method in METHODS if method.name in ("k-means", "design_districts")]
    records = RunRecords()
    run_instance(
        instance, 3, methods, records, seed=0, design_time_limit_s=20.0, route_time_limit_s=1.0
    )
    return records, instance


def test_run_design_balanced(short_run):
    records, _ = short_run
    row = records.methods[("synthetic", 3, "design_districts")][0]
    assert row["workload_dev_pct"] <= 5.0 + 1e-6


def test_run_kmeans_moves_nothing(short_run):
    # Plain k-means ignores workloads, so the same seed gives the same territories.
    records, _ = short_run
    row = records.methods[("synthetic", 3, "k-means")][0]
    assert row["moved_from_kmeans"] == 0


def test_run_realignment_within_limit(short_run):
    # At most half of the 150 customers may move.
    records, _ = short_run
    row = records.realignments[("synthetic", 3, "k-means")][0]
    assert row["moved"] <= 75


def test_run_realignment_above_bound(short_run):
    records, _ = short_run
    row = records.realignments[("synthetic", 3, "k-means")][0]
    assert row["moved"] >= row["min_moves"]


def test_report_keeps_notes(short_run, tmp_path: Path):
    records, instance = short_run
    out = tmp_path / "territories.md"
    out.write_text("# old\n\n## Notes\n\nKept by hand.\n", encoding="utf-8")
    write_report(out, records, [instance], command="test", runs=1, skipped=[])
    assert out.read_text(encoding="utf-8").endswith("## Notes\n\nKept by hand.\n")
