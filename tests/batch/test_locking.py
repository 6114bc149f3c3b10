"""The output lock: one writer per output folder, stale locks taken over."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gtm_optimizer.batch.locking import OutputLockedError, lock_path, output_lock


def test_lock_file_beside_folder(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "out") == tmp_path / ".out.lock"


def test_lock_records_pid(tmp_path: Path) -> None:
    with output_lock(tmp_path / "out") as path:
        holder = json.loads(path.read_text(encoding="utf-8"))
    assert holder["pid"] == os.getpid()


def test_lock_removed_on_exit(tmp_path: Path) -> None:
    with output_lock(tmp_path / "out") as path:
        pass
    assert not path.exists()


def test_second_writer_rejected(tmp_path: Path) -> None:
    # flock locks belong to open file descriptions, so a second open in the same process
    # conflicts just as another process would.
    held = pytest.raises(OutputLockedError, match=str(os.getpid()))
    with output_lock(tmp_path / "out"), held, output_lock(tmp_path / "out"):
        pass


def test_other_process_holds_lock(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from gtm_optimizer.batch.locking import output_lock\n"
        "with output_lock(sys.argv[1]):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(30)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "out")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        held = pytest.raises(OutputLockedError, match=f"process {holder.pid} ")
        with held, output_lock(tmp_path / "out"):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_stale_lock_taken_over(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_path(tmp_path / "out").write_text(json.dumps({"pid": dead.pid}), encoding="utf-8")
    with caplog.at_level(logging.WARNING), output_lock(tmp_path / "out") as path:
        holder = json.loads(path.read_text(encoding="utf-8"))
    assert holder["pid"] == os.getpid()
    assert f"left by PID {dead.pid}" in caplog.text
