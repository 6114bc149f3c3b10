"""Errors that reach the user as a message, never as a traceback.

The CLI catches :class:`GtmError` and prints its message; any other exception is an internal
error and is logged in full to the run log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from gtm_optimizer.i18n import _

ERROR: Final = "error"
WARNING: Final = "warning"


class GtmError(Exception):
    """An error caused by the input or the environment, explained in the user's language."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One defect in an input file, located precisely enough to fix it.

    ``line`` counts from 1 and includes the header line, so it matches what a spreadsheet or
    text editor shows. ``code`` is a stable, machine-readable reason (``"duplicate_id"``,
    ``"swapped_lat_lon"``); ``message`` and ``fix`` are already translated.

    An ``"error"`` is a value that cannot be used: its row is rejected, or the run stops. A
    ``"warning"`` is a valid value that this fleet or network cannot serve, or that the run
    adjusts (a window clipped to the shift): the run goes on and reports the customer as
    unserved or adjusted.
    """

    code: str
    message: str
    fix: str = ""
    file: str = ""
    line: int | None = None
    column: str = ""
    customer_id: str = ""
    value: str = ""
    severity: Literal["error", "warning"] = ERROR

    @property
    def is_error(self) -> bool:
        """Whether the problem rejects its row or stops the run."""
        return self.severity == ERROR

    def describe(self) -> str:
        """Return the problem as one line: where, what, and how to fix it."""
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(_("line {line}").format(line=self.line))
        if self.column:
            where.append(_("column {column}").format(column=self.column))
        if self.customer_id:
            where.append(_("customer {customer_id}").format(customer_id=self.customer_id))
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if not self.is_error:
            text = _("warning: {text}").format(text=text)
        if self.value:
            text += " " + _("(value: {value!r})").format(value=self.value)
        if self.fix:
            text += ". " + self.fix
        return text


class InputError(GtmError):
    """Input data that cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem], summary: str = "") -> None:
        self.problems = list(problems)
        head = summary or _("The input has {count} problem(s):").format(count=len(self.problems))
        lines = [head, *("  - " + problem.describe() for problem in self.problems)]
        super().__init__("\n".join(lines))


class NetworkError(GtmError):
    """A road network file that cannot be read or used."""


class ScenarioError(GtmError):
    """A scenario file that is missing, malformed or inconsistent with its data."""
