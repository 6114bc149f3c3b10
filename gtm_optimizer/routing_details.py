"""Translation of the route solver's details of unserved clients.

:mod:`solvers.routing` never imports this package, so it writes each
:class:`~solvers.routing.Unserved` detail as a fixed English sentence with numbers, such as
``earliest arrival 17:40 is after the window closes at 17:00``. Each sentence form is matched
here and written again through the message catalog with the same numbers. The English
message ids repeat the solver's sentences, so an English run writes the solver's text
unchanged.
"""

from __future__ import annotations

import re

from gtm_optimizer.i18n import _

# Each solver sentence form, by the name of its message in _messages().
_FORMS = {
    "capacity": r"demand (?P<demand>\S+) > largest capacity (?P<capacity>\S+)",
    "capacity_dimension": (
        r"demand (?P<demand>\S+) > largest capacity (?P<capacity>\S+) "
        r"\(dimension (?P<dimension>\d+)\)"
    ),
    "capacity_combined": (
        r"demand (?P<demand>\(.*\)) fits no single vehicle type in every dimension at once"
    ),
    "outside_shift": r"windows (?P<windows>.+) lie outside the shift (?P<shift>.+)",
    "service_after_shift": (
        r"service of (?P<service_min>\S+) min starting when the window opens at (?P<opens>.+) "
        r"ends after the shift ends at (?P<shift_end>.+)"
    ),
    "late_arrival": (
        r"earliest arrival (?P<arrival>.+) is after the window closes at (?P<closes>.+)"
    ),
    "late_return": (
        r"earliest return to the depot (?P<back>.+) is after the shift ends at (?P<shift_end>.+)"
    ),
    "max_duration": (
        r"depot to client and back with service takes (?P<round_trip_min>\S+) min > max "
        r"duration (?P<max_min>\S+) min"
    ),
    "max_distance": (
        r"depot to client and back is (?P<round_trip_km>\S+) km > max distance "
        r"(?P<max_km>\S+) km"
    ),
    "no_feasible_plan": (
        r"the solver found no feasible plan within its budget; raise time_limit_s or "
        r"max_iterations"
    ),
    "optional_left_out": (
        r"optional client left out: serving it costs more than its penalty (?P<penalty>\S+)"
    ),
    "no_room": (
        r"left out by the solver: the fleet, shifts and time windows leave no room for it"
    ),
    "whole_seconds": (
        r"windows (?P<windows>.+) contain no whole second within the shifts; the solvers "
        r"schedule in whole seconds"
    ),
}
_PATTERNS = {name: re.compile(form) for name, form in _FORMS.items()}

# The solver names the vehicle type that came closest to serving a client when the problem
# has several types.
_VEHICLE_SUFFIX = re.compile(r"(?P<core>.+) \(vehicle type (?P<vehicle>.+), the closest to "
                             r"serving it\)")

# Clock values the solver writes for a time window or shift without an end.
_OPEN_END = "open end"


def _messages() -> dict[str, str]:
    return {
        "capacity": _("demand {demand} > largest capacity {capacity}"),
        "capacity_dimension": _(
            "demand {demand} > largest capacity {capacity} (dimension {dimension})"
        ),
        "capacity_combined": _(
            "demand {demand} fits no single vehicle type in every dimension at once"
        ),
        "outside_shift": _("windows {windows} lie outside the shift {shift}"),
        "service_after_shift": _(
            "service of {service_min} min starting when the window opens at {opens} ends "
            "after the shift ends at {shift_end}"
        ),
        "late_arrival": _("earliest arrival {arrival} is after the window closes at {closes}"),
        "late_return": _(
            "earliest return to the depot {back} is after the shift ends at {shift_end}"
        ),
        "max_duration": _(
            "depot to client and back with service takes {round_trip_min} min > max "
            "duration {max_min} min"
        ),
        "max_distance": _(
            "depot to client and back is {round_trip_km} km > max distance {max_km} km"
        ),
        "no_feasible_plan": _(
            "the solver found no feasible plan within its budget; raise time_limit_s or "
            "max_iterations"
        ),
        "optional_left_out": _(
            "optional client left out: serving it costs more than its penalty {penalty}"
        ),
        "no_room": _(
            "left out by the solver: the fleet, shifts and time windows leave no room for it"
        ),
        "whole_seconds": _(
            "windows {windows} contain no whole second within the shifts; the solvers "
            "schedule in whole seconds"
        ),
    }


def translate_routing_detail(detail: str) -> str:
    """Write the route solver's detail of an unserved client in the language in force.

    A detail of a form not listed here is returned unchanged, in English.
    """
    suffix = _VEHICLE_SUFFIX.fullmatch(detail)
    core = suffix["core"] if suffix else detail
    text = _translate_sentence(core)
    if text is None:
        return detail
    if suffix:
        text += " " + _("(vehicle type {vehicle}, the closest to serving it)").format(
            vehicle=suffix["vehicle"]
        )
    return text


def _translate_sentence(sentence: str) -> str | None:
    messages = _messages()
    for name, pattern in _PATTERNS.items():
        match = pattern.fullmatch(sentence)
        if match:
            values = {key: _clock_text(value) for key, value in match.groupdict().items()}
            return messages[name].format(**values)
    return None


def _clock_text(value: str) -> str:
    return value.replace(_OPEN_END, _("open end"))
