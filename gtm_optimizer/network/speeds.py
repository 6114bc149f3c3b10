"""Vehicle profiles, default road speeds and ``maxspeed`` parsing.

A road's speed comes from its ``maxspeed`` tag when the tag can be read, otherwise from the
urban default of its ``highway`` type (:data:`DEFAULT_SPEEDS_KPH`). A vehicle then drives at
``min(road speed * speed_factor, max_speed_kph)`` of its :class:`VehicleProfile`.

osmnx's ``add_edge_speeds`` is deliberately not used. It imputes a missing speed from the mean
of tagged roads of the same type, which puts untagged residential streets of a mid-size Latin
American city at highway-like speeds (about 58 km/h on the Duitama extract).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

#: Urban default speeds by ``highway`` type, in km/h, used when a road has no readable
#: ``maxspeed`` tag. They are typical free-flow speeds of a delivery vehicle in a Latin
#: American city, below the legal limits on purpose.
#:
#: ==============  =====  ==============  =====
#: highway         km/h   highway         km/h
#: ==============  =====  ==============  =====
#: motorway        80     motorway_link   75
#: trunk           60     trunk_link      55
#: primary         45     primary_link    40
#: secondary       40     secondary_link  35
#: tertiary        35     tertiary_link   30
#: unclassified    30     residential     25
#: living_street   10     service         15
#: road            25     track           15
#: ==============  =====  ==============  =====
#:
#: A ``*_link`` road drives 5 km/h slower than its parent road type. ``road`` (a road of
#: unknown type) drives like a residential street. ``track`` is only used by a profile that
#: allows it; no built-in profile does.
DEFAULT_SPEEDS_KPH: Mapping[str, float] = MappingProxyType(
    {
        "motorway": 80.0,
        "trunk": 60.0,
        "primary": 45.0,
        "secondary": 40.0,
        "tertiary": 35.0,
        "unclassified": 30.0,
        "residential": 25.0,
        "living_street": 10.0,
        "service": 15.0,
        "road": 25.0,
        "track": 15.0,
    }
)

#: Road types that have a ``*_link`` variant (a ramp or slip road).
LINKED_HIGHWAY_TYPES = ("motorway", "trunk", "primary", "secondary", "tertiary")

#: How much slower a ``*_link`` road is than its parent type, in km/h.
LINK_SPEED_REDUCTION_KPH = 5.0

#: Every road type a motor vehicle may use in a built-in profile.
DRIVABLE_HIGHWAY_TYPES: frozenset[str] = frozenset(
    [
        *LINKED_HIGHWAY_TYPES,
        *(f"{parent}_link" for parent in LINKED_HIGHWAY_TYPES),
        "unclassified",
        "residential",
        "living_street",
        "service",
        "road",
    ]
)

MPH_TO_KPH = 1.609344

# Implicit ``maxspeed`` values of the form ``CC:zone`` (for example ``CO:urban``). 50 km/h is
# the general urban limit in most countries, including Colombia (Law 2251 of 2022); countries
# with another urban limit are listed explicitly. Rural and motorway zone values vary too much
# by country to guess, so they are ignored.
_ZONE_SPEEDS_KPH: Mapping[str, float] = MappingProxyType(
    {"urban": 50.0, "living_street": 10.0, "walk": 5.0}
)
_COUNTRY_URBAN_SPEEDS_KPH: Mapping[str, float] = MappingProxyType({"RU": 60.0})
_NUMBER_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", re.IGNORECASE)
_ZONE_NUMBER_PATTERN = re.compile(r"^[A-Za-z]{2}:zone:?(\d+)$")


@dataclass(frozen=True)
class VehicleProfile:
    """A kind of vehicle: the roads it may use and how fast it drives on them.

    Attributes
    ----------
    name
        Short name used in scenario files and cache keys (``"van"``).
    highway_types
        OSM ``highway`` values the vehicle may drive on.
    speed_factor
        Multiplier applied to every road speed (0.85 drives 15 % slower than the road speed).
    max_speed_kph
        Speed the vehicle never exceeds, whatever the road allows.
    access_keys
        OSM access keys checked for ``no`` or ``private`` on a way (``access`` and the keys
        of the vehicle class), in addition to the general ``access`` key.
    """

    name: str
    highway_types: frozenset[str]
    speed_factor: float
    max_speed_kph: float
    access_keys: tuple[str, ...] = ("access", "vehicle", "motor_vehicle")

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("VehicleProfile.name is empty; give the profile a short name")
        if not self.highway_types:
            raise ValueError(
                f"VehicleProfile {self.name!r} allows no highway type; "
                "list at least one OSM highway value such as 'residential'"
            )
        if not (math.isfinite(self.speed_factor) and self.speed_factor > 0):
            raise ValueError(
                f"VehicleProfile {self.name!r} has speed_factor={self.speed_factor!r}; "
                "use a positive number such as 0.9"
            )
        if not (math.isfinite(self.max_speed_kph) and self.max_speed_kph > 0):
            raise ValueError(
                f"VehicleProfile {self.name!r} has max_speed_kph={self.max_speed_kph!r}; "
                "use a positive speed in km/h such as 90"
            )

    def vehicle_speed_kph(self, road_speed_kph: float) -> float:
        """Return the speed this vehicle drives on a road with the given speed."""
        return min(road_speed_kph * self.speed_factor, self.max_speed_kph)


#: The built-in profiles by name. Trucks keep off living streets and drive 15 % below the
#: road speed, capped at 80 km/h. Motorcycles drive 10 % faster than the road speed.
PROFILES: Mapping[str, VehicleProfile] = MappingProxyType(
    {
        "car": VehicleProfile(
            "car",
            DRIVABLE_HIGHWAY_TYPES,
            speed_factor=1.0,
            max_speed_kph=120.0,
            access_keys=("access", "vehicle", "motor_vehicle", "motorcar"),
        ),
        "van": VehicleProfile(
            "van",
            DRIVABLE_HIGHWAY_TYPES,
            speed_factor=0.95,
            max_speed_kph=110.0,
            access_keys=("access", "vehicle", "motor_vehicle", "motorcar", "goods"),
        ),
        "truck": VehicleProfile(
            "truck",
            DRIVABLE_HIGHWAY_TYPES - {"living_street"},
            speed_factor=0.85,
            max_speed_kph=80.0,
            access_keys=("access", "vehicle", "motor_vehicle", "hgv"),
        ),
        "motorcycle": VehicleProfile(
            "motorcycle",
            DRIVABLE_HIGHWAY_TYPES,
            speed_factor=1.1,
            max_speed_kph=120.0,
            access_keys=("access", "vehicle", "motor_vehicle", "motorcycle"),
        ),
    }
)


def resolve_profile(profile: str | VehicleProfile) -> VehicleProfile:
    """Return the profile object for a built-in profile name, or the profile itself.

    Raises
    ------
    ValueError
        If ``profile`` is a name that is not built in.
    """
    if isinstance(profile, VehicleProfile):
        return profile
    if profile not in PROFILES:
        allowed = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown vehicle profile {profile!r}; use one of: {allowed}")
    return PROFILES[profile]


def build_speed_table(speeds_kph: Mapping[str, float] | None = None) -> dict[str, float]:
    """Merge speed overrides into the defaults and derive the ``*_link`` speeds.

    A ``*_link`` type that is not overridden itself follows its (possibly overridden) parent
    type minus :data:`LINK_SPEED_REDUCTION_KPH`, with a floor of 5 km/h.

    Raises
    ------
    ValueError
        If an override is not a positive finite number.
    """
    overrides = dict(speeds_kph or {})
    for highway, speed_kph in overrides.items():
        if not (isinstance(speed_kph, int | float) and math.isfinite(speed_kph) and speed_kph > 0):
            raise ValueError(
                f"speeds_kph[{highway!r}] is {speed_kph!r}; use a positive speed in km/h"
            )

    table = {**DEFAULT_SPEEDS_KPH, **{k: float(v) for k, v in overrides.items()}}
    for parent in LINKED_HIGHWAY_TYPES:
        link = f"{parent}_link"
        if link not in overrides:
            table[link] = max(table[parent] - LINK_SPEED_REDUCTION_KPH, 5.0)
    return dict(sorted(table.items()))


def parse_maxspeed_kph(value: object) -> float | None:
    """Read an OSM ``maxspeed`` value as km/h, or return None when it cannot be read.

    Understands plain numbers (``"50"``), units (``"30 mph"``, ``"40 km/h"``), implicit zone
    values (``"CO:urban"``, ``"DE:zone30"``, ``"DE:zone:30"``), several values separated by
    ``;`` (the lowest wins) and lists from simplified graphs (the lowest wins). ``"none"``,
    ``"signals"``, ``"variable"``, rural and motorway zones return None.
    """
    if value is None:
        return None
    if isinstance(value, list | tuple | set):
        speeds = [parse_maxspeed_kph(item) for item in value]
        known = [speed for speed in speeds if speed is not None]
        return min(known) if known else None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) and value > 0 else None

    text = str(value).strip()
    if ";" in text:
        return parse_maxspeed_kph(text.split(";"))
    return _parse_single_maxspeed_kph(text)


def _parse_single_maxspeed_kph(text: str) -> float | None:
    number = _NUMBER_PATTERN.match(text)
    if number:
        speed = float(number.group(1))
        if number.group(2) and number.group(2).lower() == "mph":
            speed *= MPH_TO_KPH
        return speed if speed > 0 else None

    zone_number = _ZONE_NUMBER_PATTERN.match(text)
    if zone_number:
        return float(zone_number.group(1))

    if ":" in text:
        country, zone = text.split(":", 1)
        if zone == "urban" and country.upper() in _COUNTRY_URBAN_SPEEDS_KPH:
            return _COUNTRY_URBAN_SPEEDS_KPH[country.upper()]
        return _ZONE_SPEEDS_KPH.get(zone)
    return None


def road_speed_kph(highway: object, maxspeed: object, table: Mapping[str, float]) -> float | None:
    """Return a road's speed from its ``maxspeed`` tag, else from its ``highway`` default.

    ``highway`` may be a list (an edge merged from several road types); the lowest default of
    the listed types is used. Returns None when neither tag gives a speed.
    """
    tagged = parse_maxspeed_kph(maxspeed)
    if tagged is not None:
        return tagged

    types = highway if isinstance(highway, list | tuple | set) else [highway]
    defaults = [table[str(kind)] for kind in types if str(kind) in table]
    return min(defaults) if defaults else None
