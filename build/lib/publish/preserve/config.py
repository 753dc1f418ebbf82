"""Who adds versions to the store: the ``[preserve]`` table of the project's ``publish.toml``.

OCFL 1.1 §3.5.3.1: each version SHOULD name a ``user`` with a ``name`` and
an ``address``, a URI (``mailto:`` or a person identifier such as an ORCID).
publish takes them from ``publish.toml`` in the project folder (where
``seeds/`` and ``dist/`` are), not from ``pyproject.toml``, whose changes
rebuild every edition (the Makefile dates builds by it)::

    [preserve]
    user = { name = "Reading Room Archive", address = "mailto:archive@example.org" }

Unknown keys are an error, as in sidecars.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from publish.errors import InputError
from publish.preserve.inventory import User

CONFIG = Path("publish.toml")
#: RFC 3986 §3.1: a scheme, then a colon.
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def load_user(path: Path = CONFIG) -> User:
    """The version ``user`` from ``[preserve] user`` in ``path``; refuse if absent or malformed."""
    try:
        table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError('no configuration: publish preserve needs [preserve] user = { name = "…", '
                         'address = "mailto:…" }', path) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"cannot read the configuration: {error}", path) from None
    preserve = table.get("preserve")
    if not isinstance(preserve, dict) or not isinstance(preserve.get("user"), dict):
        raise InputError('no [preserve] user = { name = "…", address = "mailto:…" } table', path)
    unknown = sorted(set(preserve) - {"user"}) + sorted(set(preserve["user"]) - {"name", "address"})
    if unknown:
        raise InputError(f"unknown key(s) in [preserve]: {', '.join(unknown)}", path)
    name, address = preserve["user"].get("name"), preserve["user"].get("address")
    if not isinstance(name, str) or not name.strip():
        raise InputError("[preserve] user needs a name", path)
    if not isinstance(address, str) or not URI.match(address):
        raise InputError(f"[preserve] user address must be a URI such as mailto:…, not {address!r}", path)
    return User(" ".join(name.split()), address)
