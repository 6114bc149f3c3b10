"""The day's orders joined to the plan: territory, location, service time and time window.

* A customer of the plan keeps its plan location and territory, and its id is written as in
  the plan.
* A customer missing from the plan, or in it without a territory, joins the territory of the
  nearest customer that has one (great-circle distance).
* Service time: the order's ``service_min``, else the customer's, else the median of its
  territory's customers.
* Time window: the order's, else the customer's window in the scenario's customer file, else
  none.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from gtm_optimizer.batch.plan import Plan, nearest_territory
from gtm_optimizer.errors import InputError
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.customers import load_customers
from gtm_optimizer.inputs.problems import id_key

logger = logging.getLogger(__name__)

DAY_ORDER_COLUMNS = [
    "customer_id",
    "key",
    "territory_id",
    "volume",
    "service_s",
    "tw_start_s",
    "tw_end_s",
    "lat",
    "lon",
    "line",
    "is_new",
]


def join_plan(plan: Plan, orders: pd.DataFrame) -> pd.DataFrame:
    """Return the orders with every column of :data:`DAY_ORDER_COLUMNS` filled from the plan."""
    known = plan.customers.set_index("key")
    frame = orders.copy().reset_index(drop=True)
    is_known = frame["key"].isin(known.index).to_numpy()
    keys = frame.loc[is_known, "key"]
    frame.loc[is_known, "customer_id"] = known.loc[keys, "customer_id"].to_numpy()
    frame.loc[is_known, "lat"] = known.loc[keys, "lat"].to_numpy(float)
    frame.loc[is_known, "lon"] = known.loc[keys, "lon"].to_numpy(float)
    frame["territory_id"] = ""
    frame.loc[is_known, "territory_id"] = known.loc[keys, "territory_id"].to_numpy()
    frame["service_s"] = frame["service_s"].astype(float)
    frame.loc[is_known, "service_s"] = frame.loc[is_known, "service_s"].fillna(
        pd.Series(known.loc[keys, "service_s"].to_numpy(float), index=frame.index[is_known])
    )

    without = frame["territory_id"].eq("").to_numpy()
    if without.any():
        frame.loc[without, "territory_id"] = nearest_territory(
            plan,
            frame.loc[without, "lat"].to_numpy(float),
            frame.loc[without, "lon"].to_numpy(float),
        )
    _fill_service(plan, frame)
    _fill_windows(plan, frame)
    logger.info(
        _(
            "Joined {orders} orders to the plan: {new} new customers, {without} without a plan "
            "territory"
        ).format(orders=len(frame), new=int((~is_known).sum()), without=int(without.sum()))
    )
    return frame[DAY_ORDER_COLUMNS]


def _fill_service(plan: Plan, frame: pd.DataFrame) -> None:
    assigned = plan.customers[plan.customers["territory_id"] != ""]
    median_of = assigned.groupby("territory_id")["service_s"].median()
    overall = float(assigned["service_s"].median()) if len(assigned) else 0.0
    fallback = frame["territory_id"].map(median_of).fillna(overall)
    frame["service_s"] = frame["service_s"].fillna(fallback).fillna(0.0)


def _fill_windows(plan: Plan, frame: pd.DataFrame) -> None:
    missing = frame["tw_start_s"].isna() & ~frame["is_new"].astype(bool)
    if not missing.any():
        return
    windows = master_windows(plan)
    if windows.empty:
        return
    keys = frame.loc[missing, "key"]
    found = keys.isin(windows.index)
    rows = keys.index[found.to_numpy()]
    frame.loc[rows, "tw_start_s"] = windows.loc[keys[found], "tw_start_s"].to_numpy(float)
    frame.loc[rows, "tw_end_s"] = windows.loc[keys[found], "tw_end_s"].to_numpy(float)


def master_windows(plan: Plan) -> pd.DataFrame:
    """Return the time windows of the scenario's customer file, indexed by customer key.

    An empty frame when the file cannot be read: the orders then carry the only windows.
    """
    scenario = plan.scenario
    path = scenario.resolve(scenario.inputs.customers)
    empty = pd.DataFrame(columns=["tw_start_s", "tw_end_s"])
    if path is None or not path.is_file():
        logger.warning(
            _("Customer file {path} not found; orders without a time window get none").format(
                path=path
            )
        )
        return empty
    try:
        table = load_customers(
            path,
            columns=scenario.inputs.columns,
            decimal_comma=scenario.inputs.decimal_comma,
            working_days=scenario.plan.working_days,
        )
    except InputError as error:
        logger.warning(
            _(
                "Customer file {path} cannot be read ({error}); orders without a time window "
                "get none"
            ).format(path=path, error=error)
        )
        return empty
    customers = table.customers
    if customers.empty:
        return empty
    index = customers["customer_id"].map(id_key)
    windows = pd.DataFrame(
        {
            "tw_start_s": customers["tw_start_s"].to_numpy(float),
            "tw_end_s": customers["tw_end_s"].to_numpy(float),
        },
        index=pd.Index(index, name="key"),
    )
    return windows[~windows.index.duplicated()].dropna()


def point_table(plan: Plan, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the latitudes and longitudes of the depots, then of every order, in that order."""
    depots = plan.scenario.depots
    lat = np.concatenate([[d.lat for d in depots], frame["lat"].to_numpy(float)])
    lon = np.concatenate([[d.lon for d in depots], frame["lon"].to_numpy(float)])
    return lat, lon
