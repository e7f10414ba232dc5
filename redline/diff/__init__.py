"""Section-aware diff between two versions of a policy, and its renderings.

Where each part lives:

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
    Status,
)
from .sections import diff_documents
from .text_diff import diff_texts
from .tokens import tokenize

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
    "Status",
    "TABLE_KINDS",
    "diff_documents",
    "diff_texts",
    "normalize_block_text",
    "normalized_text",
    "parse_document",
    "split_cells",
    "tokenize",
]
