"""JSON-lines logging for unattended runs (``--log-format json``).

Each log record becomes one JSON object on one line of standard error. Its keys are ``time``
(UTC, ISO 8601 with milliseconds), ``level``, ``logger`` and ``message``, then every
``extra=`` field of the call and the run's ids (``run_id``, ``command``). An error with a
traceback adds ``exception``. Log collectors (journald, Loki, CloudWatch) read such lines as they
are.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonLineFormatter(logging.Formatter):
    """Format a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON object on one line."""
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class _RunIds(logging.Filter):
    def __init__(self, ids: dict[str, str]) -> None:
        super().__init__()
        self.ids = ids

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in self.ids.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def use_json_logs(**ids: str) -> None:
    """Replace the console log handler with JSON lines on standard error.

    The file log and the levels set by the CLI stay as they are. ``ids`` (such as
    ``run_id="..."``) are added to every record.
    """
    root = logging.getLogger()
    stream_handlers = [
        handler for handler in root.handlers if not isinstance(handler, logging.FileHandler)
    ]
    level = min((handler.level for handler in stream_handlers), default=logging.INFO)
    filters = [f for handler in stream_handlers for f in handler.filters]
    for handler in stream_handlers:
        root.removeHandler(handler)
    json_handler = logging.StreamHandler(sys.stderr)
    json_handler.setLevel(level)
    json_handler.setFormatter(JsonLineFormatter())
    for log_filter in filters:
        json_handler.addFilter(log_filter)
    json_handler.addFilter(_RunIds(ids))
    root.addHandler(json_handler)
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler):
            handler.addFilter(_RunIds(ids))
