"""Tasks go through the real broker (Redis, or the file-system transport) to a
real worker, not eager execution."""

import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.utils import timezone

from accounts.tasks import login_session_cleanup_task
from config.celery import app as celery_app


@pytest.fixture
def worker(transactional_db):
    # A queue of its own, so a worker left running on this machine cannot take
    # the test's tasks.
    queue = "test-%s" % uuid.uuid4().hex[:8]
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, queues=[queue]
    ) as running:
        yield running
    celery_app.conf.task_default_queue = previous


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite: the worker holds the table while it writes
        time.sleep(0.2)
    return False


def test_a_queued_task_runs_on_the_worker(worker):
    past = timezone.now() - timedelta(days=1)
    Session.objects.create(session_key="expired", session_data="", expire_date=past)
    Session.objects.create(
        session_key="current",
        session_data="",
        expire_date=timezone.now() + timedelta(days=1),
    )

    login_session_cleanup_task.delay()

    assert wait_for(lambda: not Session.objects.filter(session_key="expired").exists())
    assert Session.objects.filter(session_key="current").exists()


def test_reliability_settings_are_in_force():
    conf = celery_app.conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
