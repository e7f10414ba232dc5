"""A synthetic Redline site with a long, real git history, for the benchmark and its test.

P policies x V versions x L languages, each version about S KB of policy Markdown (Korean for
`ko`, English for `en` and for any further language), written as one `git fast-import`
stream with back-dated commits. Every amendment is lawful: it is committed at least
`notice_days[change]` days before its effective date, material amendments touch a section
listed in the policy's `material_sections`, minor ones touch none. As of `today` the
newest version of several policies is in its notice period, so a build shows notices.

    python benchmarks/generate.py OUT_DIR [-P 10] [-V 40] [-L 2] [-S 15] [--seed 1]

Importable: `generate(path, Config(...))` returns a `Generated` summary, and
`diff_pairs()` gives the documents the benchmark diffs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT = Path(__file__).resolve().parents[1]
HOOK = PROJECT / "hooks" / "redline_hook.py"
TZ = ZoneInfo("Asia/Seoul")
DEFAULT_TODAY = date(2026, 11, 15)
NOTICE = {"minor": 7, "material": 30}
EXTRA_LANGUAGES = ("ja", "zh", "de", "fr", "es", "it", "pt", "vi")
LANGUAGE_NAMES = {
    "ko": "한국어",
    "en": "English",
    "ja": "日本語",
    "zh": "中文",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
    "vi": "Tiếng Việt",
}

# --------------------------------------------------------------------------------------------
# Vocabulary: every value is a (Korean, English) pair, so both languages change together.

ITEMS = [
    ("이메일 주소", "email addresses"),
    ("휴대전화 번호", "mobile phone numbers"),
    ("접속 IP 주소", "IP addresses"),
    ("쿠키 식별자", "cookie identifiers"),
    ("결제 기록", "payment records"),
    ("기기 정보", "device identifiers"),
    ("서비스 이용 기록", "service usage records"),
    ("위치 정보", "location records"),
    ("생년월일", "dates of birth"),
    ("닉네임", "nicknames"),
    ("고객 상담 기록", "support conversations"),
    ("배송지 주소", "delivery addresses"),
]
PURPOSES = [
    ("회원 관리", "managing member accounts"),
    ("서비스 제공", "providing the service"),
    ("요금 정산", "billing"),
    ("고객 문의 대응", "answering enquiries"),
    ("부정 이용 방지", "preventing fraud"),
    ("서비스 개선", "improving the service"),
    ("마케팅 정보 안내", "marketing"),
    ("본인 확인", "verifying identity"),
    ("상품 배송", "delivering goods"),
    ("통계 작성", "compiling statistics"),
]
ORGS = [
    ("한빛페이먼츠 주식회사", "Hanbit Payments Co., Ltd."),
    ("누리클라우드 주식회사", "Nuri Cloud Co., Ltd."),
    ("바다메시징 주식회사", "Bada Messaging Co., Ltd."),
    ("Northwind Analytics Inc.", "Northwind Analytics Inc."),
    ("하늘택배 주식회사", "Haneul Delivery Co., Ltd."),
    ("Contoso Support Ltd.", "Contoso Support Ltd."),
]
COUNTRIES = [
    ("미국", "the United States"),
    ("일본", "Japan"),
    ("싱가포르", "Singapore"),
    ("독일", "Germany"),
    ("아일랜드", "Ireland"),
]
LAWS = [
    ("「개인정보 보호법」", "the Personal Information Protection Act"),
    (
        "「전자상거래 등에서의 소비자보호에 관한 법률」",
        "the Act on Consumer Protection in Electronic Commerce",
    ),
    ("「통신비밀보호법」", "the Protection of Communications Secrets Act"),
    ("「전자금융거래법」", "the Electronic Financial Transactions Act"),
]
CIPHERS = [("AES-256", "AES-256"), ("ARIA-256", "ARIA-256"), ("SHA-256 일방향", "one-way SHA-256")]
UNITS = [("일", "days"), ("개월", "months"), ("년", "years")]
CONTEXTS = [
    ("회원 가입(필수)", "Sign-up (required)"),
    ("회원 가입(선택)", "Sign-up (optional)"),
    ("유료 서비스 이용", "Paid plans"),
    ("고객 문의", "Enquiries"),
    ("자동 수집", "Collected automatically"),
    ("이벤트 참여", "Events"),
]
METHODS = [
    ("정보주체가 직접 입력", "entered by you"),
    ("서비스 이용 과정에서 자동 생성", "generated while you use the service"),
    ("제휴사로부터 전달받음", "received from partners"),
]
SLOTS = {
    "item": ITEMS,
    "purpose": PURPOSES,
    "org": ORGS,
    "country": COUNTRIES,
    "law": LAWS,
    "cipher": CIPHERS,
    "unit": UNITS,
}

SENTENCES = [
    ("회사는 {purpose} 목적으로 {item} 항목을 처리합니다.", "We process {item} for {purpose}."),
    (
        "{item} 항목은 {purpose} 목적이 달성되면 {n}{unit} 이내에 지체 없이 파기합니다.",
        "{item} are destroyed without delay within {n} {unit} once {purpose} no longer requires them.",
    ),
    (
        "{law}에 따라 {item} 항목은 {n}{unit}간 보관합니다.",
        "Under {law}, {item} are kept for {n} {unit}.",
    ),
    (
        "회사는 {item} 항목의 처리 업무를 {org}에 위탁하고 있으며, 위탁 계약에 개인정보의 안전한 관리에 필요한 사항을 정하고 있습니다.",
        "We entrust the processing of {item} to {org}, and the contract sets out what is needed to keep them safe.",
    ),
    (
        "{org}의 서버는 {country}에 있으며, {item} 항목은 서비스를 이용하는 시점에 암호화된 통신망을 통하여 전송됩니다.",
        "{org} keeps its servers in {country}; {item} are sent there over an encrypted connection when you use the service.",
    ),
    (
        "정보주체는 언제든지 {item} 항목의 열람, 정정, 삭제 또는 처리 정지를 요구할 수 있으며, 회사는 {n}일 이내에 조치 결과를 알려 드립니다.",
        "You may at any time ask to see, correct, delete or stop the processing of {item}; we tell you the outcome within {n} days.",
    ),
    (
        "회사는 {item} 항목에 대한 접근 권한을 업무 담당자로 제한하고, 접근 기록을 {n}{unit} 이상 보관하며 정기적으로 점검합니다.",
        "Access to {item} is limited to the staff who need it, and access logs are kept and reviewed for at least {n} {unit}.",
    ),
    (
        "{purpose} 목적의 처리는 정보주체가 별도로 동의한 경우에만 이루어지며, 동의하지 않더라도 서비스 이용에는 제한이 없습니다.",
        "Processing for {purpose} happens only with your separate consent; refusing it does not limit your use of the service.",
    ),
    (
        "회사는 {law}에서 정한 경우를 제외하고는 정보주체의 동의 없이 {item} 항목을 제3자에게 제공하지 않습니다.",
        "Except where {law} allows it, we do not give {item} to third parties without your consent.",
    ),
    (
        "{org}에 제공되는 {item} 항목은 {purpose} 목적에 한하여 이용되며, 제공 목적이 달성된 후 {n}{unit} 이내에 파기됩니다.",
        "{item} given to {org} are used only for {purpose} and destroyed within {n} {unit} after that purpose is met.",
    ),
    (
        "회사는 {item} 항목을 저장할 때 {cipher} 방식으로 암호화합니다.",
        "{item} are encrypted with {cipher} when stored.",
    ),
    (
        "전자적 파일 형태의 {item} 항목은 복구할 수 없는 기술적 방법으로 삭제하고, 종이 문서는 분쇄하거나 소각합니다.",
        "{item} held in electronic files are deleted by technical means that prevent recovery; paper records are shredded or incinerated.",
    ),
    (
        "회사는 {n}{unit}마다 개인정보 처리 현황을 점검하고, 그 결과를 내부 관리계획에 반영합니다.",
        "Every {n} {unit} we review how personal information is processed and update our internal management plan.",
    ),
    (
        "정보주체는 {org}의 고객센터를 통하여 {purpose}에 관한 문의를 할 수 있습니다.",
        "You can ask {org}'s help desk about {purpose}.",
    ),
    (
        "쿠키는 웹 브라우저의 설정 메뉴에서 거부할 수 있으나, 이 경우 {purpose} 기능의 일부를 이용하기 어려울 수 있습니다.",
        "You can refuse cookies in your browser's settings, but some features for {purpose} may then not work.",
    ),
    (
        "회사는 개인정보 유출 사고가 발생한 경우 {n}시간 이내에 정보주체에게 알리고 관계 기관에 신고합니다.",
        "If personal information is leaked we tell you, and report to the authorities, within {n} hours.",
    ),
]
LIST_ITEMS = [
    (
        "**{item}**: {purpose} 목적이 달성될 때까지",
        "**{item}**: until {purpose} no longer requires them",
    ),
    ("**{item}**: {n}{unit}", "**{item}**: {n} {unit}"),
    ("{purpose}: {item}", "{purpose}: {item}"),
    ("{law}에 따른 {item} 보관: {n}{unit}", "{item} kept under {law}: {n} {unit}"),
]
SUBSECTION_TITLES = [
    ("회원 가입 시", "At sign-up"),
    ("유료 서비스 이용 시", "For paid plans"),
    ("고객 문의 시", "For enquiries"),
    ("자동으로 수집되는 정보", "Information collected automatically"),
    ("관계 법령에 따른 보관", "Retention required by law"),
    ("수탁자의 의무", "Duties of processors"),
    ("아동의 개인정보", "Children's information"),
    ("세부 기준", "Detailed rules"),
]

# id, Korean title, English title, material?, initial blocks, core (kept in tiny documents)
SECTIONS = [
    ("purposes", "처리 목적", "Purposes of processing", True, ["p", "ol"], True),
    (
        "collected-items",
        "처리하는 개인정보 항목",
        "Personal information we process",
        True,
        ["p", "table:items", "p"],
        True,
    ),
    ("retention", "처리 및 보유 기간", "Retention periods", True, ["p", "ul"], True),
    (
        "third-parties",
        "개인정보의 제3자 제공",
        "Provision to third parties",
        True,
        ["p", "table:processors"],
        False,
    ),
    (
        "entrustment",
        "개인정보 처리의 위탁",
        "Entrustment of processing",
        True,
        ["p", "table:processors", "p"],
        False,
    ),
    (
        "overseas-transfer",
        "개인정보의 국외 이전",
        "Overseas transfers",
        True,
        ["p", "table:processors"],
        False,
    ),
    (
        "destruction",
        "개인정보의 파기 절차 및 방법",
        "How personal information is destroyed",
        False,
        ["p", "ul"],
        False,
    ),
    (
        "rights",
        "정보주체의 권리와 행사 방법",
        "Your rights and how to use them",
        False,
        ["p", "ol", "p"],
        True,
    ),
    ("security", "안전성 확보 조치", "Security measures", False, ["p", "ul"], False),
    (
        "cookies",
        "자동 수집 장치의 설치·운영 및 거부",
        "Cookies and similar technologies",
        False,
        ["p", "p"],
        False,
    ),
    ("officer", "개인정보 보호책임자", "Privacy officer", False, ["p"], False),
    ("remedies", "권익침해 구제 방법", "Remedies", False, ["p", "ul"], False),
    ("changes", "처리방침의 변경", "Changes to this document", False, ["p"], True),
]

POLICIES = [
    ("privacy", "개인정보 처리방침", "Privacy Policy"),
    ("terms", "서비스 이용약관", "Terms of Service"),
    ("cookies", "쿠키 정책", "Cookie Policy"),
    ("location", "위치정보 이용약관", "Location Services Terms"),
    ("youth", "청소년 보호정책", "Youth Protection Policy"),
    ("marketing", "마케팅 정보 수신 방침", "Marketing Communications Policy"),
    ("payments", "유료 서비스 이용약관", "Paid Services Terms"),
    ("community", "커뮤니티 운영정책", "Community Guidelines"),
    ("api", "API 이용약관", "API Terms"),
    ("retention-schedule", "개인정보 보존 일정", "Data Retention Schedule"),
]


def policy_identity(index: int) -> tuple[str, str, str]:
    if index < len(POLICIES):
        return POLICIES[index]
    n = index + 1
    return f"policy-{n}", f"운영 정책 {n}", f"Operating Policy {n}"


# --------------------------------------------------------------------------------------------
# A document as a structure that renders to Korean and English Markdown.


def _cap(text: str) -> str:
    """Upper-case the first letter (English sentences that start with a slot value)."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


SINGULAR = re.compile(r"(\b1 (?:day|month|year|hour))s\b")


def _n_for(unit: int, rng: random.Random) -> int:
    return rng.choice(([7, 14, 30, 60, 90], [1, 3, 6, 12], [1, 2, 3, 5, 10])[unit])


@dataclass
class Phrase:
    """A sentence or list item: a template and the values in its slots."""

    templates: list  # SENTENCES or LIST_ITEMS
    index: int
    values: dict[str, int]
    n: int

    @classmethod
    def random(cls, templates: list, rng: random.Random) -> Phrase:
        values = {k: rng.randrange(len(v)) for k, v in SLOTS.items()}
        return cls(templates, rng.randrange(len(templates)), values, _n_for(values["unit"], rng))

    def render(self, lang: int) -> str:
        words = {k: SLOTS[k][i][lang] for k, i in self.values.items()}
        text = self.templates[self.index][lang].format(n=self.n, **words)
        return SINGULAR.sub(r"\1", _cap(text)) if lang else text

    def size(self) -> int:
        return len(self.render(0).encode())


@dataclass
class Block:
    kind: str  # p, ul, ol, table:items, table:processors, sub
    phrases: list[Phrase] = field(default_factory=list)
    rows: list[tuple[int, int, int]] = field(default_factory=list)
    sub: tuple[int, int] = (0, 0)  # title index, id number

    def render(self, lang: int, sid: str) -> str:
        if self.kind == "p":
            return " ".join(p.render(lang) for p in self.phrases)
        if self.kind in ("ul", "ol"):
            return "\n".join(
                f"{f'{i}.' if self.kind == 'ol' else '-'} {p.render(lang)}"
                for i, p in enumerate(self.phrases, start=1)
            )
        if self.kind == "sub":
            title = SUBSECTION_TITLES[self.sub[0]][lang]
            return f"### {title} {{#{sid}-{self.sub[1]}}}"
        if self.kind == "table:items":
            head = ("| 구분 | 항목 | 수집 방법 |", "| Category | Items | How collected |")[lang]
            rows = [
                f"| {CONTEXTS[a][lang]} | {_cap(ITEMS[b][lang]) if lang else ITEMS[b][lang]}, "
                f"{ITEMS[(b + 3) % len(ITEMS)][lang]} | {METHODS[c][lang]} |"
                for a, b, c in self.rows
            ]
        else:
            head = ("| 수탁자 | 위탁 업무 | 보유 기간 |", "| Processor | Task | Retention |")[lang]
            months = UNITS[1][lang]
            rows = [
                f"| {ORGS[a][lang]} | {_cap(PURPOSES[b][lang]) if lang else PURPOSES[b][lang]} | "
                f"{c}{'' if not lang else ' '}{months} |"
                for a, b, c in self.rows
            ]
        return "\n".join([head, "|---|---|---|", *rows])


def _new_block(kind: str, rng: random.Random) -> Block:
    if kind == "p":
        return Block("p", [Phrase.random(SENTENCES, rng) for _ in range(rng.randint(2, 4))])
    if kind in ("ul", "ol"):
        return Block(kind, [Phrase.random(LIST_ITEMS, rng) for _ in range(rng.randint(3, 6))])
    if kind.startswith("table:"):
        return Block(kind, rows=[_row(kind, rng) for _ in range(rng.randint(3, 5))])
    raise ValueError(kind)


def _row(kind: str, rng: random.Random) -> tuple[int, int, int]:
    if kind == "table:items":
        return (
            rng.randrange(len(CONTEXTS)),
            rng.randrange(len(ITEMS)),
            rng.randrange(len(METHODS)),
        )
    return (rng.randrange(len(ORGS)), rng.randrange(len(PURPOSES)), rng.choice([1, 3, 6, 12, 36]))


@dataclass
class Section:
    sid: str
    titles: tuple[str, str]
    material: bool
    blocks: list[Block]
    subs: int = 0  # subsections created so far (ids are never reused)


@dataclass
class Document:
    intro: Block
    sections: list[Section]

    def render(self, lang: int) -> str:
        parts = [self.intro.render(lang, "")]
        for number, s in enumerate(self.sections, start=1):
            parts.append(f"## {number}. {s.titles[lang]} {{#{s.sid}}}")
            parts.extend(b.render(lang, s.sid) for b in s.blocks)
        return "\n\n".join(parts) + "\n"

    def size(self) -> int:
        return len(self.render(0).encode())


def new_document(rng: random.Random, size_kb: float) -> Document:
    """A document of about `size_kb` KB of Korean Markdown (the first block of every section is
    a paragraph: material amendments edit it, so the change is in the section itself)."""
    catalogue = [s for s in SECTIONS if s[5]] if size_kb < 6 else SECTIONS
    sections = [
        Section(sid, (ko, en), material, [_new_block(k, rng) for k in blocks])
        for sid, ko, en, material, blocks, _core in catalogue
    ]
    doc = Document(_new_block("p", rng), sections)
    target = size_kb * 1024
    size = doc.size()
    while size < target:
        s = rng.choice(sections)
        since_sub = next(
            (i for i, b in enumerate(reversed(s.blocks)) if b.kind == "sub"), len(s.blocks)
        )
        if since_sub >= 5 and size_kb >= 30:
            s.subs += 1
            sub = Block("sub", sub=(rng.randrange(len(SUBSECTION_TITLES)), s.subs))
            s.blocks.append(sub)
            size += len(sub.render(0, s.sid).encode()) + 2
        block = _new_block(rng.choice(["p", "p", "p", "ul"]), rng)
        s.blocks.append(block)
        size += len(block.render(0, s.sid).encode()) + 2
    return doc


def _mutate(section: Section, rng: random.Random, lead: bool, grow: int) -> str:
    """Change one thing in a section; returns what changed (English, for commit messages).

    `lead` edits the section's own first paragraph; `grow` > 0 prefers additions, < 0 removals.
    """
    if lead:
        block = section.blocks[0]
        i = rng.randrange(len(block.phrases))
        block.phrases[i] = Phrase.random(SENTENCES, rng)
        return "reworded the opening paragraph"
    candidates = [b for b in section.blocks if b.kind != "sub"]
    block = rng.choice(candidates)
    if block.kind == "p":
        roll = rng.random()
        if grow > 0 and roll < 0.3:
            at = section.blocks.index(block) + 1
            section.blocks.insert(at, _new_block("p", rng))
            return "added a paragraph"
        if grow < 0 and roll < 0.3 and block is not section.blocks[0] and len(candidates) > 1:
            section.blocks.remove(block)
            return "removed a paragraph"
        phrase = rng.choice(block.phrases)
        if roll < 0.6:
            phrase.n = _n_for(phrase.values["unit"], rng) + rng.choice([0, 1])
            return "changed a period"
        block.phrases[block.phrases.index(phrase)] = Phrase.random(SENTENCES, rng)
        return "reworded a sentence"
    if block.kind in ("ul", "ol"):
        if grow >= 0 or len(block.phrases) <= 2:
            block.phrases.insert(rng.randint(0, len(block.phrases)), Phrase.random(LIST_ITEMS, rng))
            return "added a list item"
        block.phrases.pop(rng.randrange(len(block.phrases)))
        return "removed a list item"
    if grow > 0 or len(block.rows) <= 2:
        block.rows.insert(rng.randint(0, len(block.rows)), _row(block.kind, rng))
        return "added a table row"
    i = rng.randrange(len(block.rows))
    block.rows[i] = _row(block.kind, rng)
    return "changed a table row"


def _render_section(section: Section) -> str:
    return "\n".join(b.render(0, section.sid) for b in section.blocks)


def _change(section: Section, rng: random.Random, lead: bool, grow: int) -> None:
    """Mutate until the section's text really differs (a new value can equal the old one)."""
    before = _render_section(section)
    for _ in range(20):
        _mutate(section, rng, lead, grow)
        if _render_section(section) != before:
            return
    raise RuntimeError(f"could not change section {section.sid}")


def amend(doc: Document, rng: random.Random, change: str, target: float) -> list[Section]:
    """Apply one amendment of class `change`; returns the sections it touched."""
    size = doc.size()
    grow = 1 if size < 0.95 * target else -1 if size > 1.05 * target else 0
    material = [s for s in doc.sections if s.material]
    minor = [s for s in doc.sections if not s.material]
    touched: list[Section] = []
    if change == "material":
        first = rng.choice(material)
        _change(first, rng, lead=True, grow=grow)
        touched.append(first)
        pool = doc.sections
    else:
        pool = minor
    for s in rng.sample(pool, k=min(len(pool), rng.randint(1, 2))):
        _change(s, rng, lead=False, grow=grow)
        if s not in touched:
            touched.append(s)
    return touched


# --------------------------------------------------------------------------------------------
# The repository.


@dataclass(frozen=True)
class Config:
    policies: int = 10
    versions: int = 40
    languages: int = 2
    size_kb: float = 15.0
    seed: int = 1
    today: date = DEFAULT_TODAY
    material_share: float = 0.35

    def label(self) -> str:
        size = f"{self.size_kb:g}"
        return f"P{self.policies}-V{self.versions}-L{self.languages}-S{size}-seed{self.seed}"


@dataclass
class Generated:
    path: Path
    config: Config
    languages: tuple[str, ...]
    policies: dict[str, list[str]]  # policy -> effective dates, oldest first
    classes: dict[str, int]  # minor / material counts
    in_notice: list[str]  # policies whose newest version is announced, not yet in force
    adopted: date
    commits: int
    files: int
    seconds: float

    @property
    def today(self) -> date:
        return self.config.today

    @property
    def config_file(self) -> Path:
        return self.path / "mkdocs.yml"

    def summary(self) -> dict:
        return {
            "path": str(self.path),
            "config": {k: str(v) for k, v in asdict(self.config).items()},
            "languages": list(self.languages),
            "versions": sum(len(v) for v in self.policies.values()),
            "classes": self.classes,
            "in_notice": self.in_notice,
            "adopted": self.adopted.isoformat(),
            "today": self.today.isoformat(),
            "commits": self.commits,
            "files": self.files,
            "seconds": round(self.seconds, 2),
        }


def language_codes(count: int) -> tuple[str, ...]:
    if count < 1 or count > 2 + len(EXTRA_LANGUAGES):
        raise ValueError(f"languages must be between 1 and {2 + len(EXTRA_LANGUAGES)}")
    return ("ko", "en", *EXTRA_LANGUAGES)[:count]


def _yaml_list(items: list[str], indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}- {item}" for item in items)


def mkdocs_yml(
    languages: tuple[str, ...], adopted: date, material: dict[str, list[str]], *, hook: bool = True
) -> str:
    """The site configuration, shaped like the example's mkdocs.yml."""
    i18n = ""
    if len(languages) > 1:
        entries = []
        for i, code in enumerate(languages):
            entry = f"        - locale: {code}\n          name: {LANGUAGE_NAMES[code]}\n"
            entry += "          default: true\n" if i == 0 else ""
            entry += "          build: true\n"
            if code != "ko":
                entry += "          site_name: Benchmark Policy Centre\n"
            entries.append(entry)
        i18n = (
            "  - i18n:\n      docs_structure: suffix\n      reconfigure_search: false\n"
            "      languages:\n" + "".join(entries)
        )
    policies = "".join(
        f"      {pid}:\n        material_sections: [{', '.join(sections)}]\n"
        for pid, sections in material.items()
    )
    hooks = f"hooks:\n  - {HOOK}\n" if hook else ""
    return f"""site_name: 벤치마크 정책 센터
site_url: https://policies.example.test/
site_description: 대규모 변경 이력을 가진 합성 정책 사이트 (Redline 벤치마크)
docs_dir: policies
use_directory_urls: true

theme:
  name: material
  language: {languages[0]}
  features:
    - navigation.indexes
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/weather-night
        name: 어두운 모드로 전환
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: indigo
      toggle:
        icon: material/weather-sunny
        name: 밝은 모드로 전환


plugins:
  - search:
      lang: [ko, en]
{i18n}
{hooks}
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - admonition
  - toc:
      permalink: true

validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn

extra:
  redline:
    timezone: Asia/Seoul
    notice_days: {{minor: {NOTICE["minor"]}, material: {NOTICE["material"]}}}
    adopted: {adopted.isoformat()}
    policies:
{policies}"""


HOME = {
    "ko": "---\ntitle: 정책 센터\n---\n\n# 정책 센터\n\n이 사이트는 벤치마크용 합성 정책을 게시합니다.\n\n"
    "<!-- redline:policies -->\n",
    "en": "---\ntitle: Policy Centre\n---\n\n# Policy Centre\n\nThis site publishes synthetic "
    "policies for the benchmark.\n\n<!-- redline:policies -->\n",
}


@dataclass
class _Version:
    policy: str
    effective: date
    announced: date
    change: str | None
    texts: dict[str, str]  # language -> file text
    draft: date | None = None  # an earlier commit of a draft of the same files


def _front_matter(title: str, change: str | None, reason: str | None, summary: list[str]) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if change:
        lines.append(f"change: {change}")
    if reason:
        lines.append(f"reason: {json.dumps(reason, ensure_ascii=False)}")
    if summary:
        lines.append("summary:")
        lines += [f"  - {json.dumps(s, ensure_ascii=False)}" for s in summary]
    return "\n".join(lines) + "\n---\n\n"


def _reason(touched: list[Section], lang: int, change: str) -> tuple[str, list[str]]:
    names = [s.titles[lang] for s in touched]
    if lang == 0:
        joined = " 및 ".join(f"「{n}」" for n in names)
        kind = "중요 개정" if change == "material" else "일반 개정"
        return f"{joined} 조항을 개정합니다({kind})", [f"「{n}」 조항 개정" for n in names]
    joined = " and ".join(f"“{n}”" for n in names)
    return f"Amends the sections {joined} ({change} change)", [f"Amended “{n}”" for n in names]


def _schedule(rng: random.Random, config: Config, first_policy: bool) -> list[tuple]:
    """(effective, announced, change) for each version of one policy, oldest first.

    Built backwards from `today`: the newest version is announced within the last weeks (for
    the first policy, in the last three days, so its notice period is running), and each
    earlier one takes effect 45-75 days before the next, announced its notice period plus up
    to ten days before that. Announcements therefore come in the same order as versions.
    """
    v = config.versions
    changes: list[str | None] = [None] + [
        "material" if rng.random() < config.material_share else "minor" for _ in range(v - 1)
    ]
    if v > 1 and "material" not in changes:
        changes[-1] = "material"
    if v > 2 and "minor" not in changes[1:]:
        changes[1] = "minor"
    out = []
    announced = config.today - timedelta(
        days=rng.randint(0, 2) if first_policy else rng.randint(0, 40)
    )
    effective = announced + timedelta(days=NOTICE[changes[-1] or "minor"] + rng.randint(0, 10))
    for k in range(v - 1, -1, -1):
        if k < v - 1:
            effective = effective - timedelta(days=rng.randint(45, 75))
            notice = NOTICE[changes[k] or "minor"]
            announced = effective - timedelta(days=notice + rng.randint(0, 10))
        out.append((effective, announced, changes[k]))
    return out[::-1]


def _policy_versions(
    index: int, config: Config, languages: tuple[str, ...]
) -> tuple[str, list[_Version], list[str]]:
    rng = random.Random(f"{config.seed}:{index}")
    pid, ko_title, en_title = policy_identity(index)
    doc = new_document(rng, config.size_kb)
    material_ids = [s.sid for s in doc.sections if s.material]
    versions = []
    for k, (effective, announced, change) in enumerate(_schedule(rng, config, index == 0)):
        touched = amend(doc, rng, change, config.size_kb * 1024) if k else []
        bodies = (doc.render(0), doc.render(1))
        texts = {}
        for lang in languages:
            which = 0 if lang == "ko" else 1
            reason, summary = _reason(touched, which, change) if change else (None, [])
            title = ko_title if which == 0 else en_title
            texts[lang] = (
                _front_matter(title, change, reason, summary if change == "material" else [])
                + bodies[which]
            )
        draft = None
        if k and rng.random() < 0.1:  # a draft merged a few days earlier, then corrected
            draft = announced - timedelta(days=rng.randint(2, 6))
        versions.append(_Version(pid, effective, announced, change, texts, draft))
    return pid, versions, material_ids


def _path(pid: str, effective: date, lang: str, default: str) -> str:
    suffix = "" if lang == default else f".{lang}"
    return f"policies/{pid}/{effective.isoformat()}{suffix}.md"


def _stamp(day: date, seq: int) -> str:
    moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ) + timedelta(seconds=seq * 7)
    return f"{int(moment.timestamp())} +0900"


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def generate(path: Path, config: Config = Config(), *, force: bool = False) -> Generated:
    """Write the repository at `path` (which must not exist, unless `force`)."""
    started = time.perf_counter()
    path = Path(path)
    if path.exists():
        if not force:
            raise FileExistsError(f"{path} exists (pass force=True / --force to replace it)")
        shutil.rmtree(path)
    path.mkdir(parents=True)
    languages = language_codes(config.languages)
    default = languages[0]

    all_versions: list[_Version] = []
    material: dict[str, list[str]] = {}
    effective_dates: dict[str, list[str]] = {}
    for index in range(config.policies):
        pid, versions, material_ids = _policy_versions(index, config, languages)
        all_versions += versions
        material[pid] = material_ids
        effective_dates[pid] = [v.effective.isoformat() for v in versions]
    first_effective = min(v.effective for v in all_versions)
    last_effective = max(v.effective for v in all_versions)
    # Versions effective in the first tenth of the history count as imported.
    adopted = first_effective + (last_effective - first_effective) / 10
    adopted = date.fromordinal(adopted.toordinal())

    # (day, order, message, files) for every commit, then one fast-import stream.
    commits: list[tuple[date, int, str, dict[str, bytes]]] = []
    setup = {
        "mkdocs.yml": mkdocs_yml(languages, adopted, material).encode(),
        ".gitignore": b"/site/\n",
    }
    for lang in languages:
        name = "policies/index.md" if lang == default else f"policies/index.{lang}.md"
        setup[name] = HOME.get(lang, HOME["en"]).encode()
    start = min(v.draft or v.announced for v in all_versions) - timedelta(days=1)
    commits.append((start, 0, "Set up the policy site", setup))
    for v in all_versions:
        files = {
            _path(v.policy, v.effective, lang, default): t.encode() for lang, t in v.texts.items()
        }
        kind = v.change or "first"
        message = f"{v.policy}: {kind} version effective {v.effective.isoformat()}"
        if v.draft:
            drafts = {
                p: b.replace(b"\nreason: ", b"\nreason: (draft) ", 1) for p, b in files.items()
            }
            commits.append((v.draft, 1, f"{message} (draft)", drafts))
            message += " (final text)"
        commits.append((v.announced, 1, message, files))
    commits.sort(key=lambda c: (c[0], c[1]))

    stream = bytearray()
    for seq, (day, _, message, files) in enumerate(commits):
        who = f"Policy Editor <editor@example.test> {_stamp(day, seq)}".encode()
        stream += b"commit refs/heads/main\n"
        stream += b"author " + who + b"\ncommitter " + who + b"\n"
        stream += _data(message.encode())
        for name, payload in files.items():
            stream += f"M 100644 inline {name}\n".encode() + _data(payload)
        stream += b"\n"

    def git(*args: str, stdin: bytes | None = None) -> None:
        subprocess.run(["git", *args], cwd=path, input=stdin, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "editor@example.test")
    git("config", "user.name", "Policy Editor")
    git("config", "commit.gpgsign", "false")
    git("fast-import", "--quiet", "--done", stdin=bytes(stream) + b"done\n")
    git("reset", "-q", "--hard", "main")

    today = config.today
    in_notice = sorted({v.policy for v in all_versions if v.announced <= today < v.effective})
    classes = {"minor": 0, "material": 0}
    for v in all_versions:
        if v.change:
            classes[v.change] += 1
    return Generated(
        path=path,
        config=config,
        languages=languages,
        policies=effective_dates,
        classes=classes,
        in_notice=in_notice,
        adopted=adopted,
        commits=len(commits),
        files=sum(len(c[3]) for c in commits),
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------------------------
# Document pairs for the diff benchmark.


def diff_pairs(seed: int = 1) -> dict[str, tuple[str, str]]:
    """Korean (old, new) pairs: a typical 15 KB amendment, a 1 MB document with a typical
    amendment, and a 15 KB document with an edit in nearly every paragraph and list."""
    pairs = {}
    for name, size in (("15kb", 15.0), ("1mb", 1024.0)):
        rng = random.Random(f"{seed}:pair:{name}")
        doc = new_document(rng, size)
        old = doc.render(0)
        amend(doc, rng, "material", size * 1024)
        amend(doc, rng, "minor", size * 1024)
        pairs[name] = (old, doc.render(0))
    rng = random.Random(f"{seed}:pair:many")
    doc = new_document(rng, 15.0)
    old = doc.render(0)
    for section in doc.sections:
        for block in section.blocks:
            for phrase in block.phrases:
                if rng.random() < 0.5:
                    phrase.n += 1  # one number in half of all sentences and list items
            if block.kind == "p" and block.phrases:
                i = rng.randrange(len(block.phrases))
                block.phrases[i] = Phrase.random(SENTENCES, rng)  # a sentence in every paragraph
            if block.rows:
                block.rows[0] = _row(block.kind, rng)
    pairs["many_edits"] = (old, doc.render(0))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (must not exist, see --force)")
    parser.add_argument("-P", "--policies", type=int, default=Config.policies)
    parser.add_argument("-V", "--versions", type=int, default=Config.versions)
    parser.add_argument("-L", "--languages", type=int, default=Config.languages)
    parser.add_argument("-S", "--size-kb", type=float, default=Config.size_kb)
    parser.add_argument("--seed", type=int, default=Config.seed)
    parser.add_argument("--today", type=date.fromisoformat, default=Config.today)
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    config = Config(
        args.policies, args.versions, args.languages, args.size_kb, args.seed, args.today
    )
    generated = generate(args.out, config, force=args.force)
    json.dump(generated.summary(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    print(
        f"build it: cd {generated.path} && REDLINE_TODAY={generated.today} "
        f"{sys.executable} -m mkdocs build --strict",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
