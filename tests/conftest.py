"""Shared fixtures and the rule that no test may be skipped in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Folder of the tests' input files."""
    return DATA


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in English unless it sets another language itself."""
    from gtm_optimizer import i18n

    monkeypatch.setitem(i18n._current, "language", "en")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Fail a skipped test on CI: a skipped integration test proves nothing."""
    if os.environ.get("CI") and report.skipped and report.when in ("setup", "call"):
        report.outcome = "failed"
        report.longrepr = f"test skipped on CI, which is not allowed: {report.longrepr}"
