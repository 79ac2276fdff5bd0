from celery import shared_task
from django.core.management import call_command


@shared_task
def login_session_cleanup_task() -> None:
    """Remove expired login sessions; safe to run any number of times."""
    call_command("clearsessions")
