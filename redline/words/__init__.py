"""Redline's words, one module per language it ships (`redline.locale` chooses and fills them).

To add a language, add a module with the same keys as en.py (tests/test_locale.py checks
that every language has every key) and name it in `redline.locale.STRINGS`.
"""
