"""Text from policy files made harmless for where it is written: every control character
shown, never obeyed.

A policy file, a file name or a front-matter key can hold escape sequences (`\\x1b[2J` clears
a terminal, `\\x1b]8;;` writes links), C1 controls (U+009B is a one-character CSI in many
terminals) and bidirectional overrides (U+202E makes text read in another order than it is
stored). Everything Redline prints or renders passes through here: C0 controls become their
pictures (␛), DEL ␡, C1 controls and bidi overrides a visible `⟨U+009B⟩`. Tab, line feed
and carriage return stay (`visible_line` shows the line breaks too). `json_text` escapes the
same characters the JSON way, so `--format json` stays exact.
"""

from __future__ import annotations

import re

CONTROLS = {c: 0x2400 + c for c in range(32) if chr(c) not in "\t\n\r"}
CONTROLS[0x7F] = 0x2421
_NAMED = [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
CONTROLS.update({c: f"⟨U+{c:04X}⟩" for c in _NAMED})  # type: ignore[misc]
_ANY = re.compile("[" + "".join(re.escape(chr(c)) for c in CONTROLS) + "]")
_JSON = re.compile("[" + "".join(re.escape(chr(c)) for c in _NAMED) + "]")


def visible(text: str) -> str:
    """Control characters shown as pictures or code points (tab, LF and CR kept)."""
    # str.translate looks up every character; the scan alone is ten times faster.
    return text.translate(CONTROLS) if _ANY.search(text) else text


# Line breaks `visible` keeps that are not LF or CR: Python's str.splitlines and its email
# headers (which refuse them like a linefeed) break lines there, as do JavaScript and editors.
_SEPARATORS = str.maketrans({"\u2028": "⟨U+2028⟩", "\u2029": "⟨U+2029⟩"})


def visible_line(text: str) -> str:
    """`visible`, and line breaks too: for what must stay on one line (a Subject header,
    which an email library refuses to write with any line break in it, U+2028 included)."""
    shown = visible(text).replace("\r", "␍").replace("\n", "␤")
    return shown.translate(_SEPARATORS) if "\u2028" in shown or "\u2029" in shown else shown


def json_text(text: str) -> str:
    """A JSON document with the C1 controls and bidi overrides json.dumps leaves raw (with
    ensure_ascii=False) written as \\u escapes; they can only occur inside strings."""
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
