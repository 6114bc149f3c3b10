"""Run history: every ``run`` and ``reroute`` recorded in SQLite or PostgreSQL.

The store is chosen by a SQLAlchemy URL: ``--history URL``, else the environment variable
``GTM_OPTIMIZER_HISTORY``, else an SQLite file ``history.sqlite`` under
``$XDG_STATE_HOME/gtm-optimizer/`` (``~/.local/state`` when unset). A URL
``postgresql://user:password@host/db`` uses psycopg 3. The table ``gtm_runs`` is created on
first use.

A run's input hash is the SHA-256 of its input files: each file's own SHA-256 in hex, one per
line in the order given, hashed again. The same files in the same roles give the same hash,
so a history shows when a KPI changed without the inputs changing.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    Integer,
    String,
    create_engine,
    select,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from gtm_optimizer.errors import GtmError
from gtm_optimizer.i18n import _

logger = logging.getLogger(__name__)

HISTORY_ENV = "GTM_OPTIMIZER_HISTORY"
STATUSES = ("ok", "partial", "failed")


class HistoryError(GtmError):
    """A history database that cannot be opened, read or written."""

    exit_code = 1


class _Base(DeclarativeBase):
    pass


class _RunRow(_Base):
    __tablename__ = "gtm_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    command: Mapped[str] = mapped_column(String(32))
    scenario: Mapped[str] = mapped_column(String(200), index=True)
    input_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    n_routes: Mapped[int] = mapped_column(Integer)
    n_unserved: Mapped[int] = mapped_column(Integer)
    output_dir: Mapped[str] = mapped_column(String(1000))
    duration_s: Mapped[float] = mapped_column(Float)
    kpis: Mapped[dict[str, Any]] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(String(2000), default="")


@dataclass(frozen=True)
class RunRecord:
    """One recorded run; ``kpis`` contains the summary's KPIs as plain numbers."""

    started_at: datetime
    finished_at: datetime
    command: str
    scenario: str
    input_hash: str
    status: str
    n_routes: int
    n_unserved: int
    output_dir: str
    kpis: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status = {self.status!r} is not one of {STATUSES}")

    @property
    def duration_s(self) -> float:
        """Seconds from start to finish."""
        return (self.finished_at - self.started_at).total_seconds()


def default_history_url() -> str:
    """Return the SQLite URL under ``XDG_STATE_HOME`` used when no URL is given."""
    state = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
    return f"sqlite:///{state / 'gtm-optimizer' / 'history.sqlite'}"


def resolve_history_url(url: str | None = None) -> str:
    """Return ``url``, else ``$GTM_OPTIMIZER_HISTORY``, else :func:`default_history_url`."""
    return url or os.environ.get(HISTORY_ENV) or default_history_url()


def hash_inputs(paths: Iterable[Path]) -> str:
    """Return the SHA-256 input hash of the files, in the given order (see the module doc)."""
    lines = []
    for path in paths:
        digest = hashlib.sha256()
        with Path(path).open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        lines.append(digest.hexdigest() + "\n")
    return hashlib.sha256("".join(lines).encode("ascii")).hexdigest()


class RunHistory:
    """The history store behind one SQLAlchemy URL.

    Raises
    ------
    HistoryError
        If the URL is invalid or the database cannot be opened.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = _database_url(resolve_history_url(url))
        if self.url.get_backend_name() == "sqlite" and self.url.database:
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url)
        try:
            _Base.metadata.create_all(self.engine)
        except SQLAlchemyError as error:
            raise self._error(error) from error

    def describe(self) -> str:
        """Return the URL with its password hidden, for messages and logs."""
        return self.url.render_as_string(hide_password=True)

    def record(self, record: RunRecord) -> RunRecord:
        """Store ``record`` and return it with its id."""
        row = _RunRow(
            started_at=record.started_at,
            finished_at=record.finished_at,
            command=record.command,
            scenario=record.scenario,
            input_hash=record.input_hash,
            status=record.status,
            n_routes=record.n_routes,
            n_unserved=record.n_unserved,
            output_dir=record.output_dir,
            duration_s=record.duration_s,
            kpis=record.kpis,
            message=record.message[:2000],
        )
        try:
            with Session(self.engine) as session, session.begin():
                session.add(row)
                session.flush()
                row_id = row.id
        except SQLAlchemyError as error:
            raise self._error(error) from error
        logger.info(
            _("Recorded run {id} ({command} command) of {scenario} in {url}").format(
                command=record.command, id=row_id, scenario=record.scenario, url=self.describe()
            )
        )
        return replace(record, id=row_id)

    def runs(
        self, *, last: int = 20, scenario: str | None = None, command: str | None = None
    ) -> list[RunRecord]:
        """Return the ``last`` runs, newest first, optionally of one scenario or command."""
        if last < 1:
            raise ValueError(f"last = {last} must be >= 1")
        query = select(_RunRow).order_by(_RunRow.started_at.desc(), _RunRow.id.desc())
        if scenario is not None:
            query = query.where(_RunRow.scenario == scenario)
        if command is not None:
            query = query.where(_RunRow.command == command)
        try:
            with Session(self.engine) as session:
                rows = session.scalars(query.limit(last)).all()
                return [_as_record(row) for row in rows]
        except SQLAlchemyError as error:
            raise self._error(error) from error

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def _error(self, error: Exception) -> HistoryError:
        return HistoryError(
            _("The run history at {url} cannot be used: {error}").format(
                url=self.describe(), error=str(error).splitlines()[0]
            )
        )


def _database_url(text: str) -> URL:
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise HistoryError(
            _(
                "The history URL {url!r} is not a database URL; write it like "
                "sqlite:////var/lib/gtm/history.sqlite or "
                "postgresql://user:password@host/db"
            ).format(url=text)
        ) from error
    if url.drivername in ("postgresql", "postgres"):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; this project ships psycopg 3.
        url = url.set(drivername="postgresql+psycopg")
    return url


def _as_record(row: _RunRow) -> RunRecord:
    return RunRecord(
        started_at=_aware(row.started_at),
        finished_at=_aware(row.finished_at),
        command=row.command,
        scenario=row.scenario,
        input_hash=row.input_hash,
        status=row.status,
        n_routes=row.n_routes,
        n_unserved=row.n_unserved,
        output_dir=row.output_dir,
        kpis=dict(row.kpis or {}),
        message=row.message or "",
        id=row.id,
    )


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def record_run(
    summary: Mapping[str, Any],
    *,
    command: str = "run",
    output_dir: Path | str,
    input_paths: Iterable[Path] = (),
    status: str = "ok",
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
    history_url: str | None = None,
    message: str = "",
) -> RunRecord | None:
    """Record a finished run in the history; log the failure and return None if it fails.

    A history that cannot be written never fails the run: the outputs are already written,
    and the error is logged with the URL (password hidden).

    Parameters
    ----------
    summary
        The run's summary (``summary.json``): ``scenario``, ``kpis``, ``cycle_weeks`` or the
        re-routing KPIs ``routes`` and ``orders_unserved``.
    command
        ``"run"`` or ``"reroute"``.
    output_dir
        The output folder written.
    input_paths
        The input files, in a fixed order, for :func:`hash_inputs`; missing files are left
        out.
    status
        ``"ok"``, ``"partial"`` (some orders or customers unserved or rejected) or
        ``"failed"``.
    started_at, finished_at
        UTC times; now when omitted.
    history_url
        Database URL; see :func:`resolve_history_url`.
    message
        Error message of a failed run.
    """
    finished = finished_at or datetime.now(UTC)
    kpis = {
        key: value
        for key, value in dict(summary.get("kpis", {})).items()
        if isinstance(value, int | float | str | bool) or value is None
    }
    n_routes, n_unserved = _counts(summary)
    record = RunRecord(
        started_at=started_at or finished,
        finished_at=finished,
        command=command,
        scenario=str(summary.get("scenario", "")),
        input_hash=_safe_hash(input_paths),
        status=status,
        n_routes=n_routes,
        n_unserved=n_unserved,
        output_dir=str(Path(output_dir).resolve()),
        kpis=kpis,
        message=message,
    )
    try:
        history = RunHistory(history_url)
    except (GtmError, ImportError) as error:
        logger.error(_("Run not recorded in the history: {error}").format(error=error))
        return None
    try:
        return history.record(record)
    except GtmError as error:
        logger.error(_("Run not recorded in the history: {error}").format(error=error))
        return None
    finally:
        history.close()


def _safe_hash(paths: Iterable[Path]) -> str:
    try:
        return hash_inputs(p for p in paths if Path(p).is_file())
    except OSError as error:
        logger.error(
            _("Input files cannot be hashed for the history: {error}").format(error=error)
        )
        return ""


def _counts(summary: Mapping[str, Any]) -> tuple[int, int]:
    """Return the number of routes and of unserved customers or orders of a summary."""
    kpis = summary.get("kpis", {})
    if "routes" in kpis:
        return int(kpis["routes"]), int(kpis.get("orders_unserved", 0))
    weeks = int(summary.get("cycle_weeks", 1) or 1)
    routes = round(float(kpis.get("routes_per_week", 0.0)) * weeks)
    return routes, int(kpis.get("customers_unserved", 0))
