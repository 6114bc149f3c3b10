"""The comparison of runs: comparison_table, comparison.csv and comparison.html.

Three hand-made runs: a baseline, then a sweep of three and five reps. Their KPIs:

| scenario | CTS per week | CTS % | customers served | visits per week | numeric distribution % |
| --- | ---: | ---: | ---: | ---: | ---: |
| Base | 1,000 | 10.0 | 150 | 300.0 | 75.0 |
| Reps 5 | 1,200 | 11.0 | 160 | 330.0 | 80.0 |
| Reps 3 | 800 | 8.0 | 120 | 240.0 | 60.0 |

The sweep is listed with 5 before 3, so the trade-off curve has to sort it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from gtm_optimizer.comparison import CaseOutcome, ScenarioCase
from gtm_optimizer.reporting.report.charts import cost_service_chart
from gtm_optimizer.reporting.report.comparison import (
    comparison_table,
    write_comparison_csv,
    write_comparison_html,
)
from gtm_optimizer.reporting.report.labels import Units
from gtm_optimizer.scenario import Scenario


def make_outcome(
    name: str,
    folder: str,
    kpis: dict[str, float],
    *,
    sweep_value: int | None = None,
    error: str = "",
) -> CaseOutcome:
    scenario = Scenario.model_validate(
        {
            "name": name,
            "inputs": {"customers": "customers.csv"},
            "network": {"straight_line": True},
            "depots": [{"id": "D1", "lat": 4.65, "lon": -74.08}],
            "fleet": [{"name": "van", "count": 4, "depot": "D1", "capacity": 100}],
        }
    )
    case = ScenarioCase(
        scenario=scenario,
        folder=folder,
        source=Path(f"{folder}.yaml"),
        sweep_parameter="" if sweep_value is None else "fleet.0.count",
        sweep_value=sweep_value,
    )
    summary = {} if error else {"kpis": kpis, "currency": "COP", "volume_unit": "cajas"}
    return CaseOutcome(case=case, summary=summary, error=error)


def kpis(cts: float, pct: float, served: int, visits: float) -> dict[str, float]:
    return {
        "cts_per_week": cts,
        "cts_pct": pct,
        "customers_served": served,
        "visits_per_week": visits,
        "numeric_distribution_pct": 100.0 * served / 200,
    }


OUTCOMES = [
    make_outcome("Base", "base", kpis(1000.0, 10.0, 150, 300.0)),
    make_outcome("Reps 5", "reps-5", kpis(1200.0, 11.0, 160, 330.0), sweep_value=5),
    make_outcome("Reps 3", "reps-3", kpis(800.0, 8.0, 120, 240.0), sweep_value=3),
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return comparison_table(OUTCOMES)


def test_table_scenarios(table: pd.DataFrame) -> None:
    assert table["scenario"].tolist() == ["Base", "Reps 5", "Reps 3"]


def test_table_deltas(table: pd.DataFrame) -> None:
    assert table["cts_per_week_delta"].tolist() == [0.0, 200.0, -200.0]


def test_table_delta_pct(table: pd.DataFrame) -> None:
    assert table["cts_per_week_delta_pct"].tolist() == pytest.approx([0.0, 20.0, -20.0])


def test_table_numeric_distribution(table: pd.DataFrame) -> None:
    assert table["numeric_distribution_pct"].tolist() == pytest.approx([75.0, 80.0, 60.0])


def test_table_column_order(table: pd.DataFrame) -> None:
    assert list(table.columns[4:7]) == [
        "customers_served",
        "customers_served_delta",
        "customers_served_delta_pct",
    ]


def test_table_counts_whole(table: pd.DataFrame) -> None:
    assert str(table["customers_served"].dtype) == "Int64"


def test_table_delta_pct_zero_reference() -> None:
    outcomes = [
        make_outcome("A", "a", {"rows_rejected": 0}),
        make_outcome("B", "b", {"rows_rejected": 3}),
    ]
    assert math.isnan(comparison_table(outcomes)["rows_rejected_delta_pct"].iloc[1])


def test_table_skips_failed_reference() -> None:
    outcomes = [make_outcome("Broken", "broken", {}, error="file not found"), *OUTCOMES[1:]]
    table = comparison_table(outcomes)
    assert table["cts_per_week_delta"].tolist() == [0.0, -400.0]


def test_table_kpi_missing_in_one() -> None:
    older = {key: value for key, value in kpis(1.0, 1.0, 5, 5.0).items() if key != "cts_pct"}
    table = comparison_table(
        [make_outcome("A", "a", older), make_outcome("B", "b", kpis(2.0, 2.0, 5, 5.0))]
    )
    assert math.isnan(table["cts_pct"].iloc[0])
    assert math.isnan(table["cts_pct_delta"].iloc[1])


def test_csv_counts_without_decimals(table: pd.DataFrame, tmp_path: Path) -> None:
    path = write_comparison_csv(table, tmp_path / "comparison.csv")
    second_line = path.read_text(encoding="utf-8").splitlines()[1]
    assert second_line.startswith("Base,base,,,150,0,0.0,")


def test_curve_sorted_by_value(table: pd.DataFrame) -> None:
    figure = cost_service_chart(table, service="customers_served", currency="COP")
    assert list(figure.data[1].x) == [120, 160]


def test_curve_only_for_sweeps(table: pd.DataFrame) -> None:
    figure = cost_service_chart(table, service="customers_served", currency="COP")
    assert [trace.mode for trace in figure.data] == ["markers+text", "lines"]


@pytest.fixture(scope="module")
def comparison_html(table: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("comparison") / "comparison.html"
    write_comparison_html(
        table, path, units=Units(), offline=False, failures=[("Broken", "file <not> found")]
    )
    return path.read_text(encoding="utf-8")


def kpi_cells(html: str, key: str) -> list[str]:
    row = re.search(rf'<tr data-kpi="{key}">(.*?)</tr>', html, flags=re.S)
    assert row is not None, f"no row for {key}"
    cells = re.findall(r'<td class="number">(.*?)</td>', row.group(1), flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_html_cost_row(comparison_html: str) -> None:
    assert kpi_cells(comparison_html, "cts_per_week") == [
        "1,000 COP",
        "1,200 COP +200 COP (+20.0 %)",
        "800 COP -200 COP (-20.0 %)",
    ]


def test_html_percent_row_in_points(comparison_html: str) -> None:
    assert kpi_cells(comparison_html, "cts_pct") == ["10.0 %", "11.0 % +1.0 pp", "8.0 % -2.0 pp"]


def test_html_scenario_links(comparison_html: str) -> None:
    links = re.findall(r'<a href="([^"]+)">run report</a>', comparison_html)
    assert links == ["base/report.html", "reps-5/report.html", "reps-3/report.html"]


def test_html_charts(comparison_html: str) -> None:
    ids = re.findall(r'<div id="([a-z_-]+)" class="plotly-graph-div"', comparison_html)
    assert ids == [
        "cost-vs-numeric_distribution_pct",
        "cost-vs-visits_per_week",
        "cost-vs-customers_served",
    ]


def test_html_failures_escaped(comparison_html: str) -> None:
    assert "<b>Broken</b>: <pre>file &lt;not&gt; found</pre>" in comparison_html


def test_html_skips_empty_kpi(tmp_path: Path) -> None:
    without = {"cts_per_week": 1.0, "visits_per_week": 5.0, "numeric_distribution_pct": None}
    table = comparison_table([make_outcome("A", "a", without)])
    path = write_comparison_html(table, tmp_path / "c.html", units=Units(), offline=False)
    html = path.read_text(encoding="utf-8")
    assert 'data-kpi="numeric_distribution_pct"' not in html
    assert 'id="cost-vs-numeric_distribution_pct"' not in html
