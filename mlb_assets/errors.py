"""Errors a user can fix themselves; the CLI reports them in one line and exits 2.

A module of its own, below every layer, so that anything raising one (the CLI, the demo) needs
no import of the CLI.
"""


class UsageError(Exception):
    """Bad input (unknown pitcher, bad date, invalid JSON, wrong warehouse for a command)."""
