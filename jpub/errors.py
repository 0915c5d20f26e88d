"""The one root of user-facing errors: each carries diagnostics, never a traceback."""

from __future__ import annotations

from jpub.diagnostics import Diagnostic


class DocumentError(Exception):
    """A problem in the document or its environment that the user can fix."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))

    def __reduce__(self) -> tuple[type[DocumentError], tuple[list[Diagnostic]]]:  # rebuilt from its diagnostics when it comes back from a forked child
        return (type(self), (self.diagnostics,))

    @classmethod
    def at(cls, path: str, line: int, message: str, rule: str, column: int = 0) -> DocumentError:
        return cls([Diagnostic(path, line, column, "error", rule, message)])
