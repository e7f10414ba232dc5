"""The git history of the policies, read once: when each file was last published.

One `git log` pass over the default branch's first-parent history (merges shown against
their first parent, so a merged pull request counts on the day it was merged), plus one
`git diff` and one `git ls-files` for what is not on that branch yet (pull-request commits
and the working tree), which counts as announced today.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import gitcmd
from .findings import CannotRun, Finding
from .gitcmd import GitError, Repo

FETCH_FIX = (
    "fetch the full history: `git fetch --unshallow`, or in GitHub Actions "
    "`actions/checkout` with `fetch-depth: 0`"
)
BRANCH_CANDIDATES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


@dataclass(frozen=True)
class Change:
    """A commit on the published branch that touched a file under docs_dir."""

    commit: str
    day: date
    status: str  # A, M, D or R (the new path of a rename)
    path: str
    blob: str | None = None  # the file's git blob after the change; None once deleted
    old_path: str | None = None


@dataclass(frozen=True)
class Implausible:
    """A commit on the published branch whose date cannot prove an announcement."""

    commit: str
    day: date
    why: str  # "future" or "backwards"
    parent_day: date | None = None  # for "backwards": the day of the commit before it
    paths: tuple[str, ...] = ()  # the files under docs_dir it changed


@dataclass
class History:
    today: date
    branch: str | None  # the ref whose first-parent history counts as published
    base: str | None = None  # set in pull-request mode (--base)
    changes: dict[str, list[Change]] = field(default_factory=dict)  # by path, oldest first
    pending: dict[str, str] = field(default_factory=dict)  # path -> A/M/D, not on the branch yet
    changed: dict[str, str] = field(
        default_factory=dict
    )  # the same, whole repository, from its top
    site_prefix: str = ""  # the site's folder relative to the top of the repository, "x/" or ""
    implausible: list[Implausible] = field(default_factory=list)

    def first_published(self, path: str) -> Change | None:
        changes = self.changes.get(path)
        return changes[0] if changes else None


def _r6(path: str, message: str, fix: str) -> CannotRun:
    return CannotRun(Finding("R6", path, message, fix))


def open_repo(root: Path) -> Repo:
    try:
        return gitcmd.open_repo(root)
    except gitcmd.NotARepository:
        raise _r6(
            str(root),
            "this folder is not in a git repository, so no version has an announcement date",
            "run inside a clone of the site's repository (git clone, not a downloaded archive); "
            + FETCH_FIX,
        ) from None
    except gitcmd.GitMissing:
        raise _r6(str(root), "git is not installed", "install git") from None


def git_reader(root: Path, ref: str):
    """A reader of files as they are in commit `ref` (None for a file not there), for the
    base branch's settings. Each file is read from git once: readers ask whether a file
    exists before they read it."""
    repo = open_repo(root)

    @functools.cache
    def read(path: Path) -> bytes | None:
        try:
            rel = path.resolve().relative_to(repo.top).as_posix()
            return repo.run("show", f"{ref}:{rel}", binary=True)
        except (ValueError, GitError):
            return None

    return read


def _is_commit(repo: Repo, ref: str) -> bool:
    try:
        repo.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return True
    except GitError:
        return False


def resolve_branch(repo: Repo, wanted: str | None) -> str | None:
    candidates = (wanted,) if wanted else BRANCH_CANDIDATES
    for ref in candidates:
        if _is_commit(repo, ref):
            return ref
    if wanted:
        raise _r6(
            wanted,
            f"`{wanted}` is not a branch or commit in this repository",
            "name an existing ref, e.g. `--base origin/main`; " + FETCH_FIX,
        )
    return "HEAD" if _is_commit(repo, "HEAD") else None  # no commits: everything is new


def _day(timestamp: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(timestamp, tz).date()


def _raw_changes(commit: str, day: date, body: str, prefix: str) -> list[Change]:
    """The changes of one commit from its `--raw` lines (paths relative to docs_dir, which
    `prefix` puts back in front)."""
    out = []
    for line in body.splitlines():
        # --raw: ":100644 100644 <old blob> <new blob> <status>\t<path>[\t<new path>]"
        meta, *paths = line.split("\t")
        fields = meta.split()
        if not paths or len(fields) < 5:
            continue
        status = fields[4][0]
        blob = None if set(fields[3]) == {"0"} else fields[3]
        if status == "R" and len(paths) == 2:
            old, new = prefix + paths[0], prefix + paths[1]
            out.append(Change(commit, day, "D", old))
            out.append(Change(commit, day, "R", new, blob, old))
        else:
            out.append(Change(commit, day, status, prefix + paths[-1], blob))
    return out


def _parse_log(out: str, tz: ZoneInfo, prefix: str, history: History, limit: int) -> None:
    """Changes by path into `history`, and every commit changing docs_dir whose date cannot
    be true: later than `limit` (a Unix time), or earlier than the commit before it on the
    branch (whatever that one changed)."""
    previous: int | None = None
    for record in out.split("\x1e"):
        if not record.strip():
            continue
        header, _, body = record.partition("\n")
        commit, _, stamp = header.partition("\x1f")
        seconds = int(stamp)
        day = _day(seconds, tz)
        changes = _raw_changes(commit, day, body, prefix)
        paths = tuple(sorted({c.path for c in changes}))
        if paths and seconds > limit:
            history.implausible.append(Implausible(commit, day, "future", None, paths))
        elif paths and previous is not None and seconds < previous:
            before = _day(previous, tz)
            history.implausible.append(Implausible(commit, day, "backwards", before, paths))
        previous = seconds
        for change in changes:
            history.changes.setdefault(change.path, []).append(change)


def _limit(today: date, tz: ZoneInfo) -> int:
    """The latest commit time that can be true: an hour past the real clock (skew), or the
    end of the day the run is for when that is later (REDLINE_TODAY in the future)."""
    end_of_today = datetime.combine(today, datetime.max.time(), tzinfo=tz).timestamp()
    return int(max(time.time() + 3600, end_of_today))


def _top_and_docs(repo: Repo, root: Path, docs_dir: Path) -> tuple[Path, str]:
    """The working tree's top and docs_dir relative to it; R6 when history is unusable."""
    top = repo.top
    if repo.run("rev-parse", "--is-shallow-repository").strip() == "true":
        raise _r6(
            str(root),
            "the git history is shallow, so announcement dates cannot be known",
            FETCH_FIX,
        )
    if not docs_dir.resolve().is_relative_to(top):
        raise _r6(
            str(docs_dir),
            f"docs_dir is outside the git repository ({top}), so its history is unknown",
            "keep docs_dir (mkdocs.yml) inside the repository, e.g. `docs_dir: policies`",
        )
    return top, docs_dir.resolve().relative_to(top).as_posix()


def _published_log(repo: Repo, ref: str, docs: str, history: History, tz: ZoneInfo) -> None:
    """One `git log` over the published branch's first-parent history: every commit (each
    one's date is checked against the one it follows), with the changes under docs_dir."""
    out = repo.run(
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "-M",
        f"--relative={docs}/",
        "--format=%x1e%H%x1f%ct",
        ref,
    )
    prefix = docs[len(history.site_prefix) :] + "/"
    _parse_log(out, tz, prefix, history, _limit(history.today, tz))


def _pending(repo: Repo, ref: str | None, docs: str, history: History) -> None:
    """What is not on the published branch yet: changed since this branch left it (or ever,
    without a branch), committed or not, anywhere in the repository."""
    changed: dict[str, str] = {}
    if ref:
        # Compare with where this branch left the published one: on a branch that is behind,
        # what the published branch gained since is not this branch's doing.
        try:
            fork = repo.run("merge-base", ref, "HEAD").strip()
        except GitError:
            fork = ref
        # -z: names as they are; git would quote one holding a tab, quote or newline.
        fields = repo.run("diff", "--no-renames", "--name-status", "-z", fork).split("\0")[:-1]
        changed.update((path, status[0]) for status, path in zip(*[iter(fields)] * 2, strict=True))
    untracked = repo.run("ls-files", "-z", "--others", "--exclude-standard")
    if not ref:
        untracked += "\0" + repo.run("ls-files", "-z")
    changed.update((path, "A") for path in untracked.split("\0") if path)
    history.changed = changed
    strip = history.site_prefix
    for path, status in changed.items():
        if path.startswith(docs.rstrip("/") + "/"):
            history.pending[path[len(strip) :]] = status


def read_history(
    root: Path,
    docs_dir: Path,
    tz: ZoneInfo,
    today: date,
    base: str | None = None,
    branch: str | None = None,
) -> History:
    """Everything the rules need from git, in the same few commands whatever the size of the
    history (a few `rev-parse`, one `log`, `merge-base`, `diff` and `ls-files`)."""
    repo = open_repo(root)
    top, docs = _top_and_docs(repo, root, docs_dir)
    prefix = root.resolve().relative_to(top).as_posix()
    ref = resolve_branch(repo, base or branch)
    history = History(
        today=today, branch=ref, base=base, site_prefix="" if prefix == "." else prefix + "/"
    )
    if ref:
        _published_log(repo, ref, docs, history, tz)
    _pending(repo, ref, docs, history)
    return history
