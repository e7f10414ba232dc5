"""R3 frozen history: a version file is never changed, renamed or deleted once in force, and no
new version is dated before an announced one (it would renumber published versions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..findings import Finding
from ..history import Change
from ..layout import docs_prefix, version_path_parts
from ..ledger import Announcement, Recorded
from ..model import Policy, Project, Version
from .common import fmt


def frozen_blob(changes: list[Change], effective: date) -> tuple[str | None, int]:
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
        frozen, later = frozen_blob(changes, name.effective)
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


def _imported_after_announced(project: Project) -> list[Finding]:
    """Imported history (dated before `adopted`) is exempt from notice because it was public
    before Redline: it comes in one step (or was committed before `adopted`). One announced later than another version, and
    dated after every version announced before it, would become the text in force the
    day it is announced, with no notice and from a day already past."""
    adopted, out = project.settings.adopted, []
    for policy in project.policies.values():
        for v in policy.versions:
            if not v.imported or adopted is None or v.first_announced < adopted:
                continue  # in the repository before Redline was adopted: history indeed
            earlier = [
                u.effective for u in policy.versions if u.first_announced < v.first_announced
            ]
            if not earlier or max(earlier) > v.effective:
                continue
            out.append(
                Finding(
                    "R3",
                    v.main.path,
                    f"version {v.slug} is dated before `adopted` (imported history, exempt "
                    f"from notice) but announced on {fmt(v.first_announced)}, after the "
                    f"policy's versions up to {max(earlier).isoformat()}: it would take effect "
                    "at once, with no notice",
                    "make it an amendment dated no earlier than the notice allows (`redline "
                    "new`); imported history is added in one step, before the policy is "
                    "published",
                    v.main.line_of("change"),
                )
            )
    return out


def text_in_force(recorded: Recorded) -> Announcement | None:
    """The recorded text that took effect: the last announced before the effective date (the
    first one, for a version first recorded after it took effect)."""
    known = [a for a in recorded.announcements if a.texts]
    before = [a for a in known if a.day < recorded.effective]
    return before[-1] if before else (known[0] if known else None)


def _differs_from_ledger(project: Project, version: Version, recorded: Recorded) -> Finding | None:
    frozen = text_in_force(recorded)
    if frozen is None or frozen.texts is None:
        return None
    changed = [
        f
        for lang, f in sorted(version.files.items())
        if frozen.texts.get(lang, f.sha256) != f.sha256
    ]
    if not changed:
        return None
    f = changed[0]
    return Finding(
        "R3",
        f.path,
        f"this version took effect on {fmt(version.effective)} with the text the site "
        f"published on {fmt(frozen.day)} (SHA-256 {frozen.texts[f.lang][:16]}...), and the "
        "file now holds another; a version in force or superseded is frozen",
        "restore the file exactly as it was published (its SHA-256 is in the site's "
        "versions.json) and publish the correction as a new version (`redline new "
        f"{version.policy} --effective YYYY-MM-DD`)",
    )


def _ledger_findings(project: Project) -> list[Finding]:
    """With the published ledger: what took effect stays as published, whatever git says."""
    if project.ledger is None:
        return []
    out = []
    for version in project.versions:
        recorded = project.ledger.get(version.policy, version.effective)
        if recorded and version.effective <= project.today and not recorded.withdrawn:
            found = _differs_from_ledger(project, version, recorded)
            out += [found] if found else []
    for recorded in project.recorded_only():
        if recorded.withdrawn is None and recorded.effective <= project.today:
            path = next(iter(recorded.paths.values()), f"{recorded.policy}/{recorded.effective}")
            out.append(
                Finding(
                    "R3",
                    path,
                    f"version {recorded.effective.isoformat()} of `{recorded.policy}` is published "
                    "and took effect, but it is gone from the repository; earlier versions must "
                    "stay available",
                    "restore its files exactly as published (their SHA-256 are in the site's "
                    "versions.json); a version can be withdrawn only before it takes effect",
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
    out += _inserted_before_announced(project) + _imported_after_announced(project)
    out += _ledger_findings(project)
    for pid in sorted(retired):
        out.append(
            Finding(
                "R3",
                f"{prefix}{pid}",
                f"the policy `{pid}` is removed, but its versions took effect: every earlier "
                "version must stay available (the published ledger refuses this too, so the "
                "site could not be deployed)",
                f"restore the folder (`git checkout {base} -- {prefix}{pid}`); a policy no "
                "longer used keeps its versions, and a renamed one keeps its folder's name",
            )
        )
    return out
