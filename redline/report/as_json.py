"""`redline check --format json`: `{findings, changed_versions}` and the verdict."""

from __future__ import annotations

import json

from ..findings import Finding
from ..model import Project
from ..notice import Deadline
from ..visible import json_text
from .result import CheckResult, files_of


def finding_json(f: Finding) -> dict:
    return {
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity,
        "file": f.path,
        "line": f.line,
        "message": f.message,
        "fix": f.fix,
    }


def version_json(d: Deadline, project: Project) -> dict:
    v = d.version
    return {
        "policy": v.policy,
        "version": v.number,
        "effective": v.slug,
        "change": v.change,
        "reason": v.main.reason,
        "announced": v.announced.isoformat(),
        "pending": v.pending,
        "notice_days": d.notice,
        "earliest_lawful": d.earliest.isoformat(),
        "merge_by": d.merge_by.isoformat(),
        "lawful": d.lawful,
        "files": files_of(project, v),
    }


def json_report(result: CheckResult) -> str:
    data = {
        "ok": result.exit_code == 0,
        "exit_code": result.exit_code,
        "today": result.today.isoformat(),
        "base": result.base,
        "published_ref": result.branch,
        "announcements_from": (
            None if result.project is None else "ledger" if result.project.ledger else "git"
        ),
        "ledger": result.project.ledger.source
        if result.project and result.project.ledger
        else None,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "findings": [finding_json(f) for f in result.findings],
        "changed_versions": [version_json(d, result.project) for d in result.changed]
        if result.project
        else [],
    }
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
