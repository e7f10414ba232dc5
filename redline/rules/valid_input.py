"""R5 valid input: files that parse with the keys they need, no placeholder (in `reason`, or
a line of a text not yet in force), nothing retroactive, sections with ids of their own that
the page shows, only the markup of a text, home pages that show the list of policies as
written (no template of their own, the list outside code and comments), and settings that
name policies and sections that exist."""

from __future__ import annotations

import difflib
import re

from ..findings import Finding
from ..markup import EXTENSIONS, MAX_DEPTH, link_definitions, markup_problems, too_deep
from ..model import Policy, Project, Version
from ..notice import earliest, required_days
from ..pages import HOME_MARKER
from ..sources import PLACEHOLDER, VersionFile, mkdocs_page
from ..structure import heading_problems
from .common import fmt, rename_fix
from .consistency import stated_date_warnings


def renamed_blobs(project: Project) -> set[str]:
    """Blobs of published version files that are gone from their path (deleted or renamed)."""
    out = set()
    for path, changes in project.history.changes.items():
        if path not in project.disk:
            blob = next((c.blob for c in reversed(changes) if c.blob), None)
            if blob:
                out.add(blob)
    return out


def _required_keys(version: Version) -> list[Finding]:
    main, out = version.main, []
    if version.number == 1:
        return out
    for key in ("change", "reason"):
        if getattr(main, key) is not None:
            continue
        present = key in main.key_lines  # `change:` left empty by `redline new`
        out.append(
            Finding(
                "R5",
                main.path,
                f"`{key}` is {'empty' if present else 'missing'}: it is required for "
                "every version but the first",
                "write `change: minor` or `change: material` (material if it is "
                "unfavourable to users or changes what personal information is "
                "processed, why, by whom, where or for how long)"
                if key == "change"
                else "write `reason: ...` saying why the policy changes",
                main.key_lines.get(key, 2),
            )
        )
    return out


def _notice_date(version: Version) -> list[Finding]:
    """`announced:` tells the notice day of imported history only; for a version published
    through Redline the day comes from its publication, never from its own text."""
    if version.imported:
        return []
    return [
        Finding(
            "R5",
            f.path,
            "`announced:` is for history imported from before Redline (effective before "
            "`adopted`); this version's announcement day is the day it is published",
            "remove `announced:`",
            f.line_of("announced"),
        )
        for f in version.files.values()
        if f.notice_date is not None
    ]


def _placeholders(version: Version) -> list[Finding]:
    return [
        Finding(
            "R5",
            f.path,
            "`reason` still holds the placeholder written by `redline new`",
            "replace it with why the policy changes, in this file's language",
            f.line_of("reason"),
        )
        for f in version.files.values()
        if f.reason and PLACEHOLDER in f.reason
    ]


def _text_placeholders(f: VersionFile) -> list[Finding]:
    """Lines of the text still holding a placeholder (`TODO: ...`, as `redline init` writes
    them in a new policy's first version)."""
    marker = f"{PLACEHOLDER}:"
    lines = [
        number
        for number, text in enumerate(f.body.splitlines(), start=f.body_line)
        if text.lstrip().startswith(marker)
    ]
    if not lines:
        return []
    more = lines[1:]
    also = f" (also line{'s' if len(more) > 1 else ''} {', '.join(map(str, more))})" if more else ""
    return [
        Finding(
            "R5",
            f.path,
            f"the text still holds a placeholder line starting with `{marker}`{also}",
            f"replace each line starting with `{marker}` with the policy's own words for that "
            "section, in this file's language",
            lines[0],
        )
    ]


def _retroactive(project: Project, version: Version, moved: set[str]) -> list[Finding]:
    first = version.first_announced
    # A published file moved to a new name is R3's (rename it back), not a new version.
    renamed = all(f.blob in moved for f in version.files.values())
    if version.imported or version.effective >= first or renamed:
        return []
    when = f"today, {fmt(first)}" if version.pending else fmt(first)
    notice = required_days(project.settings.notice_days, version)
    return [
        Finding(
            "R5",
            version.main.path,
            f"the version is effective {fmt(version.effective)}, before it was "
            f"announced ({when}): no version may take effect retroactively",
            rename_fix(version, earliest(first, notice))
            + "; if it is older history imported into Redline, set "
            f"`extra.redline.adopted` to a date after {fmt(version.effective)}",
        )
    ]


def _headings(f: VersionFile) -> list[Finding]:
    return [
        Finding("R5", f.path, p.message, p.fix, f.body_line + p.line - 1)
        for p in heading_problems(f.body)
    ]


def _link_definitions(f: VersionFile) -> list[Finding]:
    """A link's address defined apart from the link: R2 compares each section's own text, so
    an address changed in one section would move a material section's link unseen."""
    return [
        Finding(
            "R5",
            f.path,
            f"`{label}:` defines a link's address apart from the link: a change of the "
            "address would change the sections showing the link while their text is unchanged",
            f"write each link where it stands, `[text](https://...)`, and delete `{label}:`",
            f.body_line + line - 1,
        )
        for label, line in link_definitions(f.body)
    ]


def _nesting(path: str, body: str, body_line: int) -> list[Finding]:
    """A text indented past any legal text's depth: Python-Markdown gives up near 250 levels
    and the build would die with a traceback where the gate had passed."""
    line = too_deep(body)
    if line is None:
        return []
    return [
        Finding(
            "R5",
            path,
            f"the text is nested more than {MAX_DEPTH} levels deep here (lists or blocks "
            "inside one another): its page could not be built",
            "indent it less: a policy's items go a few levels deep (제N조 > ① > 1. > 가.)",
            body_line + line - 1,
        )
    ]


def _markup(path: str, body: str, body_line: int) -> list[Finding]:
    out = []
    for what, written in markup_problems(body):
        offset = body.find(written[: written.find(" ") if " " in written else None])
        line = body_line + body.count("\n", 0, offset) if offset >= 0 else body_line
        out.append(
            Finding(
                "R5",
                path,
                f"{what} would change the page's behaviour, not its words (`{written}`): policy "
                "text may hold only the markup of a text (headings, lists, tables, emphasis, "
                "links to web, mail or phone addresses)",
                "write it in Markdown without it; for layout or scripts change the theme "
                "(a reviewed change of its own)",
                line,
            )
        )
    return out


def _home_markup(project: Project) -> list[Finding]:
    """The home pages show every policy's notice: their text, read as MkDocs reads it (they
    reach it as written), may not hide or rewrite it."""
    out = []
    for path, text in sorted(project.homes.items()):
        meta, body = mkdocs_page(text)
        body_line = text.count("\n", 0, len(text) - len(body)) + 1
        out += _home_meta(path, meta) + _markup(path, body, body_line)
        out += _nesting(path, body, body_line)
        out += _listing_hidden(path, text, body)
    return out


def _home_meta(path: str, meta: dict | None) -> list[Finding]:
    if meta is None:
        return [
            Finding(
                "R5",
                path,
                "the front matter is not valid YAML, so MkDocs would show it as text",
                "fix the YAML (quote values that contain a colon `:`)",
                2,
            )
        ]
    if "template" not in meta:
        return []
    return [
        Finding(
            "R5",
            path,
            "`template:` shows the home page with another template, which can leave out its "
            "text and the list of policies with their notices",
            "remove `template:` (a change to the theme is a reviewed change of its own)",
        )
    ]


# Python-Markdown's fenced code block (fenced_code, which MkDocs always enables).
_FENCED = re.compile(r"^(?P<fence>~{3,}|`{3,})[^\n]*\n.*?(?<=\n)(?P=fence)[ ]*$", re.M | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _listing_hidden(path: str, text: str, body: str) -> list[Finding]:
    """The policy list goes where the marker stands (at the end without one): not into the
    front matter, a code block or a comment, where visitors would not see it."""
    marker = text.find(HOME_MARKER)
    at = marker - (len(text) - len(body))  # in the body; below 0: in the front matter
    if marker < 0 or (at >= 0 and not _in_code_or_comment(body, at)):
        return []
    return [
        Finding(
            "R5",
            path,
            f"`{HOME_MARKER}` stands in the front matter, a code block or a comment, so the "
            "list of policies put there would not be shown",
            "write the marker on a line of its own, outside code blocks and comments (close "
            "any comment before it), or remove it to put the list at the end of the page",
        )
    ]


def _in_code_or_comment(body: str, at: int) -> bool:
    if any(m.start() < at < m.end() for m in _FENCED.finditer(body)):
        return True
    return "<!--" in _COMMENT.sub("", _FENCED.sub("", body[:at]))


_HEADING_ID = re.compile(r"(?m)^#{1,6}[^\n]*?[ \t]\{:?[^}\n]*?#([^\s#{}]+)[^}\n]*\}[ \t]*$")


def _section_ids(policy: Policy, wanted: set[str]) -> set[str]:
    """The heading ids of the policy's versions (authoritative texts), newest first, read
    until every id in `wanted` is found (a fast scan: 800 full parses would take 0.6 s)."""
    ids: set[str] = set()
    for version in reversed(policy.versions):
        ids.update(_HEADING_ID.findall(version.main.body))
        if wanted <= ids:
            break
    return ids


def _configuration(project: Project) -> list[Finding]:
    """Every policy and material section the settings name exists: a misspelt id
    (`retension`) would switch R2 off for that section without a word."""
    site, out = project.settings.site, []
    config = project.settings.rel(site.config_file)
    for pid, options in sorted(project.settings.policies.items()):
        policy = project.policies.get(pid)
        if policy is None and pid not in project.policy_dirs:
            near = difflib.get_close_matches(pid, sorted(project.policies), 1)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            out.append(
                Finding(
                    "R5",
                    config,
                    f"extra.redline.policies names `{pid}`, but there is no policy folder "
                    f"`{project.settings.docs_rel}/{pid}`{hint}",
                    "correct the id to the folder's name, or create the policy",
                    site.line_of(f"{pid}:"),
                )
            )
            continue
        known = _section_ids(policy, set(options.material_sections)) if policy else set()
        for section in options.material_sections:
            if policy and section not in known:
                near = difflib.get_close_matches(section, sorted(known), 1, 0.5)
                out.append(
                    Finding(
                        "R5",
                        config,
                        f"material section `{section}` of `{pid}` is no heading id of any "
                        "version, so R2 cannot protect it",
                        (f"use `{near[0]}`, the nearest heading id; " if near else "")
                        + "write ids as the headings' `{#id}` give them ("
                        + ", ".join(sorted(known)[:8])
                        + (", ..." if len(known) > 8 else "")
                        + ")",
                        site.line_of(section),
                    )
                )
    return out


def _extensions(project: Project) -> list[Finding]:
    """Every Markdown extension of the site is one the gate renders policy text with: any
    other changes what a page shows where the gate cannot see it (`pymdownx.snippets` puts
    another file's words on the page, `abbr` hides raw HTML in a definition)."""
    site = project.settings.site
    return [
        Finding(
            "R5",
            project.settings.rel(site.config_file),
            f"the Markdown extension `{name}` changes what policy pages show, and Redline "
            f"judges their text as {', '.join(EXTENSIONS)} render it: a page could show "
            "what the gate never read",
            f"remove `{name}` from `markdown_extensions`",
            site.line_of(name),
        )
        for name in site.markdown_extensions
        if name not in EXTENSIONS
    ]


def r5_valid_input(project: Project) -> list[Finding]:
    """R5: files that parse, required keys, real dates, no placeholders, nothing retroactive,
    and texts that put only words on their page, in sections with ids of their own."""
    out = list(project.findings) + _configuration(project) + _extensions(project)
    out += stated_date_warnings(project)
    out += _home_markup(project)
    moved = renamed_blobs(project)
    for version in project.versions:
        out += _required_keys(version) + _placeholders(version) + _notice_date(version)
        out += _retroactive(project, version, moved)
        for f in version.files.values():
            out += _markup(f.path, f.body, f.body_line) + _nesting(f.path, f.body, f.body_line)
            if project.is_open(version):
                out += _headings(f) + _text_placeholders(f) + _link_definitions(f)
    return out
