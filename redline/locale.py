"""Every word Redline itself puts on a page, in each language it ships (others fall back to
English). The words live in `redline/words/<lang>.py`; this module chooses and fills them."""

from __future__ import annotations

from datetime import date

from .words import en, ko

STRINGS: dict[str, dict[str, str]] = {"ko": ko.WORDS, "en": en.WORDS}

# The site's languages named in each language it ships (the sentence that the original prevails).
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "ko": {
        "ko": "한국어",
        "en": "영어",
        "ja": "일본어",
        "zh": "중국어",
        "de": "독일어",
        "fr": "프랑스어",
    },
    "en": {
        "ko": "Korean",
        "en": "English",
        "ja": "Japanese",
        "zh": "Chinese",
        "de": "German",
        "fr": "French",
    },
}

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def subject(lang: str, title: str) -> str:
    """The title as the subject of a sentence (Korean picks 이/가 by the final consonant)."""
    if lang == "ko":
        last = title.rstrip()[-1:]
        if "가" <= last <= "힣":
            return title + ("이" if (ord(last) - 0xAC00) % 28 else "가")
        return f"{title}이(가)"
    if lang == "en":
        return f"The {title}" if not title.lower().startswith("the ") else title
    return title


def days_left(lang: str, days: int) -> str:
    if lang != "ko" and days == 1:
        return t(lang, "day_left")
    return t(lang, "days_left", days=days)


def language_name(lang: str, of: str) -> str:
    """The language `of`, named in `lang` (its code when no name is known)."""
    return (LANGUAGE_NAMES.get(lang) or LANGUAGE_NAMES["en"]).get(of, of)


def t(lang: str, key: str, **values: object) -> str:
    table = STRINGS.get(lang) or STRINGS["en"]
    return (table.get(key) or STRINGS["en"][key]).format(**values)


def day(lang: str, value: date) -> str:
    """A date as a reader of that language writes it."""
    if lang == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
