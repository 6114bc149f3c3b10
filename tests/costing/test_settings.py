"""The scenario's cost and channel settings: defaults, YAML loading and invalid values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.scenario import ChannelRules, Costs, load_scenario

SCENARIO = """
name: Channels
inputs: {customers: customers.csv}
network: {straight_line: true}
depots: [{id: DEP, lat: 21.87, lon: -102.27}]
fleet: [{name: van, count: 1, depot: DEP, capacity: 60}]
costs:
  allocation: marginal
  telesales_cost_per_order: 1800
  partner_delivery_cost_per_drop: 3500
  overhead_per_week: 2000000
  overhead_driver: visits
  gross_margin_pct: 22
channels:
  allowed: [direct, telesales, ecommerce]
  allowed_by_segment: {pharmacy: [direct]}
  keep_direct_segments: [modern]
  min_drop_size: 3
  min_numeric_distribution_pct: 95
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_keep_everyone_direct() -> None:
    rules = ChannelRules()
    assert (rules.allowed, rules.min_numeric_distribution_pct) == (("direct",), 100.0)


def test_default_allocation_is_time() -> None:
    assert Costs().allocation == "time"


def test_yaml_costs(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, SCENARIO))
    costs = scenario.costs
    assert (costs.allocation, costs.overhead_driver, costs.gross_margin_pct) == (
        "marginal",
        "visits",
        22.0,
    )


def test_yaml_channels(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, SCENARIO))
    assert scenario.channels.allowed_by_segment == {"pharmacy": ("direct",)}


def test_yaml_rejects_unknown_channel(tmp_path: Path) -> None:
    path = write(tmp_path, SCENARIO.replace("[direct, telesales, ecommerce]", "[direct, fax]"))
    with pytest.raises(ScenarioError, match=r"channels\.allowed"):
        load_scenario(path)


def test_yaml_rejects_unknown_driver(tmp_path: Path) -> None:
    path = write(tmp_path, SCENARIO.replace("overhead_driver: visits", "overhead_driver: km"))
    with pytest.raises(ScenarioError, match=r"costs\.overhead_driver"):
        load_scenario(path)


def test_kept_direct_needs_direct() -> None:
    with pytest.raises(ValidationError, match="segment 'modern' is in keep_direct_segments"):
        ChannelRules(
            keep_direct_segments=("modern",), allowed_by_segment={"modern": ("telesales",)}
        )


def test_segment_needs_a_channel() -> None:
    with pytest.raises(ValidationError, match=r"allowed_by_segment\['pharmacy'\] is empty"):
        ChannelRules(allowed_by_segment={"pharmacy": ()})


def test_margin_above_100_rejected() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 100"):
        Costs(gross_margin_pct=125.0)
