"""Customer master loading and validation, on the field-reported fault files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from input_helpers import CASE_COLUMNS

from gtm_optimizer.inputs.customers import load_customers
from gtm_optimizer.inputs.geography import check_service_area

BOGOTA_BBOX = (-74.20, 4.50, -73.95, 4.80)


def load_case(data_dir: Path, name: str, **options: object):
    return load_customers(data_dir / "cases" / f"{name}.csv", columns=CASE_COLUMNS, **options)


def problems_of(table, customer_id: str) -> list:
    return [p for p in table.problems if p.customer_id == customer_id]


def test_clean_file_parses_types(data_dir: Path) -> None:
    table = load_case(data_dir, "B16")
    customers = table.customers
    assert table.problems == []
    assert list(customers["customer_id"]) == ["C01", "C02", "C03"]
    assert customers["lat"].iloc[0] == pytest.approx(4.6486)
    assert customers["service_s"].iloc[2] == pytest.approx(20 * 60)
    assert customers["tw_start_s"].iloc[0] == pytest.approx(8 * 3600)
    assert customers["tw_end_s"].iloc[0] == pytest.approx(17 * 3600)
    assert customers["volume_per_week"].iloc[1] == pytest.approx(8.0)
    assert customers["line"].tolist() == [2, 3, 4]


def test_fractional_demand_kept(data_dir: Path) -> None:
    table = load_case(data_dir, "B09")
    assert table.customers["volume_per_visit"].tolist() == pytest.approx([0.4, 0.6, 0.7, 0.8, 0.9])


def test_blank_nan_and_comma_coordinates(data_dir: Path) -> None:
    table = load_case(data_dir, "B06")
    assert sorted({p.customer_id for p in table.problems}) == ["C02", "C04", "C05"]
    blank = problems_of(table, "C02")[0]
    assert (blank.code, blank.line, blank.column) == ("blank_value", 3, "lat")
    nan = problems_of(table, "C04")[0]
    assert (nan.code, nan.column, nan.value) == ("not_a_number", "lon", "NaN")
    comma = problems_of(table, "C05")[0]
    assert (comma.code, comma.value) == ("decimal_comma", "4,6350")
    assert "decimal_comma: true" in comma.fix
    assert table.customers["customer_id"].tolist() == ["C01", "C03"]
    assert table.customers["lat"].dtype == np.float64


def test_decimal_comma_accepted_when_enabled(data_dir: Path) -> None:
    table = load_case(data_dir, "B06", decimal_comma=True)
    assert sorted({p.customer_id for p in table.problems}) == ["C02", "C04"]
    c05 = table.customers.set_index("customer_id").loc["C05"]
    assert c05["lat"] == pytest.approx(4.635)


def test_duplicates_by_case_and_spaces(data_dir: Path) -> None:
    table = load_case(data_dir, "B23")
    duplicated = [p for p in table.problems if p.code == "duplicate_id"]
    assert sorted((p.customer_id, p.line) for p in duplicated) == [
        ("C03", 4),
        ("C03", 5),
        ("C05", 6),
        ("c05", 7),
    ]
    assert "lines 4, 5" in duplicated[0].message
    assert table.customers["customer_id"].tolist() == ["C01", "C02"]


def test_rejects_one_row_per_problem(data_dir: Path) -> None:
    table = load_case(data_dir, "B23")
    assert table.rejects["line"].tolist() == [4, 5, 6, 7]
    assert set(table.rejects["reason"]) == {"duplicate_id"}


def test_impossible_frequencies(data_dir: Path) -> None:
    table = load_case(data_dir, "B24")
    by_id = {p.customer_id: p for p in table.problems}
    assert sorted(by_id) == ["C03", "C04", "C05"]
    assert "7 visits per week > 5 working days" in by_id["C03"].message
    assert "0 visits" in by_id["C04"].message
    assert by_id["C05"].value == "2.5"
    assert table.customers.set_index("customer_id").loc["C01", "visits_per_week"] == 3


def test_null_island_rejected(data_dir: Path) -> None:
    table = load_case(data_dir, "B07")
    assert [(p.customer_id, p.code) for p in table.problems] == [("C07", "null_island")]


def test_outside_area_reports_distance(data_dir: Path) -> None:
    table = load_case(data_dir, "B07")
    problems = check_service_area(table.customers, (-74.12, 4.58, -74.03, 4.70), file="B07.csv")
    assert [(p.customer_id, p.code) for p in problems] == [("C06", "outside_network_area")]
    assert "km from its edge" in problems[0].message


def test_swapped_coordinates_named(data_dir: Path) -> None:
    table = load_case(data_dir, "B04")
    assert table.problems == []
    problems = check_service_area(table.customers, BOGOTA_BBOX, file="B04.csv")
    assert [(p.customer_id, p.code) for p in problems] == [
        ("C02", "swapped_lat_lon"),
        ("C04", "swapped_lat_lon"),
    ]
    assert "would fall inside if lat and lon were swapped" in problems[0].message


def test_missing_column_lists_found(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    pd.DataFrame({"customer_id": ["A"], "lat": [4.6], "lon": [-74.1]}).to_csv(path, index=False)
    table = load_customers(path)
    missing = sorted(p.column for p in table.problems)
    assert missing == ["revenue_per_week", "service_min", "visits_per_week", "volume_per_week"]
    assert "Columns found: customer_id, lat, lon" in table.problems[0].fix


def test_missing_volume_names_alternative(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    pd.DataFrame({"customer_id": ["A"], "lat": [4.6], "lon": [-74.1]}).to_csv(path, index=False)
    volume = [p for p in load_customers(path).problems if p.column == "volume_per_week"]
    message = "required column 'volume_per_week' (or 'volume_per_visit') is missing"
    assert [p.message for p in volume] == [message]


def test_missing_volume_similar_alternative(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    columns = ["customer_id", "lat", "lon", "revenue_per_week", "visits_per_week", "service_min"]
    frame = pd.DataFrame({name: ["1"] for name in [*columns, "Volume_Per_Visit"]})
    frame.to_csv(path, index=False)
    problems = load_customers(path).problems
    assert [p.fix for p in problems] == [
        "Column 'Volume_Per_Visit' looks like it; rename it to 'volume_per_visit' or map it "
        "under inputs.columns."
    ]


def test_missing_column_found_list_cut(tmp_path: Path) -> None:
    # Ten extra columns besides customer_id: the fix names the first 8 found and counts 3.
    path = tmp_path / "customers.csv"
    names = ["customer_id", *(f"extra_{i}" for i in range(1, 11))]
    pd.DataFrame({name: ["1"] for name in names}).to_csv(path, index=False)
    fix = load_customers(path).problems[0].fix
    listed = "customer_id, extra_1, extra_2, extra_3, extra_4, extra_5, extra_6, extra_7"
    assert fix.endswith(f"Columns found: {listed} and 3 more columns")


def test_windows_half_reversed_and_bad_time(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,lat,lon,revenue_per_week,volume_per_week,visits_per_week,service_min,"
        "tw_start,tw_end\n"
        "A,4.6,-74.1,100,1,1,10,09:00,\n"
        "B,4.6,-74.1,100,1,1,10,12:00,08:00\n"
        "C,4.6,-74.1,100,1,1,10,9h,12:00\n"
        "D,4.6,-74.1,100,1,1,10,7:30,12:00\n",
        encoding="utf-8",
    )
    table = load_customers(path)
    codes = {p.customer_id: p.code for p in table.problems}
    assert codes == {"A": "half_window", "B": "reversed_window", "C": "invalid_time"}
    assert table.customers["tw_start_s"].tolist() == [7.5 * 3600]


def test_excel_and_parquet_match_csv(data_dir: Path, tmp_path: Path) -> None:
    source = pd.read_csv(data_dir / "cases" / "B16.csv", dtype=str)
    source.to_excel(tmp_path / "c.xlsx", index=False)
    source.to_parquet(tmp_path / "c.parquet")
    csv = load_case(data_dir, "B16").customers
    for name in ("c.xlsx", "c.parquet"):
        other = load_customers(tmp_path / name, columns=CASE_COLUMNS).customers
        pd.testing.assert_frame_equal(other, csv)


def test_geojson_points_become_coordinates(data_dir: Path, tmp_path: Path) -> None:
    import geopandas as gpd

    source = pd.read_csv(data_dir / "cases" / "B16.csv")
    frame = gpd.GeoDataFrame(
        source.drop(columns=["lat", "lon"]),
        geometry=gpd.points_from_xy(source["lon"], source["lat"]),
        crs=4326,
    )
    frame.to_file(tmp_path / "c.geojson", driver="GeoJSON")
    loaded = load_customers(tmp_path / "c.geojson", columns=CASE_COLUMNS).customers
    assert loaded["lat"].tolist() == pytest.approx(source["lat"].tolist())


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    from gtm_optimizer.errors import InputError

    with pytest.raises(InputError, match="file not found"):
        load_customers(tmp_path / "absent.csv")


HEADER = (
    "customer_id,lat,lon,revenue_per_week,volume_per_week,visits_per_week,service_min,"
    "tw_start,tw_end\n"
)


def write_customers(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("start", "seconds"),
    [
        ("7:30", 27000.0),
        ("07:30:15", 27015.0),
        ("7:30 PM", 70200.0),
        ("7 p. m.", 68400.0),
        ("12:00 AM", 0.0),
    ],
)
def test_clock_forms(tmp_path: Path, start: str, seconds: float) -> None:
    path = write_customers(tmp_path, f"A,4.6,-74.1,100,1,1,10,{start},23:59\n")
    table = load_customers(path)
    assert table.customers["tw_start_s"].tolist() == [seconds]


def test_seconds_option(tmp_path: Path) -> None:
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,28800,86400\n")
    table = load_customers(path, time_format="seconds")
    assert table.customers["tw_start_s"].tolist() == [28800.0]
    assert table.customers["tw_end_s"].tolist() == [86400.0]


def test_seconds_above_day_rejected(tmp_path: Path) -> None:
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,28800,90000\n")
    problem = load_customers(path, time_format="seconds").problems[0]
    assert (problem.code, problem.column, problem.value) == ("invalid_time", "tw_end", "90000")
    assert "above 86400" in problem.message


def test_clock_in_seconds_mode_rejected(tmp_path: Path) -> None:
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,08:00,12:00\n")
    problem = load_customers(path, time_format="seconds").problems[0]
    assert "inputs.time_format: clock" in problem.fix


def test_seconds_in_clock_mode_names_option(tmp_path: Path) -> None:
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,28800,43200\n")
    problem = load_customers(path).problems[0]
    assert (problem.code, problem.value) == ("invalid_time", "28800")
    assert "inputs.time_format: seconds" in problem.fix


def test_seconds_columns_by_header(tmp_path: Path) -> None:
    header = HEADER.replace("tw_start,tw_end", "tw_start_s,tw_end_s")
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,28800,43200\n", header)
    assert load_customers(path).customers["tw_end_s"].tolist() == [43200.0]


def test_clock_and_seconds_columns_ambiguous(tmp_path: Path) -> None:
    header = HEADER.replace("tw_end\n", "tw_end,tw_start_s\n")
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,08:00,12:00,28800\n", header)
    table = load_customers(path)
    assert [(p.code, p.line) for p in table.problems] == [("ambiguous_column", None)]
    assert table.customers.empty


def test_reversed_window_fix_names_midnight(tmp_path: Path) -> None:
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,22:00,02:00\n")
    problem = load_customers(path).problems[0]
    assert problem.code == "reversed_window"
    assert "cannot cross midnight" in problem.fix


def test_zero_width_window_kept(tmp_path: Path) -> None:
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,30,14:00,14:00\n")
    table = load_customers(path)
    assert table.customers["tw_end_s"].tolist() == [14 * 3600.0]


def test_depot_rows_reported_once(data_dir: Path) -> None:
    table = load_case(data_dir, "B21")
    assert [(p.customer_id, p.code, p.line) for p in table.problems] == [
        ("D_N", "depot_row", 2),
        ("D_S", "depot_row", 3),
    ]
    assert table.customers["customer_id"].tolist() == ["C01", "C02", "C03", "C04"]


def test_unknown_role_rejected(tmp_path: Path) -> None:
    header = "role," + HEADER
    path = write_customers(tmp_path, "shop,A,4.6,-74.1,100,1,1,10,,\n", header)
    problem = load_customers(path).problems[0]
    assert (problem.code, problem.value) == ("invalid_role", "shop")


def test_missing_column_suggests_case(tmp_path: Path) -> None:
    header = HEADER.replace("lat,", "Lat,")
    path = write_customers(tmp_path, "A,4.6,-74.1,100,1,1,10,,\n", header)
    problem = load_customers(path).problems[0]
    assert problem.column == "lat"
    assert "Column 'Lat' looks like it" in problem.fix


def test_header_only_file_reported(tmp_path: Path) -> None:
    table = load_customers(write_customers(tmp_path, ""))
    assert [p.code for p in table.problems] == ["no_rows"]


def test_thousands_comma_not_read_as_decimal(tmp_path: Path) -> None:
    path = write_customers(tmp_path, 'A,4.6,-74.1,"1,000",1,1,10,,\n')
    problem = load_customers(path).problems[0]
    assert (problem.code, problem.column, problem.value) == (
        "decimal_comma",
        "revenue_per_week",
        "1,000",
    )
    assert "separate thousands" in problem.fix


@pytest.mark.parametrize("value", ["1_000", "0x10", "inf", "12 cajas", "١٢"])
def test_loose_numbers_rejected(tmp_path: Path, value: str) -> None:
    path = write_customers(tmp_path, f"A,4.6,-74.1,{value},1,1,10,,\n")
    problem = load_customers(path).problems[0]
    assert (problem.code, problem.value) == ("not_a_number", value)


def test_problems_ordered_by_line(data_dir: Path) -> None:
    table = load_case(data_dir, "B06")
    assert [p.line for p in table.problems] == [3, 5, 6]


def test_semicolon_file_with_decimal_commas(tmp_path: Path) -> None:
    header = HEADER.replace(",", ";")
    path = write_customers(tmp_path, "A;4,6;-74,1;100,5;1;1;10;;\n", header)
    table = load_customers(path, decimal_comma=True)
    assert table.customers["revenue_per_week"].tolist() == [100.5]
