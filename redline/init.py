"""`redline init`: a company's own Redline site, in a new or existing folder, ready to commit,
gate and publish.

`request` validates what the user asked for, `plan` works out every file (its path and text)
without touching the disk, `validate` reads the planned mkdocs.yml back the way every command
will, and `write` creates the files with mode "x": nothing is ever overwritten.

mkdocs.yml and front matter are dumped from data (`yaml_text`), so a site name such as
`Acme: "정책" #1` stays text. The other files are templates in `site_template/`, rendered with
Jinja2 without autoescaping (they are YAML, Markdown and text, not HTML): only values checked
here go into them (policy ids against `layout.POLICY_ID`, language codes against the schema's
pattern, the time zone by zoneinfo, the release's own version), never the user's free text.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import dates, gitcmd
from .config import DEFAULT_NOTICE_DAYS, Settings, settings_from
from .findings import usage
from .layout import POLICY_ID, SITE_FOLDERS, home_file_name, parse_version_name, version_file_name
from .locale import language_name, t
from .pages import HOME_MARKER
from .site_config import locale_pattern, read_disk, read_site_config
from .sources import CONTROL, PLACEHOLDER
from .yaml_text import dump, front_matter

DISTRIBUTION = "redline-policies"
TEMPLATES = Path(__file__).with_name("site_template")
DOCS_DIR = "policies"
HOOK = "hooks/redline_hook.py"
FALLBACK_LANGUAGE = "en"  # the templates' language for languages they are not written in
ZONE_NAME = re.compile(r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")
# An address of characters a URL may hold (RFC 3986, and %-escapes): MkDocs' themes print
# site_url into every page unescaped (the canonical link), so `"` or `<` there is markup.
# Letters of any script stay (https://정책.example.kr/).
URL = re.compile(r"^https?://[\w.~%!$&'()*+,;=:@\[\]-]+(/[\w.~%!$&'()*+,;=:@/?#\[\]-]*)?$")

# Template -> the file it becomes (package data keeps no dot files, so the names differ).
SITE_FILES = (
    ("requirements.txt", "requirements.txt"),
    ("gitignore", ".gitignore"),
    ("hooks/redline_hook.py", HOOK),
    ("github/CODEOWNERS", ".github/CODEOWNERS"),
    ("github/workflows/gate.yml", ".github/workflows/gate.yml"),
    ("github/workflows/pull-request.yml", ".github/workflows/pull-request.yml"),
    ("github/workflows/publish.yml", ".github/workflows/publish.yml"),
)
THEME_FEATURES = ("navigation.indexes", "search.highlight")
MARKDOWN_EXTENSIONS = (
    "attr_list",
    "md_in_html",
    "tables",
    "admonition",
    {"toc": {"permalink": True}},
)
VALIDATION = {
    "omitted_files": "warn",
    "absolute_links": "warn",
    "unrecognized_links": "warn",
    "anchors": "warn",
}


@dataclass(frozen=True)
class KnownPolicy:
    """A policy `redline init` has a template for: its title and material sections."""

    titles: Mapping[str, str]  # by language
    material_sections: tuple[str, ...]  # heading ids of its template (R2)


KNOWN: dict[str, KnownPolicy] = {
    "privacy": KnownPolicy(
        {"ko": "개인정보 처리방침", "en": "Privacy Policy"},
        (
            "collected-items",
            "purposes",
            "third-parties",
            "entrustment",
            "overseas-transfer",
            "retention",
        ),
    ),
    "terms": KnownPolicy(
        {"ko": "이용약관", "en": "Terms of Service"},
        ("fees", "termination", "liability", "disputes"),
    ),
    "cookies": KnownPolicy(
        {"ko": "쿠키 정책", "en": "Cookie Policy"},
        ("cookies-used", "purposes", "third-party-cookies", "retention"),
    ),
}
GENERIC = "policy"  # the template of any other policy


# --- the release this site pins ------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    version: str
    python: str  # the oldest Python it supports, e.g. "3.11"


def _python_floor(requires: str | None) -> str:
    match = re.search(r">=\s*(\d+\.\d+)", requires or "")
    return match[1] if match else "3.11"


def release() -> Release:
    """This Redline's version: the installed distribution's, when it is the one running (an
    editable install or another checkout's metadata would pin another release), else the
    version in the checkout's pyproject.toml."""
    here = Path(__file__).resolve().parent
    try:
        dist = metadata.distribution(DISTRIBUTION)
        if Path(str(dist.locate_file("redline/__init__.py"))).resolve() == here / "__init__.py":
            return Release(dist.version, _python_floor(dist.metadata["Requires-Python"]))
    except metadata.PackageNotFoundError:
        pass
    pyproject = here.parent / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text("utf-8")) if pyproject.is_file() else {}
    project = project.get("project", {})
    if project.get("name") != DISTRIBUTION or not project.get("version"):
        raise usage(
            "redline",
            "cannot tell which release of Redline this is, to pin it in requirements.txt",
            f"install Redline as a package (`pip install {DISTRIBUTION}`) and run it again",
        )
    return Release(project["version"], _python_floor(project.get("requires-python")))


# --- what the user asked for ---------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    root: Path
    languages: tuple[str, ...]  # the default first
    timezone: str
    policies: tuple[str, ...]
    site_name: str
    site_url: str | None
    adopted: date
    today: date
    branch: str = "main"  # the branch the publish workflow deploys on a push

    @property
    def default_language(self) -> str:
        return self.languages[0]


@cache
def theme_languages() -> frozenset[str]:
    """The codes of the languages Material for MkDocs is written in (its
    partials/languages/<code>.html). The site's theme.language, and i18n's for each other
    language, must be one of them, exactly: `KO`, `pt-br` or `sw` stop the build on a missing
    template, after `redline check` passed. Empty if this Material keeps them elsewhere."""
    import material

    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return frozenset(path.stem for path in folder.glob("*.html"))


def _theme_language(code: str) -> None:
    """Refuse a code the theme has no words for, suggesting the one it spells differently."""
    known = theme_languages()
    if not known or code in known:
        return
    same = [k for k in sorted(known) if k.lower() == code.lower().replace("_", "-")]
    raise usage(
        "--languages",
        f"{code!r} is not a language the theme (Material for MkDocs) is written in: "
        "the site would not build",
        f"write `{same[0]}`" if same else "use one of: " + ", ".join(sorted(known)),
    )


def _languages(text: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in text.split(","))
    fix = "write language codes separated by commas, the default first: `--languages ko,en`"
    for code in codes:
        if not locale_pattern().match(code):
            raise usage("--languages", f"{code!r} is not a language code", fix + " (or pt-BR)")
        _theme_language(code)
    if len(set(codes)) != len(codes):
        raise usage("--languages", f"{text!r} names a language twice", fix)
    return codes


def _policies(ids: list[str], languages: tuple[str, ...]) -> tuple[str, ...]:
    for pid in ids:
        if not POLICY_ID.match(pid):
            raise usage(
                "--policy",
                f"{pid!r} is not a policy id (it names the policy's folder and its address)",
                "use lower-case letters, digits, - and _, starting with a letter or digit: "
                "`--policy privacy --policy terms`",
            )
        _free_address(pid, languages)
    return tuple(dict.fromkeys(ids))


def _free_address(pid: str, languages: tuple[str, ...]) -> None:
    """Refuse a policy whose address /<pid>/ the site already uses (a language's pages, or
    SITE_FOLDERS: the site's own files): the gate refuses such a folder (R5), so the site
    written would never pass `redline check`."""
    if pid in languages:
        taken = "is also a language code: its pages would share"
    elif pid in SITE_FOLDERS:
        taken = "names a folder of the site's own files: its pages would be overwritten at"
    else:
        return
    raise usage(
        "--policy",
        f"`{pid}` {taken} the address /{pid}/",
        f"give the policy another id, e.g. `{pid}-policy`",
    )


def _timezone(name: str) -> str:
    try:
        if ZONE_NAME.match(name):
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise usage(
        "--timezone",
        f"{name!r} is not a known time zone",
        "use an IANA name such as Asia/Seoul or Europe/Berlin",
    )


def _text(value: str, option: str, fix: str) -> str:
    value = value.strip()
    if not value or CONTROL.search(value) or value.splitlines() != [value]:
        problem = "is empty" if not value else "holds a line break or a control character"
        raise usage(option, f"{option} {problem}", fix)
    return value


def _site_url(url: str | None) -> str | None:
    if url is None:
        return None
    fix = "write the site's address, e.g. `--site-url https://policies.example.com/`"
    url = _text(url, "--site-url", fix)
    if not URL.match(url):
        raise usage("--site-url", f"{url!r} is not a web address (http:// or https://)", fix)
    return url if url.endswith("/") else url + "/"


def request(
    folder: str,
    languages: str,
    timezone: str,
    policies: list[str],
    site_name: str | None = None,
    site_url: str | None = None,
    adopted: str | None = None,
    today: str | None = None,
) -> Request:
    """What `redline init` is asked for, every value checked; CannotRun (exit 2) otherwise."""
    codes = _languages(languages)
    zone = _timezone(timezone)
    day = dates.today(ZoneInfo(zone), today)
    since = dates.require_day(adopted, "--adopted") if adopted else day
    if since > day:
        raise usage(
            "--adopted",
            f"--adopted {since.isoformat()} is after today ({day.isoformat()}): the policies' "
            "first versions, dated today, would count as imported history",
            "leave --adopted out (it is today), or give a day no later than today",
        )
    name = site_name if site_name is not None else t(codes[0], "policies")
    return Request(
        root=Path(folder).expanduser().resolve(),
        languages=codes,
        timezone=zone,
        policies=_policies(policies, codes),
        site_name=_text(name, "--site-name", "give the site a name: `--site-name NAME`"),
        site_url=_site_url(site_url),
        adopted=since,
        today=day,
        branch=default_branch(Path(folder).expanduser().resolve()),
    )


def default_branch(root: Path) -> str:
    """The branch a push to publishes: the default branch of `origin` if the repository
    `root` is in has one, else its only branch of `main` and `master`, else git's
    `init.defaultBranch`, else `main`. Never the branch checked out: Redline is adopted on a
    branch of its own, and a `master` repository given `main` (or the reverse) would publish
    only nightly and by hand, never on a push."""
    folder = next((p for p in (root, *root.parents) if p.is_dir()), Path("/"))
    origin = _git_line(folder, "symbolic-ref", "--short", "-q", "refs/remotes/origin/HEAD")
    if origin.startswith("origin/"):
        return origin.removeprefix("origin/")
    local = _git_line(folder, "branch", "--list", "--format=%(refname:short)", "main", "master")
    if len(local.split()) == 1:
        return local
    return _git_line(folder, "config", "init.defaultBranch") or "main"


def _git_line(folder: Path, *args: str) -> str:
    """git's one-line answer, or "" (no repository, no git, nothing set, or not a name)."""
    try:
        line = gitcmd.run(folder, *args).strip()
    except (gitcmd.GitError, gitcmd.GitMissing):
        return ""
    return line if line.isprintable() and not CONTROL.search(line) else ""


# --- the files -----------------------------------------------------------------------------


@dataclass
class Plan:
    request: Request
    files: dict[str, str] = field(default_factory=dict)  # path from the root -> text
    notes: list[str] = field(default_factory=list)


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,  # YAML, Markdown and text; only checked values go in
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # GitHub's `${{ }}` and headings' `{#id}` stay as they are.
        block_start_string="[%",
        block_end_string="%]",
        variable_start_string="[[",
        variable_end_string="]]",
        comment_start_string="[#",
        comment_end_string="#]",
    )


def render(template: str, **values: object) -> str:
    return _env().get_template(template).render(**values)


def _flow(values) -> CommentedSeq | CommentedMap:
    out = CommentedMap(values) if isinstance(values, Mapping) else CommentedSeq(values)
    out.fa.set_flow_style()
    return out


def _i18n(req: Request) -> CommentedMap:
    i18n = CommentedMap(docs_structure="suffix")
    i18n["reconfigure_search"] = False
    i18n.yaml_set_comment_before_after_key(
        "reconfigure_search",
        before="i18n's search re-configuration is slow on large sites; the search plugin\n"
        "above already indexes every language.",
        indent=6,
    )
    i18n["languages"] = [
        {"locale": lang, "name": language_name(lang, lang)}
        | ({"default": True} if lang == req.default_language else {})
        | {"build": True}
        for lang in req.languages
    ]
    return i18n


def _redline(req: Request) -> CommentedMap:
    redline = CommentedMap(timezone=req.timezone)
    redline["notice_days"] = _flow(DEFAULT_NOTICE_DAYS)
    redline["adopted"] = req.adopted
    redline["pdf"] = False
    if req.branch not in ("main", "master"):  # the two the gate finds without being told
        redline["branch"] = f"origin/{req.branch}"
    comments = {
        "branch": "The published branch (a CI checkout leaves no origin/HEAD to find it by).",
        "adopted": "Versions effective before this day are imported history (published before\n"
        "the company adopted Redline).",
        "pdf": "true: a PDF of every version with the site (see .github/workflows/publish.yml).",
        "policies": "material_sections: the heading ids whose change is material (R2).",
    }
    redline["policies"] = {
        pid: {"material_sections": _flow(KNOWN[pid].material_sections if pid in KNOWN else [])}
        for pid in req.policies
    }
    for key, comment in comments.items():
        redline.yaml_set_comment_before_after_key(key, before=comment, indent=4)
    return redline


def site_config_data(req: Request) -> CommentedMap:
    """mkdocs.yml, as data."""
    data = CommentedMap(site_name=req.site_name)
    if req.site_url:
        data["site_url"] = req.site_url
    data["docs_dir"] = DOCS_DIR
    data["use_directory_urls"] = True
    data["theme"] = {
        "name": "material",
        "language": req.default_language,
        "features": list(THEME_FEATURES),
    }
    data["plugins"] = [{"search": {"lang": _flow(req.languages)}}]
    if len(req.languages) > 1:
        data["plugins"].append({"i18n": _i18n(req)})
    data["hooks"] = [HOOK]
    data["markdown_extensions"] = list(MARKDOWN_EXTENSIONS)
    data["validation"] = dict(VALIDATION)
    data["extra"] = {"redline": _redline(req)}
    return data


def schedule(zone: str, year: int) -> tuple[list[str], list[str]]:
    """The publish workflow's cron lines (UTC) that run at 00:05 in `zone`, and comments
    saying so: one line, or two where daylight saving time moves midnight."""
    crons: list[str] = []
    notes: list[str] = []
    for month in (1, 7):
        local = datetime(year, month, 15, 0, 5, tzinfo=ZoneInfo(zone))
        utc = local.astimezone(UTC)
        cron = f"{utc.minute} {utc.hour} * * *"
        if cron not in crons:
            crons.append(cron)
            when = " the day before" if utc.date() < local.date() else ""
            notes.append(f"At UTC{local.isoformat()[-6:]} that is {utc:%H:%M} UTC{when}.")
    if len(crons) > 1:
        notes.append("Daylight saving time moves midnight by an hour, so it runs at both times:")
        notes.append("the other run, an hour before or after midnight, publishes a day again.")
    return crons, notes


def _page(stem: str, lang: str, plan: Plan, target: str) -> str:
    """A page template in `lang`, else in FALLBACK_LANGUAGE (with a note to translate it)."""
    name = f"pages/{stem}.{lang}.md"
    if not (TEMPLATES / name).is_file():
        name = f"pages/{stem}.{FALLBACK_LANGUAGE}.md"
        plan.notes.append(
            f"{target}: there is no {lang} template, so it is in English: translate it"
        )
    return render(name, todo=PLACEHOLDER, marker=HOME_MARKER)


def _title(pid: str, lang: str) -> str:
    known = KNOWN.get(pid)
    return (known.titles.get(lang) or known.titles[FALLBACK_LANGUAGE]) if known else pid


def plan(req: Request) -> Plan:
    """Every file of the new site, nothing written."""
    out = Plan(req)
    out.files["mkdocs.yml"] = dump(site_config_data(req))
    if not req.site_url:
        out.notes.append(
            "mkdocs.yml has no `site_url`: add the site's address before the first publish "
            "(the publish workflow reads the live site's versions.json there)"
        )
    out.notes.append(
        f".github/workflows/publish.yml publishes every push to `{req.branch}`: if the "
        "repository's default branch is another, change `branches:` there"
    )
    crons, notes = schedule(req.timezone, req.today.year)
    rel = release()
    values = {"version": rel.version, "python": rel.python, "timezone": req.timezone}
    values["branch"] = json.dumps(req.branch)  # a YAML string whatever the name holds
    for template, target in SITE_FILES:
        out.files[target] = render(template, crons=crons, schedule_notes=notes, **values)
    default = req.default_language
    for lang in req.languages:
        target = f"{DOCS_DIR}/{home_file_name(lang, default)}"
        body = _page("home", lang, out, target)
        out.files[target] = front_matter({"title": req.site_name}) + "\n" + body
    for pid in req.policies:
        for lang in req.languages:
            target = f"{DOCS_DIR}/{pid}/{version_file_name(req.today, lang, default)}"
            body = _page(pid if pid in KNOWN else GENERIC, lang, out, target)
            out.files[target] = front_matter({"title": _title(pid, lang)}) + "\n" + body
    return out


def validate(plan: Plan) -> Settings:
    """The planned mkdocs.yml read back as every command and the build will read it."""
    config = (plan.request.root / "mkdocs.yml").resolve()
    text = plan.files["mkdocs.yml"].encode("utf-8")
    return settings_from(
        read_site_config(config, lambda path: text if path == config else read_disk(path))
    )


# --- writing -------------------------------------------------------------------------------


def _not_a_folder(root: Path, rel: str) -> str | None:
    """The first of the folders `rel` goes in that is something else (a file, a link to
    nothing), as `hooks (not a folder)`: `write` could not create it and would stop half-way,
    after the files before it."""
    for parent in reversed(Path(rel).parents[:-1]):
        path = root / parent
        if (path.exists() or path.is_symlink()) and not path.is_dir():
            return f"{parent.as_posix()} (not a folder)"
    return None


def existing(plan: Plan) -> dict[str, str]:
    """Planned files that something already stands in the way of: path -> what stands there
    (the file itself, a file where its folder goes, or a policy folder that already has
    versions)."""
    root, out = plan.request.root, {}
    for rel in plan.files:
        path = root / rel
        if blocked := _not_a_folder(root, rel):
            out[rel] = blocked
        elif path.exists() or path.is_symlink():
            out[rel] = rel
        elif parse_version_name(path.name) and any(path.parent.glob("*.md")):
            out[rel] = f"{path.parent.relative_to(root).as_posix()}/ (has versions)"
    return out


def write(plan: Plan, keep: Mapping[str, str]) -> list[str]:
    """Create every planned file but those in `keep`; mode "x", so a file that appeared
    meanwhile is still not overwritten. The paths created."""
    root = plan.request.root
    if root.exists() and not root.is_dir():
        raise usage(str(root), "this is a file, not a folder", "name a folder for the site")
    created = []
    for rel, text in plan.files.items():
        if rel in keep:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        created.append(rel)
    return created


def repository_top(root: Path) -> Path | None:
    """The git work tree `root` is in (found by its `.git`, without running git)."""
    return next((p for p in (root, *root.parents) if (p / ".git").exists()), None)


def notes(plan: Plan, kept: Mapping[str, str]) -> list[str]:
    """What to know besides the next steps: the plan's notes, then what the folder's place
    in a repository and the files kept (`existing`) mean for the site."""
    out = list(plan.notes)
    root = plan.request.root
    top = repository_top(root)
    if top is not None and top != root:
        out.append(
            f"this folder is inside the git repository at {top}: GitHub runs workflows only "
            f"from {top}/.github/workflows; move .github there and give each job "
            "`defaults: {run: {working-directory: ...}}`"
        )
    if "mkdocs.yml" in kept:
        out.append(
            f"mkdocs.yml was kept: it needs `docs_dir: {DOCS_DIR}`, the hook ({HOOK}) and "
            "`extra.redline` (compare with `redline init` in an empty folder)"
        )
    return out


def next_steps(plan: Plan) -> list[str]:
    req = plan.request
    first = version_file_name(req.today, req.default_language, req.default_language)
    top = repository_top(req.root)
    return [
        f"Write each policy's text ({DOCS_DIR}/<policy>/{first} and its translations): replace "
        f"every line starting with `{PLACEHOLDER}:` (the gate refuses them). The first version "
        f"takes effect on the day its files are named after ({req.today.isoformat()}): rename "
        "them if it starts later. Earlier versions of a policy already in force: Redline's "
        "README, Adopt Redline",
        ("Commit" if top else "`git init`, commit")
        + " everything, and push to GitHub (`redline check` and `mkdocs build --strict` first)",
        "Protect the default branch and publish: Redline's README, Protecting the default "
        "branch (replace @your-org/policy-owners in .github/CODEOWNERS) and Adopt Redline "
        "(the first deploy with `published: none`)",
    ]
