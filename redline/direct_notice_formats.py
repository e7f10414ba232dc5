"""The direct notice (`direct_notice.Notice`) written out: plain text, HTML, or an email.

- `text`: one notice per language, separated by a line;
- `html`: one small self-contained document per language (templates/direct_notice.html,
  rendered by the same autoescaping Jinja2 environment as the site's fragments);
- `eml`: one RFC 5322 message, a multipart/alternative (text and HTML) per language, inside
  a multipart/mixed when there are several. Headers are RFC 2047-encoded and bodies base64
  or quoted-printable, so the message is 7-bit clean; `From`, `To` and `Date` are left to
  the tool that sends it.
"""

from __future__ import annotations

import email.policy
from email.header import Header
from email.message import EmailMessage

from .direct_notice import Block, Item, Notice
from .fragments import template
from .locale import t

SEPARATOR = "\n" + "-" * 72 + "\n\n"
_HTML = template("direct_notice.html")
# 7-bit: whatever the transport, the message arrives as it was written.
_EMAIL = email.policy.default.clone(cte_type="7bit")


class _Subject(str):
    """A Subject header encoded here, whole, as RFC 2047 encoded words.

    Python's email library decodes any `=?charset?b?...?=` in a header value it is given and
    writes the text that looks like one back raw, so a title holding `=?utf-8?b?SGVsbG8=?=`
    reached readers as "Hello". Encoded whole, every character of the subject is inside an
    encoded word and reads back as written. The email policy folds a header object with a
    `name` by calling its `fold` (`EmailPolicy._fold`); `str` gives the subject itself.
    """

    name = "Subject"

    def fold(self, *, policy: email.policy.Policy) -> str:
        encoded = Header(str(self), "utf-8", header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


def _item(item: Item) -> str:
    return f"- {item.label}: {item.text}" if item.label else f"- {item.text}"


def _block(lang: str, block: Block) -> str:
    chunks = list(block.paragraphs)
    if block.items:
        chunks.append("\n".join(_item(i) for i in block.items))
    body = "\n\n".join(chunks)
    return f"{t(lang, 'direct_heading', heading=block.heading)}\n{body}" if block.heading else body


def notice_body(notice: Notice) -> str:
    return "\n\n".join(_block(notice.lang, b) for b in notice.blocks) + "\n"


def notice_text(notice: Notice) -> str:
    """The body under a subject line (an email's body has its subject in the header)."""
    return (
        t(notice.lang, "direct_subject_label", subject=notice.subject)
        + "\n\n"
        + notice_body(notice)
    )


def notice_html(notice: Notice) -> str:
    return _HTML.render(notice=notice) + "\n"


def _alternative(notice: Notice) -> EmailMessage:
    part = EmailMessage(policy=_EMAIL)
    part.set_content(notice_body(notice))
    part.add_alternative(notice_html(notice), subtype="html")
    part["Content-Language"] = notice.lang
    return part


def notice_message(notices: list[Notice]) -> EmailMessage:
    """One message: the notice in every language, each as text and HTML alternatives."""
    parts = [_alternative(n) for n in notices]
    if len(parts) == 1:
        message = parts[0]
    else:
        message = EmailMessage(policy=_EMAIL)
        message.make_mixed()
        for part in parts:
            message.attach(part)
        message["Content-Language"] = ", ".join(n.lang for n in notices)
    for part in message.walk():
        del part["MIME-Version"]  # a header of the message, not of its parts
    message["MIME-Version"] = "1.0"
    message["Subject"] = _Subject(" / ".join(n.subject for n in notices))
    return message


def render(notices: list[Notice], fmt: str) -> str:
    if fmt == "eml":
        return notice_message(notices).as_bytes().decode("ascii")
    write = notice_html if fmt == "html" else notice_text
    return SEPARATOR.join(write(n) for n in notices)
