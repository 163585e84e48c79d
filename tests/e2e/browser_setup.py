"""What the browser tests share: Debian's chromium with the flags it needs here, the test
password, and :func:`require_browser`, which skips the calling test module when no browser
can run (or fails it under ``CRONICA_REQUIRE_BROWSER=1``, as .ci/run sets)."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "browser-pass-1"
REQUIRED = os.environ.get("CRONICA_REQUIRE_BROWSER", "") == "1"


def unavailable(reason: str) -> NoReturn:
    """Skip (browser optional) or fail (CRONICA_REQUIRE_BROWSER=1) with ``reason``."""
    if REQUIRED:
        pytest.fail(f"CRONICA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason}; browser tests skipped", allow_module_level=True)


def require_browser() -> ModuleType:
    """Playwright's sync API, once chromium and playwright are known to be there."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is absent (apt-get install chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    return sync_api
