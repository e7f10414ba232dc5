"""Every word Redline puts on a page exists in every language it ships."""

from __future__ import annotations

from redline.locale import LANGUAGE_NAMES, STRINGS


def test_every_language_has_every_key():
    languages = sorted(STRINGS)
    for key in sorted(set().union(*(STRINGS[lang] for lang in languages))):
        assert all(key in STRINGS[lang] for lang in languages), key


def test_language_names_name_languages():
    for names in LANGUAGE_NAMES.values():
        assert set(names) == set(LANGUAGE_NAMES["en"])
        assert not any(key.startswith("direct_") for key in names)
