"""What the engine reports about a repository: findings a user can act on.

Every finding names the file (and line, where there is one), the rule and the fix, so that
the build, the command line and CI can show it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from .visible import visible_line

ERROR = "error"
WARNING = "warning"

RULE_TITLES = {
    "R1": "notice window",
    "R2": "materiality floor",
    "R3": "frozen history",
    "R4": "complete translations",
    "R5": "valid input",
    "R6": "history present",
    "R7": "gate changes alone",
    "R8": "approval recorded",
    "config": "configuration",
    "site": "built site",
    "pdf": "PDF",
    "usage": "usage",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    message: str
    fix: str
    line: int | None = None
    severity: str = ERROR

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def title(self) -> str:
        """`R1 notice window` for a rule; `configuration` or `usage` for what is not one."""
        name = RULE_TITLES.get(self.rule, "")
        if not self.rule.startswith("R"):
            return name or self.rule
        return f"{self.rule} {name}".strip()

    def format(self) -> str:
        """How the terminal, the build's log and the text report show it; any control
        character from a file name or policy text is shown, never obeyed."""
        location, message, fix = (visible_line(x) for x in (self.location, self.message, self.fix))
        return f"{location}: {self.severity}: {self.title}: {message}\n    fix: {fix}"

    def sort_key(self) -> tuple:
        return (self.severity != ERROR, self.path, self.line or 0, self.rule, self.message)


class CannotRun(Exception):
    """The tools cannot work on this input at all (exit code 2): no repository, shallow history."""

    def __init__(self, finding: Finding):
        super().__init__(finding.format())
        self.finding = finding


def usage(what: str, message: str, fix: str) -> CannotRun:
    """A request the command cannot carry out as given (exit 2): the option or file, the
    problem and the fix."""
    return CannotRun(Finding("usage", what, message, fix))


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def format_all(findings: list[Finding]) -> str:
    return "\n".join(f.format() for f in sorted(findings, key=Finding.sort_key))
