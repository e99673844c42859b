"""aipm-lab: AI product management taught through graded Jupyter notebooks.

The library is imported by lessons and exercise notebooks; it keeps its own
import light so that ``aipm-lab --help`` stays fast. Submodules:

- :mod:`aipm_lab.datasets` - the running case's data, generated from a seed
- :mod:`aipm_lab.costs` - confusion counts, error costs and threshold choice
- :mod:`aipm_lab.checks` - the self-check shown in exercise notebooks
- :mod:`aipm_lab.authoring` - solution notebooks as the source of exercises
- :mod:`aipm_lab.grading` - the sandboxed, tamper-proof grader
"""

__version__ = "0.1.0"
