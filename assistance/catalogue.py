"""The national service catalogue, as first published.

The data migration loads it; ``seed_demo`` loads it again on a database whose
rows were flushed (tests), so both use this one list. The capture reads the
active catalogue through :func:`service_catalogue`, a copy kept per process.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ServiceType

logger = logging.getLogger(__name__)

# (code, category, Vietnamese, English, online filing)
CATALOGUE = [
    ("vneid_install", "identity", "Cài đặt ứng dụng VNeID", "Install the VNeID app", False),
    ("vneid_account", "identity", "Tạo tài khoản định danh điện tử", "Create the e-ID account", False),
    ("vneid_level2", "identity", "Kích hoạt định danh điện tử mức 2", "Activate level-2 e-ID", False),
    ("birth_registration", "public_service", "Đăng ký khai sinh trực tuyến", "Birth registration online", True),
    ("marriage_registration", "public_service", "Đăng ký kết hôn trực tuyến", "Marriage registration online", True),
    ("birth_certificate_copy", "public_service", "Cấp bản sao trích lục khai sinh", "Birth-certificate copy", True),
    ("residence_registration", "public_service", "Đăng ký cư trú", "Residence registration", True),
    ("health_insurance", "public_service", "Bảo hiểm y tế, bảo hiểm xã hội", "Health and social insurance", True),
    ("other_filing", "public_service", "Thủ tục trực tuyến khác", "Other online filing", True),
    ("payment_app", "cashless", "Cài ứng dụng ngân hàng, ví điện tử", "Bank or e-wallet app", False),
    ("bill_qr", "cashless", "Thanh toán điện, nước bằng mã QR", "Electricity and water bills by QR code", False),
    ("online_selling", "commerce", "Bán hàng trực tuyến, mạng xã hội", "Online selling and social media", False),
    ("online_safety", "safety", "Nhận biết lừa đảo, an toàn trên mạng", "Scams and online safety", False),
    ("smartphone_basics", "basics", "Sử dụng điện thoại thông minh", "Smartphone basics", False),
    ("local_apps", "basics", "Ứng dụng địa phương (iHanoi, …)", "Local apps (iHanoi, …)", False),
    ("other", "other", "Hỗ trợ khác", "Other help", False),
]  # fmt: skip


def catalogue_load(service_type_model) -> None:
    """Create or refresh each service of the list (model passed by the caller)."""
    for position, (code, category, name_vi, name_en, is_filing) in enumerate(CATALOGUE):
        service_type_model.objects.update_or_create(
            code=code,
            defaults={
                "category": category,
                "name_vi": name_vi,
                "name_en": name_en,
                "is_filing": is_filing,
                "position": (position + 1) * 10,
            },
        )


# The active catalogue as the capture reads it: a copy per process, kept
# while the shared cache holds the same version. A change to a service moves
# the version once committed, and every process reads the rows again; a copy
# is read again after a while all the same, in case a move was lost.
VERSION_KEY = "assistance:catalogue:version"
MAX_AGE = 300  # seconds
_copy: tuple[str, float, dict[str, ServiceType]] | None = None


def service_catalogue(version: str | None = None) -> dict[str, ServiceType]:
    """The active services by code, read once per process and catalogue version.

    Every line of every session names its service; a query per line cost
    more than the rest of the checks. The rows are shared: never change them.
    ``version`` is the shared cache's :data:`VERSION_KEY` if the caller has
    just read it (the capture reads it with its kept answers).
    """
    global _copy
    if version is None:
        try:
            version = cache.get(VERSION_KEY) or _version_move(only_if_missing=True)
        except Exception:  # the cache is down: capture still works, from the rows
            return _active()
    copy = _copy
    now = time.monotonic()
    if copy is None or copy[0] != version or now - copy[1] > MAX_AGE:
        # The version is read before the rows: a change committed in between
        # moves it again, and the next call reads the rows again.
        copy = _copy = (version, now, _active())
    return copy[2]


def catalogue_version() -> str | None:
    """The version of this process's copy, or None when there is none."""
    copy = _copy
    return None if copy is None else copy[0]


def _active() -> dict[str, ServiceType]:
    return {
        service.code: service for service in ServiceType.objects.filter(is_active=True)
    }


def _version_move(*, only_if_missing: bool = False) -> str:
    version = uuid.uuid4().hex
    if only_if_missing:
        cache.add(VERSION_KEY, version, timeout=None)
        return cache.get(VERSION_KEY) or version
    cache.set(VERSION_KEY, version, timeout=None)
    return version


@receiver(post_save, sender=ServiceType)
@receiver(post_delete, sender=ServiceType)
def _service_changed(sender, **kwargs):
    # Once committed: a copy read before the commit, or rolled back, would
    # not hold what the other processes read.
    transaction.on_commit(_moved)


def _moved() -> None:
    global _copy
    _copy = None
    try:
        _version_move()
    except Exception:  # the cache is down: the copies are read from the rows
        logger.warning("Could not move the service catalogue's version")
