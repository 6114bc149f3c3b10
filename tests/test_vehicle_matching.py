"""Territories get the vehicles of the depots nearest their customers."""

from __future__ import annotations

import numpy as np

from gtm_optimizer.routing import match_vehicles_to_territories
from gtm_optimizer.scenario import Scenario


def _scenario(fleet: list[dict]) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "Two depots",
            "inputs": {"customers": "customers.csv"},
            "network": {"straight_line": True},
            "depots": [
                {"id": "WEST", "lat": 4.60, "lon": -74.10},
                {"id": "EAST", "lat": 4.60, "lon": -74.00},
            ],
            "fleet": fleet,
        }
    )


# Points 0 and 1 are the depots WEST and EAST; customers 2 and 3 lie next to EAST, 4 and 5
# next to WEST. Travel takes 100 s between neighbours and 1,000 s across town.
DURATION_S = np.full((6, 6), 1_000.0)
for group in ((1, 2, 3), (0, 4, 5)):
    for origin in group:
        for destination in group:
            DURATION_S[origin, destination] = 100.0
np.fill_diagonal(DURATION_S, 0.0)
CUSTOMER_POINTS = np.array([2, 3, 4, 5])
DEPOT_POINTS = {"WEST": 0, "EAST": 1}
# Territory 0 is the eastern customers, territory 1 the western ones.
LABELS = np.array([0, 0, 1, 1])


def test_territories_get_nearest_depot() -> None:
    scenario = _scenario(
        [
            {"name": "west-truck", "count": 1, "depot": "WEST", "capacity": 100},
            {"name": "east-truck", "count": 1, "depot": "EAST", "capacity": 100},
        ]
    )
    vehicles = match_vehicles_to_territories(
        scenario, LABELS, 2, DURATION_S, CUSTOMER_POINTS, DEPOT_POINTS
    )
    assert [vehicle.name for vehicle in vehicles] == ["east-truck", "west-truck"]


def test_single_depot_keeps_fleet_order() -> None:
    scenario = _scenario(
        [
            {"name": "small", "count": 1, "depot": "WEST", "capacity": 100},
            {"name": "large", "count": 1, "depot": "WEST", "capacity": 300},
        ]
    )
    vehicles = match_vehicles_to_territories(
        scenario, LABELS, 2, DURATION_S, CUSTOMER_POINTS, DEPOT_POINTS
    )
    assert [vehicle.name for vehicle in vehicles] == ["small", "large"]
