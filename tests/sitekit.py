"""Real git repositories with back-dated commits, laid out as the README's *Layout* says
(`policies/<policy>/YYYY-MM-DD[.<lang>].md`, mkdocs.yml with `extra.redline`), for the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

BODY_KO = """이 방침은 예시 회사의 개인정보 처리 기준을 설명합니다.

## 1. 처리 목적 {{#purposes}}

회사는 회원 관리와 서비스 제공을 위하여 개인정보를 처리합니다. {extra}

## 2. 처리하는 개인정보 항목 {{#collected-items}}

| 구분 | 항목 |
|---|---|
| 회원 가입 | 이메일, 비밀번호 |

## 3. 보유 기간 {{#retention}}

- 회원 탈퇴 시까지
- 법령이 정한 기간
"""

BODY_EN = """This policy explains how the example company processes personal information.

## 1. Purposes {{#purposes}}

We process personal information to manage members and provide the service. {extra}

## 2. Items collected {{#collected-items}}

| Kind | Items |
|---|---|
| Sign-up | Email, password |

## 3. Retention {{#retention}}

- Until the member leaves
- For the periods set by law
"""

MKDOCS_YML = """site_name: Example Policies
site_url: https://example.test/
docs_dir: policies
theme:
  name: material
  language: {default}
plugins:
  - search
{i18n}
hooks:
  - {hook}
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - admonition
  - toc:
      permalink: true
validation:
  anchors: warn
extra:
  redline:
{redline}
"""

I18N = """  - i18n:
      docs_structure: suffix
      reconfigure_search: false
      languages:
        - locale: ko
          name: 한국어
          default: true
        - locale: en
          name: English
"""


def body(lang: str, extra: str = "") -> str:
    return (BODY_KO if lang == "ko" else BODY_EN).format(extra=extra)


@dataclass
class SiteRepo:
    """A throwaway site repository. Every commit is dated explicitly (KST noon by default)."""

    path: Path
    languages: tuple[str, ...] = ("ko", "en")

    @classmethod
    def create(
        cls,
        path: Path,
        languages: tuple[str, ...] = ("ko", "en"),
        redline: dict | None = None,
    ) -> SiteRepo:
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path, languages)
        settings = {
            "timezone": "Asia/Seoul",
            "adopted": "2020-01-01",
            "policies": {"privacy": {"material_sections": ["collected-items", "retention"]}},
        }
        settings.update(redline or {})
        redline_yaml = "\n".join(f"    {k}: {json.dumps(v)}" for k, v in settings.items())
        (path / "mkdocs.yml").write_text(
            MKDOCS_YML.format(
                default=languages[0],
                hook=PROJECT / "hooks" / "redline_hook.py",
                i18n=I18N if len(languages) > 1 else "",
                redline=redline_yaml,
            ),
            encoding="utf-8",
        )
        (path / "policies").mkdir(exist_ok=True)
        (path / "policies" / "index.md").write_text(
            "---\ntitle: 정책\n---\n\n# 정책\n\n<!-- redline:policies -->\n", encoding="utf-8"
        )
        if "en" in languages[1:]:
            (path / "policies" / "index.en.md").write_text(
                "---\ntitle: Policies\n---\n\n# Policies\n\n<!-- redline:policies -->\n",
                encoding="utf-8",
            )
        repo.git("init", "-q", "-b", "main")
        repo.git("config", "user.email", "editor@example.test")
        repo.git("config", "user.name", "Editor")
        repo.git("config", "commit.gpgsign", "false")
        return repo

    def git(self, *args: str, env: dict | None = None) -> str:
        return subprocess.run(
            ["git", *args],
            cwd=self.path,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        ).stdout

    def write(self, rel: str, text: str | bytes) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def version(
        self,
        policy: str,
        effective: str,
        *,
        change: str | None = None,
        reason: str | None = None,
        extra: str = "",
        langs: tuple[str, ...] | None = None,
        title: str | None = None,
    ) -> list[str]:
        """Write one version in every language (or `langs`); returns the paths written."""
        written = []
        for lang in langs or self.languages:
            suffix = "" if lang == self.languages[0] else f".{lang}"
            meta = [
                f"title: {title or ('개인정보 처리방침' if lang == 'ko' else 'Privacy Policy')}"
            ]
            if change:
                meta.append(f"change: {change}")
            if reason:
                meta.append(f"reason: {reason}{'' if lang == 'ko' else ' (en)'}")
            text = "---\n" + "\n".join(meta) + "\n---\n\n" + body(lang, extra)
            rel = f"policies/{policy}/{effective}{suffix}.md"
            self.write(rel, text)
            written.append(rel)
        return written

    def commit(self, day: str, message: str = "update", time: str = "12:00:00+09:00") -> str:
        stamp = f"{day}T{time}"
        self.git("add", "-A")
        self.git(
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
            env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
        return self.git("rev-parse", "HEAD").strip()

    def build(
        self, today: str, site: str = "site", strict: bool = True, env: dict | None = None
    ) -> subprocess.CompletedProcess:
        args = [sys.executable, "-m", "mkdocs", "build", "-d", site]
        if strict:
            args.append("--strict")
        return subprocess.run(
            args,
            cwd=self.path,
            capture_output=True,
            text=True,
            env={**os.environ, "REDLINE_TODAY": today, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )

    def redline(
        self, *args: str, today: str | None = None, env: dict | None = None
    ) -> subprocess.CompletedProcess:
        extra = {"REDLINE_TODAY": today} if today else {}
        return subprocess.run(
            [sys.executable, "-m", "redline", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            env={**os.environ, **extra, **(env or {})},
        )

    def page(self, site: str, url: str) -> str:
        return (self.path / site / url / "index.html").read_text(encoding="utf-8")
