"""The one named logger, ``publish``, and what its levels mean.

========  =============================================================
level     meaning
========  =============================================================
DEBUG     internals: timings, cache hits, library chatter
INFO      what was done: a file written, a normalisation recorded
WARNING   output was produced, but something needs a person's eye
          (a dropped script in HTML, an image without alt text, a
          refused URL). ``--strict`` makes every warning fatal.
ERROR     never logged by the pipeline: errors are raised as
          :class:`publish.errors.PublishError` and reported by the CLI.
========  =============================================================
"""

from __future__ import annotations

import logging

LOGGER = logging.getLogger("publish")


class WarningCounter(logging.Handler):
    """Counts and keeps WARNING records so ``--strict`` can fail on them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
