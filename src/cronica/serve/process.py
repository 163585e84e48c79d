"""Run ``cronica serve`` as a child process on a free port (for tests and benchmarks).

>>> with ServerProcess("sqlite:///x.db") as srv:        # doctest: +SKIP
...     urllib.request.urlopen(srv.url + "/api/v1/counts")
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``cronica serve --db DB_URL --port <free>`` in a subprocess, ready when entered.

    ``log`` collects the server's stdout/stderr; a server that does not answer within
    ``timeout`` seconds is killed and a RuntimeError shows its log.
    """

    def __init__(self, db_url: str, *, public: bool = False, timeout: float = 60.0,
                 log: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.db_url = db_url
        self.public = public
        self.timeout = timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "ServerProcess":
        cmd = [sys.executable, "-c", "from cronica.cli import main; main()", "serve", "--db", self.db_url,
               "--port", str(self.port)] + (["--public"] if self.public else [])
        out = open(self.log, "wb") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(self.env or {})})
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url + "/login", timeout=2).close()
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        self.__exit__()
        tail = self.log.read_text(errors="replace")[-2000:] if self.log and self.log.exists() else ""
        raise RuntimeError(f"cronica serve on port {self.port} did not start: {tail}")

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
