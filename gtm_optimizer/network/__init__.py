"""The road network stage: OSM reading, speeds, snapping and travel matrices.

Typical use::

    network = load_network(Path("duitama.osm.pbf"), profile="van")
    snapping = snap_points(network, customers.lat, customers.lon)
    matrices = build_matrices(network, snapping, cache_dir=Path(".cache"))

For instances too large for one square matrix, :func:`build_matrix_blocks` computes the
matrices inside each territory and :func:`build_matrix_rectangle` the trips from every
customer to a few centres. :func:`write_matrix_file` writes the matrices of a point file to
Parquet or NumPy for other tools.

Without a road file, :func:`straight_line_matrices` gives great-circle matrices stretched by
a circuity factor, marked ``source="straight_line"``. When a road network exists but
straight lines are requested, measure the factor on it::

    matrices = straight_line_matrices(lat, lon, circuity=measure_circuity(network))
"""

from gtm_optimizer.network.blocks import (
    MatrixRectangle,
    build_matrix_blocks,
    build_matrix_rectangle,
)
from gtm_optimizer.network.export import write_matrix_file
from gtm_optimizer.network.fallback import measure_circuity, straight_line_matrices
from gtm_optimizer.network.matrix import build_matrices
from gtm_optimizer.network.outlets import extract_outlets
from gtm_optimizer.network.paths import route_path_lonlat
from gtm_optimizer.network.road import RoadNetwork, load_network
from gtm_optimizer.network.snapping import Snapping, snap_points
from gtm_optimizer.network.speeds import (
    DEFAULT_SPEEDS_KPH,
    PROFILES,
    VehicleProfile,
    parse_maxspeed_kph,
)
from gtm_optimizer.network.travel_matrices import TravelMatrices

__all__ = [
    "DEFAULT_SPEEDS_KPH",
    "PROFILES",
    "MatrixRectangle",
    "RoadNetwork",
    "Snapping",
    "TravelMatrices",
    "VehicleProfile",
    "build_matrices",
    "build_matrix_blocks",
    "build_matrix_rectangle",
    "extract_outlets",
    "load_network",
    "measure_circuity",
    "parse_maxspeed_kph",
    "route_path_lonlat",
    "snap_points",
    "straight_line_matrices",
    "write_matrix_file",
]
