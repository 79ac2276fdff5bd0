import logging
import re

# Vietnamese mobile and landline numbers, with or without +84 and separators,
# and e-mail addresses. Names cannot be caught by a pattern: code must never
# log them, and this filter is the net under that rule.
PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    return EMAIL.sub("[email]", PHONE.sub("[phone]", text))


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
