"""`redline new`: the next version of a policy, in every language, from the text before it.

The editor then rewrites the copies. Whatever the editor must still decide is written as a
placeholder that the gate rejects: an empty `change:` (R5: required) and a `reason` holding
`TODO` (R5: placeholder). Nothing is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .config import CHANGE_CLASSES, Settings
from .findings import usage
from .layout import POLICY_ID, parse_version_name, version_file_name
from .notice import earliest_dates
from .sources import CONTROL, PLACEHOLDER, read_text, split_front_matter
from .yaml_text import line as yaml_line

CHANGE_PLACEHOLDER = f"change:  # {PLACEHOLDER}: minor or material (see `redline check`)"
REASON_PLACEHOLDER = f"{PLACEHOLDER}: why the policy changes, in this language"


@dataclass
class Draft:
    """The files `redline new` would write, and what the editor should know about them."""

    policy: str
    effective: date
    files: list[tuple[Path, str, Path]] = field(default_factory=list)  # (target, text, source)
    notes: list[str] = field(default_factory=list)  # warnings about the copies
    earliest: dict[str, date] = field(default_factory=dict)  # by class, if announced today
    warnings: list[str] = field(default_factory=list)  # the effective date is too early
    next_steps: list[str] = field(default_factory=list)


def _versions_on_disk(folder: Path, settings: Settings) -> dict[str, dict[date, Path]]:
    """Version files by language, then effective date (names that are not real dates skipped)."""
    out: dict[str, dict[date, Path]] = {}
    for path in folder.iterdir():
        name = parse_version_name(path.name)
        if name is None or name.effective is None or not path.is_file():
            continue
        out.setdefault(name.lang or settings.default_language, {})[name.effective] = path
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


def _check_request(policy: str, change: str | None, reason: str | None) -> None:
    if not POLICY_ID.match(policy):
        raise usage(
            policy,
            f"`{policy}` is not a policy id",
            "use the name of a folder under the docs folder: lower-case letters, digits, - and _",
        )
    if change is not None and change not in CHANGE_CLASSES:
        raise usage("--change", f"`{change}` is not a change class", "use minor or material")
    if reason and CONTROL.search(reason):
        raise usage(
            "--reason",
            "--reason holds a control character: it could change what a terminal or page shows",
            "write the reason as words (line breaks and tabs are fine)",
        )


def _check_targets(settings: Settings, folder: Path, effective: date, names: dict[str, str]):
    rel_folder = settings.rel(folder)
    by_lang = _versions_on_disk(folder, settings) if folder.is_dir() else {}
    if not by_lang:
        first_files = ", ".join(f"`{rel_folder}/{name}`" for name in names.values())
        raise usage(
            rel_folder,
            f"there is no policy `{folder.name}` with a version yet"
            + ("" if folder.is_dir() else f" (no folder `{rel_folder}`)"),
            "`redline new` copies the latest version; write the first version by hand: "
            f"{first_files}, each starting with a front matter block holding `title:`",
        )
    existing = [settings.rel(folder / n) for n in names.values() if (folder / n).exists()]
    if existing:
        raise usage(
            existing[0],
            f"version {effective.isoformat()} of `{folder.name}` already exists "
            f"({', '.join(existing)}); `redline new` never overwrites",
            "edit the existing files, or choose another effective date",
        )
    return by_lang


def _base_day(
    settings: Settings, folder: Path, by_lang, effective: date, announced: date | None
) -> date:
    """The effective date of the version to copy: the latest announced one (a draft not yet
    announced may still change or be dropped), else the latest one before `effective`."""
    if announced is not None:
        if effective <= announced:
            raise usage(
                settings.rel(folder),
                f"version {effective.isoformat()} would come before version "
                f"{announced.isoformat()}, which is already announced: it would renumber "
                "published versions and rewrite a published comparison",
                f"choose an effective date after {announced.isoformat()}, or correct version "
                f"{announced.isoformat()} itself (which restarts its notice)",
            )
        return announced
    main_dates = [d for d in by_lang.get(settings.default_language, {}) if d < effective]
    any_dates = [d for days in by_lang.values() for d in days if d < effective]
    if not any_dates:
        first = min(d for days in by_lang.values() for d in days)
        raise usage(
            settings.rel(folder),
            f"no version of `{folder.name}` is effective before {effective.isoformat()}, so "
            "there is nothing to copy",
            f"choose an effective date after {first.isoformat()}",
        )
    return max(main_dates or any_dates)


def _source(settings: Settings, lang: str, by_lang, base_day: date, draft: Draft) -> Path:
    """The file to copy for `lang`: its text of the base version, else the closest one."""
    days = by_lang.get(lang, {})
    if base_day in days:
        return days[base_day]
    earlier = [d for d in days if d < draft.effective]
    if earlier:
        source = days[max(earlier)]
        draft.notes.append(
            f"{lang}: version {base_day.isoformat()} has no {lang} text; copied "
            f"{settings.rel(source)}: bring it up to date"
        )
        return source
    default = by_lang.get(settings.default_language, {}).get(base_day)
    if default is not None:
        draft.notes.append(
            f"{lang}: no {lang} text to copy; copied the {settings.default_language} "
            "text: translate it"
        )
        return default
    return next(p for d in by_lang.values() for day, p in d.items() if day == base_day)


def _copy_text(meta: dict, body: str, lang: str, settings: Settings, request, draft: Draft) -> str:
    change, reason = request
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        title = PLACEHOLDER
        draft.notes.append(f"{lang}: the copied version has no title; write one")
    lines = ["---", yaml_line("title", str(title).strip())]
    if isinstance(meta.get("description"), str):
        lines.append(yaml_line("description", meta["description"]))
    lines.append(f"change: {change}" if change else CHANGE_PLACEHOLDER)
    if reason and lang == settings.default_language:
        lines.append(yaml_line("reason", reason))
    elif reason:
        lines.append(yaml_line("reason", f"{PLACEHOLDER}: translate: {reason}"))
    else:
        lines.append(yaml_line("reason", REASON_PLACEHOLDER))
    text = "\n".join([*lines, "---", "", body.lstrip("\n")])
    return text if text.endswith("\n") else text + "\n"


def plan(
    settings: Settings,
    policy: str,
    effective: date,
    change: str | None = None,
    reason: str | None = None,
    announced: date | None = None,
) -> Draft:
    """Work out the new files without writing anything; CannotRun when it must refuse.
    `announced`: the effective date of the policy's latest announced version."""
    _check_request(policy, change, reason)
    folder = settings.docs_dir / policy
    names = {
        lang: version_file_name(effective, lang, settings.default_language)
        for lang in settings.languages
    }
    by_lang = _check_targets(settings, folder, effective, names)
    base_day = _base_day(settings, folder, by_lang, effective, announced)
    draft = Draft(policy, effective)
    drafts = sorted({d for days in by_lang.values() for d in days if base_day < d < effective})
    if drafts:
        draft.notes.append(
            f"copied {base_day.isoformat()}, the latest announced version, not the draft(s) "
            f"{', '.join(d.isoformat() for d in drafts)}: bring over what they change if it stays"
        )
    for lang in settings.languages:
        source = _source(settings, lang, by_lang, base_day, draft)
        meta, body = _meta_of(source, settings)
        text = _copy_text(meta, body, lang, settings, (change, reason), draft)
        draft.files.append((folder / names[lang], text, source))
    return draft


def write(draft: Draft) -> None:
    """Create the files; `x` mode, so a file that appeared meanwhile is still not overwritten."""
    for target, text, _ in draft.files:
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def advise(
    draft: Draft, settings: Settings, today: date, change: str | None, reason: str | None
) -> None:
    """What the editor should know next: the earliest lawful dates if merged today, whether
    the chosen date is too early, and the steps left."""
    draft.earliest = earliest_dates(settings.notice_days, today)
    effective = draft.effective
    if effective < today:
        draft.warnings.append(
            f"{effective.isoformat()} is in the past: no version may take effect retroactively"
        )
    else:
        for cls in [change] if change else list(CHANGE_CLASSES):
            if effective < draft.earliest[cls]:
                draft.warnings.append(
                    f"{effective.isoformat()} is too early for a {cls} change announced today "
                    f"(earliest {draft.earliest[cls].isoformat()})"
                )
    steps = ["edit the text"]
    if not change:
        steps.append("set `change:` to minor or material")
    if not reason:
        steps.append("replace the TODO in every `reason:`")
    elif len(settings.languages) > 1:
        steps.append("translate the `reason:` marked TODO")
    draft.next_steps = steps + ["run `redline check`", "open a pull request"]
