"""The words the stocktake explains at its end: statuses, characteristics and terms."""

from actions.models import Status
from targets.models import Target

STATUS_MEANINGS = {
    Status.NOT_STARTED: "Work on the action has not begun yet.",
    Status.ON_TRACK: "Work is going as planned and is expected to finish on time.",
    Status.AT_RISK: "Work is under way but may finish late or fall short without more help.",
    Status.OFF_TRACK: "Work has fallen behind or stopped; the owner has said why and what "
    "happens next.",
    Status.COMPLETE: "The action has been delivered.",
    Status.CLOSED: "The action has ended without being completed, for example because another "
    "action replaced it; the reason is given.",
}

TARGET_STATUS_MEANINGS = {
    Target.Status.NOT_STARTED: "Work towards the target has not begun yet.",
    Target.Status.IN_PROGRESS: "Work towards the target is under way.",
    Target.Status.MET: "The target has been met, on the date given.",
    Target.Status.NOT_MET: "The target was not met by its deadline.",
}

# The Equality Act 2010's protected characteristics, and socio-economic disadvantage.
CHARACTERISTIC_MEANINGS = {
    "age": "A person's age or age group.",
    "disability": "A physical or mental impairment with a substantial, long-term effect on a "
    "person's ability to carry out normal day-to-day activities.",
    "gender_reassignment": "Someone proposing to undergo, undergoing or having undergone a "
    "process to change their sex.",
    "marriage_civil_partnership": "Being married or in a civil partnership.",
    "pregnancy_maternity": "Being pregnant or on maternity leave, or having given birth in the "
    "last 26 weeks.",
    "race": "A person's colour, nationality, and ethnic or national origins.",
    "religion_belief": "Any religion, any religious or philosophical belief, or none.",
    "sex": "Being a man or a woman.",
    "sexual_orientation": "Whether a person is attracted to people of their own sex, the "
    "opposite sex, or either sex.",
    "socio_economic": "Disadvantage that comes from low income, little wealth, or where a person "
    "lives or grew up.",
}


def characteristic_meaning(code: str) -> str:
    return CHARACTERISTIC_MEANINGS.get(code, "")


def terms(threshold: int) -> list[tuple[str, str]]:
    """Other words the stocktake uses, with the small-number threshold in force."""
    return [
        (
            term.replace("{threshold}", str(threshold)),
            meaning.replace("{threshold}", str(threshold)),
        )
        for term, meaning in _TERMS
    ]


_TERMS = [
    (
        "As at",
        "The stocktake shows the framework as it was recorded in the tracker at the end of the "
        "day given. Anything recorded later is not included.",
    ),
    ("% complete", "How much of the action its owner reports as done."),
    (
        "Target",
        "A dated commitment of an action: a milestone to reach, or a number to achieve.",
    ),
    (
        "Outcome",
        "What a service area hopes to achieve. Some outcomes are measured by an indicator, "
        "with values for each period.",
    ),
    (
        "Moving the right way",
        "The latest value of an outcome's indicator is better than the one before it (or than "
        "the baseline), in the direction that is good for that indicator.",
    ),
    (
        "Equity share",
        "The share of a total that a group should make up, as the framework sets it, for "
        "example half of the people helped into work.",
    ),
    (
        "Population benchmark",
        "A group's share of the borough's population, against which its share of a service's "
        "users is compared.",
    ),
    (
        "Fewer than {threshold}",
        "A number for a group that is too small to publish without risk of identifying people. "
        "Where one is hidden, another group may be marked “not shown” so that the hidden number "
        "cannot be worked out from the total.",
    ),
    (
        "Carried forward",
        "An action that was still open at the previous stocktake continues into this year with "
        "the same reference. Actions complete or closed by then stay in that stocktake.",
    ),
]
