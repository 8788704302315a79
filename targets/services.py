"""Changes to targets and measurements that check a rule and record history with a reason."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.services import StaleEdit, changes_since
from config.history import attribute
from config.roles import is_programme_team
from targets.categories import Catalogue, find_or_add
from targets.models import Category, CategoryList, Measurement, Outcome, Target


@transaction.atomic
def update_target(
    *,
    target: Target,
    user,
    status: str,
    met_on: datetime.date | None,
    current_value: Decimal | None,
    seen_version: int,
) -> Target:
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.version != seen_version:
        raise StaleEdit(changes_since(target, seen_version, what=target.ref))
    errors = {}
    if status == Target.Status.MET and target.kind == Target.Kind.MILESTONE and met_on is None:
        errors["met_on"] = "Enter the date the milestone was met"
    if met_on and met_on > timezone.localdate():
        errors["met_on"] = "The date met must be today or in the past"
    if target.is_numeric and current_value is not None and current_value < 0:
        errors["current_value"] = "The latest value must be 0 or more"
    if errors:
        raise ValidationError(errors)
    target.status = status
    target.met_on = met_on if status == Target.Status.MET else None
    if target.is_numeric:
        target.current_value = current_value
    attribute(target, user=user, reason="Target progress")
    target.save()
    return target


@dataclass
class Breakdown:
    """Values for the categories of one list, by category id; crossed with a second list, also
    the cells (row category id, column category id) and the second list's margins. Only the
    values given are here: a blank is not given, not nought."""

    category_list: CategoryList
    values: dict[int, Decimal] = field(default_factory=dict)
    crossed_with: CategoryList | None = None
    cells: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    values_2: dict[int, Decimal] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)  # words as recorded, where they differ
    dimension_words: str = ""  # the dimension as recorded, where it differs
    categories: dict[int, Category] = field(default_factory=dict)  # the list's, by id

    def __post_init__(self):
        if not self.categories:
            self.categories = {c.pk: c for c in self.category_list.categories.all()}

    @property
    def dimension(self) -> str:
        return self.dimension_words or self.category_list.dimension.name

    @property
    def dimension_2(self) -> str:
        return self.crossed_with.dimension.name if self.crossed_with else ""

    @property
    def words(self) -> str:
        if self.crossed_with:
            return f"{self.dimension.lower()} and {self.dimension_2.lower()}"
        return self.dimension.lower()


@dataclass(frozen=True)
class _Row:
    value: Decimal
    dimension: str = ""
    group: str = ""
    category: Category | None = None
    dimension_2: str = ""
    group_2: str = ""
    category_2: Category | None = None


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def add_measurement(
    *,
    indicator: Outcome | Target,
    user,
    period_end: datetime.date,
    total: Decimal,
    dimension: str = "",
    breakdown: Sequence[tuple[str, Decimal]] = (),
    breakdowns: Sequence[Breakdown] = (),
    source: str = "",
    note: str = "",
    is_demo: bool = False,
) -> list[Measurement]:
    """A value for a period, with its breakdowns: by the categories of a list (``breakdowns``),
    or by groups named in words (``dimension`` and ``breakdown``, matched to categories, added to
    the dimension's custom list when no list names them). All rows or none.

    A period whose total is already recorded takes a breakdown by another dimension (ethnicity
    and sex for one quarter) when the same total is given."""
    key: dict[str, Outcome | Target] = (
        {"outcome": indicator} if isinstance(indicator, Outcome) else {"target": indicator}
    )
    if breakdown:
        breakdowns = [*breakdowns, _from_words(dimension, breakdown, user)]
    existing = list(
        Measurement.objects.filter(**key, period_end=period_end).select_related("recorded_by")
    )
    when = f"{period_end:%-d %B %Y}"
    total_row = next((m for m in existing if m.is_total), None)
    rows = [] if total_row else [_Row(total)]
    if total_row is not None:
        who = total_row.recorded_by.display_name if total_row.recorded_by else "someone"
        if not breakdowns:
            raise ValidationError(
                {
                    "period_end": f"A value for the period ending {when} has already been "
                    f"recorded (by {who}). Choose another period."
                }
            )
        if total_row.value != total:
            raise ValidationError(
                {
                    "value": f"The total for the period ending {when} is already "
                    f"{_number(total_row.value)} (recorded by {who}). Enter the same total to add "
                    "another breakdown, or correct the total on the outcome page"
                }
            )
    recorded = {(m.dimension.casefold(), m.dimension_2.casefold()) for m in existing if m.group}
    errors: dict[str, list[str]] = {}
    for chosen in breakdowns:
        pair = (chosen.dimension.casefold(), chosen.dimension_2.casefold())
        if pair in recorded or pair[::-1] in recorded:
            errors.setdefault("breakdown", []).append(
                f"A breakdown by {chosen.words} for the period ending {when} has already been "
                "recorded. Choose another breakdown or another period"
            )
        recorded.add(pair)
        new_rows, problems = _breakdown_rows(chosen, total)
        rows += new_rows
        for field_name, text in problems:
            errors.setdefault(field_name, []).append(text)
    if errors:
        raise ValidationError(errors)
    saved = []
    try:
        with transaction.atomic():
            for position, row in enumerate(rows, start=len(existing) + 1):
                measurement = Measurement(
                    **key,
                    period_end=period_end,
                    value=row.value,
                    dimension=row.dimension,
                    group=row.group,
                    category=row.category,
                    dimension_2=row.dimension_2,
                    group_2=row.group_2,
                    category_2=row.category_2,
                    source=source,
                    note=note if not row.group else "",
                    recorded_by=user,
                    is_demo=is_demo,
                    position=position,
                )
                attribute(measurement, user=user, reason="Measurement recorded")
                measurement.save()
                saved.append(measurement)
    except IntegrityError:
        raise ValidationError(
            {
                "period_end": "Someone recorded a value for this period at the same time. Reload the page."
            }
        ) from None
    return saved


def _from_words(dimension: str, breakdown, user) -> Breakdown:
    """Groups named in words (an old caller, the demo data) as a breakdown by their categories,
    keeping the words as recorded."""
    catalogue = Catalogue.load()
    chosen = None
    words: dict[int, str] = {}
    values: dict[int, Decimal] = {}
    for name, value in breakdown:
        category = find_or_add(catalogue, dimension, name, user=user, reason="Group recorded")
        if category.pk in values:
            raise ValidationError(
                {"breakdown": f"{words[category.pk]} and {name} are the same group"}
            )
        words[category.pk] = name
        values[category.pk] = value
        chosen = chosen or catalogue.list_by_id(category.category_list_id)
    assert chosen is not None
    found = {c.pk: c for cl in catalogue.lists() for c in cl.categories.all() if c.pk in values}
    return Breakdown(
        category_list=chosen,
        values=values,
        labels=words,
        categories=found,
        dimension_words=" ".join(dimension.split()),
    )


def _breakdown_rows(chosen: Breakdown, total: Decimal):
    """The rows of a breakdown, and what is wrong with it: (field name, message) pairs."""
    problems = []
    members = chosen.categories
    rows = [
        _Row(value, chosen.dimension, chosen.labels.get(pk, members[pk].name), members[pk])
        for pk, value in chosen.values.items()
    ]
    added = sum(chosen.values.values(), Decimal(0))
    if added > total:
        problems.append(
            (
                "value",
                f"The groups add up to {_number(added)}, more than the total of {_number(total)}",
            )
        )
    if chosen.crossed_with is None:
        return rows, problems
    # A cross-table: its margins are its rows' and columns' values, each stored with its own
    # dimension, and crossed with the other.
    columns = {c.pk: c for c in chosen.crossed_with.categories.all()}
    rows = [_Row(r.value, r.dimension, r.group, r.category, chosen.dimension_2) for r in rows] + [
        _Row(value, chosen.dimension_2, columns[pk].name, columns[pk], chosen.dimension)
        for pk, value in chosen.values_2.items()
    ]
    added_2 = sum(chosen.values_2.values(), Decimal(0))
    if added_2 > total:
        problems.append(
            (
                "value",
                f"The {chosen.dimension_2.lower()} totals add up to {_number(added_2)}, more than "
                f"the total of {_number(total)}",
            )
        )
    for (row_pk, column_pk), value in chosen.cells.items():
        rows.append(
            _Row(
                value,
                chosen.dimension,
                members[row_pk].name,
                members[row_pk],
                chosen.dimension_2,
                columns[column_pk].name,
                columns[column_pk],
            )
        )
    for pk, margin in chosen.values.items():
        cells = sum((v for (r, _), v in chosen.cells.items() if r == pk), Decimal(0))
        if cells > margin:
            problems.append(
                (
                    "breakdown",
                    f"The cells for {members[pk].name} add up to {_number(cells)}, more than its "
                    f"total of {_number(margin)}",
                )
            )
    for pk, margin in chosen.values_2.items():
        cells = sum((v for (_, c), v in chosen.cells.items() if c == pk), Decimal(0))
        if cells > margin:
            problems.append(
                (
                    "breakdown",
                    f"The cells for {columns[pk].name} add up to {_number(cells)}, more than its "
                    f"total of {_number(margin)}",
                )
            )
    return rows, problems


CORRECTION = "Correction: "
REASON_MAX = 100 - len(CORRECTION)  # history keeps a change reason of up to 100 characters


def may_correct(user, measurement: Measurement) -> bool:
    """The person who recorded a value, or the programme team, may correct it."""
    return measurement.pk in correctable(user, [measurement])


def correctable(user, measurements) -> set[int]:
    """Of these values, the ones the person may correct (may_correct), asking about roles once."""
    if not user.is_authenticated:
        return set()
    if is_programme_team(user):
        return {m.pk for m in measurements}
    return {m.pk for m in measurements if m.recorded_by_id == user.pk}


@transaction.atomic
def correct_measurement(*, measurement: Measurement, user, value: Decimal, reason: str):
    """A recorded value put right. History keeps the value as it was, and who changed it and why,
    so a stocktake as at an earlier moment still shows what was recorded then."""
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if not may_correct(user, measurement):
        raise PermissionDenied(
            "Only the person who recorded a value, or the programme team, may correct it."
        )
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = "Enter why the value is being corrected"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"The reason must be {REASON_MAX} characters or fewer"
    if value < 0:
        errors["value"] = "The value must be 0 or more"
    elif value == measurement.value:
        errors["value"] = (
            f"The value is already {measurement.value.normalize():f}. Enter the corrected value"
        )
    else:
        errors.update(_breakdown_errors(measurement, value))
    if errors:
        raise ValidationError(errors)
    measurement.value = value
    attribute(measurement, user=user, reason=f"{CORRECTION}{reason}")
    measurement.save()
    return measurement


def _breakdown_errors(measurement: Measurement, value: Decimal) -> dict[str, str]:
    """A breakdown may not add up to more than what it breaks down, after the correction either:
    a dimension's groups (or a cross-table's margins) its period's total, a cross-table's cells
    their row's total."""
    period = list(
        Measurement.objects.filter(
            outcome=measurement.outcome_id,  # by id, which may be None (IS NULL)
            target=measurement.target_id,
            period_end=measurement.period_end,
        )
    )
    value_of = {m.pk: (value if m.pk == measurement.pk else m.value) for m in period}

    def family(m):  # the rows that add up to one whole, and that whole
        if m.group_2:
            return ("cells", m.dimension.casefold(), m.dimension_2.casefold(), m.group.casefold())
        return ("groups", m.dimension.casefold(), m.dimension_2.casefold())

    sums: dict[tuple[str, ...], Decimal] = {}
    for m in period:
        if m.group:
            sums[family(m)] = sums.get(family(m), Decimal(0)) + value_of[m.pk]
    wholes: dict[tuple[str, ...], Decimal | None] = {
        ("total",): next((value_of[m.pk] for m in period if m.is_total), None)
    }
    for m in period:
        if m.group and not m.group_2 and m.dimension_2:
            wholes[
                ("cells", m.dimension.casefold(), m.dimension_2.casefold(), m.group.casefold())
            ] = value_of[m.pk]
    for key, added in sums.items():
        whole = wholes.get(("total",)) if key[0] == "groups" else wholes.get(key)
        if whole is not None and added > whole:
            if measurement.is_total:
                return {
                    "value": f"The groups add up to {_number(added)}, so the total must be at "
                    "least that"
                }
            return {
                "value": f"The groups would add up to {_number(added)}, more than the total of "
                f"{_number(whole)}"
            }
    return {}
