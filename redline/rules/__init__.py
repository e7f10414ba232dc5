"""The gate: rules R1-R7 over the model, one module a rule.

Each rule is a function `(project) -> list[Finding]` over the model only (no disk, no git),
so each can be tested, and removed, on its own. Dates are calendar days in the configured
time zone. To add a rule: write it in a module of its own here, give it a number and a title
in `findings.RULE_TITLES`, add it to `RULES`, and list it in the README's table.
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Finding
from ..model import Project
from ..notice import deadline
from .approval import r8_approval
from .common import days, fmt, pending_versions, policy_of, rename_fix
from .frozen_history import frozen_files, latest_announced, r3_frozen_history
from .gate_changes import gate_changes, r7_gate_changes_alone
from .materiality import amendment_diff, changed_sections, material_sections_changed, r2_materiality
from .notice_window import r1_notice_window
from .plausible_history import r6_plausible_history
from .translations import r4_translations
from .valid_input import r5_valid_input

__all__ = [
    "RULES",
    "amendment_diff",
    "changed_sections",
    "check",
    "days",
    "deadline",
    "fmt",
    "frozen_files",
    "gate_changes",
    "latest_announced",
    "material_sections_changed",
    "pending_versions",
    "policy_of",
    "rename_fix",
]


RULES: dict[str, Callable[[Project], list[Finding]]] = {
    "R1": r1_notice_window,
    "R2": r2_materiality,
    "R3": r3_frozen_history,
    "R4": r4_translations,
    "R5": r5_valid_input,
    "R6": r6_plausible_history,
    "R7": r7_gate_changes_alone,
    "R8": r8_approval,
}


def check(project: Project) -> list[Finding]:
    """Every finding of every rule, sorted: errors first, then by file and line."""
    findings: list[Finding] = []
    for rule in RULES.values():
        findings.extend(rule(project))
    return sorted(set(findings), key=Finding.sort_key)
