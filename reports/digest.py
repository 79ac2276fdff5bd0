"""The weekly e-mail of alerts to ward officials.

Each active ward official with an e-mail address gets their ward's alerts
once a week, only when there are any. The week sent is recorded before the
mail leaves, in the same transaction: beat firing twice, or a retried task,
finds the record and sends nothing; a mail that fails rolls the record back
for the next run.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role, User

from .alerts import alert_list
from .indicators import Area
from .models import AlertDigestSent

logger = logging.getLogger(__name__)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_recipients():
    return (
        User.objects.filter(role=Role.WARD, is_active=True, ward__isnull=False)
        .exclude(email="")
        .select_related("ward")
        .order_by("pk")
    )


def alert_digest_send(*, user: User, today: date) -> bool:
    """Send ``user`` their ward's alerts of this week; whether one was sent."""
    week = week_of(today)
    if AlertDigestSent.objects.filter(user=user, week=week).exists():
        return False
    ward = user.ward
    area = Area("ward", ward.pk, ward.name)
    with translation.override(settings.LANGUAGE_CODE):
        alerts = alert_list(area, today, ward_level=True)
        if not alerts:
            return False
        context = {
            "ward": ward,
            "alerts": alerts,
            "site": settings.SITE_URL.rstrip("/"),
            "week": week,
        }
        subject = gettext("Alerts of %(ward)s, week of %(week)s") % {
            "ward": ward.name,
            "week": week.strftime("%d/%m/%Y"),
        }
        text = render_to_string("reports/email/alert_digest.txt", context)
        html = render_to_string("reports/email/alert_digest.html", context)
    message = EmailMultiAlternatives(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            AlertDigestSent.objects.create(user=user, week=week, alerts=len(alerts))
            message.send()
    except IntegrityError:
        return False  # another run sent it a moment ago
    return True


def alert_digests_send(today: date | None = None) -> int:
    """Send this week's digest to every ward official who is owed one."""
    today = today or timezone.localdate()
    sent = 0
    for user in digest_recipients():
        try:
            sent += alert_digest_send(user=user, today=today)
        except Exception:
            # One unreachable address must not stop the others; no address
            # or name in the log (personal data).
            logger.exception("Alert digest to account %s failed", user.pk)
    return sent
