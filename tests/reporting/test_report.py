"""The run report: report.html, report.xlsx and their charts, on a small hand-made run.

The run has five customers in two territories around a depot in Bogotá. Four are served and
one (C5) is not. C4 is served by telesales at a channel cost of 25,000 COP a week. The weekly
cost-to-serve components of the direct customers, in COP (orders: order taking; credit:
receivables):

| customer | territory | channel | revenue | route | drop | handling | orders | credit | CTS % |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| C1 | T01 | direct | 1,000,000 | 30,000 | 10,000 | 5,000 | 3,000 | 2,000 | 5 |
| C2 | T01 | direct | 500,000 | 60,000 | 20,000 | 10,000 | 6,000 | 4,000 | 20 |
| C3 | T02 | direct | 2,000,000 | 40,000 | 10,000 | 6,000 | 3,000 | 1,000 | 3 |
| C4 | T02 | telesales | 500,000 | 0 | 0 | 0 | 0 | 0 | 5 |
| C5 | (none) | direct | 1,000,000 | 0 | 0 | 0 | 0 | 0 | – |

So the served revenue is 4,000,000 COP, the cost to serve 235,000 COP (5.875 %) and the
contribution after cost to serve (revenue minus cost to serve) 3,765,000 COP per week.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from gtm_optimizer import i18n
from gtm_optimizer.reporting.report.charts import (
    channel_shares,
    cts_histogram,
    figures_html,
    waterfall_steps,
)
from gtm_optimizer.reporting.report.labels import Units, format_delta, format_kpi
from gtm_optimizer.reporting.report.report_html import write_report_html
from gtm_optimizer.reporting.report.report_xlsx import write_report_xlsx
from gtm_optimizer.results import RunResult
from gtm_optimizer.scenario import Scenario

COMPONENTS = ["cts_route", "cts_drop", "cts_handling", "cts_order_taking", "cts_receivables"]

# customer_id, territory_id, channel, revenue, visits per week, visits routed, components
TELESALES_COST = {"C4": 25_000.0}
CUSTOMERS = [
    ("C1", "T01", "direct", 1_000_000.0, 1.0, 1.0, (30_000, 10_000, 5_000, 3_000, 2_000)),
    ("C2", "T01", "direct", 500_000.0, 2.0, 2.0, (60_000, 20_000, 10_000, 6_000, 4_000)),
    ("C3", "T02", "direct", 2_000_000.0, 1.0, 1.0, (40_000, 10_000, 6_000, 3_000, 1_000)),
    ("C4", "T02", "telesales", 500_000.0, 1.0, 0.0, (0, 0, 0, 0, 0)),
    ("C5", "", "direct", 1_000_000.0, 1.0, 0.0, (0, 0, 0, 0, 0)),
]

KPIS = {
    "customers": 5,
    "customers_served": 4,
    "territories": 2,
    "routes_per_week": 2.0,
    "km_per_week": 12.34,
    "revenue_per_week": 4_000_000.0,
    "cts_per_week": 235_000.0,
    "cts_pct": 5.875,
    "cost_per_drop": None,
    "average_drop_size": 20.3,
}


def make_customers() -> gpd.GeoDataFrame:
    rows = []
    for cid, territory, channel, revenue, visits, routed, costs in CUSTOMERS:
        row = {
            "customer_id": cid,
            "name": f"Tienda {cid}",
            "outlet_type": "convenience",
            "segment": "traditional",
            "channel": channel,
            "territory_id": territory,
            "visit_days": "Mon" if routed else "",
            "visit_week": 0,
            "route_ids": "",
            "visits_per_week": visits,
            "visits_routed_per_week": routed,
            "revenue_per_week": revenue,
            "volume_per_week": 10.0,
            "service_min": 10.0,
            "credit_days": 0,
            "workload_h_per_week": 1.0,
            "lat": 4.65,
            "lon": -74.08,
            "served": routed > 0 or cid in TELESALES_COST,
            "unserved_reason": "" if routed or cid in TELESALES_COST else "too_far_from_road",
        }
        row.update(dict(zip(COMPONENTS, map(float, costs), strict=True)))
        total = TELESALES_COST.get(cid, float(sum(costs)))
        share = 1.0 if cid in TELESALES_COST else routed / visits
        row["cts_total"] = total
        row["cts_pct"] = 100.0 * total / revenue if row["served"] else math.nan
        row["cts_per_visit"] = total / routed if routed else math.nan
        row["contribution_after_cts"] = revenue * share - total
        rows.append(row)
    frame = pd.DataFrame(rows)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def make_result(assumptions: str = "Ingresos supuestos por tipo de punto de venta.") -> RunResult:
    scenario = Scenario.model_validate(
        {
            "name": "Prueba Bogotá",
            "description": "Two reps, direct channel.",
            "inputs": {"customers": "customers.csv"},
            "network": {"straight_line": True},
            "depots": [{"id": "D1", "lat": 4.65, "lon": -74.08}],
            "fleet": [{"name": "van", "count": 2, "depot": "D1", "capacity": 100}],
        }
    )
    territories = gpd.GeoDataFrame(
        {
            "territory_id": ["T02", "T01"],
            "n_customers": [2, 2],
            "revenue_per_week": [2_500_000.0, 1_500_000.0],
            "workload_h_per_week": [3.3, 2.5],
            "routes_per_week": [1.0, 1.0],
            "km_per_week": [7.0, 5.34],
            "travel_h_per_week": [0.7, 0.5],
            "cts_per_week": [85_000.0, 150_000.0],
            "cts_pct": [3.4, 10.0],
            "balance_index": [1.13, 0.87],
        },
        geometry=[box(-74.08, 4.64, -74.07, 4.66), box(-74.09, 4.64, -74.08, 4.66)],
        crs=4326,
    )
    routes = gpd.GeoDataFrame(
        {
            "route_id": ["T01-Mon", "T02-Tue"],
            "territory_id": ["T01", "T02"],
            "week": [1, 1],
            "weekday": ["Mon", "Tue"],
            "n_stops": [2, 2],
            "distance_km": [5.34, 7.0],
            "duration_h": [2.5, 3.25],
            "cost_total": [90_000.0, 55_000.0],
        },
        geometry=[
            LineString([(-74.08, 4.65), (-74.085, 4.655)]),
            LineString([(-74.08, 4.65), (-74.075, 4.645)]),
        ],
        crs=4326,
    )
    stops = pd.DataFrame(
        {
            "route_id": ["T01-Mon", "T01-Mon"],
            "territory_id": ["T01", "T01"],
            "sequence": [1, 2],
            "customer_id": ["C1", "C2"],
            "arrival": ["08:00", "08:30"],
            "allocated_cost": [30_000.0, 60_000.0],
        }
    )
    depots = gpd.GeoDataFrame(
        {"depot_id": ["D1"], "name": ["Depot"]}, geometry=[Point(-74.08, 4.65)], crs=4326
    )
    unserved = pd.DataFrame(
        {
            "customer_id": ["C5"],
            "route_id": [""],
            "reason": ["too_far_from_road"],
            "detail": ["nearest road 620 m"],
        }
    )
    summary = {
        "scenario": "Prueba Bogotá",
        "currency": "COP",
        "volume_unit": "cajas",
        "distance_source": "straight_line",
        "kpis": dict(KPIS),
        "unserved_by_reason": {"too_far_from_road": 1},
        "assumptions": assumptions,
    }
    return RunResult(
        scenario,
        make_customers(),
        stops,
        routes,
        territories,
        depots,
        unserved,
        pd.DataFrame(),
        summary,
    )


@pytest.fixture(scope="module")
def result() -> RunResult:
    return make_result()


@pytest.fixture(scope="module")
def report_html(result: RunResult, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report_html(result, path, offline=False)
    return path.read_text(encoding="utf-8")


def card_value(html: str, key: str) -> str:
    match = re.search(
        rf'data-kpi="{key}"><div class="label">[^<]*</div><div class="value">([^<]*)</div>', html
    )
    assert match is not None, f"no card for {key}"
    return match.group(1)


def table_rows(html: str, section: str) -> list[list[str]]:
    body = html.split(f'<section id="{section}">', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("cts_pct", 5.875, "5.9 %"),
        ("cts_per_week", 235_000.4, "235,000 COP"),
        ("customers", 5, "5"),
        ("km_per_week", 12.34, "12.3 km"),
        ("average_drop_size", 20.3, "20.3 cajas"),
        ("cost_per_drop", None, "–"),
        ("unknown_kpi", 2.26, "2.3"),
    ],
)
def test_format_kpi(key: str, value: float | None, text: str) -> None:
    assert format_kpi(key, value, Units(volume_unit="cajas")) == text


def test_format_kpi_numpy_count() -> None:
    assert format_kpi("customers", np.int64(341), Units()) == "341"


def test_format_delta_money() -> None:
    assert format_delta("cts_per_week", -200.0, -20.0, Units()) == "-200 COP (-20.0 %)"


def test_format_delta_points() -> None:
    assert format_delta("cts_pct", 0.5, 10.0, Units()) == "+0.5 pp"


def test_format_kpi_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    assert format_kpi("cts_per_week", 1_234_567.0, Units()) == "1.234.567 COP"


# --- charts ----------------------------------------------------------------------------------


def test_waterfall_steps_values(result: RunResult) -> None:
    _labels, amounts = waterfall_steps(result.customers)
    assert amounts == pytest.approx(
        [4_000_000, -130_000, -40_000, -21_000, -12_000, -7_000, -25_000, 3_765_000]
    )


def test_waterfall_channel_step(result: RunResult) -> None:
    labels, _amounts = waterfall_steps(result.customers)
    assert labels[-2] == "Cost of other channels"


def test_waterfall_ends_at_contribution(result: RunResult) -> None:
    _labels, amounts = waterfall_steps(result.customers)
    served = result.customers[result.customers["served"]]
    assert amounts[-1] == pytest.approx(served["contribution_after_cts"].sum())


def test_waterfall_cost_of_goods(result: RunResult) -> None:
    # A gross margin of 25 %: contribution is 25 % of revenue minus cost to serve.
    customers = result.customers.copy()
    share = np.where(
        customers["channel"] == "telesales",
        1.0,
        customers["visits_routed_per_week"] / customers["visits_per_week"],
    )
    customers["contribution_after_cts"] = (
        0.25 * customers["revenue_per_week"] * share - customers["cts_total"]
    )
    labels, amounts = waterfall_steps(customers)
    assert labels[1] == "Cost of goods sold"
    assert amounts[1] == pytest.approx(-3_000_000)
    assert amounts[-1] == pytest.approx(1_000_000 - 235_000)


def test_waterfall_other_step(result: RunResult) -> None:
    customers = result.customers.copy()
    customers.loc[0, "cts_total"] += 1_000.0
    customers.loc[0, "contribution_after_cts"] -= 1_000.0
    labels, amounts = waterfall_steps(customers)
    assert labels[-3] == "Other cost to serve"
    assert amounts[-3] == pytest.approx(-1_000)


def test_histogram_served_values(result: RunResult) -> None:
    figure = cts_histogram(result.customers)
    assert list(figure.data[0].x) == pytest.approx([5.0, 20.0, 3.0, 5.0])


def test_channel_shares(result: RunResult) -> None:
    shares = channel_shares(result.customers)
    assert list(shares.index) == ["direct", "telesales"]
    assert shares["customers_pct"].tolist() == pytest.approx([80.0, 20.0])
    assert shares["revenue_pct"].tolist() == pytest.approx([90.0, 10.0])


def test_plotly_included_once(result: RunResult) -> None:
    figure = cts_histogram(result.customers)
    fragments = figures_html([("a", figure), ("b", figure)], offline=True)
    assert [fragment.count("Plotly.newPlot") > 0 for fragment in fragments] == [True, True]
    assert [len(fragment) > 1_000_000 for fragment in fragments] == [True, False]


# --- report.html -----------------------------------------------------------------------------


def test_html_kpi_cts_pct(report_html: str) -> None:
    assert card_value(report_html, "cts_pct") == "5.9 %"


def test_html_kpi_missing_value(report_html: str) -> None:
    assert card_value(report_html, "cost_per_drop") == "–"


def test_html_kpi_cards_count(report_html: str) -> None:
    assert report_html.count('<div class="card" data-kpi=') == len(KPIS)


def test_html_territory_rows(report_html: str) -> None:
    rows = table_rows(report_html, "territories")
    assert rows == [
        ["T01", "2", "1,500,000", "2.5", "1.0", "5.3", "0.5", "150,000", "10.0", "0.87"],
        ["T02", "2", "2,500,000", "3.3", "1.0", "7.0", "0.7", "85,000", "3.4", "1.13"],
    ]


def test_html_unserved_reasons(report_html: str) -> None:
    expected = [["too far from a road", "too_far_from_road", "1"]]
    assert table_rows(report_html, "unserved") == expected


def test_html_unserved_heading(report_html: str) -> None:
    assert "<h2>Unserved visits and customers, by reason</h2>" in report_html


def test_html_unserved_counts_note(report_html: str) -> None:
    note = "A visit that a route-day left out counts once per visit"
    assert note in report_html.split('<section id="unserved">', 1)[1]


def test_html_charts(report_html: str) -> None:
    ids = re.findall(r'<div id="([a-z-]+)" class="plotly-graph-div"', report_html)
    assert ids == ["cts-histogram", "cts-waterfall", "channel-mix"]


def test_html_map_frame(report_html: str) -> None:
    assert '<iframe class="map" src="maps/index.html"' in report_html


def test_html_assumptions(report_html: str) -> None:
    assert "Ingresos supuestos por tipo de punto de venta." in report_html


def test_html_osm_credit(report_html: str) -> None:
    assert "Map data © OpenStreetMap contributors, ODbL 1.0." in report_html


def test_html_distance_note(report_html: str) -> None:
    assert "straight lines times a circuity factor" in report_html


def test_html_online_links_plotly(report_html: str) -> None:
    assert report_html.count('src="https://cdn.plot.ly/plotly-') == 1


def test_html_offline_no_cdn(tmp_path: Path) -> None:
    path = write_report_html(make_result(), tmp_path / "report.html")
    html = path.read_text(encoding="utf-8")
    assert 'src="https://cdn.plot.ly' not in html
    assert len(html) > 1_000_000


def test_html_without_map(tmp_path: Path) -> None:
    path = write_report_html(make_result(), tmp_path / "report.html", offline=False, map_href=None)
    assert "<iframe" not in path.read_text(encoding="utf-8")


def test_html_escapes_text(tmp_path: Path) -> None:
    result = make_result(assumptions="<script>alert(1)</script>")
    html = write_report_html(result, tmp_path / "r.html", offline=False).read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    html = write_report_html(make_result(), tmp_path / "r.html", offline=False).read_text("utf-8")
    assert '<html lang="es">' in html
    assert "<th>Territorio</th>" in html
    assert card_value(html, "cts_per_week") == "235.000 COP"


# --- report.xlsx -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(result: RunResult, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = write_report_xlsx(result, tmp_path_factory.mktemp("xlsx") / "report.xlsx")
    return openpyxl.load_workbook(path)


def header(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def column_cells(sheet, name: str) -> list:
    index = header(sheet).index(name)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def test_xlsx_sheet_names(workbook) -> None:
    assert workbook.sheetnames == [
        "KPIs",
        "Territories",
        "Customers",
        "Routes",
        "Stops",
        "Unserved customers",
    ]


def test_xlsx_kpi_values(workbook) -> None:
    sheet = workbook["KPIs"]
    values = {row[3].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert values["cts_pct"] == pytest.approx(5.875)
    assert values["cost_per_drop"] is None


def test_xlsx_kpi_units(workbook) -> None:
    sheet = workbook["KPIs"]
    units = {row[3].value: row[2].value for row in sheet.iter_rows(min_row=2)}
    assert [units["revenue_per_week"], units["cts_pct"], units["average_drop_size"]] == [
        "COP",
        "%",
        "cajas",
    ]


def test_xlsx_kpi_formats(workbook) -> None:
    sheet = workbook["KPIs"]
    formats = {row[3].value: row[1].number_format for row in sheet.iter_rows(min_row=2)}
    assert [formats["customers"], formats["cts_per_week"], formats["km_per_week"]] == [
        "#,##0",
        "#,##0",
        "#,##0.0",
    ]


def test_xlsx_customer_rows(workbook) -> None:
    sheet = workbook["Customers"]
    assert [cell.value for cell in column_cells(sheet, "Customer")] == [
        "C1",
        "C2",
        "C3",
        "C4",
        "C5",
    ]


def test_xlsx_customer_cts(workbook) -> None:
    cells = column_cells(workbook["Customers"], "Cost to serve per week")
    assert [cell.value for cell in cells] == [50_000, 100_000, 60_000, 25_000, 0]


def test_xlsx_money_format(workbook) -> None:
    cells = column_cells(workbook["Customers"], "Revenue per week")
    assert {cell.number_format for cell in cells} == {"#,##0"}


def test_xlsx_channel_translated(workbook) -> None:
    cells = column_cells(workbook["Customers"], "Channel")
    assert [cell.value for cell in cells] == ["Direct", "Direct", "Direct", "Telesales", "Direct"]


def test_xlsx_territories_sorted(workbook) -> None:
    cells = column_cells(workbook["Territories"], "Territory")
    assert [cell.value for cell in cells] == ["T01", "T02"]


def test_xlsx_widths_fit_headers(workbook) -> None:
    sheet = workbook["Customers"]
    narrow = [
        name
        for index, name in enumerate(header(sheet), start=1)
        if sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
        < min(len(name), 50)
    ]
    assert narrow == []


def test_xlsx_header_frozen(workbook) -> None:
    assert workbook["Stops"].freeze_panes == "A2"


def test_xlsx_no_geometry(workbook) -> None:
    assert "geometry" not in header(workbook["Routes"])


def test_xlsx_spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    book = openpyxl.load_workbook(write_report_xlsx(make_result(), tmp_path / "r.xlsx"))
    routes = book.worksheets[3]
    assert book.sheetnames[2] == "Clientes"
    assert header(routes)[:2] == ["Ruta", "Territorio"]
    assert [cell.value for cell in column_cells(routes, "Día")] == ["Lun", "Mar"]


def coded_result() -> RunResult:
    """The test run with the segment, action and channel-reason codes of customers.csv."""
    result = make_result()
    customers = result.customers
    customers["cts_segment"] = [
        "high_revenue_low_cts",
        "low_revenue_high_cts",
        "high_revenue_low_cts",
        "low_revenue_low_cts",
        "not_served",
    ]
    customers["recommended_action"] = [
        "develop",
        "change_channel",
        "develop",
        "grow_revenue",
        "not_served",
    ]
    customers["channel_reason"] = [
        "highest_contribution",
        "highest_contribution",
        "segment_kept_direct",
        "drop_below_minimum",
        "every_channel_loses_money",
    ]
    customers.loc[4, "unserved_reason"] = "too_far_from_road;demand_exceeds_capacity"
    return result


@pytest.fixture
def spanish_customers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(i18n._current, "language", "es")
    book = openpyxl.load_workbook(write_report_xlsx(coded_result(), tmp_path / "r.xlsx"))
    return book["Clientes"]


def test_xlsx_channel_reason_header(spanish_customers) -> None:
    assert "Canal elegido porque" in header(spanish_customers)


def test_xlsx_channel_reason_cells(spanish_customers) -> None:
    cells = column_cells(spanish_customers, "Canal elegido porque")
    assert [cell.value for cell in cells] == [
        "mayor contribución",
        "mayor contribución",
        "su segmento se mantiene en rutas directas",
        "entrega por debajo del tamaño mínimo de entrega",
        "todos los canales pierden dinero",
    ]


def test_xlsx_segment_cells(spanish_customers) -> None:
    cells = column_cells(spanish_customers, "Segmento de costo de servir")
    assert [cell.value for cell in cells] == [
        "Ventas altas, CTS % bajo",
        "Ventas bajas, CTS % alto",
        "Ventas altas, CTS % bajo",
        "Ventas bajas, CTS % bajo",
        "No atendido",
    ]


def test_xlsx_action_cells(spanish_customers) -> None:
    cells = column_cells(spanish_customers, "Acción recomendada")
    assert [cell.value for cell in cells] == [
        "Desarrollar",
        "Pasar a otro canal",
        "Desarrollar",
        "Aumentar las ventas",
        "No atendido",
    ]


def test_xlsx_unserved_reason_cells(spanish_customers) -> None:
    cells = column_cells(spanish_customers, "No atendido porque")
    assert cells[4].value == (
        "demasiado lejos de una vía; demanda mayor que la capacidad del vehículo"
    )


def test_xlsx_unserved_sheet_keeps_codes(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_report_xlsx(coded_result(), tmp_path / "r.xlsx"))
    cells = column_cells(book["Unserved customers"], "Reason")
    assert [cell.value for cell in cells] == ["too_far_from_road"]


def test_xlsx_nan_cells_empty(workbook) -> None:
    cells = column_cells(workbook["Customers"], "CTS %")
    assert cells[4].value is None
    assert np.isclose(cells[0].value, 5.0)


# --- channel assignment, before and after ----------------------------------------------------

# The same run as planned first, with every customer on a direct route: C4 cost 40,000 COP a
# week on the route and the routes ran 3 a week over 20 km.
CHANNEL_VIEW = {
    "before": {
        "customers_direct": 4, "customers_telesales": 0, "customers_unserved": 1,
        "routes_per_week": 3.0, "km_per_week": 20.0, "cts_per_week": 250_000.0,
        "cts_pct": 6.25, "contribution_per_week": 3_750_000.0,
    },
    "after": {
        "customers_direct": 3, "customers_telesales": 1, "customers_unserved": 1,
        "routes_per_week": 2.0, "km_per_week": 12.34, "cts_per_week": 235_000.0,
        "cts_pct": 5.875, "contribution_per_week": 3_765_000.0,
    },
}


@pytest.fixture(scope="module")
def channel_result() -> RunResult:
    result = make_result()
    result.summary["channel_assignment"] = CHANNEL_VIEW
    return result


def test_channel_table_in_report(channel_result: RunResult, tmp_path: Path) -> None:
    path = write_report_html(channel_result, tmp_path / "report.html", offline=False)
    rows = table_rows(path.read_text(encoding="utf-8"), "channel-assignment")
    by_label = {row[0]: row[1:] for row in rows}
    assert by_label["Customers served by telesales"] == ["0", "1", "+1"]
    assert by_label["Routes per week"] == ["3.0", "2.0", "-1.0 (-33.3 %)"]
    assert by_label["Cost to serve per week"] == [
        "250,000 COP", "235,000 COP", "-15,000 COP (-6.0 %)"]
    assert by_label["Cost to serve, share of revenue (%)"] == ["6.2 %", "5.9 %", "-0.4 pp"]
    assert len(rows) == len(CHANNEL_VIEW["before"])


def test_no_channel_table_without_loop(report_html: str) -> None:
    assert 'id="channel-assignment"' not in report_html


def test_channel_sheet_in_workbook(channel_result: RunResult, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_report_xlsx(channel_result, tmp_path / "report.xlsx"))
    assert book.sheetnames[1] == "Channel assignment"
    sheet = book["Channel assignment"]
    assert header(sheet) == ["Indicator", "Every customer direct", "After channel assignment",
                             "Change", "Unit", "Key in summary.json"]
    rows = {row[5].value: [cell.value for cell in row[1:5]] for row in sheet.iter_rows(min_row=2)}
    assert rows["cts_per_week"] == [250_000.0, 235_000.0, -15_000.0, "COP"]
    assert rows["customers_direct"] == [4, 3, -1, None]
