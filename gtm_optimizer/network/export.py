"""Export of road travel matrices between the points of a file, for other tools and notebooks.

Two layouts, chosen by the output file's suffix.

``.parquet`` contains one row per finite trip, in row-major order of the input points, a
point's zero trip to itself included:

=============  ==========================  ============================================
column         type                        meaning
=============  ==========================  ============================================
from_id        string (dictionary-coded)   ``customer_id`` of the origin
to_id          string (dictionary-coded)   ``customer_id`` of the destination
duration_s     float32                     travel time in seconds
distance_m     float32                     distance of the fastest trip in metres
=============  ==========================  ============================================

Unusable points have no rows. The schema metadata key ``gtm_optimizer.matrix`` holds a JSON
object with ``format_version``, ``point_ids`` (every id in input order), ``unusable`` (a
list of ``{"customer_id", "reason"}``) and the settings the matrices were built with:
``source``, ``network_file``, ``network_hash``, ``profile`` and ``max_snap_m``. Read it with
``json.loads(pyarrow.parquet.read_schema(path).metadata[b"gtm_optimizer.matrix"])``.

``.npz`` contains the arrays ``ids`` (n), ``duration_s`` and ``distance_m`` (n, n float32,
``inf`` in the rows and columns of unusable points), ``usable`` (n bool), ``reason`` (n, ``""``
for usable points) and ``metadata`` (the same JSON object without the id lists). Every
array is plain text or numbers, so ``numpy.load(path)`` reads it without pickle.

A reason is one of ``outside_network_area``, ``too_far_from_road``,
``unreachable_one_way`` and ``unreachable_island``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gtm_optimizer.errors import InputError, Problem
from gtm_optimizer.i18n import _
from gtm_optimizer.network.matrix import build_matrices
from gtm_optimizer.network.point_file import PointFile, read_point_file
from gtm_optimizer.network.road import RoadNetwork, load_network
from gtm_optimizer.network.snapping import Snapping, snap_points
from gtm_optimizer.network.travel_matrices import TravelMatrices

logger = logging.getLogger(__name__)

#: Output suffixes :func:`write_matrix_file` writes.
MATRIX_FILE_SUFFIXES = (".parquet", ".npz")

#: Schema metadata key of the Parquet layout.
PARQUET_METADATA_KEY = b"gtm_optimizer.matrix"

# Raise it when the layout of either format changes.
MATRIX_FILE_VERSION = 1


def write_matrix_file(
    network_path: Path,
    points_path: Path,
    out_path: Path,
    *,
    profile: str = "van",
    max_snap_m: float = 500.0,
    cache_dir: Path | None = None,
) -> TravelMatrices:
    """Compute the road travel matrices between the points of a file and write them.

    Parameters
    ----------
    network_path
        Road network file (``.osm``, ``.osm.pbf``, ``.osm.bz2``, ``.osm.gz``, ``.graphml``).
    points_path
        CSV file with ``customer_id``, ``lat`` and ``lon`` columns.
    out_path
        Output file; its suffix, ``.parquet`` or ``.npz``, chooses the layout described in
        this module's documentation. Missing folders are created, and the file appears
        complete or not at all.
    profile
        Vehicle profile: ``"car"``, ``"van"``, ``"truck"`` or ``"motorcycle"``.
    max_snap_m
        Points farther than this from any road are unusable.
    cache_dir
        Folder of the matrix cache; None disables caching.

    Returns
    -------
    TravelMatrices
        The matrices written, in the order of the point file.

    Raises
    ------
    InputError
        If ``out_path`` has another suffix, or the point file is unreadable, lacks a column,
        or has a blank or duplicated id or a blank, non-numeric or out-of-range coordinate.
    NetworkError
        If the road network file cannot be read or has no drivable road.
    ValueError
        If ``profile`` is unknown or ``max_snap_m`` is not positive.
    """
    started = time.perf_counter()
    out_path = Path(out_path)
    suffix = _check_suffix(out_path)
    points = read_point_file(Path(points_path))
    network = load_network(Path(network_path), profile=profile)
    snapping = snap_points(network, points.lat, points.lon, max_snap_m=max_snap_m)
    matrices = build_matrices(network, snapping, cache_dir=cache_dir)

    metadata = _metadata(network, snapping, matrices)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        n_rows = _write_atomically(
            out_path, lambda path: _write_parquet(path, points, snapping, matrices, metadata)
        )
    else:
        n_rows = _write_atomically(
            out_path, lambda path: _write_npz(path, points, snapping, matrices, metadata)
        )
    logger.info(
        _(
            "Wrote {n}x{n} travel matrices ({usable} usable points, {rows} rows) to {path} "
            "in {seconds:.2f} s"
        ).format(
            n=matrices.n_points,
            usable=int(matrices.usable.sum()),
            rows=n_rows,
            path=out_path,
            seconds=time.perf_counter() - started,
        )
    )
    return matrices


def _check_suffix(out_path: Path) -> str:
    suffix = out_path.suffix.lower()
    if suffix not in MATRIX_FILE_SUFFIXES:
        raise InputError(
            [
                Problem(
                    code="unsupported_format",
                    message=_("unsupported matrix file type {suffix!r}").format(suffix=suffix),
                    fix=_("Name the output file .parquet or .npz."),
                    file=str(out_path),
                    value=out_path.name,
                )
            ]
        )
    return suffix


def _metadata(
    network: RoadNetwork, snapping: Snapping, matrices: TravelMatrices
) -> dict[str, Any]:
    return {
        "format_version": MATRIX_FILE_VERSION,
        "source": matrices.source,
        "network_file": network.source.name,
        "network_hash": network.content_hash,
        "profile": network.profile.name,
        "max_snap_m": snapping.max_snap_m,
    }


def _write_atomically(out_path: Path, write: Callable[[Path], int]) -> int:
    """Call ``write`` on a temporary file beside ``out_path``, then rename it into place."""
    descriptor, temporary = tempfile.mkstemp(
        dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp"
    )
    os.close(descriptor)
    try:
        n_rows = write(Path(temporary))
        os.replace(temporary, out_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return n_rows


def _write_parquet(
    path: Path,
    points: PointFile,
    snapping: Snapping,
    matrices: TravelMatrices,
    metadata: dict[str, Any],
) -> int:
    """Write the finite trips in long format; return the number of rows."""
    origin, destination = np.nonzero(np.isfinite(matrices.duration_s))
    ids = pa.array(points.ids, type=pa.string())
    table = pa.table(
        {
            "from_id": pa.DictionaryArray.from_arrays(origin.astype(np.int32), ids),
            "to_id": pa.DictionaryArray.from_arrays(destination.astype(np.int32), ids),
            "duration_s": matrices.duration_s[origin, destination],
            "distance_m": matrices.distance_m[origin, destination],
        }
    )
    unusable = [
        {"customer_id": points.ids[i], "reason": str(snapping.reason[i])}
        for i in np.flatnonzero(~matrices.usable)
    ]
    described = {**metadata, "point_ids": list(points.ids), "unusable": unusable}
    table = table.replace_schema_metadata({PARQUET_METADATA_KEY: json.dumps(described)})
    pq.write_table(table, path)
    return table.num_rows


def _write_npz(
    path: Path,
    points: PointFile,
    snapping: Snapping,
    matrices: TravelMatrices,
    metadata: dict[str, Any],
) -> int:
    """Write the square matrices and per-point arrays; return the number of matrix rows."""
    with path.open("wb") as stream:
        np.savez(
            stream,
            ids=np.array(points.ids, dtype=str),
            duration_s=matrices.duration_s,
            distance_m=matrices.distance_m,
            usable=matrices.usable,
            reason=np.array([str(reason) for reason in snapping.reason], dtype=str),
            metadata=np.array(json.dumps(metadata)),
        )
    return matrices.n_points
