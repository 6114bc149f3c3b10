"""The ``matrix`` command writes the matrices of a points file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from gtm_optimizer.cli import app

POINTS = "customer_id,lat,lon\nA,21.8700,-102.2750\nB,21.8650,-102.2800\nC,21.8750,-102.2650\n"


def test_matrix_npz_written(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    points = tmp_path / "points.csv"
    points.write_text(POINTS, encoding="utf-8")
    out = tmp_path / "m.npz"
    outcome = CliRunner().invoke(app, ["matrix", str(data_dir / "osm" / "aguascalientes.osm.pbf"),
                                       str(points), "--out", str(out), "--lang", "en"])
    assert outcome.exit_code == 0, outcome.output
    assert "3 of 3 points" in outcome.output
    with np.load(out, allow_pickle=False) as data:
        assert list(data["ids"]) == ["A", "B", "C"]
        duration = data["duration_s"]
    assert duration.shape == (3, 3)
    assert np.all(np.diag(duration) == 0)
    assert np.all(duration[~np.eye(3, dtype=bool)] > 0)


def test_matrix_missing_points_exit_2(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    outcome = CliRunner().invoke(app, ["matrix", str(data_dir / "osm" / "aguascalientes.osm.pbf"),
                                       str(tmp_path / "absent.csv"), "--out",
                                       str(tmp_path / "m.npz"), "--lang", "en"])
    assert outcome.exit_code == 2
    assert "file not found" in outcome.output
    assert "Traceback" not in outcome.output
