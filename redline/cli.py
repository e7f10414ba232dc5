"""The `redline` command: the gate, and the editor's tools.

Exit codes: 0 nothing wrong; 1 findings (or, for `in-force`, no version on that date);
2 could not run (usage, no repository, shallow history, bad mkdocs.yml). A user's mistake
never ends in a traceback: it becomes a message naming the file, the problem and the fix.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import git

from . import clock
from .config import CHANGE_CLASSES, Settings, load_settings
from .findings import CannotRun, Finding
from .model import Policy, Project, Version, load_project

FORMATS = ("text", "github", "json")
DIFF_FORMATS = ("text", "markdown", "html")


class Usage(CannotRun):
    """A mistake on the command line (exit 2)."""

    def __init__(self, message: str, fix: str, what: str = "redline"):
        super().__init__(Finding("usage", what, message, fix))


def _day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Usage(f"{value!r} is not a date", "write it as YYYY-MM-DD", what) from None


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config_file))


def _project(args: argparse.Namespace, base: str | None = None) -> Project:
    settings = _settings(args)
    today = clock.today(settings.timezone, getattr(args, "today", None))
    return load_project(settings, today, base)


def _policy(project: Project, pid: str) -> Policy:
    policy = project.policies.get(pid)
    if policy is None or not policy.versions:
        known = ", ".join(sorted(project.policies)) or "none"
        raise Usage(
            f"there is no policy `{pid}` with readable versions (policies: {known})",
            "name a folder under the docs folder; `redline check` explains unreadable files",
            pid,
        )
    return policy


def _version(policy: Policy, slug: str) -> Version:
    _day(slug, slug)
    version = policy.version(slug)
    if version is None:
        dates = ", ".join(v.slug for v in policy.versions)
        raise Usage(
            f"`{policy.id}` has no version effective {slug}",
            f"use one of its effective dates: {dates}",
            slug,
        )
    return version


def _lang(project: Project, lang: str | None) -> str:
    if lang is None:
        return project.settings.default_language
    if lang not in project.languages:
        raise Usage(
            f"`{lang}` is not one of the site's languages",
            f"use one of: {', '.join(project.languages)}",
            "--lang",
        )
    return lang


# ---------------------------------------------------------------------------------------
# commands


def cmd_check(args: argparse.Namespace) -> int:
    from .report import (
        CheckResult,
        changed_deadlines,
        github_report,
        json_report,
        markdown_report,
        text_report,
    )
    from .rules import check

    today: date | None = None
    try:
        project = _project(args, args.base)
    except CannotRun as exc:
        if args.format == "text":
            raise
        try:
            today = clock.today(_settings(args).timezone, args.today)
        except CannotRun:
            today = date.today()
        result = CheckResult(today, [exc.finding], base=args.base)
    else:
        result = CheckResult(
            project.today,
            check(project),
            changed_deadlines(project),
            base=args.base,
            branch=project.history.branch,
            project=project,
        )
    if args.format == "json":
        sys.stdout.write(json_report(result))
    elif args.format == "github":
        sys.stdout.write(github_report(result) if result.project else "")
        if result.project is None:
            from .report import annotation

            sys.stdout.write(annotation(result.findings[0]) + "\n")
            sys.stderr.write(result.findings[0].format() + "\n")
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(markdown_report(result) + "\n")
    else:
        sys.stdout.write(text_report(result))
    return result.exit_code


def cmd_status(args: argparse.Namespace) -> int:
    from .findings import errors
    from .report import status_report
    from .rules import check

    project = _project(args)
    findings = check(project)
    sys.stdout.write(status_report(project, findings))
    return 1 if errors(findings) else 0


def cmd_in_force(args: argparse.Namespace) -> int:
    from .timeline import in_force_on

    day = _day(args.date, "DATE")
    project = _project(args)
    policy = _policy(project, args.policy)
    lang = _lang(project, args.lang)
    # What is known today decides what governed then: imported history was added to the
    # repository long after it took effect.
    known = max(day, project.today)
    version = in_force_on(policy, day, as_of=known)
    if version is None:
        first = policy.versions[0]
        print(
            f"no version of `{policy.id}` was in force on {day.isoformat()}: the first one "
            f"takes effect on {first.slug} (announced {first.announced.isoformat()})",
            file=sys.stderr,
        )
        return 1
    nxt = policy.next(version)
    until = (
        f" until {(nxt.effective - timedelta(days=1)).isoformat()}"
        if nxt is not None and nxt.announced <= known
        else ""
    )
    f = version.files.get(lang)
    print(
        f"{policy.id} on {day.isoformat()}: version {version.number}, "
        f"in force from {version.slug}{until}"
    )
    if f is None:
        print(
            f"note: version {version.number} has no {lang} text; the authoritative text is:",
            file=sys.stderr,
        )
        f = version.main
    print(f.path)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_documents, format_html, format_markdown, format_text

    project = _project(args)
    policy = _policy(project, args.policy)
    lang = _lang(project, args.lang)
    if args.old is None:
        if len(policy.versions) < 2:
            raise Usage(
                f"`{policy.id}` has only one version: nothing to compare",
                f"run `redline new {policy.id} --effective YYYY-MM-DD` to start an amendment",
                policy.id,
            )
        old, new = policy.versions[-2], policy.versions[-1]
    else:
        old = _version(policy, args.old)
        new = _version(policy, args.new) if args.new else policy.versions[-1]
    if old is new:
        raise Usage(
            f"OLD and NEW are the same version ({old.slug})",
            "name two different effective dates",
            old.slug,
        )
    diff = diff_documents(old.file(lang).body, new.file(lang).body)
    material = set(policy.material_sections)
    if args.format == "html":
        out = format_html(
            diff,
            material_sections=material,
            old_label=f"{old.slug} (version {old.number})",
            new_label=f"{new.slug} (version {new.number})",
        )
    elif args.format == "markdown":
        head = f"## {policy.id}: version {old.number} ({old.slug}) → version {new.number} ({new.slug})\n\n"
        out = head + (format_markdown(diff, material) or "_No change in the text._\n")
    else:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        head = f"{policy.id}: version {old.number} ({old.slug}) -> version {new.number} ({new.slug}), {lang}\n\n"
        out = head + (format_text(diff, color=color) or "No change in the text.\n")
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from . import scaffold

    settings = _settings(args)
    effective = _day(args.effective, "--effective")
    today = clock.today(settings.timezone, args.today)
    if args.reason is not None and not args.reason.strip():
        raise Usage("--reason is empty", "say why the policy changes, or leave --reason out")
    draft = scaffold.plan(
        settings, args.policy, effective, args.change, args.reason and args.reason.strip()
    )
    scaffold.write(draft)
    print(f"Wrote version {effective.isoformat()} of {args.policy}:")
    for target, _, source in draft.files:
        print(f"  {settings.rel(target)}  (copied from {source.name})")
    for note in draft.notes:
        print(f"note: {note}")
    earliest = scaffold.earliest_dates(settings, today)
    print(
        f"If announced (merged) today, {today.isoformat()}, the earliest lawful effective date is:"
    )
    for cls in CHANGE_CLASSES:
        print(
            f"  {cls + ':':10} {earliest[cls].isoformat()} "
            f"({settings.notice_days[cls]} days' notice)"
        )
    warn = []
    if effective < today:
        warn.append(
            f"{effective.isoformat()} is in the past: no version may take effect retroactively"
        )
    else:
        for cls in [args.change] if args.change else list(CHANGE_CLASSES):
            if effective < earliest[cls]:
                warn.append(
                    f"{effective.isoformat()} is too early for a {cls} change announced today "
                    f"(earliest {earliest[cls].isoformat()})"
                )
    for w in warn:
        print(f"warning: {w}", file=sys.stderr)
    steps = ["edit the text"]
    if not args.change:
        steps.append("set `change:` to minor or material")
    if not args.reason:
        steps.append("replace the TODO in every `reason:`")
    elif len(settings.languages) > 1:
        steps.append("translate the `reason:` marked TODO")
    steps += ["run `redline check`", "open a pull request"]
    steps = "; ".join(steps)
    print(f"Next: {steps}.")
    return 0


# ---------------------------------------------------------------------------------------
# parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's exit code 2, with a hint
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n(see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config-file",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the site's mkdocs.yml (default: mkdocs.yml in the current folder)",
    )
    parser = _Parser(
        prog="redline",
        description="Legal policies with their history and notice periods enforced.",
        epilog="Exit codes: 0 nothing wrong, 1 findings, 2 could not run.",
    )
    parser.add_argument(
        "--config-file",
        metavar="PATH",
        default="mkdocs.yml",
        help="the site's mkdocs.yml (default: mkdocs.yml in the current folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    today_help = "the day to check as (YYYY-MM-DD; default: $REDLINE_TODAY, else today in the policies' time zone)"

    p = sub.add_parser(
        "check",
        parents=[common],
        help="the gate: apply rules R1-R6, exit 1 on any error",
        description="Apply the rules R1-R6 to every policy. With --base, pull-request mode: "
        "the history of REF is what is published, everything else counts as announced today.",
    )
    p.add_argument(
        "--base", metavar="REF", help="pull-request mode: the branch merged into, e.g. origin/main"
    )
    p.add_argument("--today", metavar="DATE", help=today_help)
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (annotations + job summary) or json",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "new",
        parents=[common],
        help="start an amendment: copy the latest version into new files, every language",
        description="Write version DATE of POLICY in every language from the version before it. "
        "Never overwrites. Placeholders (TODO) are rejected by the gate until replaced.",
    )
    p.add_argument("policy", metavar="POLICY", help="the policy id (its folder name)")
    p.add_argument(
        "--effective", metavar="DATE", required=True, help="the effective date, YYYY-MM-DD"
    )
    p.add_argument(
        "--change",
        choices=CHANGE_CLASSES,
        help="minor or material (default: a placeholder to fill in)",
    )
    p.add_argument(
        "--reason", metavar="TEXT", help="why the policy changes, in the default language"
    )
    p.add_argument("--today", metavar="DATE", help=today_help)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "status",
        parents=[common],
        help="each policy: the version in force, announced changes, what the gate would block",
        description="For each policy: the version in force, announced versions with the days "
        "left, and the findings of the gate for it. Exit 1 if the gate would block.",
    )
    p.add_argument("--today", metavar="DATE", help=today_help)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "in-force",
        parents=[common],
        help="which version governed on a date, and its file",
        description="Which version of POLICY governed on DATE (judged with every version "
        "published by today, imported history included), and the "
        "path of its file. Exit 1 if none did.",
    )
    p.add_argument("policy", metavar="POLICY")
    p.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
    p.add_argument(
        "--lang",
        metavar="L",
        help="the language of the file to name (default: the default language)",
    )
    p.add_argument("--today", metavar="DATE", help=today_help)
    p.set_defaults(func=cmd_in_force)

    p = sub.add_parser(
        "diff",
        parents=[common],
        help="the redline between two versions (default: the latest two)",
        description="The redline of POLICY from version OLD to version NEW, named by their "
        "effective dates. Default: the latest two versions; with OLD only, NEW is the latest.",
    )
    p.add_argument("policy", metavar="POLICY")
    p.add_argument("old", metavar="OLD", nargs="?", help="effective date of the older version")
    p.add_argument("new", metavar="NEW", nargs="?", help="effective date of the newer version")
    p.add_argument(
        "--format",
        choices=DIFF_FORMATS,
        default="text",
        help="text (coloured on a terminal), markdown or html",
    )
    p.add_argument(
        "--lang", metavar="L", help="the language to compare (default: the default language)"
    )
    p.add_argument("--today", metavar="DATE", help=today_help)
    p.set_defaults(func=cmd_diff)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except CannotRun as exc:
        print(f"redline: could not run\n{exc.finding.format()}", file=sys.stderr)
        return 2
    except git.GitCommandError as exc:
        print(
            f"redline: git failed: {' '.join(map(str, exc.command))}\n{exc.stderr.strip()}",
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        print(f"redline: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
