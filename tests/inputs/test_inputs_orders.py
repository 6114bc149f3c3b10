"""A day's orders: the same problem reporting as the customer master."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_optimizer.errors import InputError
from gtm_optimizer.inputs.orders import ORDER_COLUMNS, load_orders

KNOWN = ("C01", "C02", "C03")


def write_orders(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_orders_parse(tmp_path: Path) -> None:
    path = write_orders(
        tmp_path, "customer_id,volume,tw_start,tw_end\nC01,5,08:00,10:00\nC02,2.5,,\n"
    )
    table = load_orders(path, known_ids=KNOWN)
    assert table.problems == []
    assert list(table.orders.columns) == list(ORDER_COLUMNS)
    assert table.orders["volume"].tolist() == [5.0, 2.5]
    assert table.orders["tw_end_s"].iloc[0] == 10 * 3600.0
    assert table.orders["is_new"].tolist() == [False, False]


def test_duplicate_orders_listed_with_lines(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "customer_id,volume\nC01,5\nC02,1\nc01 ,3\n")
    table = load_orders(path, known_ids=KNOWN)
    duplicated = [(p.customer_id, p.line) for p in table.problems if p.code == "duplicate_id"]
    assert duplicated == [("C01", 2), ("c01", 4)]
    assert "lines 2, 4" in table.problems[0].message
    assert table.orders["customer_id"].tolist() == ["C02"]


def test_known_id_matched_ignoring_case(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "customer_id,volume\n c02,1\n")
    table = load_orders(path, known_ids=KNOWN)
    assert table.orders["is_new"].tolist() == [False]
    assert table.orders["key"].tolist() == ["c02"]


def test_new_customer_needs_coordinates(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "customer_id,volume,lat,lon\nN01,4,4.6,-74.1\nN02,4,,\n")
    table = load_orders(path, known_ids=KNOWN)
    assert [(p.customer_id, p.code, p.line) for p in table.problems] == [
        ("N02", "unknown_customer", 3)
    ]
    assert table.orders["is_new"].tolist() == [True]


def test_half_coordinates_rejected(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "customer_id,volume,lat,lon\nC01,4,4.6,\n")
    problem = load_orders(path, known_ids=KNOWN).problems[0]
    assert (problem.code, problem.column, problem.value) == ("half_coordinates", "lon", "4.6,")


def test_bad_cells_all_reported(tmp_path: Path) -> None:
    path = write_orders(
        tmp_path,
        "customer_id,volume,tw_start,tw_end,lat,lon\n"
        "C01,-1,10:00,09:00,,\n"
        ",2,,,,\n"
        "N01,x,9h,12:00,0,0\n",
    )
    table = load_orders(path, known_ids=KNOWN)
    found = sorted((p.line, p.column, p.code) for p in table.problems)
    assert found == [
        (2, "tw_end", "reversed_window"),
        (2, "volume", "out_of_range"),
        (3, "customer_id", "missing_id"),
        (4, "lat", "null_island"),
        (4, "tw_start", "invalid_time"),
        (4, "volume", "not_a_number"),
    ]
    assert table.orders.empty


def test_decimal_comma_option(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "customer_id;volume\nC01;2,5\n")
    assert load_orders(path, decimal_comma=True).orders["volume"].tolist() == [2.5]


def test_seconds_windows(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "customer_id,volume,tw_start,tw_end\nC01,1,28800,36000\n")
    table = load_orders(path, time_format="seconds")
    assert table.orders["tw_start_s"].tolist() == [28800.0]


def test_mapped_columns(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "codigo,cajas\nC01,3\n")
    table = load_orders(path, columns={"customer_id": "codigo", "volume": "cajas"})
    assert table.orders["volume"].tolist() == [3.0]


def test_missing_column_reported(tmp_path: Path) -> None:
    table = load_orders(write_orders(tmp_path, "customer_id,qty\nC01,3\n"))
    assert [(p.code, p.column) for p in table.problems] == [("missing_column", "volume")]
    assert "Columns found: customer_id, qty" in table.problems[0].fix


def test_rejects_one_row_per_error(tmp_path: Path) -> None:
    path = write_orders(tmp_path, "customer_id,volume\nC01,x\nC02,1\n")
    table = load_orders(path)
    assert table.rejects[["line", "customer_id", "reason"]].values.tolist() == [
        [2, "C01", "not_a_number"]
    ]


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_orders(tmp_path / "absent.csv")
