# Redline's MkDocs hook, installed with Redline (pip install redline-policies).
from redline_mkdocs.hook import *  # noqa: F403
