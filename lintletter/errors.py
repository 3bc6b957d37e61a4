"""One error tree for everything lintletter can refuse. Only the CLI turns these into exit codes.

Every error carries a short stable code (``LLE…``) so users can search for it, and renders as one line.
"""

from __future__ import annotations

from dataclasses import dataclass


class LintletterError(Exception):
    """Base of all expected failures; ``str(err)`` is the one-line message shown to users."""

    code = "LLE000"


@dataclass
class Problem:
    """One problem in a rule or config file, located as precisely as we can."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


def _summary(what: str, problems: list[Problem]) -> str:
    """The one line a list of problems is shown as: the first, and how many more (the CLI then lists
    the others, one a line)."""
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return f"{what}: {problems[0]}{more}"


class RuleError(LintletterError):
    """Rule files that do not validate. Holds every problem found, not just the first."""

    code = "LLE100"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(_summary("invalid rule file", self.problems) if self.problems else "invalid rule file: invalid rules")


class ConfigError(LintletterError):
    """Bad command-line choices or configuration (unknown codes, bad values). From a config file,
    it holds every problem found (file, line, setting), like :class:`RuleError`."""

    code = "LLE200"

    def __init__(self, message: str) -> None:
        self.problems: list[Problem] = []
        super().__init__(message)

    @classmethod
    def listing(cls, problems: list[Problem]) -> "ConfigError":
        error = cls(_summary("invalid config", problems))
        error.problems = list(problems)
        return error


class InputError(LintletterError):
    """A letter that could not be read."""

    code = "LLE300"

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class PipelineError(LintletterError):
    """The bundled spaCy pipeline is missing or broken."""

    code = "LLE400"


class OutputError(LintletterError):
    """The report could not be written where --output asked."""

    code = "LLE500"
