"""The guidegen command line: build, check, serve."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from guidegen import build as pipeline
from guidegen.errors import GuidegenError, Problem, has_errors
from guidegen.project import Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _print_problems(problems: list[Problem]) -> None:
    """Print problems sorted by file and line, then a count."""
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    if problems:
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)


def _setup_logging(verbose: bool) -> None:
    """Show MkDocs' warnings (and our info when verbose) as plain lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def cmd_build(args: argparse.Namespace) -> int:
    """Build site/."""
    project = Project(args.root)
    pipeline.build(project, strict=args.strict, site_url=args.site_url,
                   on_problems=_print_problems)
    print(f"site built in {project.site_dir}", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Load and validate the content, write nothing."""
    _, problems = pipeline.check(Project(args.root), args.strict)
    _print_problems(problems)
    return EXIT_CONTENT if has_errors(problems, args.strict) else EXIT_OK


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of every command."""
    main = argparse.ArgumentParser(prog="guidegen", description=__doc__)
    main.add_argument("--root", type=Path, default=Path.cwd(),
                      help="project folder (default: current folder)")
    main.add_argument("-v", "--verbose", action="store_true", help="show progress")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the site into site/")
    build.add_argument("--strict", action="store_true", help="content warnings fail the build")
    build.add_argument("--site-url", help="override site_url of mkdocs.yml")
    build.set_defaults(func=cmd_build)
    check = commands.add_parser("check", help="validate the content, write nothing")
    check.add_argument("--strict", action="store_true", help="warnings count as errors")
    check.set_defaults(func=cmd_check)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; content and build errors exit 1 without a traceback."""
    args = parser().parse_args(argv)
    args.root = args.root.resolve()
    _setup_logging(args.verbose)
    try:
        return args.func(args)
    except GuidegenError as error:
        if error.problems:
            _print_problems(error.problems)
        else:
            print(f"error: {error}", file=sys.stderr)
        return EXIT_CONTENT
    except MkDocsException as error:
        print(f"error: MkDocs build failed: {error}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted: site/ is unchanged", file=sys.stderr)
        return 130
