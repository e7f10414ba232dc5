"""Machine-readable records written next to the site: feeds and versions.json (issue 5)."""

from __future__ import annotations

from pathlib import Path

from .model import Project
from .site import Site


def write_records(project: Project, site: Site, site_dir: Path, site_url: str) -> None:
    """Placeholder until the records issue lands: nothing is written yet."""
