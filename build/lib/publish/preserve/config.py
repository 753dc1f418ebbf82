"""Who adds versions to the store: the ``[preserve]`` section of the archive's ``publish.toml``.

OCFL 1.1 §3.5.3.1: each version SHOULD name a ``user`` with a ``name`` and
an ``address``, a URI (``mailto:`` or a person identifier such as an ORCID)::

    [preserve]
    user = { name = "Reading Room Archive", address = "mailto:archive@example.org" }

It has no default: an archive must say who it is before it preserves anything.
Unknown keys are an error, as in sidecars (:mod:`publish.config_spec`).
"""

from __future__ import annotations

import re
from pathlib import Path

from publish.config_spec import CONFIG_FILE, Section, Setting, read_section
from publish.errors import InputError, UsageError
from publish.preserve.inventory import User

#: RFC 3986 §3.1: a scheme, then a colon.
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
#: publish.toml's [preserve] section.
SETTINGS = Section("preserve", "The OCFL store of publish preserve", (
    Setting("user", None, "who adds each version, a name and a URI (required to preserve)",
            example={"name": "…", "address": "mailto:…"}),
))


def load_user(path: Path = Path(CONFIG_FILE), environ: dict[str, str] | None = None) -> User:
    """The version ``user`` from ``[preserve] user`` in the archive's publish.toml; refuse if absent or malformed."""
    try:
        user = read_section(SETTINGS, path, environ)["user"]
    except UsageError as error:
        raise InputError(str(error), path) from None
    if not isinstance(user, dict):
        raise InputError('no [preserve] user = { name = "…", address = "mailto:…" } table', path)
    unknown = sorted(set(user) - {"name", "address"})
    if unknown:
        raise InputError(f"unknown key(s) in [preserve] user: {', '.join(unknown)}", path)
    name, address = user.get("name"), user.get("address")
    if not isinstance(name, str) or not name.strip():
        raise InputError("[preserve] user needs a name", path)
    if not isinstance(address, str) or not URI.match(address):
        raise InputError(f"[preserve] user address must be a URI such as mailto:…, not {address!r}", path)
    return User(" ".join(name.split()), address)
