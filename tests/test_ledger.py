"""Notice counted from real publication: the live site's versions.json is the ledger.

Real parts only: real git repositories with back-dated and rewritten histories, real
`mkdocs build --strict` runs whose output is served over HTTP from 127.0.0.1 as the "live
site", and a real RFC 3161 time-stamping authority (openssl behind an HTTP handler).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from clikit import run
from conftest import serve
from sitekit import SiteRepo
from test_records import jing
from tsakit import LocalTSA

from redline import ledger, receipts

ADOPTED = "2020-01-01"


def build(repo: SiteRepo, today: str, site: str, published: str | None = None):
    env = {**os.environ, "REDLINE_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    if published is not None:
        env["REDLINE_PUBLISHED"] = published
    else:
        env.pop("REDLINE_PUBLISHED", None)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def redeploy(repo: SiteRepo, today: str, site: str, previous: str) -> None:
    """A deploy on `today` into `site` whose live ledger is the one `previous` published."""
    done = build(repo, today, site, published=str(repo.path / previous / "versions.json"))
    assert done.returncode == 0, done.stderr


def versions(repo: SiteRepo, site: str) -> dict:
    return json.loads((repo.path / site / "versions.json").read_text(encoding="utf-8"))


def record(doc: dict, policy: str, effective: str) -> dict:
    p = next(p for p in doc["policies"] if p["id"] == policy)
    return next(v for v in [*p["versions"], *p.get("withdrawn", [])] if v["effective"] == effective)


def check(repo, *args, today):
    result = run(repo, "check", "--format", "json", *args, today=today)
    assert "Traceback" not in result.text, result.text
    out = json.loads(result.out) if result.out.strip() else {}
    return result.code, out.get("findings", []), result


@pytest.fixture
def live(tmp_path):
    """Serve folders over HTTP as the live site; stopped after the test."""
    servers = []

    def start(folder):
        server, url = serve(folder)
        servers.append(server)
        return url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def published(site_repo, live):
    """v1 of `privacy` published on 2024-02-01: the live site and its address."""
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-02-01", "v1")
    done = build(site_repo, "2024-02-01", "live", published="none")
    assert done.returncode == 0, done.stderr
    return site_repo, live(site_repo.path / "live")


def test_a_back_dated_amendment_passes_on_git_dates_but_not_on_the_ledger(published):
    repo, url = published
    # A material amendment committed "two months ago" (after v1, so the date is plausible),
    # merged and published today, 2024-06-28, to take effect on 2024-07-01.
    repo.version("privacy", "2024-07-01", change="material", reason="r", extra="새 목적")
    repo.commit("2024-04-28", "back-dated")
    assert check(repo, today="2024-06-28")[0] == 0  # the git-only gate is fooled
    code, findings, result = check(repo, "--published", url + "versions.json", today="2024-06-28")
    assert code == 1 and [f["rule"] for f in findings] == ["R1"], findings
    assert "announced 2024-06-28" in findings[0]["message"]
    assert (
        "Announcement days: the published ledger"
        in run(repo, "check", "--published", url + "versions.json", today="2024-06-28").out
    )
    done = build(repo, "2024-06-28", "next", published=url + "versions.json")
    assert done.returncode != 0 and "R1 notice window" in done.stderr


def test_a_rewritten_history_that_keeps_the_dates_cannot_change_a_version_in_force(published):
    repo, url = published
    # Rewrite v1's only commit with other words, keeping its date: git's R3 sees nothing.
    path = repo.path / "policies/privacy/2024-03-01.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("회원 관리", "회원 관리 및 광고"), encoding="utf-8"
    )
    repo.git("add", "-A")
    stamp = "2024-02-01T12:00:00+09:00"
    repo.git(
        "commit",
        "-q",
        "--amend",
        "--no-edit",
        env={"GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp},
    )
    assert check(repo, today="2024-06-01")[0] == 0
    code, findings, _ = check(repo, "--published", url + "versions.json", today="2024-06-01")
    assert code == 1 and findings[0]["rule"] == "R3"
    assert findings[0]["file"] == "policies/privacy/2024-03-01.md"
    assert "published on 2024-02-01" in findings[0]["message"]


def test_a_deploy_that_never_went_live_counts_no_notice(published, live):
    repo, url = published
    repo.version("privacy", "2024-06-01", change="minor", reason="r", extra="정정")
    repo.commit("2024-05-20", "amendment")
    # 2024-05-20: built with the live ledger, but the deploy failed: nothing went live.
    assert build(repo, "2024-05-20", "failed", published=url + "versions.json").returncode == 0
    assert record(versions(repo, "failed"), "privacy", "2024-06-01")["announced"] == "2024-05-20"
    # 2024-05-27: the next deploy still reads the old live ledger; the amendment is announced
    # only now, with 5 days' notice instead of 12.
    code, findings, _ = check(repo, "--published", url + "versions.json", today="2024-05-27")
    assert code == 1 and "gets 5 days" in findings[0]["message"]
    # Had the 2024-05-20 deploy gone live, its ledger would carry the earlier day forward.
    code, _, _ = check(
        repo, "--published", str(repo.path / "failed/versions.json"), today="2024-05-27"
    )
    assert code == 0


def test_every_build_carries_every_announcement_forward(published):
    repo, url = published
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="하나")
    repo.commit("2024-06-01")
    assert build(repo, "2024-06-01", "d1", published=url + "versions.json").returncode == 0
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="둘")  # a correction
    repo.commit("2024-06-10")
    redeploy(repo, "2024-06-10", "d2", "d1")
    v2 = record(versions(repo, "d2"), "privacy", "2024-08-01")
    assert [a["day"] for a in v2["announcements"]] == ["2024-06-01", "2024-06-10"]
    assert v2["announced"] == "2024-06-10"
    assert v2["announcements"][0]["texts"] != v2["announcements"][1]["texts"]
    v1 = record(versions(repo, "d2"), "privacy", "2024-03-01")
    assert [a["day"] for a in v1["announcements"]] == ["2024-02-01"]


def test_a_withdrawn_amendment_stays_on_record_and_a_removed_version_in_force_is_refused(published):
    repo, url = published
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="철회될 개정")
    repo.commit("2024-06-01")
    assert build(repo, "2024-06-01", "d1", published=url + "versions.json").returncode == 0
    for f in (repo.path / "policies/privacy").glob("2024-08-01*"):
        f.unlink()
    repo.commit("2024-06-05", "withdraw")
    redeploy(repo, "2024-06-05", "d2", "d1")
    gone = record(versions(repo, "d2"), "privacy", "2024-08-01")
    assert gone["status"] == "withdrawn" and gone["withdrawn"] == "2024-06-05"
    assert gone["announcements"][0]["day"] == "2024-06-01"
    # Carried forward by the next build.
    redeploy(repo, "2024-06-06", "d3", "d2")
    assert record(versions(repo, "d3"), "privacy", "2024-08-01")["withdrawn"] == "2024-06-05"
    # A version in force may not go.
    shutil.rmtree(repo.path / "policies/privacy")
    repo.version("privacy", "2024-09-01", title="새 방침")
    repo.commit("2024-06-07")
    code, findings, _ = check(
        repo, "--published", str(repo.path / "d3/versions.json"), today="2024-06-07"
    )
    assert code == 1 and any("gone from the repository" in f["message"] for f in findings)


def test_a_ledger_from_before_the_ledger_is_the_starting_record(published):
    repo, url = published
    old = versions(repo, "live")
    for p in old["policies"]:
        for v in p["versions"]:
            del v["announcements"]  # as versions.json was written before the ledger
    legacy = repo.path / "legacy.json"
    legacy.write_text(json.dumps(old), encoding="utf-8")
    repo.git("add", "-A")
    repo.commit("2024-02-02")
    code, _, result = check(repo, "--published", str(legacy), today="2024-06-01")
    assert code == 0, result.text
    done = build(repo, "2024-06-01", "next", published=str(legacy))
    v1 = record(versions(repo, "next"), "privacy", "2024-03-01")
    assert done.returncode == 0 and v1["announcements"][0]["day"] == "2024-02-01"


@pytest.mark.parametrize(
    "kind", ["unreachable", "not-json", "wrong-schema", "missing-file", "too-deep", "long-number"]
)
def test_a_ledger_that_cannot_be_read_stops_everything(published, kind, tmp_path):
    repo, url = published
    source = {
        "unreachable": "http://127.0.0.1:9/versions.json",
        "not-json": str(tmp_path / "x.json"),
        "wrong-schema": str(tmp_path / "y.json"),
        "missing-file": str(tmp_path / "nope.json"),
        "too-deep": str(tmp_path / "deep.json"),
        "long-number": str(tmp_path / "long.json"),
    }[kind]
    (tmp_path / "x.json").write_text("<html>not found</html>")
    (tmp_path / "y.json").write_text('{"schema_version": 9, "policies": []}')
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "long.json").write_text('{"schema_version": 1' + "0" * 5000 + "}")
    result = run(repo, "check", "--published", source, today="2024-06-01")
    assert result.code == 2 and "Traceback" not in result.text
    assert "ledger" in result.err and "fix:" in result.err
    done = build(repo, "2024-06-01", "never", published=source)
    assert done.returncode != 0 and not (repo.path / "never/index.html").exists()


ODD_LEDGERS = {
    "texts-not-text": lambda a: a.update(texts={"ko": 5, "en": 6}),
    "texts-not-sha256": lambda a: a.update(texts={"ko": "<b>x</b>", "en": "ab"}),
    "language-with-control": lambda a: a.update(texts={"e\x1b]0;x\x07n": "a" * 64}),
    "day-after-the-ledger": lambda a: a.update(day="2099-01-01"),
    "receipt-in-another-versions-place": lambda a: a.update(
        receipt={
            "path": "receipts/terms/2024-03-01/2024-02-01-x.json",
            "authority": "a",
            "time": "t",
            "token": "",
            "record": {},
        }
    ),
    "receipt-address-with-newline": lambda a: a.update(
        receipt={
            "path": "receipts/privacy/2024-03-01/2024-02-01-x.json\n",
            "authority": "a",
            "time": "t",
            "token": "",
            "record": {},
        }
    ),
}


@pytest.mark.parametrize("kind", sorted(ODD_LEDGERS))
def test_a_ledger_redline_never_writes_stops_everything(published, kind, tmp_path):
    repo, _ = published
    document = versions(repo, "live")
    ODD_LEDGERS[kind](record(document, "privacy", "2024-03-01")["announcements"][0])
    source = tmp_path / "versions.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = run(repo, "check", "--published", str(source), today="2024-06-01")
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "not a Redline versions.json" in result.err and "fix:" in result.err


@pytest.mark.parametrize("damage", ["too-deep", "sha256-not-text"])
def test_a_built_site_with_a_damaged_versions_json_is_refused_with_a_message(published, damage):
    repo, _ = published
    target = repo.path / "live/versions.json"
    if damage == "too-deep":
        target.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        _tamper(
            target,
            lambda d: record(d, "privacy", "2024-03-01")["languages"]["ko"].update(sha256=[1]),
        )
    result = run(repo, "check", "--site", str(repo.path / "live"), today="2024-02-01")
    assert result.code == 1 and "internal error" not in result.text, result.text
    assert "built site" in result.out


# --- receipts -------------------------------------------------------------------------------


@pytest.fixture
def tsa():
    with LocalTSA() as authority:
        yield authority


def _with_tsa(repo: SiteRepo, tsa: LocalTSA) -> None:
    config = repo.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            f'adopted: "{ADOPTED}"',
            f'adopted: "{ADOPTED}"\n    timestamping: {{url: "{tsa.url}", ca: "{tsa.ca}"}}',
        ),
        encoding="utf-8",
    )


def _real_days() -> tuple[str, str, str]:
    """Today in the site's time zone and two effective dates after it: a receipt proves the
    day it was obtained, so a build whose receipts verify runs on the real day."""
    today = datetime.now(ZoneInfo("Asia/Seoul")).date()
    return tuple((today + timedelta(days=n)).isoformat() for n in (0, 40, 80))


TODAY, FIRST, SECOND = _real_days()


def test_each_deploy_gets_a_receipt_that_anyone_can_verify(site_repo, tsa, live):
    repo = site_repo
    today, first, second = TODAY, FIRST, SECOND
    _with_tsa(repo, tsa)
    repo.version("privacy", first)
    repo.commit(today)
    assert build(repo, today, "d1", published="none").returncode == 0
    repo.version("privacy", second, change="minor", reason="r", extra="개정")
    repo.commit(today)
    redeploy(repo, today, "d2", "d1")
    assert tsa.requests == 2  # one for each announcement, none again for the carried one
    v2 = record(versions(repo, "d2"), "privacy", second)
    receipt = v2["announcements"][-1]["receipt"]
    assert (repo.path / "d2" / receipt["path"]).is_file()
    url = live(repo.path / "d2")
    for source in (str(repo.path / "d2"), url):
        result = run(repo, "verify", source, "--ca", str(tsa.ca))
        assert result.code == 0, result.text
        assert re.search(
            rf"privacy {second} \(en, ko\): announced on {today}, proven to exist no later "
            r"than \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 by CN=Redline Test TSA",
            result.out,
        ), result.out
    # The receipt of v1 was carried forward without asking the authority again.
    assert record(versions(repo, "d2"), "privacy", first)["announcements"][0]["receipt"]


def test_a_receipt_obtained_on_another_day_does_not_prove_the_announcement_day(site_repo, tsa):
    """The build ran as of 2024-02-01 but the authority's clock says today: the token proves
    the text existed today, not that it was announced on the day the ledger claims."""
    repo, site = site_repo, site_repo.path / "d1"
    _with_tsa(repo, tsa)
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    assert build(repo, "2024-02-01", "d1", published="none").returncode == 0
    result = run(repo, "verify", str(site), "--ca", str(tsa.ca))
    assert result.code == 1 and "NOT VERIFIED" in result.out, result.text
    assert "not on the announcement day 2024-02-01" in result.out, result.out


def _tamper(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("what", ["record", "token", "file", "ca"])
def test_one_altered_byte_fails_verification(site_repo, tsa, what, tmp_path):
    repo = site_repo
    _with_tsa(repo, tsa)
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    assert build(repo, "2024-02-01", "d1", published="none").returncode == 0
    receipt = next((repo.path / "d1/receipts").rglob("*.json"))
    ca = tsa.ca
    if what == "record":
        _tamper(receipt, lambda d: d["record"].update(announced="2024-01-31"))
    elif what == "token":

        def flip(d):
            raw = bytearray(base64.b64decode(d["token"]))
            raw[-10] ^= 1
            d["token"] = base64.b64encode(bytes(raw)).decode()

        _tamper(receipt, flip)
    elif what == "file":
        path = repo.path / "policies/privacy/2024-03-01.md"
        path.write_bytes(path.read_bytes().replace(b"\n", b" \n", 1))
    else:
        with LocalTSA(tmp_path / "other") as other:
            ca = other.ca  # a root the token does not chain to
    result = run(repo, "verify", str(repo.path / "d1"), "--ca", str(ca), writes=what == "file")
    assert result.code == 1 and "NOT VERIFIED" in result.out, result.text


def test_no_deploy_without_its_receipt(site_repo, tsa):
    repo = site_repo
    _with_tsa(repo, tsa)
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    tsa.down = True
    done = build(repo, "2024-02-01", "d1", published="none")
    assert done.returncode != 0 and "time-stamping authority" in done.stderr


@pytest.fixture
def stamped(site_repo, tsa):
    """v1 of `privacy` published today with its receipt (so that it verifies): the
    repository and the site."""
    _with_tsa(site_repo, tsa)
    site_repo.version("privacy", FIRST)
    site_repo.commit(TODAY)
    assert build(site_repo, TODAY, "d1", published="none").returncode == 0
    return site_repo, site_repo.path / "d1"


def test_verify_names_what_is_malformed_instead_of_failing(stamped, tsa):
    repo, site = stamped
    receipt = next((site / "receipts").rglob("*.json"))
    token = json.loads(receipt.read_text(encoding="utf-8"))["token"]
    receipt.write_text("[]", encoding="utf-8")
    result = run(repo, "verify", str(site), "--ca", str(tsa.ca))
    assert result.code == 1 and "is not a receipt" in result.out, result.text
    receipt.write_text(json.dumps({"token": token}), encoding="utf-8")
    result = run(repo, "verify", str(site), "--ca", str(tsa.ca))
    assert result.code == 1 and "NOT VERIFIED" in result.out, result.text
    _tamper(site / "versions.json", lambda d: record(d, "privacy", FIRST).pop("effective"))
    result = run(repo, "verify", str(site), "--ca", str(tsa.ca))
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "no Redline versions.json could be read there" in result.err


@pytest.mark.parametrize("other", ["one-language-only", "another-version", "another-site"])
def test_a_genuine_receipt_of_another_announcement_fails_verification(stamped, tsa, other):
    repo, site = stamped
    document = versions(repo, "d1")
    announcement = record(document, "privacy", FIRST)["announcements"][0]
    path = announcement["receipt"]["path"]
    stamped_record = dict(announcement["receipt"]["record"])
    if other == "one-language-only":
        stamped_record["files"] = {"ko": stamped_record["files"]["ko"]}
    elif other == "another-version":
        stamped_record["effective"] = SECOND
    else:  # a staging site's genuine receipt of the same texts the same day
        stamped_record["site_url"] = "https://staging.example.test/"
    announcement["receipt"] = dataclasses.asdict(receipts.obtain(tsa.url, stamped_record, path))
    (site / "versions.json").write_text(json.dumps(document), encoding="utf-8")
    (site / path).write_text(receipts.receipt_file(announcement["receipt"]), encoding="utf-8")
    result = run(repo, "verify", str(site), "--ca", str(tsa.ca))
    assert result.code == 1 and "NOT VERIFIED" in result.out, result.text


# --- hostile servers ------------------------------------------------------------------------

BROKEN_ANSWERS = {
    "not-http": b"garbage\r\n\r\n",
    "cut-short": b"HTTP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\n{}",
    "header-too-long": b"HTTP/1.0 200 OK\r\nX: " + b"a" * 70_000 + b"\r\n\r\n{}",
    "too-many-headers": b"HTTP/1.0 200 OK\r\n" + b"X: a\r\n" * 200 + b"\r\n{}",
    "redirect-to-ftp": b"HTTP/1.0 302 Found\r\nLocation: ftp://127.0.0.1:9/versions.json\r\n\r\n",
}


@pytest.fixture
def broken_server():
    """A real socket on 127.0.0.1 that answers every request with the bytes given (or a
    function of the socket)."""
    servers = []

    def start(answer) -> str:
        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)
                if callable(answer):
                    answer(self.request)
                else:
                    self.request.sendall(answer)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("answer", sorted(BROKEN_ANSWERS))
def test_a_broken_server_stops_every_command_with_a_message(stamped, tsa, broken_server, answer):
    repo, _ = stamped
    url = broken_server(BROKEN_ANSWERS[answer])
    result = run(repo, "check", "--published", url + "versions.json", today=TODAY)
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "the published ledger could not be read" in result.err, result.err
    result = run(repo, "verify", url, "--ca", str(tsa.ca))
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "no Redline versions.json could be read there" in result.err, result.err
    config = repo.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(tsa.url, url), encoding="utf-8")
    repo.version("privacy", SECOND, change="minor", reason="r", extra="개정")
    repo.commit(TODAY)
    done = build(repo, TODAY, "d2", published=str(repo.path / "d1/versions.json"))
    assert done.returncode != 0 and "time-stamping authority" in done.stderr, done.stderr


def _endless(request) -> None:
    """An answer that never ends: a byte every tenth of a second, without a length."""
    request.sendall(b"HTTP/1.0 200 OK\r\n\r\n")
    with contextlib.suppress(OSError):
        while True:
            request.sendall(b"[" * 1000)
            time.sleep(0.01)


def _trickle(request) -> None:
    """A status line that never ends, a byte at a time, each in time for the socket."""
    with contextlib.suppress(OSError):
        while True:
            request.sendall(b"H")
            time.sleep(0.05)


@pytest.mark.parametrize(
    ("answer", "limit"),
    [(_endless, "DEADLINE"), (_endless, "MAX_BYTES"), (_trickle, "DEADLINE")],
)
def test_a_server_that_never_stops_answering_is_cut_off(
    published, broken_server, monkeypatch, answer, limit
):
    repo, _ = published
    monkeypatch.setattr(ledger, limit, {"DEADLINE": 1, "MAX_BYTES": 50_000}[limit])
    url = broken_server(answer)
    started = time.monotonic()
    result = run(repo, "check", "--published", url + "versions.json", today="2024-06-01")
    assert time.monotonic() - started < 20
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "the published ledger could not be read: the answer" in result.err, result.err


def test_a_ledger_of_another_site_gives_no_notice(published, tmp_path):
    """A staging site nobody reads announces nothing to the public: its ledger is refused."""
    repo, _ = published
    document = versions(repo, "live")
    document["site_url"] = "https://staging.example.test/"
    source = tmp_path / "versions.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = run(repo, "check", "--published", str(source), today="2024-06-01")
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "https://staging.example.test/" in result.err and "fix:" in result.err
    done = build(repo, "2024-06-01", "next", published=str(source))
    assert done.returncode != 0 and not (repo.path / "next/index.html").exists()


def test_a_build_dated_before_the_live_ledger_cannot_back_date(published):
    """The live site was last built on 2024-02-01: a run as of an earlier day would announce
    texts on a day before the deploy that is live now."""
    repo, url = published
    repo.version("privacy", "2024-03-15", change="minor", reason="r", extra="개정")
    repo.commit("2024-01-10")
    result = run(repo, "check", "--published", url + "versions.json", today="2024-01-10")
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "2024-02-01" in result.err and "fix:" in result.err
    done = build(repo, "2024-01-10", "next", published=url + "versions.json")
    assert done.returncode != 0 and not (repo.path / "next/index.html").exists()


ODD_VERSIONS = {
    "policy-id-markup": lambda p, v: p.update(id="<img src=x onerror=alert(1)>"),
    "path-with-markup": lambda p, v: v["languages"]["ko"].update(path="<script>x</script>"),
    "path-outside": lambda p, v: v["languages"]["ko"].update(path="../../etc/passwd"),
    "the-same-version-twice": lambda p, v: v.update(effective="2024-03-01"),
    "days-out-of-order": lambda p, v: v["announcements"].append(
        {**v["announcements"][0], "day": "2024-01-01"}
    ),
}


@pytest.mark.parametrize("kind", sorted(ODD_VERSIONS))
def test_a_forged_version_in_the_ledger_is_not_carried_forward(published, kind, tmp_path):
    """A ledger may not plant a version (withdrawn, so republished on every deploy) whose id,
    languages or paths are markup, or whose announcements go back in time."""
    repo, _ = published
    document = versions(repo, "live")
    policy = document["policies"][0]
    forged = json.loads(json.dumps(record(document, "privacy", "2024-03-01")))
    forged["effective"] = "2024-09-01"
    ODD_VERSIONS[kind](policy, forged)
    policy["versions"].append(forged)
    source = tmp_path / "versions.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = run(repo, "check", "--published", str(source), today="2024-06-01")
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "not a Redline versions.json" in result.err and "fix:" in result.err


@pytest.mark.parametrize(
    ("kind", "change"),
    [
        # One reader (a person, a browser) sees the first day, Python's json the last.
        ("duplicate-key", ('"day": "2024-02-01"', '"day": "2024-02-01", "day": "2023-01-01"')),
        ("not-json-nan", ('"in_force": null', '"in_force": NaN')),
    ],
)
def test_a_ledger_that_is_not_plain_json_stops_everything(published, tmp_path, kind, change):
    repo, _ = published
    text = (repo.path / "live/versions.json").read_text(encoding="utf-8")
    assert change[0] in text
    source = tmp_path / "versions.json"
    source.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = run(repo, "check", "--published", str(source), today="2024-06-01")
    assert result.code == 2 and "internal error" not in result.text, result.text
    assert "the published ledger is not JSON" in result.err and "fix:" in result.err


def test_no_deploy_with_a_receipt_that_would_not_verify(site_repo, tsa, tmp_path):
    """An authority (or whoever answers at its http:// address) whose token does not chain
    to the configured root: publishing it would be publishing no receipt."""
    repo = site_repo
    _with_tsa(repo, tsa)
    with LocalTSA(tmp_path / "impostor") as impostor:
        config = repo.path / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace(tsa.url, impostor.url), encoding="utf-8")
        repo.version("privacy", FIRST)
        repo.commit(TODAY)
        done = build(repo, TODAY, "d1", published="none")
    assert done.returncode != 0 and "token does not verify" in done.stderr, done.stderr


def test_a_new_policy_withdrawn_whole_before_it_took_effect_stays_on_record(published):
    """A policy whose only version was announced and then removed (folder and all) before it
    took effect: the public was told of it, so the ledger keeps it, as withdrawn."""
    repo, url = published
    repo.version("terms", "2024-08-01", title="이용약관")
    repo.commit("2024-06-01", "announce terms")
    assert build(repo, "2024-06-01", "d1", published=url + "versions.json").returncode == 0
    assert record(versions(repo, "d1"), "terms", "2024-08-01")["status"] == "announced"
    shutil.rmtree(repo.path / "policies/terms")
    repo.commit("2024-06-05", "withdraw terms")
    redeploy(repo, "2024-06-05", "d2", "d1")
    gone = record(versions(repo, "d2"), "terms", "2024-08-01")
    assert gone["status"] == "withdrawn" and gone["withdrawn"] == "2024-06-05"
    assert [a["day"] for a in gone["announcements"]] == ["2024-06-01"]
    redeploy(repo, "2024-06-06", "d3", "d2")
    assert record(versions(repo, "d3"), "terms", "2024-08-01")["withdrawn"] == "2024-06-05"


def _feed_entries(repo: SiteRepo, site: str, rel: str = "feed.xml") -> dict[str, dict]:
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring((repo.path / site / rel).read_bytes())
    return {
        e.findtext(f"{atom}id"): {
            "title": e.findtext(f"{atom}title"),
            "published": e.findtext(f"{atom}published"),
            "updated": e.findtext(f"{atom}updated"),
        }
        for e in root.iter(f"{atom}entry")
    }


@pytest.mark.parametrize("whole", [False, True], ids=["amendment", "new-policy"])
def test_a_withdrawn_announcement_keeps_its_feed_entry_and_says_it_was_withdrawn(published, whole):
    """Feed readers keep the entries they have read: dropping the entry would leave every
    subscriber believing the amendment still comes. The entry stays, same id, updated on
    the day it was withdrawn, saying so."""
    repo, url = published
    policy = "terms" if whole else "privacy"
    if whole:
        repo.version(policy, "2024-08-01", title="이용약관")
    else:
        repo.version(policy, "2024-08-01", change="minor", reason="r", extra="철회될 개정")
    repo.commit("2024-06-01")
    assert build(repo, "2024-06-01", "d1", published=url + "versions.json").returncode == 0
    if whole:
        shutil.rmtree(repo.path / "policies" / policy)
    for f in (repo.path / "policies" / policy).glob("2024-08-01*"):
        f.unlink()
    repo.commit("2024-06-05", "withdraw")
    redeploy(repo, "2024-06-05", "d2", "d1")
    for rel in ("feed.xml", "en/feed.xml"):
        before, after = _feed_entries(repo, "d1", rel), _feed_entries(repo, "d2", rel)
        assert set(before) <= set(after), rel
        (gone,) = [i for i in before if "2024-08-01" in i]
        assert after[gone]["published"] == before[gone]["published"]
        assert after[gone]["updated"].startswith("2024-06-05T00:00:00")
        assert ("철회" if rel == "feed.xml" else "withdrawn") in after[gone]["title"]
        result = jing(repo.path / "d2" / rel)
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_correction_keeps_its_feed_entry_and_moves_its_update(published):
    """A correction before the effective date is the same announcement made again: readers
    must see the entry they have, updated, not a second one."""
    repo, url = published
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="하나")
    repo.commit("2024-06-01")
    assert build(repo, "2024-06-01", "d1", published=url + "versions.json").returncode == 0
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="둘")
    repo.commit("2024-06-10")
    redeploy(repo, "2024-06-10", "d2", "d1")
    for rel in ("feed.xml", "en/feed.xml"):
        before, after = _feed_entries(repo, "d1", rel), _feed_entries(repo, "d2", rel)
        assert set(before) == set(after) and len(after) == 2, rel
        (corrected,) = [i for i in after if "2024-08-01" in i]
        assert before[corrected]["updated"].startswith("2024-06-01T00:00:00+09:00")
        assert after[corrected]["updated"].startswith("2024-06-10T00:00:00+09:00")


def test_withdrawing_an_amendment_announces_the_next_one_again(published):
    """v2 and v3 announced; v3 keeps v2's wording. Withdrawing v2 makes v3 (now number 2)
    bring v2's wording in, which v3's notice never showed as a change: R3 refuses inserting
    a version for the same reason, so the withdrawal should be refused or restart v3's
    notice."""
    repo, url = published
    repo.version("privacy", "2024-07-10", change="minor", reason="r", extra="하나")
    repo.commit("2024-06-01")
    assert build(repo, "2024-06-01", "d1", published=url + "versions.json").returncode == 0
    repo.version("privacy", "2024-07-20", change="minor", reason="r", extra="하나 둘")
    repo.commit("2024-06-10")
    redeploy(repo, "2024-06-10", "d2", "d1")
    for f in (repo.path / "policies/privacy").glob("2024-07-10*"):
        f.unlink()
    repo.commit("2024-06-15", "withdraw v2")
    redeploy(repo, "2024-06-15", "d3", "d2")
    v3 = record(versions(repo, "d3"), "privacy", "2024-07-20")
    assert [a["day"] for a in v3["announcements"]] == ["2024-06-10", "2024-06-15"]
    assert v3["announced"] == "2024-06-15" and v3["number"] == 2
    # The next build keeps that record and does not announce v3 a third time.
    redeploy(repo, "2024-06-16", "d4", "d3")
    assert record(versions(repo, "d4"), "privacy", "2024-07-20")["announced"] == "2024-06-15"
