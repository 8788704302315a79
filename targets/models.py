from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from actions.models import Action
from config.roles import sees_everything
from strands.models import ServiceArea
from strands.refs import REF_HELP, REF_MAX_LENGTH, validate_ref

NUMBER: dict[str, Any] = {"max_digits": 18, "decimal_places": 4}
PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Target(models.Model):
    """A dated commitment of an action ("key targets"): a milestone or a number to reach."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", "Milestone"
        NUMERIC = "numeric", "Numeric"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"

    ref = models.CharField(
        max_length=REF_MAX_LENGTH, unique=True, validators=[validate_ref], help_text=REF_HELP
    )
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="targets")
    description = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    due_text = models.CharField(
        "Deadline as written", max_length=255, blank=True, help_text='For example "by summer 2021".'
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MILESTONE)
    baseline = models.DecimalField(**NUMBER, null=True, blank=True)
    target_value = models.DecimalField("Target", **NUMBER, null=True, blank=True)
    unit = models.CharField(max_length=100, blank=True, help_text='Free text: "staff", "%".')
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    met_on = models.DateField("Date met", null=True, blank=True)
    current_value = models.DecimalField(
        "Latest value",
        **NUMBER,
        null=True,
        blank=True,
        help_text="A numeric target's value so far.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order in the framework.")
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up at every save, so a stale form can be refused.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["action__service_area__position", "action__position", "position", "ref"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["milestone", "numeric"]), name="target_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "met", "not_met"]),
                name="target_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="milestone") | Q(target_value__isnull=False),
                name="target_numeric_needs_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.description[:60]}"

    def save(self, *args, **kwargs):
        if self.pk:
            self.version += 1
        super().save(*args, **kwargs)

    @property
    def is_numeric(self) -> bool:
        return self.kind == self.Kind.NUMERIC


# The colour of each target status's GOV.UK tag: the target_status_tag template tag reads it
# (targets/templatetags/target_statuses.py); the words are Target.Status's labels.
TARGET_STATUS_TAGS = {
    Target.Status.NOT_STARTED: "grey",
    Target.Status.IN_PROGRESS: "blue",
    Target.Status.MET: "green",
    Target.Status.NOT_MET: "red",
}


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a person may see: everything for the programme team and the Board; otherwise the
        outcomes of the areas they direct and those served by an action they may see (through
        its targets), so whoever may record an outcome's value may also open its page."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        served = Target.outcomes.through.objects.filter(
            target__action__in=Action.objects.visible_to(user).values("pk")
        )
        return self.filter(Q(service_area__director=user) | Q(pk__in=served.values("outcome_id")))


class Outcome(models.Model):
    """What a service area hopes to achieve, optionally measured by an indicator with an equity share."""

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENT = "percent", "Percentage"

    class Direction(models.TextChoices):
        INCREASE = "increase", "An increase is good"
        DECREASE = "decrease", "A decrease is good"

    class ShareComparison(models.TextChoices):
        """How the group's share is read against its equity share or benchmark (targets.shares)."""

        AT_LEAST = "at_least", "At least the share"
        AT_MOST = "at_most", "At most the share"
        CLOSE_TO = "close_to", "Close to the share"

    ref = models.CharField(
        max_length=REF_MAX_LENGTH, unique=True, validators=[validate_ref], help_text=REF_HELP
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="outcomes")
    description = models.TextField()
    indicator = models.CharField(
        max_length=255, blank=True, help_text="Blank for a qualitative outcome."
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, blank=True)
    direction = models.CharField(max_length=20, choices=Direction.choices, blank=True)
    baseline = models.DecimalField(**NUMBER, null=True, blank=True)
    target_value = models.DecimalField("Target", **NUMBER, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    dimension = models.CharField(max_length=100, blank=True, help_text='For example "ethnicity".')
    group = models.CharField(
        max_length=255, blank=True, help_text="The group the equity share is for."
    )
    group_share = models.DecimalField(
        "Equity share (%)",
        **NUMBER,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="The percentage the group should make up.",
    )
    benchmark_share = models.DecimalField(
        "Population benchmark (%)",
        **NUMBER,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="The group's percentage of the population.",
    )
    share_comparison = models.CharField(
        "The group's share should be",
        max_length=20,
        choices=ShareComparison.choices,
        default=ShareComparison.AT_LEAST,
        help_text="At most for a measure where over-representation is the problem, "
        "such as exclusions from school.",
    )
    share_tolerance = models.DecimalField(
        "Tolerance (percentage points)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="For close to: how far from the share the group's share may be.",
    )
    targets = models.ManyToManyField(Target, blank=True, related_name="outcomes")
    position = models.PositiveIntegerField(default=0, help_text="Order in the framework.")

    history = HistoricalRecords(m2m_fields=[targets])
    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["service_area__strand__position", "service_area__position", "position", "ref"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=["", "count", "percent"]), name="outcome_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["", "increase", "decrease"]),
                name="outcome_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(group_share__isnull=True)
                | (Q(group_share__gte=0) & Q(group_share__lte=100)),
                name="outcome_group_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(benchmark_share__isnull=True)
                | (Q(benchmark_share__gte=0) & Q(benchmark_share__lte=100)),
                name="outcome_benchmark_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(share_comparison__in=["at_least", "at_most", "close_to"]),
                name="outcome_share_comparison_valid",
            ),
            models.CheckConstraint(
                condition=Q(share_tolerance__isnull=True)
                | (Q(share_tolerance__gte=0) & Q(share_tolerance__lte=100)),
                name="outcome_share_tolerance_percent",
            ),
            models.CheckConstraint(
                condition=~Q(indicator="")
                | (Q(unit="", direction="") & Q(baseline__isnull=True, target_value__isnull=True)),
                name="outcome_qualitative_has_no_measure",
            ),
            models.CheckConstraint(
                condition=(Q(group_share__isnull=True) & Q(benchmark_share__isnull=True))
                | ~Q(group=""),
                name="outcome_share_needs_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.description[:60]}"

    @property
    def has_indicator(self) -> bool:
        return bool(self.indicator)


class Dimension(models.Model):
    """What a breakdown is by: "Ethnicity", "Sex", "Disability", "Age"."""

    name = models.CharField(max_length=100, unique=True)
    synonyms = models.CharField(
        max_length=255,
        blank=True,
        help_text='Other names the dimension goes by in spreadsheets, separated by ";", '
        'for example "race; ethnic group".',
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="dimension_name_unique_any_case")
        ]

    def __str__(self) -> str:
        return self.name


class CategoryList(models.Model):
    """One classification of a dimension: "2021 Census, 19 categories", "5 high-level groups".

    A custom list holds the groups found in imported data (or added by hand) that no standard
    list of the dimension names."""

    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="lists")
    name = models.CharField(max_length=100)
    is_custom = models.BooleanField(
        default=False, help_text="Groups found in imported data that no standard list names."
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension__position", "dimension__name", "is_custom", "position", "name"]
        verbose_name = "category list"
        constraints = [
            models.UniqueConstraint(
                F("dimension"), Lower("name"), name="category_list_name_unique_any_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension.name}: {self.name}"


class Category(models.Model):
    """A group of a category list. "Not known" and "Prefer not to say" are recorded and shown but
    are not groups: they take no share and are not compared with an equity share."""

    class Kind(models.TextChoices):
        GROUP = "group", "A group"
        NOT_KNOWN = "not_known", "Not known"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    category_list = models.ForeignKey(
        CategoryList, on_delete=models.PROTECT, related_name="categories"
    )
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GROUP)
    synonyms = models.CharField(
        max_length=500,
        blank=True,
        help_text='Other names for the category in spreadsheets, separated by ";".',
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category_list", "position", "id"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                F("category_list"), Lower("name"), name="category_name_unique_any_case"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["group", "not_known", "prefer_not_to_say"]),
                name="category_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP


class Measurement(models.Model):
    """A value of an outcome's indicator, or of a numeric target, for a period.

    A row with a blank group is the total; rows with a group are its breakdown by a dimension
    (several dimensions may break down one period's total). A row that also has a second
    dimension belongs to a cross-table of the two: with ``group_2`` it is a cell (``group`` ×
    ``group_2``); with ``group_2`` blank it is a margin, the row of ``group`` in the cross-table
    (each dimension's margins are stored with it as ``dimension``).

    ``dimension`` and ``group`` are the words as recorded (kept for history and old workbooks);
    ``category`` is the named category they were matched to, where there is one.
    """

    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, null=True, blank=True, related_name="measurements"
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, null=True, blank=True, related_name="measurements"
    )
    period_end = models.DateField()
    value = models.DecimalField(**NUMBER)
    dimension = models.CharField(max_length=100, blank=True)
    group = models.CharField(max_length=255, blank=True, help_text="Blank for the total.")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dimension_2 = models.CharField(
        "Crossed with",
        max_length=100,
        blank=True,
        help_text="The second dimension of a cross-table.",
    )
    group_2 = models.CharField(
        max_length=255, blank=True, help_text="The cell's group of the second dimension."
    )
    category_2 = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements_recorded",
    )
    is_demo = models.BooleanField(default=False, help_text="Illustrative demo data, not real.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["period_end", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome__isnull=False) & Q(target__isnull=True))
                | (Q(outcome__isnull=True) & Q(target__isnull=False)),
                name="measurement_of_one_indicator",
            ),
            # Groups differing only in case are the same group.
            models.UniqueConstraint(
                F("outcome"),
                F("period_end"),
                Lower("dimension"),
                Lower("group"),
                Lower("dimension_2"),
                Lower("group_2"),
                condition=Q(outcome__isnull=False),
                name="measurement_unique_per_outcome_period_group",
            ),
            models.UniqueConstraint(
                F("target"),
                F("period_end"),
                Lower("dimension"),
                Lower("group"),
                Lower("dimension_2"),
                Lower("group_2"),
                condition=Q(target__isnull=False),
                name="measurement_unique_per_target_period_group",
            ),
            models.CheckConstraint(
                condition=Q(group_2="") | ~Q(dimension_2=""), name="measurement_cell_has_dimension"
            ),
        ]

    def __str__(self) -> str:
        of = self.outcome or self.target
        group = f"{self.group} × {self.group_2}" if self.group_2 else self.group
        return f"{of.ref if of else '?'} {self.period_end} {group or 'total'}"

    @property
    def is_total(self) -> bool:
        return not self.group

    @property
    def is_crossed(self) -> bool:
        """Part of a cross-table (a cell or a margin), not a breakdown by one dimension."""
        return bool(self.dimension_2)

    @property
    def indicator_ref(self) -> str:
        indicator = self.outcome if self.outcome_id else self.target
        if indicator is None:  # the measurement_of_one_indicator constraint rules this out
            raise ValueError(f"Measurement {self.pk} is of neither an outcome nor a target.")
        return indicator.ref
