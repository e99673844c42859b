"""``python -m aipm_lab`` is the ``aipm-lab`` command."""

import sys

from aipm_lab.course.cli import main

sys.exit(main())
