"""Every word Redline puts on a page exists in every language it ships."""

from __future__ import annotations

import re

from redline.locale import LANGUAGE_NAMES, STRINGS


def test_every_language_has_every_key():
    languages = sorted(STRINGS)
    for key in sorted(set().union(*(STRINGS[lang] for lang in languages))):
        assert all(key in STRINGS[lang] for lang in languages), key


def test_placeholders_are_words_the_callers_give():
    # A language may leave a value out ("Hello," without the company's name), never invent one.
    for key in STRINGS["en"]:
        used = {h for lang in STRINGS for h in re.findall(r"{(\w+)}", STRINGS[lang][key])}
        assert all(h.isidentifier() for h in used), (key, used)


def test_language_names_name_languages():
    for names in LANGUAGE_NAMES.values():
        assert set(names) == set(LANGUAGE_NAMES["en"])
        assert not any(key.startswith("direct_") for key in names)
