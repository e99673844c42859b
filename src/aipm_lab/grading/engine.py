"""A papermill engine that runs notebooks in the warm sandbox workers.

papermill does the parameter injection (the ``injected-parameters`` cell after the
``parameters`` cell) and the bookkeeping; this engine replaces the kernel with a
child of a warm worker (see :mod:`aipm_lab.grading.sandbox`). Cell failures are
recorded in cell metadata, not as error outputs, so papermill does not stop the run:
a failed cell only costs the questions that depend on it.
"""

from __future__ import annotations

import logging

from papermill.engines import Engine, papermill_engines

NAME = "aipm-lab"


class ForkEngine(Engine):
    """Execute a notebook's code cells with :meth:`WorkerPool.run`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, pool=None, answers=(), limits=None, **kwargs):
        nb = nb_man.nb
        cells = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        result = pool.run(cells, list(answers), limits)
        for cell in result["cells"]:
            if isinstance(cell.get("index"), int) and 0 <= cell["index"] < len(nb.cells):
                nb.cells[cell["index"]].metadata["aipm_lab"] = {"status": cell.get("status"), "error": cell.get("error")}
        nb.metadata["aipm_lab_run"] = result


def execute(nb, seed: int, answers: list[str], pool, limits) -> dict:
    """Inject ``seed`` with papermill and run ``nb`` in the pool.

    Returns
    -------
    dict
        The sandbox result (status, answers as plain data, per-cell status, timings).
    """
    import papermill

    papermill_engines.register(NAME, ForkEngine)  # idempotent
    logging.getLogger("papermill").setLevel(logging.ERROR)
    out = papermill.execute_notebook(
        nb, None, parameters={"seed": int(seed)}, engine_name=NAME, kernel_name="python3",
        language="python", progress_bar=False, log_output=False,
        pool=pool, answers=answers, limits=limits,
    )
    return out.metadata["aipm_lab_run"]
