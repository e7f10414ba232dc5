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
from .model import Policy, Project, Version
from .sources import PLACEHOLDER, VERSION_NAME, git_blob


def fmt(day: date) -> str:
    return day.isoformat()


def notice_days(project: Project, version: Version) -> int:
    return project.settings.notice_days[version.change or "material"]


def is_pending(project: Project, version: Version) -> bool:
    """Part of the pull request or the working tree, not yet on the default branch."""
    return any(f.path in project.history.pending for f in version.files.values())


def exempt(version: Version) -> bool:
    """The first version has nothing to give notice of; imported ones predate Redline."""
    return version.number == 1 or version.imported


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


def rename_fix(version: Version, day: date) -> str:
    names = ", ".join(f"`{Path(f.path).name}`" for f in version.files.values())
    return f"rename {names} to the effective date {fmt(day)} or later"


def r1_notice_window(project: Project) -> list[Finding]:
    out = []
    for policy in project.policies.values():
        for version in policy.versions:
            if exempt(version) or version.change is None or version.effective < version.announced:
                continue  # retroactive versions are R5's
            d = deadline(project, version)
            if d.lawful:
                continue
            given = (version.effective - version.announced).days
            when = (
                "today (not merged yet)" if is_pending(project, version) else fmt(version.announced)
            )
            fix = (
                f"{rename_fix(version, d.earliest)} (announced {when}, a {version.change} change "
                f"needs {d.notice} days' notice)"
            )
            if project.history.base and is_pending(project, version):
                fix += (
                    f"; to keep {fmt(version.effective)} it had to be merged by {fmt(d.merge_by)}"
                )
            out.append(
                Finding(
                    "R1",
                    version.main.path,
                    f"a {version.change} amendment effective {fmt(version.effective)} gets only "
                    f"{given} day(s) of notice (announced {when}); {d.notice} are required",
                    fix,
                    version.main.line_of("change"),
                )
            )
    return out


def changed_sections(policy: Policy, version: Version) -> set[str]:
    """Ids of the sections whose text differs from the previous version (authoritative text)."""
    previous = policy.previous(version)
    if previous is None:
        return set()
    diff = diff_documents(previous.main.body, version.main.body)
    return {s.id for s in diff.sections if s.status != "unchanged"}


def r2_materiality(project: Project) -> list[Finding]:
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
                out.append(
                    Finding(
                        "R2",
                        version.main.path,
                        f"the amendment changes material section(s) {', '.join(touched)} "
                        "but is marked `change: minor`",
                        "write `change: material` in every language and give at least "
                        f"{project.settings.notice_days['material']} days' notice",
                        version.main.line_of("change"),
                    )
                )
    return out


def _frozen_blob(changes: list, effective: date) -> tuple[str | None, int]:
    """The blob the file had when it took effect, and the index of the first later change."""
    before = [i for i, c in enumerate(changes) if c.day < effective and c.blob]
    if before:
        i = before[-1]
        if changes[i].status == "D":
            return None, len(changes)
        return changes[i].blob, i + 1
    if changes and changes[0].blob:  # added on or after its effective date: frozen from then
        return changes[0].blob, 1
    return None, len(changes)


def r3_frozen_history(project: Project) -> list[Finding]:
    out = []
    history = project.history
    current = {
        f.path: f.blob
        for p in project.policies.values()
        for v in p.versions
        for f in v.files.values()
    }
    docs = project.settings.docs_dir
    live_policies = set(project.policy_dirs)
    retired: set[str] = set()
    for path, changes in sorted(history.changes.items()):
        rel_to_docs = project.settings.rel(docs)
        if not path.startswith(rel_to_docs.rstrip("/") + "/") and rel_to_docs != ".":
            continue
        parts = Path(path).relative_to(rel_to_docs).parts
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
        if blob is None and parts[0] not in live_policies:
            retired.add(parts[0])
            continue
        culprit = next((c for c in changes[later:] if c.blob != frozen), None)
        when = (
            f"on {fmt(culprit.day)} (commit {culprit.commit[:10]})"
            if culprit and path not in history.pending
            else "in this change (not merged yet)"
        )
        what = "deleted or renamed" if blob is None else "changed"
        out.append(
            Finding(
                "R3",
                path,
                f"this version took effect on {fmt(effective)} and was {what} {when}; "
                "a version in force or superseded is frozen",
                "restore the file exactly as it was published (e.g. `git checkout <base> -- "
                f"{path}`) and publish the correction as a new version (`redline new {parts[0]} "
                "--effective YYYY-MM-DD`)",
            )
        )
    for pid in sorted(retired):
        out.append(
            Finding(
                "R3",
                f"{project.settings.rel(docs)}/{pid}",
                f"the policy `{pid}` was removed: it is retired and its pages are no longer published",
                "nothing to do if this is intended; restore the folder from git to publish it again",
                severity=WARNING,
            )
        )
    return out


def r4_translations(project: Project) -> list[Finding]:
    out = []
    languages = project.languages
    for policy in project.policies.values():
        for version in policy.versions:
            main = version.main
            for lang in languages:
                f = version.files.get(lang)
                if f is None:
                    suffix = "" if lang == project.settings.default_language else f".{lang}"
                    expected = str(Path(main.path).with_name(f"{version.slug}{suffix}.md"))
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
                            f"`change: {f.change}` differs from `change: {main.change}` in `{main.path}`",
                            "give the same class in every language",
                            f.line_of("change"),
                        )
                    )
                for key in ("change", "reason"):
                    if getattr(f, key) is None and getattr(main, key) is not None:
                        out.append(
                            Finding(
                                "R4",
                                f.path,
                                f"the translation has no `{key}`",
                                f"add `{key}:` as in `{main.path}`, translated",
                                2,
                            )
                        )
    return out


def r5_valid_input(project: Project) -> list[Finding]:
    out = list(project.findings)
    for policy in project.policies.values():
        for version in policy.versions:
            main = version.main
            if version.number > 1:
                for key in ("change", "reason"):
                    if getattr(main, key) is None:
                        out.append(
                            Finding(
                                "R5",
                                main.path,
                                f"`{key}` is required for every version but the first",
                                "add `change: minor` or `change: material`"
                                if key == "change"
                                else "add `reason: ...` saying why the policy changes",
                                2,
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
            if not version.imported and version.effective < version.announced:
                when = (
                    "today (not merged yet)"
                    if is_pending(project, version)
                    else fmt(version.announced)
                )
                earliest = version.announced + timedelta(
                    days=notice_days(project, version) if version.number > 1 else 0
                )
                out.append(
                    Finding(
                        "R5",
                        main.path,
                        f"the version is effective {fmt(version.effective)}, before it was announced "
                        f"({when}): no version may take effect retroactively",
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
