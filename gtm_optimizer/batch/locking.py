"""A lock that stops two runs from writing the same output folder at once.

The lock is the file ``.<folder>.lock`` beside the output folder (the folder itself is replaced
as a whole at the end of a run, so it cannot hold the lock). The holder keeps an exclusive
``fcntl.flock`` on the file and writes its PID, host and start time into it.

The kernel drops a flock when its holder dies, so a lock file left behind by a killed run is
stale: the next run takes the lock, logs the dead holder and replaces the file's content. A
flock is shared with child processes made by ``fork``; when the recorded PID is dead but the
lock is still held, leftover children of that run hold it, and the error names them.

NOTE: flock does not lock across hosts on every network file system; keep output folders on a
local disk, or run the batch from one host.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gtm_optimizer.errors import GtmError
from gtm_optimizer.i18n import _

logger = logging.getLogger(__name__)


class OutputLockedError(GtmError):
    """Another run holds the lock of the output folder."""

    exit_code = 1


def lock_path(target: Path) -> Path:
    """Return the lock file of output folder ``target``."""
    target = Path(target)
    return target.parent / f".{target.name}.lock"


@contextmanager
def output_lock(target: Path) -> Iterator[Path]:
    """Hold the lock of output folder ``target`` for the duration of the block.

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    OutputLockedError
        If another process holds the lock.
    """
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _acquire(path)
    try:
        previous = _read_holder(path)
        if previous.get("pid") not in (None, os.getpid()):
            logger.warning(
                _(
                    "Took over the stale lock {path} left by PID {pid} on {host} (started "
                    "{started})"
                ).format(
                    path=path,
                    pid=previous.get("pid"),
                    host=previous.get("host", "?"),
                    started=previous.get("started", "?"),
                )
            )
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, (json.dumps(holder) + "\n").encode(), 0)
        os.fsync(descriptor)
        yield path
    finally:
        # Unlink before unlocking: a run that opened this file then finds that it was replaced.
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _acquire(path: Path) -> int:
    """Return a descriptor of ``path`` holding its exclusive flock."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise _locked_error(path) from None
        try:
            same_file = os.stat(path).st_ino == os.fstat(descriptor).st_ino
        except FileNotFoundError:
            same_file = False
        if same_file:
            return descriptor
        # The holder released and unlinked the file between our open and flock; retry on
        # the file now at the path.
        os.close(descriptor)


def _read_holder(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _locked_error(path: Path) -> OutputLockedError:
    holder = _read_holder(path)
    pid = holder.get("pid")
    host = holder.get("host", "?")
    started = holder.get("started", "?")
    if isinstance(pid, int) and host == socket.gethostname() and not _pid_alive(pid):
        return OutputLockedError(
            _(
                "The output folder is locked by {path}: process {pid} that took the lock at "
                "{started} has exited, but processes it started still hold the lock. Stop them "
                "(fuser {path} lists them) and run again."
            ).format(path=path, pid=pid, started=started)
        )
    return OutputLockedError(
        _(
            "Another run (process {pid} on {host}, started {started}) is writing this output "
            "folder; its lock is {path}. Wait for it to finish, or write to another --out "
            "folder."
        ).format(pid=pid if pid is not None else "?", host=host, started=started, path=path)
    )
