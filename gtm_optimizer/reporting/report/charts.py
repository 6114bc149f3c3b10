"""Plotly charts of a run and of a scenario comparison, and their HTML.

Every title, axis and legend entry goes through gettext. Numbers follow the language in force:
Spanish (Colombia) writes ``1.234,5`` and English ``1,234.5``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from gtm_optimizer.code_labels import channel_label
from gtm_optimizer.costing.model import CTS_COMPONENTS
from gtm_optimizer.i18n import _, get_language
from gtm_optimizer.reporting.report.labels import format_number, kpi_label

# Plotly's `separators`: the decimal mark, then the thousands separator.
_SEPARATORS = {"es": ",.", "en": ".,"}
_HEIGHT_PX = 380
_BAR_COLOUR = "#1f77b4"
_SECOND_COLOUR = "#ff7f0e"
_NEGATIVE_COLOUR = "#d62728"
_POSITIVE_COLOUR = "#2ca02c"


def _layout(figure: go.Figure, *, title: str, x_title: str, y_title: str) -> go.Figure:
    figure.update_layout(
        title=title,
        template="plotly_white",
        height=_HEIGHT_PX,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        separators=_SEPARATORS.get(get_language(), ".,"),
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    return figure


def cts_histogram(customers: pd.DataFrame) -> go.Figure:
    """Chart how many served customers fall in each band of cost to serve as % of revenue.

    Customers without revenue (no CTS %) are left out.
    """
    served = customers[customers["served"].astype(bool)]
    values = served["cts_pct"].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    figure = go.Figure(
        go.Histogram(x=values, nbinsx=30, marker_color=_BAR_COLOUR, name=_("Customers"))
    )
    return _layout(
        figure,
        title=_("Distribution of cost to serve"),
        x_title=_("Cost to serve, share of revenue (%)"),
        y_title=_("Customers"),
    )


def waterfall_steps(customers: pd.DataFrame) -> tuple[list[str], list[float]]:
    """Return the labels and weekly amounts of the waterfall from revenue to contribution.

    Only served customers count. The first amount is their revenue: all of it for a customer
    served through another channel than direct, and for a direct customer the share of its
    visits that were routed. Then come, as negative amounts:

    * the cost of goods sold, which is revenue minus the gross margin. The gross margin is
      contribution plus cost to serve, and the step is left out when it is zero;
    * each CTS component of the direct customers, and the rest of their ``cts_total`` as an
      "other" step when the components do not add up to it;
    * the cost of the other channels: ``cts_total`` of the customers served through them.

    The last amount is the contribution after cost to serve, the sum of the others.
    """
    served = customers[customers["served"].astype(bool)]
    direct = served["channel"].astype(str).isin(["direct", ""]).to_numpy()
    planned = served["visits_per_week"].to_numpy(dtype=float)
    routed = served["visits_routed_per_week"].to_numpy(dtype=float)
    share = np.divide(routed, planned, out=np.zeros(len(served)), where=planned > 0)
    share = np.where(direct, np.clip(share, 0.0, 1.0), 1.0)
    revenue = float((served["revenue_per_week"].to_numpy(dtype=float) * share).sum())
    cts = served["cts_total"].to_numpy(dtype=float)
    margin = float(served["contribution_after_cts"].sum()) + float(cts.sum())
    tolerance = 1e-6 * max(1.0, abs(revenue))

    labels = [_("Revenue per week")]
    amounts = [revenue]
    if abs(revenue - margin) > tolerance:
        labels.append(_("Cost of goods sold"))
        amounts.append(margin - revenue)

    component_labels = _component_labels()
    components = [column for column in CTS_COMPONENTS if column in served.columns]
    direct_rows = served[direct]
    for component in components:
        labels.append(component_labels.get(component, component))
        amounts.append(-float(direct_rows[component].sum()))
    other = float(cts[direct].sum()) - float(direct_rows[components].to_numpy().sum())
    if abs(other) > tolerance:
        labels.append(_("Other cost to serve"))
        amounts.append(-other)
    if not direct.all():
        labels.append(_("Cost of other channels"))
        amounts.append(-float(cts[~direct].sum()))

    labels.append(_("Contribution after cost to serve"))
    amounts.append(float(sum(amounts)))
    return labels, amounts


def _component_labels() -> dict[str, str]:
    return {
        "cts_route": _("Route cost"),
        "cts_drop": _("Drop cost"),
        "cts_handling": _("Handling cost"),
        "cts_order_taking": _("Order-taking cost"),
        "cts_receivables": _("Receivables cost"),
        "cts_overhead": _("Overhead cost"),
    }


def cts_waterfall(customers: pd.DataFrame, *, currency: str) -> go.Figure:
    """Chart weekly revenue, minus each component of cost to serve, down to contribution.

    Cost to serve is often a few percent of revenue, so the value axis starts a little below
    the lowest level the bars reach instead of at zero. Each bar carries its amount.
    """
    labels, amounts = waterfall_steps(customers)
    measures = ["absolute", *["relative"] * (len(amounts) - 2), "total"]
    figure = go.Figure(
        go.Waterfall(
            x=labels,
            y=amounts,
            measure=measures,
            text=[format_number(amount, decimals=0) for amount in amounts],
            textposition="outside",
            decreasing={"marker": {"color": _NEGATIVE_COLOUR}},
            increasing={"marker": {"color": _POSITIVE_COLOUR}},
            totals={"marker": {"color": _BAR_COLOUR}},
            connector={"line": {"color": "#999999"}},
        )
    )
    levels = np.cumsum(amounts[:-1])
    low, high = float(levels.min()), float(levels.max())
    padding = 0.25 * (high - low) if high > low else 1.0
    figure.update_yaxes(range=[low - padding, high + padding])
    return _layout(
        figure, title=_("From revenue to contribution, per week"), x_title="", y_title=currency
    )


def channel_shares(customers: pd.DataFrame) -> pd.DataFrame:
    """Return each channel's share of customers and of weekly revenue, in percent.

    The result is indexed by channel code, sorted by revenue share, with the columns
    ``customers_pct`` and ``revenue_pct``.
    """
    channels = customers["channel"].astype(str).replace("", "direct")
    counts = channels.value_counts()
    revenue = customers["revenue_per_week"].groupby(channels).sum()
    total_revenue = float(revenue.sum())
    frame = pd.DataFrame(
        {
            "customers_pct": 100.0 * counts / counts.sum(),
            "revenue_pct": 100.0 * revenue / total_revenue if total_revenue > 0 else 0.0,
        }
    )
    return frame.sort_values("revenue_pct", ascending=False)


def channel_mix(customers: pd.DataFrame) -> go.Figure:
    """Chart each channel's share of customers and of weekly revenue."""
    shares = channel_shares(customers)
    names = [channel_label(str(code)) for code in shares.index]
    figure = go.Figure(
        [
            go.Bar(
                x=names, y=shares["customers_pct"], name=_("Customers"), marker_color=_BAR_COLOUR
            ),
            go.Bar(
                x=names,
                y=shares["revenue_pct"],
                name=_("Revenue per week"),
                marker_color=_SECOND_COLOUR,
            ),
        ]
    )
    figure.update_layout(barmode="group")
    return _layout(figure, title=_("Channel mix"), x_title=_("Channel"), y_title=_("Share (%)"))


def cost_service_chart(table: pd.DataFrame, *, service: str, currency: str) -> go.Figure:
    """Chart weekly cost to serve against a service KPI, one point per scenario.

    Scenarios of one sweep are also joined by a line in the order of the swept value, which
    draws the trade-off curve between cost and service.

    Parameters
    ----------
    table
        The comparison table (see :func:`gtm_optimizer.comparison.comparison_table`), with
        the columns ``scenario``, ``sweep_parameter``, ``sweep_value``, ``cts_per_week`` and
        ``service``.
    service
        The KPI on the horizontal axis, e.g. ``numeric_distribution_pct``.
    currency
        Unit of the vertical axis.
    """
    figure = go.Figure(
        go.Scatter(
            x=table[service],
            y=table["cts_per_week"],
            text=table["scenario"],
            mode="markers+text",
            textposition="top center",
            name=_("Scenarios"),
            marker={"size": 11, "color": _BAR_COLOUR},
        )
    )
    swept = table[table["sweep_parameter"].astype(str) != ""]
    for parameter, group in swept.groupby("sweep_parameter", sort=False):
        ordered = _in_sweep_order(group)
        figure.add_trace(
            go.Scatter(
                x=ordered[service],
                y=ordered["cts_per_week"],
                mode="lines",
                name=_("Sweep of {parameter}").format(parameter=parameter),
                line={"color": _SECOND_COLOUR, "dash": "dot"},
            )
        )
    figure.update_yaxes(tickformat=",.0f")
    y_title = _("{label} ({unit})").format(label=kpi_label("cts_per_week"), unit=currency)
    return _layout(
        figure,
        title=_("Cost to serve against {service}").format(service=kpi_label(service).lower()),
        x_title=kpi_label(service),
        y_title=y_title,
    )


def _in_sweep_order(group: pd.DataFrame) -> pd.DataFrame:
    """Sort a sweep's rows by value when every value is a number; else keep the file order."""
    values = pd.to_numeric(group["sweep_value"], errors="coerce")
    if values.isna().any():
        return group
    return group.assign(_order=values).sort_values("_order").drop(columns="_order")


def figures_html(figures: Sequence[tuple[str, go.Figure]], *, offline: bool) -> list[str]:
    """Render figures as HTML fragments for one page, with plotly.js included once.

    Parameters
    ----------
    figures
        ``(element id, figure)`` pairs, in page order.
    offline
        Inline plotly.js (about 5 MB) so that the page works without internet; otherwise
        load it from the plotly CDN.

    Returns
    -------
    list[str]
        One ``<div>`` per figure; the first also carries plotly.js.
    """
    fragments = []
    for index, (element_id, figure) in enumerate(figures):
        include: bool | str = False
        if index == 0:
            include = True if offline else "cdn"
        fragments.append(
            pio.to_html(
                figure,
                full_html=False,
                include_plotlyjs=include,
                div_id=element_id,
                config={"displaylogo": False, "responsive": True},
                default_height=f"{_HEIGHT_PX}px",
            )
        )
    return fragments
