"""Visit patterns: the weekday sets allowed for each visit frequency.

Weekdays are numbered from 0 (Monday). For ``f`` visits per week on ``n_days`` working days,
the allowed patterns are the ``f``-day sets that

1. have no two visits on consecutive weekdays, when any such set exists, and
2. among those, spread the visits most evenly around the working-day cycle: the sorted
   gaps between visits, counted in working days with the last day followed by the next
   week's first, are lexicographically largest, and
3. among those, have the fewest visit days in a row around the cycle.

Rule 2 excludes Mon+Fri for 2 visits on 5 days, because Friday and the next Monday are
consecutive working days. The resulting table:

====================  =====================================================
visits per week       patterns on 5 days (Mon-Fri)
====================  =====================================================
1                     Mon, Tue, Wed, Thu, Fri
2                     Mon+Wed, Mon+Thu, Tue+Thu, Tue+Fri, Wed+Fri
3                     Mon+Wed+Fri
4                     any 4 days (one day off)
5                     Mon+Tue+Wed+Thu+Fri
====================  =====================================================

====================  =====================================================
visits per week       patterns on 6 days (Mon-Sat)
====================  =====================================================
1                     any single day
2                     Mon+Thu, Tue+Fri, Wed+Sat
3                     Mon+Wed+Fri, Tue+Thu+Sat
4                     Mon+Tue+Thu+Fri, Mon+Wed+Thu+Sat, Tue+Wed+Fri+Sat
5                     any 5 days (one day off)
6                     Mon-Sat
====================  =====================================================

A customer visited every 2 weeks (0.5 per week) gets one day of the 1-visit table plus a
week parity: week A (1) or week B (2) of a two-week cycle. Every 4 weeks (0.25 per week)
gets one day plus a week from 1 to 4 of a four-week cycle.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations, pairwise

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Weeks in the visit cycle of each frequency below one visit per week.
CYCLE_WEEKS = {0.5: 2, 0.25: 4}

MAX_DAYS = len(WEEKDAY_NAMES)


def check_frequency(frequency: float, n_days: int, *, point: int | None = None) -> None:
    """Raise ``ValueError`` unless ``frequency`` is 0.25, 0.5 or a whole number 1..n_days.

    The message starts with ``point {point}:`` when a point index is given.
    """
    prefix = f"point {point}: " if point is not None else ""
    value = float(frequency)
    if value != value:
        raise ValueError(f"{prefix}visits per week is NaN; use 0.25, 0.5 or 1 to {n_days}")
    if value <= 0:
        raise ValueError(
            f"{prefix}{frequency:g} visits per week; a visited customer needs at least 0.25 "
            "(every 4 weeks)"
        )
    if value > n_days:
        raise ValueError(f"{prefix}{frequency:g} visits per week > {n_days} working days")
    if value not in CYCLE_WEEKS and value != round(value):
        raise ValueError(
            f"{prefix}{frequency:g} visits per week is not allowed; use 0.25 (every 4 "
            f"weeks), 0.5 (every 2 weeks) or a whole number from 1 to {n_days}"
        )


def check_n_days(n_days: int) -> None:
    """Raise ``ValueError`` unless ``n_days`` is a whole number of working days 1..7."""
    if not 1 <= n_days <= MAX_DAYS or n_days != int(n_days):
        raise ValueError(
            f"n_days must be a whole number of working days from 1 to {MAX_DAYS}; got {n_days}"
        )


def days_per_week(frequency: float) -> int:
    """Return the number of visit days in a pattern: 1 below one visit per week."""
    return max(1, round(frequency))


def cycle_weeks(frequency: float) -> tuple[int, ...]:
    """Return the week options of a frequency: ``(0,)`` for every week, else weeks 1..W."""
    weeks = CYCLE_WEEKS.get(float(frequency))
    return (0,) if weeks is None else tuple(range(1, weeks + 1))


def visit_patterns(frequency: float, n_days: int = 5) -> tuple[tuple[int, ...], ...]:
    """Return the allowed weekday tuples for a visit frequency, in lexicographic order.

    Parameters
    ----------
    frequency
        Visits per week: 0.25, 0.5 or a whole number from 1 to ``n_days``. Frequencies
        below 1 return the single days, because the week is chosen separately.
    n_days
        Working weekdays, from Monday: 5 for Mon-Fri, 6 adds Saturday.

    Raises
    ------
    ValueError
        For a frequency or a number of days that is not allowed, with the value.
    """
    check_n_days(n_days)
    check_frequency(frequency, n_days)
    return _patterns(days_per_week(float(frequency)), int(n_days))


@cache
def _patterns(n_visits: int, n_days: int) -> tuple[tuple[int, ...], ...]:
    """Return the best-spread ``n_visits``-day subsets of ``n_days`` working days."""
    subsets = list(combinations(range(n_days), n_visits))
    keys = [_spread_key(subset, n_days) for subset in subsets]
    best = max(keys)
    return tuple(subset for subset, key in zip(subsets, keys, strict=True) if key == best)


def _spread_key(days: tuple[int, ...], n_days: int) -> tuple[bool, tuple[int, ...], int]:
    """Rank a weekday set: no consecutive weekdays, sorted cyclic gaps, shortest longest run."""
    gaps = [later - earlier for earlier, later in pairwise(days)]
    within_week = all(gap >= 2 for gap in gaps)
    gaps.append(days[0] + n_days - days[-1])
    return within_week, tuple(sorted(gaps)), -_longest_run(gaps)


def _longest_run(gaps: list[int]) -> int:
    """Return the most visit days in a row around the cycle, given the cyclic gaps."""
    if all(gap == 1 for gap in gaps):
        return len(gaps)
    longest = streak = 0
    for gap in gaps + gaps:
        streak = streak + 1 if gap == 1 else 0
        longest = max(longest, streak)
    return longest + 1


def format_days(days: tuple[int, ...]) -> str:
    """Return a weekday tuple as text, e.g. ``(0, 3)`` as ``"Mon+Thu"``."""
    return "+".join(WEEKDAY_NAMES[day] for day in days)
