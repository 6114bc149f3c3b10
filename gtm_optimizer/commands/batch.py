"""Commands of the nightly batch: ``reroute`` and ``history``.

Exit codes of ``reroute``:

* 0: every order row was routed;
* 3: some rows were rejected or some orders are unserved (the outputs are written and list
  them);
* 2: invalid invocation, or an unreadable plan or order file;
* 1: any other failure, including another run holding the output folder's lock and an
  unreachable Dask scheduler.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from gtm_optimizer.cli import (
    LanguageOption,
    VerboseOption,
    app,
    console,
    guarded,
    matrix_cache_dir,
    start_command,
)
from gtm_optimizer.errors import GtmError
from gtm_optimizer.i18n import _

if TYPE_CHECKING:
    from gtm_optimizer.batch.reroute import RerouteResult

logger = logging.getLogger("gtm_optimizer.commands.batch")

HistoryOption = Annotated[
    str | None,
    typer.Option(
        "--history",
        help=_(
            "Run history database URL (sqlite:///... or "
            "postgresql://...); default GTM_OPTIMIZER_HISTORY, then "
            "an SQLite file under XDG_STATE_HOME."
        ),
    ),
]


class LogFormat(StrEnum):
    """Format of the log on standard error."""

    text = "text"
    json = "json"


@app.command(
    help=_(
        "Re-route one day's orders on a plan's territories and routes; exit 0 when "
        "all are routed, 3 when some are rejected or unserved."
    )
)
@guarded
def reroute(
    plan: Annotated[Path, typer.Option(help=_("Output folder of a run: the plan to keep."))],
    orders: Annotated[
        Path,
        typer.Option(
            help=_(
                "Order file: customer_id, volume, optional "
                "tw_start, tw_end, lat, lon, service_min."
            )
        ),
    ],
    date: Annotated[
        datetime, typer.Option(formats=["%Y-%m-%d"], help=_("Delivery date, YYYY-MM-DD."))
    ],
    out: Annotated[Path, typer.Option(help=_("Output folder (replaced as a whole)."))],
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0.001, help=_("Seconds per territory's route problem.")),
    ] = 10.0,
    deadline_s: Annotated[
        float,
        typer.Option(
            "--deadline-s", min=1, help=_("Seconds for the whole run, outputs included.")
        ),
    ] = 1800.0,
    max_iterations: Annotated[
        int,
        typer.Option(
            min=1,
            help=_(
                "Search iterations per route problem; the same inputs then give the same routes."
            ),
        ),
    ] = 3000,
    seed: Annotated[
        int | None,
        typer.Option(min=0, help=_("Seed of the route search; default the plan scenario's.")),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help=_("Dask scheduler address, e.g. tcp://10.0.0.5:8786."))
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help=_("Start a local Dask cluster of this many worker processes.")),
    ] = None,
    cycle_start: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help=_("A date in week 1 of the plan's visit cycle; default 2024-01-01."),
        ),
    ] = None,
    history: HistoryOption = None,
    log_format: Annotated[
        LogFormat,
        typer.Option("--log-format", help=_("text, or json for one JSON object per log line.")),
    ] = LogFormat.text,
    lang: LanguageOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Re-route one day's orders on a plan's territories and routes."""
    started_at = time.monotonic()
    started = datetime.now(UTC)
    start_command(lang, verbose)
    json_logs = log_format is LogFormat.json
    if json_logs:
        from gtm_optimizer.batch.logs import use_json_logs

        use_json_logs(run_id=uuid.uuid4().hex[:12], command="reroute")
    options = {
        "time_limit_s": time_limit,
        "deadline_s": deadline_s,
        "seed": seed,
        "max_iterations": max_iterations,
        "scheduler": scheduler,
        "workers": workers,
        "cycle_start": cycle_start,
    }
    try:
        result = _reroute(plan, orders, date, out, options, started_at)
    except GtmError as error:
        _record_failure(plan, orders, out, started, history, str(error))
        if not json_logs:
            raise
        logger.error(
            _("Re-routing failed: {error}").format(error=error),
            extra={"exit_code": error.exit_code},
        )
        raise typer.Exit(error.exit_code) from None
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as error:
        _record_failure(plan, orders, out, started, history, f"{type(error).__name__}: {error}")
        if not json_logs:
            raise
        logger.exception(_("Internal error"), extra={"exit_code": 1})
        raise typer.Exit(1) from None
    summary, exit_code = result.summary, result.exit_code
    _record_success(summary, plan, orders, out, started, history, exit_code)
    _print_summary(summary, out)
    logger.info(
        _("Re-routing finished with exit code {exit_code}").format(exit_code=exit_code),
        extra={"exit_code": exit_code},
    )
    if exit_code:
        raise typer.Exit(exit_code)


def _reroute(
    plan: Path, orders: Path, day: datetime, out: Path, options: dict[str, Any], started_at: float
) -> RerouteResult:
    from gtm_optimizer.batch.locking import output_lock
    from gtm_optimizer.batch.output import write_reroute
    from gtm_optimizer.batch.plan import DEFAULT_CYCLE_START
    from gtm_optimizer.batch.reroute import RerouteSettings, reroute
    from gtm_optimizer.execution import executor_from_options

    cycle_start = options["cycle_start"]
    try:
        executor = executor_from_options(
            scheduler=options["scheduler"], workers=options["workers"]
        )
        settings = RerouteSettings(
            time_limit_s=options["time_limit_s"],
            deadline_s=options["deadline_s"],
            seed=options["seed"],
            max_iterations=options["max_iterations"],
            cycle_start=cycle_start.date() if cycle_start else DEFAULT_CYCLE_START,
        )
    except ValueError as error:
        raise GtmError(_("Invalid option: {error}").format(error=error)) from error
    with output_lock(out):
        result = reroute(
            plan,
            orders,
            day.date(),
            settings=settings,
            executor=executor,
            cache_dir=matrix_cache_dir(),
            started_at=started_at,
        )
        write_reroute(result, out)
    return result


def _input_paths(plan: Path, orders: Path) -> list[Path]:
    return [
        orders,
        *(
            plan / name
            for name in ("scenario.json", "customers.csv", "stops.csv", "routes.geojson")
        ),
    ]


def _record_success(
    summary: dict[str, Any],
    plan: Path,
    orders: Path,
    out: Path,
    started: datetime,
    history: str | None,
    exit_code: int,
) -> None:
    from gtm_optimizer.batch.history import record_run

    record_run(
        summary,
        command="reroute",
        output_dir=out,
        input_paths=_input_paths(plan, orders),
        status="ok" if exit_code == 0 else "partial",
        started_at=started,
        history_url=history,
    )


def _record_failure(
    plan: Path, orders: Path, out: Path, started: datetime, history: str | None, message: str
) -> None:
    import json

    from gtm_optimizer.batch.history import record_run

    scenario = ""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        scenario = str(json.loads((plan / "scenario.json").read_text("utf-8")).get("name", ""))
    record_run(
        {"scenario": scenario, "kpis": {}},
        command="reroute",
        output_dir=out,
        input_paths=_input_paths(plan, orders),
        status="failed",
        started_at=started,
        history_url=history,
        message=message,
    )


def _print_summary(summary: dict[str, Any], out: Path) -> None:
    from gtm_optimizer.reporting.maps.text import weekday_label
    from gtm_optimizer.reporting.report.labels import format_number

    kpis = summary["kpis"]
    table = Table(
        title=_("Re-routed {date} ({weekday}, cycle week {week})").format(
            date=summary["date"],
            weekday=weekday_label(summary["weekday"]),
            week=summary["cycle_week"],
        )
    )
    table.add_column(_("Indicator"))
    table.add_column(_("Value"), justify="right")
    changes = summary.get("changes", {})
    # Numbers are written with the separators of the language in force, as in the reports.
    routed = format_number(kpis["orders_routed"], decimals=0)
    orders = format_number(kpis["orders"], decimals=0)
    rows = [
        (_("Orders routed"), f"{routed} / {orders}"),
        (_("Orders unserved"), format_number(kpis["orders_unserved"], decimals=0)),
        (_("Order rows rejected"), format_number(kpis["rows_rejected"], decimals=0)),
        (_("Routes"), format_number(kpis["routes"], decimals=0)),
        (_("Kilometres"), format_number(kpis["km"], decimals=1)),
        (_("Hours"), format_number(kpis["hours"], decimals=1)),
        (
            _("Route cost ({currency})").format(currency=summary["currency"]),
            format_number(kpis["route_cost"], decimals=0),
        ),
        (
            _("Stops moved, new, dropped"),
            f"{changes.get('moved', 0)}, {changes.get('new', 0)}, {changes.get('dropped', 0)}",
        ),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(_("Outputs: {path}").format(path=out.resolve()))


@app.command(help=_("List recorded runs and re-routes with their KPIs and cost trend."))
@guarded
def history(
    last: Annotated[int, typer.Option(min=1, help=_("Number of runs to list."))] = 20,
    scenario: Annotated[str | None, typer.Option(help=_("Only runs of this scenario."))] = None,
    command: Annotated[str | None, typer.Option(help=_("Only run or reroute."))] = None,
    history: HistoryOption = None,
    lang: LanguageOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List recorded runs and re-routes with their KPIs and cost trend."""
    from gtm_optimizer.batch.history import RunHistory
    from gtm_optimizer.batch.trends import history_table

    start_command(lang, verbose)
    store = RunHistory(history)
    try:
        records = store.runs(last=last, scenario=scenario, command=command)
    finally:
        store.close()
    if not records:
        console.print(_("No runs recorded in {url}.").format(url=store.describe()))
        return
    # Piped output has no terminal width; give the table room instead of cutting its cells.
    output = console if console.is_terminal else Console(width=160)
    output.print(history_table(records))
