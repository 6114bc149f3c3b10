"""Scenario settings: every invalid setting is named by its path, with the value and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.scenario import load_scenario

MINIMAL = """
name: tiny
inputs: {customers: customers.csv}
network: {straight_line: true}
depots: [{id: D1, lat: 4.65, lon: -74.08}]
fleet: [{name: van, count: 2, depot: D1, capacity: 100}]
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def test_unknown_setting_lists_allowed(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError,
        match=r"plan\.territory: unknown setting 'territory'; "
        r"check the spelling\. Settings allowed here: "
        r"territories, workload_tolerance",
    ):
        load(tmp_path, MINIMAL + "plan: {territory: 3}\n")


def test_union_setting_one_line(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError,
        match=r"plan\.territories: must be a whole number or one "
        r"of 'auto'; got 2\.5",
    ):
        load(tmp_path, MINIMAL + "plan: {territories: 2.5}\n")


def test_range_names_list_index(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError,
        match=r"fleet\[0\]\.capacity: must be greater than 0(\.0)?; "
        r"got -1",
    ):
        load(tmp_path, MINIMAL.replace("capacity: 100", "capacity: -1"))


def test_invalid_entry_not_reported_as_short_list(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"fleet\[0\]\.capacity") as raised:
        load(tmp_path, MINIMAL.replace("capacity: 100", "capacity: -1"))
    assert "at least 1 entries" not in str(raised.value)


def test_empty_fleet_reported(tmp_path: Path) -> None:
    text = MINIMAL.replace("fleet: [{name: van, count: 2, depot: D1, capacity: 100}]", "fleet: []")
    with pytest.raises(ScenarioError, match="fleet: must be a list of at least 1 entries"):
        load(tmp_path, text)


def test_missing_sections_all_listed(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="has invalid settings") as raised:
        load(tmp_path, "name: x\n")
    message = str(raised.value)
    for section in ("inputs", "depots", "fleet"):
        assert f"{section}: required setting is missing" in message


def test_mapping_key_named(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "{straight_line: true}", "{straight_line: true, speeds_kph: {residential: fast}}"
    )
    with pytest.raises(
        ScenarioError,
        match=r"network\.speeds_kph\['residential'\]: must be a "
        r"number; got 'fast'",
    ):
        load(tmp_path, text)


def test_depot_ids_compared_ignoring_case(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "depots: [{id: D1, lat: 4.65, lon: -74.08}]",
        "depots: [{id: D1, lat: 4.65, lon: -74.08}, {id: 'd1 ', lat: 4.60, lon: -74.10}]",
    )
    with pytest.raises(
        ScenarioError,
        match=r"depots\[1\]\.id 'd1 ' repeats depots\[0\]\.id "
        r"'D1'",
    ):
        load(tmp_path, text)


def test_vehicle_depot_reference_names_setting(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError,
        match=r"fleet\[0\]\.depot: vehicle type 'van' uses depot "
        r"'d1', which is not defined; defined depots: D1",
    ):
        load(tmp_path, MINIMAL.replace("depot: D1", "depot: d1"))


def test_depot_hours_reversed(tmp_path: Path) -> None:
    text = MINIMAL.replace("lon: -74.08}", "lon: -74.08, open: '18:00', close: '06:00'}")
    with pytest.raises(ScenarioError, match="depot D1: close 06:00 is not after open 18:00"):
        load(tmp_path, text)


def test_shift_time_names_format(tmp_path: Path) -> None:
    text = MINIMAL.replace("capacity: 100", "capacity: 100, shift_start: '7h'")
    with pytest.raises(
        ScenarioError,
        match=r"fleet\[0\]\.shift_start: time '7h' is not a time "
        r"of day; write it as HH:MM",
    ):
        load(tmp_path, text)


def test_shift_twelve_hour_accepted(tmp_path: Path) -> None:
    scenario = load(
        tmp_path, MINIMAL.replace("capacity: 100", "capacity: 100, shift_end: '5:30 PM'")
    )
    assert scenario.fleet[0].shift_s == (7 * 3600.0, 17.5 * 3600.0)


def test_repeated_key_rejected(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError,
        match=r"key 'name' appears twice in the same section "
        r"\(lines 2 and 7\)",
    ):
        load(tmp_path, MINIMAL + "name: other\n")


def test_section_must_be_mapping(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError, match="plan: must be a section of key: value settings; got 3"
    ):
        load(tmp_path, MINIMAL + "plan: 3\n")


def test_not_utf8_named(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"name: Bogot\xe1\n")
    with pytest.raises(ScenarioError, match="is not UTF-8 text"):
        load_scenario(path)


def test_folder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="Scenario file not found"):
        load_scenario(tmp_path)


def test_time_format_choices(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "{customers: customers.csv}", "{customers: customers.csv, time_format: minutes}"
    )
    with pytest.raises(
        ScenarioError,
        match=r"inputs\.time_format: must be one of 'clock' or "
        r"'seconds'; got 'minutes'",
    ):
        load(tmp_path, text)
