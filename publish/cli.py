"""The publish command line: archival publishing from seeds to TEI, PDF, EPUB and BagIt.

The only exit point, and (with the build display, :mod:`publish.progress`) the
only code that prints to the user. Each command is one row of
:data:`COMMANDS`: its name, the function that adds its arguments, and the
function that runs it. Errors are :class:`publish.errors.PublishError`; they
print one line on stderr and exit with their kind's code. Any other exception
is a bug: exit 1, and a traceback only with ``--traceback``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from publish import __version__
from publish.errors import PublishError, StrictError
from publish.log import LOGGER, WarningCounter
from publish.options import Options

DIST = Path("dist")
SEEDS = Path("seeds")


# -- normalise, text, validate ---------------------------------------------

def add_normalise(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, help="a seed file (.txt, …)")
    parser.add_argument("-o", "--output", type=Path,
                        help="where to write the TEI (default: dist/tei/<id>.xml; - for stdout)")


def run_normalise(args: argparse.Namespace, options: Options) -> int:
    from publish.build import output_path
    from publish.fileio import atomic_write
    from publish.normalise import normalise_with_assets, read_source, write_assets
    from publish.tei import serialise

    tree, assets = normalise_with_assets(read_source(args.source), options)
    data = serialise(tree)
    if args.output == Path("-"):
        if assets:
            LOGGER.warning("%s: %d image(s) not written: with -o - there is no asset folder",
                           args.source, len(assets))
        sys.stdout.buffer.write(data)
        return 0
    output = args.output or output_path(DIST, "tei", args.source.stem)
    refuse_if_strict(args)
    write_assets(output, args.source.stem, assets)
    atomic_write(output, data)
    LOGGER.info("wrote %s", output)
    return 0


def add_text(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tei", type=Path, help="a TEI master made from plain text")
    parser.add_argument("--original-bytes", action="store_true",
                        help="write the original file's bytes: its encoding, BOM and line endings")


def run_text(args: argparse.Namespace, options: Options) -> int:
    from publish.tei import parse_file
    from publish.tei.text import source_bytes, source_text

    tree = parse_file(args.tei)
    if args.original_bytes:
        sys.stdout.buffer.write(source_bytes(tree, args.tei))
    else:
        sys.stdout.buffer.write(source_text(tree, args.tei).encode("utf-8"))
    sys.stdout.flush()
    return 0


def add_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE",
                        help="TEI (.xml), PDF (.pdf) or EPUB (.epub) files")
    parser.add_argument("--tei-all", type=Path, metavar="RNG",
                        help="also check TEI files against this official TEI P5 schema (tei_all.rng)")


def run_validate(args: argparse.Namespace, options: Options) -> int:
    from publish.check import validate_file

    failures = 0
    for path in args.files:
        problems = validate_file(path, options, tei_all=args.tei_all)
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        if problems:
            failures += 1
        else:
            print(f"{path}: valid")
    return 67 if failures else 0


# -- renderers -------------------------------------------------------------

def add_render(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tei", type=Path, help="a TEI master, e.g. dist/tei/<id>.xml")
    parser.add_argument("-o", "--output", type=Path, help="where to write (default: dist/<kind>/<id>.<kind>)")


def run_pdf(args: argparse.Namespace, options: Options) -> int:
    from publish.render.pdf import render_pdf

    return render_one(render_pdf, args, "pdf", options)


def run_epub(args: argparse.Namespace, options: Options) -> int:
    from publish.render.epub import render_epub

    return render_one(render_epub, args, "epub", options)


def render_one(render, args: argparse.Namespace, kind: str, options: Options) -> int:
    """Render into a temporary file that replaces the output only if all went well.

    The output is ``-o``, else ``dist/<kind>/<id>.<kind>``. Under ``--strict`` a
    warning logged while rendering (a refused URL, say) leaves the old output,
    if any, untouched and no new one.
    """
    from publish.build import output_path
    from publish.fileio import atomic_path

    output = args.output or output_path(DIST, kind, args.tei.stem)
    with atomic_path(output) as tmp:
        render(args.tei, tmp, options)
        refuse_if_strict(args)
    return 0


def refuse_if_strict(args: argparse.Namespace) -> None:
    """Under ``--strict``, stop before writing if a warning was logged."""
    records = args.warnings.records
    if args.strict and records:
        raise StrictError(f"{len(records)} warning(s) and --strict: {records[0].getMessage()}")


# -- build -----------------------------------------------------------------

def add_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("seeds", type=Path, nargs="*", help="seed files (default: every seed in seeds/)")
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS, help="folder of seeds (default: seeds/)")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--only", choices=("tei", "pdf", "epub"), action="append",
                        help="build only these outputs (repeatable; default: all)")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    parser.add_argument("--json", action="store_true", help="print a JSON report on stdout")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster, e.g. tcp://HOST:8786 (needs the dask extra)")


def run_build(args: argparse.Namespace, options: Options) -> int:
    from publish.build import BuildRequest, build

    request = BuildRequest(seeds=tuple(args.seeds), seeds_dir=args.seeds_dir, dist=args.dist,
                           jobs=args.jobs, outputs=tuple(args.only or ("tei", "pdf", "epub")),
                           force=args.force, quiet=args.quiet, json=args.json,
                           scheduler=args.scheduler,
                           date_pinned=options.date_pinned)
    return build(request, options)


# -- deposit and verify (RFC 8493) ------------------------------------------

def add_deposit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="document ids (default: every seed)")
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS, help="folder of seeds (default: seeds/)")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument("--archive", action="store_true", help="also write dist/deposit/<id>.tar")


def run_deposit(args: argparse.Namespace, options: Options) -> int:
    from publish.deposit import deposit_all
    from publish.errors import DepositError

    outcomes = deposit_all(args.ids, args.seeds_dir, args.dist, args.archive, options)
    refused = [o for o in outcomes if o.error is not None]
    if len(outcomes) == 1 and refused:
        raise refused[0].error
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"publish: refused {outcome.identifier}: {outcome.error.one_line()}", file=sys.stderr)
        else:
            done = outcome.deposited
            print(f"{done.bag}: bagged (Payload-Oxum {done.oxum})" + (f"; {done.archive}" if done.archive else ""))
    if refused:
        raise DepositError(f"{len(refused)} of {len(outcomes)} document(s) refused; no bag written for them")
    return 0


def add_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="bag folders, .tar or .zip files")


def run_verify(args: argparse.Namespace, options: Options) -> int:
    from publish.deposit.verify import verify_path
    from publish.errors import DepositError

    failed = 0
    for path in args.paths:
        problems = verify_path(path)
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        failed += bool(problems)
        if not problems:
            print(f"{path}: valid")
    if failed:
        raise DepositError(f"{failed} of {len(args.paths)} bag(s) failed verification")
    return 0


COMMANDS = (
    # name         help                                                  arguments      runner
    ("normalise", "normalise a seed into TEI (dist/tei/<id>.xml)",       add_normalise, run_normalise),
    ("text",      "print the source text regenerated from a TEI master", add_text,      run_text),
    ("validate",  "check TEI, PDF and EPUB files; name each failure",    add_validate,  run_validate),
    ("pdf",       "render a TEI master to a PDF/A-3 edition",            add_render,    run_pdf),
    ("epub",      "render a TEI master to an EPUB 3 edition",            add_render,    run_epub),
    ("build",     "build every seed: TEI, PDF and EPUB, incrementally",  add_build,     run_build),
    ("deposit",   "package documents as BagIt bags in dist/deposit/",    add_deposit,   run_deposit),
    ("verify",    "check BagIt bags and their .tar/.zip; name each fault", add_verify,  run_verify),
)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per row of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(prog="publish", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more log output (-v: info, -vv: debug)")
    parser.add_argument("--strict", action="store_true", help="make every warning fatal (exit 71)")
    parser.add_argument("--traceback", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary, add_arguments, runner in COMMANDS:
        sub = commands.add_parser(name, help=summary, description=summary)
        add_arguments(sub)
        sub.set_defaults(runner=runner)
    return parser


def configure_logging(verbosity: int) -> WarningCounter:
    """Log to stderr as ``publish: LEVEL: message``; count warnings for ``--strict``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("publish: %(levelname)s: %(message)s"))
    counter = WarningCounter()
    # Replace only what an earlier main() installed; leave embedders' handlers be.
    for old in [h for h in LOGGER.handlers if getattr(h, "publish_cli", False)]:
        LOGGER.removeHandler(old)
    for new in (handler, counter):
        new.publish_cli = True
        LOGGER.addHandler(new)
    LOGGER.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO if verbosity else logging.WARNING)
    LOGGER.propagate = False
    return counter


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return (and, as a script, exit with) the exit code."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    args.warnings = configure_logging(args.verbose)
    try:
        options = Options.from_environment(strict=args.strict)
        code = args.runner(args, options)
        refuse_if_strict(args)
        return code
    except PublishError as error:
        if args.traceback:
            raise
        print(f"publish: error: {error.one_line()}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("publish: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: say so plainly, trace only on request
        if args.traceback:
            raise
        print(f"publish: internal error (a bug; rerun with --traceback): "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
