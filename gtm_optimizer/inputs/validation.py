"""Every check a run makes before solving, gathered into one report.

:func:`validate_inputs` reads the customer file and loads the road network, when the
scenario has one. It then checks in one pass everything that can be known before solving:
each cell of the customer file, the service area (swapped, outside and ``0,0`` coordinates),
the fit of the customers to the fleet (capacity, shifts, windows) and the territory count.
With a road network it also checks whether each depot and customer can be reached. The
function serves both the ``validate`` command and a run, so that the two report the same
problems.

A report's problems are errors or warnings (see :class:`gtm_optimizer.errors.Problem`).
Errors without a line (a missing column, an unreadable network, an unreachable depot, too
many territories) stop a run whatever ``on_invalid_rows`` says; errors in rows stop it when
``on_invalid_rows`` is ``stop``, and send the rows to ``rejects.csv`` when it is ``skip``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gtm_optimizer.errors import InputError, NetworkError, Problem
from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.inputs.customers import CustomerTable, load_customers
from gtm_optimizer.inputs.fleet import check_fleet_fit, check_territory_count
from gtm_optimizer.inputs.geography import ServiceArea, check_service_area, locate_null_island
from gtm_optimizer.inputs.problems import rejects_frame
from gtm_optimizer.inputs.reachability import (
    UNREACHABLE_CODES,
    check_reachability,
    check_trimmed_ways,
)
from gtm_optimizer.network import RoadNetwork, load_network
from gtm_optimizer.scenario import Scenario

__all__ = ["ValidationReport", "service_area", "validate_inputs"]

logger = logging.getLogger(__name__)

#: Warnings logged one by one by :meth:`ValidationReport.log_warnings`; the rest are counted.
MAX_LOGGED_WARNINGS = 20


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_inputs`.

    Attributes
    ----------
    table
        The customers without the rows that have errors, every problem, and the rejects.
    network
        The road network that was checked against, for the run to reuse; None for
        straight-line runs or when the file could not be read.
    seconds
        Time the checks took.
    """

    table: CustomerTable
    network: RoadNetwork | None = None
    seconds: float = 0.0

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every error and warning: file-wide ones first, then by line."""
        return tuple(self.table.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that reject a row or stop the run."""
        return tuple(problem for problem in self.table.problems if problem.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems a run goes on with (customers listed as unserved or adjusted)."""
        return tuple(problem for problem in self.table.problems if not problem.is_error)

    @property
    def ok(self) -> bool:
        """Whether there is no error."""
        return not self.errors

    def raise_for(self, on_invalid_rows: str) -> None:
        """Raise :class:`InputError` when a run cannot go on with these inputs.

        Parameters
        ----------
        on_invalid_rows
            ``"stop"``: any error stops the run. ``"skip"``: only errors without a line stop
            it, and rows with errors are left out (they are in ``table.rejects``).
        """
        errors = self.errors
        file_wide = any(problem.line is None for problem in errors)
        if errors and (file_wide or on_invalid_rows == "stop" or self.table.customers.empty):
            raise InputError(errors)
        if self.table.customers.empty:
            raise InputError(
                [], summary=_("{file} has no usable customer.").format(file=self.table.source)
            )

    def log_warnings(self) -> None:
        """Log each warning (up to :data:`MAX_LOGGED_WARNINGS`) and count the rest."""
        warnings = self.warnings
        for problem in warnings[:MAX_LOGGED_WARNINGS]:
            logger.warning(problem.describe())
        if len(warnings) > MAX_LOGGED_WARNINGS:
            logger.warning(
                ngettext(
                    "... and {count} more warning; run validate to list them all.",
                    "... and {count} more warnings; run validate to list them all.",
                    len(warnings) - MAX_LOGGED_WARNINGS,
                ).format(count=len(warnings) - MAX_LOGGED_WARNINGS)
            )


def service_area(scenario: Scenario, network: RoadNetwork | None) -> ServiceArea:
    """Return the area customers must lie in: the network's box, or circles around depots."""
    if network is not None:
        return ServiceArea(bbox_lonlat=network.bbox_lonlat)
    centres = [(depot.lat, depot.lon) for depot in scenario.depots]
    return ServiceArea.around(centres, scenario.network.service_radius_km * 1000.0)


def validate_inputs(
    scenario: Scenario,
    customers_path: Path | None = None,
    *,
    network: RoadNetwork | None = None,
) -> ValidationReport:
    """Run every check a run makes before solving and gather all problems.

    Parameters
    ----------
    scenario
        A validated scenario.
    customers_path
        Customer file to check instead of the scenario's.
    network
        The scenario's road network when already loaded; loaded here otherwise (unless the
        scenario uses straight-line distances).

    Returns
    -------
    ValidationReport
        Problems of the customer file, the network and the scenario's fit to the data. A
        missing or unreadable file is reported as a problem, not raised.
    """
    started = time.perf_counter()
    path = customers_path or scenario.resolve(scenario.inputs.customers)
    assert path is not None
    table = _read_customers(scenario, path)
    problems = list(table.problems)
    if network is None and not scenario.network.straight_line:
        network, network_problems = _read_network(scenario)
        problems += network_problems
    if network is not None:
        problems += check_trimmed_ways(network)

    customers = _without_errors(table.customers, problems)
    if not customers.empty:
        problems += _data_problems(scenario, customers, network, file=table.source)
    area_known = network is not None or scenario.network.straight_line
    if area_known:
        problems = locate_null_island(problems, service_area(scenario, network))

    customers = _without_errors(table.customers, problems)
    unreachable = {problem.line for problem in problems if problem.code in UNREACHABLE_CODES}
    if area_known and not customers.empty:
        servable = int((~customers["line"].isin(unreachable)).sum())
        problems += check_territory_count(scenario, servable)

    problems.sort(key=lambda problem: (problem.line is not None, problem.line or 0))
    checked = CustomerTable(
        customers, problems, rejects_frame(problems), table.source, table.rows_read
    )
    report = ValidationReport(checked, network, time.perf_counter() - started)
    _log_report(report)
    return report


def _log_report(report: ValidationReport) -> None:
    """Log the rows read and the problems found. A file that could not be read has no count."""
    errors, warnings = len(report.errors), len(report.warnings)
    errors_text = ngettext("{count} error", "{count} errors", errors).format(count=errors)
    warnings_text = ngettext("{count} warning", "{count} warnings", warnings).format(
        count=warnings
    )
    found = f"{errors_text}, {warnings_text}"
    file, seconds = report.table.source, report.seconds
    rows = report.table.rows_read
    if rows is None:
        logger.info(
            _("Validated {file} (no rows read): {found}, {seconds:.2f} s").format(
                file=file, found=found, seconds=seconds
            )
        )
        return
    logger.info(
        ngettext(
            "Validated {rows} customer row of {file}: {found}, {seconds:.2f} s",
            "Validated {rows} customer rows of {file}: {found}, {seconds:.2f} s",
            rows,
        ).format(rows=rows, file=file, found=found, seconds=seconds)
    )


def _read_customers(scenario: Scenario, path: Path) -> CustomerTable:
    try:
        return load_customers(
            path,
            columns=scenario.inputs.columns,
            decimal_comma=scenario.inputs.decimal_comma,
            working_days=scenario.plan.working_days,
            time_format=scenario.inputs.time_format,
        )
    except InputError as error:
        return CustomerTable(
            pd.DataFrame(), error.problems, rejects_frame(error.problems), str(path), None
        )


def _read_network(scenario: Scenario) -> tuple[RoadNetwork | None, list[Problem]]:
    path = scenario.resolve(scenario.network.path)
    assert path is not None
    try:
        network = load_network(
            path, profile=scenario.network.profile, speeds_kph=scenario.network.speeds_kph or None
        )
    except NetworkError as error:
        return None, [Problem(code="unreadable_network", message=str(error), file=str(path))]
    return network, []


def _without_errors(customers: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    if customers.empty:
        return customers
    bad_lines = {problem.line for problem in problems if problem.is_error}
    return customers[~customers["line"].isin(bad_lines)].reset_index(drop=True)


def _data_problems(
    scenario: Scenario, customers: pd.DataFrame, network: RoadNetwork | None, *, file: str
) -> list[Problem]:
    problems = check_fleet_fit(customers, scenario, file=file)
    if network is None and not scenario.network.straight_line:
        return problems
    outside = check_service_area(customers, service_area(scenario, network), file=file)
    problems += outside
    if network is not None:
        inside = _without_errors(customers, outside)
        depot_errors, warnings = check_reachability(network, scenario, inside, file=file)
        problems += depot_errors + warnings
    return problems
