"""Scenario schema: everything a run needs besides the data files, read from one YAML file.

A scenario names its input files (relative to the scenario file), the road network, the
depots, the fleet, the cost parameters, the plan settings (territories, working days) and the
solver budget. ``extends: other.yaml`` starts from another scenario and overrides the keys
given, merging nested sections key by key, so a what-if states only what it changes.

Times of day are written ``HH:MM`` and stored in seconds after midnight; money is in the
scenario's ``currency`` (COP in the bundled scenarios). Depot ids, like customer ids, are
compared after trimming surrounding spaces and ignoring case, so ``"d1 "`` repeats ``"D1"``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.settings import describe_settings_errors, read_settings_yaml

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?\s*([AaPp]\.?\s*[Mm]\.?)?$")


def parse_clock(value: str) -> float:
    """Return the seconds after midnight of a time of day.

    Accepted forms: ``HH:MM``, ``H:MM``, ``HH:MM:SS`` (as spreadsheets export times) and
    12-hour times with ``AM``/``PM`` (``7:30 PM``, ``7 p. m.``); the minutes may be left out
    only with ``AM``/``PM``. ``24:00`` is the end of the day.
    """
    match = _CLOCK.match(value.strip())
    if not match or (match[2] is None and not match[4]):
        raise ValueError(f"time {value!r} is not HH:MM; write it like 07:30")
    hours, minutes, seconds = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if match[4]:
        if not 1 <= hours <= 12:
            raise ValueError(f"time {value!r} has an hour outside 1-12 for AM/PM")
        hours = hours % 12 + (12 if match[4][0] in "Pp" else 0)
    if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):
        raise ValueError(f"time {value!r} is not a time of day between 00:00 and 24:00")
    return hours * 3600.0 + minutes * 60.0 + seconds


def format_clock(seconds: float) -> str:
    """Return ``HH:MM`` for seconds after midnight, rounded to the minute."""
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputFiles(_Model):
    """Customer data files and how to read them."""

    customers: Path
    universe: Path | None = None
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Map from the product's column name to the name used in the file.",
    )
    decimal_comma: bool = Field(
        default=False,
        description="Accept a comma as decimal mark in numbers (Spanish-locale spreadsheets).",
    )
    time_format: Literal["clock", "seconds"] = Field(
        default="clock",
        description="How tw_start and tw_end are written: clock (07:30, 7:30 PM, 07:30:00) or "
        "seconds (whole seconds after midnight, 0 to 86400). Columns named tw_start_s and "
        "tw_end_s always hold seconds.",
    )


class NetworkSettings(_Model):
    """Road network source and how points are snapped onto it."""

    path: Path | None = Field(default=None, description="OSM (.osm, .pbf, .bz2, .gz) or GraphML.")
    profile: Literal["car", "van", "truck", "motorcycle"] = "van"
    speeds_kph: dict[str, float] = Field(
        default_factory=dict, description="Speed per OSM highway type, overriding the defaults."
    )
    max_snap_m: float = Field(default=500.0, gt=0)
    snap_warning_m: float = Field(
        default=150.0,
        gt=0,
        description="Customers farther than this from their road are listed as warnings by "
        "validation; they are still served from that road.",
    )
    straight_line: bool = Field(
        default=False,
        description="Use straight-line distances times a circuity factor instead of roads.",
    )
    straight_line_speed_kph: float = Field(default=25.0, gt=0)
    service_radius_km: float = Field(
        default=100.0,
        gt=0,
        description="Without a road network, customers farther than this from every depot are "
        "reported as outside the service area.",
    )


class Depot(_Model):
    """A place where routes start and end."""

    id: str
    name: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    open: str = "00:00"
    close: str = "24:00"

    @field_validator("open", "close", mode="before")
    @classmethod
    def _check_clock(cls, value: object) -> object:
        return _checked_clock(value)

    @model_validator(mode="after")
    def _check_hours(self) -> Depot:
        if parse_clock(self.close) <= parse_clock(self.open):
            raise ValueError(
                _(
                    "depot {depot}: close {close} is not after open {open}; set a closing time "
                    "later than the opening time"
                ).format(depot=self.id, close=self.close, open=self.open)
            )
        return self


class VehicleType(_Model):
    """A kind of vehicle (and the rep or driver in it), with its count and costs."""

    name: str
    count: int = Field(ge=1)
    depot: str
    capacity: float = Field(gt=0, description="In the unit of the customers' volume.")
    shift_start: str = "07:00"
    shift_end: str = "17:00"
    max_shift_h: float | None = Field(default=None, gt=0)
    fixed_cost_per_day: float = Field(default=0.0, ge=0)
    cost_per_hour: float = Field(default=0.0, ge=0)
    cost_per_km: float = Field(default=0.0, ge=0)

    @field_validator("shift_start", "shift_end", mode="before")
    @classmethod
    def _check_clock(cls, value: object) -> object:
        return _checked_clock(value)

    @model_validator(mode="after")
    def _check_shift(self) -> VehicleType:
        if parse_clock(self.shift_end) <= parse_clock(self.shift_start):
            raise ValueError(
                _(
                    "shift_end {end} is not after shift_start {start}; set a shift_end later "
                    "than shift_start (a shift cannot cross midnight)"
                ).format(end=self.shift_end, start=self.shift_start)
            )
        return self

    @property
    def shift_s(self) -> tuple[float, float]:
        """Shift start and end in seconds after midnight."""
        return parse_clock(self.shift_start), parse_clock(self.shift_end)


ChannelName = Literal["direct", "distributor", "telesales", "ecommerce"]


class Costs(_Model):
    """Cost parameters beyond the vehicles' own, and the settings of customer value.

    Money is in the scenario's currency, per the unit in the field's name. ``_pct`` fields are
    percentages (25 means 25 %). ``_rate`` fields and ``annual_cost_of_capital`` are fractions
    (0.12 means 12 %).
    """

    cost_per_drop: float = Field(default=0.0, ge=0)
    handling_cost_per_unit: float = Field(default=0.0, ge=0)
    order_taking_cost_per_visit: float = Field(
        default=0.0, ge=0, description="Direct channel: the rep takes one order per visit."
    )
    annual_cost_of_capital: float = Field(default=0.0, ge=0, le=1)
    weeks_per_year: float = Field(default=48.0, gt=0)
    allocation: Literal["time", "marginal"] = Field(
        default="time",
        description="How a route's cost is split among its stops: by time on the route, or "
        "by what the route saves without the stop.",
    )
    telesales_cost_per_order: float = Field(default=0.0, ge=0)
    ecommerce_cost_per_order: float = Field(default=0.0, ge=0)
    distributor_cost_per_order: float = Field(default=0.0, ge=0)
    partner_delivery_cost_per_drop: float = Field(
        default=0.0,
        ge=0,
        description="Delivery by a partner carrier, for telesales and e-commerce orders.",
    )
    ecommerce_fee_pct: float = Field(default=0.0, ge=0, le=100)
    distributor_margin_pct: float = Field(
        default=0.0,
        ge=0,
        le=100,
        description="The company sells to the distributor at revenue × (1 − margin).",
    )
    overhead_per_week: float = Field(default=0.0, ge=0)
    overhead_driver: Literal["revenue", "volume", "visits", "equal"] = "revenue"
    gross_margin_pct: float = Field(default=25.0, ge=0, le=100)
    horizon_years: int = Field(default=3, ge=1, le=50)
    retention_rate: float = Field(
        default=0.85, ge=0, le=1, description="Share of customers still buying a year later."
    )
    discount_rate: float = Field(default=0.12, ge=0, le=1, description="Per year.")
    revenue_threshold_per_week: float | None = Field(
        default=None,
        ge=0,
        description="Revenue from which a customer counts as high revenue; empty uses the "
        "median of the served customers.",
    )
    cts_pct_threshold: float = Field(
        default=10.0, ge=0, description="CTS % above which a customer counts as costly."
    )


class ChannelRules(_Model):
    """Rules for moving customers from the direct route to cheaper channels.

    A customer may use the channels of its segment in ``allowed_by_segment``, or ``allowed``
    when its segment is not listed. Segments in ``keep_direct_segments`` stay direct.
    """

    allowed: tuple[ChannelName, ...] = Field(default=("direct",), min_length=1)
    allowed_by_segment: dict[str, tuple[ChannelName, ...]] = Field(default_factory=dict)
    keep_direct_segments: tuple[str, ...] = ()
    segment_column: Literal["segment", "cts_segment"] = Field(
        default="segment",
        description="The customer column the segment rules read: the input segment or the "
        "cost-to-serve segment.",
    )
    min_drop_size: float = Field(
        default=0.0,
        ge=0,
        description="Volume per visit, in the scenario's volume unit, below which a customer "
        "cannot be served directly.",
    )
    min_numeric_distribution_pct: float = Field(
        default=100.0,
        ge=0,
        le=100,
        description="Served outlets over the universe, in percent, that must remain served; "
        "every channel counts as served.",
    )
    max_rounds: int = Field(default=3, ge=1, le=20)

    @model_validator(mode="after")
    def _check_segments(self) -> ChannelRules:
        for segment, channels in self.allowed_by_segment.items():
            if not channels:
                raise ValueError(
                    f"allowed_by_segment[{segment!r}] is empty; list at least one channel"
                )
            if segment in self.keep_direct_segments and "direct" not in channels:
                raise ValueError(
                    f"segment {segment!r} is in keep_direct_segments but its "
                    f"allowed_by_segment {list(channels)} has no direct; add direct"
                )
        return self


class Plan(_Model):
    """Territory and calendar settings."""

    territories: int | Literal["auto"] = Field(
        default="auto",
        description="Number of territories, or auto: of the count whose reps' days fill up "
        "(by hours and by load) and its two neighbours, the one with the lowest weekly route "
        "cost, each unserved visit charged a route-day.",
    )
    workload_tolerance: float = Field(default=0.05, ge=0, lt=1)
    revenue_tolerance: float | None = Field(default=0.10, ge=0, lt=1)
    working_days: int = Field(default=5, ge=1, le=6)
    pack_days: bool | None = Field(
        default=None,
        description="Give each territory days off so that its visits fill as few route-days "
        "as its shift allows (85 % of the shift by the workload estimate); null packs only "
        "with territories: auto.",
    )
    travel_share_per_visit_min: float | None = Field(
        default=None,
        ge=0,
        description="Travel minutes added to each visit's workload before routing; "
        "estimated from the network when left empty.",
    )
    rebalance_rounds: int = Field(
        default=1,
        ge=0,
        description="Realignments on routed workloads when they break the tolerance.",
    )
    max_moved_share: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Largest share of customers a realignment may move to another territory.",
    )
    auto_time_limit_s: float = Field(
        default=1.0,
        gt=0,
        description="Seconds per route-day problem when comparing territory counts (auto).",
    )

    @property
    def packs_days(self) -> bool:
        """Whether the calendar gives territories days off (see ``pack_days``)."""
        if self.pack_days is None:
            return self.territories == "auto"
        return self.pack_days


class Solver(_Model):
    """Search budget and parallelism."""

    backend: Literal["pyvrp", "ortools"] = "pyvrp"
    time_limit_s: float = Field(default=10.0, gt=0, description="Per route-day problem.")
    no_improvement_iterations: int | None = Field(
        default=1000,
        ge=1,
        description="PyVRP: end a route-day search once its best plan has not improved for "
        "this many iterations; null searches until the time limit or the iteration budget.",
    )
    territory_time_limit_s: float = Field(default=30.0, gt=0)
    seed: int = 0
    workers: int = Field(default=0, ge=0, description="Parallel processes; 0 uses every core.")


class Scenario(_Model):
    """A complete run configuration; paths are resolved against the scenario file's folder."""

    name: str
    description: str = ""
    language: Literal["es", "en"] = "en"
    currency: str = "COP"
    volume_unit: str = "cases"
    inputs: InputFiles
    network: NetworkSettings = NetworkSettings()
    depots: tuple[Depot, ...] = Field(min_length=1)
    fleet: tuple[VehicleType, ...] = Field(min_length=1)
    costs: Costs = Costs()
    channels: ChannelRules = ChannelRules()
    plan: Plan = Plan()
    solver: Solver = Solver()
    on_invalid_rows: Literal["stop", "skip"] = "stop"
    assumptions: str = Field(
        default="", description="Statement shown in outputs when some data is assumed."
    )
    base_dir: Path = Field(default=Path("."), exclude=True)

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        _check_depot_ids(self.depots)
        depot_ids = [depot.id for depot in self.depots]
        for index, vehicle in enumerate(self.fleet):
            if vehicle.depot not in depot_ids:
                raise ValueError(
                    _(
                        "fleet[{index}].depot: vehicle type {name!r} uses depot {depot!r}, which "
                        "is not defined; defined depots: {defined}. Use one of them, spelled "
                        "exactly."
                    ).format(
                        index=index,
                        name=vehicle.name,
                        depot=vehicle.depot,
                        defined=", ".join(depot_ids),
                    )
                )
        if self.network.path is None and not self.network.straight_line:
            raise ValueError(
                _("network.path is empty; give an OSM file or set network.straight_line: true")
            )
        return self

    def resolve(self, path: Path | None) -> Path | None:
        """Return ``path`` resolved against the scenario file's folder."""
        if path is None:
            return None
        return path if path.is_absolute() else (self.base_dir / path).resolve()

    def to_resolved_dict(self) -> dict[str, Any]:
        """Return the settings as plain data with every file path made absolute.

        The result loads back with ``Scenario.model_validate`` from any folder; a run writes it
        as ``scenario.json`` so that later commands (re-routing) find the same inputs.
        """
        data = self.model_dump(mode="json")
        data["inputs"]["customers"] = str(self.resolve(self.inputs.customers))
        if self.inputs.universe is not None:
            data["inputs"]["universe"] = str(self.resolve(self.inputs.universe))
        if self.network.path is not None:
            data["network"]["path"] = str(self.resolve(self.network.path))
        return data

    @property
    def n_vehicles(self) -> int:
        """Total number of vehicles over all types."""
        return sum(vehicle.count for vehicle in self.fleet)


def _checked_clock(value: object) -> object:
    """Check a time of day as written in the file; pydantic checks the type of anything else.

    YAML 1.1 reads an unquoted ``17:00`` as the base-60 number 1020 (17 * 60 + 0), so a
    whole number gets a hint to quote the time.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(
            _(
                "must be a time of day in quotes; got the number {value}. YAML reads an "
                'unquoted 17:00 as the number 1020: write "17:00" in quotes'
            ).format(value=value)
        )
    if not isinstance(value, str):
        return value
    try:
        parse_clock(value)
    except ValueError:
        raise ValueError(
            _("time {value!r} is not a time of day; write it as HH:MM, for example 07:30").format(
                value=value
            )
        ) from None
    return value


def _depot_key(depot_id: str) -> str:
    return " ".join(depot_id.split()).casefold()


def _check_depot_ids(depots: tuple[Depot, ...]) -> None:
    first_of: dict[str, int] = {}
    for index, depot in enumerate(depots):
        key = _depot_key(depot.id)
        if not key:
            raise ValueError(
                _("depots[{index}].id is blank; give every depot an id").format(index=index)
            )
        if key in first_of:
            raise ValueError(
                _(
                    "depots[{index}].id {depot!r} repeats depots[{first}].id {other!r} (depot ids "
                    "are compared ignoring case and surrounding spaces); give each depot its own "
                    "id"
                ).format(
                    index=index,
                    depot=depot.id,
                    first=first_of[key],
                    other=depots[first_of[key]].id,
                )
            )
        first_of[key] = index


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    if path in chain:
        cycle = " -> ".join(str(p.name) for p in (*chain, path))
        raise ScenarioError(
            _("Scenario files extend each other in a cycle: {cycle}").format(cycle=cycle)
        )
    if not path.is_file():
        raise ScenarioError(_("Scenario file not found: {path}").format(path=path))
    data = read_settings_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError(
            _("Scenario file {path} must contain a mapping of settings.").format(path=path)
        )
    parent = data.pop("extends", None)
    if parent is None:
        return data
    parent_path = (path.parent / str(parent)).resolve()
    base = _read_yaml(parent_path, (*chain, path))
    # Relative paths in the parent stay relative to the parent's folder.
    _rebase_paths(base, parent_path.parent, path.parent)
    return _merge(base, data)


def _rebase_paths(data: dict[str, Any], source_dir: Path, target_dir: Path) -> None:
    if source_dir == target_dir:
        return
    sections = {"inputs": ("customers", "universe"), "network": ("path",)}
    for section, keys in sections.items():
        block = data.get(section)
        if not isinstance(block, dict):
            continue
        for key in keys:
            value = block.get(key)
            if value and not Path(value).is_absolute():
                block[key] = str((source_dir / value).resolve())


def load_scenario(path: Path | str, **overrides: Any) -> Scenario:
    """Read, merge (``extends:``) and validate a scenario file.

    Parameters
    ----------
    path
        The scenario YAML file.
    **overrides
        Top-level sections to merge over the file's content, e.g.
        ``solver={"time_limit_s": 2}``.

    Returns
    -------
    Scenario
        The validated scenario, with ``base_dir`` set to the file's folder.

    Raises
    ------
    ScenarioError
        If the file is missing, is not YAML, or breaks the schema; the message lists every
        problem with its setting path.
    """
    path = Path(path).resolve()
    data = _merge(_read_yaml(path, ()), overrides)
    try:
        return Scenario.model_validate({**data, "base_dir": path.parent})
    except ValidationError as error:
        lines = [_("Scenario file {path} has invalid settings:").format(path=path)]
        lines += ["  - " + line for line in describe_settings_errors(error, Scenario)]
        raise ScenarioError("\n".join(lines)) from None
