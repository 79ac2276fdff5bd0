"""Sessions of the last weeks in the test area, summarised as dashboards read them."""

import datetime
import uuid

import pytest
from django.utils import timezone

from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import MembershipFactory, SessionFactory, line, local
from tests.households.factories import HouseholdFactory


def days_ago(count: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=count)
    return local(day.year, day.month, day.day)


@pytest.fixture
def activity(area):
    """Ba Đình: 3 sessions in the last 30 days and 1 before; Hoàn Kiếm: 2."""
    member = MembershipFactory(
        member__ward=area.ward, member__full_name="Nguyễn Văn An", team=area.team
    ).member
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    for count in (1, 2, 3):
        SessionFactory(
            team=area.team,
            started_at=days_ago(count),
            household=household if count == 1 else None,
            members=[member],
            services=[("vneid_level2", "done"), ("bill_qr", "follow_up")],
        )
    SessionFactory(team=area.team, started_at=days_ago(40), members=[member])
    for count in (1, 2):
        SessionFactory(team=area.neighbour_team, started_at=days_ago(count))
    SessionFactory(team=area.other_team, started_at=days_ago(1))
    stats_recompute()
    registry_recompute()
    return member


@pytest.fixture
def visit(area):
    members = [
        MembershipFactory(member__ward=area.ward, team=area.team).member
        for _ in range(2)
    ]
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    return {
        "client_uuid": uuid.uuid4(),
        "team": area.team,
        "members": members,
        "started_at": timezone.now() - datetime.timedelta(days=2),
        "place": "home",
        "services": [line("bill_qr"), line("payment_app", "follow_up")],
        "source": "field",
        "household": household,
    }


@pytest.fixture
def broker(monkeypatch):
    """``broker(task)``: the calls of ``task`` that receivers hand to the
    broker, gathered in a list instead."""

    def gathered(task) -> list:
        calls = []
        monkeypatch.setattr(
            task, "apply_async", lambda args, countdown: calls.append(tuple(args))
        )
        return calls

    return gathered
