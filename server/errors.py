"""carekg's errors: one base class, each saying what went wrong and where."""


class CarekgError(Exception):
    """Base class of every error carekg reports to a person."""


class RdfSyntaxError(CarekgError):
    """An RDF document that does not parse, with the place of the first error."""

    def __init__(self, name: str, message: str, line: int | None = None, column: int | None = None):
        self.name = name
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self.location() + ": " + message)

    def location(self) -> str:
        if self.line is None:
            return self.name
        if self.column is None:
            return f"{self.name}:{self.line}"
        return f"{self.name}:{self.line}:{self.column}"


class UnreadableInputError(CarekgError):
    """A file that cannot be read, or whose RDF format cannot be told from its name."""
