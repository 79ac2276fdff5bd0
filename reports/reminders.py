"""Reminders of the monthly report: to ward officials whose report is late,
and to province staff whose wards' reports wait for approval.

Sent by e-mail on the day after the report is due, then every Monday while
something is still outstanding; the ward's dashboard says the same.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext, ngettext

from accounts.models import Role, User

from .models import MonthlyReport
from .monthly import month_due, previous_month

logger = logging.getLogger(__name__)
Status = MonthlyReport.Status
DONE = (Status.SUBMITTED, Status.APPROVED)


def reminder_day(today: datetime.date) -> bool:
    """The day after the due date, and each Monday after it."""
    due = month_due(previous_month(today))
    return today > due and (
        today == due + datetime.timedelta(days=1) or (today.weekday() == 0)
    )


def ward_report_missing(*, ward_id: str, today: datetime.date) -> bool:
    """Whether last month's report of the ward is due and not yet submitted."""
    month = previous_month(today)
    if today <= month_due(month):
        return False
    return not MonthlyReport.objects.filter(
        ward_id=ward_id, month=month, status__in=DONE
    ).exists()


def monthly_reminders_send(*, today: datetime.date) -> dict[str, int]:
    """Send the day's reminders; how many e-mails went to each group."""
    if not reminder_day(today):
        return {"ward": 0, "province": 0}
    month = previous_month(today)
    submitted = MonthlyReport.objects.filter(month=month, status__in=DONE).values(
        "ward_id"
    )
    officials = (
        User.objects.filter(role=Role.WARD, is_active=True, ward__isnull=False)
        .exclude(email="")
        .exclude(ward_id__in=submitted)
        .select_related("ward")
    )
    waiting = dict(
        MonthlyReport.objects.filter(status=Status.SUBMITTED)
        .values_list("ward__province_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    staff = (
        User.objects.filter(role=Role.PROVINCE, is_active=True)
        .filter(province_id__in=waiting)
        .exclude(email="")
    )
    sent = {"ward": 0, "province": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for user in officials:
            sent["ward"] += _mail(
                user,
                gettext("Monthly report of %(month)s not submitted")
                % {"month": month.strftime("%m/%Y")},
                gettext(
                    "The monthly report of %(ward)s for %(month)s was due on "
                    "%(due)s and has not been submitted. Open Monthly report "
                    "in the menu to submit it."
                )
                % {
                    "ward": user.ward.name,
                    "month": month.strftime("%m/%Y"),
                    "due": month_due(month).strftime("%d/%m/%Y"),
                },
            )
        for user in staff:
            count = waiting[user.province_id]
            sent["province"] += _mail(
                user,
                gettext("Monthly reports waiting for approval"),
                ngettext(
                    "%(count)d ward's monthly report waits for your approval: "
                    "open Monthly reports in the menu.",
                    "%(count)d wards' monthly reports wait for your approval: "
                    "open Monthly reports in the menu.",
                    count,
                )
                % {"count": count},
            )
    # Counts only: the addresses are personal data.
    logger.info("monthly report reminders sent: %s", sent)
    return sent


def _mail(user, subject: str, body: str) -> int:
    try:
        return send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body,
            None,
            [user.email],
        )
    except OSError:
        logger.warning("a monthly report reminder could not be sent")
        return 0
