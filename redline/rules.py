"""The gate: rules R1-R5 over the model (R6 is raised while reading history).

Each rule is a function `(project) -> list[Finding]`, so each can be tested, and removed,
on its own. Dates are calendar days in the configured time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .diff import diff_documents
from .findings import WARNING, Finding
from .history import Change
from .model import Policy, Project, Version
from .sources import PLACEHOLDER, VERSION_NAME, git_blob


def fmt(day: date) -> str:
    return day.isoformat()


def notice_days(project: Project, version: Version) -> int:
    """The notice the version needs; an unclassified version is held to the longer one.

    A policy's first version and imported versions need none (R1 exempts them)."""
    if exempt(version):
        return 0
    return project.settings.notice_days[version.change or "material"]


def is_pending(project: Project, version: Version) -> bool:
    """Part of the pull request or the working tree, not yet on the default branch."""
    return any(f.path in project.history.pending for f in version.files.values())


def pending_versions(project: Project) -> list[Version]:
    """Versions with any file new or changed in this change (pull request or working tree)."""
    return [
        v for policy in project.policies.values() for v in policy.versions if is_pending(project, v)
    ]


def amendments_under_review(project: Project) -> list[Version]:
    """What a pull request (or the working tree) proposes: pending versions not yet in force.

    A pending edit of a version that is already in force is not a proposal but a change to
    frozen history, which R3 reports; it gets no deadline.
    """
    return [
        v
        for v in pending_versions(project)
        if v.effective > project.today
        or not any(project.history.changes.get(f.path) for f in v.files.values())
    ]


def first_announced(project: Project, version: Version) -> date:
    """The day any text of the version was first published (today if none is published yet).

    Retroactivity is judged from this day: a later edit of a version already in force is a
    change to frozen history (R3), not a retroactive version.
    """
    days = []
    for f in version.files.values():
        first = project.history.first_published(f.path)
        days.append(first.day if first is not None else project.today)
    return min(days, default=project.today)


def exempt(version: Version) -> bool:
    """The first version has nothing to give notice of; imported ones predate Redline."""
    return version.number == 1 or version.imported


def docs_prefix(project: Project) -> str:
    """docs_dir relative to the site root, with a trailing slash ('' if it is the root)."""
    rel = project.settings.rel(project.settings.docs_dir).strip("/")
    return "" if rel in ("", ".") else rel + "/"


def policy_of(project: Project, path: str) -> str | None:
    """The policy folder a path (as findings name it) belongs to, if any."""
    prefix = docs_prefix(project)
    if not path.startswith(prefix):
        return None
    head, sep, _ = path[len(prefix) :].partition("/")
    return head if sep or head in project.policy_dirs else None


@dataclass(frozen=True)
class Deadline:
    """What an editor needs to know about one new or changed version."""

    version: Version
    notice: int
    earliest: date  # earliest lawful effective date, given when it is announced
    merge_by: date  # last day it can be merged (announced) and keep its effective date

    @property
    def lawful(self) -> bool:
        return self.version.effective >= self.earliest


def deadline(project: Project, version: Version) -> Deadline:
    notice = notice_days(project, version)
    return Deadline(
        version,
        notice,
        version.announced + timedelta(days=notice),
        version.effective - timedelta(days=notice),
    )


def days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def rename_fix(version: Version, day: date) -> str:
    files = sorted(version.files.values(), key=lambda f: f is not version.main)
    names = ", ".join(f"`{Path(f.path).name}`" for f in files)
    return f"rename {names} to {fmt(day)} or later"


def _announced_when(project: Project, version: Version) -> str:
    if is_pending(project, version):
        return f"if announced today, {fmt(project.today)}"
    return f"announced {fmt(version.announced)}"


def r1_notice_window(project: Project) -> list[Finding]:
    """R1: effective - announced >= notice_days[change], for every version but the first."""
    out = []
    for policy in project.policies.values():
        for version in policy.versions:
            if exempt(version) or version.change is None or version.effective < version.announced:
                continue  # unclassified versions are R5's, retroactive ones R5's or R3's
            d = deadline(project, version)
            if d.lawful:
                continue
            given = (version.effective - version.announced).days
            pending = is_pending(project, version)
            fix = (
                f"the earliest lawful effective date is {fmt(d.earliest)}"
                f"{' if merged today' if pending else ''}: {rename_fix(version, d.earliest)}"
            )
            if version.effective <= project.today and not pending:
                fix += (
                    "; it is already in force and frozen (R3), so if it predates these rules "
                    f"set `extra.redline.adopted` to a date after {fmt(version.effective)}"
                )
            if project.history.base and pending:
                if d.merge_by >= project.today:
                    fix += f"; or merge by {fmt(d.merge_by)} to keep {fmt(version.effective)}"
                else:
                    fix += (
                        f"; keeping {fmt(version.effective)} needed the merge by "
                        f"{fmt(d.merge_by)}, which has passed"
                    )
            out.append(
                Finding(
                    "R1",
                    version.main.path,
                    f"a {version.change} amendment needs {days(d.notice)}' notice, but "
                    f"effective {fmt(version.effective)} it gets {days(given)} "
                    f"({_announced_when(project, version)})",
                    fix,
                    version.main.line_of("change"),
                )
            )
    return out


def changed_sections(policy: Policy, version: Version) -> set[str]:
    """Ids of the sections whose wording differs from the previous version, with the sections
    that contain them (authoritative text). Moving or renumbering a section is no change."""
    previous = policy.previous(version)
    lang = version.default_language
    if previous is None or lang not in previous.files or lang not in version.files:
        return set()  # an authoritative text is missing or unreadable: R4/R5 say so
    diff = diff_documents(previous.files[lang].body, version.files[lang].body)
    return diff.substantive_ids()


def r2_materiality(project: Project) -> list[Finding]:
    """R2: an amendment touching a section listed in material_sections must be material."""
    out = []
    for policy in project.policies.values():
        material = set(policy.material_sections)
        if not material:
            continue
        for version in policy.versions:
            if exempt(version) or version.change != "minor":
                continue
            touched = sorted(changed_sections(policy, version) & material)
            if touched:
                previous = policy.previous(version)
                out.append(
                    Finding(
                        "R2",
                        version.main.path,
                        f"the amendment changes material section(s) {', '.join(touched)} "
                        f"(compared with {previous.slug if previous else 'the previous version'}) "
                        "but is marked `change: minor`",
                        "write `change: material` in every language and give at least "
                        f"{project.settings.notice_days['material']} days' notice: the earliest "
                        "lawful effective date is then "
                        f"{fmt(version.announced + timedelta(days=project.settings.notice_days['material']))}"
                        + (
                            "; it is already in force and frozen (R3), so if it predates these "
                            f"rules set `extra.redline.adopted` to a date after {fmt(version.effective)}"
                            if version.effective <= project.today
                            and not is_pending(project, version)
                            else ""
                        ),
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


def r3_frozen_history(project: Project) -> list[Finding]:
    """R3: a version file is not changed, renamed or deleted once in force (current blob vs then)."""
    out = []
    history = project.history
    base = history.branch or "HEAD"
    current = {
        f.path: f.blob
        for p in project.policies.values()
        for v in p.versions
        for f in v.files.values()
    }
    prefix = docs_prefix(project)
    live_policies = set(project.policy_dirs)
    unmerged = (
        "in this pull request"
        if history.base
        else f"in the working tree or in commits not yet on {base}"
    )
    retired: set[str] = set()
    for path, changes in sorted(history.changes.items()):
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        if len(parts) != 2 or not (m := VERSION_NAME.match(parts[1])):
            continue
        try:
            effective = date.fromisoformat(m["date"])
        except ValueError:
            continue
        if effective > project.today:
            continue  # not in force yet: corrections are allowed and restart R1's clock
        frozen, later = _frozen_blob(changes, effective)
        if frozen is None:
            continue
        disk = project.settings.root / path
        blob = current.get(path) or (git_blob(disk.read_bytes()) if disk.is_file() else None)
        if blob == frozen:
            continue
        if blob is None and path not in history.pending and changes[-1].status != "D":
            continue  # published after this branch forked from it: not deleted here
        if blob is None and parts[0] not in live_policies:
            if path in history.pending:  # retiring the policy is this change's doing
                retired.add(parts[0])
            continue  # retired earlier: already reviewed when it was merged
        culprit = next((c for c in changes[later:] if c.blob != frozen), None)
        when = (
            f"on {fmt(culprit.day)} (commit {culprit.commit[:10]})"
            if culprit and path not in history.pending
            else unmerged
        )
        restore = f"`git checkout {base} -- {path}`"
        if blob is None:
            moved_to = sorted(p for p, b in current.items() if b == frozen)
            if moved_to:
                what = f"renamed to `{moved_to[0]}`"
                fix = f"rename `{moved_to[0]}` back to `{path}`"
            else:
                what = "deleted"
                fix = f"restore the file exactly as it was published ({restore})"
            fix += (
                "; earlier versions must stay available: publish any correction as a new version "
                f"(`redline new {parts[0]} --effective YYYY-MM-DD`)"
            )
        else:
            what = "changed"
            fix = (
                f"restore the file exactly as it was published ({restore}) and publish the "
                f"correction as a new version (`redline new {parts[0]} --effective YYYY-MM-DD`)"
            )
        out.append(
            Finding(
                "R3",
                path,
                f"this version took effect on {fmt(effective)} and was {what} {when}; "
                "a version in force or superseded is frozen",
                fix,
            )
        )
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


def r4_translations(project: Project) -> list[Finding]:
    """R4: every version in every language, with the same `change` and a `reason` in each."""
    out = []
    languages = project.languages
    root = project.settings.root
    for policy in project.policies.values():
        for version in policy.versions:
            main = version.main
            for lang in languages:
                f = version.files.get(lang)
                if f is None:
                    suffix = "" if lang == project.settings.default_language else f".{lang}"
                    expected = Path(main.path).with_name(f"{version.slug}{suffix}.md").as_posix()
                    if (root / expected).exists():
                        continue  # there but unreadable: its own R5 finding says why
                    changes = project.history.changes.get(expected)
                    if (
                        changes
                        and version.effective <= project.today
                        and _frozen_blob(changes, version.effective)[0] is not None
                    ):
                        continue  # a published text deleted or renamed: R3 says so
                    out.append(
                        Finding(
                            "R4",
                            expected,
                            f"version {version.number} of `{policy.id}` ({version.slug}) has no "
                            f"`{lang}` text",
                            f"add `{expected}` (a translation of `{main.path}`)",
                        )
                    )
                    continue
                if version.number == 1 or f is main:
                    continue
                if f.change is not None and main.change is not None and f.change != main.change:
                    out.append(
                        Finding(
                            "R4",
                            f.path,
                            f"`change: {f.change}` differs from `change: {main.change}` in "
                            f"`{main.path}`",
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


def renamed_blobs(project: Project) -> set[str]:
    """Blobs of published version files that are gone from their path (deleted or renamed)."""
    root = project.settings.root
    out = set()
    for path, changes in project.history.changes.items():
        if not (root / path).exists():
            blob = next((c.blob for c in reversed(changes) if c.blob), None)
            if blob:
                out.add(blob)
    return out


def r5_valid_input(project: Project) -> list[Finding]:
    """R5: files that parse, required keys, real dates, no placeholders, nothing retroactive."""
    out = list(project.findings)
    moved = renamed_blobs(project)
    for policy in project.policies.values():
        for version in policy.versions:
            main = version.main
            if version.number > 1:
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
            for f in version.files.values():
                if f.reason and PLACEHOLDER in f.reason:
                    out.append(
                        Finding(
                            "R5",
                            f.path,
                            "`reason` still holds the placeholder written by `redline new`",
                            "replace it with why the policy changes, in this file's language",
                            f.line_of("reason"),
                        )
                    )
            first = first_announced(project, version)
            # A published file moved to a new name is R3's (rename it back), not a new version.
            renamed = all(f.blob in moved for f in version.files.values())
            if not version.imported and version.effective < first and not renamed:
                when = f"today, {fmt(first)}" if is_pending(project, version) else fmt(first)
                earliest = first + timedelta(
                    days=notice_days(project, version) if version.number > 1 else 0
                )
                out.append(
                    Finding(
                        "R5",
                        main.path,
                        f"the version is effective {fmt(version.effective)}, before it was "
                        f"announced ({when}): no version may take effect retroactively",
                        rename_fix(version, earliest)
                        + "; if it is older history imported into Redline, set "
                        f"`extra.redline.adopted` to a date after {fmt(version.effective)}",
                    )
                )
    return out


RULES: dict[str, Callable[[Project], list[Finding]]] = {
    "R1": r1_notice_window,
    "R2": r2_materiality,
    "R3": r3_frozen_history,
    "R4": r4_translations,
    "R5": r5_valid_input,
}


def check(project: Project) -> list[Finding]:
    """Every finding of every rule, sorted: errors first, then by file and line."""
    findings: list[Finding] = []
    for rule in RULES.values():
        findings.extend(rule(project))
    return sorted(set(findings), key=Finding.sort_key)
