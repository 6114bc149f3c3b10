"""Command-line interface: ``gtm-optimizer run``, ``validate``, ``universe``.

The CLI owns logging and the console. An input mistake prints its message and exits with
code 2; an unexpected error prints one line and where the full log is, and exits with 1.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import click
import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from gtm_optimizer.code_labels import distance_source_label
from gtm_optimizer.errors import GtmError, InputError, Problem
from gtm_optimizer.i18n import LANGUAGES, _, ngettext, set_language


def _tidy_help(params: list[Any]) -> list[Any]:
    """Drop the type label after on/off flags and translate Typer's own help texts.

    Typer 0.29 prints ``<bool>`` after every flag, ``--help`` included, although a flag takes
    no value. An empty metavar leaves that column empty. Typer also writes the help of
    ``--help`` and the titles of the Arguments and Options panels in English, so they are set
    here through the message catalog.
    """
    for param in params:
        if isinstance(param, TyperArgument) and param.rich_help_panel is None:
            param.rich_help_panel = _("Arguments")
        if not isinstance(param, TyperOption):
            continue
        if param.rich_help_panel is None:
            param.rich_help_panel = _("Options")
        if param.is_flag:
            param.metavar = ""
        if param.name == "help":
            param.help = _("Show this message and exit.")
    return params


class _Command(TyperCommand):
    """A command whose help lists flags without a type label."""

    def get_params(self, ctx: Any) -> list[Any]:
        """Return the parameters, tidied by :func:`_tidy_help`."""
        return _tidy_help(super().get_params(ctx))


class _Group(TyperGroup):
    """The command group, whose help lists flags without a type label."""

    def get_params(self, ctx: Any) -> list[Any]:
        """Return the parameters, tidied by :func:`_tidy_help`."""
        return _tidy_help(super().get_params(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Return a command, listed under the translated title of the Commands panel."""
        command = super().get_command(ctx, cmd_name)
        if isinstance(command, TyperCommand) and command.rich_help_panel is None:
            command.rich_help_panel = _("Commands")
        return command


class _App(typer.Typer):
    """A Typer app whose commands default to :class:`_Command`."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        """Register a command like :meth:`typer.Typer.command`, as a :class:`_Command`."""
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    help=_("Territory, visit calendar, route and cost-to-serve optimizer."),
)
console = Console(stderr=False)
error_console = Console(stderr=True)
logger = logging.getLogger("gtm_optimizer")
# Tracebacks of internal errors go to the log file only; the console gets one line.
crash_logger = logging.getLogger("gtm_optimizer.crash")

F = TypeVar("F", bound=Callable[..., Any])

# ISO 8601 date and time. Rich's default (%x %X) prints 12/05/26, whose day and month are
# ambiguous.
LOG_TIME_FORMAT = "[%Y-%m-%d %H:%M:%S]"

LanguageOption = Annotated[
    str | None, typer.Option("--lang", help=_("Language of messages and reports: es or en."))
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help=_("Show debug messages."))]


def log_path() -> Path:
    """Return the file that receives the full log of every command."""
    state = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
    return state / "gtm-optimizer" / "gtm-optimizer.log"


def _configure_logging(verbose: bool) -> None:
    logging.captureWarnings(True)
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(logging.DEBUG)
    console_handler = RichHandler(
        console=error_console,
        show_path=False,
        markup=False,
        rich_tracebacks=False,
        log_time_format=LOG_TIME_FORMAT,
    )
    console_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    console_handler.addFilter(
        lambda record: (
            record.name.startswith(("gtm_optimizer", "solvers"))
            and record.name != crash_logger.name
        )
    )
    root.addHandler(console_handler)
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return
    file_handler.setLevel(logging.DEBUG)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(file_handler)


def guarded(command: F) -> F:
    """Turn errors into messages and exit codes instead of tracebacks."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GtmError as error:
            error_console.print(f"[bold red]{_('Error')}:[/bold red] ", end="")
            error_console.print(str(error), markup=False, highlight=False)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, click.ClickException):
            raise
        except KeyboardInterrupt:
            error_console.print(_("Interrupted."))
            raise typer.Exit(130) from None
        except Exception:
            crash_logger.exception(_("Internal error"))
            error_console.print(
                _("Internal error. The full log is in {path}").format(path=log_path()),
                markup=False,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def start_command(language: str | None, verbose: bool,
                  scenario_language: str | None = None) -> None:
    """Configure logging and the message language at the start of a command.

    Raises
    ------
    GtmError
        If ``language`` (the ``--lang`` value) is not a language with a catalog. The CLI
        prints the message and exits with 2.
    """
    _configure_logging(verbose)
    if language is not None and language not in LANGUAGES:
        raise GtmError(_("--lang must be es or en; got {value!r}").format(value=language))
    chosen = language or scenario_language
    if chosen:
        set_language(chosen)


@app.command(help=_("Design territories, visit days and routes, and compute cost to serve."))
@guarded
def run(
    scenario: Annotated[Path, typer.Argument(help=_("Scenario YAML file."))],
    out: Annotated[
        Path | None, typer.Option(help=_("Output folder (replaced as a whole)."))
    ] = None,
    customers: Annotated[
        Path | None, typer.Option(help=_("Customer file to use instead of the scenario's."))
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help=_("Seconds per route-day problem."))
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help=_("Parallel processes; 0 = all cores."))
    ] = None,
    no_maps: Annotated[bool, typer.Option("--no-maps", help=_("Skip the HTML maps."))] = False,
    offline_maps: Annotated[
        bool, typer.Option("--offline-maps", help=_("Inline the maps' JavaScript and CSS."))
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(help=_("Dask scheduler address, e.g. tcp://10.0.0.5:8786.")),
    ] = None,
    lang: LanguageOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Design territories, visit days and routes, and compute cost to serve."""
    from gtm_optimizer.batch.history import record_run
    from gtm_optimizer.execution import DaskCluster, use_executor
    from gtm_optimizer.pipeline import run as run_pipeline
    from gtm_optimizer.reporting.writers import write_outputs
    from gtm_optimizer.scenario import load_scenario

    _configure_logging(verbose)
    solver: dict[str, Any] = {}
    if time_limit is not None:
        solver["time_limit_s"] = time_limit
    if workers is not None:
        solver["workers"] = workers
    loaded = load_scenario(scenario, **({"solver": solver} if solver else {}))
    start_command(lang, verbose, loaded.language)
    out_dir = out or Path("out") / scenario.stem
    started_at = datetime.now(UTC)
    executor = use_executor(DaskCluster(scheduler=scheduler)) if scheduler else nullcontext()
    with executor:
        result = run_pipeline(loaded, customers_path=customers, cache_dir=matrix_cache_dir())
    write_outputs(result, out_dir, maps=not no_maps, offline_maps=offline_maps)
    inputs = [scenario, customers or loaded.resolve(loaded.inputs.customers),
              loaded.resolve(loaded.network.path)]
    record_run(result.summary, command="run", output_dir=out_dir,
               input_paths=[path for path in inputs if path is not None],
               started_at=started_at)
    _print_summary(result.summary, out_dir, maps=not no_maps)


def matrix_cache_dir() -> Path:
    """Return the folder of the travel-matrix cache (under ``XDG_CACHE_HOME``)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "gtm-optimizer" / "matrices"


def _print_summary(summary: dict[str, Any], out_dir: Path, *, maps: bool) -> None:
    """Print the run's main KPIs, formatted like ``report.html`` in the language in force."""
    from gtm_optimizer.reporting.report.labels import Units, format_kpi, kpi_label

    kpis = summary["kpis"]
    units = Units(currency=summary["currency"], volume_unit=summary["volume_unit"])
    table = Table(title=_("Run summary: {name}").format(name=summary["scenario"]))
    table.add_column(_("Indicator"))
    table.add_column(_("Value"), justify="right")
    served = format_kpi("customers_served", kpis["customers_served"], units)
    customers = format_kpi("customers", kpis["customers"], units)
    rows = [(kpi_label("customers_served"), f"{served} / {customers}")]
    for key in (
        "territories",
        "routes_per_week",
        "km_per_week",
        "hours_per_week",
        "cts_per_week",
        "cts_pct",
    ):
        rows.append((kpi_label(key), format_kpi(key, kpis[key], units)))
    rows.append((_("Distance source"), distance_source_label(summary["distance_source"])))
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(_("Outputs: {path}").format(path=out_dir.resolve()))
    if maps:
        console.print(_("Map: {path}").format(path=(out_dir / "maps" / "index.html").resolve()))


@app.command(
    help=_("Check the scenario and its input files without solving; exit 2 when there are errors.")
)
@guarded
def validate(
    scenario: Annotated[Path, typer.Argument(help=_("Scenario YAML file."))],
    customers: Annotated[
        Path | None, typer.Option(help=_("Customer file to check instead of the scenario's."))
    ] = None,
    lang: LanguageOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Check the scenario and its input files without solving; exit 2 when there are errors."""
    from gtm_optimizer.inputs.validation import validate_inputs
    from gtm_optimizer.scenario import load_scenario

    _configure_logging(verbose)
    loaded = load_scenario(scenario)
    start_command(lang, verbose, loaded.language)
    report = validate_inputs(loaded, customers)
    if not report.problems:
        count = len(report.table.customers)
        console.print(
            ngettext(
                "{path}: {count} customer, no problems found.",
                "{path}: {count} customers, no problems found.",
                count,
            ).format(path=report.table.source, count=count)
        )
        return
    _print_problems(report.problems, scenario)
    errors, warnings = len(report.errors), len(report.warnings)
    error_console.print(
        _("{errors} and {warnings} found.").format(
            errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
            warnings=ngettext("{count} warning", "{count} warnings", warnings).format(
                count=warnings
            ),
        )
    )
    if report.errors:
        raise typer.Exit(InputError.exit_code)


def _print_problems(problems: tuple[Problem, ...], scenario_path: Path) -> None:
    """Print the problems as a table titled by their file, or "Problems found" for several.

    A problem without a file is one of the scenario's settings against the data (too many
    territories, an unreachable depot), so its File cell names the scenario.
    """
    files = [problem.file or str(scenario_path) for problem in problems]
    distinct = list(dict.fromkeys(files))
    if len(distinct) == 1:
        title = _("Problems in {path}").format(path=distinct[0])
    else:
        title = _("Problems found")
    table = Table(title=title)
    for column in (
        _("Severity"),
        _("File"),
        _("Line"),
        _("Column"),
        _("Customer"),
        _("Value"),
        _("Problem"),
        _("Fix"),
    ):
        table.add_column(column, overflow="fold")
    for problem, file in zip(problems, files, strict=True):
        table.add_row(
            _("error") if problem.is_error else _("warning"),
            Path(file).name,
            "" if problem.line is None else str(problem.line),
            problem.column,
            problem.customer_id,
            problem.value,
            problem.message,
            problem.fix,
        )
    console.print(table)


@app.command(help=_("List the retail outlets of an OpenStreetMap extract (the outlet universe)."))
@guarded
def universe(
    osm_file: Annotated[
        Path, typer.Argument(help=_("OpenStreetMap extract (.osm, .pbf, .bz2, .gz)."))
    ],
    out: Annotated[Path, typer.Option(help=_("CSV file to write."))],
    assume_attributes: Annotated[
        bool,
        typer.Option(
            "--assume-attributes",
            help=_("Add assumed revenue, volume, visits and service time by outlet type."),
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help=_("Seed of the assumed attributes."))] = 0,
    customer_share: Annotated[
        float, typer.Option(help=_("Share of outlets drawn as current customers (0-1]."))
    ] = 1.0,
    customers_only: Annotated[
        bool,
        typer.Option(
            "--customers-only",
            help=_("With --assume-attributes, keep only the outlets drawn as customers."),
        ),
    ] = False,
    lang: LanguageOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List the retail outlets of an OpenStreetMap extract (the outlet universe)."""
    from gtm_optimizer.inputs.assumed import assume_attributes as assume
    from gtm_optimizer.network import extract_outlets

    start_command(lang, verbose)
    outlets = extract_outlets(osm_file)
    table = outlets
    if assume_attributes:
        table = assume(outlets, seed=seed, customer_share=customer_share)
        if customers_only:
            table = table[table["is_customer"]].drop(columns="is_customer")
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    console.print(
        ngettext(
            "Wrote {count} outlet to {path}", "Wrote {count} outlets to {path}", len(table)
        ).format(count=len(table), path=out)
    )
    console.print(_("Map data © OpenStreetMap contributors, ODbL 1.0."))


def _register_commands() -> None:
    from gtm_optimizer import commands

    for module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{module.name}")


_register_commands()


def main() -> None:
    """Entry point for ``python -m gtm_optimizer``."""
    app(prog_name="gtm-optimizer")
