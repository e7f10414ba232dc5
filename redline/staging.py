"""The docs folder MkDocs actually reads: the editor's files plus the generated pages.

Generated pages are written as real Markdown files so that static-i18n, search, the sitemap
and the language switcher treat them like any page. Version files are never copied as they
are: only the published ones reach the site, through their generated pages; of the editor's
other files only the assets the inventory accepted are linked in. The user's folder is never
written to (a symbolic link in it is refused by the inventory, so none is ever linked in).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .pages import Page

# A RAM filesystem spares the disk journal 1,600 file creations on a large site (0.3-0.6 s of
# a 20 s build measured on ext4); used only with ample room, as containers often give 64 MB.
RAM_DIR = Path("/dev/shm")


def staging_root(size: int) -> Path:
    """Where to stage `size` bytes of pages: RAM when it has four times that free, else the
    temporary directory (always, when TMPDIR names one)."""
    if os.environ.get("TMPDIR"):
        return Path(tempfile.gettempdir())
    try:
        usable = RAM_DIR.is_dir() and os.access(RAM_DIR, os.W_OK | os.X_OK)
        if usable and shutil.disk_usage(RAM_DIR).free >= 4 * size + 2**26:
            return RAM_DIR
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def stage(docs_dir: Path, staging: Path, pages: list[Page], assets: list[str]) -> None:
    """The generated pages and the editor's assets (linked, not copied), nothing else: a
    file the inventory did not accept never reaches MkDocs."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    generated = {p.src for p in pages}
    for rel in assets:
        if rel in generated:
            continue
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(docs_dir / rel, target)
    for page in pages:
        target = staging / page.src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
