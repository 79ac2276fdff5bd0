"""The demo's monthly reports: one month approved, one returned, one waiting."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from areas.locks import month_is_locked
from assistance.models import AssistanceSession, SessionService
from reports.models import MonthlyReport
from reports.monthly import previous_month
from training.models import Workshop

pytestmark = pytest.mark.django_db

Status = MonthlyReport.Status


def seed():
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def test_the_demo_has_an_approved_a_returned_and_a_submitted_report():
    seed()
    last = previous_month(timezone.localdate())
    before = previous_month(last)

    reports = {
        (report.ward_id, report.month): report for report in MonthlyReport.objects.all()
    }

    approved = reports[("00004", before)]
    assert approved.status == Status.APPROVED
    assert approved.snapshot["headline"]["sessions"] > 0
    assert month_is_locked(ward_id="00004", day=before)
    assert reports[("00004", last)].status == Status.SUBMITTED
    returned = reports[("00070", last)]
    assert returned.status == Status.RETURNED
    assert returned.return_reason


def test_seeding_again_leaves_the_reports_as_they_are():
    seed()
    versions = dict(MonthlyReport.objects.values_list("pk", "version"))
    seed()
    assert dict(MonthlyReport.objects.values_list("pk", "version")) == versions


def month_records(ward_code, month) -> dict:
    """What the ward's month holds: its sessions (with their helpers and
    open follow-ups), workshops and places on training lists."""
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    sessions = AssistanceSession.objects.filter(
        ward=ward_code, started_on__gte=month, started_on__lt=end
    )
    return {
        "sessions": sorted(
            (str(uuid), member)
            for uuid, member in sessions.values_list("client_uuid", "members")
        ),
        "open": sorted(
            SessionService.objects.filter(
                session__in=sessions, closed_at__isnull=True
            ).values_list("pk", flat=True)
        ),
        "workshops": sorted(
            Workshop.objects.filter(
                ward=ward_code, held_on__gte=month, held_on__lt=end
            ).values_list("pk", flat=True)
        ),
    }


def test_seeding_again_later_leaves_an_approved_month_as_it_is(monkeypatch):
    seed()
    today = timezone.localdate()
    approved = previous_month(previous_month(today))  # the seed approved it
    before = month_records("00004", approved)
    later = today + datetime.timedelta(days=12)
    localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda *args, **kwargs: localdate(*args, **kwargs) if args or kwargs else later,
    )

    out = io.StringIO()
    call_command("seed_demo", allow_without_debug=True, stdout=out)

    assert before["sessions"]
    assert month_records("00004", approved) == before
    # The note names the month left as it was (in the platform's language).
    assert "%s Phường Ba Đình" % approved.strftime("%m/%Y") in out.getvalue()
