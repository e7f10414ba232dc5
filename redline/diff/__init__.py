"""Section-aware diff between two versions of a policy, and its renderings.

Where each part lives. The diff:

* `model.py`: what a diff is made of (Block, Section, BlockDiff, SectionDiff, DocumentDiff,
  their kinds and statuses) and what makes a section's change substantive or material.
* `headings.py`: a heading line read in one place (level, text, attribute list, id).
* `blocks.py`: Markdown into sections of blocks (`parse_document`), the normalised text the
  diff is exact on (`normalized_text`), and what counts as a change.
* `tokens.py`: the token unit (`tokenize`).
* `korean.py`: a replaced Korean word marked on its particle or ending only.
* `align.py`: two sequences aligned at near-linear cost (opcodes, patience anchors, LIS).
* `text_diff.py`: the token diff of two blocks' texts (`diff_texts`).
* `block_align.py`: the blocks of two matched sections aligned and paired.
* `sections.py`: sections matched by id, title and position (`diff_documents`).

Its renderings:

* `escape.py`: policy text escaped for HTML, Python-Markdown and GitHub Markdown, control
  characters made visible, changed runs marked with <ins>/<del>.
* `render_tables.py`: changed table rows laid out as tables (cells, column count).
* `render_markdown.py`: the changes page's redline (`render_redline_markdown`).
* `render_html.py`: the comparison table (`render_comparison_html`) and the standalone HTML
  fragment (`format_html`).
* `render_changes.py`: the changes listed for a terminal (`format_text`) and as GitHub
  Markdown (`format_markdown`), both for `redline diff`.
"""

from __future__ import annotations

from .blocks import normalize_block_text, normalized_text, parse_document, split_cells
from .model import (
    TABLE_KINDS,
    Block,
    BlockDiff,
    BlockKind,
    BlockStatus,
    DocumentDiff,
    Op,
    OpName,
    Section,
    SectionDiff,
    SectionStatus,
)
from .render_changes import format_markdown, format_text
from .render_html import format_html, render_comparison_html
from .render_markdown import render_redline_markdown
from .sections import diff_documents
from .text_diff import diff_texts
from .tokens import cached_tokens, tokenize, word_set

__all__ = [
    "Block",
    "BlockDiff",
    "BlockKind",
    "BlockStatus",
    "DocumentDiff",
    "Op",
    "OpName",
    "Section",
    "SectionDiff",
    "SectionStatus",
    "TABLE_KINDS",
    "clear_caches",
    "diff_documents",
    "diff_texts",
    "format_html",
    "format_markdown",
    "format_text",
    "normalize_block_text",
    "normalized_text",
    "parse_document",
    "render_comparison_html",
    "render_redline_markdown",
    "split_cells",
    "tokenize",
]


def clear_caches() -> None:
    """Forget every document parsed and every text tokenized (to time a diff done cold)."""
    for cached in (parse_document, cached_tokens, word_set):
        cached.cache_clear()
