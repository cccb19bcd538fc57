"""Errors a user can fix themselves; the CLI reports them in one line and exits 2."""


class UsageError(Exception):
    """Bad input (unknown pitcher, bad date, invalid JSON, wrong warehouse for a command)."""
