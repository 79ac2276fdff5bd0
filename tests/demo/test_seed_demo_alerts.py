"""seed_demo leaves something for each alert to show, and keeps it so when run again."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.alerts import alert_list, wards_short_of_support
from reports.indicators import Area

pytestmark = pytest.mark.django_db


def hanoi_alerts():
    return {
        (alert.kind, alert.area.name)
        for alert in alert_list(Area("province", "01", ""), timezone.localdate())
    }


def test_the_demo_shows_a_team_behind_a_quiet_member_and_old_follow_ups(capsys):
    call_command("seed_demo", allow_without_debug=True)
    first = hanoi_alerts()
    call_command("seed_demo", allow_without_debug=True)

    assert hanoi_alerts() == first
    kinds = {kind for kind, _name in first}
    # The demo's campaign may also leave a hamlet behind its pace, depending
    # on the day the demo is seeded; these three it always shows.
    assert {"team_quiet", "member_silent", "follow_ups_old"} <= kinds
    assert ("team_quiet", "Tổ CNSCĐ Tổ dân phố Quán Thánh") in first
    assert ("follow_ups_old", "Phường Ba Đình") in first


def test_the_demo_has_communes_short_of_support_staff(capsys):
    call_command("seed_demo", allow_without_debug=True)

    short = wards_short_of_support(Area("province", "01", ""), timezone.localdate())

    counts = {row["name"]: row["count"] for row in short}
    assert counts["Phường Hoàn Kiếm"] == 1
    assert counts["Xã Bát Tràng"] == 0
    assert "Phường Ba Đình" not in counts
