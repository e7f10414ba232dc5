"""A real RFC 3161 time-stamping authority on 127.0.0.1, for the tests: `openssl ts -reply`
behind a small HTTP handler, with its own root CA and a TSA certificate whose extended key
usage is timeStamping (critical), as public authorities have.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ v3_tsa ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
"""


def _openssl(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    done = subprocess.run(["openssl", *args], cwd=cwd, input=data, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)}: {done.stderr.decode()}")
    return done.stdout


def make_authority(folder: Path, name: str = "Redline Test TSA") -> Path:
    """Keys and certificates of a CA and a TSA in `folder`; the root certificate's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder), encoding="utf-8")
    (folder / "serial").write_text("01\n")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    _openssl(
        folder,
        "req",
        "-x509",
        *ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "3650",
        "-subj",
        f"/CN={name} Root",
        "-config",
        "tsa.cnf",
        "-extensions",
        "v3_ca",
    )
    _openssl(folder, "req", *ec, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", f"/CN={name}")
    _openssl(
        folder,
        "x509",
        "-req",
        "-in",
        "tsa.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "tsa.crt",
        "-days",
        "3650",
        "-extfile",
        "tsa.cnf",
        "-extensions",
        "v3_tsa",
    )
    return folder / "ca.crt"


class LocalTSA:
    """`with LocalTSA() as tsa:` an authority answering at `tsa.url`; `tsa.ca` is its root.
    `tsa.requests` counts the time-stamps it gave; `tsa.down = True` makes it fail."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or Path(tempfile.mkdtemp(prefix="redline-tsa-"))
        self.ca = make_authority(self.folder)
        self.requests = 0
        self.down = False

    def reply(self, query: bytes) -> bytes:
        self.requests += 1
        (self.folder / "query.tsq").write_bytes(query)
        return _openssl(
            self.folder,
            "ts",
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "query.tsq",
            "-inkey",
            "tsa.key",
            "-signer",
            "tsa.crt",
            "-out",
            "-",
        )

    def __enter__(self) -> LocalTSA:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                query = self.rfile.read(int(self.headers["Content-Length"]))
                if tsa.down:
                    self.send_error(503)
                    return
                body = tsa.reply(query)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsr"
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
