"""What `redline check` and `redline status` print, one module per output.

- `result.py`: one run of the gate (`CheckResult`) and the sentences every output shares;
- `text.py`: the terminal; `github.py`: annotations and stop-commands for GitHub Actions;
- `summary.py`: the pull request's job summary (Markdown); `as_json.py`: `--format json`;
- `status.py`: `redline status`.

Pure functions from findings and the model to text; the command line decides where it goes.
"""

from .as_json import json_report
from .github import annotation, github_report
from .result import CheckResult, changed_deadlines
from .status import status_report
from .summary import markdown_report
from .text import text_report

__all__ = [
    "CheckResult",
    "annotation",
    "changed_deadlines",
    "github_report",
    "json_report",
    "markdown_report",
    "status_report",
    "text_report",
]
