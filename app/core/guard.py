"""Turn a permission answer into a 403; the 403 handler (core.errors) audits the refusal."""

from werkzeug.exceptions import Forbidden


class Refused(Forbidden):
    """A 403 that names what was refused, for the audit log."""

    def __init__(self, target=None):
        super().__init__()
        self.target = target


def guard(allowed: bool, *, target=None):
    """Raise a 403 unless *allowed*."""
    if not allowed:
        raise Refused(target)
