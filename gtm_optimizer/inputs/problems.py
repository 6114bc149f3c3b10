"""Collection of row problems while a table is parsed, and the rules shared by every table.

Id rule, the same for customers, orders and depots: two ids are the same when they are equal
after Unicode NFKC normalization, trimming, collapsing inner runs of spaces to one space and
case-folding. So ``"c05 "`` and ``"C05"`` are the same customer, while ``"C05"`` and ``"C5"``
are not. The tables keep each id as written; the rule only decides what counts as a repeat.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pandas as pd

from gtm_optimizer.errors import Problem
from gtm_optimizer.i18n import ngettext

__all__ = [
    "ProblemCollector",
    "duplicate_groups",
    "id_key",
    "list_columns",
    "rejects_frame",
    "report_duplicates",
]

REJECT_COLUMNS = ("line", "customer_id", "column", "value", "reason", "message", "fix")

MAX_LISTED_COLUMNS = 8
"""Columns a message lists by name before it only counts the rest."""


def id_key(value: object) -> str:
    """Return the form of an id used to compare ids (see the module's id rule)."""
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split()).casefold()


class ProblemCollector:
    """Problems of one table, each located by the row's file line and id.

    Parameters
    ----------
    file
        The file name shown in every problem.
    frame
        The raw table, with ``line`` and the id column.
    id_column
        The column whose value names the row (``customer_id``).
    """

    def __init__(self, file: str, frame: pd.DataFrame, id_column: str = "customer_id") -> None:
        self.file = file
        self.frame = frame
        self.id_column = id_column
        self.problems: list[Problem] = []
        self.bad_rows: set[int] = set()

    def add(self, row: int, column: str, code: str, message: str, fix: str, value: str) -> None:
        """Record an error in ``row`` (a position in the frame); the row is rejected."""
        self.problems.append(self.problem(row, column, code, message, fix, value))
        self.bad_rows.add(row)

    def problem(
        self, row: int, column: str, code: str, message: str, fix: str, value: str
    ) -> Problem:
        """Return an error located at ``row`` without recording it."""
        identifier = ""
        if self.id_column in self.frame.columns:
            identifier = str(self.frame[self.id_column].iat[row]).strip()
        return Problem(
            code=code,
            message=message,
            fix=fix,
            file=self.file,
            line=int(self.frame["line"].iat[row]),
            column=column,
            customer_id=identifier,
            value=value,
        )


def duplicate_groups(ids: pd.Series) -> list[list[int]]:
    """Return the row positions of every id that appears more than once, in file order.

    Blank ids are left out; they are reported as blank.
    """
    keys = pd.Series([id_key(value) for value in ids], dtype=object)
    keys = keys.where(keys != "")
    groups = keys.groupby(keys, dropna=True, sort=False).indices
    return [sorted(int(row) for row in rows) for rows in groups.values() if len(rows) > 1]


def report_duplicates(collector: ProblemCollector, *, message: str, fix: str) -> None:
    """Reject every row of a repeated id, naming all the lines it appears on.

    ``message`` is a translated text with a ``{lines}`` field.
    """
    frame = collector.frame
    column = collector.id_column
    for rows in duplicate_groups(frame[column]):
        lines = ", ".join(str(int(frame["line"].iat[row])) for row in rows)
        for row in rows:
            collector.add(
                row,
                column,
                "duplicate_id",
                message.format(lines=lines),
                fix,
                str(frame[column].iat[row]),
            )


def list_columns(names: Iterable[str], *, limit: int = MAX_LISTED_COLUMNS) -> str:
    """Join column names for a message: the first ``limit`` names, then how many more."""
    names = list(names)
    listed = ", ".join(names[:limit])
    rest = len(names) - limit
    if rest <= 0:
        return listed
    return ngettext(
        "{columns} and {count} more column", "{columns} and {count} more columns", rest
    ).format(columns=listed, count=rest)


def rejects_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Return one row per error: line, customer id, column, value, reason, message, fix.

    Warnings are left out: they reject nothing.
    """
    records = [
        {
            "line": problem.line,
            "customer_id": problem.customer_id,
            "column": problem.column,
            "value": problem.value,
            "reason": problem.code,
            "message": problem.message,
            "fix": problem.fix,
        }
        for problem in problems
        if problem.is_error
    ]
    return pd.DataFrame(records, columns=list(REJECT_COLUMNS))
