"""People. Everyone signs in with their email address; their roles are auth groups (config.roles)."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django_htmx.middleware import HtmxDetails
from simple_history.models import HistoricalRecords


def normalise_email(email: str) -> str:
    """One spelling of an address: no surrounding space, lower case (council mail is not case-sensitive)."""
    return (email or "").strip().lower()


# System accounts' addresses: the .invalid top-level domain can never receive mail (RFC 2606).
SYSTEM_DOMAIN = "system.invalid"


class PersonManager(UserManager["User"]):
    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def _create_user(self, email, password, **extra_fields):
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def system_person(self, name: str) -> "User":
        """A named account that changes are recorded against when no person made them (a
        command-line import, say). It cannot sign in: it is inactive, without a password."""
        email = f"{slugify(name)}@{SYSTEM_DOMAIN}"
        person, created = self.get_or_create(
            email=email, defaults={"first_name": name, "is_active": False}
        )
        if created:
            person.set_unusable_password()
            person.save()
        return person

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: a service director, lead officer, Board member or member of the programme team."""

    username = None  # type: ignore[assignment]  # email is the username field
    email = models.EmailField("email address", unique=True)

    class EmailChoice(models.TextChoices):
        EACH = "each", "An email each time"
        DAILY = "daily", "One email a day, listing everything"

    notification_emails = models.CharField(
        "Emails about challenges and delegated actions",
        max_length=10,
        choices=EmailChoice.choices,
        default=EmailChoice.EACH,
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects: ClassVar[PersonManager] = PersonManager()

    # Who changed a person and their roles (group membership), when and why; never the password.
    history = HistoricalRecords(m2m_fields=["groups"], excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            # Signing in is not a change to the person: no history row (which would also make
            # an admin form opened before it look stale).
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
            return
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """How the product names a person everywhere: their name, or their email if it has none."""
        return self.get_full_name() or self.email

    @property
    def name_and_email(self) -> str:
        """A person in a list to choose from: "Ayesha Khan (ayesha.khan@council.example)"."""
        name = self.get_full_name()
        return f"{name} ({self.email})" if name else self.email

    def __str__(self) -> str:
        return self.display_name


class Invitation(models.Model):
    """An email inviting a person to set their password, with its one link (config.invitations).

    Opening the link changes nothing (council mail scanners open links before people do); only
    setting the password uses it. A new invitation to the same person replaces the old one.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Not accepted yet"
        ACCEPTED = "accepted", "Accepted"
        CANCELLED = "cancelled", "Cancelled"
        REPLACED = "replaced", "Replaced by a newer invitation"

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    ended_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "cancelled", "replaced"]),
                name="invitation_state_valid",
            ),
            # At most one live invitation per person: a resend replaces the old one.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state="pending"),
                name="one_pending_invitation_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.person.email} of {self.created_at:%d %B %Y}"

    @property
    def has_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.state == self.State.PENDING and not self.has_expired


class AuthenticatedRequest(HttpRequest):
    """A request from someone signed in (views behind ``login_required``), for type checking."""

    user: User
    htmx: HtmxDetails  # set by django-htmx's middleware
