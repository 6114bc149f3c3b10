"""Reading table files as text: line numbers, separators, encodings and malformed rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_optimizer.errors import InputError
from gtm_optimizer.inputs.readers import read_rows, read_table


def write(tmp_path: Path, text: str, name: str = "t.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_lines_skip_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,lat\nA,1\n\nB,2\n,\nC,3\n")
    frame = read_table(path)
    assert frame["line"].tolist() == [2, 4, 6]


def test_lines_after_quoted_line_break(tmp_path: Path) -> None:
    path = write(tmp_path, 'customer_id,name\nA,"two\nlines"\nB,x\n')
    frame = read_table(path)
    assert frame["line"].tolist() == [2, 4]


def test_quoted_line_break_kept(tmp_path: Path) -> None:
    path = write(tmp_path, 'customer_id,name\nA,"two\nlines"\n')
    assert read_table(path)["name"].tolist() == ["two\nlines"]


def test_semicolon_separator(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id;lat;lon\nC05;4,6350;-74,09\n")
    frame = read_table(path)
    assert frame["lat"].tolist() == ["4,6350"]


def test_tab_separator(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id\tlat\nC05\t4.6350\n", name="t.txt")
    assert read_table(path)["lat"].tolist() == ["4.6350"]


def test_byte_order_mark_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffcustomer_id,lat\nA,1\n")
    assert list(read_table(path).columns) == ["line", "customer_id", "lat"]


def test_windows_1252_fallback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, "customer_id,name\nA,Panadería\n", encoding="cp1252")
    frame = read_table(path)
    assert frame["name"].tolist() == ["Panadería"]
    assert "is not UTF-8" in caplog.text


def test_too_many_values_is_row_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,lat,lon\nC01,4.6,-74.1\nC05,4,6350,-74.09\nC06,4.7,-74\n")
    raw = read_rows(path)
    assert raw.frame["customer_id"].tolist() == ["C01", "C06"]
    problem = raw.problems[0]
    assert (problem.code, problem.line, problem.customer_id) == ("too_many_values", 3, "C05")
    assert problem.value == "C05,4,6350,-74.09"
    assert "4 values but the header has 3 columns" in problem.message


def test_trailing_empty_values_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,lat\nA,1,,\n")
    raw = read_rows(path)
    assert raw.problems == ()
    assert raw.frame["lat"].tolist() == ["1"]


def test_short_row_padded_blank(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,lat,lon\nA,1\n")
    assert read_table(path)["lon"].tolist() == [""]


def test_too_many_values_raised_by_read_table(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,lat\nA,4,6\n")
    with pytest.raises(InputError, match=r"line 2.*3 values but the header has 2 columns"):
        read_table(path)


def test_repeated_column_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,lat,lat\nA,1,2\n")
    with pytest.raises(
        InputError,
        match=r"column 'lat' appears 2 times in the header \(columns "
        r"2, 3\)",
    ):
        read_table(path)


def test_line_column_reserved(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,line\nA,1\n")
    with pytest.raises(InputError, match="column name 'line' is reserved"):
        read_table(path)


def test_empty_file_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        read_table(write(tmp_path, "\n\n"))


def test_unknown_suffix_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unsupported file type '\.dbf'"):
        read_table(write(tmp_path, "x", name="t.dbf"))


def test_excel_blank_row_keeps_numbers(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["customer_id", "lat"], ["A", "4.6"], [], ["B", 4.7]):
        sheet.append(row)
    book.save(tmp_path / "t.xlsx")
    frame = read_table(tmp_path / "t.xlsx")
    assert frame["line"].tolist() == [2, 4]
