"""The guidegen command line: build, check, status, new, schema, serve."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from guidegen import build as pipeline
from guidegen import report, scaffold, schema, serve, status
from guidegen.errors import GuidegenError, Problem, has_errors, shown
from guidegen.fix import fix_file
from guidegen.memo import Memos
from guidegen.model import LANGS
from guidegen.project import Project
from guidegen.report import file_error, printable
from guidegen.validate import RESERVED_SLUGS, SLUG_LENGTH, source_files

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _print_problems(problems: list[Problem]) -> None:
    """Print problems sorted by file and line, then a count, on stderr."""
    sys.stderr.write(report.as_text(problems))


def _setup_logging(verbose: bool) -> None:
    """Show MkDocs' warnings (and our info when verbose) as plain lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def slug_arg(value: str) -> str:
    """Accept a guide slug: lower-case ASCII words joined by single hyphens."""
    if len(value) > SLUG_LENGTH:
        raise argparse.ArgumentTypeError(
            f"'{shown(value)}' is {len(value)} characters long: a page address takes at most "
            f"{SLUG_LENGTH}"
        )
    if not _SLUG.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"'{printable(value)}' is not a valid slug: use lower-case ASCII letters, digits and "
            "single hyphens, e.g. loyalty-basics"
        )
    if value in RESERVED_SLUGS:
        raise argparse.ArgumentTypeError(
            f"'{value}' is taken by the site's own '{value}' page: pick another name"
        )
    return value


def guide_arg(value: str) -> tuple[str, str]:
    """Accept LANG/SLUG, e.g. pl/program-launch."""
    lang, _, slug = value.partition("/")
    if lang not in LANGS:
        raise argparse.ArgumentTypeError(
            f"'{value}': write LANG/SLUG with LANG one of "
            f"{', '.join(LANGS)}, e.g. pl/program-launch"
        )
    return lang, slug_arg(slug)


def address_arg(value: str) -> tuple[str, int]:
    """Accept HOST:PORT (an IPv6 host in brackets)."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not HOST:PORT, e.g. 127.0.0.1:8000")
    return host.strip("[]"), int(port)


def seconds_arg(value: str) -> float:
    """Accept a number of seconds, more than 0 and at most a minute."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 60:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds, e.g. 0.5")
    return seconds


def cmd_build(args: argparse.Namespace) -> int:
    """Build site/."""
    project = Project(args.root)

    def warn(problems: list[Problem]) -> None:
        if not has_errors(problems, args.strict):
            _print_problems(problems)

    pipeline.build(project, strict=args.strict, site_url=args.site_url, on_problems=warn)
    print(f"site built in {project.site_dir}", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Load and validate the content, write nothing (except with --fix)."""
    project = Project(args.root)
    if args.fix:
        fixed = {file: fix_file(project.root, file, lang) for file, lang in source_files(project)}
        for file, count in sorted(fixed.items()):
            if count:
                print(
                    f"{file.relative_to(project.root).as_posix()}: fixed {count} character(s)",
                    file=sys.stderr,
                )
    memo = Memos.load(pipeline.memo_file(project)).validate
    _, problems = pipeline.check(project, args.strict, memo=memo)
    sys.stdout.write(report.WRITERS[args.format](problems))
    return EXIT_CONTENT if has_errors(problems, args.strict) else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Show the translation status, or mark a translation up to date."""
    project = Project(args.root)
    if args.mark:
        print(status.mark(project, *args.mark))
        return EXIT_OK
    statuses = status.guide_status(project, status.load(project)[0])
    writer = status.as_json if args.format == "json" else status.as_text
    sys.stdout.write(writer(statuses))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Create a guide in every language."""
    project = Project(args.root)
    for file in scaffold.new_guide(project, args.slug):
        print(f"created {file.relative_to(project.root).as_posix()}")
    print(
        f"add '{args.slug}' to the guides of a topic in data/site.yaml, replace every TODO, "
        "then run `guidegen check`",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Write (or with --check, verify) schema/guide.schema.json."""
    project = Project(args.root)
    target = schema.schema_file(project).relative_to(project.root).as_posix()
    if args.check:
        current = schema.schema_file(project)
        if current.is_file() and current.read_text("utf-8") == schema.guide_schema():
            return EXIT_OK
        print(f"{target} is out of date: run `guidegen schema`", file=sys.stderr)
        return EXIT_CONTENT
    changed = schema.write_schema(project)
    print(f"{target} {'written' if changed else 'already up to date'}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview the site with live reload."""
    host, port = args.dev_addr
    try:
        serve.serve(Project(args.root), host, port, args.poll)
    except KeyboardInterrupt:
        print("preview stopped", file=sys.stderr)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of every command."""
    main = argparse.ArgumentParser(prog="guidegen", description=__doc__)
    main.add_argument(
        "--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)"
    )
    main.add_argument("-v", "--verbose", action="store_true", help="show progress")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the site into site/")
    build.add_argument("--strict", action="store_true", help="content warnings fail the build")
    build.add_argument("--site-url", help="override site_url of mkdocs.yml")
    build.set_defaults(func=cmd_build)
    check = commands.add_parser("check", help="validate the content, write nothing")
    check.add_argument("--strict", action="store_true", help="warnings count as errors")
    check.add_argument(
        "--format",
        choices=tuple(report.WRITERS),
        default="text",
        help="text for people, json for tools, github for CI annotations",
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="first fix what can be fixed mechanically (cedilla letters)",
    )
    check.set_defaults(func=cmd_check)
    stat = commands.add_parser("status", help="show which translations are missing or stale")
    stat.add_argument("--format", choices=("text", "json"), default="text")
    stat.add_argument(
        "--mark",
        type=guide_arg,
        metavar="LANG/SLUG",
        help="record that this translation is up to date with its source",
    )
    stat.set_defaults(func=cmd_status)
    new = commands.add_parser("new", help="create a guide in every language")
    new.add_argument("slug", type=slug_arg, help="the guide's file name, e.g. loyalty-basics")
    new.set_defaults(func=cmd_new)
    schema_cmd = commands.add_parser("schema", help="write schema/guide.schema.json")
    schema_cmd.add_argument(
        "--check", action="store_true", help="only verify that the file is up to date"
    )
    schema_cmd.set_defaults(func=cmd_schema)
    serve_cmd = commands.add_parser("serve", help="preview with live reload")
    serve_cmd.add_argument(
        "--dev-addr",
        type=address_arg,
        default=("127.0.0.1", 8000),
        metavar="HOST:PORT",
        help="where to serve (default 127.0.0.1:8000)",
    )
    serve_cmd.add_argument(
        "--poll",
        type=seconds_arg,
        metavar="SECONDS",
        help="look for saves every SECONDS instead of being told of them by the system, for "
        "network drives and containers where saves go unnoticed (e.g. --poll 0.5)",
    )
    serve_cmd.set_defaults(func=cmd_serve)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; content and build errors exit 1, usage errors 2, no traceback."""
    cli = parser()
    args = cli.parse_args(argv)
    if not args.root.is_dir():
        cli.error(f"--root {args.root}: no such folder")
    args.root = args.root.resolve()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life notice
    _setup_logging(args.verbose)
    try:
        return args.func(args)
    except GuidegenError as error:
        if error.problems:
            _print_problems(error.problems)
        else:
            print(f"error: {printable(str(error))}", file=sys.stderr)
        return EXIT_CONTENT
    except MkDocsException as error:
        print(f"error: MkDocs build failed: {printable(str(error))}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as error:
        print(f"error: {file_error(args.root, error)}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted: site/ holds the last complete build", file=sys.stderr)
        return 130
