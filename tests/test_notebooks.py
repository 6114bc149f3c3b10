"""The notebooks in notebooks/: stored without outputs, and every cell runs on the Duitama data.

Each notebook is executed in a fresh Python kernel with nbclient. The cell tagged
``parameters`` sets the solver budget. As papermill does, a cell inserted after it lowers that
budget here, so that the three notebooks run in about two minutes on 2 cores. A last cell,
added here, prints a few facts from the notebook's variables as JSON for the asserts.

Duitama: 341 customers (scenarios/duitama/customers.csv), 654 outlets in the universe
(universe.csv), so 313 outlets that are not customers; the baseline has 4 reps, the what-if 3.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
NAMES = ("01_territory_study.ipynb", "02_cost_to_serve.ipynb", "03_what_if.ipynb")
TIMEOUT_S = 600
FAST = "TIME_LIMIT_S = 0.2\nTERRITORY_TIME_LIMIT_S = 3.0\n"


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _execute(name: str, *, parameters: str, probe: str) -> tuple[nbformat.NotebookNode, Any]:
    """Run a notebook with ``parameters`` after its parameters cell; return it and the probe."""
    notebook = _read(name)
    index = next(
        i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", ())
    )
    notebook.cells.insert(index + 1, new_code_cell(parameters))
    notebook.cells.append(new_code_cell(f"import json\nprint(json.dumps({probe}))"))
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    return notebook, json.loads(printed.strip().splitlines()[-1])


def _errors(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        f"{output.ename}: {output.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


def test_stored_without_outputs() -> None:
    stored = [
        name
        for name in NAMES
        for cell in _read(name).cells
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count)
    ]
    assert stored == []


def test_spanish_summary_first() -> None:
    firsts = [_read(name).cells[0] for name in NAMES]
    assert all("Resumen en español" in cell.source for cell in firsts)


def test_every_notebook_listed() -> None:
    assert sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")) == list(NAMES)


def test_territory_study_runs() -> None:
    notebook, facts = _execute(
        "01_territory_study.ipynb",
        parameters=FAST,
        probe='{"customers": len(customers_all), "designs": list(comparison.columns[:2]),'
        ' "territories": sorted(set(plan.territory_ids))}',
    )
    assert _errors(notebook) == []
    assert facts["customers"] == 341
    assert facts["designs"] == ["optimized", "naive (k-means + turns)"]
    assert facts["territories"] == ["T01", "T02", "T03", "T04"]


def test_cost_to_serve_runs() -> None:
    notebook, facts = _execute(
        "02_cost_to_serve.ipynb",
        parameters=FAST,
        probe='{"customers": len(customers), "prospects": len(result.prospects),'
        ' "decisions": len(decision.customers),'
        ' "waterfall_end": amounts[-1] - sum(amounts[:-1])}',
    )
    assert _errors(notebook) == []
    assert facts["customers"] == 341
    assert facts["prospects"] == 654 - 341
    assert facts["decisions"] == 341
    assert abs(facts["waterfall_end"]) < 1e-3


def test_what_if_runs(tmp_path: Path) -> None:
    notebook, facts = _execute(
        "03_what_if.ipynb",
        parameters=FAST + f"OUT_DIR = Path({str(tmp_path)!r})\n",
        probe='{"ok": [o.ok for o in outcomes],'
        ' "territories": [len(frame) for frame in territories.values()]}',
    )
    assert _errors(notebook) == []
    assert facts["ok"] == [True, True]
    assert facts["territories"] == [4, 3]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["baseline", "fewer_reps"]
