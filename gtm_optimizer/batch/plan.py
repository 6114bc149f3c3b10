"""Read the output folder of a ``run`` as the plan that nightly re-routing keeps.

Re-routing keeps the plan's territories and its routes' order of stops. It needs, from the
folder: ``scenario.json`` (settings with absolute paths), ``customers.csv`` (territory, visit
days and cycle week of each customer), ``stops.csv`` (each route's sequence of customers) and
``routes.geojson`` (each route's week, weekday and vehicle type).

Cycle weeks
-----------
A plan with customers visited every two or four weeks covers a cycle of 2 or 4 weeks, and its
routes are named ``T01-W1-Mon``, ``T01-W2-Mon``. The cycle week of a date is the number of
whole weeks from the Monday of ``cycle_start`` to the Monday of the date, modulo the cycle
length: ``cycle_start`` is a Monday on which week 1 starts (2024-01-01 unless set). Counting
weeks from a fixed Monday keeps weeks alternating across new year. ISO week parity does not:
ISO years with 53 weeks (2026 for one) have two odd weeks in a row, 53 and 1.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from gtm_optimizer.errors import InputError, Problem, ScenarioError
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.problems import id_key
from gtm_optimizer.routing import vehicles_for_territories
from gtm_optimizer.scenario import WEEKDAYS, Scenario, VehicleType

logger = logging.getLogger(__name__)

DEFAULT_CYCLE_START = date(2024, 1, 1)
PLAN_FILES = ("scenario.json", "customers.csv", "stops.csv", "routes.geojson")


@dataclass(frozen=True)
class Plan:
    """A plan read from a run's output folder.

    Attributes
    ----------
    folder
        The output folder.
    scenario
        The run's settings; its paths are absolute.
    customers
        One row per customer: ``customer_id``, ``key``, ``territory_id`` (empty when the run
        could not serve it), ``visit_days``, ``visit_week``, ``lat``, ``lon``, ``service_s``.
    stops
        One row per planned visit: ``route_id``, ``territory_id``, ``sequence``,
        ``customer_id``, ``key``, ``week`` (1-based) and ``weekday`` (0 = Monday).
    vehicles
        The vehicle type of each territory, in territory order.
    cycle_weeks
        Length of the plan's visit cycle in weeks.
    """

    folder: Path
    scenario: Scenario
    customers: pd.DataFrame
    stops: pd.DataFrame
    vehicles: dict[str, VehicleType]
    cycle_weeks: int

    @property
    def territory_ids(self) -> tuple[str, ...]:
        """Territory ids in order."""
        return tuple(self.vehicles)

    def route_sequence(self, territory_id: str, week: int, weekday: int) -> list[str]:
        """Return the customer keys of a planned route in visiting order (empty if none).

        ``week`` counts from 1; a route of the weekday in another cycle week is taken when
        the plan has none in ``week``.
        """
        stops = self.stops[
            (self.stops["territory_id"] == territory_id) & (self.stops["weekday"] == weekday)
        ]
        same_week = stops[stops["week"] == week]
        chosen = same_week if len(same_week) else stops[stops["week"] == stops["week"].min()]
        return chosen.sort_values("sequence")["key"].tolist()


def cycle_week_of(day: date, cycle_weeks: int, *, cycle_start: date = DEFAULT_CYCLE_START) -> int:
    """Return the cycle week of ``day``, counted from 1.

    Raises
    ------
    ValueError
        If ``cycle_weeks`` is not 1, 2 or 4.
    """
    if cycle_weeks not in (1, 2, 4):
        raise ValueError(f"cycle_weeks = {cycle_weeks} must be 1, 2 or 4")
    first_monday = cycle_start - timedelta(days=cycle_start.weekday())
    monday = day - timedelta(days=day.weekday())
    return (monday - first_monday).days // 7 % cycle_weeks + 1


def read_plan(folder: Path) -> Plan:
    """Read a run's output folder.

    Raises
    ------
    InputError
        If a file is missing or lacks a column.
    ScenarioError
        If ``scenario.json`` is not valid settings.
    """
    started = time.perf_counter()
    folder = Path(folder)
    missing = [name for name in PLAN_FILES if not (folder / name).is_file()]
    if missing:
        raise InputError(
            [
                Problem(
                    code="file_not_found",
                    message=_("plan file not found"),
                    fix=_("Give --plan the output folder of a completed run."),
                    file=str(folder / name),
                )
                for name in missing
            ]
        )
    scenario = _read_scenario(folder / "scenario.json")
    customers = _read_csv(
        folder / "customers.csv",
        ("customer_id", "territory_id", "visit_days", "visit_week", "lat", "lon", "service_min"),
    )
    customers["key"] = customers["customer_id"].map(id_key)
    customers["service_s"] = 60.0 * pd.to_numeric(customers["service_min"], errors="coerce")
    customers["lat"] = pd.to_numeric(customers["lat"], errors="coerce")
    customers["lon"] = pd.to_numeric(customers["lon"], errors="coerce")
    routes = _read_routes(folder / "routes.geojson")
    stops = _read_csv(
        folder / "stops.csv", ("route_id", "territory_id", "sequence", "customer_id")
    )
    stops["key"] = stops["customer_id"].map(id_key)
    stops["sequence"] = stops["sequence"].astype(int)
    stops = stops.merge(routes[["route_id", "week", "weekday"]], on="route_id", how="left")
    territory_ids = sorted(set(customers["territory_id"]) - {""})
    vehicles = _vehicles(scenario, territory_ids, routes)
    plan = Plan(folder, scenario, customers, stops, vehicles, _cycle_weeks(folder, routes))
    logger.info(
        _(
            "Read plan {folder}: {customers} customers, {territories} territories, {stops} "
            "planned stops, {weeks}-week cycle, {seconds:.1f} s"
        ).format(
            folder=folder,
            customers=len(customers),
            territories=len(vehicles),
            stops=len(stops),
            weeks=plan.cycle_weeks,
            seconds=time.perf_counter() - started,
        )
    )
    return plan


def _read_scenario(path: Path) -> Scenario:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Scenario.model_validate({**data, "base_dir": path.parent})
    except (json.JSONDecodeError, ValidationError) as error:
        raise ScenarioError(
            _("Plan settings {path} are not valid: {error}").format(path=path, error=error)
        ) from error


def _read_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise InputError(
            [
                Problem(
                    code="missing_column",
                    message=_("required column {column!r} is missing").format(column=column),
                    fix=_("Give --plan the output folder of a completed run."),
                    file=str(path),
                    column=column,
                )
                for column in missing
            ]
        )
    return frame


def _read_routes(path: Path) -> pd.DataFrame:
    features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    rows = [feature.get("properties", {}) for feature in features]
    routes = pd.DataFrame(
        rows, columns=["route_id", "territory_id", "week", "weekday", "vehicle_type"]
    )
    routes["week"] = routes["week"].fillna(1).astype(int)
    routes["weekday"] = routes["weekday"].map({day: i for i, day in enumerate(WEEKDAYS)})
    return routes


def _vehicles(
    scenario: Scenario, territory_ids: list[str], routes: pd.DataFrame
) -> dict[str, VehicleType]:
    """Return each territory's vehicle type: the one its planned routes use.

    A territory without a planned route gets the vehicle the run would give it: one per
    territory, in fleet order.
    """
    by_name = {vehicle.name: vehicle for vehicle in scenario.fleet}
    used = routes.groupby("territory_id")["vehicle_type"].first().to_dict()
    default = vehicles_for_territories(scenario, len(territory_ids))
    return {
        territory: by_name.get(str(used.get(territory)), default[index])
        for index, territory in enumerate(territory_ids)
    }


def _cycle_weeks(folder: Path, routes: pd.DataFrame) -> int:
    summary = folder / "summary.json"
    if summary.is_file():
        weeks = json.loads(summary.read_text(encoding="utf-8")).get("cycle_weeks")
        if isinstance(weeks, int) and weeks in (1, 2, 4):
            return weeks
    longest = int(routes["week"].max()) if len(routes) else 1
    return longest if longest in (1, 2, 4) else 2 ** math.ceil(math.log2(max(longest, 1)))


def nearest_territory(plan: Plan, lat: np.ndarray, lon: np.ndarray) -> list[str]:
    """Return, for each point, the territory of the nearest customer that has one.

    Distances are great-circle (haversine); a point with no territory anywhere gets ``""``.
    """
    assigned = plan.customers[plan.customers["territory_id"] != ""]
    if assigned.empty or len(lat) == 0:
        return [""] * len(lat)
    lat1 = np.radians(np.asarray(lat, dtype=float))[:, None]
    lon1 = np.radians(np.asarray(lon, dtype=float))[:, None]
    lat2 = np.radians(assigned["lat"].to_numpy(float))[None, :]
    lon2 = np.radians(assigned["lon"].to_numpy(float))[None, :]
    half_chord = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    nearest = np.argmin(half_chord, axis=1)
    return assigned["territory_id"].to_numpy()[nearest].tolist()
