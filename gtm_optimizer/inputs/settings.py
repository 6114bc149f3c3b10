"""Reading of settings files (YAML) and plain-language messages for invalid settings.

pydantic's own messages are English only and name neither the setting nor the fix in a
planner's words. So each schema error is rewritten here as the setting path as written in the
file (``fleet[0].capacity``), what is wrong, and the value found. A YAML mapping that repeats
a key is rejected, because YAML loaders otherwise keep the last value without a word.
"""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.i18n import _

__all__ = ["describe_settings_errors", "read_settings_yaml"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML loader that rejects a mapping with a repeated key."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    seen: dict[Hashable, int] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _(
                    "key {key!r} appears twice in the same section (lines {first} and {second}); "
                    "keep one"
                ).format(key=key, first=seen[key], second=key_node.start_mark.line + 1),
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def read_settings_yaml(path: Path) -> Any:
    """Read a YAML settings file; an empty file gives an empty mapping.

    Raises
    ------
    ScenarioError
        If the file cannot be read as UTF-8 text, is not valid YAML, or repeats a key.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            _("Scenario file {path} is not UTF-8 text ({error}); save it as UTF-8.").format(
                path=path, error=error
            )
        ) from None
    except OSError as error:
        raise ScenarioError(
            _("Scenario file {path} cannot be read: {error}").format(
                path=path, error=error.strerror or error
            )
        ) from None
    stream = io.StringIO(text)
    stream.name = str(path)  # YAML error marks name the stream, so they name the file.
    try:
        return yaml.load(stream, Loader=_UniqueKeyLoader) or {}
    except yaml.YAMLError as error:
        raise ScenarioError(
            _("Scenario file {path} is not valid YAML: {error}").format(path=path, error=error)
        ) from None


def describe_settings_errors(error: ValidationError, model: type[BaseModel]) -> list[str]:
    """Return one line per invalid setting: ``setting: what is wrong; got value``.

    The alternatives of a union setting (``territories: 3`` or ``auto``) are reported on one
    line, joined with "or".
    """
    requirements: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    messages: dict[str, list[str]] = {}
    items = error.errors()
    for item in items:
        if item["type"] == "too_short" and _has_item_errors(item, items):
            # pydantic also reports a list as too short when its only entries are invalid.
            continue
        where, name = _setting_path(item["loc"], model)
        requirement = _requirement(item)
        if requirement is None:
            messages.setdefault(where, []).append(_full_message(item, name, model))
        else:
            requirements.setdefault(where, []).append(requirement)
            values.setdefault(where, item.get("input"))
    lines = []
    for where in dict.fromkeys([*requirements, *messages]):
        texts = list(messages.get(where, []))
        if where in requirements:
            needed = _(" or ").join(dict.fromkeys(requirements[where]))
            texts.append(
                _("must be {requirement}; got {value!r}").format(
                    requirement=needed, value=values[where]
                )
            )
        for text in texts:
            lines.append(f"{where}: {text}" if where else text)
    return lines


def _has_item_errors(item: ErrorDetails, items: list[ErrorDetails]) -> bool:
    prefix = item["loc"]
    return any(
        len(other["loc"]) > len(prefix) and other["loc"][: len(prefix)] == prefix
        for other in items
    )


def _setting_path(loc: tuple[int | str, ...], model: type[BaseModel]) -> tuple[str, str]:
    """Return the dotted setting path of ``loc`` and the name of its last field.

    Parts that name a union member (``int``, ``literal['auto']``) are dropped; so is the final
    key of an unknown setting, which the message names instead.
    """
    path = ""
    current: type[BaseModel] | None = model
    in_mapping = False
    name = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            continue
        if current is not None and part in current.model_fields:
            annotation = current.model_fields[part].annotation
            path = f"{path}.{part}" if path else part
            name = part
            current = _nested_model(annotation)
            in_mapping = _is_mapping(annotation)
        elif in_mapping:
            path += f"[{part!r}]"
            in_mapping = False
        elif current is not None:
            # An unknown key of a section: name it in the path as the user wrote it.
            path = f"{path}.{part}" if path else part
            name = part
            break
    return path, name


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def _is_mapping(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is dict:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_mapping(argument) for argument in typing.get_args(annotation))
    return False


def _allowed_settings(loc: tuple[int | str, ...], model: type[BaseModel]) -> str:
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, str) and current is not None and part in current.model_fields:
            current = _nested_model(current.model_fields[part].annotation)
    if current is None:
        return ""
    names = [name for name, info in current.model_fields.items() if not info.exclude]
    return ", ".join(names)


def _full_message(item: ErrorDetails, name: str, model: type[BaseModel]) -> str:
    kind = item["type"]
    if kind == "value_error":
        return str((item.get("ctx") or {}).get("error", item["msg"]))
    if kind == "missing":
        return _("required setting is missing; add it")
    if kind == "extra_forbidden":
        return _(
            "unknown setting {name!r}; check the spelling. Settings allowed here: {allowed}"
        ).format(name=name, allowed=_allowed_settings(item["loc"], model))
    return _("{message}; got {value!r}").format(message=item["msg"], value=item.get("input"))


def _requirement(item: ErrorDetails) -> str | None:
    """Return what the value must be (``at least 1``), or None for a whole-message error."""
    template = _REQUIREMENTS.get(item["type"])
    if template is None:
        return None
    context = item.get("ctx") or {}
    return template().format(**{key: context.get(key) for key in _CONTEXT_KEYS})


_CONTEXT_KEYS = ("gt", "ge", "lt", "le", "expected", "min_length")

_REQUIREMENTS: dict[str, typing.Callable[[], str]] = {
    "greater_than": lambda: _("greater than {gt}"),
    "greater_than_equal": lambda: _("at least {ge}"),
    "less_than": lambda: _("less than {lt}"),
    "less_than_equal": lambda: _("at most {le}"),
    "literal_error": lambda: _("one of {expected}"),
    "int_parsing": lambda: _("a whole number"),
    "int_type": lambda: _("a whole number"),
    "int_from_float": lambda: _("a whole number"),
    "float_parsing": lambda: _("a number"),
    "float_type": lambda: _("a number"),
    "finite_number": lambda: _("a finite number"),
    "bool_parsing": lambda: _("true or false"),
    "bool_type": lambda: _("true or false"),
    "string_type": lambda: _("text"),
    "path_type": lambda: _("a file path"),
    "dict_type": lambda: _("a section of key: value settings"),
    "model_type": lambda: _("a section of key: value settings"),
    "model_attributes_type": lambda: _("a section of key: value settings"),
    "tuple_type": lambda: _("a list"),
    "list_type": lambda: _("a list"),
    "too_short": lambda: _("a list of at least {min_length} entries"),
}
