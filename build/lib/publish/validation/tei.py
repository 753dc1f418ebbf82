"""The TEI master's checks for the report: publish.rng, and tei_all.rng where given (RELAX NG).

Each check is a record (see :mod:`publish.validation.run`): its name, the
failures, the warnings and, here, no counts. The schema that ships in the
package is named by publish's version; ``tei_all.rng`` by its SHA-256, an
input of the check (:func:`inputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from publish import __version__
from publish.layout import file_sha256
from publish.options import Options


def tools(options: Options) -> dict[str, str]:
    """What checks a master: publish's own schema (its version) and lxml's RELAX NG."""
    return {"publish.rng": __version__, "lxml": metadata.version("lxml")}


def inputs(path: Path, options: Options, digest: Callable[[Path], str] = file_sha256) -> dict[str, str]:
    """The files beside the master that decide the verdict: ``tei_all.rng``, when given.

    ``digest`` gives a file's SHA-256; :func:`publish.validation.run.validate_paths`
    passes one that reads each file once per run (``tei_all.rng`` is 1.1 MB).
    """
    return {"tei_all.rng": digest(options.tei_all)} if options.tei_all is not None else {}


def checks(paths: list[Path], options: Options, jobs: int = 1) -> dict[Path, list[dict]]:
    """publish.rng, and tei_all.rng if ``options.tei_all``, for every master; a record list per path."""
    # lxml only now: a validation answered from the cache must not pay for it.
    from publish.errors import PublishError
    from publish.tei import parse_file
    from publish.tei.validate import first_error, publish_schema, rng_schema

    schemas = [("publish.rng", publish_schema())]
    if options.tei_all is not None:
        schemas.append((options.tei_all.name, rng_schema(options.tei_all)))
    results = {}
    for path in paths:
        try:
            tree = parse_file(path)
        except PublishError as error:
            results[path] = [record("well-formed XML", [error.message])]
            continue
        results[path] = [record(name, [f"not valid against {name}: {problem}"] if problem else [])
                         for name, schema in schemas for problem in (first_error(schema, tree),)]
    return results


def record(name: str, failures: list[str], warnings: list[str] | None = None,
           counts: dict[str, int] | None = None) -> dict:
    """One check's result as the report and the cache keep it."""
    return {"check": name, "passed": not failures, "failures": list(failures),
            "warnings": list(warnings or []), "counts": dict(counts or {})}
