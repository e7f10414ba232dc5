"""What the docs folder holds, file by file, judged as MkDocs would publish it.

MkDocs publishes every file of docs_dir except dot-files and `/templates/`: Markdown files
(`.md`, `.markdown`, `.mdown`, `.mkdn`, `.mkd`) as pages, `.html`/`.htm` copied as pages,
everything else copied as it is. So that what the gate judges is exactly what visitors get,
every such file must be one of:

- a version file `<policy>/<YYYY-MM-DD>[.<lang>].md`, judged by the rules;
- the home page `index.md` / `index.<lang>.md`, into which Redline writes the policy list
  (its text is judged like a version's for markup: it shows the notices too);
- an asset (stylesheet, image, font...) outside the policy folders that neither is a page
  nor looks like a version nor takes an address Redline writes itself.

Anything else is an R5 error naming the file and the fix, and is never staged for MkDocs:
a page with another Markdown extension or copied as HTML, a dated file in a folder whose
name is not a policy id (`Privacy/`, `개인정보/`), a file in a sub-folder of a policy, and a
symbolic link (MkDocs publishes what it points to, a folder's pages or a file elsewhere,
whose changes the docs folder's history does not show).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .findings import Finding
from .layout import (
    DATE_LIKE,
    POLICY_ID,
    RESERVED,
    SITE_FOLDERS,
    VersionName,
    home_file_name,
    parse_version_name,
    version_file_name,
)
from .sources import VersionFile, git_blob, read_version, text_of

MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
PAGE_SUFFIXES = (*MARKDOWN, ".html", ".htm", ".xhtml", ".shtml")
RECORDS = ("versions.json", "feed.xml")  # written by Redline at the root of each language


@dataclass
class Inventory:
    files: list[VersionFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    policy_dirs: list[str] = field(default_factory=list)
    disk: dict[str, str] = field(default_factory=dict)  # path -> git blob: policy files, links
    assets: list[str] = field(default_factory=list)  # docs-relative, staged as they are
    homes: dict[str, str] = field(default_factory=dict)  # repo-relative path -> text
    # (policy, effective, language) -> the file read for it
    read: dict[tuple[str, object, str], str] = field(default_factory=dict)


def _r5(rel: str, message: str, fix: str) -> Finding:
    return Finding("R5", rel, message, fix)


def published_files(docs: Path) -> list[Path]:
    """Every file MkDocs would read from docs_dir (no dot-files, no `/templates/`)."""
    out = []
    for path in sorted(docs.rglob("*")):
        parts = path.relative_to(docs).parts
        if any(p.startswith(".") for p in parts) or parts[0] == "templates":
            continue
        if path.is_file() or path.is_symlink():
            out.append(path)
    return out


def looks_like_a_page(name: str) -> bool:
    return name.lower().endswith(PAGE_SUFFIXES)


def looks_like_a_version(name: str) -> bool:
    return bool(DATE_LIKE.match(name))


def suggested_id(name: str) -> str:
    """A policy id for a folder name: lower-case, spaces to hyphens, Latin letters only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_name.lower()).strip("-_")
    return slug if POLICY_ID.match(slug or "-") else "privacy"


def is_policy_dir(path: Path, settings: Settings) -> bool:
    """A configured policy, or a folder with a policy id whose Markdown files are dated."""
    if path.name in settings.policies:
        return True
    if not POLICY_ID.match(path.name):
        return False
    return any(DATE_LIKE.match(p.name) and p.suffix == ".md" for p in path.iterdir())


def _name_problem(
    file_name: str, name: VersionName | None, rel: str, settings: Settings
) -> Finding | None:
    """Why a file in a policy folder cannot be a version, judged by its name alone."""
    stem = file_name.split(".")[0]
    if stem in RESERVED and looks_like_a_page(file_name):
        return _r5(
            rel,
            f"`{file_name}` is reserved: Redline generates the policy's `{stem}` page",
            "rename or remove the file; policy folders hold only version files",
        )
    if name is None:
        return _r5(
            rel,
            "the file name is not a version name (`YYYY-MM-DD.md` or `YYYY-MM-DD.<lang>.md`): "
            "policy folders hold only version files, and MkDocs would publish this one "
            "without the gate",
            "rename it to its effective date, e.g. `2027-01-15.md`; keep images and other "
            "files outside the policy folders (e.g. in `assets/`)",
        )
    if name.effective is None:
        return _r5(
            rel,
            f"{name.date_text} in the file name is not a real date",
            "rename the file to a date that exists",
        )
    if name.lang is not None and name.lang not in settings.languages:
        return Finding(
            "R4",
            rel,
            f"language `{name.lang}` is not one of the site's languages ({', '.join(settings.languages)})",
            "rename the file with a configured language suffix, or add the language to the i18n plugin",
        )
    if name.lang == settings.default_language and len(settings.languages) > 1:
        return _r5(
            rel,
            "the default language's file is written without a suffix",
            f"rename it to `{version_file_name(name.date_text, name.lang, name.lang)}`",
        )
    return None


def _version_file(path: Path, settings: Settings, folder: str, out: Inventory) -> bool:
    """Read one file of a policy folder into `out`; whether it is named as a version."""
    rel = settings.rel(path)
    raw = path.read_bytes()
    blob = out.disk[rel] = git_blob(raw)
    name = parse_version_name(path.name)
    problem = _name_problem(path.name, name, rel, settings)
    if problem is not None:
        out.findings.append(problem)
        return False
    assert name is not None and name.effective is not None
    lang = name.lang or settings.default_language
    first = out.read.setdefault((folder, name.effective, lang), rel)
    if first != rel:
        out.findings.append(_second_file(rel, first, lang))
        return True
    version_file, problems = read_version(rel, raw, blob, folder, name.effective, lang)
    out.findings.extend(problems)
    if version_file:
        out.files.append(version_file)
    return True


def _second_file(rel: str, first: str, lang: str) -> Finding:
    """A one-language site's `2024-09-01.ko.md` beside `2024-09-01.md`: one version, one
    language, two texts; the gate would judge one and the other would silently vanish."""
    return _r5(
        rel,
        f"`{first}` is already this version's text in `{lang}`: one of the two would be "
        "neither judged nor published",
        "keep one file per version and language: remove or merge this one",
    )


def _load_policy(folder: Path, files: list[Path], settings: Settings, out: Inventory) -> None:
    found = 0
    for path in files:
        if path.parent != folder:
            out.findings.append(
                _r5(
                    settings.rel(path),
                    "a policy folder holds only version files, not sub-folders: MkDocs would "
                    "publish this file without the gate",
                    f"move it out of `{settings.rel(folder)}` (images and other files into "
                    "e.g. `assets/`), or remove it",
                )
            )
            continue
        found += _version_file(path, settings, folder.name, out)
    if not found:
        out.findings.append(
            _r5(
                settings.rel(folder),
                f"policy folder `{folder.name}` has no version files",
                f"add one, e.g. `redline new {folder.name} --effective YYYY-MM-DD`, or remove the folder",
            )
        )


def _other_file(parts: tuple[str, ...], rel: str, settings: Settings) -> Finding | None:
    """Why a file outside the policy folders must not be published, or None for an asset
    (or a home page)."""
    name = parts[-1]
    homes = {home_file_name(lang, settings.default_language) for lang in settings.languages}
    if len(parts) == 1 and name in homes:
        return None
    if len(parts) == 2 and DATE_LIKE.match(name) and not POLICY_ID.match(parts[0]):
        return _r5(
            rel,
            f"`{parts[0]}` is not a policy id (lower-case letters, digits, - and _), so its "
            "dated files would be published as ordinary pages, without the gate",
            f"rename the folder to a policy id, e.g. `{suggested_id(parts[0])}`",
        )
    if looks_like_a_page(name) or looks_like_a_version(name):
        what = "looks like a version" if looks_like_a_version(name) else "is a page"
        return _r5(
            rel,
            f"this file {what} that MkDocs would publish without the gate: only version "
            "files (`<policy>/YYYY-MM-DD[.<lang>].md`) and the home pages are published",
            "make it a version of a policy (`<policy>/YYYY-MM-DD.md`), put its text in the "
            "home page, or remove it",
        )
    if name in RECORDS and (
        len(parts) == 1 or (len(parts) == 2 and parts[0] in settings.languages)
    ):
        return _r5(rel, f"`{name}` is written by Redline at this address", "remove or rename it")
    return None


def _home(path: Path, settings: Settings, out: Inventory) -> None:
    """A home page's text, read as a version's is (not UTF-8, control characters: R5)."""
    rel = settings.rel(path)
    text = text_of(path.read_bytes(), rel, out.findings)
    if text is not None:
        out.homes[rel] = text


def _link(path: Path, settings: Settings, out: Inventory) -> None:
    """A symbolic link: refused, and its path recorded with the blob git stores for it."""
    rel = settings.rel(path)
    out.disk[rel] = git_blob(os.fsencode(os.readlink(path)))
    out.findings.append(
        _r5(
            rel,
            "this is a symbolic link: MkDocs would publish what it points to, without the "
            "gate, and its changes would not show in the docs folder's history",
            "replace the link with the file (or folder) itself, or remove it",
        )
    )


def load_inventory(settings: Settings) -> Inventory:
    """Every file of docs_dir: versions read, assets listed, anything else an R5 finding."""
    out = Inventory()
    docs = settings.docs_dir
    if not docs.is_dir():
        return out
    by_folder: dict[str, list[Path]] = {}
    for path in published_files(docs):
        parts = path.relative_to(docs).parts
        if path.is_symlink():
            _link(path, settings, out)
            continue
        if len(parts) > 1 and is_policy_dir(docs / parts[0], settings):
            by_folder.setdefault(parts[0], []).append(path)
            continue
        problem = _other_file(parts, settings.rel(path), settings)
        if problem is not None:
            out.findings.append(problem)
        elif len(parts) == 1 and path.suffix == ".md":
            _home(path, settings, out)
        else:
            out.assets.append("/".join(parts))
    for folder, files in sorted(by_folder.items()):
        taken = _taken_address(folder, settings)
        if taken is not None:
            out.findings.append(taken)
            continue
        out.policy_dirs.append(folder)
        _load_policy(docs / folder, files, settings, out)
    return out


def _taken_address(folder: str, settings: Settings) -> Finding | None:
    """A policy folder whose address the site already uses: its pages would be overwritten
    (a language's home page over the policy page of `en/`), so its versions would vanish."""
    if folder not in settings.languages and folder not in SITE_FOLDERS:
        return None
    what = "a language's pages" if folder in settings.languages else "the site's own files"
    return _r5(
        settings.rel(settings.docs_dir / folder),
        f"the policy folder `{folder}` takes the address `/{folder}/`, where {what} are "
        "published: its pages would be overwritten",
        f"rename the folder, e.g. `{folder}-policy`",
    )
