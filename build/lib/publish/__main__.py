"""``python -m publish``: the same as the ``publish`` console script."""

import sys

from publish.cli import main

sys.exit(main())
