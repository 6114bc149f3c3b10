"""Sweeps: one scenario file turned into one scenario per value of a setting.

A scenario file may carry a ``sweep`` section::

    extends: baseline.yaml
    name: Duitama reps
    sweep: {parameter: fleet.0.count, values: [3, 4, 5]}

``parameter`` is a dotted path into the settings after ``extends:`` is merged. A number in
the path is a list index: ``fleet.0.count`` is the count of the first vehicle type. Each
variant is named after the file's ``name`` with the value appended (``Duitama reps 3``) and
writes to the folder ``<file stem>-<value>``. A sweep applies to the file that states it,
not to the files that extend that file.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gtm_optimizer.comparison.settings import (
    SWEEP_KEY,
    merge_settings,
    read_settings,
    validate_settings,
)
from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.i18n import _
from gtm_optimizer.scenario import Scenario

_FOLDER_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Sweep:
    """One setting and the values it takes, one scenario per value."""

    parameter: str
    values: tuple[Any, ...]

    def __post_init__(self) -> None:
        if not self.parameter or any(part == "" for part in self.parameter.split(".")):
            raise ValueError(
                f"sweep parameter {self.parameter!r} is not a dotted path; write it like "
                "fleet.0.count"
            )
        if not self.values:
            raise ValueError("sweep values are empty; give at least one value")
        repeated = sorted({str(v) for v in self.values if self.values.count(v) > 1})
        if repeated:
            raise ValueError(f"sweep values repeat {', '.join(repeated)}; give each value once")


@dataclass(frozen=True)
class ScenarioCase:
    """One scenario of a comparison and the folder its run is written to."""

    scenario: Scenario
    folder: str
    source: Path
    sweep_parameter: str = ""
    sweep_value: Any = None


def set_setting(settings: dict[str, Any], parameter: str, value: Any) -> dict[str, Any]:
    """Return a copy of ``settings`` with the dotted path ``parameter`` set to ``value``.

    A missing section on the way is created; a list is indexed by a whole number.

    Raises
    ------
    ScenarioError
        If a list index is not a number or is out of range, or the path runs through a
        single value.
    """
    data = copy.deepcopy(settings)
    parts = parameter.split(".")
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        if isinstance(node, list):
            node = node[_list_index(part, node, parameter)]
        elif isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            raise ScenarioError(_single_value_error(parameter, parts[:depth]))
    if isinstance(node, list):
        node[_list_index(parts[-1], node, parameter)] = value
    elif isinstance(node, dict):
        node[parts[-1]] = value
    else:
        raise ScenarioError(_single_value_error(parameter, parts[:-1]))
    return data


def _single_value_error(parameter: str, parts: list[str]) -> str:
    reason = _("{setting} is a single value, not a section or a list").format(
        setting=".".join(parts)
    )
    return _sweep_path_error(parameter, reason)


def _list_index(part: str, items: list[Any], parameter: str) -> int:
    if not part.isdigit():
        raise ScenarioError(
            _sweep_path_error(parameter, _("{part!r} is not a list index").format(part=part))
        )
    index = int(part)
    if index >= len(items):
        raise ScenarioError(
            _sweep_path_error(
                parameter,
                _("index {index} is out of range; the list has {count} items").format(
                    index=index, count=len(items)
                ),
            )
        )
    return index


def _sweep_path_error(parameter: str, reason: str) -> str:
    return _(
        "Sweep parameter {parameter!r} cannot be set: {reason}. Write a dotted path into the "
        "settings, such as fleet.0.count."
    ).format(parameter=parameter, reason=reason)


def parse_sweep(section: Any, *, path: Path) -> Sweep:
    """Check a ``sweep`` section read from ``path`` and return it as a :class:`Sweep`.

    Raises
    ------
    ScenarioError
        If the section is not a mapping of ``parameter`` and a non-empty list of ``values``,
        or the values repeat.
    """
    expected = {"parameter", "values"}
    if not isinstance(section, dict) or set(section) != expected:
        raise ScenarioError(
            _(
                "The sweep section of {path} must have exactly two keys, parameter and values, "
                "e.g. sweep: {{parameter: fleet.0.count, values: [3, 4, 5]}}."
            ).format(path=path)
        )
    values = section["values"]
    if not isinstance(values, list) or not values:
        raise ScenarioError(
            _(
                "The sweep values in {path} must be a non-empty list, e.g. values: [3, 4, 5]."
            ).format(path=path)
        )
    try:
        return Sweep(parameter=str(section["parameter"]), values=tuple(values))
    except ValueError as error:
        raise ScenarioError(
            _("The sweep section of {path} is invalid: {error}.").format(path=path, error=error)
        ) from None


def load_cases(paths: list[Path], **overrides: Any) -> list[ScenarioCase]:
    """Read and validate the scenarios of a comparison, one per file or per sweep value.

    Parameters
    ----------
    paths
        Scenario YAML files; the first (or its first sweep value) is the reference.
    **overrides
        Top-level sections merged over every file's settings before its sweep is applied,
        e.g. ``solver={"time_limit_s": 2}``.

    Raises
    ------
    ScenarioError
        If a file or sweep is invalid, or two scenarios would write to the same folder.
    """
    cases: list[ScenarioCase] = []
    for path in (Path(item).resolve() for item in paths):
        settings = merge_settings(read_settings(path), overrides)
        section = settings.pop(SWEEP_KEY, None)
        if section is None:
            scenario = validate_settings(settings, path=path)
            cases.append(ScenarioCase(scenario=scenario, folder=path.stem, source=path))
            continue
        sweep = parse_sweep(section, path=path)
        for value in sweep.values:
            variant = set_setting(settings, sweep.parameter, value)
            variant["name"] = f"{variant.get('name', path.stem)} {value}"
            cases.append(
                ScenarioCase(
                    scenario=validate_settings(variant, path=path),
                    folder=f"{path.stem}-{_FOLDER_UNSAFE.sub('_', str(value))}",
                    source=path,
                    sweep_parameter=sweep.parameter,
                    sweep_value=value,
                )
            )
    _check_folders(cases)
    return cases


def _check_folders(cases: list[ScenarioCase]) -> None:
    seen: dict[str, ScenarioCase] = {}
    for case in cases:
        first = seen.setdefault(case.folder, case)
        if first is not case:
            raise ScenarioError(
                _(
                    "Two scenarios would write to the same folder {folder}: {first} and {second}. "
                    "Compare each file once, and give files in different folders different names."
                ).format(folder=case.folder, first=first.source, second=case.source)
            )
