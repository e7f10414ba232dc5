"""Running the `redline` command in tests: in-process (`cli.main`) or as a real subprocess.

Every run checks that the command left the user's files exactly as they were (hash of every
file outside .git before and after), unless the command is one that writes (`new`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitekit import SiteRepo

from redline import cli
from redline.config import load_settings
from redline.model import Project, load_project


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every file under root, .git excluded."""
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = Path(folder) / name
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(
    repo: SiteRepo | Path,
    *args: str,
    today: str | None = None,
    writes: bool = False,
    env: dict | None = None,
) -> Result:
    """`redline --config-file <repo>/mkdocs.yml ARGS` in this process."""
    root = repo.path if isinstance(repo, SiteRepo) else Path(repo)
    before = snapshot(root)
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in ("REDLINE_TODAY", *(env or {}))}
    os.environ.pop("REDLINE_TODAY", None)
    if today:
        os.environ["REDLINE_TODAY"] = today
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["--config-file", str(root / "mkdocs.yml"), *args])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if not writes:
        assert snapshot(root) == before, f"`redline {' '.join(args)}` modified the user's files"
    return Result(code, out.getvalue(), err.getvalue())


def run_process(repo: SiteRepo, *args: str, today: str | None = None) -> Result:
    """The real command, `python -m redline ARGS`, run in the repository's folder."""
    before = snapshot(repo.path)
    proc = repo.redline(*args, today=today)
    assert snapshot(repo.path) == before, f"`redline {' '.join(args)}` modified the user's files"
    return Result(proc.returncode, proc.stdout, proc.stderr)


def project(repo: SiteRepo, today: str, base: str | None = None) -> Project:
    return load_project(load_settings(repo.path / "mkdocs.yml"), date.fromisoformat(today), base)


def history(repo: SiteRepo) -> SiteRepo:
    """v1 effective 2024-03-01 (committed 2024-02-01), v2 minor 2024-06-01 (committed 2024-05-01)."""
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01", "v1")
    repo.version(
        "privacy", "2024-06-01", change="minor", reason="연락처 변경", extra="연락처를 바꿉니다."
    )
    repo.commit("2024-05-01", "v2")
    return repo
