from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config.history import LeanHistoricalRecords
from config.roles import is_lead_officer, is_programme_team, is_service_director, sees_everything
from strands.models import ServiceArea
from strands.refs import REF_HELP, REF_MAX_LENGTH, validate_ref


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class StatusStyle:
    """How a status is shown besides its words (Status.label): the colour of its GOV.UK tag, and
    on a chart the bar's fill and the colour of a number printed on it (GOV.UK palette, each
    number at least 4.5:1 against its fill)."""

    tag: str
    fill: str
    ink: str


_TEXT_COLOUR = "#0b0c0c"
# The one place that says how each status looks: the status_tag template tag
# (actions/templatetags/statuses.py) and the charts (targets.charts) read it.
STATUS_STYLES: dict[str, StatusStyle] = {
    Status.NOT_STARTED: StatusStyle("grey", "#cecece", _TEXT_COLOUR),
    Status.ON_TRACK: StatusStyle("green", "#0f7a52", "#ffffff"),
    Status.AT_RISK: StatusStyle("yellow", "#ffdd00", _TEXT_COLOUR),
    Status.OFF_TRACK: StatusStyle("red", "#ca3535", "#ffffff"),
    Status.COMPLETE: StatusStyle("blue", "#1d70b8", "#ffffff"),
    Status.CLOSED: StatusStyle("grey", "#484949", "#ffffff"),
}


# The one place that says which status may follow which. Checked by actions.services.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NOT_STARTED: frozenset(
        {Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.CLOSED}
    ),
    Status.ON_TRACK: frozenset({Status.AT_RISK, Status.OFF_TRACK, Status.COMPLETE, Status.CLOSED}),
    Status.AT_RISK: frozenset({Status.ON_TRACK, Status.OFF_TRACK, Status.COMPLETE, Status.CLOSED}),
    Status.OFF_TRACK: frozenset({Status.ON_TRACK, Status.AT_RISK, Status.COMPLETE, Status.CLOSED}),
    Status.COMPLETE: frozenset({Status.ON_TRACK, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
LIVE_STATUSES = frozenset({Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK})


class Characteristic(models.Model):
    """The Equality Act's nine protected characteristics, plus socio-economic disadvantage."""

    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class ActionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def visible_to(self, user):
        """What a person may see: everything for the programme team and the Board; otherwise the
        actions of the areas they direct and the actions they own or lead."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self._within_reach_of(user)

    def editable_by(self, user):
        """What a person may update: all for the programme team; their own reach for directors and
        lead officers; nothing for the Board or anyone else."""
        if not user.is_authenticated:
            return self.none()
        if is_programme_team(user):
            return self
        if is_service_director(user) or is_lead_officer(user):
            return self._within_reach_of(user)
        return self.none()

    def _within_reach_of(self, user):
        # Forward foreign keys only: each action matches once, so no DISTINCT (which would compare
        # every column, the long texts included). Action.is_within_reach_of says it of one action.
        return self.filter(Q(service_area__director=user) | Q(owner=user) | Q(lead_officer=user))

    def owned_or_led_by(self, user):
        """ "My actions": those a person owns (or, unowned, directs the area of) or leads."""
        return self.filter(
            Q(owner=user)
            | Q(owner__isnull=True, service_area__director=user)
            | Q(lead_officer=user)
        )

    def with_latest_update(self):
        """Annotate when the latest progress update was made and by whom (two subqueries)."""
        latest = ProgressUpdate.objects.filter(action=models.OuterRef("pk")).order_by(
            "-created_at", "-id"
        )
        return self.annotate(
            last_update_at=models.Subquery(latest.values("created_at")[:1]),
            last_update_author_id=models.Subquery(latest.values("author_id")[:1]),
        )


# An action's fields that no list or dashboard shows, so changing them leaves shown_version.
NOT_SHOWN = frozenset({"progress", "version", "updated_at", "shown_version", "cycle_version"})


def shown_actions() -> tuple[tuple, int | None]:
    """The state of the actions as lists and dashboards show them, and of their first updates in
    each cycle, in one query: what they keep drawn is keyed by it. A progress save that keeps the
    status of an action already updated in the cycle (most saves) leaves both; an action's first
    update in a cycle moves the second (cycle_version); anything else shown of an action, its
    updates or its characteristics moves the first (shown_version); adding or deleting an action
    moves its count or newest id."""
    row = Action.objects.aggregate(
        shown=Sum("shown_version"), cycles=Sum("cycle_version"), count=Count("pk"), newest=Max("pk")
    )
    return (row["shown"], row["count"], row["newest"]), row["cycles"]


def mark_shown_changed(action_ids) -> None:
    """Something shown of these actions changed without a save of the action itself (its first
    update in a cycle, an update deleted, its characteristics)."""
    Action.objects.filter(pk__in=list(action_ids)).update(shown_version=F("shown_version") + 1)


class Action(models.Model):
    """A commitment in a service area, answering the strategy's four questions."""

    ref = models.CharField(
        max_length=REF_MAX_LENGTH, unique=True, validators=[validate_ref], help_text=REF_HELP
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=255)
    issue = models.TextField("What inequality or issue are we tackling?")
    planned_action = models.TextField("What action will we take?")
    intended_outcome = models.TextField("What outcome do we hope to achieve?")
    evidence = models.TextField("How will we know we have made an impact?")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
        help_text="Leave blank for the service area's director.",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_actions",
    )
    characteristics = models.ManyToManyField(Characteristic, blank=True, related_name="actions")
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        "% complete", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    closed_reason = models.TextField(blank=True, help_text="Why the action was closed.")
    is_public = models.BooleanField("Shown publicly", default=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in the framework.")
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up at every save, so a stale form can be refused.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shown_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up when something lists and dashboards show changes (not a progress "
        "save that keeps the status): what they keep drawn is keyed by it.",
    )
    cycle_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up at the action's first update in a reporting cycle (it moves from due "
        "to updated): the dashboard's cycle figures are keyed by it, the rest is kept.",
    )

    history = LeanHistoricalRecords(
        m2m_fields=[characteristics], excluded_fields=["shown_version", "cycle_version"]
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["service_area__strand__position", "service_area__position", "position", "ref"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="action_progress_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="action_due_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def save(self, *args, **kwargs):
        if self.pk:
            self.version += 1
            shown = self.shown_state()
            if shown is None or shown != getattr(self, "_shown", None):
                self.shown_version += 1
        super().save(*args, **kwargs)
        self._shown = self.shown_state()

    @classmethod
    def from_db(cls, db, field_names, values):
        action = super().from_db(db, field_names, values)
        action._shown = action.shown_state()
        return action

    def shown_state(self) -> tuple | None:
        """What lists and dashboards show of the action (None when some of it was not loaded)."""
        if self.get_deferred_fields():
            return None
        return tuple(
            getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.name not in NOT_SHOWN
        )

    def is_editable_by(self, user) -> bool:
        """What ActionQuerySet.editable_by says of this action, without a query (its service area
        loaded): asked on every view of its page and every save."""
        if not user.is_authenticated:
            return False
        if is_programme_team(user):
            return True
        if is_service_director(user) or is_lead_officer(user):
            return self.is_within_reach_of(user)
        return False

    def is_within_reach_of(self, user) -> bool:
        """ActionQuerySet._within_reach_of for this action."""
        return user.pk in (self.service_area.director_id, self.owner_id, self.lead_officer_id)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def responsible_owner(self):
        """The owner, or the service area's director when none is named."""
        return self.owner or self.service_area.director


class ProgressUpdate(models.Model):
    """A dated entry in an action's log."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    cycle = models.ForeignKey(
        "actions.ReportingCycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(
        "% complete", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False, help_text="Illustrative demo data, not real.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="update_progress_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="update_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.OFF_TRACK) | ~Q(narrative=""),
                name="update_off_track_needs_narrative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} update of {self.created_at:%d %B %Y}"


class Challenge(models.Model):
    """A Programme Board member's question on an action, open until the owner answers."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        ACCEPTED = "accepted", "Accepted"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="challenges")
    question = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_raised"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges_answered",
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    is_demo = models.BooleanField(default=False, help_text="Illustrative demo data, not real.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "answered", "accepted"]),
                name="challenge_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | ~Q(response=""),
                name="challenge_answer_has_response",
            ),
        ]

    def __str__(self) -> str:
        return f"Challenge on {self.action.ref}"


# --- The programme's working rhythm: challenge threads, reminders sent, uploads awaiting confirmation


class ChallengeEntry(models.Model):
    """A step in a challenge's thread after the question: an answer, a follow-up or an acceptance."""

    class Kind(models.TextChoices):
        ANSWER = "answer", "Answer"
        FOLLOW_UP = "follow_up", "Follow-up question"
        ACCEPTANCE = "acceptance", "Answer accepted"

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True, help_text="For a follow-up question.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenge_entries"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "challenge entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["answer", "follow_up", "acceptance"]),
                name="challenge_entry_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="acceptance") | ~Q(text=""),
                name="challenge_entry_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on challenge {self.challenge_id}"


class ReportingCycle(models.Model):
    """A period (normally a quarter) in which every live action owes an update."""

    name = models.CharField(max_length=100, unique=True, help_text='For example "2021 Q2".')
    start_date = models.DateField()
    close_date = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(close_date__gte=F("start_date")), name="cycle_closes_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_closed(self) -> bool:
        """Whether today is past the close date (updates not yet made are then late)."""
        return timezone.localdate() > self.close_date


class Notification(models.Model):
    """An email owed to a person about a challenge or a delegated action: sent at once, or in
    their daily digest. One per event and person, so none is sent twice (actions.notifications)."""

    class Kind(models.TextChoices):
        CHALLENGE_RAISED = "challenge_raised", "Challenge raised"
        CHALLENGE_ANSWERED = "challenge_answered", "Challenge answered"
        CHALLENGE_FOLLOWED_UP = "challenge_followed_up", "Challenge followed up"
        ACTION_DELEGATED = "action_delegated", "Action delegated"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    event = models.CharField(
        max_length=100, help_text="What it is about, once: the challenge, entry or change."
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    email = models.EmailField(help_text="The address it went (or goes) to.")
    subject = models.CharField(max_length=255)
    summary = models.TextField(help_text="One or two sentences, as the email and digest say it.")
    url = models.CharField(max_length=500, help_text="The page it links to, without SITE_URL.")
    created_at = models.DateTimeField(default=timezone.now)
    in_digest = models.BooleanField(default=False, help_text="Waits for the daily digest.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "event", "recipient"], name="notification_once_per_event_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.email}"

    @property
    def link(self) -> str:
        """The page at SITE_URL, for the email."""
        return settings.SITE_URL + self.url


@receiver(post_delete, sender=ProgressUpdate)
def _update_deleted(sender, instance: ProgressUpdate, **kwargs) -> None:
    mark_shown_changed([instance.action_id])


@receiver(m2m_changed, sender=Action.characteristics.through)
def _characteristics_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        mark_shown_changed([instance.pk])
    elif pk_set:
        mark_shown_changed(pk_set)
    else:  # a characteristic's actions all cleared at once
        mark_shown_changed(instance.actions.values_list("pk", flat=True))
