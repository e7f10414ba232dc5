"""Warnings for easy mistakes in a version still being decided (they do not block):

- a date in the policy's own text that says when it takes effect ("이 방침은 2026년 12월 10일
  부터 시행합니다", "effective as of 1 March 2027") but differs from the file's effective date;
- sections that changed in one language but not in another (a translation left behind).
"""

from __future__ import annotations

import re
from datetime import date

from ..dates import parse_day
from ..diff import diff_documents
from ..findings import WARNING, Finding
from ..locale import MONTHS_EN
from ..model import Policy, Project, Version
from .common import fmt

_MONTH = "|".join(MONTHS_EN)
# The phrase first, the date within a few words: "이 방침은 2026년 12월 10일부터 시행합니다",
# "effective (as of|from|on) 1 March 2027 / March 1, 2027 / 2027-03-01".
_KO = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일\s*(?:부터|부)\s*(?:시행|적용)")
_EN = re.compile(
    rf"(?i:effective|in force|takes? effect|come[s]? into (?:force|effect)|applies)"
    rf"\s+(?:as of\s+|from\s+|on\s+)?"
    rf"(?:(\d{{1,2}}) ({_MONTH}) (\d{{4}})|({_MONTH}) (\d{{1,2}}),? (\d{{4}})|(\d{{4}}-\d{{2}}-\d{{2}}))"
)


def stated_dates(text: str) -> list[tuple[int, date]]:
    """(offset, day) of every date the text says it takes effect on."""
    out = []
    for m in _KO.finditer(text):
        out.append((m.start(), _day(int(m[1]), int(m[2]), int(m[3]))))
    for m in _EN.finditer(text):
        if m[7]:
            out.append((m.start(), parse_day(m[7])))
        elif m[1]:
            out.append((m.start(), _day(int(m[3]), MONTHS_EN.index(m[2]) + 1, int(m[1]))))
        else:
            out.append((m.start(), _day(int(m[6]), MONTHS_EN.index(m[4]) + 1, int(m[5]))))
    return [(k, d) for k, d in out if d is not None]


def _day(year: int, month: int, day_: int) -> date | None:
    try:
        return date(year, month, day_)
    except ValueError:
        return None


def _stated_date_warnings(v: Version) -> list[Finding]:
    out = []
    for f in v.files.values():
        for offset, day in stated_dates(f.body):
            if day != v.effective:
                out.append(
                    Finding(
                        "R5",
                        f.path,
                        f"the text says it takes effect on {fmt(day)}, but the file's effective "
                        f"date is {fmt(v.effective)}",
                        "correct the date in the text, or rename the files to the date meant",
                        f.body_line + f.body.count("\n", 0, offset),
                        severity=WARNING,
                    )
                )
    return out


def _changed_ids(policy: Policy, v: Version, lang: str) -> set[str] | None:
    previous = policy.previous(v)
    if previous is None or lang not in v.files or lang not in previous.files:
        return None
    diff = diff_documents(previous.files[lang].body, v.files[lang].body)
    return diff.substantive_ids()


def _translation_warnings(policy: Policy, v: Version) -> list[Finding]:
    by_lang = {lang: _changed_ids(policy, v, lang) for lang in v.files}
    main = by_lang.get(v.default_language)
    out = []
    for lang, ids in sorted(by_lang.items()):
        if lang == v.default_language or ids is None or main is None or ids == main:
            continue
        only = sorted(main - ids)
        extra = sorted(ids - main)
        parts = ([f"changed in {v.default_language} only: {', '.join(only)}"] if only else []) + (
            [f"changed in {lang} only: {', '.join(extra)}"] if extra else []
        )
        out.append(
            Finding(
                "R4",
                v.files[lang].path,
                f"the languages do not change the same sections ({'; '.join(parts)})",
                "bring the translation up to date, or check the original",
                severity=WARNING,
            )
        )
    return out


def _open(project: Project):
    """Amendments still ahead (a pending edit of a version in force is R3's alone)."""
    for policy in project.policies.values():
        for v in policy.versions:
            if v.effective > project.today and not v.imported:
                yield policy, v


def stated_date_warnings(project: Project) -> list[Finding]:
    """R5 (warning): the text's own effective date agrees with the file's."""
    return [f for _, v in _open(project) for f in _stated_date_warnings(v)]


def translation_warnings(project: Project) -> list[Finding]:
    """R4 (warning): every language changes the same sections."""
    return [f for policy, v in _open(project) for f in _translation_warnings(policy, v)]
