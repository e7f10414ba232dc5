"""The `redline` command: the gate, and the editor's tools.

Exit codes: 0 nothing wrong; 1 findings (or, for `in-force`, no version on that date);
2 could not run (usage, no repository, shallow history, bad mkdocs.yml). A user's mistake
never ends in a traceback: it becomes a message naming the file, the problem and the fix.

Options shared by several commands are declared once (`_options`); each handler only asks
the engine and prints what it answers.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from datetime import date
from pathlib import Path

from . import dates
from .config import CHANGE_CLASSES, DEFAULT_TIMEZONE, Settings, load_settings
from .findings import CannotRun, Finding, usage
from .gitcmd import GitError
from .model import Policy, Project, Version, load_project
from .visible import visible

FORMATS = ("text", "github", "json")
DIFF_FORMATS = ("text", "markdown", "html")
NOTICE_FORMATS = ("text", "html", "eml")


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config_file))


def _today(args: argparse.Namespace, settings: Settings):
    return dates.today(settings.timezone, getattr(args, "today", None))


def published_source(args: argparse.Namespace) -> str | None:
    """--published, else $REDLINE_PUBLISHED: where the live ledger is (None: git's estimate)."""
    return getattr(args, "published", None) or os.environ.get("REDLINE_PUBLISHED") or None


def _project(args: argparse.Namespace, base: str | None = None) -> Project:
    from .ledger import read_ledger

    settings = _settings(args)
    source = published_source(args)
    today = _today(args, settings)
    ledger = read_ledger(source, settings.site_url, today) if source else None
    return load_project(settings, today, base, ledger)


def _policy(project: Project, pid: str) -> Policy:
    policy = project.policies.get(pid)
    if policy is None or not policy.versions:
        known = ", ".join(sorted(project.policies)) or "none"
        raise usage(
            pid,
            f"there is no policy `{pid}` with readable versions (policies: {known})",
            "name a folder under the docs folder; `redline check` explains unreadable files",
        )
    return policy


def _version(policy: Policy, slug: str) -> Version:
    dates.require_day(slug, slug)
    version = policy.version(slug)
    if version is None:
        known = ", ".join(v.slug for v in policy.versions)
        raise usage(
            slug,
            f"`{policy.id}` has no version effective {slug}",
            f"use one of its effective dates: {known}",
        )
    return version


def _lang(project: Project, lang: str | None) -> str:
    if lang is None:
        return project.settings.default_language
    if lang not in project.languages:
        raise usage(
            "--lang",
            f"`{lang}` is not one of the site's languages",
            f"use one of: {', '.join(project.languages)}",
        )
    return lang


def _pair(policy: Policy, old: str | None, new: str | None) -> tuple[Version, Version]:
    """The two versions `redline diff` compares (default: the latest two)."""
    if old is None:
        if len(policy.versions) < 2:
            raise usage(
                policy.id,
                f"`{policy.id}` has only one version: nothing to compare",
                f"run `redline new {policy.id} --effective YYYY-MM-DD` to start an amendment",
            )
        return policy.versions[-2], policy.versions[-1]
    pair = _version(policy, old), (_version(policy, new) if new else policy.versions[-1])
    if pair[0] is pair[1]:
        raise usage(
            old, f"OLD and NEW are the same version ({old})", "name two different effective dates"
        )
    return pair


def _require_text(policy: Policy, versions: tuple[Version, ...], lang: str) -> None:
    """Each version has a text in `lang` (else the comparison would set two languages side
    by side: `Version.file` falls back to the authoritative text)."""
    for v in versions:
        if lang not in v.files:
            raise usage(
                v.main.path,
                f"version {v.number} of `{policy.id}` ({v.slug}) has no {lang} text to compare",
                f"add its {lang} translation (`redline check` lists what R4 misses), or "
                "compare another language with --lang",
            )


def _write(text: str, raw: bool = False) -> None:
    """`text` on standard output, ending with a line break; `raw`: as it is (`_Shown`)."""
    text = text if text.endswith("\n") else text + "\n"
    (getattr(sys.stdout, "write_raw", sys.stdout.write) if raw else sys.stdout.write)(text)


# --- commands ------------------------------------------------------------------------------


def _check_result(args: argparse.Namespace):
    from .report import CheckResult, changed_deadlines
    from .rules import check

    try:
        project = _project(args, args.base)
    except CannotRun as exc:
        if args.format == "text":
            raise
        try:
            today = _today(args, _settings(args))
        except CannotRun:
            today = date.today()
        return CheckResult(today, [exc.finding], base=args.base)
    findings = check(project)
    if getattr(args, "site", None):
        from .site_check import check_site

        findings = sorted(findings + check_site(project, Path(args.site)), key=Finding.sort_key)
    return CheckResult(
        project.today,
        findings,
        changed_deadlines(project),
        base=args.base,
        branch=project.history.branch,
        project=project,
    )


def cmd_check(args: argparse.Namespace) -> int:
    from .report import github_report, json_report, markdown_report, text_report
    from .report.github import inert

    result = _check_result(args)
    if args.format == "json":
        sys.stdout.write(json_report(result))
    elif args.format == "github":
        sys.stdout.write(github_report(result))
        if result.project is None:
            sys.stderr.write(inert(result.findings[0].format()))
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
    from .timeline import timeline

    day = dates.require_day(args.date, "DATE")
    project = _project(args)
    policy = _policy(project, args.policy)
    lang = _lang(project, args.lang)
    # What is known today decides what governed then: imported history was added to the
    # repository long after it took effect.
    entry = timeline(policy, max(day, project.today)).governing(day)
    if entry is None:
        first = policy.versions[0]
        print(
            f"no version of `{policy.id}` was in force on {day.isoformat()}: the first one "
            f"takes effect on {first.slug} (announced {first.announced.isoformat()})",
            file=sys.stderr,
        )
        return 1
    version = entry.version
    until = f" until {entry.until.isoformat()}" if entry.until else ""
    print(
        f"{policy.id} on {day.isoformat()}: version {version.number}, "
        f"in force from {version.slug}{until}"
    )
    if lang not in version.files:
        print(
            f"note: version {version.number} has no {lang} text; the authoritative text is:",
            file=sys.stderr,
        )
    print(version.file(lang).path)
    return 0


def _nothing_listed(diff) -> str:
    """Why a diff lists no section: none changed, or only their numbers did (renumbering is
    no change of content, and is listed nowhere)."""
    if diff.is_empty:
        return "No change in the text."
    return "Only section numbers changed (renumbering is not listed as a change)."


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_documents, format_html, format_markdown, format_text

    project = _project(args)
    policy = _policy(project, args.policy)
    lang = _lang(project, args.lang)
    old, new = _pair(policy, args.old, args.new)
    _require_text(policy, (old, new), lang)
    diff = diff_documents(old.file(lang).body, new.file(lang).body)
    material = set(policy.material_sections)
    title = f"{policy.id}: version {old.number} ({old.slug})"
    if args.format == "html":
        out = format_html(
            diff,
            material_sections=material,
            old_label=f"{old.slug} (version {old.number})",
            new_label=f"{new.slug} (version {new.number})",
        )
    elif args.format == "markdown":
        head = f"## {title} → version {new.number} ({new.slug})\n\n"
        out = head + (format_markdown(diff, material) or f"_{_nothing_listed(diff)}_\n")
    else:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        head = visible(f"{title} -> version {new.number} ({new.slug}), {lang}\n\n")
        # format_text shows every control character of the policy and adds its colours.
        out = head + (format_text(diff, color=color) or f"{_nothing_listed(diff)}\n")
    _write(out, raw=args.format == "text")
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    from .direct_notice import notices
    from .direct_notice_formats import render

    project = _project(args)
    policy = _policy(project, args.policy)
    version = _version(policy, args.date)
    langs = [_lang(project, args.lang)] if args.lang else list(project.languages)
    built = notices(project, policy, version, langs)
    if built[0].draft:
        print(
            f"redline: note: {policy.id} {version.slug} is not announced yet: this notice is a "
            "draft (it says so at its top); send it once the amendment is published",
            file=sys.stderr,
        )
    _write(render(built, args.format))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from . import scaffold
    from .rules import latest_announced

    effective = dates.require_day(args.effective, "--effective")
    if args.reason is not None and not args.reason.strip():
        raise usage(
            "redline", "--reason is empty", "say why the policy changes, or leave --reason out"
        )
    reason = args.reason and args.reason.strip()
    project = _project(args)
    settings, today = project.settings, project.today
    policy = project.policies.get(args.policy)
    latest = latest_announced(policy) if policy else None
    announced = latest.effective if latest else None
    draft = scaffold.plan(settings, args.policy, effective, args.change, reason, announced)
    scaffold.advise(draft, settings, today, args.change, reason)
    scaffold.write(draft)
    print(f"Wrote version {effective.isoformat()} of {args.policy}:")
    for target, _, source in draft.files:
        print(f"  {settings.rel(target)}  (copied from {source.name})")
    for note in draft.notes:
        print(f"note: {note}")
    print(
        f"If announced (merged) today, {today.isoformat()}, the earliest lawful effective date is:"
    )
    for cls in CHANGE_CLASSES:
        days = settings.notice_days[cls]
        print(f"  {cls + ':':10} {draft.earliest[cls].isoformat()} ({days} days' notice)")
    for warning in draft.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Next: {'; '.join(draft.next_steps)}.")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from . import init

    request = init.request(
        args.dir,
        args.languages,
        args.timezone,
        args.policies or ["privacy"],
        args.site_name,
        args.site_url,
        args.adopted,
        args.today,
    )
    plan = init.plan(request)
    init.validate(plan)
    present = init.existing(plan)
    kept = sorted(set(present.values()))
    if present and not args.skip_existing:
        raise usage(
            str(request.root),
            f"{len(kept)} of the files it would write already exist: {', '.join(kept)}; "
            "`redline init` never overwrites",
            "run it in a new or empty folder, or add --skip-existing to keep those files "
            "and write the others",
        )
    created = init.write(plan, present)
    print(f"Created {len(created)} files in {request.root}:")
    print("".join(f"  {rel}\n" for rel in created), end="")
    if kept:
        print("Kept as they were (--skip-existing): " + ", ".join(kept))
    for note in init.notes(plan, present):
        print(f"note: {note}")
    print("Next:")
    steps = enumerate(init.next_steps(plan), start=1)
    print("".join(f"  {n}. {step}.\n" for n, step in steps), end="")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .verify import verify_site

    config = Path(args.config_file)
    settings = _settings(args) if config.is_file() else None
    ca = Path(args.ca) if args.ca else (settings.timestamping_ca if settings else None)
    if ca is None:
        raise usage(
            "--ca",
            "no certificate to verify the receipts against",
            "give the time-stamping authority's root certificate: --ca PATH.pem (or set "
            "extra.redline.timestamping.ca)",
        )
    outcomes = verify_site(args.source, ca, settings.root if settings else None)
    if not outcomes:
        print(f"{args.source}: no receipt to verify (versions.json names none)", file=sys.stderr)
        return 1
    for o in outcomes:
        head = f"{o.policy} {o.effective} ({', '.join(o.languages)}): announced on {o.announced}"
        print(f"{head}, {o.proof}" if o.ok else f"{head}: NOT VERIFIED")
        for problem in o.problems:
            print(f"    {problem}")
    bad = [o for o in outcomes if not o.ok]
    print(f"{len(outcomes) - len(bad)} of {len(outcomes)} receipts verified", file=sys.stderr)
    return 1 if bad else 0


# --- parser --------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's exit code 2, with a hint
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n(see `{self.prog} --help`)\n")


def _config_option(parser: argparse.ArgumentParser, default: str) -> argparse.ArgumentParser:
    """`--config-file`, accepted before and after the command (the later one wins)."""
    parser.add_argument(
        "--config-file",
        metavar="PATH",
        default=default,
        help="the site's mkdocs.yml (default: mkdocs.yml in the current folder)",
    )
    return parser


def _options() -> dict[str, argparse.ArgumentParser]:
    """The options several commands share, each declared once."""
    config = _config_option(argparse.ArgumentParser(add_help=False), argparse.SUPPRESS)
    today = argparse.ArgumentParser(add_help=False)
    today.add_argument(
        "--today",
        metavar="DATE",
        help="the day to run as (YYYY-MM-DD; default: $REDLINE_TODAY, else today in the "
        "policies' time zone)",
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", metavar="L", help="the language (default: the default language)")
    published = argparse.ArgumentParser(add_help=False)
    published.add_argument(
        "--published",
        metavar="SOURCE",
        help="the live ledger: a URL or file of the site's versions.json, `site` for "
        "site_url's own, or `none` for a site never published (default: $REDLINE_PUBLISHED; "
        "without it announcement days are estimated from git's commit dates)",
    )
    return {"config": config, "today": today, "lang": lang, "published": published}


COMMANDS = {
    # name: (handler, options, one-line help, description)
    "init": (
        cmd_init,
        ("today",),
        "adopt Redline: create a site with policy templates, workflows and pinned release",
        "Create a working Redline site in DIR (default: the current folder): mkdocs.yml, the "
        "home page and a first version of each policy to fill in, in every language, the "
        "MkDocs hook, GitHub workflows (the gate, a preview of each pull request, publish), "
        "CODEOWNERS, .gitignore and requirements.txt pinning this release of Redline. Never "
        "overwrites: refuses if any of those files exists, unless --skip-existing. Needs no "
        "mkdocs.yml and runs no git command.",
    ),
    "check": (
        cmd_check,
        ("config", "today", "published"),
        "the gate: apply rules R1-R7, exit 1 on any error",
        "Apply the rules R1-R7 to every policy. With --base, pull-request mode: the history "
        "of REF is what is published, everything else counts as announced today. With "
        "--published, notice is counted from the day each text went live on the site.",
    ),
    "new": (
        cmd_new,
        ("config", "today"),
        "start an amendment: copy the latest version into new files, every language",
        "Write version DATE of POLICY in every language from the version before it. Never "
        "overwrites. Placeholders (TODO) are rejected by the gate until replaced.",
    ),
    "status": (
        cmd_status,
        ("config", "today", "published"),
        "each policy: the version in force, announced changes, what the gate would block",
        "For each policy: the version in force, announced versions with the days left, and "
        "the findings of the gate for it. Exit 1 if the gate would block.",
    ),
    "in-force": (
        cmd_in_force,
        ("config", "today", "lang"),
        "which version governed on a date, and its file",
        "Which version of POLICY governed on DATE (judged with every version published by "
        "today, imported history included), and the path of its file. Exit 1 if none did.",
    ),
    "verify": (
        cmd_verify,
        ("config",),
        "check every receipt a site publishes (time-stamps of its announcements)",
        "Check every receipt of the site at SOURCE (its address, or a built site's folder): "
        "the time-stamp is signed by a chain to the authority's root certificate (--ca) and "
        "covers exactly the announcement record, and, run inside the site's repository, "
        "every file had the SHA-256 the record names. Exit 1 on any mismatch.",
    ),
    "diff": (
        cmd_diff,
        ("config", "today", "lang"),
        "the redline between two versions (default: the latest two)",
        "The redline of POLICY from version OLD to version NEW, named by their effective "
        "dates. Default: the latest two versions; with OLD only, NEW is the latest.",
    ),
    "notice": (
        cmd_notice,
        ("config", "today", "lang"),
        "the notice to send users about an amendment (email, in-app), every language",
        "Write to standard output the notice to send users about the amendment of POLICY "
        "effective DATE, in every language of the site (or --lang L): subject, effective "
        "date, what changes and why, links to the comparison and the new text, and how to "
        "object before the effective date (extra.redline.contact). Sends and writes nothing.",
    ),
}


def _init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "dir", metavar="DIR", nargs="?", default=".", help="the site's folder (default: here)"
    )
    p.add_argument(
        "--languages",
        metavar="L,L",
        default="ko,en",
        help="the site's languages, the default first (default: ko,en)",
    )
    p.add_argument(
        "--timezone",
        metavar="ZONE",
        default=DEFAULT_TIMEZONE,
        help=f"where effective dates begin at midnight (default: {DEFAULT_TIMEZONE})",
    )
    p.add_argument(
        "--policy",
        metavar="ID",
        action="append",
        dest="policies",
        help="a policy to start, its folder's name; repeat it (default: privacy; privacy, "
        "terms and cookies come with their sections)",
    )
    p.add_argument(
        "--site-name", metavar="NAME", help="the site's name (default: Policies, or 정책 in Korean)"
    )
    p.add_argument(
        "--site-url",
        metavar="URL",
        help="the site's address, https://... (publishing needs it: set it now or later)",
    )
    p.add_argument(
        "--adopted",
        metavar="DATE",
        help="the day the site starts; versions effective before it are imported history "
        "(default: today)",
    )
    p.add_argument(
        "--skip-existing",
        action="store_true",
        help="keep files that already exist and write the others",
    )


def _arguments(name: str, p: argparse.ArgumentParser) -> None:
    """Each command's own arguments."""
    if name == "init":
        _init_arguments(p)
    elif name == "check":
        p.add_argument(
            "--base",
            metavar="REF",
            help="pull-request mode: the branch merged into, e.g. origin/main",
        )
        p.add_argument(
            "--format",
            choices=FORMATS,
            default="text",
            help="text (default), github (annotations + job summary) or json",
        )
        p.add_argument(
            "--site",
            metavar="DIR",
            help="also check the built site in DIR: its records and pages are today's",
        )
    elif name == "new":
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
    elif name in ("in-force", "diff", "notice"):
        p.add_argument("policy", metavar="POLICY")
    if name in ("in-force", "notice"):
        p.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
    if name == "notice":
        p.add_argument(
            "--format",
            choices=NOTICE_FORMATS,
            default="text",
            help="text (default), html (a document per language) or eml (one email message)",
        )
    if name == "verify":
        p.add_argument(
            "source", metavar="SOURCE", help="the site's address, or a built site folder"
        )
        p.add_argument("--ca", metavar="PEM", help="the time-stamping authority's root certificate")
    if name == "diff":
        p.add_argument("old", metavar="OLD", nargs="?", help="effective date of the older version")
        p.add_argument("new", metavar="NEW", nargs="?", help="effective date of the newer version")
        p.add_argument(
            "--format",
            choices=DIFF_FORMATS,
            default="text",
            help="text (coloured on a terminal), markdown or html",
        )


def build_parser() -> argparse.ArgumentParser:
    options = _options()
    parser = _Parser(
        prog="redline",
        description="Legal policies with their history and notice periods enforced.",
        epilog="Exit codes: 0 nothing wrong, 1 findings, 2 could not run.",
    )
    _config_option(parser, "mkdocs.yml")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (handler, shared, short, description) in COMMANDS.items():
        p = sub.add_parser(
            name,
            parents=[options[o] for o in shared],
            help=short,
            description=description,
        )
        _arguments(name, p)
        p.set_defaults(func=handler)
    return parser


class _Shown(io.TextIOBase):
    """A terminal stream that shows control characters instead of obeying them: file names
    and policy text reach every command's output. A carriage return too (a title holding one
    would write over its own line); no output of Redline's ends its lines with one.
    `write_raw` writes as it is, for output that escapes policy text on its own and adds
    colours (`redline diff` on a terminal)."""

    def __init__(self, stream) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        self.write_raw(visible(text).replace("\r", "␍"))
        return len(text)

    def write_raw(self, text: str) -> None:
        try:
            self.raw.write(text)
        except UnicodeEncodeError as exc:  # stderr never raises it: Python backslash-escapes
            raise usage(
                "standard output",
                f"its encoding, {exc.encoding}, cannot show the policies' text",
                "use a UTF-8 locale (e.g. LANG=C.UTF-8), or set PYTHONIOENCODING=utf-8",
            ) from None

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    # A stream the shell closed (`>&-`) is None: what goes to a closed stderr is lost (the
    # exit code still tells); with stdout closed the command could show nothing it answers.
    sys.stdout, sys.stderr = _Shown(out), _Shown(err or io.StringIO())
    try:
        if out is None:
            print(
                "redline: could not run: standard output is closed, so nothing could be shown\n"
                "    fix: send it to a terminal, a file or a pipe (`> /dev/null` to keep only "
                "the exit code)",
                file=sys.stderr,
            )
            return 2
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        return args.func(args)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    except CannotRun as exc:
        print(f"redline: could not run\n{exc.finding.format()}", file=sys.stderr)
        return 2
    except GitError as exc:
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
    except Exception as exc:  # a bug of ours: say so in one line, never a traceback
        if os.environ.get("REDLINE_DEBUG"):
            raise
        print(
            f"redline: internal error ({type(exc).__name__}: {exc}); please report it with "
            "the command and REDLINE_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 2
