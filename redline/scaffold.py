"""`redline new`: the next version of a policy, in every language, from the text before it.

The editor then rewrites the copies. Whatever the editor must still decide is written as a
placeholder that the gate rejects: an empty `change:` (R5: required) and a `reason` holding
`TODO` (R5: placeholder). Nothing is ever overwritten.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .config import CHANGE_CLASSES, POLICY_ID, Settings
from .findings import CannotRun, Finding
from .sources import PLACEHOLDER, VERSION_NAME, read_text, split_front_matter

CHANGE_PLACEHOLDER = f"change:  # {PLACEHOLDER}: minor or material (see `redline check`)"
REASON_PLACEHOLDER = f"{PLACEHOLDER}: why the policy changes, in this language"
KEPT_KEYS = ("title", "description")


@dataclass
class Draft:
    """The files `redline new` would write, and what the editor should know about them."""

    policy: str
    effective: date
    files: list[tuple[Path, str, Path]] = field(default_factory=list)  # (target, text, source)
    notes: list[str] = field(default_factory=list)  # warnings about the copies


def usage(path: str, message: str, fix: str) -> CannotRun:
    return CannotRun(Finding("usage", path, message, fix))


def _yaml_line(key: str, value: str) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    buf = io.StringIO()
    yaml.dump({key: value}, buf)
    return buf.getvalue().rstrip("\n")


def _versions_on_disk(folder: Path, settings: Settings) -> dict[str, dict[date, Path]]:
    """Version files by language, then effective date (names that are not real dates skipped)."""
    out: dict[str, dict[date, Path]] = {}
    for path in folder.iterdir():
        m = VERSION_NAME.match(path.name)
        if not m or not path.is_file():
            continue
        try:
            day = date.fromisoformat(m["date"])
        except ValueError:
            continue
        out.setdefault(m["lang"] or settings.default_language, {})[day] = path
    return out


def _meta_of(path: Path, settings: Settings) -> tuple[dict, str]:
    try:
        text = read_text(path)
    except OSError as exc:
        raise usage(
            settings.rel(path), f"cannot read the file: {exc.strerror}", "check its permissions"
        ) from None
    yaml_text, body, body_line = split_front_matter(text)
    meta: dict = {}
    if yaml_text and body_line:
        try:
            meta = dict(YAML(typ="safe").load(yaml_text) or {})
        except (YAMLError, ValueError, TypeError):
            raise usage(
                settings.rel(path),
                "the version to copy has front matter that does not parse",
                "fix it first (`redline check` shows where), then run `redline new` again",
            ) from None
    elif yaml_text is None:
        body = text
    return meta, body


def plan(
    settings: Settings,
    policy: str,
    effective: date,
    change: str | None = None,
    reason: str | None = None,
) -> Draft:
    """Work out the new files without writing anything; CannotRun when it must refuse."""
    folder = settings.docs_dir / policy
    rel_folder = settings.rel(folder)
    if not POLICY_ID.match(policy):
        raise usage(
            policy,
            f"`{policy}` is not a policy id",
            "use the name of a folder under the docs folder: lower-case letters, digits, - and _",
        )
    if change is not None and change not in CHANGE_CLASSES:
        raise usage("--change", f"`{change}` is not a change class", "use minor or material")
    suffix = {
        lang: "" if lang == settings.default_language else f".{lang}" for lang in settings.languages
    }
    first_files = ", ".join(
        f"`{rel_folder}/{effective.isoformat()}{s}.md`" for s in suffix.values()
    )
    by_lang = _versions_on_disk(folder, settings) if folder.is_dir() else {}
    if not by_lang:
        raise usage(
            rel_folder,
            f"there is no policy `{policy}` with a version yet"
            + ("" if folder.is_dir() else f" (no folder `{rel_folder}`)"),
            "`redline new` copies the latest version; write the first version by hand: "
            f"{first_files}, each starting with a front matter block holding `title:`",
        )
    existing = [
        settings.rel(folder / f"{effective.isoformat()}{s}.md")
        for s in suffix.values()
        if (folder / f"{effective.isoformat()}{s}.md").exists()
    ]
    if existing:
        raise usage(
            existing[0],
            f"version {effective.isoformat()} of `{policy}` already exists "
            f"({', '.join(existing)}); `redline new` never overwrites",
            "edit the existing files, or choose another effective date",
        )
    main_dates = [d for d in by_lang.get(settings.default_language, {}) if d < effective]
    any_dates = [d for days in by_lang.values() for d in days if d < effective]
    if not any_dates:
        raise usage(
            rel_folder,
            f"no version of `{policy}` is effective before {effective.isoformat()}, so there is "
            "nothing to copy",
            f"choose an effective date after {min(d for days in by_lang.values() for d in days).isoformat()}",
        )
    base_day = max(main_dates or any_dates)
    draft = Draft(policy, effective)
    default_source: Path | None = by_lang.get(settings.default_language, {}).get(base_day)
    for lang in settings.languages:
        days = by_lang.get(lang, {})
        source = days.get(base_day)
        if source is None:
            earlier = [d for d in days if d < effective]
            if earlier:
                source = days[max(earlier)]
                draft.notes.append(
                    f"{lang}: version {base_day.isoformat()} has no {lang} text; copied "
                    f"{settings.rel(source)}: bring it up to date"
                )
            elif default_source is not None:
                source = default_source
                draft.notes.append(
                    f"{lang}: no {lang} text to copy; copied the {settings.default_language} "
                    f"text: translate it"
                )
            else:
                source = next(
                    p for d in by_lang.values() for day, p in d.items() if day == base_day
                )
        meta, body = _meta_of(source, settings)
        lines = ["---"]
        title = meta.get("title")
        if not isinstance(title, str) or not title.strip():
            title = PLACEHOLDER
            draft.notes.append(f"{lang}: the copied version has no title; write one")
        lines.append(_yaml_line("title", str(title).strip()))
        if isinstance(meta.get("description"), str):
            lines.append(_yaml_line("description", meta["description"]))
        lines.append(f"change: {change}" if change else CHANGE_PLACEHOLDER)
        if reason and lang == settings.default_language:
            lines.append(_yaml_line("reason", reason))
        elif reason:
            lines.append(_yaml_line("reason", f"{PLACEHOLDER}: translate: {reason}"))
        else:
            lines.append(_yaml_line("reason", REASON_PLACEHOLDER))
        lines += ["---", "", body.lstrip("\n")]
        text = "\n".join(lines)
        if not text.endswith("\n"):
            text += "\n"
        target = folder / f"{effective.isoformat()}{suffix[lang]}.md"
        draft.files.append((target, text, source))
    return draft


def write(draft: Draft) -> None:
    """Create the files; `x` mode, so a file that appeared meanwhile is still not overwritten."""
    for target, text, _ in draft.files:
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def earliest_dates(settings: Settings, today: date) -> dict[str, date]:
    """The earliest lawful effective date of each class, if announced today."""
    return {c: today + timedelta(days=settings.notice_days[c]) for c in CHANGE_CLASSES}
