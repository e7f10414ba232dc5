"""The built site carries Redline's records: a check after any builder.

Every legal guarantee lives in the engine and the command line, not in the MkDocs hook, so
that a builder that ignores hooks (or a misconfigured one) cannot publish an ungated site
silently. After the build, `redline check --site DIR` compares the built folder with the
model as of today: `versions.json` is there, written for today, and lists exactly the
published versions with the SHA-256 of their files; every published version has its
permanent page in every language; no version that is not announced yet has one.
"""

from __future__ import annotations

from pathlib import Path

from .findings import Finding
from .ledger import load_json
from .model import Project
from .timeline import timeline
from .urls import Urls


def _finding(path: str, message: str, fix: str) -> Finding:
    return Finding(
        "site",
        path,
        message,
        fix + " (build with `mkdocs build --strict`, whose Redline hook writes the records)",
    )


def _expected(project: Project) -> dict[tuple[str, str, str], str]:
    """(policy, effective, language) -> SHA-256 of every version published as of today."""
    out = {}
    for policy in project.policies.values():
        for entry in timeline(policy, project.today).entries:
            for lang, f in entry.version.files.items():
                out[(policy.id, entry.version.slug, lang)] = f.sha256
    return out


def _recorded(document: dict) -> dict[tuple[str, str, str], str]:
    return {
        (p["id"], v["effective"], lang): str(f["sha256"])
        for p in document["policies"]
        for v in p["versions"]
        for lang, f in v["languages"].items()
    }


def _records(project: Project, site: Path, expected: dict) -> list[Finding]:
    path = site / "versions.json"
    try:
        document = load_json(path.read_bytes())
        recorded = _recorded(document)
    except (OSError, ValueError, KeyError, TypeError):
        return [_finding(str(path), "the built site has no readable versions.json", "rebuild it")]
    out = []
    if document.get("generated_for") != project.today.isoformat():
        out.append(
            _finding(
                str(path),
                f"versions.json was written for {document.get('generated_for')}, not for today "
                f"({project.today.isoformat()})",
                "rebuild the site today",
            )
        )
    if recorded != expected:
        wrong = sorted(set(recorded.items()) ^ set(expected.items()))
        policy, effective, lang = wrong[0][0]
        out.append(
            _finding(
                str(path),
                f"versions.json does not list the published versions as the repository has "
                f"them ({len(wrong)} difference(s), first: {policy} {effective} {lang})",
                "rebuild the site from this commit",
            )
        )
    return out


def _pages(project: Project, site: Path, expected: dict) -> list[Finding]:
    out = []
    default = project.settings.default_language
    published = {(p, e) for p, e, _ in expected}
    for v in project.versions:
        for lang in v.files:
            page = site / Urls(lang, default).version(v.policy, v.slug) / "index.html"
            shown = page.is_file()
            if (v.policy, v.slug) in published and not shown:
                out.append(_finding(str(page), "a published version has no page", "rebuild it"))
            elif (v.policy, v.slug) not in published and shown:
                out.append(
                    _finding(str(page), "a version not announced yet has a page", "rebuild it")
                )
    return out


def check_site(project: Project, site: Path) -> list[Finding]:
    """What is wrong with the built site at `site`, as of the project's day."""
    if not site.is_dir():
        return [_finding(str(site), "there is no built site here", "build it first")]
    expected = _expected(project)
    return _records(project, site, expected) + _pages(project, site, expected)
