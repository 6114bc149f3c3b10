"""Road networks and point files shared by the network tests, each loaded once per session."""

from __future__ import annotations

import pandas as pd
import pytest
from network_helpers import CASES, OSM

from gtm_optimizer.network import RoadNetwork, load_network


@pytest.fixture(scope="session")
def b01() -> RoadNetwork:
    """Two-way block 1-2-3-4 with a one-way spur 3->5 (a trap) and 6->2 (no way in)."""
    return load_network(OSM / "B01_oneway.osm")


@pytest.fixture(scope="session")
def b02() -> RoadNetwork:
    """Two-way block 1-2-3-4 and a separate two-node service road 7-8."""
    return load_network(OSM / "B02_island.osm")


@pytest.fixture(scope="session")
def aguascalientes() -> RoadNetwork:
    """A real OSM extract of central Aguascalientes, Mexico, read from the .pbf file."""
    return load_network(OSM / "aguascalientes.osm.pbf")


@pytest.fixture(scope="session")
def aguascalientes_bz2() -> RoadNetwork:
    """The same extract read from the bzip2-compressed OSM XML file."""
    return load_network(OSM / "aguascalientes.osm.bz2")


@pytest.fixture(scope="session")
def b01_points() -> pd.DataFrame:
    """M01..M04 near the B01 network."""
    return pd.read_csv(CASES / "B01.csv")


@pytest.fixture(scope="session")
def b02_points() -> pd.DataFrame:
    """M01, M02 near the block and M05 next to the separate road of B02."""
    return pd.read_csv(CASES / "B02.csv")
