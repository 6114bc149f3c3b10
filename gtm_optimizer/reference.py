"""Markdown references generated from the code: the scenario settings and the CLI commands.

``python -m gtm_optimizer.reference`` (from the repository root) writes
``docs/scenario-reference.md`` from :meth:`Scenario.model_json_schema`, and
``docs/cli-reference.md`` (English) and ``docs/referencia-cli.md`` (Spanish) from the Typer
app's commands. ``--check`` writes nothing and exits with 1 when a committed file differs
from what the code generates.

The CLI's help texts are translated when ``gtm_optimizer.cli`` is imported, so each language
is rendered in a child process started with ``GTM_OPTIMIZER_LANG`` set.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

SCENARIO_REFERENCE = "scenario-reference.md"
CLI_REFERENCES = {"en": "cli-reference.md", "es": "referencia-cli.md"}
REGENERATE = "python -m gtm_optimizer.reference"
PROGRAM = "gtm-optimizer"

_SKIPPED_SETTINGS = ("base_dir",)

SCENARIO_PREAMBLE = """# Scenario reference

<!-- Generated from the scenario schema by `{command}`; do not edit by hand. -->

A scenario is one YAML file. Paths in it are relative to the file's folder. A file that starts
with `extends: baseline.yaml` takes every setting of that file and overrides only the keys it
gives: sections merge key by key, and a list (`depots`, `fleet`) is replaced as a whole. Times
of day are written `"HH:MM"` in quotes, because YAML reads an unquoted `24:00` as a number.
Money is in the scenario's `currency`; volumes and capacities are in its `volume_unit`.

From Python, `gtm_optimizer.load_scenario(path, solver={{"time_limit_s": 1}})` merges sections
given as keywords over the file, the same way `extends:` does.
"""

# Descriptions of the settings whose schema has none. The schema's own description wins, so a
# note here can be deleted once `scenario.py` gives the field a `description=`.
FIELD_NOTES = {
    "name": "Name of the scenario, shown in outputs, maps and comparisons.",
    "description": "Free text about what the scenario represents.",
    "language": "Language of messages, maps and reports; `--lang` on the command line wins.",
    "currency": "Currency of every amount of money in the inputs and outputs.",
    "volume_unit": "Unit of customer volumes and vehicle capacity (cases, cajas, m³).",
    "on_invalid_rows": "`stop`: any invalid customer row stops the run before solving. "
    "`skip`: invalid rows go to rejects.csv and the run goes on without them.",
    "inputs.customers": "Customer file: CSV, Excel, Parquet, GeoJSON or GeoPackage.",
    "inputs.universe": "File of every outlet in the area, customers or not, such as the "
    "output of `gtm-optimizer universe`; the base of numeric distribution.",
    "network.profile": "Vehicle profile: which roads it may use and its speeds.",
    "network.max_snap_m": "Customers farther than this, in metres, from a drivable road are "
    "not served (reason `too_far_from_road`).",
    "network.straight_line_speed_kph": "Travel speed on straight-line distances.",
    "depots.id": "Unique id; `fleet[].depot` refers to it.",
    "depots.name": "Name shown on maps and in tables.",
    "depots.lat": "Latitude, WGS84 degrees.",
    "depots.lon": "Longitude, WGS84 degrees.",
    "depots.open": "Opening time; routes from this depot start no earlier.",
    "depots.close": "Closing time; routes to this depot end no later.",
    "fleet.name": "Name of the vehicle type, shown as `vehicle_type` in the route tables.",
    "fleet.count": "Number of vehicles; each territory is worked by one vehicle, taken in "
    "fleet order, or with several depots the one whose depot is nearest the territory.",
    "fleet.depot": "Id of the depot where the routes of this type start and end.",
    "fleet.shift_start": "Start of the working day.",
    "fleet.shift_end": "End of the working day; a shift cannot cross midnight.",
    "fleet.max_shift_h": "Longest route, in hours from leaving to returning to the depot; "
    "empty: the whole shift.",
    "fleet.fixed_cost_per_day": "Cost of a vehicle and its crew for each day it has a route.",
    "fleet.cost_per_hour": "Cost of each hour on the route.",
    "fleet.cost_per_km": "Cost of each kilometre driven.",
    "costs.cost_per_drop": "Cost of each delivery stop, per visit.",
    "costs.handling_cost_per_unit": "Warehouse handling cost per unit of volume.",
    "costs.annual_cost_of_capital": "Yearly cost of the money lent to customers on credit, "
    "as a fraction (0.14 for 14 %); with `credit_days` it gives `cts_receivables`.",
    "costs.weeks_per_year": "Weeks a year on which customers buy and routes run, holidays "
    "left out; turns weekly contribution into yearly contribution in `customer_value`.",
    "costs.telesales_cost_per_order": "Cost of taking one order by phone.",
    "costs.ecommerce_cost_per_order": "Cost of handling one e-commerce order.",
    "costs.distributor_cost_per_order": "Cost of each order served through a distributor.",
    "costs.ecommerce_fee_pct": "Platform fee on the revenue of e-commerce orders, percent.",
    "costs.overhead_per_week": "Weekly overheads (office, supervisors, systems) shared among "
    "the served customers.",
    "costs.overhead_driver": "How overheads are shared: by revenue, volume, routed visits, "
    "or equally.",
    "costs.gross_margin_pct": "Gross margin on revenue, percent; contribution is the margin "
    "minus the cost to serve.",
    "costs.horizon_years": "Years over which customer value adds up the contribution.",
    "channels.allowed": "Channels open to a customer whose segment is not in "
    "`allowed_by_segment`.",
    "channels.allowed_by_segment": "Channels open to each segment, e.g. "
    "`{traditional: [direct, telesales]}`.",
    "channels.keep_direct_segments": "Segments whose customers always stay on direct routes.",
    "channels.max_rounds": "Most rounds of channel assignment before the loop stops.",
    "plan.workload_tolerance": "Largest deviation of a territory's weekly workload from the "
    "mean, as a fraction (0.05 for ±5 %).",
    "plan.revenue_tolerance": "Largest deviation of a territory's weekly revenue from the "
    "mean, as a fraction; empty: revenue is not balanced.",
    "plan.working_days": "Working weekdays, counted from Monday (5: Monday to Friday).",
    "solver.backend": "Route solver.",
    "solver.territory_time_limit_s": "Seconds for the territory design search.",
    "solver.seed": "Seed of the territory, calendar and route searches.",
}

CLI_LABELS = {
    "en": {
        "preamble": "# Command-line reference\n\n<!-- Generated from the Typer app by "
        "`{command}`; do not edit by hand. -->\n\nEvery command prints its own help with "
        "`{program} COMMAND --help`, in Spanish with `GTM_OPTIMIZER_LANG=es`.",
        "argument": "argument",
        "option": "option",
        "type": "type",
        "default": "default",
        "description": "description",
        "flag": "flag",
        "required": "required",
    },
    "es": {
        "preamble": "# Referencia de la línea de comandos\n\n<!-- Generado desde la "
        "aplicación Typer con `{command}`; no editar a mano. -->\n\nCada comando muestra "
        "su ayuda con `{program} COMANDO --help`, en español con `GTM_OPTIMIZER_LANG=es`.",
        "argument": "argumento",
        "option": "opción",
        "type": "tipo",
        "default": "por defecto",
        "description": "descripción",
        "flag": "interruptor",
        "required": "obligatorio",
    },
}


# Scenario reference -------------------------------------------------------------------------


def scenario_reference() -> str:
    """Render every scenario setting as Markdown tables, one per section."""
    from gtm_optimizer.scenario import Scenario

    schema = Scenario.model_json_schema()
    definitions = schema["$defs"]
    lines = [SCENARIO_PREAMBLE.format(command=REGENERATE), "## Top level", ""]
    lines += _settings_table("", schema, definitions)
    for name, prop in schema["properties"].items():
        model = _model_of(prop, definitions)
        if model is None:
            continue
        many = prop.get("type") == "array"
        lines += [f"## `{name}`", "", _prose(model.get("description", "")), ""]
        if many:
            lines += ["A list: each item has the settings below.", ""]
        lines += _settings_table(name, model, definitions)
    return "\n".join(lines).rstrip() + "\n"


def _model_of(prop: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any] | None:
    """Return the definition of a section (an object, or a list of objects), else None."""
    ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
    if ref is None:
        return None
    model: dict[str, Any] = definitions[ref.rsplit("/", 1)[-1]]
    return model


def _settings_table(section: str, model: dict[str, Any], definitions: dict[str, Any]) -> list[str]:
    required = set(model.get("required", ()))
    rows = ["| setting | type | default | description |", "| --- | --- | --- | --- |"]
    for name, prop in model["properties"].items():
        if name in _SKIPPED_SETTINGS:
            continue
        key = f"{section}.{name}" if section else name
        if _model_of(prop, definitions) is not None:
            kind = "list of items" if prop.get("type") == "array" else "section"
            default = "required" if name in required else "see section"
            description = f"See [`{name}`](#{name})."
        else:
            kind = _type_text(prop)
            default = "required" if name in required else _default_text(prop)
            description = prop.get("description") or FIELD_NOTES.get(key, "")
        cells = [f"`{key}`", kind, default, _prose(description)]
        rows.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return [*rows, ""]


def settings_without_description() -> list[str]:
    """Return the scenario settings that neither the schema nor the notes describe."""
    from gtm_optimizer.scenario import Scenario

    schema = Scenario.model_json_schema()
    definitions = schema["$defs"]
    missing = []
    for section, model in [("", schema), *_sections(schema, definitions)]:
        for name, prop in model["properties"].items():
            key = f"{section}.{name}" if section else name
            described = prop.get("description") or FIELD_NOTES.get(key)
            if (
                name not in _SKIPPED_SETTINGS
                and not described
                and not _model_of(prop, definitions)
            ):
                missing.append(key)
    return missing


def _sections(schema: dict[str, Any], definitions: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, prop in schema["properties"].items():
        model = _model_of(prop, definitions)
        if model is not None:
            yield name, model


def _type_text(prop: dict[str, Any]) -> str:
    if "anyOf" in prop:
        options = [option for option in prop["anyOf"] if option.get("type") != "null"]
        text = " or ".join(_type_text(option) for option in options)
        return text + (", or empty" if len(options) < len(prop["anyOf"]) else "")
    if "enum" in prop:
        return "one of " + ", ".join(f"`{json.dumps(value)}`" for value in prop["enum"])
    if "const" in prop:
        return f"`{json.dumps(prop['const'])}`"
    kind = prop.get("type")
    if kind == "array":
        text = "list of " + _type_text(prop.get("items", {}))
        if "minItems" in prop:
            text += f", at least {prop['minItems']}"
        return text
    if kind == "object":
        return "map of text to " + _type_text(prop.get("additionalProperties", {}))
    names = {"string": "text", "number": "number", "integer": "integer", "boolean": "true/false"}
    text = "path" if prop.get("format") == "path" else names.get(str(kind), str(kind))
    bounds = [
        f"{symbol} {_number(prop[key])}"
        for key, symbol in (
            ("minimum", "≥"),
            ("exclusiveMinimum", ">"),
            ("maximum", "≤"),
            ("exclusiveMaximum", "<"),
        )
        if key in prop
    ]
    return ", ".join([text, *bounds])


def _default_text(prop: dict[str, Any]) -> str:
    if "default" not in prop:
        # A default built by a factory is not in the schema: an empty map or list.
        return {"object": "`{}`", "array": "`[]`"}.get(prop.get("type", ""), "")
    value = prop["default"]
    if value is None:
        return "empty"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _prose(text: str) -> str:
    """Return a docstring as one Markdown paragraph per blank-line-separated block."""
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "\n\n".join(blocks)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n\n", " ").replace("\n", " ")


# CLI reference ------------------------------------------------------------------------------


def cli_reference() -> str:
    """Render every command of the Typer app, in the language its help was translated into.

    The language is the one in force when :mod:`gtm_optimizer.cli` was first imported; use
    :func:`cli_reference_in` for a given language.
    """
    from gtm_optimizer.cli import app
    from gtm_optimizer.i18n import get_language

    labels = CLI_LABELS[get_language()]
    lines = [labels["preamble"].format(command=REGENERATE, program=PROGRAM), ""]
    lines += [_prose(app.info.help or ""), ""]
    for name, info in _commands():
        help_text = info.help or inspect.getdoc(info.callback) or ""
        lines += _command_section(name, help_text, info.callback, labels)
    return "\n".join(lines).rstrip() + "\n"


def command_names() -> list[str]:
    """Return the names of the CLI's commands, in the order ``--help`` lists them."""
    return [name for name, _info in _commands()]


def _commands() -> Iterator[tuple[str, Any]]:
    from gtm_optimizer.cli import app

    for info in app.registered_commands:
        if info.hidden or info.callback is None:
            continue
        yield info.name or info.callback.__name__.replace("_", "-"), info


def cli_reference_in(language: str) -> str:
    """Render the CLI reference in ``language`` (``"en"`` or ``"es"``) in a child process."""
    if language not in CLI_LABELS:
        raise ValueError(f"language {language!r} has no CLI reference; use one of: en, es")
    environment = {**os.environ, "GTM_OPTIMIZER_LANG": language}
    completed = subprocess.run(
        [sys.executable, "-m", "gtm_optimizer.reference", "--print-cli"],
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return completed.stdout


def _command_section(
    name: str, help_text: str, callback: Any, labels: dict[str, str]
) -> list[str]:
    import typer.models
    from typer.utils import get_params_from_function

    arguments, options = [], []
    for param_name, meta in get_params_from_function(callback).items():
        info = meta.default
        if isinstance(info, typer.models.ArgumentInfo):
            arguments.append(_argument_row(param_name, meta.annotation, info))
        elif isinstance(info, typer.models.OptionInfo) and not info.hidden:
            options.append(_option_row(param_name, meta.annotation, info, labels))
    usage = " ".join([PROGRAM, name, "[OPTIONS]", *(row[0].strip("`") for row in arguments)])
    lines = [f"## `{PROGRAM} {name}`", "", _prose(help_text), "", "```", usage, "```", ""]
    if arguments:
        lines += _table([labels["argument"], labels["type"], labels["description"]], arguments)
    if options:
        header = [labels["option"], labels["type"], labels["default"], labels["description"]]
        lines += _table(header, options)
    return lines


def _argument_row(name: str, annotation: Any, info: Any) -> list[str]:
    metavar = name.upper() + ("..." if _is_list(annotation) else "")
    return [f"`{metavar}`", _annotation_text(annotation), _prose(info.help or "")]


def _option_row(name: str, annotation: Any, info: Any, labels: dict[str, str]) -> list[str]:
    declared = list(info.param_decls or ())
    flag = _plain(annotation) is bool
    if not declared:
        option = "--" + name.replace("_", "-")
        declared = [f"{option}/--no-{option[2:]}" if flag else option]
    names = " ".join(f"`{decl}`" for decl in declared)
    kind = labels["flag"] if flag else _annotation_text(annotation)
    if info.default is ...:
        default = labels["required"]
    elif info.default is None or (flag and info.default is False):
        default = ""
    else:
        value = info.default.value if isinstance(info.default, Enum) else info.default
        default = f"`{value}`"
    return [names, kind, default, _prose(info.help or "")]


def _plain(annotation: Any) -> Any:
    """Return ``X`` for ``X | None`` and ``list[X]``, else the annotation itself."""
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) in (Union, type(int | None), list) and len(args) == 1:
        return args[0]
    return annotation


def _is_list(annotation: Any) -> bool:
    return get_origin(annotation) is list


def _annotation_text(annotation: Any) -> str:
    plain = _plain(annotation)
    if isinstance(plain, type) and issubclass(plain, Enum):
        return ", ".join(f"`{member.value}`" for member in plain)
    names = {Path: "PATH", float: "NUMBER", int: "INTEGER", str: "TEXT", bool: "BOOLEAN"}
    text = names.get(plain, getattr(plain, "__name__", str(plain)).upper())
    return text + "..." if _is_list(annotation) else text


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


# Files --------------------------------------------------------------------------------------


def render_references() -> dict[str, str]:
    """Return every generated reference, by file name."""
    texts = {SCENARIO_REFERENCE: scenario_reference()}
    with ThreadPoolExecutor(max_workers=len(CLI_REFERENCES)) as pool:
        rendered = pool.map(cli_reference_in, CLI_REFERENCES)
        texts.update(zip(CLI_REFERENCES.values(), rendered, strict=True))
    return texts


def stale_references(folder: Path) -> list[str]:
    """Return the generated files in ``folder`` that are missing or differ from the code."""
    stale = []
    for file_name, text in render_references().items():
        path = Path(folder) / file_name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(file_name)
    return stale


def write_references(folder: Path) -> list[Path]:
    """Write every generated reference into ``folder`` and return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for file_name, text in render_references().items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Write the references, or with ``--check`` report the stale ones; return the exit code."""
    parser = argparse.ArgumentParser(prog=REGENERATE, description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("docs"),
        help="folder of the generated files (default: docs)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit with 1 when a file is stale"
    )
    parser.add_argument("--print-cli", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.print_cli:
        sys.stdout.write(cli_reference())
        return 0
    if args.check:
        stale = stale_references(args.out)
        for file_name in stale:
            sys.stderr.write(f"{args.out / file_name} is out of date; run {REGENERATE}\n")
        return 1 if stale else 0
    for path in write_references(args.out):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
