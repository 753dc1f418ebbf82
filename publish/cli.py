"""The publish command line: archival publishing from seeds to TEI, PDF, EPUB and BagIt.

The only exit point, and (with the build display, :mod:`publish.build.progress`)
the only code that prints to the user. Each command is one row of
:data:`COMMANDS`: its name, the function that adds its arguments, and the
function that runs it; each rendered row of :data:`publish.formats.FORMATS`
is a command of its own (``publish pdf``, ``publish epub``, …). Commands
import the pipeline only when they run, so ``publish build`` with nothing to
do stays cheap. Errors are :class:`publish.errors.PublishError`; they
print one line on stderr and exit with their kind's code. Any other exception
is a bug: exit 1, and a traceback only with ``--traceback``.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from pathlib import Path

from publish import __version__
from publish.config_spec import CONFIG_FILE
from publish.errors import DepositError, Interrupted, PublishError, StrictError, UsageError, ValidationError
from publish.fileio import atomic_write
from publish.formats import FORMATS, collection_kinds, kinds
from publish.layout import Layout
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
    from publish import pipeline
    from publish.build.store import write_beside

    output = args.output or Layout(dist=DIST).master(args.source.stem)
    master = pipeline.normalise(args.source, options, shown=output)
    if args.output == Path("-"):
        if master.assets:
            LOGGER.warning("%s: %d image(s) not written: with -o - there is no asset folder",
                           args.source, len(master.assets))
        sys.stdout.buffer.write(master.data)
        return 0
    refuse_if_strict(args)
    write_beside(output, master.data, master.assets)
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
    suffixes = ", ".join(f"{row.kind.upper()} ({row.suffix})" for row in FORMATS)
    parser.add_argument("files", type=Path, nargs="*", metavar="FILE",
                        help=f"files to check: {suffixes} (default: every output the "
                             "manifest in --dist lists)")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument("--tei-all", type=Path, metavar="RNG",
                        help="also check TEI files against this official TEI P5 schema (tei_all.rng)")
    parser.add_argument("--report", action="store_true",
                        help="write report.json and report.html into --dist for these files")
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="EPUBCheck JVMs and check workers (default: the number of cores)")


def run_validate(args: argparse.Namespace, options: Options) -> int:
    from publish.build.manifest import load_manifest
    from publish.validation.run import validate_paths

    options = dataclasses.replace(options, tei_all=args.tei_all)
    layout = Layout(dist=args.dist)
    files = args.files or built_outputs(layout, load_manifest(layout))
    if not files:
        raise UsageError(f"nothing to validate: no file given and no outputs listed in "
                         f"{layout.manifest}")
    jobs = args.jobs if args.jobs and args.jobs > 0 else (os.cpu_count() or 1)
    results = validate_paths(files, options, layout, jobs=jobs)
    for result in results:
        for problem in result.failures:
            print(f"{result.path}: {problem}", file=sys.stderr)
        for warning in result.warnings:
            print(f"{result.path}: warning: {warning}", file=sys.stderr)
        if result.passed:
            print(f"{result.path}: valid")
    if args.report:
        from publish.validation.report import write_report

        for path in write_report(results, layout):
            print(f"report: {path}")
    failures = sum(not result.passed for result in results)
    if failures:
        raise ValidationError(f"{failures} of {len(files)} file(s) invalid")
    return 0


def built_outputs(layout: Layout, manifest: dict) -> list[Path]:
    """Every per-document output the manifest lists, in :data:`~publish.formats.FORMATS` order."""
    return [layout.output(row.kind, identifier)
            for row in FORMATS for identifier, record in sorted(manifest["documents"].items())
            if row.kind in (record.get("outputs") or {})]


# -- renderers: one command per rendered row of FORMATS --------------------

def add_render(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tei", type=Path, help="a TEI master, e.g. dist/tei/<id>.xml")
    parser.add_argument("-o", "--output", type=Path,
                        help="where to write (default: dist/<folder>/<id><suffix>)")


def render_command(kind: str):
    """The runner of ``publish <kind> TEI``: render one master into one edition."""
    def run(args: argparse.Namespace, options: Options) -> int:
        from publish import pipeline

        output = args.output or Layout(dist=DIST).output(kind, args.tei.stem)
        data = pipeline.render(pipeline.load_master(args.tei), kind, options)
        # Under --strict a warning logged while rendering (a refused URL, say)
        # leaves the old output, if any, untouched and no new one.
        refuse_if_strict(args)
        atomic_write(output, data)
        LOGGER.info("wrote %s", output)
        return 0
    return run


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
    parser.add_argument("--only", choices=kinds() + collection_kinds(), action="append",
                        help="build only these outputs (repeatable; default: all; the TEI "
                             "master is always made)")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    parser.add_argument("--json", action="store_true", help="print a JSON report on stdout")
    parser.add_argument("--validate", action="store_true",
                        help="then check every output (only bytes not checked before) and write "
                             "dist/report.json and dist/report.html")
    parser.add_argument("--tei-all", type=Path, metavar="RNG",
                        help="with --validate, also check masters against this tei_all.rng")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster, e.g. tcp://HOST:8786 (needs the dask extra)")


def run_build(args: argparse.Namespace, options: Options) -> int:
    from publish.build.plan import BuildRequest
    from publish.build.run import build

    request = BuildRequest(seeds=tuple(args.seeds), seeds_dir=args.seeds_dir, dist=args.dist,
                           jobs=args.jobs, outputs=tuple(args.only or ()),
                           force=args.force, quiet=args.quiet, json=args.json,
                           scheduler=args.scheduler,
                           date_pinned=options.date_pinned, validate=args.validate)
    return build(request, dataclasses.replace(options, tei_all=args.tei_all))


# -- deposit and verify (RFC 8493) ------------------------------------------

def add_deposit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="document ids (default: every seed)")
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS, help="folder of seeds (default: seeds/)")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument("--archive", action="store_true", help="also write dist/deposit/<id>.tar")


def run_deposit(args: argparse.Namespace, options: Options) -> int:
    from publish.deposit import deposit_all

    outcomes = deposit_all(args.ids, args.seeds_dir, args.dist, args.archive, options)
    refused = [o for o in outcomes if o.error is not None]
    if len(outcomes) == 1 and refused:
        raise refused[0].error
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"publish: refused {outcome.identifier}: {outcome.error.one_line()}", file=sys.stderr)
        else:
            done = outcome.deposited
            tar = f"; {done.archive}" if done.archive else ""
            said = "unchanged" if outcome.unchanged else "bagged"
            print(f"{done.bag}: {said} (Payload-Oxum {done.oxum}){tar}")
    if refused:
        raise DepositError(f"{len(refused)} of {len(outcomes)} document(s) refused; no bag written for them")
    return 0


def add_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH",
                        help="bag folders, .tar or .zip files, OCFL storage roots or objects, "
                             "or dist/ (a fixity audit against the manifest)")


def run_verify(args: argparse.Namespace, options: Options) -> int:
    from publish.deposit.verify import verify_path

    failed = 0
    for path in args.paths:
        problems = verify_path(path)
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        failed += bool(problems)
        if not problems:
            print(f"{path}: valid")
    if failed:
        raise DepositError(f"{failed} of {len(args.paths)} bag(s), OCFL folder(s) or dist/ folder(s) "
                           "failed verification")
    return 0


# -- init, config -------------------------------------------------------------

def add_init(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the new archive folder (new, or empty)")


ARCHIVE_README = """# {name}

An archive built with publish {version}: keep its documents in `seeds/`
(plain text, Markdown, HTML, Word or TEI, each with an optional `<id>.toml`
sidecar), and configure it in `publish.toml`.

    publish build --validate    # TEI, PDF/A-3, EPUB 3, the site and the catalogues in dist/
    publish deposit --archive   # a BagIt bag per document in dist/deposit/
    publish preserve            # a new OCFL version of each changed document in dist/ocfl/
    publish serve               # the reading room on http://127.0.0.1:8000/
    publish config              # the settings in force, and where each came from
"""


def run_init(args: argparse.Namespace, options: Options) -> int:
    """Make an archive folder: seeds/, publish.toml (every setting, commented), a README, .gitignore."""
    from publish.config import template

    folder = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder}: exists and is not an empty folder; publish init makes a new archive")
    (folder / SEEDS).mkdir(parents=True)
    atomic_write(folder / "publish.toml", template().encode())
    atomic_write(folder / "README.md", ARCHIVE_README.format(name=folder.resolve().name,
                                                             version=__version__).encode())
    atomic_write(folder / ".gitignore", b"/dist/\n")
    print(f"publish init: {folder}: seeds/, publish.toml, README.md; add documents to {folder / SEEDS} "
          "and run publish build there")
    return 0


def add_config(parser: argparse.ArgumentParser) -> None:
    pass


def run_config(args: argparse.Namespace, options: Options) -> int:
    """Print every setting in force and where it came from."""
    from publish.config import describe

    sys.stdout.write(describe(args.config))
    return 0


# -- preserve (OCFL 1.1) -----------------------------------------------------

def add_preserve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID",
                        help="document ids (default: every seed); with --extract, the destination DIR")
    parser.add_argument("--root", type=Path, help="the OCFL storage root (default: dist/ocfl/)")
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS, help="folder of seeds (default: seeds/)")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument("--show", metavar="ID", help="list the versions of a document's object")
    parser.add_argument("--extract", metavar="ID", help="write one version of a document into DIR")
    parser.add_argument("--version", dest="version_name", metavar="vN",
                        help="the version --extract writes (default: the latest)")


def run_preserve(args: argparse.Namespace, options: Options) -> int:
    root = args.root or Layout(dist=args.dist).ocfl_root
    if args.show:
        return show_versions(root, args.show)
    if args.extract:
        return extract_version(root, args)
    from publish.preserve import preserve_all
    from publish.preserve.config import load_user

    outcomes = preserve_all(args.ids, args.seeds_dir, args.dist, root, load_user(args.config), options)
    refused = [o for o in outcomes if o.error is not None]
    if len(outcomes) == 1 and refused:
        raise refused[0].error
    for outcome in outcomes:
        done = outcome.preserved
        if outcome.error is not None:
            print(f"publish: refused {outcome.identifier}: {outcome.error.one_line()}", file=sys.stderr)
        elif done.added:
            print(f"{done.path}: {done.identifier} {done.head} ({done.message}; {done.stored_files} "
                  f"file(s), {done.stored_bytes} bytes stored)")
        else:
            print(f"{done.path}: {done.identifier} unchanged ({done.head})")
    if refused:
        raise DepositError(f"{len(refused)} of {len(outcomes)} document(s) refused; "
                           "no version added for them")
    return 0


def show_versions(root: Path, identifier: str) -> int:
    from publish.preserve.extract import versions

    urn, summaries = versions(root, identifier)
    print(urn)
    for item in summaries:
        print(f"{item.name}\t{item.created}\t{item.message}\t{item.user}\t"
              f"{item.files} file(s), {item.stored} stored")
    return 0


def extract_version(root: Path, args: argparse.Namespace) -> int:
    from publish.preserve.extract import extract, find_object

    if len(args.ids) != 1:
        raise UsageError("--extract ID takes one destination folder: publish preserve --extract ID "
                         "--version vN DIR")
    version = args.version_name or find_object(root, args.extract)[1]["head"]
    files = extract(root, args.extract, version, Path(args.ids[0]))
    print(f"{args.ids[0]}: {args.extract} {version} ({len(files)} file(s))")
    return 0


# -- serve: the reading room on loopback ------------------------------------

def add_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000,
                        help="port on 127.0.0.1 (default: 8000; 0: any free port)")
    parser.add_argument("--dist", type=Path, default=DIST,
                        help="output folder whose site/ to serve (default: dist/)")


def run_serve(args: argparse.Namespace, options: Options) -> int:
    from publish.serve import make_server

    server = make_server(args.dist, args.port, options)
    print(f"publish serve: http://{server.effective_host}:{server.effective_port}/ "
          f"({args.dist / 'site'}; Ctrl-C to stop)", flush=True)
    try:
        server.run()
    finally:
        server.close()
    return 0


COMMANDS = (
    # name         help                                                  arguments      runner
    ("normalise", "normalise a seed into TEI (dist/tei/<id>.xml)",       add_normalise, run_normalise),
    ("text",      "print the source text regenerated from a TEI master", add_text,      run_text),
    ("validate",  "check TEI, PDF and EPUB files; name each failure",    add_validate,  run_validate),
    *((row.kind,  f"render a TEI master to its {row.title}",              add_render,
       render_command(row.kind)) for row in FORMATS if row.rendered),
    ("build",     "build every seed: TEI, PDF and EPUB, incrementally",  add_build,     run_build),
    ("deposit",   "package documents as BagIt bags in dist/deposit/",    add_deposit,   run_deposit),
    ("verify",    "check bags, their .tar/.zip, and OCFL objects; name each fault", add_verify, run_verify),
    ("preserve",  "keep every version of each document in an OCFL 1.1 store", add_preserve, run_preserve),
    ("serve",     "serve the reading room (dist/site/) on 127.0.0.1",   add_serve,     run_serve),
    ("init",      "make a new archive folder: seeds/, publish.toml, README", add_init,   run_init),
    ("config",    "print the settings in force and where each came from", add_config,  run_config),
)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per row of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(prog="publish", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more log output (-v: info, -vv: debug)")
    parser.add_argument("--strict", action="store_true", help="make every warning fatal (exit 71)")
    parser.add_argument("--traceback", action="store_true", help="show a traceback on errors")
    parser.add_argument("--max-paragraph", type=int, default=None, metavar="CHARS",
                        help="longest paragraph the PDF and EPUB are made for "
                             f"(default: [limits] max_paragraph, {Options.max_paragraph:,} characters)")
    parser.add_argument("--config", type=Path, default=Path(CONFIG_FILE), metavar="FILE",
                        help=f"the archive's configuration (default: {CONFIG_FILE} here)")
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


def configured_options(args: argparse.Namespace) -> Options:
    """The run's options: publish.toml's [site] and [limits] (checked), the environment, then flags."""
    from publish.config import check_sections
    from publish.config_spec import read_section
    from publish.options import LIMITS, SITE

    data = check_sections(args.config)
    site = read_section(SITE, args.config, data=data)
    limits = read_section(LIMITS, args.config, data=data)
    max_paragraph = args.max_paragraph if args.max_paragraph is not None else limits["max_paragraph"]
    if site["opds_page_size"] < 1:
        raise UsageError(f"{args.config}: site.opds_page_size must be at least 1, not {site['opds_page_size']}")
    return Options.from_environment(strict=args.strict, max_paragraph=max_paragraph, site_title=site["title"],
                                    opds_page_size=site["opds_page_size"])


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return (and, as a script, exit with) the exit code."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    args.warnings = configure_logging(args.verbose)
    try:
        options = configured_options(args)
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
        return Interrupted.exit_code
    except Exception as error:  # a bug: say so plainly, trace only on request
        if args.traceback:
            raise
        print(f"publish: internal error (a bug; rerun with --traceback): "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        return PublishError.exit_code


if __name__ == "__main__":
    sys.exit(main())
