from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a framework file, located by sheet, row and column where it can be."""

    sheet: str = ""
    row: int = 0
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        if self.sheet and self.row and self.column:
            return f"{self.sheet} row {self.row}, column {self.column}: {self.message}"
        if self.sheet and self.row:
            return f"{self.sheet} row {self.row}: {self.message}"
        if self.sheet and self.column:
            return f"{self.sheet}, column {self.column}: {self.message}"
        if self.sheet:
            return f"{self.sheet}: {self.message}"
        return self.message


class FrameworkFileError(Exception):
    """The file cannot be imported; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Invalid(ValueError):
    """Raised by a cell parser with the message a programme officer reads."""
