"""Command-line interface. Every module in this package adds its commands to ``main``."""

from __future__ import annotations

import importlib
import pkgutil

from cronica.cli.base import main

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name != "base":
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["main"]
