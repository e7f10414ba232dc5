"""R7 gate changes alone: in a pull request, a change to what judges or shows the policies
comes without versions, so that no version is judged by a bar its own pull request sets."""

from __future__ import annotations

from fnmatch import fnmatch

from ..findings import Finding
from ..layout import split_docs_path, version_path_parts
from ..model import Project

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
    "redline_mkdocs/*",
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
