"""The course machinery: what turns the toolkit into ten graded parts.

- :mod:`aipm_lab.course.curriculum` - the ten parts and where their notebooks live
- :mod:`aipm_lab.course.authoring` - solution notebooks as the single source of exercise sets
- :mod:`aipm_lab.course.checks` - the field checks, and the self-check shown in exercises
- :mod:`aipm_lab.course.workspace` - a learner's working folder (``aipm-lab start``)
- :mod:`aipm_lab.course.prose`, :mod:`aipm_lab.course.plots`, :mod:`aipm_lab.course.widgets` -
  the printed sentences, shared figures and explorers that lessons use
- :mod:`aipm_lab.course.cli` - the ``aipm-lab`` command

A new check kind goes in ``checks``; a new grading stage in :mod:`aipm_lab.grading`.
"""
