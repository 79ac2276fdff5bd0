"""Vietnamese phone numbers: validated with libphonenumber, stored normalised.

Numbers arrive as "0912 345 678", "+84 912.345.678" or "84912345678" from
phones, spreadsheets and old keyboards; they are stored in one national form,
"0912345678", so that the same person is found and matched whatever was typed.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def phone_normalise(value: str) -> str:
    """Return the national form of a Vietnamese number, or raise ValidationError."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 84
        or not phonenumbers.is_valid_number(number)
    ):
        raise ValidationError(
            _("“%(value)s” is not a Vietnamese phone number."),
            code="invalid_phone",
            params={"value": text},
        )
    return "0%d" % number.national_number


def validate_phone(value: str) -> None:
    phone_normalise(value)
