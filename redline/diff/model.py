"""What a diff is made of: blocks and sections of a document, and their diffs.

A `DocumentDiff` is exact on the normalised text (see `blocks.py`): over all its sections, the
equal and deleted token runs give back the old document's normalised text, and the equal and
inserted runs the new one's (`DocumentDiff.iter_ops`).

A `DocumentDiff` also says which changes matter: `substantive_ids` (a move or a renumbered
heading changes no obligation), `listed_sections` (what every listing of changes shows: the
substantive changes and the moves), `sections_within` (a sub-section belongs to the section
that holds it) and `material_ids` (the substantive changes within the material sections).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

OpName = Literal["equal", "insert", "delete"]
Op = tuple[OpName, str]


def coalesce(ops: Iterable[Op]) -> tuple[Op, ...]:
    """Runs without empty ones, neighbours of the same kind joined."""
    out: list[Op] = []
    for op, text in ops:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return tuple(out)


class BlockKind(StrEnum):
    """What a block is in Markdown; decides how it is rendered, never whether it changed."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_HEADER = "table_header"
    TABLE_SEPARATOR = "table_separator"
    TABLE_ROW = "table_row"


TABLE_KINDS = frozenset({BlockKind.TABLE_HEADER, BlockKind.TABLE_SEPARATOR, BlockKind.TABLE_ROW})


class SectionStatus(StrEnum):
    """What happened to a section. Moving is a separate flag: a section can move and change."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    ADDED = "added"
    DELETED = "deleted"


class BlockStatus(StrEnum):
    """What happened to a block inside a section."""

    EQUAL = "equal"
    CHANGED = "changed"
    INSERTED = "inserted"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a section: a heading, a paragraph, a list item or a table row.

    `text` is what is compared; the other fields keep the Markdown structure so that a
    redline can be written back as the policy itself is.
    """

    kind: BlockKind
    text: str  # normalised inline text (see blocks.py)
    prefix: str = ""  # Markdown written before the text: "## ", "  - ", "1. ", an indent
    level: int = 0  # heading level 1-6; list nesting depth (0 = top level); 0 otherwise
    marker: str = ""  # list marker as written ("-", "*", "1.", "2)"); "" for other blocks
    attrs: str = ""  # a heading's attribute list as written, e.g. "{#retention}"
    line: int = 0  # 1-based line where the block starts (after CRLF -> LF)
    source: str = ""  # the original lines, verbatim


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks up to the next heading (the preamble has id "" and no heading)."""

    id: str  # the explicit {#id}, "" for the preamble, or derived "_section-N"
    explicit: bool  # whether `id` is written in the document (preamble counts as explicit)
    title: str  # normalised heading text ("" for the preamble)
    level: int  # heading level, 0 for the preamble
    blocks: tuple[Block, ...]  # the heading block first, except in the preamble
    index: int  # position in its document (the preamble is 0)


@dataclass(frozen=True, slots=True)
class BlockDiff:
    """A block of the old version aligned with one of the new (either may be missing)."""

    old: Block | None
    new: Block | None
    ops: tuple[Op, ...]  # token runs; "equal"+"delete" = old.text, "equal"+"insert" = new.text

    @property
    def status(self) -> BlockStatus:
        if self.old is None:
            return BlockStatus.INSERTED
        if self.new is None:
            return BlockStatus.DELETED
        if any(op != "equal" for op, _ in self.ops):
            return BlockStatus.CHANGED
        return BlockStatus.EQUAL

    def side(self, side: Literal["old", "new"]) -> Block | None:
        """The block as that version writes it (its own list marker, heading level, number),
        or None when it is not in that version."""
        return self.old if side == "old" else self.new

    @property
    def block(self) -> Block:
        """The block as it is shown: the new one, or the old one when it was deleted."""
        block = self.new or self.old
        assert block is not None
        return block

    @property
    def kind(self) -> BlockKind:
        return self.block.kind


@dataclass(frozen=True, slots=True)
class SectionDiff:
    """A section of the old version paired with one of the new, and its block diffs."""

    id: str
    old_title: str | None  # None when the section was added
    new_title: str | None  # None when the section was deleted
    status: SectionStatus
    moved: bool  # its position relative to the other matched sections changed
    blocks: tuple[BlockDiff, ...]
    old: Section | None = None
    new: Section | None = None

    def side(self, side: Literal["old", "new"]) -> Section | None:
        """The section as that version has it, or None when it is not in that version."""
        return self.old if side == "old" else self.new

    @property
    def title(self) -> str:
        """The title to show: the new one, or the old one for a deleted section."""
        return self.new_title if self.new_title is not None else (self.old_title or "")

    @property
    def old_index(self) -> int | None:
        return None if self.old is None else self.old.index

    @property
    def level(self) -> int:
        section = self.new or self.old
        return section.level if section else 0

    @property
    def is_changed(self) -> bool:
        """Whether its text or its place changed (added, gone, edited, renumbered or moved)."""
        return self.status != SectionStatus.UNCHANGED or self.moved

    @property
    def is_substantive(self) -> bool:
        """Whether its wording changed: added, gone, or edited beyond its heading's number.

        Renumbering a heading (`9.` -> `10.`, `제9조` -> `제10조`) changes no obligation.
        """
        if self.status != SectionStatus.CHANGED:
            return self.status != SectionStatus.UNCHANGED
        return not all(_is_renumbering(b) for b in self.blocks if b.status != BlockStatus.EQUAL)

    @property
    def kinds(self) -> tuple[str, ...]:
        """What a reader is told happened to it: its status when substantive, then "moved"."""
        return ((str(self.status),) if self.is_substantive else ()) + (
            ("moved",) if self.moved else ()
        )


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    """The diff of two documents: sections in new-document order, deleted ones where they were."""

    sections: tuple[SectionDiff, ...]

    def changed_section_ids(self) -> set[str]:
        """Ids of sections whose text or place changed at all, renumbering included."""
        return {s.id for s in self.sections if s.is_changed}

    def listed_sections(self) -> list[SectionDiff]:
        """The sections a reader is told about: substantive changes and moves, in order.

        Every listing of changed sections asks this (the changes page, its comparison table,
        `redline diff`, the job summary). A section whose only change is its heading's number
        is not listed; the comparison and the redline still show the new number wherever
        they show the section.
        """
        return [s for s in self.sections if s.is_substantive or s.moved]

    def ancestors(self) -> dict[str, tuple[str, ...]]:
        """The ids of the sections that contain each section, outermost first.

        A change in `### 회사 내부 방침 {#retention-internal}` is a change of the `retention`
        section that holds it: materiality is configured on the top-level ids.
        """
        out: dict[str, tuple[str, ...]] = {}
        stack: list[tuple[int, str]] = []
        for section in self.sections:
            if not section.id:
                continue
            while stack and stack[-1][0] >= section.level:
                stack.pop()
            out[section.id] = tuple(ident for _, ident in stack)
            stack.append((section.level, section.id))
        return out

    def substantive_ids(self) -> set[str]:
        """Sections whose wording changed, with the sections containing them.

        Moving a section and renumbering its heading (`9.` -> `10.`, `제9조` -> `제10조`)
        change no obligation, so they do not count here.
        """
        ancestors = self.ancestors()
        hit: set[str] = set()
        for section in self.sections:
            if not section.is_substantive:
                continue
            hit.add(section.id)
            hit.update(ancestors.get(section.id, ()))
        return hit

    def sections_within(self, ids: Collection[str]) -> set[str]:
        """Ids of the sections listed in `ids` and of every section inside one of them.

        Inside is as in `ancestors`: with ids = {"retention"}, `### … {#retention-internal}`
        under `## … {#retention}` is within. Every section of the diff counts, whether it
        changed or not. The renderers mark a changed section material when it is within the
        configured material sections.
        """
        listed = set(ids)
        ancestors = self.ancestors()
        return {
            s.id
            for s in self.sections
            if s.id in listed or not listed.isdisjoint(ancestors.get(s.id, ()))
        }

    def material_ids(self, material_sections: Collection[str]) -> set[str]:
        """The substantive changes within the material sections.

        That is the ids of `substantive_ids()` (sections whose wording changed, with the
        sections that contain them; a move or a renumbered heading does not count) that are
        listed in `material_sections` or lie inside a listed section (`sections_within`).
        With material_sections = {"retention"} and only `### … {#retention-internal}` under
        `## … {#retention}` edited, it is {"retention-internal", "retention"}: the changed
        section and its listed ancestor, but no unlisted section holding `retention`.
        Intersected with `material_sections`, it gives the listed sections the amendment
        touches ({"retention"}); empty means no material section changed.
        """
        return self.substantive_ids() & self.sections_within(material_sections)

    @property
    def is_empty(self) -> bool:
        """True when the two documents have the same normalised text in the same order."""
        return not any(s.is_changed for s in self.sections)

    def iter_ops(self, order: Literal["old", "new"] = "new") -> Iterator[Op]:
        """Every token run of the whole diff, blocks terminated by a "\\n" run.

        With order="new" sections come as in `sections`; with order="old" moved sections are
        walked at their old place, so that the equal+delete runs spell the old normalised
        text. The two orders differ only when a section moved.
        """
        for section in self._ordered(order):
            for block in section.blocks:
                yield from block.ops
                status = block.status
                if status == BlockStatus.DELETED:
                    yield ("delete", "\n")
                elif status == BlockStatus.INSERTED:
                    yield ("insert", "\n")
                else:
                    yield ("equal", "\n")

    def old_text(self) -> str:
        """The old normalised text, rebuilt from the diff (equal + delete runs)."""
        return "".join(t for op, t in self.iter_ops("old") if op != "insert")

    def new_text(self) -> str:
        """The new normalised text, rebuilt from the diff (equal + insert runs)."""
        return "".join(t for op, t in self.iter_ops("new") if op != "delete")

    def _ordered(self, order: str) -> list[SectionDiff]:
        if order == "new" or not any(s.moved for s in self.sections):
            return list(self.sections)
        out = [s for s in self.sections if not s.moved]
        moved = sorted((s for s in self.sections if s.moved), key=lambda s: s.old_index or 0)
        for section in moved:
            # Its old predecessor is already in `out`: unmoved and deleted sections always
            # are, moved ones are placed in increasing old order.
            before = (section.old_index or 0) - 1
            at = next(k for k, s in enumerate(out) if s.old_index == before)
            out.insert(at + 1, section)
        return out


_NUMBERING = re.compile(r"^(?:제\s*)?\d+(?:\.\d+)*(?:조|항|호|\.|\))?$|^[\s.()]*$")


def _is_renumbering(block: BlockDiff) -> bool:
    """A heading whose only change is its number."""
    if block.kind != BlockKind.HEADING or block.old is None or block.new is None:
        return False
    return all(_NUMBERING.match(text.strip()) for op, text in block.ops if op != "equal")
