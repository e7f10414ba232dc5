"""The gate: rules R1-R6 over the model (R6's missing history is raised while reading it).

Each rule is a function `(project) -> list[Finding]`, so each can be tested, and removed,
on its own. Dates are calendar days in the configured time zone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

from .diff import DocumentDiff, diff_documents
from .findings import WARNING, Finding
from .history import Change
from .layout import docs_prefix, split_docs_path, version_file_name, version_path_parts
from .markup import markup_problems
from .model import Policy, Project, Version
from .notice import Deadline, deadline, earliest, material_deadline, required_days
from .sources import PLACEHOLDER, VersionFile
from .structure import heading_problems


def fmt(day: date) -> str:
    return day.isoformat()


def days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def pending_versions(project: Project) -> list[Version]:
    return project.pending_versions()


def policy_of(project: Project, path: str) -> str | None:
    """The policy folder a path (as findings name it) belongs to, if any."""
    parts = split_docs_path(path, project.settings.docs_rel)
    if parts is None:
        return None
    return parts[0] if len(parts) > 1 or parts[0] in project.policy_dirs else None


def rename_fix(version: Version, day: date) -> str:
    names = ", ".join(f"`{Path(p).name}`" for p in version.paths)
    return f"rename {names} to {fmt(day)} or later"


def adopted_hint(project: Project, version: Version) -> str:
    """For a version already in force that fails R1/R2: it may be history that predates the
    rules, which `adopted` exempts."""
    if version.effective > project.today or version.pending:
        return ""
    return (
        "; it is already in force and frozen (R3), so if it predates these rules "
        f"set `extra.redline.adopted` to a date after {fmt(version.effective)}"
    )


def _announced_when(project: Project, version: Version) -> str:
    if version.pending:
        return f"if announced today, {fmt(project.today)}"
    return f"announced {fmt(version.announced)}"


def _merge_by_hint(project: Project, d: Deadline) -> str:
    version = d.version
    if not (project.history.base and version.pending):
        return ""
    if d.merge_by >= project.today:
        return f"; or merge by {fmt(d.merge_by)} to keep {fmt(version.effective)}"
    return (
        f"; keeping {fmt(version.effective)} needed the merge by "
        f"{fmt(d.merge_by)}, which has passed"
    )


def r1_notice_window(project: Project) -> list[Finding]:
    """R1: effective - announced >= notice_days[change], for every version but the first."""
    out = []
    for version in project.versions:
        if version.exempt or version.change is None or version.effective < version.announced:
            continue  # unclassified versions are R5's, retroactive ones R5's or R3's
        d = deadline(project, version)
        if d.lawful:
            continue
        fix = (
            f"the earliest lawful effective date is {fmt(d.earliest)}"
            f"{' if merged today' if version.pending else ''}: {rename_fix(version, d.earliest)}"
        )
        fix += adopted_hint(project, version) + _merge_by_hint(project, d)
        out.append(
            Finding(
                "R1",
                version.main.path,
                f"a {version.change} amendment needs {days(d.notice)}' notice, but "
                f"effective {fmt(version.effective)} it gets {days(d.given)} "
                f"({_announced_when(project, version)})",
                fix,
                version.main.line_of("change"),
            )
        )
    return out


def amendment_diff(policy: Policy, version: Version) -> DocumentDiff | None:
    """The authoritative text's diff from the previous version (None for the first version,
    or when an authoritative text is missing or unreadable: R4/R5 say so)."""
    previous = policy.previous(version)
    lang = version.default_language
    if previous is None or lang not in previous.files or lang not in version.files:
        return None
    return diff_documents(previous.files[lang].body, version.files[lang].body)


def changed_sections(policy: Policy, version: Version) -> set[str]:
    """Ids of the sections whose wording differs from the previous version, with the sections
    that contain them (authoritative text). Moving or renumbering a section is no change."""
    diff = amendment_diff(policy, version)
    return diff.substantive_ids() if diff else set()


def material_sections_changed(policy: Policy, version: Version) -> list[str]:
    """The configured material sections whose wording the amendment changes (directly or in
    a sub-section), authoritative text."""
    diff = amendment_diff(policy, version)
    if diff is None:
        return []
    material = set(policy.material_sections)
    return sorted(diff.material_ids(material) & material)


def r2_materiality(project: Project) -> list[Finding]:
    """R2: an amendment touching a section listed in material_sections must be material."""
    out = []
    for policy in project.policies.values():
        for version in policy.versions:
            if version.exempt or version.change != "minor" or not policy.material_sections:
                continue
            touched = material_sections_changed(policy, version)
            if not touched:
                continue
            previous = policy.previous(version)
            assert previous is not None
            material = project.settings.notice_days["material"]
            out.append(
                Finding(
                    "R2",
                    version.main.path,
                    f"the amendment changes material section(s) {', '.join(touched)} "
                    f"(compared with {previous.slug}) but is marked `change: minor`",
                    f"write `change: material` in every language and give at least {material} "
                    "days' notice: the earliest lawful effective date is then "
                    f"{fmt(material_deadline(project, version))}" + adopted_hint(project, version),
                    version.main.line_of("change"),
                )
            )
    return out


def _frozen_blob(changes: list[Change], effective: date) -> tuple[str | None, int]:
    """The blob the file had when it took effect, and the index of the first later change."""
    before = [i for i, c in enumerate(changes) if c.day < effective]
    if before:
        i = before[-1]
        if changes[i].blob is None:  # deleted (or renamed away) before it took effect
            return None, len(changes)
        return changes[i].blob, i + 1
    if changes and changes[0].blob:  # added on or after its effective date: frozen from then
        return changes[0].blob, 1
    return None, len(changes)


@dataclass(frozen=True)
class FrozenFile:
    """A version file that was in force on the published branch, and what became of it."""

    path: str
    policy: str
    effective: date
    changes: list[Change]
    frozen: str  # its blob when it took effect
    later: int  # index in `changes` of the first change after that
    blob: str | None  # its blob now, None when it is gone


def frozen_files(project: Project) -> list[FrozenFile]:
    """Every published version file in force by today, with its blob then and now."""
    out = []
    for path, changes in sorted(project.history.changes.items()):
        parsed = version_path_parts(path, project.settings.docs_rel)
        if parsed is None or parsed[1].effective is None:
            continue
        policy, name = parsed
        if name.effective > project.today:
            continue  # not in force yet: corrections are allowed and restart R1's clock
        frozen, later = _frozen_blob(changes, name.effective)
        if frozen is not None:
            blob = project.disk.get(path)
            out.append(FrozenFile(path, policy, name.effective, changes, frozen, later, blob))
    return out


def _r3_what_and_fix(project: Project, f: FrozenFile, restore: str) -> tuple[str, str]:
    new_version = f"`redline new {f.policy} --effective YYYY-MM-DD`"
    if f.blob is not None:
        return "changed", (
            f"restore the file exactly as it was published ({restore}) and publish the "
            f"correction as a new version ({new_version})"
        )
    moved_to = sorted(p for p, b in project.disk.items() if b == f.frozen)
    if moved_to:
        what, fix = f"renamed to `{moved_to[0]}`", f"rename `{moved_to[0]}` back to `{f.path}`"
    else:
        what, fix = "deleted", f"restore the file exactly as it was published ({restore})"
    return what, fix + (
        "; earlier versions must stay available: publish any correction as a new version "
        f"({new_version})"
    )


def _r3_when(project: Project, f: FrozenFile) -> str:
    history = project.history
    culprit = next((c for c in f.changes[f.later :] if c.blob != f.frozen), None)
    if culprit and f.path not in history.pending:
        return f"on {fmt(culprit.day)} (commit {culprit.commit[:10]})"
    if history.base:
        return "in this pull request"
    return f"in the working tree or in commits not yet on {history.branch or 'HEAD'}"


def latest_announced(policy: Policy) -> Version | None:
    """The latest version whose text is published on the branch (not part of the change)."""
    announced = [v for v in policy.versions if v.was_published and not v.pending]
    return announced[-1] if announced else None


def _inserted_before_announced(project: Project) -> list[Finding]:
    """A new version dated before an announced one would renumber a published version and
    rewrite its published comparison (its 'before' side would change)."""
    out = []
    for policy in project.policies.values():
        latest = latest_announced(policy)
        for v in policy.versions:
            if latest is None or v.was_published or v.imported or v.effective >= latest.effective:
                continue  # imported history may be added below the published versions
            out.append(
                Finding(
                    "R3",
                    v.main.path,
                    f"the new version {v.slug} comes before version {latest.number} "
                    f"({latest.slug}), announced on {fmt(latest.announced)}: it would renumber "
                    "published versions and rewrite the published comparison of the next one",
                    f"make the new version effective after {latest.slug} (rename "
                    + ", ".join(f"`{Path(p).name}`" for p in v.paths)
                    + f"), or correct version {latest.slug} itself, which restarts its notice",
                    v.main.line_of("change"),
                )
            )
    return out


def r3_frozen_history(project: Project) -> list[Finding]:
    """R3: a version file is not changed, renamed or deleted once in force (current blob vs then)."""
    out = []
    history = project.history
    base = history.branch or "HEAD"
    prefix = docs_prefix(project.settings.docs_rel)
    retired: set[str] = set()
    for f in frozen_files(project):
        if f.blob == f.frozen:
            continue
        if f.blob is None and f.path not in history.pending and f.changes[-1].status != "D":
            continue  # published after this branch forked from it: not deleted here
        if f.blob is None and f.policy not in project.policy_dirs:
            if f.path in history.pending:  # retiring the policy is this change's doing
                retired.add(f.policy)
            continue  # retired earlier: already reviewed when it was merged
        what, fix = _r3_what_and_fix(project, f, f"`git checkout {base} -- {f.path}`")
        out.append(
            Finding(
                "R3",
                f.path,
                f"this version took effect on {fmt(f.effective)} and was {what} "
                f"{_r3_when(project, f)}; a version in force or superseded is frozen",
                fix,
            )
        )
    out += _inserted_before_announced(project)
    for pid in sorted(retired):
        out.append(
            Finding(
                "R3",
                f"{prefix}{pid}",
                f"the policy `{pid}` is removed: it is retired and none of its versions will be "
                "published any more",
                "nothing to do if this is intended; otherwise restore the folder "
                f"(`git checkout {base} -- {prefix}{pid}`)",
                severity=WARNING,
            )
        )
    return out


def expected_path(project: Project, version: Version, lang: str) -> str:
    """Where the version's text in `lang` is (or would be) in the repository."""
    name = version_file_name(version.effective, lang, project.settings.default_language)
    return Path(version.main.path).with_name(name).as_posix()


def _published_text_gone(project: Project, version: Version, path: str) -> bool:
    """A text of the version that was in force and is now deleted or renamed (R3's)."""
    changes = project.history.changes.get(path)
    return bool(
        changes
        and version.effective <= project.today
        and _frozen_blob(changes, version.effective)[0] is not None
    )


def _missing_translation(project: Project, version: Version, lang: str) -> Finding | None:
    expected = expected_path(project, version, lang)
    if expected in project.disk or _published_text_gone(project, version, expected):
        return None  # unreadable (its own R5 finding says why), or R3's
    return Finding(
        "R4",
        expected,
        f"version {version.number} of `{version.policy}` ({version.slug}) has no `{lang}` text",
        f"add `{expected}` (a translation of `{version.main.path}`)",
    )


def _translation_findings(version: Version, f: VersionFile) -> list[Finding]:
    main, out = version.main, []
    if f.change is not None and main.change is not None and f.change != main.change:
        out.append(
            Finding(
                "R4",
                f.path,
                f"`change: {f.change}` differs from `change: {main.change}` in `{main.path}`",
                f"write `change: {main.change}` here too (or correct `{main.path}`): "
                "every language must give the same class",
                f.line_of("change"),
            )
        )
    for key in ("change", "reason"):
        if getattr(f, key) is None:
            out.append(
                Finding(
                    "R4",
                    f.path,
                    f"the translation has no `{key}`",
                    f"add `{key}:` as in `{main.path}`, translated"
                    if getattr(main, key) is not None
                    else f"add `{key}:` here and in `{main.path}`",
                    f.key_lines.get(key, 2),
                )
            )
    return out


def r4_translations(project: Project) -> list[Finding]:
    """R4: every version in every language, with the same `change` and a `reason` in each."""
    out: list[Finding] = []
    for version in project.versions:
        for lang in project.languages:
            f = version.files.get(lang)
            if f is None:
                missing = _missing_translation(project, version, lang)
                out += [missing] if missing else []
            elif version.number > 1 and f is not version.main:
                out += _translation_findings(version, f)
    return out


def renamed_blobs(project: Project) -> set[str]:
    """Blobs of published version files that are gone from their path (deleted or renamed)."""
    out = set()
    for path, changes in project.history.changes.items():
        if path not in project.disk:
            blob = next((c.blob for c in reversed(changes) if c.blob), None)
            if blob:
                out.add(blob)
    return out


def _required_keys(version: Version) -> list[Finding]:
    main, out = version.main, []
    if version.number == 1:
        return out
    for key in ("change", "reason"):
        if getattr(main, key) is not None:
            continue
        present = key in main.key_lines  # `change:` left empty by `redline new`
        out.append(
            Finding(
                "R5",
                main.path,
                f"`{key}` is {'empty' if present else 'missing'}: it is required for "
                "every version but the first",
                "write `change: minor` or `change: material` (material if it is "
                "unfavourable to users or changes what personal information is "
                "processed, why, by whom, where or for how long)"
                if key == "change"
                else "write `reason: ...` saying why the policy changes",
                main.key_lines.get(key, 2),
            )
        )
    return out


def _placeholders(version: Version) -> list[Finding]:
    return [
        Finding(
            "R5",
            f.path,
            "`reason` still holds the placeholder written by `redline new`",
            "replace it with why the policy changes, in this file's language",
            f.line_of("reason"),
        )
        for f in version.files.values()
        if f.reason and PLACEHOLDER in f.reason
    ]


def _retroactive(project: Project, version: Version, moved: set[str]) -> list[Finding]:
    first = version.first_announced
    # A published file moved to a new name is R3's (rename it back), not a new version.
    renamed = all(f.blob in moved for f in version.files.values())
    if version.imported or version.effective >= first or renamed:
        return []
    when = f"today, {fmt(first)}" if version.pending else fmt(first)
    notice = required_days(project.settings.notice_days, version)
    return [
        Finding(
            "R5",
            version.main.path,
            f"the version is effective {fmt(version.effective)}, before it was "
            f"announced ({when}): no version may take effect retroactively",
            rename_fix(version, earliest(first, notice))
            + "; if it is older history imported into Redline, set "
            f"`extra.redline.adopted` to a date after {fmt(version.effective)}",
        )
    ]


def _headings(f: VersionFile) -> list[Finding]:
    return [
        Finding("R5", f.path, p.message, p.fix, f.body_line + p.line - 1)
        for p in heading_problems(f.body)
    ]


def _markup(f: VersionFile) -> list[Finding]:
    out = []
    for what, written in markup_problems(f.body):
        offset = f.body.find(written[: written.find(" ") if " " in written else None])
        line = f.body_line + f.body.count("\n", 0, offset) if offset >= 0 else f.body_line
        out.append(
            Finding(
                "R5",
                f.path,
                f"{what} would change the page's behaviour, not its words (`{written}`): policy "
                "text may hold only the markup of a text (headings, lists, tables, emphasis, "
                "links to web, mail or phone addresses)",
                "write it in Markdown without it; for layout or scripts change the theme "
                "(a reviewed change of its own)",
                line,
            )
        )
    return out


_HEADING_ID = re.compile(r"(?m)^#{1,6}[^\n]*?[ \t]\{:?[^}\n]*?#([^\s#{}]+)[^}\n]*\}[ \t]*$")


def _section_ids(policy: Policy, wanted: set[str]) -> set[str]:
    """The heading ids of the policy's versions (authoritative texts), newest first, read
    until every id in `wanted` is found (a fast scan: 800 full parses would take 0.6 s)."""
    ids: set[str] = set()
    for version in reversed(policy.versions):
        ids.update(_HEADING_ID.findall(version.main.body))
        if wanted <= ids:
            break
    return ids


def _configuration(project: Project) -> list[Finding]:
    """Every policy and material section the settings name exists: a misspelt id
    (`retension`) would switch R2 off for that section without a word."""
    site, out = project.settings.site, []
    config = project.settings.rel(site.config_file)
    for pid, options in sorted(project.settings.policies.items()):
        policy = project.policies.get(pid)
        if policy is None and pid not in project.policy_dirs:
            near = difflib.get_close_matches(pid, sorted(project.policies), 1)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            out.append(
                Finding(
                    "R5",
                    config,
                    f"extra.redline.policies names `{pid}`, but there is no policy folder "
                    f"`{project.settings.docs_rel}/{pid}`{hint}",
                    "correct the id to the folder's name, or create the policy",
                    site.line_of(f"{pid}:"),
                )
            )
            continue
        known = _section_ids(policy, set(options.material_sections)) if policy else set()
        for section in options.material_sections:
            if policy and section not in known:
                near = difflib.get_close_matches(section, sorted(known), 1, 0.5)
                out.append(
                    Finding(
                        "R5",
                        config,
                        f"material section `{section}` of `{pid}` is no heading id of any "
                        "version, so R2 cannot protect it",
                        (f"use `{near[0]}`, the nearest heading id; " if near else "")
                        + "write ids as the headings' `{#id}` give them ("
                        + ", ".join(sorted(known)[:8])
                        + (", ..." if len(known) > 8 else "")
                        + ")",
                        site.line_of(section),
                    )
                )
    return out


def r5_valid_input(project: Project) -> list[Finding]:
    """R5: files that parse, required keys, real dates, no placeholders, nothing retroactive,
    and texts that put only words on their page, in sections with ids of their own."""
    out = list(project.findings) + _configuration(project)
    moved = renamed_blobs(project)
    for version in project.versions:
        out += _required_keys(version) + _placeholders(version)
        out += _retroactive(project, version, moved)
        for f in version.files.values():
            out += _markup(f)
            if project.is_open(version):
                out += _headings(f)
    return out


def r6_plausible_history(project: Project) -> list[Finding]:
    """R6: the published history's dates can prove announcements: no commit dated in the
    future, none earlier than the commit before it on the branch."""
    out = []
    branch = project.history.branch or "HEAD"
    for c in project.history.implausible:
        when = (
            "in the future"
            if c.why == "future"
            else f"earlier than the commit before it on {branch} ({fmt(c.parent_day)})"
        )
        out.append(
            Finding(
                "R6",
                c.paths[0] if c.paths else ".",
                f"commit {c.commit[:10]} on {branch} is dated {fmt(c.day)}, {when}: a date that "
                "cannot be true proves no announcement, so no version it touched can be dated",
                "commit dates come from the committer's clock: re-create the commit with the "
                "true date before it is merged (`git commit --amend --no-edit` or a rebase "
                "dates it now); on a branch that is already published, publish with the "
                "site's ledger (`--published`), which dates announcements by when they went live",
            )
        )
    return out


# What can change how versions are judged or what visitors get, besides the versions: from
# the top of the repository. The site's configuration, hooks and theme are added per site.
GATE_FILES = (
    ".github/*",
    "requirements*.txt",
    "*/requirements*.txt",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "redline/*",
    "hooks/*",
    "*/hooks/*",
    "overrides/*",
    "*/overrides/*",
)


def _gate_patterns(project: Project) -> list[str]:
    site, prefix = project.settings.site, project.history.site_prefix
    own = [*site.config_files, *site.hooks]
    patterns = [prefix + project.settings.rel(path) for path in own]
    if site.theme_dir is not None:
        patterns.append(prefix + project.settings.rel(site.theme_dir) + "/*")
    return [*GATE_FILES, *patterns]


def _is_gate_asset(project: Project, rel: str) -> bool:
    """A file under docs_dir that is neither a version nor a home page: an asset, which can
    change what every page shows (a stylesheet can hide a notice)."""
    parts = split_docs_path(rel, project.settings.docs_rel)
    if parts is None or version_path_parts(rel, project.settings.docs_rel):
        return False
    return not (len(parts) == 1 and parts[0].startswith("index.") and parts[0].endswith(".md"))


def gate_changes(project: Project) -> list[str]:
    """Files the change under review alters that are part of the gate, not versions: the
    configuration, hooks, theme, workflows, dependencies, and the docs folder's assets."""
    patterns = _gate_patterns(project)
    prefix = project.history.site_prefix
    out = []
    for path in sorted(project.history.changed):
        rel = path[len(prefix) :] if path.startswith(prefix) else None
        if (rel is not None and _is_gate_asset(project, rel)) or any(
            fnmatch(path, pattern) for pattern in patterns
        ):
            out.append(path)
    return out


def r7_gate_changes_alone(project: Project) -> list[Finding]:
    """R7: in a pull request, a change to the gate comes alone, never with versions: the
    versions would be judged by the bar the same pull request sets."""
    if not project.history.base:
        return []
    versions = sorted(
        p for p in project.history.pending if version_path_parts(p, project.settings.docs_rel)
    )
    gate = gate_changes(project)
    if not versions or not gate:
        return []
    shown = ", ".join(f"`{p}`" for p in versions[:3]) + (" ..." if len(versions) > 3 else "")
    return [
        Finding(
            "R7",
            path,
            f"this pull request changes the gate (`{path}`) and also versions ({shown}): "
            "the versions would be judged by a bar the same pull request sets",
            "split it: merge the gate change in a pull request of its own, reviewed by the "
            "policy owners (CODEOWNERS), then the versions in another",
        )
        for path in gate
    ]


RULES: dict[str, Callable[[Project], list[Finding]]] = {
    "R1": r1_notice_window,
    "R2": r2_materiality,
    "R3": r3_frozen_history,
    "R4": r4_translations,
    "R5": r5_valid_input,
    "R6": r6_plausible_history,
    "R7": r7_gate_changes_alone,
}


def check(project: Project) -> list[Finding]:
    """Every finding of every rule, sorted: errors first, then by file and line."""
    findings: list[Finding] = []
    for rule in RULES.values():
        findings.extend(rule(project))
    return sorted(set(findings), key=Finding.sort_key)
