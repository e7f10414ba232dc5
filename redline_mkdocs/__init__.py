"""Redline's adapter to MkDocs: the hook and the theme templates it puts on the theme's
search path. The one package that knows MkDocs; the engine (`redline`) never imports it.

A site uses it through a two-line hook file (`hooks/redline_hook.py`, written by
`redline init`): `from redline_mkdocs.hook import *`. A site's own `theme.custom_dir`
still wins over these templates.
"""

from pathlib import Path

THEME = Path(__file__).with_name("theme")
