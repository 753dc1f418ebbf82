"""The check cache: one JSON file per (output bytes, inputs, tool versions) under ``dist/.checks/``.

A check's verdict depends only on the bytes checked, on the files it reads
beside them (the PDF's master, ``tei_all.rng``) and on the checking tools, so
those make the key: the SHA-256 of ``{kind, sha256, inputs, tools}`` as
canonical JSON. A new EPUBCheck or Ace version, or different bytes, is a new
key and the checks run again; nothing is ever invalidated by hand. One file
per entry, written atomically, lets worker processes store results at the
same time without a lock.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from publish.fileio import atomic_write


def cache_key(kind: str, sha256: str, inputs: dict[str, str], tools: dict[str, str]) -> str:
    """The entry's name: SHA-256 of what decides the verdict, as canonical JSON."""
    facts = {"kind": kind, "sha256": sha256, "inputs": inputs, "tools": tools}
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode("utf-8")).hexdigest()


def load(folder: Path, key: str) -> list[dict] | None:
    """The cached checks under ``key``, or ``None`` (never run, or unreadable)."""
    try:  # os.path and bytes: a no-op validate reads one entry per file it is given
        with open(os.path.join(folder, key + ".json"), "rb") as handle:
            entry = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    checks = entry.get("checks") if isinstance(entry, dict) else None
    return checks if isinstance(checks, list) else None


def store(folder: Path, key: str, facts: dict, checks: list[dict]) -> None:
    """Keep ``checks`` under ``key``, with the facts that made the key, for a person reading it."""
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps({**facts, "checks": checks}, indent=1, sort_keys=True, ensure_ascii=False)
    atomic_write(folder / f"{key}.json", data.encode("utf-8") + b"\n")
