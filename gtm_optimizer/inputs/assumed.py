"""Assumed commercial attributes for outlets that have only a location and a type.

No public source gives the revenue, order size or visit frequency of a real shop. To run a
study on real outlet locations (an OpenStreetMap extract) before the customer master arrives,
this module draws those attributes from a documented, seeded model by outlet type. Every row it
writes carries ``attributes_source = "assumed"``, and reports repeat that the figures are
assumptions, not data.

The model, per outlet type (the values of :data:`OUTLET_MODELS`):

* weekly revenue ~ lognormal around the type's median (COP), with the type's spread;
* weekly volume = revenue / revenue per case (45,000 COP a case of mixed consumer goods),
  times lognormal noise of 15 %;
* visits per week: the type's base frequency; the largest quarter of traditional outlets gets
  one more visit, and the smallest fifth of kiosks and traditional shops is visited every two
  weeks;
* service minutes: the type's median scaled by volume (larger drops take longer), clipped
  to [5, 60];
* receiving window: the type's window (restaurants receive before lunch, bars after 10:00);
* credit days: supermarkets and department stores 30, pharmacies 15, others pay cash (0).

Randomness is keyed by the seed and the outlet id, so adding or removing an outlet leaves every
other outlet's attributes unchanged.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

REVENUE_PER_CASE_COP = 45_000.0


@dataclass(frozen=True)
class OutletModel:
    """Assumed commercial profile of one outlet type."""

    segment: str
    revenue_median_cop: float
    revenue_spread: float
    visits_per_week: float
    service_min: float
    window: tuple[str, str]
    credit_days: int = 0


_TRADITIONAL = OutletModel("traditional", 650_000, 0.55, 1, 12, ("07:00", "18:00"))
_SMALL_FOOD = OutletModel("traditional", 320_000, 0.5, 1, 10, ("07:00", "17:00"))
_ON_PREMISE = OutletModel("on_premise", 380_000, 0.55, 1, 10, ("07:00", "11:30"))
_PHARMACY = OutletModel("pharmacy", 550_000, 0.5, 1, 12, ("08:00", "18:00"), 15)
_MODERN = OutletModel("modern", 4_500_000, 0.5, 2, 30, ("07:00", "12:00"), 30)

OUTLET_MODELS: dict[str, OutletModel] = {
    "supermarket": _MODERN,
    "department_store": OutletModel("modern", 2_000_000, 0.5, 1, 25, ("07:00", "12:00"), 30),
    "mall": OutletModel("modern", 2_000_000, 0.5, 1, 25, ("07:00", "12:00"), 30),
    "convenience": _TRADITIONAL,
    "general": _TRADITIONAL,
    "variety_store": OutletModel("traditional", 500_000, 0.5, 1, 12, ("07:00", "18:00")),
    "kiosk": OutletModel("traditional", 180_000, 0.45, 1, 8, ("07:00", "18:00")),
    "beverages": OutletModel("traditional", 900_000, 0.5, 1, 15, ("07:00", "18:00")),
    "alcohol": OutletModel("traditional", 900_000, 0.5, 1, 15, ("09:00", "18:00")),
    "bakery": _SMALL_FOOD,
    "butcher": _SMALL_FOOD,
    "greengrocer": _SMALL_FOOD,
    "deli": _SMALL_FOOD,
    "dairy": _SMALL_FOOD,
    "confectionery": _SMALL_FOOD,
    "frozen_food": _SMALL_FOOD,
    "pastry": _SMALL_FOOD,
    "pharmacy": _PHARMACY,
    "chemist": _PHARMACY,
    "cosmetics": OutletModel("pharmacy", 400_000, 0.5, 1, 10, ("09:00", "18:00")),
    "fuel": OutletModel("traditional", 400_000, 0.5, 1, 10, ("07:00", "18:00")),
    "restaurant": _ON_PREMISE,
    "fast_food": _ON_PREMISE,
    "cafe": _ON_PREMISE,
    "ice_cream": _ON_PREMISE,
    "bar": OutletModel("on_premise", 600_000, 0.55, 1, 12, ("10:00", "17:00")),
    "pub": OutletModel("on_premise", 600_000, 0.55, 1, 12, ("10:00", "17:00")),
    "marketplace": OutletModel("traditional", 1_200_000, 0.5, 2, 25, ("06:00", "12:00")),
}
"""Outlet types a consumer-goods company sells to; other types (clothes, hardware) are not
outlets of this trade and get no attributes."""


def _rng(seed: int, outlet_id: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(outlet_id.encode("utf-8"))])


def assume_attributes(
    outlets: pd.DataFrame, *, seed: int = 0, customer_share: float = 1.0
) -> pd.DataFrame:
    """Add assumed commercial attributes to outlets of the consumer-goods trade.

    Parameters
    ----------
    outlets
        Columns ``outlet_id``, ``name``, ``outlet_type``, ``lat``, ``lon``.
    seed
        Seed of the model; the same seed and outlet id give the same attributes.
    customer_share
        Share of outlets drawn as current customers (``is_customer``); the others are
        prospects of the universe.

    Returns
    -------
    pandas.DataFrame
        One row per outlet whose type is in :data:`OUTLET_MODELS`, with the customer master
        columns and ``attributes_source = "assumed"``.
    """
    if not 0.0 < customer_share <= 1.0:
        raise ValueError(f"customer_share must be in (0, 1], got {customer_share}")
    relevant = outlets[outlets["outlet_type"].isin(OUTLET_MODELS)].reset_index(drop=True)
    rows = [_draw(row, seed, customer_share) for row in relevant.itertuples(index=False)]
    table = pd.DataFrame(rows)
    _adjust_frequencies(table)
    return table


def _draw(row: object, seed: int, customer_share: float) -> dict[str, object]:
    outlet_id = str(row.outlet_id)  # type: ignore[attr-defined]
    model = OUTLET_MODELS[str(row.outlet_type)]  # type: ignore[attr-defined]
    rng = _rng(seed, outlet_id)
    revenue = model.revenue_median_cop * float(rng.lognormal(0.0, model.revenue_spread))
    volume = revenue / REVENUE_PER_CASE_COP * float(rng.lognormal(0.0, 0.15))
    median_volume = model.revenue_median_cop / REVENUE_PER_CASE_COP
    service = model.service_min * (volume / median_volume) ** 0.3
    return {
        "customer_id": outlet_id,
        "name": row.name,  # type: ignore[attr-defined]
        "outlet_type": row.outlet_type,  # type: ignore[attr-defined]
        "segment": model.segment,
        "lat": round(float(row.lat), 7),  # type: ignore[attr-defined]
        "lon": round(float(row.lon), 7),  # type: ignore[attr-defined]
        "revenue_per_week": round(revenue, -3),
        "volume_per_week": round(volume, 1),
        "visits_per_week": float(model.visits_per_week),
        "service_min": round(float(np.clip(service, 5.0, 60.0)), 0),
        "tw_start": model.window[0],
        "tw_end": model.window[1],
        "credit_days": model.credit_days,
        "channel": "direct",
        "is_customer": bool(rng.random() < customer_share),
        "attributes_source": "assumed",
    }


def _adjust_frequencies(table: pd.DataFrame) -> None:
    if table.empty:
        return
    traditional = table["segment"].eq("traditional")
    revenue = table["revenue_per_week"]
    high = revenue >= revenue[traditional].quantile(0.75)
    low = revenue <= revenue[traditional].quantile(0.20)
    table.loc[traditional & high, "visits_per_week"] += 1
    table.loc[traditional & low & table["visits_per_week"].eq(1), "visits_per_week"] = 0.5
