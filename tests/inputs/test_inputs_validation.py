"""Every pre-solve check in one report, on straight-line scenarios and real network files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from input_helpers import BOGOTA_SCENARIO, DATA, MONACO_SCENARIO, case_file, write_scenario

from gtm_optimizer import i18n
from gtm_optimizer.errors import InputError
from gtm_optimizer.inputs.validation import validate_inputs
from gtm_optimizer.scenario import Scenario


def monaco(tmp_path: Path, case: str, network: str, **overrides: object) -> Scenario:
    return write_scenario(
        tmp_path,
        MONACO_SCENARIO,
        overrides,
        customers=case_file(case),
        network=DATA / "osm" / network,
    )


def bogota(tmp_path: Path, case: str, **overrides: object) -> Scenario:
    return write_scenario(tmp_path, BOGOTA_SCENARIO, overrides, customers=case_file(case))


def found(report) -> list[tuple[str, str]]:
    return [(p.customer_id, p.code) for p in report.problems]


def test_one_way_customers_warned(tmp_path: Path) -> None:
    report = validate_inputs(monaco(tmp_path, "B01", "B01_oneway.osm"))
    assert found(report) == [("M03", "unreachable_one_way"), ("M04", "unreachable_one_way")]
    assert report.ok


def test_one_way_names_nearest_two_way_road(tmp_path: Path) -> None:
    report = validate_inputs(monaco(tmp_path, "B01", "B01_oneway.osm"))
    # M03 is 0.0009° north and 0.0010° east of node 3, the block's corner: 100 m and 80 m,
    # 128 m in all. M04 is 0.0008° south and 0.0012° east of node 2: 89 m and 97 m, 131 m.
    assert "nearest road drivable both ways 128 m" in report.problems[0].message
    assert "nearest road drivable both ways 131 m" in report.problems[1].message


def test_island_customer_distance_named(tmp_path: Path) -> None:
    report = validate_inputs(monaco(tmp_path, "B02", "B02_island.osm"))
    assert found(report) == [("M05", "unreachable_island")]
    # M05 is 0.0025° north and 0.0036° east of node 3: 278 m and 290 m, 401 m in all.
    assert "nearest connected road 401 m" in report.problems[0].message


def test_island_customer_kept_for_unserved_list(tmp_path: Path) -> None:
    report = validate_inputs(monaco(tmp_path, "B02", "B02_island.osm"))
    assert report.table.customers["customer_id"].tolist() == ["M01", "M02", "M05"]


def test_clipped_network_warned(tmp_path: Path) -> None:
    scenario = write_scenario(
        tmp_path,
        MONACO_SCENARIO.replace("43.7370, lon: 7.4200", "4.6300, lon: -74.0700"),
        customers=case_file("B19"),
        network=DATA / "osm" / "B19_clipped.osm",
    )
    report = validate_inputs(scenario)
    assert [(p.code, Path(p.file).name) for p in report.problems] == [
        ("ways_trimmed", "B19_clipped.osm")
    ]
    assert "complete_ways" in report.problems[0].fix


def test_corrupt_network_stops(tmp_path: Path) -> None:
    broken = tmp_path / "broken.osm"
    broken.write_text('<osm version="0.6"><node id="1" lat="43.7" lon=', encoding="utf-8")
    scenario = write_scenario(
        tmp_path, MONACO_SCENARIO, customers=case_file("B01"), network=broken
    )
    report = validate_inputs(scenario)
    assert [p.code for p in report.errors] == ["unreadable_network"]
    with pytest.raises(InputError, match=r"broken\.osm cannot be read"):
        report.raise_for("skip")


def test_depot_off_network_stops(tmp_path: Path) -> None:
    scenario = write_scenario(
        tmp_path,
        MONACO_SCENARIO.replace("43.7370, lon: 7.4200", "43.7500, lon: 7.4400"),
        customers=case_file("B01"),
        network=DATA / "osm" / "B01_oneway.osm",
    )
    report = validate_inputs(scenario)
    assert [p.code for p in report.errors] == ["depot_unreachable"]
    assert "depot DEP_MCO cannot be reached" in report.errors[0].message


def test_swapped_named_without_network(tmp_path: Path) -> None:
    report = validate_inputs(bogota(tmp_path, "B04"))
    assert found(report) == [("C02", "swapped_lat_lon"), ("C04", "swapped_lat_lon")]
    assert report.table.customers["customer_id"].tolist() == ["C01", "C03", "C05"]


def test_outside_and_null_island_with_distance(tmp_path: Path) -> None:
    report = validate_inputs(bogota(tmp_path, "B07"))
    assert found(report) == [("C06", "outside_service_area"), ("C07", "null_island")]
    assert "34.9 km from the nearest depot" in report.problems[0].message
    assert "8,224 km from the service area" in report.problems[1].message


def test_too_many_territories_stops(tmp_path: Path) -> None:
    report = validate_inputs(bogota(tmp_path, "B16", plan={"territories": 5}))
    with pytest.raises(InputError, match="5 territories requested, only 3 customers"):
        report.raise_for("skip")


def test_unreachable_customers_not_counted_for_territories(tmp_path: Path) -> None:
    report = validate_inputs(monaco(tmp_path, "B02", "B02_island.osm", plan={"territories": 3}))
    assert [p.message for p in report.errors] == ["3 territories requested, only 2 customers"]


def test_skip_keeps_clean_rows(tmp_path: Path) -> None:
    report = validate_inputs(bogota(tmp_path, "B23"))
    report.raise_for("skip")
    assert report.table.customers["customer_id"].tolist() == ["C01", "C02"]


def test_stop_raises_every_error(tmp_path: Path) -> None:
    report = validate_inputs(bogota(tmp_path, "B23"))
    with pytest.raises(InputError, match="The input has 4 problem"):
        report.raise_for("stop")


def test_rejects_exclude_warnings(tmp_path: Path) -> None:
    report = validate_inputs(bogota(tmp_path, "B12"))
    assert len(report.warnings) == 3
    assert report.table.rejects.empty


def test_missing_customer_file_reported(tmp_path: Path) -> None:
    report = validate_inputs(bogota(tmp_path, "B16"), tmp_path / "absent.csv")
    assert [p.code for p in report.errors] == ["file_not_found"]


def test_warnings_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    report = validate_inputs(monaco(tmp_path, "B02", "B02_island.osm"))
    with caplog.at_level(logging.WARNING, logger="gtm_optimizer.inputs.validation"):
        report.log_warnings()
    assert "customer M05" in caplog.text


def validation_log(scenario: Scenario, customers: Path, caplog: pytest.LogCaptureFixture) -> str:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.inputs.validation"):
        validate_inputs(scenario, customers)
    return caplog.text


def test_log_counts_rows_missing_column(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Five data rows without a service_min column: the file-wide error rejects no single row,
    # yet all five rows were read.
    path = tmp_path / "customers.csv"
    rows = "".join(f"C{i},4.65,-74.06,100000,1,5\n" for i in range(1, 6))
    path.write_text("customer_id,lat,lon,revenue,visits_per_week,demand\n" + rows, "utf-8")
    text = validation_log(bogota(tmp_path, "B16"), path, caplog)
    assert "Validated 5 customer rows of" in text
    assert "1 error, 0 warnings" in text


def test_log_one_row_singular(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,lat,lon,revenue,visits_per_week,demand,service_min\n"
        "C1,4.65,-74.06,100000,1,5,10\n",
        "utf-8",
    )
    text = validation_log(bogota(tmp_path, "B16", plan={"territories": 1}), path, caplog)
    assert f"Validated 1 customer row of {path}: 0 errors, 0 warnings" in text


def test_log_spanish_one_row(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,lat,lon,revenue,visits_per_week,demand,service_min\n"
        "C1,4.65,-74.06,100000,1,5,10\n",
        "utf-8",
    )
    text = validation_log(bogota(tmp_path, "B16", plan={"territories": 1}), path, caplog)
    assert f"Se validó 1 fila de clientes de {path}: 0 errores, 0 advertencias" in text


def test_log_unread_file_no_count(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "absent.csv"
    text = validation_log(bogota(tmp_path, "B16"), path, caplog)
    assert f"Validated {path} (no rows read): 1 error, 0 warnings" in text


def test_unreadable_network_names_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.osm"
    broken.write_text('<osm version="0.6"><node id="1" lat="43.7" lon=', encoding="utf-8")
    scenario = write_scenario(
        tmp_path, MONACO_SCENARIO, customers=case_file("B01"), network=broken
    )
    report = validate_inputs(scenario)
    assert [(p.code, p.file) for p in report.errors] == [("unreadable_network", str(broken))]
