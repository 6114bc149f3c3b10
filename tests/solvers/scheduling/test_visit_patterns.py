"""The table of allowed weekday patterns per visit frequency."""

from itertools import pairwise

import pytest

from solvers.scheduling import visit_patterns

MON, TUE, WED, THU, FRI, SAT = range(6)


def test_once_a_week_any_day():
    assert visit_patterns(1) == ((MON,), (TUE,), (WED,), (THU,), (FRI,))


def test_twice_a_week_table():
    assert visit_patterns(2) == (
        (MON, WED),
        (MON, THU),
        (TUE, THU),
        (TUE, FRI),
        (WED, FRI),
    )


@pytest.mark.parametrize("n_days", [5, 6])
def test_twice_a_week_never_consecutive(n_days):
    for first, second in visit_patterns(2, n_days):
        assert second - first >= 2
        # Friday (or Saturday) and the next Monday are consecutive working days too.
        assert first + n_days - second >= 2


def test_three_a_week_five_days():
    assert visit_patterns(3) == ((MON, WED, FRI),)


def test_three_a_week_six_days():
    assert visit_patterns(3, 6) == ((MON, WED, FRI), (TUE, THU, SAT))


def test_twice_a_week_six_days():
    assert visit_patterns(2, 6) == ((MON, THU), (TUE, FRI), (WED, SAT))


def test_four_a_week_five_days():
    # Every pattern has exactly one day off.
    assert len(visit_patterns(4)) == 5


def test_four_a_week_six_days():
    # Two days off, never next to each other, and no three visit days in a row.
    assert visit_patterns(4, 6) == (
        (MON, TUE, THU, FRI),
        (MON, WED, THU, SAT),
        (TUE, WED, FRI, SAT),
    )


def test_five_a_week():
    assert visit_patterns(5) == ((MON, TUE, WED, THU, FRI),)


def test_six_a_week_six_days():
    assert visit_patterns(6, 6) == ((MON, TUE, WED, THU, FRI, SAT),)


@pytest.mark.parametrize("frequency", [0.5, 0.25])
def test_fractional_single_days(frequency):
    assert visit_patterns(frequency) == ((MON,), (TUE,), (WED,), (THU,), (FRI,))


def test_patterns_sorted():
    patterns = visit_patterns(2)
    assert list(patterns) == sorted(patterns)
    assert all(first < second for pattern in patterns for first, second in pairwise(pattern))


@pytest.mark.parametrize(
    ("frequency", "n_days", "match"),
    [
        (6, 5, "6 visits per week > 5 working days"),
        (2.5, 5, "2.5 visits per week is not allowed; use 0.25"),
        (0, 5, "0 visits per week; a visited customer needs at least 0.25"),
        (1, 8, "n_days must be a whole number of working days from 1 to 7; got 8"),
    ],
)
def test_invalid_frequency_rejected(frequency, n_days, match):
    with pytest.raises(ValueError, match=match):
        visit_patterns(frequency, n_days)
