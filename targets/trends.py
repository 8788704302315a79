"""Direction of travel: is an indicator moving the way that is good for it?

The one rule, used by the dashboard and the stocktake alike: the latest value is compared with
the one before it, or, when there is only one value, with the outcome's baseline; the change is
read against the outcome's direction (an increase is good, or a decrease is).
"""

from dataclasses import dataclass
from decimal import Decimal

from targets.models import Outcome

PREVIOUS = "previous"
BASELINE = "baseline"


@dataclass(frozen=True)
class Travel:
    code: str  # improving, worsening, same, up, down (no good direction set) or unknown
    label: str  # for a table: "Improving"
    sentence: str  # for a report: "Moving the right way"
    compared_with: str = ""  # PREVIOUS or BASELINE; "" when unknown
    judged: bool = False  # read against a good direction

    @property
    def is_known(self) -> bool:
        return self.code != "unknown"

    @property
    def is_right_way(self) -> bool:
        return self.code == "improving"


NO_VALUE = Travel("unknown", "No value yet", "No value yet")
NO_EARLIER = Travel("unknown", "No earlier value", "Not enough values yet to say")


def direction_of_travel(
    *,
    direction: str,
    latest: Decimal | None,
    previous: Decimal | None,
    baseline: Decimal | None,
) -> Travel:
    """The latest value against the previous one (or the baseline), read against ``direction``
    (an Outcome.Direction value, or "" when none is set)."""
    if latest is None:
        return NO_VALUE
    before, compared_with = (previous, PREVIOUS) if previous is not None else (baseline, BASELINE)
    if before is None:
        return NO_EARLIER
    judged = direction in Outcome.Direction.values
    if latest == before:
        return Travel("same", "No change", "No change", compared_with, judged)
    went_up = latest > before
    if not judged:
        if went_up:
            return Travel("up", "Up", "Higher than before", compared_with)
        return Travel("down", "Down", "Lower than before", compared_with)
    if went_up == (direction == Outcome.Direction.INCREASE):
        return Travel("improving", "Improving", "Moving the right way", compared_with, judged)
    return Travel("worsening", "Worsening", "Moving the wrong way", compared_with, judged)
