"""A small hand-built world: two service areas, their directors, a lead officer, the Board, the team.

Registered as the `world` and `as_user` fixtures in tests/conftest.py.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from config import roles
from tests import factories


@dataclass
class World:
    team: object
    board: object
    director: object  # directs Housing
    other_director: object  # directs Public Health
    lead: object
    housing: object
    health: object
    action: object  # HOU-01, in Housing, delegated to the lead officer
    undelegated: object  # HOU-02, in Housing
    other_action: object  # PH-01, in Public Health
    milestone: object
    numeric: object
    outcome: object


@pytest.fixture
def world(db) -> World:
    team = factories.person("team@council.example", role=roles.PROGRAMME_TEAM)
    board = factories.person("board@council.example", role=roles.PROGRAMME_BOARD)
    director = factories.person("housing.director@council.example", role=roles.SERVICE_DIRECTOR)
    other_director = factories.person(
        "health.director@council.example", role=roles.SERVICE_DIRECTOR
    )
    lead = factories.person("lead@council.example", role=roles.LEAD_OFFICER)
    director.first_name, director.last_name = "Hana", "Osei"
    director.save()
    strand = factories.strand("SERV", name="Service provider")
    housing = factories.service_area("HOU", strand_=strand, name="Housing", director=director)
    health = factories.service_area(
        "PH", strand_=strand, name="Public Health", director=other_director
    )
    action = factories.action(
        "HOU-01", area=housing, title="Diverse housing panels", lead_officer=lead
    )
    undelegated = factories.action("HOU-02", area=housing, title="Tenant engagement")
    other_action = factories.action("PH-01", area=health, title="Diabetes prevention")
    milestone = factories.target(
        "HOU-T01", action_=action, description="Panel in place by summer 2021"
    )
    numeric = factories.target(
        "HOU-T02",
        action_=action,
        description="24 staff trained",
        kind="numeric",
        target_value=Decimal(24),
        unit="staff",
    )
    outcome = factories.outcome(
        "HOU-O01",
        area=housing,
        description="People into work",
        indicator="People into work",
        unit="count",
        direction="increase",
        target_value=Decimal(1000),
        dimension="ethnicity",
        group="Black, Asian and Minority Ethnic",
        group_share=Decimal(50),
    )
    outcome.targets.add(numeric)
    return World(
        team,
        board,
        director,
        other_director,
        lead,
        housing,
        health,
        action,
        undelegated,
        other_action,
        milestone,
        numeric,
        outcome,
    )


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
