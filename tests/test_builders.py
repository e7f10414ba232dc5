"""The legal guarantees do not depend on the builder: another builder gives the same site,
and a site built without Redline's hook (or not today) is refused before it is uploaded.

MkDocs 1.x is unmaintained and Material for MkDocs reaches end of life on 2027-05-05; its
successor Zensical runs neither hooks nor the i18n plugin yet. ProperDocs is the maintained
drop-in fork of MkDocs 1.x.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import history, run
from conftest import NOTICE_DAY, PROJECT

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def build(builder: str, cwd: Path, dest: Path, today: str, *extra: str):
    env = {**os.environ, "REDLINE_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(BIN / builder), "build", "--strict", "-d", str(dest), *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
    )


def files(root: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            out[path.relative_to(root).as_posix()] = GENERATOR.sub(b"", data)
    return out


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    assert build("mkdocs", PROJECT, tmp_path / "mkdocs", NOTICE_DAY).returncode == 0
    done = build("properdocs", PROJECT, tmp_path / "properdocs", NOTICE_DAY)
    assert done.returncode == 0, done.stderr
    a, b = files(tmp_path / "mkdocs"), files(tmp_path / "properdocs")
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == [], different[:5]  # apart from the generator's name, byte-identical
    assert b"mkdocs-ProperDocs" in (tmp_path / "properdocs/index.html").read_bytes()


def test_a_site_built_without_the_hook_is_refused(site_repo, tmp_path):
    repo = history(site_repo)
    config = repo.path / "mkdocs.yml"
    plain = repo.path / "plain.yml"
    plain.write_text(
        re.sub(r"hooks:\n  - .*\n", "", config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    done = build("mkdocs", repo.path, tmp_path / "plain", "2024-07-01", "-f", str(plain))
    assert done.returncode == 0, done.stderr  # MkDocs itself publishes the raw files
    result = run(repo, "check", "--site", str(tmp_path / "plain"), today="2024-07-01", writes=True)
    assert result.code == 1 and "no readable versions.json" in result.out
    assert build("mkdocs", repo.path, tmp_path / "good", "2024-07-01").returncode == 0
    assert (
        run(repo, "check", "--site", str(tmp_path / "good"), today="2024-07-01", writes=True).code
        == 0
    )
    # Yesterday's site is not today's: a version may have gone into force since.
    late = run(repo, "check", "--site", str(tmp_path / "good"), today="2024-07-02", writes=True)
    assert late.code == 1 and "not for today" in late.out
