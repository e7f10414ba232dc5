"""YAML that Redline writes: mkdocs.yml (`redline init`) and front matter (`redline init`,
`redline new`), always dumped from data, never pasted into a text.

Two readers must agree on what it says: Redline reads YAML 1.2 (ruamel), MkDocs reads YAML
1.1 (PyYAML), where `no`, `on`, `null`, `1:20` or `2026-01-01` written plain are not text.
So every text that either version would read as something else is written in quotes: a site
named `yes` or a policy titled `2026-01-01` stays text for both.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver

TEXT = "tag:yaml.org,2002:str"
_YAML_1_1 = VersionedResolver(version=(1, 1))


class _Representer(RoundTripRepresenter):
    def represent_str(self, data: Any) -> Any:
        if _YAML_1_1.resolve(ScalarNode, data, (True, False)) != TEXT:
            return self.represent_scalar(TEXT, data, style='"')
        return super().represent_str(data)


_Representer.add_representer(str, _Representer.represent_str)


def dump(data: Any) -> str:
    """`data` (plain or ruamel's commented mappings and lists) as YAML both readers read alike."""
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.width = 4096  # a value is never folded onto a second line
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def line(key: str, value: Any) -> str:
    """One `key: value` line of front matter."""
    return dump({key: value}).rstrip("\n")


def front_matter(meta: dict[str, Any]) -> str:
    """A Markdown file's front matter block, ending with its closing fence and a newline."""
    return "---\n" + dump(meta) + "---\n"
