"""The service area: a road network's box, or circles around the depots without a network."""

from __future__ import annotations

import pytest
from input_helpers import load_case

from gtm_optimizer.errors import Problem
from gtm_optimizer.inputs.geography import ServiceArea, check_service_area, locate_null_island

BOGOTA_DEPOT = (4.6533, -74.0836)


def test_radius_names_swapped_rows() -> None:
    area = ServiceArea.around([BOGOTA_DEPOT], 20_000.0)
    problems = check_service_area(load_case("B04").customers, area, file="B04.csv")
    assert [(p.customer_id, p.code) for p in problems] == [
        ("C02", "swapped_lat_lon"),
        ("C04", "swapped_lat_lon"),
    ]


def test_radius_reports_distance_to_depot() -> None:
    table = load_case("B07")
    area = ServiceArea.around([BOGOTA_DEPOT], 20_000.0)
    problems = check_service_area(table.customers, area, file="B07.csv")
    assert [(p.customer_id, p.code) for p in problems] == [("C06", "outside_service_area")]
    # C06 (4.8137, -74.3545) is 0.1604° north and 0.2709° west of the depot: 17.8 km and
    # 30.0 km on a 6,371 km sphere, 34.9 km in all.
    assert problems[0].message.startswith("34.9 km from the nearest depot")
    assert "service radius of 20 km" in problems[0].message


def test_radius_fix_names_setting() -> None:
    area = ServiceArea.around([BOGOTA_DEPOT], 20_000.0)
    problem = check_service_area(load_case("B07").customers, area, file="B07.csv")[0]
    assert "network.service_radius_km" in problem.fix


def test_inside_radius_passes() -> None:
    area = ServiceArea.around([BOGOTA_DEPOT], 20_000.0)
    assert check_service_area(load_case("B16").customers, area, file="B16.csv") == []


def test_null_island_gets_distance() -> None:
    problem = Problem(code="null_island", message="coordinates are 0,0 (a failed geocode)")
    area = ServiceArea.around([BOGOTA_DEPOT], 20_000.0)
    located = locate_null_island([problem], area)
    # 0,0 to the depot is 8,244 km on the sphere; the area starts 20 km closer.
    assert located[0].message == (
        "coordinates are 0,0 (a failed geocode), 8,224 km from the service area"
    )


def test_box_distance_unchanged_inside() -> None:
    area = ServiceArea(bbox_lonlat=(-74.12, 4.58, -74.03, 4.70))
    assert area.distance_m([4.60], [-74.10]).tolist() == [0.0]


def test_area_needs_box_or_centre() -> None:
    with pytest.raises(ValueError, match="needs bbox_lonlat or at least one centre"):
        ServiceArea()


def test_radius_must_be_positive() -> None:
    with pytest.raises(ValueError, match="radius_m is 0"):
        ServiceArea.around([BOGOTA_DEPOT], 0.0)
