"""Markdown into sections of blocks: what the diff compares.

What counts as a change: the words. Whitespace inside a block (re-wrapping a paragraph,
CRLF against LF, trailing spaces) is not a change, and neither is Markdown structure alone:
heading level, list marker or numbering (Markdown renumbers ordered lists), indentation and
table column alignment. That structure is kept on each `Block` so the redline can be
rendered as the policy itself is.

The normalised text (`normalized_text`) is what the exactness guarantee is stated on: every
block's normalised text followed by "\\n", in document order. A block's normalised text is
its inline Markdown with runs of whitespace collapsed to one space: a heading's text without
the `#` marks and the `{#id}`, a list item's text without its marker, a table row as
`| cell | cell |`, a separator row as `|---|---|`. Over a `DocumentDiff`, the equal and
deleted tokens give back the old document's normalised text exactly, and the equal and
inserted tokens the new one's (`DocumentDiff.iter_ops`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .headings import attrs_id, atx_heading, split_heading
from .model import Block, BlockKind, Section
from .raw_html import normalize, placeholder_in, preprocess
from .tokens import cached_tokens

_ITEM_RE = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_HR_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT_RE = re.compile(r"^[=-]+[ ]*$")  # Python-Markdown's: the underline starts the line
_SEP_CELL_RE = re.compile(r"^:?-+:?$")
_INDENT_RE = re.compile(r"^[ \t]*")


def normalize_block_text(text: str) -> str:
    """Collapse every run of whitespace (also NBSP, ideographic space, newlines) to one space."""
    return " ".join(text.split())


def split_cells(row: str) -> list[str]:
    """The cells of a pipe-table row, split on unescaped pipes outside code spans, unstripped."""
    tokens = cached_tokens(row.strip())
    if tokens and tokens[0] == "|":
        tokens = tokens[1:]
    if tokens and tokens[-1] == "|":
        tokens = tokens[:-1]
    cells: list[str] = []
    current: list[str] = []
    for token in tokens:
        if token == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(token)
    cells.append("".join(current))
    return cells


def _row_text(line: str) -> str:
    cells = [normalize_block_text(c) for c in split_cells(line)]
    return "| " + " | ".join(cells) + " |"


def _separator_cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if "-" not in stripped or not set(stripped) <= set("|:- \t"):
        return None
    cells = [c.strip() for c in split_cells(stripped)]
    if not all(_SEP_CELL_RE.match(c) for c in cells):
        return None
    return cells


def _is_table_start(header: str, separator: str) -> bool:
    if "|" not in header:
        return False
    cells = split_cells(header)
    stripped = header.strip()
    if len(cells) < 2 and not (stripped.startswith("|") or stripped.endswith("|")):
        return False
    sep = _separator_cells(separator)
    return sep is not None and len(sep) == len(cells)


def _indent(line: str) -> str:
    return _INDENT_RE.match(line).group(0)  # type: ignore[union-attr]


class _Parser:
    """Line-based block parser following Python-Markdown where it matters for our input."""

    def __init__(self, text: str) -> None:
        self.lines, self.raw, self.numbers = preprocess(normalize(text))
        # finished sections: (heading block or None, explicit id or None, blocks)
        self.sections: list[tuple[Block | None, str | None, list[Block]]] = [(None, "", [])]
        self.mode: str | None = None  # "para" | "item" | "table" | None
        self.buf: list[str] = []
        self.src: list[str] = []
        self.start = 0
        self.kind = BlockKind.PARAGRAPH
        self.prefix = ""
        self.level = 0
        self.marker = ""
        self.list_stack: list[int] = []
        self.table_prefix = ""

    @property
    def blocks(self) -> list[Block]:
        return self.sections[-1][2]

    def parse(self) -> tuple[Section, ...]:
        i = 0
        while i < len(self.lines):
            i += self.read(i)
        self.flush()
        return self.build()

    def read(self, i: int) -> int:
        """Read the line at `i` (with the next one for a table); how many lines were read."""
        line, lineno = self.lines[i], self.numbers[i]
        following = self.lines[i + 1] if i + 1 < len(self.lines) else None
        if not line.strip():
            self.flush()
        elif self.raw and (raw := placeholder_in(line)) is not None and raw.group(0) in self.raw:
            self.raw_html(line, raw, lineno)
        elif (atx := atx_heading(line)) is not None:
            self.heading(atx[0], atx[1], lineno, line)
        elif self.mode == "table":
            self.table_row(line, lineno)
        elif self.mode == "para" and _SETEXT_RE.match(line) and not self.prefix:
            self.setext_heading(line)
        elif _HR_RE.match(line):
            self.flush()
            self.list_stack = []
        elif following is not None and "|" in line and _is_table_start(line, following):
            self.table_start(line, following, lineno)
            return 2
        elif self.mode != "para" and (item := _ITEM_RE.match(line)):
            self.list_item(item, line, lineno)
        elif self.mode in ("para", "item"):
            self.buf.append(line)
            self.src.append(line)
        else:
            self.paragraph(line, lineno)
        return 1

    def begin(
        self,
        kind: BlockKind,
        lineno: int,
        text: str,
        line: str,
        prefix: str,
        level: int,
        marker: str,
    ) -> None:
        """Start a paragraph or a list item, continued by the lines that follow."""
        self.mode = "item" if kind == BlockKind.LIST_ITEM else "para"
        self.kind = kind
        self.prefix = prefix
        self.level = level
        self.marker = marker
        self.start = lineno
        self.buf = [text]
        self.src = [line]

    def flush(self) -> None:
        """End the open paragraph or list item, if any."""
        if self.mode in ("para", "item"):
            text = normalize_block_text(" ".join(self.buf))
            source = "\n".join(self.src)
            self.blocks.append(
                Block(self.kind, text, self.prefix, self.level, self.marker, "", self.start, source)
            )
        self.mode = None
        self.buf = []
        self.src = []

    def heading(self, level: int, content: str, lineno: int, source: str) -> None:
        self.flush()
        self.list_stack = []
        text, attrs = split_heading(content)
        prefix = "#" * level + " "
        block = Block(
            BlockKind.HEADING, normalize_block_text(text), prefix, level, "", attrs, lineno, source
        )
        self.sections.append((block, attrs_id(attrs), []))

    def raw_html(self, line: str, placeholder: re.Match[str], lineno: int) -> None:
        """A raw HTML block: its source is one block (what it shows may change with it); a
        comment shows nothing and is no block. Text after it on the line is a paragraph."""
        self.flush()
        self.list_stack = []
        block = self.raw[placeholder.group(0)]
        if not block.is_comment:
            text = normalize_block_text(block.source)
            self.blocks.append(Block(BlockKind.PARAGRAPH, text, line=lineno, source=block.source))
        tail = line[placeholder.end() :]
        if tail.strip():
            self.paragraph(tail.strip(), lineno)

    def setext_heading(self, underline: str) -> None:
        """The open paragraph's last line is the text of a heading underlined by `underline`."""
        title = self.buf.pop()
        title_src = self.src.pop()
        start = self.start + len(self.buf)
        if self.buf:
            self.flush()
        self.mode = None
        self.buf, self.src = [], []
        level = 1 if underline.strip().startswith("=") else 2
        self.heading(level, title.strip(), start, title_src + "\n" + underline)

    def table_start(self, header: str, separator: str, lineno: int) -> None:
        self.flush()
        ws = _indent(header)
        if not ws:
            self.list_stack = []
        self.table_prefix = ws
        self.blocks.append(
            Block(BlockKind.TABLE_HEADER, _row_text(header), ws, line=lineno, source=header)
        )
        cells = _separator_cells(separator) or []
        text = "|" + "|".join("---" for _ in cells) + "|"
        self.blocks.append(
            Block(BlockKind.TABLE_SEPARATOR, text, ws, line=lineno + 1, source=separator)
        )
        self.mode = "table"

    def table_row(self, line: str, lineno: int) -> None:
        self.blocks.append(
            Block(BlockKind.TABLE_ROW, _row_text(line), self.table_prefix, line=lineno, source=line)
        )

    def list_item(self, item: re.Match[str], line: str, lineno: int) -> None:
        self.flush()
        ws, marker = item.group(1), item.group(2)
        width = len(ws.expandtabs(4))
        stack = self.list_stack
        while stack and stack[-1] > width:
            stack.pop()
        if not stack or stack[-1] < width:
            stack.append(width)
        text = item.group(3) or ""
        self.begin(
            BlockKind.LIST_ITEM, lineno, text, line, f"{ws}{marker} ", len(stack) - 1, marker
        )

    def paragraph(self, line: str, lineno: int) -> None:
        ws = _indent(line)
        if not self.list_stack or not ws:
            self.list_stack = []
            ws = ""
        self.begin(BlockKind.PARAGRAPH, lineno, line, line, ws, 0, "")

    def build(self) -> tuple[Section, ...]:
        out: list[Section] = []
        seen: set[str] = set()
        for index, (heading, hid, blocks) in enumerate(self.sections):
            if heading is None:
                out.append(Section("", True, "", 0, tuple(blocks), 0))
                continue
            explicit = hid is not None and hid not in seen and hid != ""
            if explicit:
                assert hid is not None
                seen.add(hid)
                sid = hid
            else:
                sid = f"_section-{index}"
            out.append(
                Section(sid, explicit, heading.text, heading.level, (heading, *blocks), index)
            )
        return tuple(out)


@lru_cache(maxsize=8)  # a site diffs each version against its predecessor, then its successor
def parse_document(text: str) -> tuple[Section, ...]:
    """Split a Markdown document (front matter removed) into sections of blocks.

    The first section is always the preamble (id "", possibly empty), so two documents always
    have it in common. A heading without `{#id}` (or repeating an id already used) gets the
    id `_section-N` from its position and is matched by title or position instead.
    """
    return _Parser(text).parse()


def normalized_text(text: str) -> str:
    """The text the diff is exact on: every block's normalised text + "\\n", in order."""
    return "".join(b.text + "\n" for s in parse_document(text) for b in s.blocks)
