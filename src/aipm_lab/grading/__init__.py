"""The grader: submissions run sandboxed, every verdict decided outside student code.

A grading run flows through these modules, in order:

- :mod:`aipm_lab.grading.roster` - the instructor's ``student,seed`` CSV, names checked as file names
- :mod:`aipm_lab.grading.grader` - reads submissions, finds part and seed, gets references, judges
- :mod:`aipm_lab.grading.engine` - turns a notebook into a job for the sandbox (seed injection)
- :mod:`aipm_lab.grading.pool` - warm worker processes that run jobs, one owner per worker's pipe
- :mod:`aipm_lab.grading.sandbox`, :mod:`aipm_lab.grading.isolation` - the worker and the
  namespaces, limits and uid a notebook runs under
- :mod:`aipm_lab.grading.cache` - reference answers kept between runs
- :mod:`aipm_lab.grading.results` - the rows a run produces
- :mod:`aipm_lab.grading.journal` - rows written as they finish, so a run resumes
- :mod:`aipm_lab.grading.report`, :mod:`aipm_lab.grading.gradescope` - what instructors read
- :mod:`aipm_lab.grading.sweep` - every solution over many seeds (authoring check)
"""
