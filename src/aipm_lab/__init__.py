"""aipm-lab: AI product management taught through graded Jupyter notebooks.

The package has four layers; a new piece of code goes in the one that matches what it is:

- **The PM toolkit** (this top level): what a learner reuses in lessons and exercises.

  - :mod:`aipm_lab.stability`, :mod:`aipm_lab.estimates` - retrain churn, intervals, sample sizes (part 1)
  - :mod:`aipm_lab.costs` - confusion counts, error costs and threshold choice (part 2)
  - :mod:`aipm_lab.segments` - per-segment metrics, disparity and floors (part 3)
  - :mod:`aipm_lab.uncertainty` - calibration, conformal sets, action matrices (part 4)
  - :mod:`aipm_lab.failures` - slices, probes and failure-mode tables (part 5)
  - :mod:`aipm_lab.drift` - drift statistics, alarms and retraining replays (part 6)
  - :mod:`aipm_lab.experiments`, :mod:`aipm_lab.bandits` - tests, sequential reads, bandits (part 7)
  - :mod:`aipm_lab.retrieval`, :mod:`aipm_lab.tokens`, :mod:`aipm_lab.llm_costs` - RAG and token cost (part 8)
  - :mod:`aipm_lab.synthetic` - synthetic records and their privacy and fidelity checks (part 9)
  - :mod:`aipm_lab.launch`, :mod:`aipm_lab.model_card`, :mod:`aipm_lab.feedback_loop` - launch gates (part 10)

- **The running case** (Paylark): :mod:`aipm_lab.datasets` generates its data from a seed;
  :mod:`aipm_lab.case` holds its two models (:mod:`aipm_lab.case.fraud`, :mod:`aipm_lab.case.intents`).
- **The course machinery** (:mod:`aipm_lab.course`): the parts, authoring of exercises from
  solutions, the learner's self-check, prose, plots and explorers the lessons share, the
  learner's workspace and the ``aipm-lab`` command.
- **The grader** (:mod:`aipm_lab.grading`): the sandboxed, tamper-proof grading of submissions.

The top level keeps its own import light so that ``aipm-lab --help`` stays fast.
"""

__version__ = "0.1.0"
