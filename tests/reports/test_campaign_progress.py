"""Campaign progress on the dashboards (summary tables) and in the admin list
(raw rows) are the same numbers."""

import io

import pytest
from django.core.management import call_command

from assistance.models import Campaign
from assistance.selectors import campaign_progress as counted_from_sessions
from reports.indicators import campaign_progress as counted_from_summaries

pytestmark = pytest.mark.django_db


def test_both_ways_of_counting_a_campaign_agree_on_the_demo():
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    campaigns = Campaign.objects.prefetch_related("targets")
    assert campaigns.count() == 2

    for campaign in campaigns:
        raw = counted_from_sessions(campaign)
        for target in counted_from_summaries(campaign):
            assert target["count"] == raw[target["indicator"]] > 0
