"""What re-routing changed against the plan's routes of the same weekday.

A customer's plan route is its stop on the date's weekday in the date's cycle week. When it
has none there, it is its stop on that weekday in another cycle week (a customer visited
every two weeks who orders in its off week). The table has one row per customer of either
the plan routes or the new routes, with ``change``:

* ``kept``: on its plan route, in the same order relative to the other customers on both
  the plan route and the new route;
* ``resequenced``: on its plan route, in another relative order;
* ``moved``: on another route than its plan route;
* ``new``: routed, with no plan stop on this weekday (a customer ordering on another day, or
  a customer the plan does not know);
* ``dropped``: planned on this weekday and cycle week, with no order today;
* ``unserved``: ordered but not routed (see ``unserved.csv`` for the reason).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from gtm_optimizer.batch.plan import Plan

CHANGE_COLUMNS = [
    "customer_id",
    "change",
    "plan_route_id",
    "plan_sequence",
    "route_id",
    "sequence",
]
CHANGES = ("kept", "resequenced", "moved", "new", "dropped", "unserved")


def plan_reference(plan: Plan, *, week: int, weekday: int) -> pd.DataFrame:
    """Return each customer's plan stop on ``weekday``, preferring cycle week ``week``.

    Columns ``key``, ``customer_id``, ``route_id``, ``sequence`` and ``same_week``.
    """
    stops = plan.stops[plan.stops["weekday"] == weekday].copy()
    stops["same_week"] = stops["week"] == week
    stops = stops.sort_values(["key", "same_week", "week"], ascending=[True, False, True])
    first = stops.drop_duplicates("key", keep="first")
    return first[["key", "customer_id", "route_id", "sequence", "same_week"]].reset_index(
        drop=True
    )


def compare_with_plan(
    reference: pd.DataFrame,
    stops: pd.DataFrame,
    ordered: pd.DataFrame,
    ordered_keys: Collection[str],
) -> pd.DataFrame:
    """Return one row per customer of the plan day or of the new routes, with its change.

    Parameters
    ----------
    reference
        The plan stops of :func:`plan_reference`.
    stops
        The new stops: ``key``, ``customer_id``, ``route_id`` and ``sequence``.
    ordered
        Every valid order: ``key`` and ``customer_id``.
    ordered_keys
        Keys of the customers with a valid order today.
    """
    ordered_keys = set(ordered_keys)
    new = stops.set_index("key")[["customer_id", "route_id", "sequence"]]
    old = reference.set_index("key")
    kept_order = _keeps_relative_order(old, new)
    names = {
        **dict(zip(ordered["key"], ordered["customer_id"], strict=True)),
        **old["customer_id"].to_dict(),
        **new["customer_id"].to_dict(),
    }
    records = []
    for key in sorted(set(old.index) | set(new.index) | ordered_keys):
        in_old, in_new = key in old.index, key in new.index
        change = _change(key, in_old, in_new, old, new, kept_order, ordered_keys)
        if change is None:
            continue
        records.append(
            {
                "customer_id": names[key],
                "change": change,
                "plan_route_id": old.at[key, "route_id"] if in_old else "",
                "plan_sequence": int(old.at[key, "sequence"]) if in_old else None,
                "route_id": new.at[key, "route_id"] if in_new else "",
                "sequence": int(new.at[key, "sequence"]) if in_new else None,
            }
        )
    frame = pd.DataFrame(records, columns=CHANGE_COLUMNS)
    for column in ("plan_sequence", "sequence"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _change(
    key: str,
    in_old: bool,
    in_new: bool,
    old: pd.DataFrame,
    new: pd.DataFrame,
    kept_order: set[str],
    ordered_keys: set[str],
) -> str | None:
    if in_old and in_new:
        if old.at[key, "route_id"] != new.at[key, "route_id"]:
            return "moved"
        return "kept" if key in kept_order else "resequenced"
    if in_new:
        return "new"
    if key in ordered_keys:
        return "unserved"
    # A plan stop of another cycle week is not due today, so missing it changes nothing.
    return "dropped" if in_old and bool(old.at[key, "same_week"]) else None


def _keeps_relative_order(old: pd.DataFrame, new: pd.DataFrame) -> set[str]:
    """Return the customers whose rank among the stops common to both routes is unchanged."""
    kept: set[str] = set()
    common = old.index.intersection(new.index)
    same_route = [key for key in common if old.at[key, "route_id"] == new.at[key, "route_id"]]
    if not same_route:
        return kept
    both = pd.DataFrame(
        {
            "route_id": [new.at[key, "route_id"] for key in same_route],
            "old_sequence": [int(old.at[key, "sequence"]) for key in same_route],
            "new_sequence": [int(new.at[key, "sequence"]) for key in same_route],
        },
        index=same_route,
    )
    for _route_id, group in both.groupby("route_id"):
        old_rank = group["old_sequence"].rank(method="first").to_numpy()
        new_rank = group["new_sequence"].rank(method="first").to_numpy()
        kept.update(group.index[np.equal(old_rank, new_rank)])
    return kept
