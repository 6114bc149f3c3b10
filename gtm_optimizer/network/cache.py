"""On-disk cache of travel matrices, keyed by everything that decides their values.

The key is the sha256 of the network's content hash (file bytes, profile, speed table), the
profile name, the point coordinates rounded to 1e-6 degrees (about 0.1 m) and the snapping
settings. Any change of network file, profile, speeds, points or settings gives a new key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gtm_optimizer.i18n import _
from gtm_optimizer.network.travel_matrices import SOURCE_ROAD_NETWORK, TravelMatrices

if TYPE_CHECKING:
    from gtm_optimizer.network.road import RoadNetwork
    from gtm_optimizer.network.snapping import Snapping

logger = logging.getLogger(__name__)

# Part of every key: raise it when a change of the matrix code changes the values computed
# from the same inputs, so older cache files are not reused.
MATRIX_FORMAT_VERSION = 2

COORDINATE_DECIMALS = 6


def matrix_cache_key(network: RoadNetwork, snapping: Snapping) -> str:
    """Return the hex cache key of the matrices for these points on this network."""
    digest = hashlib.sha256()
    settings = {
        "matrix_format_version": MATRIX_FORMAT_VERSION,
        "network": network.content_hash,
        "profile": network.profile.name,
        "max_snap_m": snapping.max_snap_m,
        "access_speed_kph": snapping.access_speed_kph,
        "n_points": snapping.n_points,
    }
    digest.update(json.dumps(settings, sort_keys=True).encode("utf-8"))
    digest.update(np.round(snapping.lat, COORDINATE_DECIMALS).astype("<f8").tobytes())
    digest.update(np.round(snapping.lon, COORDINATE_DECIMALS).astype("<f8").tobytes())
    return digest.hexdigest()


def cache_path(cache_dir: Path, key: str) -> Path:
    """Return the file that stores the matrices of a key."""
    return cache_dir / f"matrices-{key}.npz"


def read_cached_matrices(cache_dir: Path, key: str, n_points: int) -> TravelMatrices | None:
    """Load cached matrices, or return None when absent or unreadable.

    An unreadable or mismatched file is logged at WARNING and ignored, so the caller
    computes the matrices again and overwrites it.
    """
    path = cache_path(cache_dir, key)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            matrices = TravelMatrices(
                duration_s=stored["duration_s"],
                distance_m=stored["distance_m"],
                usable=stored["usable"],
                source=SOURCE_ROAD_NETWORK,
            )
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        logger.warning(
            _("Ignoring unreadable matrix cache file {path}: {cause}").format(
                path=path, cause=error
            )
        )
        return None
    if matrices.n_points != n_points:
        logger.warning(
            _(
                "Ignoring matrix cache file {path}: it has {found} points, expected {expected}"
            ).format(path=path, found=matrices.n_points, expected=n_points)
        )
        return None
    logger.info(_("Loaded travel matrices from cache file {path}").format(path=path))
    return matrices


def write_cached_matrices(cache_dir: Path, key: str, matrices: TravelMatrices) -> Path:
    """Store matrices under their key, atomically (temporary file, then rename)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_path(cache_dir, key)
    descriptor, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".matrices-", suffix=".npz")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            np.savez(
                stream,
                duration_s=matrices.duration_s,
                distance_m=matrices.distance_m,
                usable=matrices.usable,
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
