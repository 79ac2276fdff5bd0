"""The demo's monthly reports: one month approved, one returned, one waiting."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from areas.locks import month_is_locked
from reports.models import MonthlyReport
from reports.monthly import previous_month

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
