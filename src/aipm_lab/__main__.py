"""``python -m aipm_lab`` is the ``aipm-lab`` command."""

import sys

from aipm_lab.cli import main

sys.exit(main())
