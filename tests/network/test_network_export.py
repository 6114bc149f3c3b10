"""Writing travel matrices of a point file to Parquet and NumPy files, and checking the file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from network_helpers import OSM

from gtm_optimizer.errors import InputError
from gtm_optimizer.network import (
    RoadNetwork,
    TravelMatrices,
    build_matrices,
    snap_points,
    write_matrix_file,
)

AGUASCALIENTES = OSM / "aguascalientes.osm.pbf"
IDS = ["C01", "C02", "C03", "FAR", "C04"]
# FAR lies about 9.6 km north-east of the extract's corner (21.8794 N, 102.2541 W).
FAR_LAT, FAR_LON = 21.95, -102.20


@pytest.fixture(scope="module")
def point_rows(aguascalientes: RoadNetwork) -> list[tuple[str, float, float]]:
    """Four points on main-component nodes and FAR outside the extract, in file order."""
    rng = np.random.default_rng(2)
    nodes = rng.choice(sorted(aguascalientes.main_component), size=4, replace=False)
    coords = [
        (aguascalientes.graph.nodes[n]["y"], aguascalientes.graph.nodes[n]["x"]) for n in nodes
    ]
    coords.insert(3, (FAR_LAT, FAR_LON))
    return [(point_id, lat, lon) for point_id, (lat, lon) in zip(IDS, coords, strict=True)]


@pytest.fixture(scope="module")
def points_csv(tmp_path_factory: pytest.TempPathFactory, point_rows: list) -> Path:
    path = tmp_path_factory.mktemp("points") / "points.csv"
    lines = ["customer_id,lat,lon,name"]
    lines += [f"{point_id},{lat!r},{lon!r},shop {point_id}" for point_id, lat, lon in point_rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def expected(aguascalientes: RoadNetwork, point_rows: list) -> TravelMatrices:
    """The matrices computed directly, without the file round trip."""
    lat = [row[1] for row in point_rows]
    lon = [row[2] for row in point_rows]
    return build_matrices(aguascalientes, snap_points(aguascalientes, lat, lon))


@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory: pytest.TempPathFactory, points_csv: Path) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "nested" / "matrix.parquet"
    write_matrix_file(AGUASCALIENTES, points_csv, out)
    return out


@pytest.fixture(scope="module")
def npz_file(tmp_path_factory: pytest.TempPathFactory, points_csv: Path) -> Path:
    out = tmp_path_factory.mktemp("npz") / "matrix.npz"
    write_matrix_file(AGUASCALIENTES, points_csv, out)
    return out


def test_expected_far_point_unusable(expected: TravelMatrices) -> None:
    assert expected.usable.tolist() == [True, True, True, False, True]


def test_parquet_columns(parquet_file: Path) -> None:
    table = pq.read_table(parquet_file)
    assert table.column_names == ["from_id", "to_id", "duration_s", "distance_m"]
    assert str(table.schema.field("duration_s").type) == "float"


def test_parquet_rows_are_usable_pairs(parquet_file: Path) -> None:
    # Four usable points: 4 x 4 trips, their zero trips to themselves included.
    frame = pq.read_table(parquet_file).to_pandas()
    assert len(frame) == 16
    assert "FAR" not in set(frame["from_id"].astype(str)) | set(frame["to_id"].astype(str))


def test_parquet_round_trip(parquet_file: Path, expected: TravelMatrices) -> None:
    frame = pq.read_table(parquet_file).to_pandas()
    position = {point_id: i for i, point_id in enumerate(IDS)}
    rows = frame["from_id"].astype(str).map(position).to_numpy()
    cols = frame["to_id"].astype(str).map(position).to_numpy()
    np.testing.assert_array_equal(frame["duration_s"], expected.duration_s[rows, cols])
    np.testing.assert_array_equal(frame["distance_m"], expected.distance_m[rows, cols])


def test_parquet_metadata_ids(parquet_file: Path) -> None:
    metadata = json.loads(pq.read_schema(parquet_file).metadata[b"gtm_optimizer.matrix"])
    assert metadata["point_ids"] == IDS


def test_parquet_metadata_unusable(parquet_file: Path) -> None:
    metadata = json.loads(pq.read_schema(parquet_file).metadata[b"gtm_optimizer.matrix"])
    assert metadata["unusable"] == [{"customer_id": "FAR", "reason": "outside_network_area"}]


def test_parquet_metadata_settings(parquet_file: Path, aguascalientes: RoadNetwork) -> None:
    metadata = json.loads(pq.read_schema(parquet_file).metadata[b"gtm_optimizer.matrix"])
    assert metadata["profile"] == "van"
    assert metadata["max_snap_m"] == 500.0
    assert metadata["network_file"] == "aguascalientes.osm.pbf"
    assert metadata["network_hash"] == aguascalientes.content_hash
    assert metadata["source"] == "osm_road_network"


def test_npz_arrays(npz_file: Path) -> None:
    with np.load(npz_file, allow_pickle=False) as stored:
        names = sorted(stored.files)
    assert names == ["distance_m", "duration_s", "ids", "metadata", "reason", "usable"]


def test_npz_ids(npz_file: Path) -> None:
    with np.load(npz_file, allow_pickle=False) as stored:
        assert stored["ids"].tolist() == IDS


def test_npz_round_trip(npz_file: Path, expected: TravelMatrices) -> None:
    with np.load(npz_file, allow_pickle=False) as stored:
        np.testing.assert_array_equal(stored["duration_s"], expected.duration_s)
        np.testing.assert_array_equal(stored["distance_m"], expected.distance_m)
        np.testing.assert_array_equal(stored["usable"], expected.usable)


def test_npz_reason(npz_file: Path) -> None:
    with np.load(npz_file, allow_pickle=False) as stored:
        assert stored["reason"].tolist() == ["", "", "", "outside_network_area", ""]


def test_npz_unusable_row_inf(npz_file: Path) -> None:
    with np.load(npz_file, allow_pickle=False) as stored:
        assert np.isinf(stored["duration_s"][3, :]).all()


def test_npz_metadata(npz_file: Path) -> None:
    with np.load(npz_file, allow_pickle=False) as stored:
        metadata = json.loads(str(stored["metadata"]))
    assert metadata["profile"] == "van"


def test_returns_matrices(points_csv: Path, tmp_path: Path, expected: TravelMatrices) -> None:
    matrices = write_matrix_file(AGUASCALIENTES, points_csv, tmp_path / "m.npz")
    np.testing.assert_array_equal(matrices.duration_s, expected.duration_s)


def test_leaves_only_output(points_csv: Path, tmp_path: Path) -> None:
    write_matrix_file(AGUASCALIENTES, points_csv, tmp_path / "m.parquet")
    write_matrix_file(AGUASCALIENTES, points_csv, tmp_path / "m.parquet")
    assert [path.name for path in tmp_path.iterdir()] == ["m.parquet"]


def test_truck_profile_recorded(points_csv: Path, tmp_path: Path) -> None:
    write_matrix_file(AGUASCALIENTES, points_csv, tmp_path / "m.npz", profile="truck")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as stored:
        assert json.loads(str(stored["metadata"]))["profile"] == "truck"


def test_max_snap_recorded(points_csv: Path, tmp_path: Path) -> None:
    # The C points lie on nodes, 0 m from a road, so a 1 mm limit keeps them usable.
    write_matrix_file(AGUASCALIENTES, points_csv, tmp_path / "m.npz", max_snap_m=0.001)
    with np.load(tmp_path / "m.npz", allow_pickle=False) as stored:
        assert json.loads(str(stored["metadata"]))["max_snap_m"] == 0.001
        assert stored["usable"].tolist() == [True, True, True, False, True]


def test_cache_dir_used(points_csv: Path, tmp_path: Path) -> None:
    write_matrix_file(AGUASCALIENTES, points_csv, tmp_path / "m.npz", cache_dir=tmp_path / "c")
    assert len(list((tmp_path / "c").glob("matrices-*.npz"))) == 1


def test_unsupported_suffix(points_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unsupported matrix file type '\.csv'"):
        write_matrix_file(AGUASCALIENTES, points_csv, tmp_path / "m.csv")
    assert list(tmp_path.iterdir()) == []


def write_points(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(points: Path, out: Path) -> list:
    with pytest.raises(InputError, match="problem") as caught:
        write_matrix_file(AGUASCALIENTES, points, out)
    return caught.value.problems


def test_missing_column(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", "customer_id,lat\nA,21.88\n")
    with pytest.raises(InputError, match="required column 'lon' is missing") as caught:
        write_matrix_file(AGUASCALIENTES, points, tmp_path / "m.npz")
    assert caught.value.problems[0].column == "lon"
    assert caught.value.problems[0].file == str(points)


def test_no_points(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", "customer_id,lat,lon\n")
    with pytest.raises(InputError, match="the file has no points"):
        write_matrix_file(AGUASCALIENTES, points, tmp_path / "m.npz")


def test_blank_coordinate(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", "customer_id,lat,lon\nA,21.88,-102.29\nB,,-102.29\n")
    problem = problems_of(points, tmp_path / "m.npz")[0]
    assert problem.code == "missing_coordinate"
    assert problem.line == 3
    assert problem.column == "lat"
    assert problem.customer_id == "B"


def test_non_numeric_coordinate(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", 'customer_id,lat,lon\nA,21.88,"-102,29"\n')
    problem = problems_of(points, tmp_path / "m.npz")[0]
    assert problem.code == "invalid_coordinate"
    assert problem.column == "lon"
    assert problem.value == "-102,29"
    assert "dot as decimal mark" in problem.fix


def test_nan_coordinate(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", "customer_id,lat,lon\nA,nan,-102.29\n")
    assert problems_of(points, tmp_path / "m.npz")[0].code == "invalid_coordinate"


def test_out_of_range_coordinate(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", "customer_id,lat,lon\nA,-102.29,21.88\n")
    problem = problems_of(points, tmp_path / "m.npz")[0]
    assert problem.code == "coordinate_out_of_range"
    assert problem.column == "lat"
    assert "swapped" in problem.fix


def test_duplicate_ids(tmp_path: Path) -> None:
    # Ids are compared ignoring case and surrounding spaces.
    text = "customer_id,lat,lon\nA1,21.88,-102.29\nB,21.88,-102.29\n a1 ,21.87,-102.28\n"
    problems = problems_of(write_points(tmp_path / "p.csv", text), tmp_path / "m.npz")
    assert [(p.code, p.line) for p in problems] == [("duplicate_id", 2), ("duplicate_id", 4)]
    assert "lines 2, 4" in problems[0].message


def test_blank_id(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", "customer_id,lat,lon\n,21.88,-102.29\n")
    problem = problems_of(points, tmp_path / "m.npz")[0]
    assert problem.code == "missing_id"
    assert problem.line == 2


def test_every_problem_reported(tmp_path: Path) -> None:
    text = "customer_id,lat,lon\nA,x,-102.29\nB,21.88,\nA,21.88,-102.29\n"
    problems = problems_of(write_points(tmp_path / "p.csv", text), tmp_path / "m.npz")
    codes = [(p.line, p.code) for p in problems]
    expected = [
        (2, "duplicate_id"),
        (2, "invalid_coordinate"),
        (3, "missing_coordinate"),
        (4, "duplicate_id"),
    ]
    assert codes == expected


def test_bad_points_write_nothing(tmp_path: Path) -> None:
    points = write_points(tmp_path / "p.csv", "customer_id,lat,lon\nA,,-102.29\n")
    problems_of(points, tmp_path / "out" / "m.parquet")
    assert not (tmp_path / "out").exists()


def test_missing_points_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        write_matrix_file(AGUASCALIENTES, tmp_path / "absent.csv", tmp_path / "m.npz")
