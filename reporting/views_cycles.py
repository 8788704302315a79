"""Reporting cycles (programme team): open a cycle, and see per service area who has updated."""

import datetime
from itertools import groupby

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from actions import cycle_progress
from actions.cycles import DUE, LATE, UPDATED, current_cycle, state_in_cycle, today
from actions.models import Action, ReportingCycle
from config.forms import GovukDateField, GovukFormMixin
from config.history import attribute
from config.roles import programme_team_required
from reporting.models import ReminderSent


class CycleForm(GovukFormMixin, forms.Form):
    """A new reporting cycle. Cycles may not overlap: each progress update then counts towards
    exactly one cycle, an action is never due in two at once, and reminders are never doubled."""

    name = forms.CharField(
        label="Name",
        help_text="For example, 2026 Q1",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={
            "required": "Enter a name for the reporting cycle",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    start_date = GovukDateField(
        label="Start date",
        help_text="Updates recorded from this day count towards the cycle. For example, 1 4 2026",
        error_messages={"required": "Enter the start date"},
    )
    close_date = GovukDateField(
        label="Close date",
        help_text="Updates are late after this day. For example, 30 6 2026",
        error_messages={"required": "Enter the close date"},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the reporting cycle")
        if ReportingCycle.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"There is already a reporting cycle called {name}")
        return name

    def clean_close_date(self):
        close = self.cleaned_data["close_date"]
        if close < today():
            raise forms.ValidationError("The close date must be today or in the future")
        return close

    def clean(self):
        data = super().clean()
        start, close = data.get("start_date"), data.get("close_date")
        if start and close:
            if close <= start:
                self.add_error("close_date", "The close date must be after the start date")
                return data
            clash = (
                ReportingCycle.objects.filter(start_date__lte=close, close_date__gte=start)
                .order_by("start_date")
                .first()
            )
            if clash:
                hint = (
                    f"start this one after {clash.close_date:%-d %B %Y}"
                    if start >= clash.start_date
                    else f"close this one before {clash.start_date:%-d %B %Y}"
                )
                self.add_error(
                    "start_date",
                    f"The dates overlap {clash.name} ({clash.start_date:%-d %B %Y} to "
                    f"{clash.close_date:%-d %B %Y}). Reporting cycles cannot overlap: {hint}",
                )
        return data


def cycle_phase(cycle: ReportingCycle, on: datetime.date) -> str:
    if on < cycle.start_date:
        return "Not started"
    if on <= cycle.close_date:
        return "Open"
    return "Closed"


@require_GET
@programme_team_required("manage reporting cycles")
def cycle_list(request):
    on = today()
    cycles = list(ReportingCycle.objects.order_by("-start_date", "-id"))
    for cycle in cycles:
        cycle.phase = cycle_phase(cycle, on)
    return render(
        request,
        "reporting/cycles/list.html",
        {"cycles": cycles, "current": current_cycle(on), "today": on},
    )


@require_http_methods(["GET", "POST"])
@programme_team_required("manage reporting cycles")
def cycle_new(request):
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cycle = ReportingCycle(
            name=data["name"], start_date=data["start_date"], close_date=data["close_date"]
        )
        attribute(cycle, user=request.user, reason="Reporting cycle opened")
        cycle.save()
        days = settings.REMINDER_DAYS_BEFORE_CLOSE
        messages.success(
            request,
            f"Reporting cycle {cycle.name} opened: {cycle.start_date:%-d %B %Y} to "
            f"{cycle.close_date:%-d %B %Y}. Owners are emailed the updates they owe when it "
            f"opens and {days} day{'s' if days != 1 else ''} before it closes.",
        )
        return redirect("cycle-detail", pk=cycle.pk)
    return render(
        request,
        "reporting/cycles/new.html",
        {"form": form, "has_errors": bool(form.errors)},
        status=422 if form.errors else 200,
    )


@require_GET
@programme_team_required("manage reporting cycles")
def cycle_detail(request, pk: int):
    """Per service area: each live action, who owes its update, and whether it is in."""
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    on = today()
    actions = list(
        cycle_progress.with_cycle_update(
            Action.objects.live(), cycle, end=cycle_progress.window_end(cycle)
        )
        .select_related("service_area__strand", "service_area__director", "owner", "lead_officer")
        .order_by("service_area__strand__position", "service_area__position", "position", "ref")
    )
    authors = _people({a.cycle_update_author_id for a in actions if a.cycle_update_author_id})
    for action in actions:
        action.cycle_state = state_in_cycle(
            cycle=cycle, is_live=True, last_update_at=action.cycle_update_at, on=on
        )
        action.cycle_update_author = authors.get(action.cycle_update_author_id)
        action.responsible = cycle_progress.responsible_person(action)
    areas = []
    for area, grouped in groupby(actions, key=lambda a: a.service_area):
        items = sorted(grouped, key=lambda a: (a.cycle_state.sort_key, a.position, a.ref))
        counts = {code: sum(1 for a in items if a.cycle_state.code == code) for code in STATES}
        areas.append({"area": area, "actions": items, "counts": counts})
    totals = {code: sum(a["counts"][code] for a in areas) for code in STATES}
    reminders = (
        ReminderSent.objects.filter(cycle=cycle)
        .values("kind", "sent_on")
        .annotate(people=Count("id"))
        .order_by("sent_on", "kind")
    )
    kinds = dict(ReminderSent.Kind.choices)
    return render(
        request,
        "reporting/cycles/detail.html",
        {
            "cycle": cycle,
            "phase": cycle_phase(cycle, on),
            "areas": areas,
            "totals": totals,
            "reminders": [{**r, "label": kinds.get(r["kind"], r["kind"])} for r in reminders],
            "days_before": settings.REMINDER_DAYS_BEFORE_CLOSE,
            "closing_reminder_on": cycle.close_date
            - datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE_CLOSE),
        },
    )


STATES = (LATE, DUE, UPDATED)


def _people(ids):
    if not ids:
        return {}
    return {p.id: p for p in get_user_model().objects.filter(id__in=ids)}
