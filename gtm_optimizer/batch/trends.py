"""The run history as a table: one row per run, with its KPIs and their change.

A ``run`` reports its weekly KPIs (``km_per_week``, ``hours_per_week``, ``cts_per_week``), a
``reroute`` those of its day (``km``, ``hours``, ``route_cost``). The change column compares
each run's cost with the previous run of the same command and scenario in the listing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from gtm_optimizer.batch.history import RunRecord
from gtm_optimizer.code_labels import run_status_label
from gtm_optimizer.i18n import _

# KPI keys of distance, hours and cost, per command.
KPI_KEYS = {
    "run": ("km_per_week", "hours_per_week", "cts_per_week"),
    "reroute": ("km", "hours", "route_cost"),
}


def cost_of(record: RunRecord) -> float | None:
    """Return the run's cost KPI, or None when it has none."""
    key = KPI_KEYS.get(record.command, KPI_KEYS["run"])[2]
    value = record.kpis.get(key)
    return float(value) if isinstance(value, int | float) else None


def cost_changes_pct(records: Sequence[RunRecord]) -> list[float | None]:
    """Return each run's cost change in % against the previous run of its command and scenario.

    ``records`` are newest first, as :meth:`RunHistory.runs` returns them; a run with no
    earlier run in the list, or a zero or missing cost, gets None.
    """
    changes: list[float | None] = []
    for index, record in enumerate(records):
        earlier = next(
            (
                other
                for other in records[index + 1 :]
                if (other.command, other.scenario) == (record.command, record.scenario)
                and cost_of(other)
            ),
            None,
        )
        now, before = cost_of(record), cost_of(earlier) if earlier else None
        changes.append(None if now is None or not before else 100.0 * (now - before) / before)
    return changes


def history_table(records: Sequence[RunRecord]) -> Table:
    """Return a rich table of the runs, newest first."""
    table = Table(title=_("Run history"))
    for title, justify in (
        (_("Id"), "right"),
        (_("Started (UTC)"), "left"),
        (_("Command"), "left"),
        (_("Scenario"), "left"),
        (_("Status"), "left"),
        (_("Routes"), "right"),
        (_("Unserved"), "right"),
        (_("km"), "right"),
        (_("Hours"), "right"),
        (_("Cost"), "right"),
        (_("Cost change"), "right"),
    ):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for record, change in zip(records, cost_changes_pct(records), strict=True):
        km_key, hours_key, _cost_key = KPI_KEYS.get(record.command, KPI_KEYS["run"])
        cost = cost_of(record)
        table.add_row(
            str(record.id),
            record.started_at.strftime("%Y-%m-%d %H:%M"),
            record.command,
            record.scenario,
            run_status_label(record.status),
            str(record.n_routes),
            str(record.n_unserved),
            _number(record.kpis.get(km_key), "{:,.1f}"),
            _number(record.kpis.get(hours_key), "{:,.1f}"),
            "-" if cost is None else f"{cost:,.0f}",
            "-" if change is None else f"{change:+.1f} %",
        )
    return table


def _number(value: object, pattern: str) -> str:
    return pattern.format(value) if isinstance(value, int | float) else "-"
