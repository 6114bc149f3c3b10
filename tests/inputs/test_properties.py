"""Property tests of the customer loader: no malformed row crashes it, valid rows round-trip."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtm_optimizer.inputs.customers import load_customers

COLUMNS = (
    "customer_id",
    "name",
    "lat",
    "lon",
    "revenue_per_week",
    "volume_per_week",
    "visits_per_week",
    "service_min",
    "tw_start",
    "tw_end",
    "locked",
    "closed_days",
)
TRICKY = (
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "4,6350",
    "1,000",
    "1e400",
    "0",
    "-1",
    "25:00",
    "7 PM",
    "12:00 am",
    "24:00",
    "08:00:00",
    "86400",
    "Sat+Sun",
    "sí",
    "x",
    '"',
    ";",
    "\n",
    "0x10",
    "١٢",
)
FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# CSV readers and editors take a bare carriage return as a line break, and pandas writes it
# unquoted, so it would split the row in two. Quoted line feeds stay in TRICKY.
cells = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r"), max_size=12),
    st.sampled_from(TRICKY),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
rows = st.lists(st.fixed_dictionaries(dict.fromkeys(COLUMNS, cells)), min_size=1, max_size=8)


def _write(frame: pd.DataFrame, folder: str) -> Path:
    path = Path(folder) / "customers.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


@FAST
@given(rows)
def test_malformed_rows_give_problems(records: list[dict[str, str]]) -> None:
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    with tempfile.TemporaryDirectory() as folder:
        table = load_customers(_write(frame, folder))

    filled = frame.apply(lambda column: column.str.strip() != "").any(axis=1)
    rejected_lines = {p.line for p in table.problems if p.is_error and p.line is not None}
    file_wide = {p.code for p in table.problems if p.line is None}
    assert len(table.customers) + len(rejected_lines) == int(filled.sum())
    assert file_wide == ({"no_rows"} if not filled.any() else set())
    assert not set(table.customers.get("line", [])) & rejected_lines
    assert table.customers.get("lat", pd.Series(dtype=float)).notna().all()


ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_", min_size=1, max_size=8)
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    max_size=15,
)
latitudes = st.floats(min_value=-89.9, max_value=89.9, allow_nan=False).filter(lambda v: v != 0)
longitudes = st.floats(min_value=-179.9, max_value=179.9, allow_nan=False)
amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)
minutes = st.integers(min_value=0, max_value=24 * 60)


@st.composite
def valid_tables(draw: st.DrawFn) -> pd.DataFrame:
    keys = draw(st.lists(ids, min_size=1, max_size=8, unique_by=str.casefold))
    records = []
    for key in keys:
        start, end = sorted(draw(st.tuples(minutes, minutes)))
        windowed = draw(st.booleans())
        records.append(
            {
                "customer_id": key,
                "name": draw(names),
                "lat": draw(latitudes),
                "lon": draw(longitudes),
                "revenue_per_week": draw(amounts),
                "volume_per_week": draw(amounts),
                "visits_per_week": draw(st.sampled_from([0.25, 0.5, 1, 2, 3, 4, 5])),
                "service_min": draw(st.floats(min_value=0, max_value=600, allow_nan=False)),
                "tw_start": f"{start // 60:02d}:{start % 60:02d}" if windowed else "",
                "tw_end": f"{end // 60:02d}:{end % 60:02d}" if windowed else "",
            }
        )
    return pd.DataFrame(records)


@FAST
@given(valid_tables())
def test_valid_rows_round_trip(frame: pd.DataFrame) -> None:
    with tempfile.TemporaryDirectory() as folder:
        table = load_customers(_write(frame, folder))

    customers = table.customers
    assert table.problems == []
    assert customers["customer_id"].tolist() == frame["customer_id"].tolist()
    assert customers["name"].tolist() == frame["name"].tolist()
    for column in ("lat", "lon", "revenue_per_week", "volume_per_week", "visits_per_week"):
        assert customers[column].tolist() == frame[column].astype(float).tolist(), column
    assert customers["service_s"].tolist() == (60.0 * frame["service_min"]).tolist()
    windowed = frame["tw_start"] != ""
    expected_start_s = [60.0 * (int(t[:2]) * 60 + int(t[3:])) for t in frame["tw_start"][windowed]]
    assert customers["tw_start_s"][windowed.to_numpy()].tolist() == expected_start_s
    assert customers["tw_start_s"][~windowed.to_numpy()].isna().all()
