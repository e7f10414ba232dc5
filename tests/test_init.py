"""`redline init`: a company adopts Redline in its own repository.

The slow test does what a company does, from the wheel alone: build it, install it into a
fresh virtualenv from the package index, `redline init`, write the text, commit, build,
amend, build again. The others check init's refusals, that user text stays text in the YAML
it writes, and that what it writes keeps this repository's design (the gate on the base
branch's code, actions pinned by commit, the same Markdown extensions).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml as pyyaml  # MkDocs' YAML reader (1.1), next to Redline's (ruamel, 1.2)
from clikit import snapshot
from conftest import PROJECT
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from redline import cli, init
from redline.config import load_settings
from redline.site_config import read_site_config
from redline.sources import CONTROL
from redline.structure import heading_problems, section_ids
from redline.yaml_text import dump, front_matter

HOSTILE_NAMES = [
    'Acme: "정책" #1',
    "Acme: 정책 #1",
    "yes",
    "null",
    "~",
    "2026-01-01",
    "1:20",
    "- item",
    "&anchor *alias",
    "!!python/object/apply:os.system ['id']",
    "{a: b}",
    "[x, y]",
    "'single' and \"double\"",
    "% directive",
    "@at `tick` |pipe >fold",
    "#hash",
    "key:value",
    "Tab\there",
]
T0 = date(2026, 3, 2)  # the day the example company runs `redline init` (in the past)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Acme Legal",
    "GIT_AUTHOR_EMAIL": "legal@acme.test",
    "GIT_COMMITTER_NAME": "Acme Legal",
    "GIT_COMMITTER_EMAIL": "legal@acme.test",
}
FILLED = {  # what the company writes instead of the placeholder lines, by language
    "ko": "회사는 이 절의 내용을 다음과 같이 정합니다.",
    "en": "The company sets out this section as follows.",
}


def redline_init(folder: Path, *args: str) -> tuple[int, str]:
    """`redline init FOLDER ARGS` in this process: exit code and everything it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["init", str(folder), "--today", T0.isoformat(), *args])
    return code, out.getvalue()


def front_title(path: Path) -> object:
    head = path.read_text(encoding="utf-8").split("---\n")[1]
    return pyyaml.safe_load(head)["title"]


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--languages", "ko,e n"], "--languages"),
        (["--languages", "ko,ko"], "--languages"),
        (["--languages", "ko,"], "--languages"),
        # Codes the theme has no words for: the site would not build (Material's
        # partials/languages/<code>.html, and i18n's locale pattern, are case-sensitive).
        (["--languages", "ko,KO"], "--languages"),
        (["--languages", "EN"], "--languages"),
        (["--languages", "en,pt-br"], "--languages"),
        (["--languages", "en,sw"], "--languages"),
        (["--languages", "fil"], "--languages"),
        (["--policy", "Privacy Policy"], "--policy"),
        (["--policy", "../privacy"], "--policy"),
        (["--policy", "en"], "--policy"),  # /en/ is the English site
        (["--policy", "assets"], "--policy"),  # the site's own files: the gate refuses it
        (["--policy", "receipts"], "--policy"),
        (["--policy", "search"], "--policy"),
        (["--timezone", "Mars/Olympus"], "--timezone"),
        (["--timezone", "../../etc/passwd"], "--timezone"),
        (["--site-name", "  "], "--site-name"),
        (["--site-name", "two\nlines"], "--site-name"),
        (["--site-url", "policies.acme.test"], "--site-url"),
        (["--site-url", "javascript:alert(1)"], "--site-url"),
        # Characters no address holds: the theme prints site_url into every page unescaped.
        (["--site-url", 'https://a.test/"><script>alert(1)</script>'], "--site-url"),
        (["--site-url", "https://a.test<svg/onload=alert(1)>/"], "--site-url"),
        (["--adopted", "2026-02-30"], "--adopted"),
        (["--adopted", "2026-03-03"], "--adopted"),  # after today
    ],
)
def test_bad_input_is_refused_with_the_option_and_a_fix(tmp_path, args, option):
    code, out = redline_init(tmp_path / "site", *args)
    assert code == 2, out
    assert option in out and "fix:" in out and "Traceback" not in out
    assert not (tmp_path / "site").exists()  # nothing written, not even the folder


def test_existing_files_are_never_overwritten(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Ours\n", encoding="utf-8")
    (tmp_path / "policies" / "index.md").write_text("# Ours\n", encoding="utf-8")
    before = snapshot(tmp_path)
    code, out = redline_init(tmp_path)
    assert code == 2, out
    assert "mkdocs.yml" in out and "policies/index.md" in out and "--skip-existing" in out
    assert snapshot(tmp_path) == before  # refused before writing anything


@pytest.mark.parametrize("blocker", ["file", "dangling link"])
def test_a_file_where_a_folder_goes_is_refused_before_writing_anything(tmp_path, blocker):
    """A file (or a link to nothing) named like one of the folders it writes (hooks,
    .github, policies) stands in the way of every file in it: found with the others, so
    that nothing is written, rather than failing half-way through a half-written site."""
    if blocker == "file":
        (tmp_path / "hooks").write_text("not a folder\n", encoding="utf-8")
    else:
        (tmp_path / "hooks").symlink_to(tmp_path / "nowhere")
    code, out = redline_init(tmp_path)
    assert code == 2, out
    assert "hooks (not a folder)" in out and "--skip-existing" in out
    assert [p.name for p in tmp_path.iterdir()] == ["hooks"]  # nothing written
    code, out = redline_init(tmp_path, "--skip-existing")
    assert code == 0, out
    assert "Kept as they were (--skip-existing): hooks (not a folder)" in out
    assert (tmp_path / "mkdocs.yml").is_file() and not (tmp_path / "nowhere").exists()


def test_skip_existing_keeps_those_files_and_writes_the_rest(tmp_path):
    (tmp_path / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    (tmp_path / "policies" / "terms").mkdir(parents=True)
    terms = tmp_path / "policies" / "terms" / "2024-01-01.md"
    terms.write_text("---\ntitle: 약관\n---\n\n본문\n", encoding="utf-8")
    kept = snapshot(tmp_path)
    code, out = redline_init(
        tmp_path, "--policy", "privacy", "--policy", "terms", "--skip-existing"
    )
    assert code == 0, out
    assert "Kept as they were (--skip-existing): .gitignore, policies/terms/ (has versions)" in out
    after = snapshot(tmp_path)
    assert {k: after[k] for k in kept} == kept
    assert "policies/privacy/2026-03-02.md" in after and "mkdocs.yml" in after
    assert "policies/terms/2026-03-02.md" not in after  # no first version next to history
    assert ".github/workflows/gate.yml" in out and ".gitignore\n" not in out


# --- YAML safety ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_site_name_is_the_site_s_name_exactly(tmp_path, name):
    code, out = redline_init(tmp_path, "--site-name", name)
    assert code == 0, out
    config = tmp_path / "mkdocs.yml"
    assert read_site_config(config).site_names == {"ko": name, "en": name}  # Redline's reading
    assert pyyaml.safe_load(config.read_text(encoding="utf-8"))["site_name"] == name  # MkDocs'
    assert front_title(tmp_path / "policies" / "index.md") == name
    assert front_title(tmp_path / "policies" / "index.en.md") == name


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda s: not CONTROL.search(s) and s.splitlines() == [s]))
def test_any_text_is_dumped_as_that_text_for_both_yaml_readers(text):
    dumped = dump({"site_name": text, text: [text]})
    for loaded in (YAML(typ="safe").load(dumped), pyyaml.safe_load(dumped)):
        assert loaded == {"site_name": text, text: [text]}
    assert pyyaml.safe_load(front_matter({"title": text}).split("---\n")[1]) == {"title": text}


# --- what it writes ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A site as `redline init` writes it with a time zone that has daylight saving time."""
    root = tmp_path_factory.mktemp("generated")
    args = ("--policy", "privacy", "--policy", "terms", "--policy", "cookies", "--policy", "hr")
    code, out = redline_init(root, "--timezone", "Europe/Berlin", "--languages", "ko,en,ja", *args)
    assert code == 0, out
    return root


def test_the_tree_it_writes(generated):
    files = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    homes = ["policies/index.en.md", "policies/index.ja.md", "policies/index.md"]
    versions = [
        f"policies/{pid}/2026-03-02{suffix}.md"
        for pid in ("cookies", "hr", "privacy", "terms")
        for suffix in (".en", ".ja", "")
    ]
    github = [".github/CODEOWNERS"] + [
        f".github/workflows/{name}.yml" for name in ("gate", "publish", "pull-request")
    ]
    rest = [".gitignore", "hooks/redline_hook.py", "mkdocs.yml", "requirements.txt"]
    assert files == sorted(github + rest + homes + versions)


def test_the_settings_it_writes_are_valid_and_say_what_was_asked(generated):
    settings = load_settings(generated / "mkdocs.yml")
    assert settings.languages == ("ko", "en", "ja")
    assert str(settings.timezone) == "Europe/Berlin"
    assert settings.adopted == T0 and settings.pdf is False
    assert dict(settings.notice_days) == {"minor": 7, "material": 30}
    assert settings.policy("privacy").material_sections == init.KNOWN["privacy"].material_sections
    assert settings.policy("hr").material_sections == ()
    data = pyyaml.safe_load((generated / "mkdocs.yml").read_text(encoding="utf-8"))
    assert data["docs_dir"] == "policies" and data["use_directory_urls"] is True
    assert data["hooks"] == ["hooks/redline_hook.py"]
    i18n = data["plugins"][1]["i18n"]
    assert i18n["docs_structure"] == "suffix" and i18n["reconfigure_search"] is False
    assert [lang["name"] for lang in i18n["languages"]] == ["한국어", "English", "Japanese"]


def test_a_single_language_site_has_no_i18n_plugin(tmp_path):
    code, out = redline_init(tmp_path, "--languages", "en", "--timezone", "UTC")
    assert code == 0, out
    data = pyyaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    assert data["theme"]["language"] == "en"
    assert data["plugins"] == [{"search": {"lang": ["en"]}}]
    assert load_settings(tmp_path / "mkdocs.yml").languages == ("en",)
    assert front_title(tmp_path / "policies" / "index.md") == "Policies"
    assert sorted(p.name for p in (tmp_path / "policies" / "privacy").iterdir()) == [
        "2026-03-02.md"
    ]


def test_what_it_keeps_from_this_repository(generated):
    """The shim, the Markdown extensions and validation are this repository's own."""
    ours = pyyaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    theirs = pyyaml.safe_load((generated / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("markdown_extensions", "validation", "docs_dir", "use_directory_urls", "hooks"):
        assert theirs[key] == ours[key], key
    shim = (PROJECT / "hooks" / "redline_hook.py").read_bytes()
    assert (generated / "hooks" / "redline_hook.py").read_bytes() == shim
    ignored = (generated / ".gitignore").read_text(encoding="utf-8").split()
    assert {"site/", ".venv/", "__pycache__/"} <= set(ignored)
    pin = f"redline-policies=={init.release().version}"
    lines = (generated / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == [pin]


def test_the_release_it_pins_is_this_checkout_s():
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert init.release().version == pyproject["project"]["version"]
    assert pyproject["project"]["requires-python"] == f">={init.release().python}"


def _workflow(root: Path, name: str) -> dict:
    return pyyaml.safe_load((root / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _uses(root: Path) -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / ".github/workflows").glob("*"))
    return set(re.findall(r"uses: (\S+ # v[\d.]+)", text))


def test_the_workflows_keep_this_repository_s_design(generated):
    assert _uses(generated) == _uses(PROJECT)  # every action pinned to the same commit
    ours, theirs = _workflow(PROJECT, "gate.yml"), _workflow(generated, "gate.yml")
    # The gate: the base branch's code judges the pull request as data; only the install
    # differs (the release the base branch pins instead of the base checkout itself).
    install = [s for s in theirs["jobs"]["gate"]["steps"] if "pip install" in s.get("run", "")]
    assert [s["run"] for s in install] == ["pip install -r base/requirements.txt"]
    strip = [s for s in ours["jobs"]["gate"]["steps"] if "pip install" not in s.get("run", "")]
    assert [s for s in theirs["jobs"]["gate"]["steps"] if s not in install] == strip
    assert {k: v for k, v in theirs.items() if k != "jobs"} == {
        k: v for k, v in ours.items() if k != "jobs"
    }
    text = (generated / ".github/workflows/gate.yml").read_text(encoding="utf-8")
    assert "Why pull_request_target" in text and "no secret is used" in text
    for name in ("publish.yml", "pull-request.yml"):
        runs = [
            s.get("run", "")
            for j in _workflow(generated, name)["jobs"].values()
            for s in j["steps"]
        ]
        assert "pip install -r requirements.txt" in runs
        assert not any("-e ." in r or "playwright" in r or ".pdf" in r for r in runs), name
    publish = (generated / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert "REDLINE_PDF" not in publish and "# publish them: set `pdf: true`" in publish


def test_the_workflows_are_valid_by_the_public_schema(generated):
    check_workflows(generated)


def check_workflows(root: Path) -> None:
    tool = Path(sys.executable).parent / "check-jsonschema"
    files = sorted(str(p) for p in (root / ".github" / "workflows").glob("*.yml"))
    assert len(files) == 3
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "zone",
    ["Asia/Seoul", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"],
)
def test_the_publish_workflow_runs_just_after_midnight_all_year(zone):
    crons, notes = init.schedule(zone, 2027)
    assert len(crons) == len(
        {datetime(2027, m, 15, tzinfo=ZoneInfo(zone)).utcoffset() for m in (1, 7)}
    )
    assert len(notes) >= len(crons)
    for month in range(1, 13):
        local = []
        for cron in crons:
            minute, hour, *rest = cron.split()
            assert rest == ["*", "*", "*"]
            utc = datetime(2027, month, 10, int(hour), int(minute), tzinfo=UTC)
            local.append(utc.astimezone(ZoneInfo(zone)))
        assert any(t.hour == 0 and 0 < t.minute <= 30 for t in local), (zone, month, local)


@pytest.mark.parametrize("pid", sorted(init.KNOWN))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_each_template_has_its_material_sections_with_ids_and_a_placeholder(generated, pid, lang):
    name = "2026-03-02.md" if lang == "ko" else f"2026-03-02.{lang}.md"
    path = generated / "policies" / pid / name
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert heading_problems(body) == []
    assert set(init.KNOWN[pid].material_sections) <= set(section_ids(body))
    paragraphs = [p for p in body.strip().split("\n\n") if not p.startswith("#")]
    assert paragraphs and all(p.startswith("TODO: ") and "\n" not in p for p in paragraphs)
    assert front_title(path) == init.KNOWN[pid].titles[lang]


def test_a_language_without_templates_gets_english_text_to_translate(generated):
    assert front_title(generated / "policies" / "privacy" / "2026-03-02.ja.md") == "Privacy Policy"
    assert front_title(generated / "policies" / "hr" / "2026-03-02.ja.md") == "hr"
    home = (generated / "policies" / "index.ja.md").read_text(encoding="utf-8")
    assert "<!-- redline:policies -->" in home and "This site publishes" in home


# --- the gate refuses the placeholders -----------------------------------------------------


def git(root: Path, *args: str, day: date | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if day is not None:
        stamp = f"{day.isoformat()}T10:00:00+09:00"
        env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def fill_placeholders(root: Path) -> None:
    for path in (root / "policies").rglob("*.md"):
        lang = path.name.split(".")[1] if path.name.count(".") == 2 else "ko"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^TODO: .*$", FILLED[lang], text)
        text = re.sub(r"(?m)^reason: .*TODO: translate: .*$", "reason: Transfers abroad", text)
        path.write_text(text, encoding="utf-8")


def test_the_gate_refuses_a_version_not_in_force_that_holds_placeholders(tmp_path):
    code, out = redline_init(tmp_path, "--policy", "terms", "--site-name", "Acme")
    assert code == 0, out
    git(tmp_path, "init", "-q", "-b", "main")
    config = ["--config-file", str(tmp_path / "mkdocs.yml")]

    def check() -> tuple[int, str]:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            return cli.main([*config, "check", "--today", T0.isoformat()]), buf.getvalue()

    code, out = check()
    assert code == 1
    refused = re.findall(r"(policies/terms/\S+):(\d+): error: R5 valid input: .*`TODO:`", out)
    assert sorted(refused) == [
        ("policies/terms/2026-03-02.en.md", "5"),
        ("policies/terms/2026-03-02.md", "5"),
    ]
    assert "(also lines 9, 13, 17, 21, 25, 29, 33, 37)" in out
    assert "fix: replace each line starting with `TODO:`" in out
    fill_placeholders(tmp_path)
    code, out = check()
    assert code == 0, out


# --- the whole adoption, from the wheel ----------------------------------------------------


class Steps:
    """Runs the steps of the adoption as a company would, timing each."""

    def __init__(self, root: Path, venv: Path) -> None:
        self.root, self.venv = root, venv
        self.timings: list[tuple[str, float]] = []
        # The wheel alone: no PYTHONPATH, nothing of this checkout, no day set from outside.
        drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
        self.env = {
            k: v for k, v in os.environ.items() if k not in drop and not k.startswith("REDLINE_")
        }
        self.env |= GIT_ENV | {"NO_MKDOCS_2_WARNING": "1"}

    def run(
        self, what: str, *command: str | Path, today: date | None = None, cwd: Path | None = None
    ):
        env = self.env | ({"REDLINE_TODAY": today.isoformat()} if today else {})
        start = time.monotonic()
        proc = subprocess.run(
            [str(c) for c in command], cwd=cwd or self.root, env=env, capture_output=True, text=True
        )
        self.timings.append((what, time.monotonic() - start))
        return proc

    def tool(self, name: str) -> Path:
        return self.venv / "bin" / name

    def commit(self, message: str, day: date) -> None:
        stamp = f"{day.isoformat()}T10:00:00+09:00"
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        for args in (["add", "-A"], ["commit", "-q", "-m", message]):
            subprocess.run(["git", *args], cwd=self.root, env=self.env | env, check=True)


def _source_copy(dest: Path) -> Path:
    """The worktree as git sees it (tracked and new files, nothing ignored): no build left
    in the checkout, no stale egg-info deciding what the wheel holds."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=PROJECT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for rel in filter(None, listed):
        if (PROJECT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / rel, dest / rel)
    return dest


def _check_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = PROJECT / "redline" / "site_template"
    shipped = {p.relative_to(PROJECT).as_posix() for p in templates.rglob("*") if p.is_file()}
    assert shipped and shipped <= names, sorted(shipped - names)
    assert {"redline/mkdocs.schema.json", "redline_mkdocs/theme/main.html"} <= names


@pytest.mark.slow
def test_a_company_adopts_redline_from_the_wheel(tmp_path):
    source = _source_copy(tmp_path / "source")
    dist, venv, root = tmp_path / "dist", tmp_path / "venv", tmp_path / "acme"
    steps = Steps(root, venv)
    root.mkdir()
    built = steps.run(
        "wheel", sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source, cwd=tmp_path
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("redline_policies-*.whl")
    _check_wheel(wheel)
    made = steps.run("venv", sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    installed = steps.run(
        "pip install", steps.tool("python"), "-m", "pip", "install", wheel, cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = steps.run(
        "import",
        steps.tool("python"),
        "-c",
        "import redline; print(redline.__file__)",
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr

    git(root, "init", "-q", "-b", "main")
    adopt = (
        "init", "--languages", "ko,en", "--policy", "privacy", "--policy", "terms",
        "--site-name", "Acme: 정책 #1", "--site-url", "https://policies.acme.test/",
    )  # fmt: skip
    created = steps.run("redline init", steps.tool("redline"), *adopt, today=T0)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "Created 14 files" in created.stdout and "Next:" in created.stdout
    wheel_version = wheel.name.split("-")[1]
    assert (root / "requirements.txt").read_text().splitlines()[
        -1
    ] == f"redline-policies=={wheel_version}"
    first = snapshot(root)
    again = steps.run("redline init again", steps.tool("redline"), *adopt, today=T0)
    assert again.returncode == 2 and "never overwrites" in again.stderr, again.stderr
    assert snapshot(root) == first
    check_workflows(root)

    refused = steps.run("redline check (placeholders)", steps.tool("redline"), "check", today=T0)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert refused.stdout.count("R5 valid input: the text still holds a placeholder") == 4
    fill_placeholders(root)
    steps.commit("Acme adopts Redline: privacy policy and terms of service", T0)
    passed = steps.run("redline check", steps.tool("redline"), "check", today=T0)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    site = steps.run("mkdocs build", steps.tool("mkdocs"), "build", "--strict", today=T0)
    assert site.returncode == 0, site.stdout + site.stderr
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Acme: 정책 #1" in home
    for title, href in (("개인정보 처리방침", "privacy/"), ("이용약관", "terms/")):
        assert title in home and f'href="{href}"' in home
    english = (root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Privacy Policy" in english and "Terms of Service" in english
    shutil.rmtree(root / "site")

    later, effective = T0 + timedelta(days=3), T0 + timedelta(days=40)
    amend = ("new", "privacy", "--effective", effective.isoformat(), "--change", "material")
    new = steps.run(
        "redline new",
        steps.tool("redline"),
        *amend,
        "--reason",
        "국외 이전 수탁자 추가",
        today=later,
    )
    assert new.returncode == 0, new.stdout + new.stderr
    amendment = root / "policies" / "privacy" / f"{effective.isoformat()}.md"
    assert amendment.is_file()
    assert (root / "policies" / "privacy" / f"{effective.isoformat()}.en.md").is_file()
    fill_placeholders(root)
    text = amendment.read_text(encoding="utf-8")
    section = "## 6. 개인정보의 국외 이전 {#overseas-transfer}\n\n"
    amendment.write_text(
        text.replace(section, section + "회사는 미국의 클라우드 사업자에게 보관을 위탁합니다.\n\n"),
        encoding="utf-8",
    )
    steps.commit("Privacy: announce the transfer abroad", later)
    passed = steps.run("redline check (amendment)", steps.tool("redline"), "check", today=later)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    site = steps.run(
        "mkdocs build (notice)", steps.tool("mkdocs"), "build", "--strict", today=later
    )
    assert site.returncode == 0, site.stdout + site.stderr
    policy = (root / "site" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert (
        "redline-notice" in policy
        and f"{effective.year}년 {effective.month}월 {effective.day}일" in policy
    )
    shutil.rmtree(root / "site")

    report = ", ".join(f"{what} {seconds:.1f} s" for what, seconds in steps.timings)
    print(f"\nadoption from the wheel: {report}")
    assert not subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
    ).stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _first_commit(repo: Path) -> None:
    _git(
        repo,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "x",
    )


def _pushed_branches(root: Path) -> list[str]:
    return _workflow(root, "publish.yml")[True]["push"]["branches"]  # YAML 1.1: `on` is True


def test_the_publish_workflow_deploys_pushes_to_the_repository_s_default_branch(tmp_path):
    """Adopted on a branch of its own in a `master` repository: a publish workflow written for
    `main` (or for the branch checked out) never ran on a push, only nightly and by hand."""
    repo = tmp_path / "company"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "master")
    _first_commit(repo)
    _git(repo, "checkout", "-q", "-b", "adopt-redline")
    code, out = redline_init(repo)
    assert code == 0, out
    assert _pushed_branches(repo) == ["master"]
    assert "publishes every push to `master`" in out


def test_origin_s_default_branch_wins(tmp_path):
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "trunk", str(origin))
    seed = tmp_path / "seed"
    _git(tmp_path, "init", "-q", "-b", "trunk", str(seed))
    _first_commit(seed)
    _git(seed, "push", "-q", str(origin), "trunk")
    _git(tmp_path, "clone", "-q", str(origin), "clone")
    _git(tmp_path / "clone", "checkout", "-q", "-b", "main")  # a local `main` misleads nothing
    code, out = redline_init(tmp_path / "clone" / "site")
    assert code == 0, out
    assert _pushed_branches(tmp_path / "clone" / "site") == ["trunk"]
    settings = pyyaml.load(
        (tmp_path / "clone/site/mkdocs.yml").read_text(encoding="utf-8"), Loader=pyyaml.BaseLoader
    )
    assert settings["extra"]["redline"]["branch"] == "origin/trunk"  # the gate finds it too
