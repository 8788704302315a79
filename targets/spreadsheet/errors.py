import unicodedata
from dataclasses import dataclass

# Characters that show nothing, or turn the text around them, in a message: shown as escapes.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def shown(text: str, limit: int = 60) -> str:
    """Text from the file as a message shows it: at most ``limit`` characters (then "…"), on one
    line, with control, invisible and bidirectional characters written as escapes (``\\u202e``)."""
    pieces = [_visible(char) for char in text[: limit + 1]]
    if len(text) <= limit and sum(len(piece) for piece in pieces) <= limit:
        return "".join(pieces)
    kept, length = [], 0
    for piece in pieces:
        if length + len(piece) > limit - 1:
            break
        kept.append(piece)
        length += len(piece)
    return "".join(kept) + "…"


def _visible(char: str) -> str:
    if char == "\n":
        return " "
    if unicodedata.category(char) in _HIDDEN_CATEGORIES:
        return ascii(char)[1:-1]
    return char


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
