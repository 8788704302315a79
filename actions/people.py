"""People, as the programme team manages them: who they are, their roles and the areas they
direct, their invitation, and deactivation (their actions go to the area's director).

Lives in `actions` because deactivating a person moves their actions; people and roles
themselves are in config.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from actions.models import Action
from config import invitations, roles, sso
from config.history import attribute
from config.history_display import FieldChange, HistoryEntry
from config.models import SYSTEM_DOMAIN, Invitation, User
from config.security import locked_out_emails, log_event
from strands.models import ServiceArea

# --- Reading ---------------------------------------------------------------------------------

INVITATION_STATES = {
    "password": "Has a password",
    "accepted": "Accepted",
    "invited": "Invited, not accepted yet",
    "expired": "Invitation expired",
    "not-invited": "Not invited",
    "deactivated": "Deactivated",
}


def invitation_state(person: User) -> str:
    """One of INVITATION_STATES, from the person and their prefetched `latest_invitations`."""
    if not person.is_active:
        return "deactivated"
    prefetched = getattr(person, "latest_invitations", [])
    latest = prefetched[0] if prefetched else None
    if person.has_usable_password():
        return "accepted" if latest and latest.state == Invitation.State.ACCEPTED else "password"
    if latest is not None and latest.state == Invitation.State.PENDING:
        return "expired" if latest.has_expired else "invited"
    return "not-invited"


def people_queryset():
    """Everyone who is a person: not the named system accounts changes are recorded against."""
    return (
        User.objects.exclude(email__endswith=f"@{SYSTEM_DOMAIN}")
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("name")),
            Prefetch("directed_service_areas", queryset=ServiceArea.objects.order_by("name")),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("invited_by").order_by(
                    "-created_at", "-id"
                ),
                to_attr="latest_invitations",
            ),
        )
        .order_by("first_name", "last_name", "email")
    )


@dataclass
class PersonRow:
    person: User
    roles: list[str]
    areas: list[str]
    state: str
    locked: bool
    from_directory: set[str] = field(default_factory=set)  # roles given at single sign-on

    @property
    def roles_shown(self) -> list[str]:
        """Each role in words, saying which came from the council's directory."""
        return [
            f"{name} (from your council's directory)" if name in self.from_directory else name
            for name in self.roles
        ]

    @property
    def state_label(self) -> str:
        return INVITATION_STATES[self.state]

    @property
    def has_password(self) -> bool:
        """Could sign in with a password (were passwords accepted: SSO_REQUIRED turns them off)."""
        return self.person.is_active and self.person.has_usable_password()

    @property
    def invitation(self):
        found = self.person.latest_invitations
        return found[0] if found else None


def person_row(
    person: User,
    *,
    locked: set[str] | None = None,
    directory: dict[int, set[str]] | None = None,
) -> PersonRow:
    """A person from people_queryset(), as the People page shows them (locked and directory
    are read once for a whole list)."""
    locked = locked_out_emails() if locked is None else locked
    directory = sso.roles_from_directory() if directory is None else directory
    return PersonRow(
        person=person,
        roles=[g.name for g in person.groups.all()],
        areas=[a.name for a in person.directed_service_areas.all()],
        state=invitation_state(person),
        locked=person.email in locked,
        from_directory=directory.get(person.pk, set()),
    )


def people_with_a_password():
    """Active people who still have a usable password (listed when SSO_REQUIRED is on)."""
    return (
        people_queryset()
        .filter(is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )


def people_rows(
    *, q: str = "", role: str = "", state: str = "", password: str = ""
) -> list[PersonRow]:
    """Everyone, with what the People page shows, filtered; a fixed number of queries."""
    people = people_queryset()
    if q:
        for word in q.split():
            people = people.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
    locked = locked_out_emails()
    directory = sso.roles_from_directory()
    rows = []
    for person in people:
        row = person_row(person, locked=locked, directory=directory)
        if role and role not in row.roles:
            continue
        if state and row.state != state:
            continue
        if password and row.has_password != (password == "yes"):
            continue
        rows.append(row)
    return rows


CSV_HEADINGS = ["Name", "Email", "Roles", "Service areas directed", "Last signed in", "Invitation"]


def people_csv(rows: list[PersonRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADINGS)
    for row in rows:
        last = row.person.last_login
        writer.writerow(
            [
                row.person.get_full_name(),
                row.person.email,
                "; ".join(row.roles),
                "; ".join(row.areas),
                timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "Never",
                row.state_label,
            ]
        )
    return out.getvalue()


def person_history(person: User) -> list[HistoryEntry]:
    """Every change to a person, newest first: who, when, why, and what changed (roles too)."""
    records = list(
        person.history.select_related("history_user").order_by("history_date", "history_id")
    )
    shown = [
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("email", "Email"),
        ("is_active", "Can sign in"),
    ]
    role_names = dict(Group.objects.values_list("pk", "name"))
    entries = []
    previous = None
    for record in records:
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            reason=record.history_change_reason or "",
            what=person.display_name,
            kind=kind,
        )
        record_roles = sorted(role_names[row.group_id] for row in record.groups.all())
        if previous is not None:
            for name, label in shown:
                old, new = getattr(previous[0], name), getattr(record, name)
                if old != new:
                    entry.changes.append(FieldChange(label, _words(old), _words(new)))
            if previous[1] != record_roles:
                entry.changes.append(
                    FieldChange(
                        "Roles", ", ".join(previous[1]) or "None", ", ".join(record_roles) or "None"
                    )
                )
        if entry.changes or kind != "Changed" or entry.reason:
            entries.append(entry)
        previous = (record, record_roles)
    entries += _area_entries(person) + _invitation_entries(person)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _area_entries(person: User) -> list[HistoryEntry]:
    """The service areas a person became, or stopped being, director of (from the areas' own
    history), each with who did it and why."""
    ever = ServiceArea.history.filter(director=person).values("id")
    records = (
        ServiceArea.history.filter(id__in=ever)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    entries, previous = [], None
    for record in records:
        was = (
            previous is not None and previous.id == record.id and previous.director_id == person.pk
        )
        now = record.director_id == person.pk
        if was != now:
            entry = HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                reason=record.history_change_reason or "",
                what=person.display_name,
                kind="Changed",
            )
            entry.changes.append(
                FieldChange(
                    f"Director of {record.name}", "Yes" if was else "No", "Yes" if now else "No"
                )
            )
            entries.append(entry)
        previous = record
    return entries


def _invitation_entries(person: User) -> list[HistoryEntry]:
    """Invitations sent, resent, cancelled and accepted, from the invitations' history."""
    records = Invitation.history.filter(person_id=person.pk).select_related("history_user")
    entries = []
    for record in records:
        label = dict(Invitation.State.choices)[record.state]
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            reason=record.history_change_reason or "",
            what=person.display_name,
            kind="Changed",
        )
        entry.changes.append(FieldChange("Invitation", "", label))
        entries.append(entry)
    return entries


def _words(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value) if value not in (None, "") else "(blank)"


# --- Changing ----------------------------------------------------------------------------------


def _role_groups(names) -> list[Group]:
    return list(Group.objects.filter(name__in=names))


@transaction.atomic
def add_person(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role_names: list[str],
    areas,
    by: User,
    reason: str,
    invite: bool,
) -> User:
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": "Someone with this email address is already here"})
    person = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    person.set_unusable_password()
    attribute(person, user=by, reason=reason or "Added on the People page")
    person.save()
    set_roles_and_areas(person=person, role_names=role_names, areas=areas, by=by, reason=reason)
    if invite:
        invitations.invite(person=person, invited_by=by)
    return person


@transaction.atomic
def set_roles_and_areas(*, person: User, role_names: list[str], areas, by: User, reason: str):
    """Give a person exactly these roles and make them director of exactly these areas. Anyone
    directing an area is a service director, so that role is added when areas are given."""
    names = set(role_names)
    if areas:
        names.add(roles.SERVICE_DIRECTOR)
    attribute(person, user=by, reason=reason)
    before = set(person.groups.values_list("name", flat=True))
    if before != names:
        # One history row for the whole change (not one per group removed and added).
        person.skip_history_when_saving = True
        try:
            person.groups.set(_role_groups(names))  # config.security logs the change
        finally:
            del person.skip_history_when_saving
        person.save()
    wanted = {area.pk for area in areas}
    for area in (
        ServiceArea.objects.select_for_update().filter(director=person).exclude(pk__in=wanted)
    ):
        _set_director(area, None, by=by, reason=reason)
    for area in ServiceArea.objects.select_for_update().filter(pk__in=wanted):
        if area.director_id != person.pk:
            _set_director(area, person, by=by, reason=reason)
    return person


def _set_director(area: ServiceArea, person: User | None, *, by: User, reason: str) -> None:
    area.director = person
    attribute(area, user=by, reason=reason)
    area.save()


@dataclass
class DeactivationPlan:
    """What deactivating a person will do, shown before it is confirmed."""

    person: User
    owned: list[Action] = field(default_factory=list)  # each goes to its area's director
    led: list[Action] = field(default_factory=list)  # each loses its lead officer
    areas: list[ServiceArea] = field(default_factory=list)  # each is left with no director


def deactivation_plan(person: User) -> DeactivationPlan:
    return DeactivationPlan(
        person=person,
        owned=list(Action.objects.filter(owner=person).select_related("service_area__director")),
        led=list(Action.objects.filter(lead_officer=person).select_related("service_area")),
        areas=list(ServiceArea.objects.filter(director=person)),
    )


@transaction.atomic
def deactivate(*, person: User, by: User, reason: str) -> DeactivationPlan:
    """Stop a person signing in (never delete: history keeps them). Actions they own go to the
    area's director (the owner is cleared, so the director is responsible); actions they lead
    lose their lead officer; areas they direct are left without a director."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.pk == by.pk:
        raise ValidationError(
            "You cannot deactivate yourself. Ask someone else in the programme team."
        )
    if person.is_superuser and not by.is_superuser:
        raise ValidationError("Only a superuser can deactivate a superuser.")
    if not person.is_active:
        raise ValidationError(f"{person.display_name} has already been deactivated.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are deactivating them"})
    plan = deactivation_plan(person)
    why = f"{person.display_name} deactivated: {reason}"
    for action in Action.objects.select_for_update().filter(owner=person):
        action.owner = None
        action._history_user, action._change_reason = by, why
        action.save()
    for action in Action.objects.select_for_update().filter(lead_officer=person):
        action.lead_officer = None
        action._history_user, action._change_reason = by, why
        action.save()
    for area in ServiceArea.objects.select_for_update().filter(director=person):
        _set_director(area, None, by=by, reason=why)
    pending = invitations.pending_invitation(person)
    if pending is not None:
        invitations.cancel(invitation=pending, by=by)
    person.is_active = False
    attribute(person, user=by, reason=f"Deactivated: {reason}")
    person.save()
    log_event("deactivated", None, person=person.email, changed_by=by.email)
    return plan


@transaction.atomic
def reactivate(*, person: User, by: User, reason: str) -> User:
    person.is_active = True
    attribute(person, user=by, reason=f"Reactivated: {reason}")
    person.save()
    return person
