"""The national service catalogue, as first published.

The data migration loads it; ``seed_demo`` loads it again on a database whose
rows were flushed (tests), so both use this one list.
"""

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
