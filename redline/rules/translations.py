"""R4 complete translations: every version in every language, the same `change` and a
`reason` in each."""

from __future__ import annotations

from pathlib import Path

from ..findings import Finding
from ..layout import version_file_name
from ..model import Project, Version
from ..sources import VersionFile
from .consistency import translation_warnings
from .frozen_history import frozen_blob


def expected_path(project: Project, version: Version, lang: str) -> str:
    """Where the version's text in `lang` is (or would be) in the repository."""
    name = version_file_name(version.effective, lang, project.settings.default_language)
    return Path(version.main.path).with_name(name).as_posix()


def _published_text_gone(project: Project, version: Version, path: str) -> bool:
    """A text of the version that was in force and is now deleted or renamed (R3's)."""
    changes = project.history.changes.get(path)
    return bool(
        changes
        and version.effective <= project.today
        and frozen_blob(changes, version.effective)[0] is not None
    )


def _missing_translation(project: Project, version: Version, lang: str) -> Finding | None:
    expected = expected_path(project, version, lang)
    if expected in project.disk or _published_text_gone(project, version, expected):
        return None  # unreadable (its own R5 finding says why), or R3's
    return Finding(
        "R4",
        expected,
        f"version {version.number} of `{version.policy}` ({version.slug}) has no `{lang}` text",
        f"add `{expected}` (a translation of `{version.main.path}`)",
    )


def _translation_findings(version: Version, f: VersionFile) -> list[Finding]:
    main, out = version.main, []
    if f.change is not None and main.change is not None and f.change != main.change:
        out.append(
            Finding(
                "R4",
                f.path,
                f"`change: {f.change}` differs from `change: {main.change}` in `{main.path}`",
                f"write `change: {main.change}` here too (or correct `{main.path}`): "
                "every language must give the same class",
                f.line_of("change"),
            )
        )
    for key in ("change", "reason"):
        if getattr(f, key) is None:
            out.append(
                Finding(
                    "R4",
                    f.path,
                    f"the translation has no `{key}`",
                    f"add `{key}:` as in `{main.path}`, translated"
                    if getattr(main, key) is not None
                    else f"add `{key}:` here and in `{main.path}`",
                    f.key_lines.get(key, 2),
                )
            )
    return out


def r4_translations(project: Project) -> list[Finding]:
    """R4: every version in every language, with the same `change` and a `reason` in each."""
    out: list[Finding] = []
    for version in project.versions:
        for lang in project.languages:
            f = version.files.get(lang)
            if f is None:
                missing = _missing_translation(project, version, lang)
                out += [missing] if missing else []
            elif version.number > 1 and f is not version.main:
                out += _translation_findings(version, f)
    return out + translation_warnings(project)
