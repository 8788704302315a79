"""The stable reference every framework item carries (``HOU-03``), unique across the framework."""

from django.core.validators import RegexValidator

REF_MAX_LENGTH = 40
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
REF_HELP = "Letters, numbers, hyphens, full stops or underscores, for example HOU-03."

validate_ref = RegexValidator(
    REF_PATTERN,
    message="Use only letters, numbers, hyphens, full stops or underscores, for example HOU-03.",
)
