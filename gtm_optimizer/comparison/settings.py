"""Scenario settings read as plain data: ``extends:`` merged, nothing validated yet.

A comparison needs the merged settings of a file before validation, to apply a sweep to
them; :func:`validate_settings` then turns them into a :class:`Scenario` with the same error
messages as :func:`gtm_optimizer.scenario.load_scenario`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.i18n import _
from gtm_optimizer.scenario import Scenario

SWEEP_KEY = "sweep"


def read_settings(path: Path | str) -> dict[str, Any]:
    """Read a scenario file, merged over the files it ``extends:``, without validating it.

    Relative file paths of a parent file are rewritten as absolute paths, so that they keep
    pointing at the parent's files. A parent's ``sweep`` section is dropped.

    Raises
    ------
    ScenarioError
        If a file is missing, is not YAML, is not a mapping, or the files extend each other
        in a cycle.
    """
    return _read_chain(Path(path).resolve(), ())


def _read_chain(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    if path in chain:
        cycle = " -> ".join(item.name for item in (*chain, path))
        raise ScenarioError(
            _("Scenario files extend each other in a cycle: {cycle}").format(cycle=cycle)
        )
    if not path.is_file():
        raise ScenarioError(_("Scenario file not found: {path}").format(path=path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ScenarioError(
            _("Scenario file {path} is not valid YAML: {error}").format(path=path, error=error)
        ) from error
    if not isinstance(data, dict):
        raise ScenarioError(
            _("Scenario file {path} must contain a mapping of settings.").format(path=path)
        )
    parent = data.pop("extends", None)
    if parent is None:
        return data
    parent_path = (path.parent / str(parent)).resolve()
    base = _read_chain(parent_path, (*chain, path))
    base.pop(SWEEP_KEY, None)
    _absolute_paths(base, parent_path.parent)
    return merge_settings(base, data)


def _absolute_paths(data: dict[str, Any], folder: Path) -> None:
    """Make the file paths of ``data`` absolute, relative to ``folder``."""
    for section, keys in {"inputs": ("customers", "universe"), "network": ("path",)}.items():
        block = data.get(section)
        if not isinstance(block, dict):
            continue
        for key in keys:
            value = block.get(key)
            if value and not Path(str(value)).is_absolute():
                block[key] = str((folder / str(value)).resolve())


def merge_settings(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``override`` merged over it, section by section."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_settings(merged[key], value)
        else:
            merged[key] = value
    return merged


def validate_settings(settings: dict[str, Any], *, path: Path) -> Scenario:
    """Validate merged settings read from ``path`` into a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        Listing every invalid setting with its path.
    """
    try:
        return Scenario.model_validate({**settings, "base_dir": path.parent})
    except ValidationError as error:
        lines = [_("Scenario file {path} has invalid settings:").format(path=path)]
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or "-"
            lines.append(f"  - {where}: {item['msg']}")
        raise ScenarioError("\n".join(lines)) from None
