"""OAI-PMH datestamps (OAI-PMH 2.0 §3.3): UTC, to the second, ``YYYY-MM-DDThh:mm:ssZ``.

Datestamps are whole seconds since 1970 in the manifest (``changed``, from
``SOURCE_DATE_EPOCH``). ``from`` and ``until`` are inclusive (§3.3.1) and
may be given to the day or to the second, both the same granularity; a day
``until`` takes in the whole of that day.
"""

from __future__ import annotations

import datetime as dt
import re

from publish.oai.errors import OAIError

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
# ASCII digits only: Python's \d also matches other scripts' digits (２０２３), which
# strptime reads but XML Schema's dateTime and OAI-PMH.xsd refuse.
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def datestamp(epoch: int) -> str:
    """A time as the repository's granularity writes it."""
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_bound(text: str, name: str, upper: bool) -> tuple[int, str]:
    """A ``from`` (lower) or ``until`` (upper) argument as seconds, and its granularity.

    A day as ``until`` ends at 23:59:59 of that day, so selection stays
    inclusive at day granularity too.
    """
    if DAY.fullmatch(text):
        try:
            day = dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.UTC)
        except ValueError:
            raise OAIError("badArgument", f"{name}={text!r} is not a date") from None
        start = int(day.timestamp())
        return (start + 86399 if upper else start), "day"
    if SECOND.fullmatch(text):
        try:
            moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise OAIError("badArgument", f"{name}={text!r} is not a time") from None
        return int(moment.timestamp()), "second"
    raise OAIError("badArgument", f"{name}={text!r} is neither YYYY-MM-DD nor {GRANULARITY}")


def date_range(since: str | None, until: str | None) -> tuple[int | None, int | None]:
    """``from`` and ``until`` as inclusive bounds in seconds; badArgument if they disagree."""
    low = parse_bound(since, "from", upper=False) if since is not None else None
    high = parse_bound(until, "until", upper=True) if until is not None else None
    if low and high:
        if low[1] != high[1]:
            raise OAIError("badArgument", "from and until must have the same granularity")
        if low[0] > high[0]:
            raise OAIError("badArgument", "from is later than until")
    return (low[0] if low else None), (high[0] if high else None)
