"""Campaign progress on the dashboards and the admin's campaign page: one
computation (reports' coverage), and the demo's campaigns show it."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q

from assistance.models import AssistanceSession, Campaign, Indicator
from households.models import Household
from reports.indicators import campaign_progress
from reports.reached import priority_household

pytestmark = pytest.mark.django_db


def test_the_demo_campaigns_households_equal_direct_counts():
    """Households reached, all and priority ones: the households of the area
    with a session of their own ward in the campaign's days, counted directly."""
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    checked = 0
    for campaign in Campaign.objects.prefetch_related("targets"):
        households = Household.objects.filter(ward__province=campaign.province_id)
        if campaign.ward_id:
            households = households.filter(ward=campaign.ward_id)
        sessions = AssistanceSession.objects.in_period(
            campaign.starts_on, campaign.ends_on
        )
        helped = sessions.filter(
            Q(household=OuterRef("pk")) | Q(resident__household=OuterRef("pk")),
            ward=OuterRef("ward"),
        )
        reached = households.filter(Exists(helped))
        direct = {
            Indicator.HOUSEHOLDS_REACHED: (reached.count(), households.count()),
            Indicator.PRIORITY_HOUSEHOLDS_REACHED: (
                reached.filter(priority_household()).count(),
                households.filter(priority_household()).count(),
            ),
        }
        for target in campaign_progress(campaign):
            if target["indicator"] not in direct:
                assert target["count"] > 0
                continue
            count, in_area = direct[target["indicator"]]
            assert target["count"] == count > 0
            assert target["households"] == in_area
            assert target["remaining"] == in_area - count
            assert target["share"] > 0
            checked += 1
    assert checked >= 2
