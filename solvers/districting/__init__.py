"""Balanced, compact territory design on arrays.

:func:`design_districts` splits points into districts of about equal workload and revenue,
with short travel inside each district, locks, a limit on points moved in a realignment and
optional removal of enclaves.
"""

from solvers.districting.design import design_districts
from solvers.districting.model import DistrictingResult
from solvers.districting.settings import DistrictingSettings

__all__ = [
    "DistrictingResult",
    "DistrictingSettings",
    "design_districts",
]
