"""Inject a notebook's parameters and run its code cells in the warm sandbox workers.

Parameter injection follows papermill's convention exactly (a code cell tagged
``injected-parameters``, reading ``# Parameters`` then one assignment per
parameter, placed after the cell tagged ``parameters``, replacing an earlier
injected cell), so a notebook behaves as under ``papermill -p seed N``; a test
compares the two. It is done here rather than by papermill because importing
papermill (and nbformat's schema validation with it) costs about 2 s, which is
most of the fixed cost of grading one submission.
"""

from __future__ import annotations

INJECTED = "injected-parameters"


def _tags(cell) -> list:
    return (cell.get("metadata") or {}).get("tags") or []


def _first_tagged(cells, tag: str) -> int:
    return next((i for i, c in enumerate(cells) if tag in _tags(c)), -1)


def inject(cells: list, parameters: dict) -> list:
    """Cells of a notebook with papermill's ``injected-parameters`` cell in place.

    Parameters
    ----------
    cells : list of dict
        The notebook's cells (``cell_type``, ``source`` as a string, ``metadata``).
    parameters : dict
        Names and literal values (numbers, strings, booleans, None).

    Returns
    -------
    list of dict
        A new list; the given cells are not modified.
    """
    source = "# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in parameters.items())
    new = {"cell_type": "code", "source": source, "metadata": {"tags": [INJECTED]}, "outputs": []}
    injected, params = _first_tagged(cells, INJECTED), _first_tagged(cells, "parameters")
    if injected >= 0:
        return [*cells[:injected], new, *cells[injected + 1:]]
    if params >= 0:
        return [*cells[: params + 1], new, *cells[params + 1:]]
    return [new, *cells]


def execute(nb, seed: int, answers: list[str], pool, limits) -> dict:
    """Inject ``seed`` and run the notebook's code cells in the pool.

    Returns
    -------
    dict
        The sandbox result (status, answers as plain data, per-cell status, timings); cell
        indices count the injected cell, as papermill's output notebook would.
    """
    cells = inject(list(nb["cells"]), {"seed": int(seed)})
    code = [(i, c["source"]) for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    return pool.run(code, list(answers), limits)
