"""Territory design benchmark: this project's districting against common clustering methods.

Each method splits an instance's customers into ``k`` territories. The metrics are the largest
deviation of a territory's weekly workload and of its weekly revenue from the mean, and
compactness: the summed cost from each territory's medoid to its customers. They also count
enclaves, customers whose five nearest neighbours all lie in other territories, and runtime.
A realignment test perturbs the workloads of 10 % of the customers by +50 % and compares the
customers moved by ``design_districts`` with ``current`` and ``max_moved_share`` against a
redesign from scratch.
On Duitama every design is also routed for one week with the product's calendar and routing.

Instances:

* ``duitama``: the customers of scenarios/duitama/customers.csv that the Duitama road network
  reaches, with the product's workload and revenue measures, k = 3, 4 and 5. Compactness is in
  seconds of road travel time.
* ``synthetic``: 10,000 seeded customers in dense towns, villages and scattered rural points,
  with heavy-tailed revenue and service times by segment, k = 50. Compactness is in metres.

Methods: plain k-means (scikit-learn), size-constrained k-means (k-means-constrained, every
territory within ±5 % of n / k customers), spopt's ``WardSpatial`` and, on Duitama only,
``RegionKMeansHeuristic`` (both on a Delaunay contiguity graph), ``design_districts`` with its
default settings, and ``design_districts`` with the search settings it had before this
benchmark (an LP relaxation at every size, four rounds). k-means-constrained and spopt are
benchmark-only packages; a method whose package is missing is reported as such and left out.

Usage::

    .venv/bin/python benchmarks/territories.py --runs 3 --instances duitama,synthetic \
        --time-limit 1 --out benchmarks/results/territories.md
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import platform
import shlex
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors

from solvers.districting import DistrictingSettings, design_districts

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
DUITAMA_SCENARIO = REPO / "scenarios" / "duitama" / "baseline.yaml"

# Balance tolerances of design_districts: workload ±5 % and revenue ±10 %, the Duitama plan.
WORKLOAD_TOLERANCE = 0.05
REVENUE_TOLERANCE = 0.10

# Size band of size-constrained k-means around n / k customers.
SIZE_TOLERANCE = 0.05

# Neighbours examined by the enclave count.
ENCLAVE_NEIGHBOURS = 5

# Realignment test: share of customers whose workload grows, by how much, and the move limit.
PERTURBED_SHARE = 0.10
PERTURBATION_FACTOR = 1.5
MAX_MOVED_SHARE = 0.5

# Speed and detour factor that turn straight-line gaps into travel time on the synthetic
# instance, where no road network exists.
SYNTHETIC_SPEED_KPH = 30.0
DETOUR_FACTOR = 1.3


# --- instances -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Instance:
    """Customers to split: positions, measures and the territory counts to try.

    ``workload_h`` and ``revenue`` are weekly figures per customer. ``cost_s`` is the road
    travel time between customers when known, and compactness is then in seconds. ``routing``
    contains what the routed-cost step needs, or ``None`` when the instance is not routed.
    """

    name: str
    coords_m: np.ndarray
    workload_h: np.ndarray
    revenue: np.ndarray
    district_counts: tuple[int, ...]
    cost_s: np.ndarray | None = None
    routing: Any = None

    @property
    def n_customers(self) -> int:
        """Number of customers."""
        return int(self.coords_m.shape[0])

    @property
    def measures(self) -> np.ndarray:
        """``(n, 3)`` workload, revenue and a count of 1 per customer."""
        return np.column_stack([self.workload_h, self.revenue, np.ones(self.n_customers)])


@dataclass(frozen=True)
class Segment:
    """Customer segment of the synthetic instance with its service pattern and revenue."""

    name: str
    share: float
    service_min: float
    visits_per_week: float
    median_revenue: float


SEGMENTS = (
    Segment("neighbourhood shop", 0.62, 8.0, 1.0, 250_000.0),
    Segment("restaurant or bar", 0.18, 12.0, 1.0, 400_000.0),
    Segment("pharmacy", 0.08, 10.0, 1.0, 350_000.0),
    Segment("minimarket", 0.09, 15.0, 2.0, 1_200_000.0),
    Segment("supermarket", 0.03, 35.0, 2.0, 4_000_000.0),
)


def make_synthetic_instance(n_customers: int = 10_000, *, seed: int = 2024) -> Instance:
    """Draw a clustered synthetic instance in an 80 km × 60 km region.

    72 % of the customers are in eight towns whose sizes follow a Zipf law, each a dense core
    with a wider ring of suburbs. 10 % are in 40 villages of 300 m radius, and 18 % are
    scattered uniformly over the countryside, where only shops and bars are found. Revenue is
    log-normal with ``sigma = 1`` around each segment's median. A visit's workload is its
    service time plus the mean straight-line travel time to the two nearest other customers at
    ``SYNTHETIC_SPEED_KPH``, times ``DETOUR_FACTOR``, as the product estimates it.
    """
    rng = np.random.default_rng(seed)
    n_town = round(0.72 * n_customers)
    n_village = round(0.10 * n_customers)
    n_rural = n_customers - n_town - n_village

    town_centres_m = rng.uniform((8_000, 8_000), (72_000, 52_000), (8, 2))
    town_weight = 1.0 / np.arange(1, 9)
    town = rng.choice(8, n_town, p=town_weight / town_weight.sum())
    town_radius_m = 600.0 + 2_400.0 * np.sqrt(town_weight)
    suburb = rng.random(n_town) < 0.3
    spread_m = town_radius_m[town] * np.where(suburb, 2.5, 1.0)
    town_xy = town_centres_m[town] + rng.normal(0.0, 1.0, (n_town, 2)) * spread_m[:, None]

    village_centres_m = rng.uniform((0, 0), (80_000, 60_000), (40, 2))
    village = rng.integers(0, 40, n_village)
    village_xy = village_centres_m[village] + rng.normal(0.0, 300.0, (n_village, 2))
    rural_xy = rng.uniform((0, 0), (80_000, 60_000), (n_rural, 2))
    coords_m = np.vstack([town_xy, village_xy, rural_xy])

    shares = np.array([segment.share for segment in SEGMENTS])
    segment = rng.choice(len(SEGMENTS), n_customers, p=shares)
    rural_segments = rng.choice(2, n_rural, p=(0.78, 0.22))
    segment[n_town + n_village :] = rural_segments

    service_s = 60.0 * np.array([SEGMENTS[s].service_min for s in segment])
    visits = np.array([SEGMENTS[s].visits_per_week for s in segment])
    median = np.array([SEGMENTS[s].median_revenue for s in segment])
    revenue = median * rng.lognormal(0.0, 1.0, n_customers)

    travel_s = _nearest_travel_s(coords_m)
    workload_h = visits * (service_s + travel_s) / 3600.0
    order = rng.permutation(n_customers)
    return Instance(
        name="synthetic",
        coords_m=coords_m[order],
        workload_h=workload_h[order],
        revenue=revenue[order],
        district_counts=(50,),
    )


def _nearest_travel_s(coords_m: np.ndarray) -> np.ndarray:
    """Estimate the travel seconds per visit from the two nearest other customers."""
    search = NearestNeighbors(n_neighbors=3).fit(coords_m)
    distance_m, _ = search.kneighbors(coords_m)
    speed_m_per_s = SYNTHETIC_SPEED_KPH / 3.6
    return DETOUR_FACTOR * distance_m[:, 1:].mean(axis=1) / speed_m_per_s


def load_duitama_instance(scenario_path: Path = DUITAMA_SCENARIO) -> Instance:
    """Load the Duitama customers, road matrices and product measures, k = 3, 4 and 5.

    The steps follow the product's run: validated customers, the road network of the scenario,
    snapping, travel matrices, and the workload ``visits × (service + estimated travel share)``
    of :func:`gtm_optimizer.territories.estimate_travel_share_s`. Customers that the road
    network cannot reach are left out, as the product leaves them unserved.
    """
    from gtm_optimizer.design import DesignInputs
    from gtm_optimizer.inputs.customers import load_customers
    from gtm_optimizer.network import build_matrices, load_network, snap_points
    from gtm_optimizer.scenario import load_scenario
    from gtm_optimizer.territories import estimate_travel_share_s

    scenario = load_scenario(scenario_path)
    customers_path = scenario.resolve(scenario.inputs.customers)
    network_path = scenario.resolve(scenario.network.path)
    assert customers_path is not None and network_path is not None
    table = load_customers(
        customers_path,
        columns=scenario.inputs.columns,
        decimal_comma=scenario.inputs.decimal_comma,
        working_days=scenario.plan.working_days,
    )
    network = load_network(network_path, profile=scenario.network.profile)
    n_depots = len(scenario.depots)
    lat = np.concatenate([[d.lat for d in scenario.depots], table.customers["lat"].to_numpy()])
    lon = np.concatenate([[d.lon for d in scenario.depots], table.customers["lon"].to_numpy()])
    snapping = snap_points(network, lat, lon, max_snap_m=scenario.network.max_snap_m)
    matrices = build_matrices(network, snapping)

    usable = np.asarray(matrices.usable, dtype=bool)
    rows = np.flatnonzero(usable[n_depots:])
    customers = table.customers.iloc[rows].reset_index(drop=True)
    points = rows + n_depots
    duration_s = np.asarray(matrices.duration_s[np.ix_(points, points)], dtype=np.float64)
    coords_m = _utm_coordinates(lat[points], lon[points])

    travel_s = estimate_travel_share_s(duration_s)
    visits = customers["visits_per_week"].to_numpy(float)
    service_s = customers["service_s"].to_numpy(float)
    routing = DesignInputs(
        scenario=scenario,
        customers=customers,
        duration_s=duration_s,
        full_duration_s=matrices.duration_s,
        full_distance_m=matrices.distance_m,
        customer_points=points,
        depot_points={depot.id: i for i, depot in enumerate(scenario.depots)},
        coords_m=coords_m,
    )
    return Instance(
        name="duitama",
        coords_m=coords_m,
        workload_h=visits * (service_s + travel_s) / 3600.0,
        revenue=customers["revenue_per_week"].to_numpy(float),
        district_counts=(3, 4, 5),
        cost_s=duration_s,
        routing=RoutingContext(inputs=routing, service_plus_travel_s=service_s + travel_s),
    )


def _utm_coordinates(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Project WGS84 degrees to the local UTM zone, in metres."""
    import geopandas as gpd

    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326)
    projected = points.to_crs(points.estimate_utm_crs())
    return np.column_stack([projected.x, projected.y])


@dataclass(frozen=True, eq=False)
class RoutingContext:
    """Product inputs for routing a design: customers, matrices and per-visit seconds."""

    inputs: Any
    service_plus_travel_s: np.ndarray


# --- methods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Partition:
    """Territory labels of one method on one instance, with a status note."""

    labels: np.ndarray
    note: str = ""


@dataclass(frozen=True)
class TimedPartition:
    """A partition with the wall-clock and CPU seconds its method took.

    CPU seconds count every thread of this process, so on a machine shared with other work
    they show the method's own effort where wall-clock time also counts waiting for a core.
    """

    partition: Partition
    runtime_s: float
    cpu_s: float


def run_method(
    method: Method, instance: Instance, k: int, *, seed: int, time_limit_s: float
) -> TimedPartition:
    """Run one method and time it."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    partition = method.design(instance, k, seed=seed, time_limit_s=time_limit_s)
    return TimedPartition(
        partition, time.perf_counter() - started, time.process_time() - cpu_started
    )


def design_kmeans(instance: Instance, k: int, *, seed: int, time_limit_s: float) -> Partition:
    """Plain k-means on the coordinates (scikit-learn, ``n_init="auto"``)."""
    del time_limit_s
    labels = KMeans(n_clusters=k, random_state=seed, n_init="auto").fit(instance.coords_m).labels_
    return Partition(np.asarray(labels, dtype=np.int64))


def design_size_constrained(
    instance: Instance, k: int, *, seed: int, time_limit_s: float
) -> Partition:
    """k-means with every cluster of n / k customers ±``SIZE_TOLERANCE`` (k-means-constrained).

    ``n_init`` is 3 rather than the package's default of 10, because each restart solves a
    min-cost flow per iteration and ten restarts take minutes on 10,000 points.
    """
    del time_limit_s
    from k_means_constrained import KMeansConstrained

    n = instance.n_customers
    size_min = int(np.floor(n / k * (1 - SIZE_TOLERANCE)))
    size_max = int(np.ceil(n / k * (1 + SIZE_TOLERANCE)))
    model = KMeansConstrained(
        n_clusters=k, size_min=size_min, size_max=size_max, random_state=seed, n_init=3
    )
    labels = model.fit_predict(instance.coords_m)
    return Partition(np.asarray(labels, dtype=np.int64))


def design_spopt_ward(instance: Instance, k: int, *, seed: int, time_limit_s: float) -> Partition:
    """spopt ``WardSpatial``: Ward agglomeration of the coordinates on a Delaunay graph.

    Ward clustering is deterministic, so the seed is unused.
    """
    del seed, time_limit_s
    import geopandas as gpd
    from spopt.region import WardSpatial

    frame = gpd.GeoDataFrame(
        {"x": instance.coords_m[:, 0], "y": instance.coords_m[:, 1]},
        geometry=gpd.points_from_xy(instance.coords_m[:, 0], instance.coords_m[:, 1]),
    )
    graph = _delaunay(instance.coords_m)
    model = WardSpatial(frame, graph, ["x", "y"], n_clusters=k)
    model.solve()
    return Partition(np.asarray(model.labels_, dtype=np.int64))


def design_spopt_region_kmeans(
    instance: Instance, k: int, *, seed: int, time_limit_s: float
) -> Partition:
    """spopt ``RegionKMeansHeuristic``: k-means with connected regions on a Delaunay graph."""
    del time_limit_s
    from spopt.region import RegionKMeansHeuristic

    graph = _delaunay(instance.coords_m)
    model = RegionKMeansHeuristic(instance.coords_m, k, graph, seed=seed)
    model.solve()
    return Partition(np.asarray(model.labels_, dtype=np.int64))


def _delaunay(coords_m: np.ndarray) -> Any:
    """Return the libpysal Delaunay contiguity graph of the points.

    SciPy's triangulation leaves repeated coordinates out, which would make those customers
    islands of the graph, so every point is first moved by at most a millimetre.
    """
    from libpysal.weights import Delaunay

    jitter = np.random.default_rng(0).uniform(-1e-3, 1e-3, coords_m.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Delaunay(coords_m + jitter, silence_warnings=True)


def design_project(instance: Instance, k: int, *, seed: int, time_limit_s: float) -> Partition:
    """This project's ``design_districts``: workload ±5 %, revenue ±10 %, customers reported."""
    result = design_districts(
        instance.measures,
        k,
        coords_m=instance.coords_m,
        cost_s=instance.cost_s,
        tolerances=(WORKLOAD_TOLERANCE, REVENUE_TOLERANCE, None),
        seed=seed,
        time_limit_s=time_limit_s,
    )
    return Partition(result.labels, note=result.status)


def design_project_before_tuning(
    instance: Instance, k: int, *, seed: int, time_limit_s: float
) -> Partition:
    """``design_districts`` with its earlier search settings.

    Every round solves the LP relaxation with HiGHS whatever the size, there are at most four
    rounds, and the rounds do not stop on a small cost decrease.
    """
    settings = DistrictingSettings(max_relaxation_pairs=2**62, n_rounds=4, round_tolerance=0.0)
    result = design_districts(
        instance.measures,
        k,
        coords_m=instance.coords_m,
        cost_s=instance.cost_s,
        tolerances=(WORKLOAD_TOLERANCE, REVENUE_TOLERANCE, None),
        settings=settings,
        seed=seed,
        time_limit_s=time_limit_s,
    )
    return Partition(result.labels, note=result.status)


MethodFunction = Callable[..., Partition]


@dataclass(frozen=True)
class Method:
    """A design method, the package it needs and the instances it runs on."""

    name: str
    design: MethodFunction
    package: str | None = None
    instances: tuple[str, ...] = ("duitama", "synthetic")


METHODS = (
    Method("k-means", design_kmeans),
    Method("size-constrained k-means", design_size_constrained, "k-means-constrained"),
    Method("spopt WardSpatial", design_spopt_ward, "spopt"),
    Method("spopt RegionKMeans", design_spopt_region_kmeans, "spopt", ("duitama",)),
    Method("design_districts", design_project),
    Method("design_districts before tuning", design_project_before_tuning),
)


# --- metrics ---------------------------------------------------------------------------------


def max_deviation_pct(values: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Return the largest deviation of a territory total from the mean total, in percent.

    The mean total is ``values.sum() / k``, so an empty territory deviates by 100 %.
    """
    totals = np.bincount(labels, weights=values, minlength=k)
    mean = values.sum() / k
    return float(100.0 * np.abs(totals / mean - 1.0).max())


def medoids(labels: np.ndarray, k: int, cost: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Return each territory's medoid: the member with the least summed cost to all members.

    ``cost(members)`` returns the ``(m, m)`` cost from each member (row) to each member. An
    empty territory gets ``-1``.
    """
    centres = np.full(k, -1, dtype=np.int64)
    for territory in range(k):
        members = np.flatnonzero(labels == territory)
        if members.size:
            centres[territory] = members[int(np.argmin(cost(members).sum(axis=1)))]
    return centres


def compactness(
    labels: np.ndarray, k: int, *, coords_m: np.ndarray, cost_s: np.ndarray | None = None
) -> float:
    """Return the summed cost from each territory's medoid to each of its customers.

    The cost is the travel time ``cost_s`` in seconds when given, otherwise the straight-line
    distance in metres.
    """
    if cost_s is not None:
        matrix = cost_s

        def cost(members: np.ndarray) -> np.ndarray:
            return np.asarray(matrix[np.ix_(members, members)], dtype=np.float64)

        centres = medoids(labels, k, cost)
        return float(matrix[centres[labels], np.arange(labels.size)].sum())

    def distance(members: np.ndarray) -> np.ndarray:
        return np.asarray(cdist(coords_m[members], coords_m[members]))

    centres = medoids(labels, k, distance)
    return float(np.linalg.norm(coords_m - coords_m[centres[labels]], axis=1).sum())


def count_enclaves(
    labels: np.ndarray, coords_m: np.ndarray, n_neighbours: int = ENCLAVE_NEIGHBOURS
) -> int:
    """Count customers whose ``n_neighbours`` nearest other customers are all in other territories.

    Neighbours are by straight-line distance. Among customers at the same spot, the order
    that scikit-learn returns decides which count as neighbours.
    """
    search = NearestNeighbors(n_neighbors=n_neighbours + 1).fit(coords_m)
    found = search.kneighbors(coords_m, return_distance=False)
    own = found == np.arange(labels.size)[:, None]
    # Keep the n_neighbours nearest entries other than the customer itself.
    keep = ~own
    keep[~own.any(axis=1), -1] = False
    neighbours = found[keep].reshape(labels.size, n_neighbours)
    return int(np.sum((labels[neighbours] != labels[:, None]).all(axis=1)))


def count_moved(before: np.ndarray, after: np.ndarray, k: int) -> int:
    """Count customers in another territory after matching territory indices one to one.

    Two designs may number the same territories differently, so the indices of ``after`` are
    first matched to those of ``before`` to keep the most customers in place (Hungarian
    method). The count is never more than the plain count of changed labels.
    """
    overlap = np.zeros((k, k), dtype=np.int64)
    np.add.at(overlap, (before, after), 1)
    rows, columns = linear_sum_assignment(-overlap)
    return int(before.size - overlap[rows, columns].sum())


def min_moves_to_balance(
    values: np.ndarray, labels: np.ndarray, k: int, tolerance: float = WORKLOAD_TOLERANCE
) -> int:
    """Return a lower bound on the customers any rebalance of ``labels`` must move.

    A territory above ``(1 + tolerance)`` times the mean total must send out customers worth
    at least its excess, which takes at least as many customers as its largest values need to
    cover it. Likewise a territory below ``(1 - tolerance)`` times the mean must receive at
    least its deficit from customers of other territories. Every move leaves one territory and
    enters one, so the larger of the two sums bounds the moves from below.
    """
    totals = np.bincount(labels, weights=values, minlength=k)
    mean = values.sum() / k
    out_moves = 0
    in_moves = 0
    for territory in range(k):
        excess = totals[territory] - (1 + tolerance) * mean
        if excess > 0:
            own = np.sort(values[labels == territory])[::-1]
            out_moves += _count_to_cover(own, excess)
        deficit = (1 - tolerance) * mean - totals[territory]
        if deficit > 0:
            others = np.sort(values[labels != territory])[::-1]
            in_moves += _count_to_cover(others, deficit)
    return max(out_moves, in_moves)


def _count_to_cover(descending: np.ndarray, amount: float) -> int:
    """Return how many of the leading values it takes for their sum to reach ``amount``."""
    reached = np.cumsum(descending) >= amount - 1e-12
    return int(np.argmax(reached)) + 1 if reached.any() else int(descending.size)


def perturb_workloads(
    workload_h: np.ndarray,
    *,
    share: float = PERTURBED_SHARE,
    factor: float = PERTURBATION_FACTOR,
    seed: int,
) -> np.ndarray:
    """Multiply the workload of a random ``share`` of the customers by ``factor``."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(workload_h.size, round(share * workload_h.size), replace=False)
    perturbed = workload_h.copy()
    perturbed[chosen] *= factor
    return perturbed


# --- routed cost -----------------------------------------------------------------------------


def route_one_week(
    routing: RoutingContext, labels: np.ndarray, k: int, *, time_limit_s: float, seed: int
) -> dict[str, float]:
    """Plan the visit calendar of a design and route its first cycle week with the product.

    Returns the route-days driven, kilometres, hours and route cost of that week, the visits
    that the routes leave unserved, and the route cost with each unserved visit charged at the
    week's most expensive route-day.
    """
    from gtm_optimizer.calendar import plan_calendar
    from gtm_optimizer.costing.model import cost_routes
    from gtm_optimizer.design import shift_s
    from gtm_optimizer.routing import build_route_days, solve_route_days
    from gtm_optimizer.territories import territory_id

    inputs = routing.inputs
    scenario = inputs.scenario
    ids = tuple(territory_id(index) for index in range(k))
    calendar = plan_calendar(
        inputs.customers,
        labels,
        ids,
        routing.service_plus_travel_s,
        inputs.coords_m,
        working_days=scenario.plan.working_days,
        max_day_s=shift_s(scenario),
        seed=seed,
    )
    route_days = build_route_days(
        scenario,
        inputs.customers,
        calendar,
        labels,
        ids,
        inputs.full_duration_s,
        inputs.full_distance_m,
        inputs.customer_points,
        inputs.depot_points,
    )
    first_week = [day for day in route_days if day.week == 0]
    results = solve_route_days(
        first_week,
        backend=scenario.solver.backend,
        time_limit_s=time_limit_s,
        seed=seed,
        workers=scenario.solver.workers,
    )
    routes = cost_routes(
        first_week, results, inputs.customers, scenario.costs, cycle_weeks=1
    ).routes
    unserved = float(sum(len(result.unserved) for result in results))
    max_day_cost = float(routes["cost_total"].max()) if len(routes) else 0.0
    return {
        "route_days": float(len(routes)),
        "km": float(routes["distance_km"].sum()),
        "hours": float(routes["duration_h"].sum()),
        "route_cost": float(routes["cost_total"].sum()),
        "unserved": unserved,
        # The product's territory-count choice charges each unserved visit a full route-day.
        "penalised_cost": float(routes["cost_total"].sum() + unserved * max_day_cost),
    }


# --- one run ---------------------------------------------------------------------------------


@dataclass
class RunRecords:
    """Raw figures of every run, keyed by (instance, k, method) or (instance, k, start)."""

    methods: dict[tuple[str, int, str], list[dict[str, float]]] = field(default_factory=dict)
    realignments: dict[tuple[str, int, str], list[dict[str, float]]] = field(default_factory=dict)
    notes: dict[tuple[str, int, str], list[str]] = field(default_factory=dict)

    def add(self, table: str, key: tuple[str, int, str], row: dict[str, float]) -> None:
        """Append one run's figures to ``methods`` or ``realignments``."""
        getattr(self, table).setdefault(key, []).append(row)


def design_metrics(instance: Instance, timed: TimedPartition, k: int) -> dict[str, float]:
    """Return the balance, compactness, enclave and runtime figures of one design."""
    labels = timed.partition.labels
    return {
        "workload_dev_pct": max_deviation_pct(instance.workload_h, labels, k),
        "revenue_dev_pct": max_deviation_pct(instance.revenue, labels, k),
        "compactness": compactness(labels, k, coords_m=instance.coords_m, cost_s=instance.cost_s),
        "enclaves": float(count_enclaves(labels, instance.coords_m)),
        "runtime_s": timed.runtime_s,
        "cpu_s": timed.cpu_s,
    }


def run_instance(
    instance: Instance,
    k: int,
    methods: list[Method],
    records: RunRecords,
    *,
    seed: int,
    design_time_limit_s: float,
    route_time_limit_s: float,
) -> None:
    """Run every method once on ``instance`` with ``k`` territories and record the figures.

    Each method designs from scratch on the original and on the perturbed workloads; the
    second design's moves are counted against the k-means design. ``design_districts`` then
    realigns the k-means design and its own first design on the perturbed workloads, and
    each realignment is compared with its redesign from scratch.
    """
    perturbed = replace(instance, workload_h=perturb_workloads(instance.workload_h, seed=seed))
    first: dict[str, np.ndarray] = {}
    again: dict[str, np.ndarray] = {}
    for method in methods:
        key = (instance.name, k, method.name)
        timed = run_method(method, instance, k, seed=seed, time_limit_s=design_time_limit_s)
        partition = timed.partition
        row = design_metrics(instance, timed, k)
        if instance.routing is not None:
            row |= route_one_week(
                instance.routing, partition.labels, k, time_limit_s=route_time_limit_s, seed=seed
            )
        first[method.name] = partition.labels
        redesign = method.design(perturbed, k, seed=seed, time_limit_s=design_time_limit_s)
        again[method.name] = redesign.labels
        row["perturbed_workload_dev_pct"] = max_deviation_pct(
            perturbed.workload_h, redesign.labels, k
        )
        row["moved_from_kmeans"] = float(count_moved(first["k-means"], redesign.labels, k))
        records.add("methods", key, row)
        if partition.note:
            records.notes.setdefault(key, []).append(partition.note)
        logger.info(
            "%s k=%d %s: workload %.1f %%, revenue %.1f %%, %.1f s",
            *key,
            row["workload_dev_pct"],
            row["revenue_dev_pct"],
            row["runtime_s"],
        )

    if "design_districts" not in again:
        return
    for start in ("k-means", "design_districts"):
        row = realign(perturbed, k, first[start], seed=seed, time_limit_s=design_time_limit_s)
        row["redesign_moved"] = float(count_moved(first[start], again["design_districts"], k))
        row["redesign_workload_dev_pct"] = max_deviation_pct(
            perturbed.workload_h, again["design_districts"], k
        )
        records.add("realignments", (instance.name, k, start), row)


def realign(
    instance: Instance, k: int, current: np.ndarray, *, seed: int, time_limit_s: float
) -> dict[str, float]:
    """Rebalance ``current`` with ``design_districts``, moving at most ``MAX_MOVED_SHARE``."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    result = design_districts(
        instance.measures,
        k,
        coords_m=instance.coords_m,
        cost_s=instance.cost_s,
        tolerances=(WORKLOAD_TOLERANCE, REVENUE_TOLERANCE, None),
        current=current,
        max_moved_share=MAX_MOVED_SHARE,
        seed=seed,
        time_limit_s=time_limit_s,
    )
    return {
        "start_workload_dev_pct": max_deviation_pct(instance.workload_h, current, k),
        "min_moves": float(min_moves_to_balance(instance.workload_h, current, k)),
        "moved": float(result.n_moved),
        "workload_dev_pct": max_deviation_pct(instance.workload_h, result.labels, k),
        "revenue_dev_pct": max_deviation_pct(instance.revenue, result.labels, k),
        "balanced": float(result.balanced),
        "runtime_s": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu_started,
    }


# --- report ----------------------------------------------------------------------------------

PACKAGES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "ortools",
    "pyvrp",
    "k-means-constrained",
    "spopt",
    "libpysal",
)

# Hand-written text below this heading in an existing report is kept when it is rewritten.
NOTES_HEADING = "## Notes"


def median_row(rows: list[dict[str, float]]) -> dict[str, float]:
    """Return the median of each figure over runs."""
    return {name: float(statistics.median(row[name] for row in rows)) for name in rows[0]}


def machine_description() -> str:
    """Describe the processor, cores, memory and load of this machine."""
    cpu = platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        total_kb = Path("/proc/meminfo").read_text(encoding="utf-8").split()[1]
        memory = f", {int(total_kb) / 1024**2:.0f} GiB memory"
    except (OSError, IndexError, ValueError):
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores{memory}; load average at start {load}"


def versions() -> str:
    """List the versions of Python and of the packages the benchmark uses."""
    found = [f"Python {platform.python_version()}"]
    for package in PACKAGES:
        try:
            found.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{package} not installed")
    return ", ".join(found)


def method_table(records: RunRecords, instance: str, k: int, routed: bool) -> list[str]:
    """Return the Markdown table of every method on one instance and territory count."""
    unit, scale = ("h of travel", 3600.0) if routed else ("km", 1000.0)
    header = (
        f"| method | max workload dev % | max revenue dev % | compactness ({unit}) | "
        "vs k-means | enclaves | runtime s | CPU s | moved after perturbation | "
        "workload dev % after perturbation |"
    )
    lines = [header, "| --- |" + " ---: |" * 9]
    rows = {
        method: median_row(runs)
        for (name, count, method), runs in records.methods.items()
        if name == instance and count == k
    }
    reference = rows["k-means"]["compactness"]
    for method, row in rows.items():
        lines.append(
            f"| {method} | {row['workload_dev_pct']:.1f} | {row['revenue_dev_pct']:.1f} | "
            f"{row['compactness'] / scale:,.1f} | "
            f"{100 * (row['compactness'] / reference - 1):+.1f} % | {row['enclaves']:.0f} | "
            f"{row['runtime_s']:.1f} | {row['cpu_s']:.1f} | {row['moved_from_kmeans']:.0f} | "
            f"{row['perturbed_workload_dev_pct']:.1f} |"
        )
    if routed:
        lines += [
            "",
            "| method | route-days | km | hours | route cost per week | unserved visits | "
            "cost with unserved visits at a route-day each |",
            "| --- |" + " ---: |" * 6,
        ]
        for method, row in rows.items():
            lines.append(
                f"| {method} | {row['route_days']:.0f} | {row['km']:,.1f} | "
                f"{row['hours']:.1f} | {row['route_cost']:,.0f} | {row['unserved']:.0f} | "
                f"{row['penalised_cost']:,.0f} |"
            )
    return lines


def realignment_table(records: RunRecords) -> list[str]:
    """Return the Markdown table of the realignments against the redesigns from scratch."""
    lines = [
        "| instance | k | start design | start workload dev % | moves needed (lower bound) | "
        "realigned: moved | "
        "realigned: workload dev % | realigned: revenue dev % | realigned: runtime s | "
        "realigned: CPU s | "
        "redesign: moved | redesign: workload dev % | moved ratio |",
        "| --- | ---: | --- |" + " ---: |" * 10,
    ]
    for (instance, k, start), runs in records.realignments.items():
        row = median_row(runs)
        ratio = row["moved"] / row["redesign_moved"] if row["redesign_moved"] else float("nan")
        lines.append(
            f"| {instance} | {k} | {start} | {row['start_workload_dev_pct']:.1f} | "
            f"≥ {row['min_moves']:.0f} | "
            f"{row['moved']:.0f} | {row['workload_dev_pct']:.1f} | "
            f"{row['revenue_dev_pct']:.1f} | {row['runtime_s']:.1f} | {row['cpu_s']:.1f} | "
            f"{row['redesign_moved']:.0f} | {row['redesign_workload_dev_pct']:.1f} | "
            f"{ratio:.2f} |"
        )
    return lines


def write_report(
    path: Path,
    records: RunRecords,
    instances: list[Instance],
    *,
    command: str,
    runs: int,
    skipped: list[str],
) -> None:
    """Write the Markdown report, keeping any hand-written notes of an existing one."""
    lines = [
        "# Territory design benchmark",
        "",
        f"Produced by `{command}` on {date.today().isoformat()}.",
        "",
        f"* Machine: {machine_description()}. The machine is shared with other work, so "
        "runtimes are indicative.",
        f"* Versions: {versions()}.",
        f"* Every figure is the median over {runs} runs with seeds 0 to {runs - 1}.",
        f"* design_districts tolerances: workload ±{WORKLOAD_TOLERANCE:.0%}, revenue "
        f"±{REVENUE_TOLERANCE:.0%}; size-constrained k-means: n / k customers "
        f"±{SIZE_TOLERANCE:.0%}; perturbation: workload ×{PERTURBATION_FACTOR} on "
        f"{PERTURBED_SHARE:.0%} of the customers; realignment move limit "
        f"{MAX_MOVED_SHARE:.0%}.",
    ]
    lines += [f"* Left out: {reason}." for reason in skipped]
    for instance in instances:
        for k in instance.district_counts:
            lines += ["", f"## {instance.name}, {instance.n_customers} customers, k = {k}", ""]
            lines += method_table(records, instance.name, k, instance.routing is not None)
            lines += _status_lines(records, instance.name, k)
    if records.realignments:
        lines += ["", "## Realignment against redesign from scratch", ""]
        lines += realignment_table(records)

    notes = ""
    if path.exists():
        existing = path.read_text(encoding="utf-8")
        if NOTES_HEADING in existing:
            notes = existing[existing.index(NOTES_HEADING) :]
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + notes
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _status_lines(records: RunRecords, instance: str, k: int) -> list[str]:
    """Return one line per method that reports a status, counting each status over runs."""
    lines = []
    for (name, count, method), statuses in records.notes.items():
        if name == instance and count == k:
            tally = ", ".join(
                f"{status} {statuses.count(status)}" for status in sorted(set(statuses))
            )
            lines += ["", f"{method} status over the runs: {tally}."]
    return lines


# --- command line ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per method (default 3)")
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "benchmarks" / "results" / "territories.md",
        help="Markdown report to write",
    )
    parser.add_argument(
        "--instances",
        default="duitama,synthetic",
        help="comma-separated instances: duitama, synthetic",
    )
    parser.add_argument(
        "--methods",
        default=",".join(method.name for method in METHODS),
        help="comma-separated method names (default all); k-means always runs, because the "
        "realignment test starts from its design",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=1.0,
        help="seconds per route-day problem when routing the Duitama designs (default 1)",
    )
    parser.add_argument(
        "--design-time-limit",
        type=float,
        default=60.0,
        help="time limit of each design_districts call in seconds (default 60)",
    )
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.instances.split(",") if name.strip()]
    unknown = sorted(set(names) - {"duitama", "synthetic"})
    if unknown:
        parser.error(f"unknown instance {', '.join(unknown)}; use duitama, synthetic or both")
    if args.runs < 1:
        parser.error(f"--runs must be at least 1; got {args.runs}")
    args.instances = names
    known = {method.name for method in METHODS}
    methods = {name.strip() for name in args.methods.split(",") if name.strip()}
    if methods - known:
        parser.error(
            f"unknown method {', '.join(sorted(methods - known))}; use {', '.join(sorted(known))}"
        )
    args.methods = ["k-means", *sorted(methods - {"k-means"})]
    return args


def available_methods(names: list[str]) -> tuple[list[Method], list[str]]:
    """Return the named methods whose package imports, and a reason for each one left out."""
    methods, skipped = [], []
    for method in METHODS:
        if method.name not in names:
            continue
        if method.package is not None:
            module = method.package.replace("-", "_")
            try:
                __import__(module)
            except ImportError as error:
                skipped.append(f"{method.name} ({method.package} does not import: {error})")
                continue
        methods.append(method)
    return methods, skipped


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write the report."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    args = parse_args(argv)
    methods, skipped = available_methods(args.methods)
    loaders: dict[str, Callable[[], Instance]] = {
        "duitama": load_duitama_instance,
        "synthetic": make_synthetic_instance,
    }
    instances = [loaders[name]() for name in args.instances]
    records = RunRecords()
    for instance in instances:
        chosen = [method for method in methods if instance.name in method.instances]
        for k in instance.district_counts:
            for seed in range(args.runs):
                run_instance(
                    instance,
                    k,
                    chosen,
                    records,
                    seed=seed,
                    design_time_limit_s=args.design_time_limit,
                    route_time_limit_s=args.time_limit,
                )
    options = []
    for name, value in vars(args).items():
        text = ",".join(value) if isinstance(value, list) else str(value)
        options.append(f"--{name.replace('_', '-')} {shlex.quote(text)}")
    command = "python benchmarks/territories.py " + " ".join(options)
    write_report(args.out, records, instances, command=command, runs=args.runs, skipped=skipped)
    logger.info("Wrote %s", args.out)


if __name__ == "__main__":
    main()
