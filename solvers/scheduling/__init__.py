"""Weekly visit calendars (ruteros) on arrays.

:func:`assign_visit_days` gives every point the weekdays of its visits, from the allowed
patterns of its frequency (:func:`visit_patterns`), so that each day carries about the same
workload and the points of a day lie close together.
"""

from solvers.scheduling.model import ScheduleResult
from solvers.scheduling.patterns import visit_patterns
from solvers.scheduling.settings import ScheduleSettings
from solvers.scheduling.visit_days import assign_visit_days

__all__ = [
    "ScheduleResult",
    "ScheduleSettings",
    "assign_visit_days",
    "visit_patterns",
]
