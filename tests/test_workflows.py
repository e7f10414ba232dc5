"""The GitHub Actions workflows: valid against the public schema, and safe as SPEC requires."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ruamel.yaml import YAML

from redline.config import load_settings

PROJECT = Path(__file__).resolve().parents[1]
WORKFLOWS = PROJECT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def load(name: str) -> dict:
    return YAML(typ="safe").load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def runs(workflow: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(workflow))


@pytest.fixture(scope="module")
def pr() -> dict:
    return load("pull-request.yml")


@pytest.fixture(scope="module")
def publish() -> dict:
    return load("publish.yml")


def test_workflows_are_valid_by_the_public_schema():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) >= 2
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def gate() -> dict:
    return load("gate.yml")


def test_pull_request_target_only_for_the_gate(gate):
    for path in WORKFLOWS.glob("*.y*ml"):
        if path.name != "gate.yml":
            assert "pull_request_target" not in path.read_text(encoding="utf-8"), path.name
    assert set(gate["on"]) == {"pull_request_target"}


def test_the_gate_runs_the_base_branch_s_code_and_never_the_pull_request_s(gate):
    """pull_request_target runs gate.yml as it is on the base branch; the job installs
    Redline from the base branch's checkout and reads the pull request as data only."""
    assert gate["permissions"] == {"contents": "read"}
    (job,) = gate["jobs"].values()
    assert job["name"] == "Redline gate" and "permissions" not in job
    text = (WORKFLOWS / "gate.yml").read_text(encoding="utf-8")
    assert "secrets." not in text
    checkouts = {
        s["with"]["path"]: s["with"] for s in job["steps"] if "checkout@" in s.get("uses", "")
    }
    assert checkouts["base"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkouts["pr"]["ref"].startswith("refs/pull/") and checkouts["pr"]["fetch-depth"] == 0
    assert all(c["persist-credentials"] is False for c in checkouts.values())
    commands = [
        (s.get("run", ""), s.get("working-directory"), s.get("env", {})) for s in job["steps"]
    ]
    installs = [c for c, _, _ in commands if "pip install" in c]
    assert installs == ["pip install -r base/requirements.txt ./base"]
    (check,) = [c for c in commands if "redline check" in c[0]]
    assert check[0] == 'redline check --base "origin/$BASE_REF" --format github'
    assert check[1] == "pr" and check[2]["PYTHONSAFEPATH"] == "1"
    assert check[2]["BASE_REF"] == "${{ github.base_ref }}"
    # Nothing else runs: no build, no script of the pull request's.
    assert not any("mkdocs" in c or "python" in c or "make" in c for c, _, _ in commands)


def _git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@a.test"}
    env |= {"GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@a.test", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _merge_ref(root: Path) -> tuple[str, str]:
    """A pull request's repository as the gate checks it out: HEAD the merge of its head into
    the base, as refs/pull/N/merge is. The head merged, and a head pushed after it."""
    _git(root, "init", "-q", "-b", "main")
    _git(root, "commit", "-q", "--allow-empty", "-m", "base")
    _git(root, "checkout", "-q", "-b", "pr")
    _git(root, "commit", "-q", "--allow-empty", "-m", "the head merged")
    merged = _git(root, "rev-parse", "HEAD")
    _git(root, "commit", "-q", "--allow-empty", "-m", "pushed after GitHub merged")
    pushed = _git(root, "rev-parse", "HEAD")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "-m", "merge", merged)
    return merged, pushed


def test_the_gate_runs_again_when_the_base_branch_changes(gate):
    """A pull request's base can be changed after its gate passed: judged against a branch
    with laxer settings, or one where a version in force was already rewritten, its pass
    stayed on the head for the default branch too. `edited` (base, title or description)
    runs the whole gate again; never behind an `if:`, as a skipped check counts as passed."""
    assert "edited" in gate["on"]["pull_request_target"]["types"]
    assert all("if" not in job for job in gate["jobs"].values())


def test_the_gate_judges_the_pull_request_s_head_not_a_stale_merge_ref(gate, tmp_path):
    """refs/pull/N/merge is updated by GitHub after the event, and never while the pull
    request conflicts with its base: checked out as it stands it can be the merge of an
    earlier head, whose pass would be reported for the head just pushed. The gate refuses
    to judge a merge whose second parent is not the event's head."""
    (job,) = gate["jobs"].values()
    (guard,) = [s for s in job["steps"] if "HEAD_SHA" in s.get("env", {})]
    assert guard["env"]["HEAD_SHA"] == "${{ github.event.pull_request.head.sha }}"
    assert guard["working-directory"] == "pr"
    names = [s.get("name", "") for s in job["steps"]]
    assert names.index(guard["name"]) < next(i for i, n in enumerate(names) if "Gate" in n)
    merged, pushed = _merge_ref(tmp_path)
    for head, code in ((merged, 0), (pushed, 1)):
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", guard["run"]],
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HEAD_SHA": head},
            capture_output=True,
            text=True,
        )
        assert done.returncode == code, done.stdout + done.stderr
    assert done.stdout.startswith("::error::") and pushed in done.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version():
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                ref = line.split("uses:", 1)[1].strip()
                assert PINNED.match(ref), f"{path.name}: {ref}"


def test_every_checkout_has_the_full_history(pr, publish, gate):
    for workflow in (pr, publish, gate):
        checkouts = [
            s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@")
        ]
        assert checkouts
        for step in checkouts:
            assert step["with"]["fetch-depth"] == 0
            assert step["with"]["persist-credentials"] is False


def test_least_privilege_permissions(pr, publish, gate):
    for workflow in (pr, publish, gate):
        assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in pr["jobs"].values())
    writers = {
        name: job["permissions"] for name, job in publish["jobs"].items() if "permissions" in job
    }
    assert writers == {
        "deploy": {"pages": "write", "id-token": "write"},
        "attest": {"contents": "read", "id-token": "write", "attestations": "write"},
    }


def test_pull_request_workflow_builds_a_preview_and_judges_nothing(pr):
    assert set(pr["on"]) == {"pull_request"}
    commands = runs(pr)
    assert "pip install -r requirements.txt -e ." in commands
    assert "redline check" not in commands  # the pull request's own gate would prove nothing
    assert "mkdocs build --strict --site-dir site" in commands
    assert " -q" not in commands  # -q with --strict hides warnings and exits 0
    names = [s.get("uses", "").split("@")[0] for s in steps(pr)]
    assert names.index("actions/upload-artifact") == len(names) - 1
    upload = steps(pr)[-1]
    assert upload["with"]["path"] == "site/"


def test_publish_workflow_triggers(publish):
    triggers = publish["on"]
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["workflow_dispatch"]["inputs"]["published"]["default"] == "site"
    # A run by hand cannot name another ledger (one that claims earlier announcement days).
    assert triggers["workflow_dispatch"]["inputs"]["published"]["options"] == ["site", "none"]
    assert triggers["push"]["branches"] == ["main"]
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    minute, hour, *rest = cron.split()
    assert rest == ["*", "*", "*"]
    # Shortly after midnight in the policies' time zone, whatever the day of the year.
    tz = load_settings(PROJECT / "mkdocs.yml").timezone
    for month in (1, 7):
        utc = datetime(2027, month, 10, int(hour), int(minute), tzinfo=ZoneInfo("UTC"))
        local = utc.astimezone(tz)
        assert local.hour == 0 and 0 < local.minute <= 30, local


def _evaluate(expression: str, github: dict) -> bool:
    """A GitHub Actions `if:` of `||`, `&&`, `==` and format() over the github context, as
    the runner evaluates it: a missing property is null, and null formats as ''."""

    def value(term: str):
        term = term.strip()
        if term.startswith("format("):
            template, *args = [a.strip() for a in term[len("format(") : -1].split(",")]
            return value(template).format(*(value(a) or "" for a in args))
        if term.startswith("'"):
            return term[1:-1]
        found = {"github": github}
        for key in term.split("."):
            found = found.get(key) if isinstance(found, dict) else None
        return found

    def comparison(text: str) -> bool:
        left, _, right = text.partition("==")
        return value(left) == value(right) if right else bool(value(left))

    return any(
        all(comparison(part) for part in alternative.split("&&"))
        for alternative in expression.split("||")
    )


def test_the_nightly_run_publishes(publish):
    """A schedule event's payload holds no `repository` (github.event.repository is null), so
    an `if:` comparing github.ref with the default branch from it skipped the build every
    night: versions went into force only when someone pushed. Schedules run on the default
    branch; a push or a run by hand elsewhere still publishes nothing."""
    condition = publish["jobs"]["build"]["if"]
    repository = {"repository": {"default_branch": "main"}}
    events = [
        ({"event_name": "schedule", "ref": "refs/heads/main", "event": {}}, True),
        ({"event_name": "push", "ref": "refs/heads/main", "event": repository}, True),
        ({"event_name": "workflow_dispatch", "ref": "refs/heads/main", "event": repository}, True),
        ({"event_name": "workflow_dispatch", "ref": "refs/heads/x", "event": repository}, False),
        ({"event_name": "push", "ref": "refs/heads/x", "event": repository}, False),
    ]
    for github, runs in events:
        assert _evaluate(condition, github) is runs, github


def test_publish_workflow_gates_builds_and_deploys(publish):
    assert publish["concurrency"]["group"] == "pages"
    assert publish["concurrency"]["cancel-in-progress"] is False
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert "default_branch" in build["if"]
    commands = [s.get("run", "") for s in build["steps"]]
    gate = commands.index("redline check --format github")
    built = commands.index("mkdocs build --strict --site-dir site")
    assert built > gate
    # Whatever built it, a site without today's records is never uploaded.
    assert commands.index("redline check --site site") > built
    # Notice is counted from the live ledger, in the gate and in the build.
    ledger = "${{ inputs.published || vars.REDLINE_PUBLISHED || 'site' }}"
    for step in build["steps"]:
        if "redline check" in step.get("run", "") or "mkdocs build" in step.get("run", ""):
            assert step["env"]["REDLINE_PUBLISHED"] == ledger
    assert build["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert deploy["needs"] == ["build", "attest"]
    attest = publish["jobs"]["attest"]
    (provenance,) = [s for s in attest["steps"] if "attest-build-provenance" in s.get("uses", "")]
    assert "site/versions.json" in provenance["with"]["subject-path"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")


def test_publish_workflow_prints_a_pdf_of_every_version(publish):
    build = publish["jobs"]["build"]
    commands = [s.get("run", "") for s in build["steps"]]
    assert "pip install -r requirements.txt -e '.[pdf]'" in commands
    (browser,) = [i for i, c in enumerate(commands) if "playwright install" in c]
    assert "python -m playwright install --with-deps chromium" in commands[browser]
    assert "fonts-noto-cjk" in commands[browser]  # Korean text in Korean type
    site = commands.index("mkdocs build --strict --site-dir site")
    assert browser < site
    assert build["steps"][site]["env"]["REDLINE_PDF"] == "1"
    (refuse,) = [c for c in commands[site:] if "versions.json" in c]
    assert "-name '*.pdf'" in refuse  # a deploy without the PDFs is refused


def test_the_pdf_extra_names_what_the_requirements_pin():
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["optional-dependencies"]["pdf"] == ["playwright>=1.45"]
    pins = (PROJECT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    (pin,) = [line for line in pins if line.startswith("playwright==")]
    assert tuple(map(int, pin.split("==")[1].split(".")[:2])) >= (1, 45)


def test_python_version_matches_the_package(pr, publish, gate):
    pyproject = (PROJECT / "pyproject.toml").read_text()
    floor = re.search(r'requires-python = ">=(\d+\.\d+)"', pyproject)[1]
    for workflow in (pr, publish, gate):
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["python-version"] == floor
