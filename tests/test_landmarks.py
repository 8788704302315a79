"""Every word of a page is in a landmark, and no two landmarks share a name (axe's best
practices "region" and "landmark-unique"; tests/browser/test_every_page.py runs axe itself)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from actions.models import ReportingCycle
from tests import factories
from tests.reporting.stocktake_world import draft, stocktake_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def landmark_names(html: str) -> list[str]:
    """The accessible names of the page's named sections and regions, as a screen reader lists them."""
    soup = BeautifulSoup(html, "html.parser")
    names = []
    for element in soup.select("section[aria-labelledby], section[aria-label], [role=region]"):
        if element.get("aria-labelledby"):
            parts = [soup.find(id=id_) for id_ in element["aria-labelledby"].split()]
            names.append(" ".join(part.get_text(" ", strip=True) for part in parts if part))
        else:
            names.append(element.get("aria-label", ""))
    return names


def test_the_back_link_is_the_first_thing_in_main(rf: RequestFactory):
    page = Template(
        '{% extends "base.html" %}{% block before_content %}'
        '{% include "components/back_link.html" with href="/cycles/" %}{% endblock %}'
        '{% block content %}<h1 class="govuk-heading-xl">A page</h1>{% endblock %}'
    )
    request = rf.get("/cycles/new/")
    request.user = AnonymousUser()
    request.csp_nonce = "n"
    main = BeautifulSoup(page.render(RequestContext(request)), "html.parser").find("main")
    first = main.find(True)
    assert "govuk-back-link" in first["class"] and first["href"] == "/cycles/"


def test_a_strand_and_a_service_area_of_the_same_name_are_told_apart(web, stocktake_world):
    """Islington's strand "Islington as a strategic leader" has one service area, of that name."""
    world = stocktake_world.world
    strand = world.housing.strand
    strand.name = "Housing"
    strand.save()
    draft(2026)
    page = web(world.team).get("/stocktakes/2026/preview/")
    names = landmark_names(page.text)
    assert "Housing" in names  # the service area's section
    assert "Summary by strand Housing" in names  # the strand's, in the summary
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_two_service_areas_of_the_same_name_are_told_apart(web, world):
    """Service area names need not be unique: "Housing" as an employer and as a provider."""
    employer = factories.strand("EMP", name="As an employer")
    other = factories.service_area(
        "EMP-HOU", strand_=employer, name="Housing", director=world.director
    )
    factories.action("EMP-HOU-01", area=other, title="Housing staff development")
    cycle = ReportingCycle.objects.create(
        name="2026 Q3", start_date=TODAY - datetime.timedelta(days=5), close_date=TODAY
    )
    pages = [
        web(world.team).get(reverse("cycle-detail", args=[cycle.pk])),
        web(world.director).get("/my-actions/"),
        web(world.director).get("/framework/"),
    ]
    for page in pages:
        names = landmark_names(page.text)
        assert len(names) == len(set(names)), (page.request.path, names)
        assert any("(EMP-HOU)" in name for name in names), (page.request.path, names)
