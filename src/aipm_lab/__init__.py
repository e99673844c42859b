"""aipm-lab: AI product management taught through graded Jupyter notebooks.

The library is imported by lessons and exercise notebooks; it keeps its own
import light so that ``aipm-lab --help`` stays fast. Submodules:

- :mod:`aipm_lab.datasets` - the running case's data, generated from a seed
- :mod:`aipm_lab.fraud`, :mod:`aipm_lab.intents` - the running case's two models
- :mod:`aipm_lab.stability`, :mod:`aipm_lab.estimates` - retrain churn, intervals, sample sizes (part 1)
- :mod:`aipm_lab.costs` - confusion counts, error costs and threshold choice (part 2)
- :mod:`aipm_lab.segments` - per-segment metrics, disparity and floors (part 3)
- :mod:`aipm_lab.plots`, :mod:`aipm_lab.widgets` - shared figures and explorers
- :mod:`aipm_lab.checks` - the self-check shown in exercise notebooks
- :mod:`aipm_lab.authoring` - solution notebooks as the source of exercises
- :mod:`aipm_lab.grading` - the sandboxed, tamper-proof grader
"""

__version__ = "0.1.0"
