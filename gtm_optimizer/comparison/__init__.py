"""Several scenarios side by side: sweeps, parallel runs and their outcomes.

:func:`load_cases` reads scenario files (expanding their sweeps) and :func:`run_cases` runs
them and writes each run's folder; :mod:`gtm_optimizer.reporting.report.comparison` turns the
outcomes into ``comparison.csv`` and ``comparison.html``.
"""

from gtm_optimizer.comparison.runs import CaseOutcome, run_case, run_cases, share_workers
from gtm_optimizer.comparison.settings import (
    SWEEP_KEY,
    merge_settings,
    read_settings,
    validate_settings,
)
from gtm_optimizer.comparison.sweep import (
    ScenarioCase,
    Sweep,
    load_cases,
    parse_sweep,
    set_setting,
)

__all__ = [
    "SWEEP_KEY",
    "CaseOutcome",
    "ScenarioCase",
    "Sweep",
    "load_cases",
    "merge_settings",
    "parse_sweep",
    "read_settings",
    "run_case",
    "run_cases",
    "set_setting",
    "share_workers",
    "validate_settings",
]
