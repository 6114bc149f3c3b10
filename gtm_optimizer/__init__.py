"""Territory, visit calendar, route and cost-to-serve optimizer for consumer-goods distribution.

Typical use::

    import gtm_optimizer as gtm

    scenario = gtm.load_scenario("scenarios/duitama/baseline.yaml", solver={"time_limit_s": 1})
    result = gtm.run(scenario)
    result.customers.explore(column="cts_pct")   # GeoDataFrame, one row per customer
    gtm.write_outputs(result, "out/duitama")

Each stage can also be called alone: :mod:`gtm_optimizer.network`,
:mod:`gtm_optimizer.territories`, :mod:`gtm_optimizer.calendar`, :mod:`gtm_optimizer.routing`
and :mod:`gtm_optimizer.costing`.

The names below are imported on first use, so ``import gtm_optimizer`` and the start of the
command-line interface do not pay for pandas, GeoPandas and the solvers.
"""

from __future__ import annotations

import importlib

# Set here rather than imported from `typing`, which alone takes longer to import than this
# module; type checkers read the name the same way.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from gtm_optimizer.errors import GtmError, InputError, NetworkError, Problem, ScenarioError
    from gtm_optimizer.i18n import set_language
    from gtm_optimizer.pipeline import run
    from gtm_optimizer.reporting.writers import write_outputs
    from gtm_optimizer.results import RunResult
    from gtm_optimizer.scenario import Scenario, load_scenario

    __version__: str

_EXPORTS = {
    "GtmError": "gtm_optimizer.errors",
    "InputError": "gtm_optimizer.errors",
    "NetworkError": "gtm_optimizer.errors",
    "Problem": "gtm_optimizer.errors",
    "RunResult": "gtm_optimizer.results",
    "Scenario": "gtm_optimizer.scenario",
    "ScenarioError": "gtm_optimizer.errors",
    "load_scenario": "gtm_optimizer.scenario",
    "run": "gtm_optimizer.pipeline",
    "set_language": "gtm_optimizer.i18n",
    "write_outputs": "gtm_optimizer.reporting.writers",
}

__all__ = [
    "GtmError",
    "InputError",
    "NetworkError",
    "Problem",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
    "run",
    "set_language",
    "write_outputs",
]


def _installed_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("gtm-optimizer")
    except metadata.PackageNotFoundError:
        # A source checkout used without `pip install -e .` has no package metadata.
        return "0+unknown"


def __getattr__(name: str) -> Any:
    """Import an exported name on first access and keep it in the module's namespace."""
    if name == "__version__":
        value: Any = _installed_version()
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
