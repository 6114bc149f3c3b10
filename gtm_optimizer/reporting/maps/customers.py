"""Customer markers coloured by CTS %, their popups and the CTS % legend.

Up to :data:`CLUSTER_THRESHOLD` customers are drawn as plain circle markers. Above it each layer
draws its customers through ``FastMarkerCluster``, which builds the markers in the browser from
one data array, so a map of 20,000 customers stays a few megabytes and opens quickly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element
from folium.plugins import FastMarkerCluster

from gtm_optimizer.code_labels import channel_label, reason_label
from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.maps.text import (
    FIELD_TABLE_CLASS,
    escape_text,
    field_table,
    format_cop,
    format_percent,
    visit_days_label,
)

CUSTOMER_COLUMNS = (
    "customer_id",
    "name",
    "territory_id",
    "visit_days",
    "channel",
    "revenue_per_week",
    "cts_total",
    "cts_pct",
    "served",
    "unserved_reason",
)

CLUSTER_THRESHOLD = 1000

# Upper bound of each CTS % bin (inclusive) and its colour, from cheap (green) to dear (red).
CTS_BINS = ((5.0, "#1a9850"), (10.0, "#fee08b"), (20.0, "#fc8d59"), (math.inf, "#d73027"))
NO_REVENUE_COLOUR = "#4575b4"
UNSERVED_COLOUR = "#555555"

_MARKER_RADIUS_PX = 5

# Builds one customer marker of a clustered layer in the browser from a data row
# [lat, lon, fill colour, [escaped popup values]]. The popup labels are shared by all rows.
_CLUSTER_CALLBACK = """(function () {{
    var labels = {labels};
    return function (row) {{
        var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {{
            radius: {radius}, color: "#333333", weight: 1, fillColor: row[2], fillOpacity: 0.85
        }});
        var cells = row[3].map(function (value, i) {{
            return "<tr><th>" + labels[i] + "</th><td>" + value + "</td></tr>";
        }});
        marker.bindPopup('<table class="{table_class}">' + cells.join("") + "</table>",
                         {{maxWidth: 320}});
        return marker;
    }};
}})()"""


def cts_colour(cts_pct: float) -> str:
    """Return the colour of the CTS % bin of ``cts_pct``, or the no-revenue colour for NaN."""
    if cts_pct is None or math.isnan(cts_pct):
        return NO_REVENUE_COLOUR
    for upper_pct, colour in CTS_BINS:
        if cts_pct <= upper_pct:
            return colour
    return CTS_BINS[-1][1]


def cts_legend_html() -> str:
    """Render the legend of the CTS % bins, the no-revenue colour and the unserved colour."""
    entries = [
        (CTS_BINS[0][1], _("up to 5 %")),
        (CTS_BINS[1][1], _("5 to 10 %")),
        (CTS_BINS[2][1], _("10 to 20 %")),
        (CTS_BINS[3][1], _("over 20 %")),
        (NO_REVENUE_COLOUR, _("no revenue")),
        (UNSERVED_COLOUR, _("unserved")),
    ]
    rows = "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;border-radius:5px;'
        f'background:{colour};margin-right:6px"></span>{escape_text(label)}</div>'
        for colour, label in entries
    )
    return f"<b>{escape_text(_('Cost to serve, share of revenue (%)'))}</b>{rows}"


def customer_fields(customer: Any) -> list[tuple[str, str]]:
    """Return the labelled popup values of one customer row, with the reason if unserved."""
    fields = [
        (_("Customer"), str(customer.customer_id)),
        (_("Name"), str(customer.name)),
        (_("Territory"), str(customer.territory_id)),
        (_("Visit days"), visit_days_label(str(customer.visit_days))),
        (_("Channel"), channel_label(str(customer.channel))),
        (_("Revenue per week"), format_cop(customer.revenue_per_week)),
        (_("Cost to serve per week"), format_cop(customer.cts_total)),
        (_("CTS %"), format_percent(customer.cts_pct)),
    ]
    if not customer.served:
        reasons = str(customer.unserved_reason).split(";")
        fields.append((_("Unserved because"), "; ".join(reason_label(code) for code in reasons)))
    return fields


def add_customer_markers(
    group: Element,
    customers: gpd.GeoDataFrame,
    *,
    clustered: bool,
    colour_of: Callable[[Any], str],
) -> int:
    """Add one circle marker per customer to ``group`` and return how many were added.

    Parameters
    ----------
    group
        The layer that contains the markers.
    customers
        Customer rows with Point geometry in WGS84; rows with an empty geometry are skipped.
    clustered
        Draw the markers through one ``FastMarkerCluster`` instead of one object each.
    colour_of
        Returns the fill colour of a customer row.
    """
    located = [
        customer
        for customer in customers.itertuples(index=False)
        if customer.geometry is not None and not customer.geometry.is_empty
    ]
    if clustered:
        _add_cluster(group, located, colour_of=colour_of)
        return len(located)

    for customer in located:
        colour = colour_of(customer)
        folium.CircleMarker(
            location=[customer.geometry.y, customer.geometry.x],
            radius=_MARKER_RADIUS_PX,
            color="#333333",
            weight=1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.85,
            popup=folium.Popup(field_table(customer_fields(customer)), max_width=320),
        ).add_to(group)
    return len(located)


def _add_cluster(group: Element, located: list[Any], *, colour_of: Callable[[Any], str]) -> None:
    """Add the customers to ``group`` through one ``FastMarkerCluster``."""
    if not located:
        return
    labels: list[str] = []
    data = []
    for customer in located:
        fields = customer_fields(customer)
        if len(fields) > len(labels):
            labels = [escape_text(label) for label, _value in fields]
        values = [escape_text(value) for _label, value in fields]
        data.append([customer.geometry.y, customer.geometry.x, colour_of(customer), values])

    callback = _CLUSTER_CALLBACK.format(
        labels=json.dumps(labels),
        radius=_MARKER_RADIUS_PX,
        table_class=FIELD_TABLE_CLASS,
    )
    FastMarkerCluster(data, callback=callback, control=False).add_to(group)
