"""Demo people for local running: one per role and a director for every service area."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from config import roles
from config.history import attribute
from strands.models import ServiceArea

DEMO_DOMAIN = "demo.example"
REASON = "Demo people for local running"


class Command(BaseCommand):
    help = (
        "Create demo people (programme team, Programme Board, lead officer, and a director for "
        "every service area) and print their logins. The password is DEMO_PASSWORD when set, "
        "otherwise generated. Refuses to run under production settings."
    )

    def handle(self, *args, **options):
        if getattr(settings, "ENVIRONMENT", "") == "production":
            raise CommandError(
                "Demo people are for local running only; this is a production configuration."
            )
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        with transaction.atomic():
            people = self._create_people(password)
        self.stdout.write(f"Demo people (password for all: {password}):")
        width = max(len(email) for email, _, _ in people)
        for email, role, detail in people:
            self.stdout.write(f"  {email.ljust(width)}  {role}{f' ({detail})' if detail else ''}")

    def _create_people(self, password: str) -> list[tuple[str, str, str]]:
        people = [
            (
                self._person(
                    "programme", "Priya", "Patel", roles.PROGRAMME_TEAM, password, staff=True
                ),
                "",
            ),
            (self._person("board", "Bola", "Adeyemi", roles.PROGRAMME_BOARD, password), ""),
            (self._person("lead", "Liam", "Murphy", roles.LEAD_OFFICER, password), ""),
        ]
        for area in ServiceArea.objects.select_related("director").order_by("position", "id"):
            person = self._person(
                f"director.{area.ref.lower()}",
                "Director",
                area.name,
                roles.SERVICE_DIRECTOR,
                password,
            )
            if area.director_id is None:  # never replace a director the framework names
                area.director = person
                attribute(area, user=None, reason=REASON)
                area.save()
            detail = (
                area.name if area.director_id == person.id else f"{area.name}, not its director"
            )
            people.append((person, detail))
        return [(p.email, p.groups.get().name, detail) for p, detail in people]

    def _person(self, local, first, last, role, password, *, staff=False):
        email = f"{local}@{DEMO_DOMAIN}"
        person, _ = get_user_model().objects.get_or_create(email=email)
        person.first_name = first
        person.last_name = last[:150]
        person.is_staff = staff
        person.set_password(password)
        person.save()
        person.groups.set([Group.objects.get(name=role)])
        return person
