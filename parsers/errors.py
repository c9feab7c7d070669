"""The one exception the parser raises."""


class ParseError(Exception):
    """A document could not be parsed. `reason` says why, in words a user can act on."""

    def __init__(self, reason: str, *, kind: str = "unreadable"):
        super().__init__(reason)
        self.reason = reason
        # A short machine-readable class: unreadable, encrypted, needs_ocr, too_large, timeout,
        # unsupported, not_a_report.
        self.kind = kind
