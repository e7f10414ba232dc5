"""Which tokens of a block are Markdown syntax the page does not show as written.

The comparison quotes each version as its page shows it: `*강조*` is emphasised, not starred;
`[약관](https://…)` reads "약관"; `<https://…>` reads the address; a quotation's `>` and an
admonition's `!!! note "제목"` are no words of it. `marks` says, token by token, what each
such piece of syntax becomes; the renderer writes everything else as escaped text.

A link's address is not on the page as words, but a change of it changes where the link
goes: it is kept, after the link's words, as an `ADDRESS` (its own token, so a changed
address is marked whole). Only what the page itself would make of the text is ever made an
element (emphasis, in the renderer's own tags); a delimiter that pairs with nothing stays
text, as on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .model import Block, BlockKind, Op

DROP = "drop"  # syntax the page does not show
ADDRESS = "address"  # a link's target `](url)`: shown as the address after the words
KIND = "kind"  # an admonition's type, shown as a label
# (tag, opens): an emphasis delimiter that pairs with another.
Mark = str | tuple[str, bool]

_DELIMS = {"*": "em", "_": "em", "**": "strong", "__": "strong"}
_URL = re.compile(r"(?:https?|ftp)://", re.I)
# Python-Markdown's admonition line: `!!! type "title"` (the title optional).
_ADMONITION = re.compile(r'^!!! ?[\w-]+(?: +[\w-]+)*(?: +"(.*?)")? *$')


def marks(
    tokens: Sequence[Op],
    block: Block | None,
    pair_ops: frozenset[str],
    emphasis_ops: frozenset[str] | None = None,
) -> dict[int, Mark]:
    """Token index -> what the page makes of it, for the tokens of one block's shown runs.

    Delimiters pair only among tokens of `pair_ops` (the side a column shows; the new side
    in the whole redline), so a pair is always one version's own markup. Emphasis pairs
    among `emphasis_ops` when given: the whole redline shows both versions in one text, so
    there only delimiters both versions have pair, and an emphasis added or removed shows
    as its inserted or deleted `**` instead of vanishing into the formatting.
    """
    found: dict[int, Mark] = {}
    texts = [t for _, t in tokens]
    side = [op in pair_ops for op, _ in tokens]
    present = set(texts)  # each reading runs only where its syntax can be (most blocks: bold)
    if block is not None and present & {">", "!"}:
        _block_syntax(texts, side, block, found)
    if "[" in present:
        _links(texts, side, found)
    if "<" in present:
        _autolinks(texts, side, found)
    if present & {"*", "_"}:
        emphasis = pair_ops if emphasis_ops is None else emphasis_ops
        _emphasis(texts, [op in emphasis for op, _ in tokens], found)
    return found


def _block_syntax(texts: list[str], side: list[bool], block: Block, found: dict) -> None:
    """A quotation's leading `>` and an admonition's `!!!`, type and quotes.

    Only at the start of the block, where Markdown reads them (the parser keeps them in the
    block's text, so that adding or removing one is a change)."""
    first = next((k for k, s in enumerate(side) if s), None)
    if first is None or block.kind != BlockKind.PARAGRAPH:
        return
    shown = "".join(t for t, s in zip(texts, side, strict=True) if s)
    if texts[first] == ">" and shown.startswith(">"):
        found[first] = DROP
        if first + 1 < len(texts) and texts[first + 1].isspace():
            found[first + 1] = DROP
        return
    line = admonition_line(shown, block.source)
    if line:
        _admonition(texts, side, first, line, found)


def _admonition(texts: list[str], side: list[bool], first: int, line: int, found: dict) -> None:
    """`!!! note "제목"`: the marks and quotes dropped, the type a label, the title kept;
    only on its first line (`line` characters): the box's text may follow on the next."""
    quotes = 0
    offset = 0
    for k in range(first, len(texts)):
        if not side[k]:
            continue
        text = texts[k]
        offset += len(text)
        if offset > line or quotes == 2:
            return
        if text == "!" or (text.isspace() and quotes == 0):
            found[k] = DROP
        elif text == '"' and quotes < 2:
            found[k] = DROP
            quotes += 1
        elif quotes == 0:
            found[k] = KIND


def _links(texts: list[str], side: list[bool], found: dict) -> None:
    """Each `](url)` that closes a `[` before it: the `[` dropped, the target an ADDRESS.
    In the whole redline a replaced target (deleted, then inserted) is an ADDRESS too."""
    opened: list[int] = []
    last_address: int | None = None
    for k, text in enumerate(texts):
        if text == "[" and side[k]:
            opened.append(k)
        elif text.startswith("](") and len(text) > 2:
            if side[k] and opened:
                found[opened.pop()] = DROP
                found[k] = ADDRESS
                last_address = k
            elif last_address == k - 1:
                found[k] = ADDRESS  # the other version's address of the same link
                last_address = k
    for k, text in enumerate(texts):  # the other version's address, written before
        if text.startswith("](") and found.get(k + 1) == ADDRESS and k not in found:
            found[k] = ADDRESS


def _autolinks(texts: list[str], side: list[bool], found: dict) -> None:
    """`<https://…>`: the page shows the address without its angle brackets."""
    for k in range(1, len(texts) - 1):
        brackets = texts[k - 1] == "<" and texts[k + 1] == ">" and side[k - 1] and side[k + 1]
        if brackets and _URL.match(texts[k]):
            found[k - 1] = found[k + 1] = DROP


def _emphasis(texts: list[str], side: list[bool], found: dict) -> None:
    """`*a*`, `_a_`, `**a**`, `__a__` as Python-Markdown pairs them (`_` never inside a
    word: `snake_case_name` is no emphasis); an opener left open when a later one closes
    stays text, so pairs always nest. Linear: a text of many lone `_` costs no more."""
    idx = [k for k, s in enumerate(side) if s]  # the side's tokens: neighbours are its own
    ts = [texts[k] for k in idx]
    stack: list[tuple[str, int, int]] = []  # (delimiter, first index, last index) in idx
    where: dict[str, list[int]] = {}  # delimiter -> its places on the stack
    candidates = [i for i, t in enumerate(ts) if t == "*" or t == "_"]  # only these looked at
    after_last = -1
    for i in candidates:
        if i <= after_last:
            continue  # the second mark of a `**` already read
        delim, last = _delimiter(ts, idx, i)
        after_last = last
        if idx[i] in found:
            continue
        before = ts[i - 1] if i else " "
        after = ts[last + 1] if last + 1 < len(ts) else " "
        underscore = delim[0] == "_"
        places = where.get(delim)
        if places and not (underscore and _wordish(after)):
            place = places[-1]
            _, start, start_last = stack[place]
            _pair(
                _DELIMS[delim],
                [idx[j] for j in range(start, start_last + 1)],
                [idx[j] for j in range(i, last + 1)],
                found,
            )
            for opener, _, _ in stack[place:]:  # those left open inside are text
                where[opener].pop()
            del stack[place:]
        elif not (underscore and _wordish(before)):
            where.setdefault(delim, []).append(len(stack))
            stack.append((delim, i, last))


def _pair(tag: str, opener: list[int], closer: list[int], found: dict) -> None:
    """An emphasis: its delimiters' tokens dropped, the first opening, the last closing."""
    for k in opener + closer:
        found[k] = DROP
    found[opener[0]] = (tag, True)
    found[closer[-1]] = (tag, False)


def _delimiter(ts: list[str], idx: list[int], i: int) -> tuple[str, int]:
    """The emphasis delimiter starting at `i` ("*", "**", "_", "__") and its last index."""
    if ts[i] not in ("*", "_"):
        return "", i
    if i + 1 < len(ts) and ts[i + 1] == ts[i] and idx[i + 1] == idx[i] + 1:
        return ts[i] * 2, i + 1
    return ts[i], i


def _wordish(text: str) -> bool:
    return bool(text) and (text[0].isalnum() or text[-1].isalnum())


def admonition_line(text: str, source: str) -> int:
    """The length, in a block's text, of its admonition line (`!!! note "제목"`); 0 when
    the block opens no admonition. Its first line of source says: the box's text may follow
    on the next line, in the same block."""
    if not text.startswith("!!!"):
        return 0
    line = " ".join(source.split("\n", 1)[0].split())
    return len(line) if _ADMONITION.match(line) and text.startswith(line) else 0


_EMPTY = re.compile(r"<(em|strong)></\1>")


def runs(
    tokens: Sequence[Op],
    found: dict[int, Mark],
    text: Callable[[str, str], str],
    syntax: Callable[[Mark, str], str],
) -> list[tuple[str, str]]:
    """(op, body) of each run of same-op tokens, as a renderer writes them: its `text` of
    the tokens between marks (op, text), its `syntax` of each DROP, ADDRESS or KIND, and
    emphasis as <em>/<strong>, closed at the end of each run and reopened at the start of
    the next, so that the elements always nest inside the renderer's <ins>/<del>. The
    tokens between two marks are written together (a `<br>` is three tokens)."""
    out: list[tuple[str, str]] = []
    open_tags: list[str] = []
    at = sorted(found)
    m = 0
    k = 0
    while k < len(tokens):
        op = tokens[k][0]
        end = k + 1
        while end < len(tokens) and tokens[end][0] == op:
            end += 1
        piece = [f"<{tag}>" for tag in open_tags]
        while m < len(at) and at[m] < end:
            mark = found[at[m]]
            piece.append(text(op, "".join(t for _, t in tokens[k : at[m]])))
            written = _tag(mark, open_tags) if isinstance(mark, tuple) else None
            piece.append(written if written is not None else syntax(mark, tokens[at[m]][1]))
            k = at[m] + 1
            m += 1
        piece.append(text(op, "".join(t for _, t in tokens[k:end])))
        piece += [f"</{tag}>" for tag in reversed(open_tags)]
        out.append((op, _EMPTY.sub("", "".join(piece))))
        k = end
    return out


def _tag(mark: tuple[str, bool], open_tags: list[str]) -> str:
    tag, opens = mark
    if opens:
        open_tags.append(tag)
        return f"<{tag}>"
    open_tags.pop()
    return f"</{tag}>"
