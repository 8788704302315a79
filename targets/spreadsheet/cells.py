"""Cells: parsing the text of one cell into a value, and writing a value back as canonical text.

The importer and the exporter both use these, so "what the file says" and "what the framework
holds" are compared in the same words.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

# Neutralising formulas is the table writer's (config.tables); the importer reads it from here.
from config.tables import NUMBER_RE, looks_like_formula, unneutralise  # noqa: F401
from strands.refs import REF_MAX_LENGTH, REF_PATTERN
from targets.spreadsheet.errors import Invalid, shown

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_LONG_TEXT = 20_000
MAX_DIGITS_BEFORE_POINT = 14
MAX_DECIMAL_PLACES = 4


def quoted(value: str, limit: int = 60) -> str:
    """Text from the file in quotation marks, shortened, with invisible characters escaped."""
    return f'"{shown(value, limit)}"'


def quoted_list(values: list[str], shown_at_most: int = 3) -> str:
    """ "a", "b", "c" and 12 more"""
    listed = ", ".join(quoted(v, 30) for v in values[:shown_at_most])
    if len(values) > shown_at_most:
        return f"{listed} and {len(values) - shown_at_most:,} more"
    return listed


def is_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text))


# --- parsers: text in, value out, Invalid with a plain message otherwise ----------------------


def parse_ref(text: str) -> str:
    if len(text) > REF_MAX_LENGTH or not re.match(REF_PATTERN, text):
        raise Invalid(
            f"{quoted(text)} is not a valid reference (use letters, numbers, hyphens, full stops "
            f"or underscores, up to {REF_MAX_LENGTH} characters, for example HOU-03)."
        )
    return text


def text_up_to(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise Invalid(f"is {len(text):,} characters long; the most is {limit:,}.")
        return text

    return parse


parse_long_text = text_up_to(MAX_LONG_TEXT)

_email_validator = EmailValidator()


def parse_email(text: str) -> str:
    email = text.strip().lower()
    try:
        _email_validator(email)
    except ValidationError:
        raise Invalid(f"{quoted(text)} is not an email address.") from None
    if len(email) > 150:
        raise Invalid("the email address is longer than 150 characters.")
    return email


def date_parser(
    hint: str = "use YYYY-MM-DD, for example 2021-08-31",
) -> Callable[[str], datetime.date]:
    def parse(text: str) -> datetime.date:
        if DATE_RE.match(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise Invalid(f"{quoted(text)} is not a real date ({hint}).") from None
        raise Invalid(f"{quoted(text)} is not a date ({hint}).")

    return parse


parse_date = date_parser()


def parse_decimal(text: str) -> Decimal:
    cleaned = text.strip()
    if not is_number(cleaned):
        if re.match(r"^[+-]?[\d,]+(\.\d+)?$", cleaned):
            raise Invalid(
                f"{quoted(text)} is not a number: write it without commas, for example 1000."
            )
        if re.match(r"^[+-]?\d+(\.\d+)?\s*%$", cleaned):
            raise Invalid(
                f"{quoted(text)} is not a number: write it without the % sign, for example 50."
            )
        raise Invalid(
            f"{quoted(text)} is not a number (write a plain decimal, for example 25 or 12.5)."
        )
    value = Decimal(cleaned)
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # NaN or infinity, which is_number already turned away
        raise Invalid(f"{quoted(text)} is not a number.")
    places = -exponent if exponent < 0 else 0
    whole = len(digits) - places
    if whole > MAX_DIGITS_BEFORE_POINT:
        raise Invalid(f"{quoted(text)} is too large a number.")
    if places > MAX_DECIMAL_PLACES:
        raise Invalid(f"{quoted(text)} has more than {MAX_DECIMAL_PLACES} decimal places.")
    return value


def parse_percent(text: str) -> Decimal:
    value = parse_decimal(text)
    if not 0 <= value <= 100:
        raise Invalid(f"{quoted(text)} is not a percentage from 0 to 100.")
    return value


def parse_progress(text: str) -> int:
    if not re.match(r"^\d+$", text.strip()):
        if is_number(text) or text.strip().endswith("%"):
            raise Invalid(f"{quoted(text)} must be a whole number from 0 to 100, without a % sign.")
        raise Invalid(f"{quoted(text)} is not a whole number from 0 to 100.")
    digits = text.strip().lstrip("0")
    # Checked before int(), which refuses numbers of more than 4,300 digits with a ValueError.
    if len(digits) > 3 or int(digits or "0") > 100:
        raise Invalid(f"{quoted(text)} is more than 100; % complete runs from 0 to 100.")
    return int(digits or "0")


def parse_yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer in ("yes", "no"):
        return answer == "yes"
    raise Invalid(f'{quoted(text)} must be "yes" or "no".')


def choice_parser(codes: list[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        code = text.strip()
        if code in codes:
            return code
        raise Invalid(f"{quoted(text)} is not one of: {', '.join(codes)}.")

    return parse


def list_of(item_parser: Callable[[str], str], what: str) -> Callable[[str], list[str]]:
    """A ``;``-separated list; blanks between separators are ignored, repeats removed."""

    def parse(text: str) -> list[str]:
        items: dict[
            str, None
        ] = {}  # a dict keeps the order and finds repeats at once in a long list
        bad = []
        for part in text.split(";"):
            part = part.strip()
            if not part:
                continue
            try:
                items.setdefault(item_parser(part))
            except Invalid:
                bad.append(part)
        if bad:
            raise Invalid(f"{quoted_list(bad)} {'is' if len(bad) == 1 else 'are'} not {what}.")
        return list(items)

    return parse


# --- writers: value in, canonical text out ---------------------------------------------------


def write_date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def write_decimal(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def write_yes_no(value: bool) -> str:
    return "yes" if value else "no"


def write_list(values: Iterable[str]) -> str:
    return ";".join(values)
