"""Re-routing a day's orders on a real plan: every order accounted for, changes, outputs.

The date is Monday 2024-01-08, week 2 of the plan's two-week cycle (weeks counted from Monday
2024-01-01), so the plan routes of that day are ``T01-W2-Mon`` and ``T02-W2-Mon``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from gtm_optimizer.batch.output import REROUTE_FILES, write_reroute
from gtm_optimizer.batch.reroute import RerouteResult, RerouteSettings, reroute
from gtm_optimizer.errors import InputError
from gtm_optimizer.execution import LocalProcesses

DAY = date(2024, 1, 8)
SETTINGS = RerouteSettings(time_limit_s=20, max_iterations=300, seed=1)


@dataclass(frozen=True)
class Night:
    """The orders of the test night and the customers chosen for each case."""

    path: Path
    dropped: str
    moved: str
    other_day: str
    new: str
    near: str
    far: str
    blank_volume_line: int
    unknown_line: int


@pytest.fixture(scope="module")
def night(plan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Night:
    stops = pd.read_csv(plan_dir / "stops.csv")
    customers = pd.read_csv(plan_dir / "customers.csv").set_index("customer_id")
    week2 = stops[stops["route_id"].str.endswith("-W2-Mon")]
    week1_only = set(stops.loc[stops["route_id"].str.endswith("-W1-Mon"), "customer_id"])
    week1_only -= set(week2["customer_id"])
    tuesday_only = set(stops.loc[stops["route_id"].str.endswith("-Tue"), "customer_id"])
    tuesday_only -= set(stops.loc[stops["route_id"].str.endswith("-Mon"), "customer_id"])
    first = week2.sort_values(["route_id", "sequence"])["customer_id"].tolist()
    dropped, kept = first[0], first[1:]
    moved, other_day = sorted(week1_only)[0], sorted(tuesday_only)[0]
    near = kept[0]
    rows = [f"{cid},2,,,," for cid in kept]
    rows += [f"{moved},3,,,,", f"{other_day},1,,,,"]
    lat, lon = customers.at[near, "lat"] + 0.0004, customers.at[near, "lon"]
    rows += [f"N-NEAR,2,,,{lat:.6f},{lon:.6f}", "N-FAR,2,,,21.950000,-102.400000"]
    rows += ["C05,,,,,", "X-UNKNOWN,1,,,,"]
    path = tmp_path_factory.mktemp("night") / "orders.csv"
    path.write_text(
        "customer_id,volume,tw_start,tw_end,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    n = len(rows)
    return Night(path, dropped, moved, other_day, "N-NEAR", near, "N-FAR", n, n + 1)


@pytest.fixture(scope="module")
def result(plan_dir: Path, night: Night) -> RerouteResult:
    return reroute(plan_dir, night.path, DAY, settings=SETTINGS, executor=LocalProcesses(2))


def _change(result: RerouteResult, customer_id: str) -> str:
    return result.changes.set_index("customer_id").at[customer_id, "change"]


def test_routes_of_the_day(result: RerouteResult) -> None:
    assert sorted(result.routes["route_id"]) == ["T01-W2-Mon", "T02-W2-Mon"]


def test_every_order_routed_or_unserved(result: RerouteResult) -> None:
    placed = pd.concat([result.stops["customer_id"], result.unserved["customer_id"]])
    assert placed.is_unique


def test_order_count_accounted(result: RerouteResult) -> None:
    kpis = result.summary["kpis"]
    assert kpis["orders_routed"] + kpis["orders_unserved"] == kpis["orders"]


def test_rejected_lines(result: RerouteResult, night: Night) -> None:
    assert sorted(result.rejects["line"]) == [night.blank_volume_line, night.unknown_line]


def test_far_order_unserved(result: RerouteResult, night: Night) -> None:
    reasons = result.unserved.set_index("customer_id")["reason"]
    assert reasons.to_dict() == {night.far: "outside_network_area"}


def test_new_customer_joins_nearest_territory(result: RerouteResult, night: Night) -> None:
    territory = result.stops.set_index("customer_id")["territory_id"]
    assert territory[night.new] == territory[night.near]


def test_dropped_change(result: RerouteResult, night: Night) -> None:
    assert _change(result, night.dropped) == "dropped"


def test_other_week_customer_moved(result: RerouteResult, night: Night) -> None:
    assert _change(result, night.moved) == "moved"


def test_other_day_customer_new(result: RerouteResult, night: Night) -> None:
    assert _change(result, night.other_day) == "new"


def test_far_order_change_unserved(result: RerouteResult, night: Night) -> None:
    assert _change(result, night.far) == "unserved"


def test_exit_code_partial(result: RerouteResult) -> None:
    assert result.exit_code == 3


def test_solves_reproducible(result: RerouteResult) -> None:
    assert result.summary["kpis"]["routes_on_time_limit"] == 0


def test_same_inputs_same_routes(result: RerouteResult, plan_dir: Path, night: Night) -> None:
    again = reroute(plan_dir, night.path, DAY, settings=SETTINGS, executor=LocalProcesses(1))
    pd.testing.assert_frame_equal(again.stops, result.stops)


def test_outputs_written(result: RerouteResult, tmp_path: Path) -> None:
    folder = write_reroute(result, tmp_path / "out")
    assert sorted(p.name for p in folder.iterdir()) == sorted(REROUTE_FILES)


def test_deadline_lists_every_order(plan_dir: Path, night: Night) -> None:
    late = reroute(
        plan_dir,
        night.path,
        DAY,
        executor=LocalProcesses(1),
        settings=RerouteSettings(deadline_s=0.001, max_iterations=300),
    )
    reasons = set(late.unserved["reason"]) - {"outside_network_area"}
    assert reasons == {"deadline_exceeded"}


def test_deadline_leaves_no_route(plan_dir: Path, night: Night) -> None:
    late = reroute(
        plan_dir,
        night.path,
        DAY,
        executor=LocalProcesses(1),
        settings=RerouteSettings(deadline_s=0.001, max_iterations=300),
    )
    assert late.routes.empty


def test_settings_reject_zero_deadline() -> None:
    with pytest.raises(ValueError, match="deadline_s = 0 must be a finite number"):
        RerouteSettings(deadline_s=0)


def test_orders_without_volume_column(plan_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,cases\nC01,4\n", encoding="utf-8")
    with pytest.raises(InputError, match="required column 'volume' is missing"):
        reroute(plan_dir, path, DAY, settings=SETTINGS, executor=LocalProcesses(1))
