"""The one reader of mkdocs.yml, for the command line (the build gets MkDocs' own reading).

`redline check` must start fast and must not run the site's code, so mkdocs.yml is read
without importing MkDocs, the way MkDocs reads it:

- `INHERIT: parent.yml` is loaded first and deep-merged with this file (mappings merged key
  by key, anything else replaced), as MkDocs does with mergedeep;
- `!ENV VAR` and `!ENV [VAR, OTHER, default]` take the first variable that is set (its
  value typed as YAML would type it), else the default;
- `!relative $config_dir/...` is the folder of the configuration file;
- any other tag (`!!python/name:...`, `!!python/object/apply:...`) is kept as an opaque
  `Tagged` value and never executed; it is only an error where Redline needs the value;
- YAML dates stay text, so `adopted: 2026-02-30` is reported as a date that does not exist
  instead of failing inside the YAML library.

What Redline reads is then validated against `mkdocs.schema.json` in one place; a mistake
stops the command (exit 2) with the key, what is wrong and the fix. The build passes what
MkDocs resolved to `SiteConfig` directly, and the same schema validates `extra.redline`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode, SequenceNode

from .findings import CannotRun, Finding

SCHEMA_FILE = Path(__file__).with_name("mkdocs.schema.json")


@dataclass(frozen=True)
class Tagged:
    """A value under a YAML tag Redline does not interpret (never executed)."""

    tag: str

    def __str__(self) -> str:
        return f"!{self.tag.rsplit(':', 2)[-2] if ':' in self.tag else self.tag}"


@dataclass(frozen=True)
class SiteConfig:
    """What Redline needs to know about the site, however it was read."""

    config_file: Path
    docs_dir: Path
    languages: tuple[str, ...]  # the default language first
    site_names: Mapping[str, str] = field(default_factory=dict)  # language -> site name
    site_url: str = ""
    redline: Mapping[str, Any] | None = None  # extra.redline as written
    use_directory_urls: bool = True
    text: str = ""  # mkdocs.yml as written, to point at lines
    config_files: tuple[Path, ...] = ()  # mkdocs.yml and the files it INHERITs from
    theme_dir: Path | None = None  # theme.custom_dir: templates that can change every page
    hooks: tuple[Path, ...] = ()  # MkDocs hook files
    markdown_extensions: tuple[str, ...] = ()  # as named in mkdocs.yml (MkDocs adds its own)

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def line_of(self, needle: str) -> int | None:
        return line_of(self.text, needle)


def line_of(text: str, needle: str) -> int | None:
    """The first line of a YAML text that holds `needle` outside a comment, to point at."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line.split("#", 1)[0]:
            return number
    return None


# --- YAML as MkDocs reads it ---------------------------------------------------------------


class _Constructor(SafeConstructor):
    """The safe constructor plus MkDocs' tags; a subclass, so other loaders are untouched."""


def _env(loader: _Constructor, node: Any) -> Any:
    default = None
    if isinstance(node, ScalarNode):
        names = [loader.construct_scalar(node)]
    elif not isinstance(node, SequenceNode):
        problem = "!ENV takes a variable's name or a list of names (and a default)"
        raise ConstructorError(None, None, problem, node.start_mark)
    else:
        children = list(node.value)
        if len(children) > 1:
            default = loader.construct_object(children.pop(), deep=True)
        names = [loader.construct_scalar(child) for child in children]
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolver.resolve(ScalarNode, value, (True, False))
            return loader.construct_object(ScalarNode(tag, value))
    return default


def _relative(config_dir: Path):
    def construct(loader: _Constructor, node: Any) -> Any:
        value = str(loader.construct_scalar(node) or "")
        head, _, rest = value.partition("/")
        return str(config_dir / rest) if head == "$config_dir" else Tagged("!relative")

    return construct


def _yaml(config_dir: Path) -> YAML:
    class Constructor(_Constructor):
        pass

    Constructor.add_constructor("!ENV", _env)
    Constructor.add_constructor("!relative", _relative(config_dir))
    Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_scalar)
    Constructor.add_multi_constructor("", lambda loader, suffix, node: Tagged(suffix))
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = Constructor
    return yaml


def _stop(path: Path, message: str, fix: str, line: int | None = None) -> CannotRun:
    return CannotRun(Finding("config", path.name, message, fix, line))


Reader = Callable[[Path], bytes | None]  # a file's bytes, None when it does not exist


def read_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise _stop(path, f"cannot read the file: {exc.strerror}", "check the path") from None


def _load_yaml(
    path: Path, read: Reader, chain: tuple[Path, ...] = ()
) -> tuple[Any, str, tuple[Path, ...]]:
    """The file's data with its INHERIT chain merged in, its text, and every file read."""
    raw = read(path)
    if raw is None:
        raise _stop(path, "the file does not exist", "check the path")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _stop(path, "the file is not UTF-8 text", "save it as UTF-8", line) from None
    try:
        data = _yaml(path.parent).load(text)
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _stop(
            path,
            f"{path.name} does not parse: {problem}",
            "fix the YAML syntax at that line",
            mark.line + 1 if mark else None,
        ) from None
    if isinstance(data, dict) and isinstance(data.get("INHERIT"), str):
        parent = (path.parent / data.pop("INHERIT")).resolve()
        if parent in chain or parent == path:
            raise _stop(path, "INHERIT loops back to a file already read", "break the loop")
        if read(parent) is None:
            raise _stop(path, f"INHERIT names {parent}, which does not exist", "fix the path")
        inherited, _, files = _load_yaml(parent, read, (*chain, path))
        return merge(inherited, data), text, (path, *files)
    return data, text, (path,)


def merge(parent: Any, child: Any) -> Any:
    """mergedeep's REPLACE strategy, as MkDocs applies it to INHERIT."""
    if not isinstance(parent, dict) or not isinstance(child, dict):
        return child
    out = dict(parent)
    for key, value in child.items():
        out[key] = merge(out[key], value) if key in out else value
    return out


# --- validation ----------------------------------------------------------------------------


@cache
def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def locale_pattern() -> re.Pattern[str]:
    """What the schema accepts as a language code (the i18n plugin's `locale`)."""
    language = _schema()["$defs"]["i18n"]["properties"]["languages"]["items"]
    return re.compile(language["properties"]["locale"]["pattern"])


@cache
def _validator(pointer: str):
    from jsonschema import Draft202012Validator  # 50 ms: only when a configuration is read

    schema = _schema()
    if pointer != "#":
        schema = {"$defs": schema["$defs"], "$ref": pointer}
    return Draft202012Validator(schema)


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):  # shortened: the file may not be a configuration at all
        return f"the text {value[:60]!r}" + ("…" if len(value) > 60 else "")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a value tagged `{value}`"


def _fix(error: Any) -> str:
    for schema in (error.schema, *(e.schema for e in _parents(error))):
        if isinstance(schema, dict) and schema.get("x-fix"):
            return schema["x-fix"]
    return "see the README's Configuration section"


def _parents(error: Any):
    while error.parent is not None:
        error = error.parent
        yield error


def _key(where: str, path: Any) -> str:
    """`extra.redline.notice_days.minor`, `plugins[0].i18n`: the key as a user finds it."""
    key = "" if where == "mkdocs.yml" else where
    for part in path:
        key += f"[{part}]" if isinstance(part, int) else f".{part}"
    return key.lstrip(".") or where


def _message(error: Any, where: str) -> str:
    key = _key(where, error.absolute_path)
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known))
        hints = [
            f"{u} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(u, known, 1)) else u
            for u in map(str, unknown)
        ]
        return f"unknown key(s) under {key}: {', '.join(hints)} (known: {', '.join(known)})"
    if error.validator == "required":
        return f"{key} has no `{error.validator_value[0]}`"
    if error.validator in ("type", "oneOf", "not"):
        return f"{key} is {_kind(error.instance)}, which is not valid here"
    if error.validator in ("minimum", "maximum"):
        return f"{key} is {error.instance}, outside the range allowed"
    if error.validator == "contains":
        return f"{key} has no language with `default: true`"
    if error.validator == "propertyNames":
        return f"{key} has a key that is not allowed"
    return f"{key}: {_kind(error.instance)} is not valid ({error.validator})"


def _as_written(value: Any) -> Any:
    """Dates as the text they were written as (MkDocs' loader types them, ours does not)."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_written(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def validate(data: Any, pointer: str, where: str, config_file: Path, text: str = "") -> None:
    """Stop with the most relevant mistake against the schema (exit 2), naming key and fix."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(pointer).iter_errors(_as_written(data)))
    if error is None:
        return
    needle = str(error.absolute_path[-1]) if error.absolute_path else None
    line = line_of(text, f"{needle}:") if needle else None
    raise _stop(config_file, _message(error, where), _fix(error), line)


# --- reading -------------------------------------------------------------------------------


def i18n_settings(plugins: Any) -> Mapping[str, Any] | None:
    """The static-i18n plugin's settings from mkdocs.yml's `plugins` (list or mapping)."""
    if isinstance(plugins, dict):
        return plugins.get("i18n") if isinstance(plugins.get("i18n"), dict) else None
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("i18n"), dict):
            return entry["i18n"]
    return None


def languages_and_names(data: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, str]]:
    """The languages built (default first) and the site's name in each."""
    i18n = i18n_settings(data.get("plugins"))
    site_name = str(data.get("site_name") or "")
    if i18n is None:
        theme = data.get("theme")
        lang = theme.get("language") if isinstance(theme, dict) else None
        return (str(lang or "en"),), {str(lang or "en"): site_name}
    langs = [lang for lang in i18n["languages"] if lang.get("build", True)]
    langs.sort(key=lambda lang: not lang.get("default", False))
    codes = tuple(str(lang["locale"]) for lang in langs)
    names = {str(lang["locale"]): str(lang.get("site_name") or site_name) for lang in langs}
    return codes, names


def extension_names(value: Any) -> tuple[str, ...]:
    """The Markdown extensions `markdown_extensions` names (a name, or a name with its
    options), `markdown.extensions.` left out as Python-Markdown does."""
    items = list(value) if isinstance(value, (list, dict)) else []
    names = [next(iter(i), None) if isinstance(i, dict) else i for i in items]
    return tuple(n.removeprefix("markdown.extensions.") for n in names if isinstance(n, str))


def _theme_dir(config_file: Path, theme: Any) -> Path | None:
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return (config_file.parent / custom).resolve() if isinstance(custom, str) else None


def read_site_config(config_file: Path, read: Reader = read_disk) -> SiteConfig:
    """mkdocs.yml, its INHERIT chain and tags resolved, validated; CannotRun on any mistake.

    `read` gives a file's bytes: from the disk, or from a git commit (the base branch's
    settings judge a pull request)."""
    config_file = config_file.resolve()
    if read(config_file) is None:
        raise _stop(
            config_file,
            "no mkdocs.yml here",
            "run the command in the site's folder or pass --config-file PATH",
        )
    data, text, files = _load_yaml(config_file, read)
    if data is None:
        data = {}
    validate(data, "#", "mkdocs.yml", config_file, text)
    languages, names = languages_and_names(data)
    if not languages:
        raise _stop(
            config_file,
            "the i18n plugin builds no language",
            "set `build: true` on at least the default language",
            line_of(text, "languages:"),
        )
    extra = data.get("extra") or {}
    return SiteConfig(
        config_file=config_file,
        docs_dir=(config_file.parent / str(data.get("docs_dir") or "docs")).resolve(),
        languages=languages,
        site_names=names,
        site_url=str(data.get("site_url") or ""),
        redline=extra.get("redline"),
        use_directory_urls=data.get("use_directory_urls", True) is not False,
        text=text,
        config_files=files,
        theme_dir=_theme_dir(config_file, data.get("theme")),
        markdown_extensions=extension_names(data.get("markdown_extensions")),
        hooks=tuple(
            (config_file.parent / h).resolve()
            for h in data.get("hooks") or []
            if isinstance(h, str)
        ),
    )
