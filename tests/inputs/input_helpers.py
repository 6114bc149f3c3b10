"""Scenario text and case-file loading shared by the input tests."""

from __future__ import annotations

from pathlib import Path

from gtm_optimizer.inputs.customers import CustomerTable, load_customers
from gtm_optimizer.scenario import Scenario, load_scenario

DATA = Path(__file__).parent.parent / "data"
CASE_COLUMNS = {"volume_per_visit": "demand", "revenue_per_week": "revenue"}

# The Bogotá depot of the case files, two vans of capacity 100 working 07:00-17:00, and
# straight-line distances with customers allowed within 20 km of the depot.
BOGOTA_SCENARIO = """
name: test
inputs:
  customers: {customers}
  columns: {{volume_per_visit: demand, revenue_per_week: revenue}}
network: {{straight_line: true, service_radius_km: 20}}
depots: [{{id: DEP_BOG, lat: 4.6533, lon: -74.0836}}]
fleet:
  - {{name: van, count: 2, depot: DEP_BOG, capacity: 100, shift_start: "07:00",
     shift_end: "17:00"}}
plan: {{territories: 2}}
"""

# The Monaco-like depot at node 1 of the synthetic networks, one van.
MONACO_SCENARIO = """
name: test
inputs:
  customers: {customers}
  columns: {{volume_per_visit: demand, revenue_per_week: revenue}}
network: {{path: {network}}}
depots: [{{id: DEP_MCO, lat: 43.7370, lon: 7.4200}}]
fleet: [{{name: van, count: 1, depot: DEP_MCO, capacity: 100}}]
plan: {{territories: 1}}
"""


def case_file(name: str) -> Path:
    """Return the path of a case file (``B16`` → ``tests/data/cases/B16.csv``)."""
    return DATA / "cases" / f"{name}.csv"


def load_case(name: str | Path, **options: object) -> CustomerTable:
    """Load a case file, or any file with the case files' column names."""
    path = name if isinstance(name, Path) else case_file(name)
    return load_customers(path, columns=CASE_COLUMNS, **options)  # type: ignore[arg-type]


def write_scenario(
    folder: Path, template: str, overrides: dict[str, object] | None = None, **values: object
) -> Scenario:
    """Write a scenario from a template into ``folder`` and load it with ``overrides``."""
    path = folder / "scenario.yaml"
    path.write_text(template.format(**values), encoding="utf-8")
    return load_scenario(path, **(overrides or {}))
