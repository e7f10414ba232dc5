"""The markup of generated pages and feed entries: Jinja2 macros in templates/fragments.html.

Jinja2 comes with MkDocs but is used here on its own (no MkDocs import). The environment
autoescapes: a value is text unless it is `Html`, which only `fragment` produces, so policy
text (titles, reasons, summaries) can change the words of a page but never its markup.
`Html` is a plain `str` subclass, so pages concatenate fragments with Markdown as strings
(markupsafe's Markup would escape the Markdown it is added to). `md_text` does for
Markdown what autoescaping does for HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=StrictUndefined,
)
_MACROS = _ENV.get_template("fragments.html").module

# Characters with a meaning in Markdown (and attr_list's `{...}`), written as character
# references so that they show as themselves: `# Privacy {: onclick=x}` stays a title.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]<>&#|!~+-]")


class Html(str):
    """Markup made by `fragment`: safe to put into another fragment as it is."""

    __slots__ = ()


def _trusted(value: object) -> object:
    if isinstance(value, Html):
        return Markup(value)
    if isinstance(value, list | tuple):
        return type(value)(_trusted(v) for v in value)
    return value


def fragment(name: str, /, **values: object) -> Html:
    """Render one macro of fragments.html: plain values escaped, `Html` values kept."""
    values = {key: _trusted(value) for key, value in values.items()}
    return Html(str(getattr(_MACROS, name)(**values)).strip("\n"))


def template(name: str):
    """Another autoescaping template of redline/templates (a whole document, e.g. the HTML
    of the direct notice), from the same environment as the fragments."""
    return _ENV.get_template(name)


def md_text(text: str) -> str:
    """Text for a Markdown heading or paragraph that shows exactly as written."""
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", " ".join(text.split()))
