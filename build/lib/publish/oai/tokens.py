"""Resumption tokens (OAI-PMH 2.0 §3.5): self-describing, so no server state is kept.

A token is ``v1.`` and the base64url of a small JSON object: the verb, the
original ``metadataPrefix``, ``from``, ``until`` and ``set``, and the last
document id the previous page returned. Lists are in document id order, so
the next page is every matching item after that id, whatever changed in
between: a rebuild that changes nothing leaves the token valid, and so does
any other build (records changed behind the cursor are caught by the next
incremental harvest, as their datestamps are newer). Tokens do not expire.
A token that does not decode, or was made for another verb, is
``badResumptionToken``.
"""

from __future__ import annotations

import base64
import binascii
import json

from publish.oai.errors import OAIError

VERSION = "v1."
QUERY = ("metadataPrefix", "from", "until", "set")


def encode(verb: str, query: dict[str, str], last: str) -> str:
    """The token that resumes ``verb`` with ``query`` after the item with document id ``last``."""
    data = {"verb": verb, "last": last, **{k: query[k] for k in QUERY if query.get(k) is not None}}
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return VERSION + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, verb: str) -> tuple[dict[str, str], str]:
    """The query and the last document id a token carries; badResumptionToken if it is not ours."""
    bad = OAIError("badResumptionToken", f"the resumptionToken {token[:80]!r} is not valid "
                   "for this repository and verb; start the list again")
    if not token.startswith(VERSION):
        raise bad
    body = token.removeprefix(VERSION)
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError):
        raise bad from None
    if not isinstance(data, dict) or data.get("verb") != verb or not isinstance(data.get("last"), str) \
            or not all(isinstance(data.get(k), str) for k in QUERY if k in data) \
            or set(data) - {"verb", "last", *QUERY} or "metadataPrefix" not in data:
        raise bad
    return {k: data[k] for k in QUERY if k in data}, data["last"]
