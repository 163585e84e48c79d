"""Errors raised by the store. Each message is one line naming the input and the problem."""

from __future__ import annotations


class StoreError(Exception):
    """A database could not be opened, or a record could not be saved or queried."""
