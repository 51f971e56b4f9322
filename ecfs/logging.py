"""Logging that carries a request's correlation id and keeps personal details out of the logs.

Every record gets ``request_id`` (the id shown to the user on the error page and sent as
``X-Request-ID``). The formatter redacts email addresses, postcodes and phone numbers from the
message and any traceback, so an exception that mentions them leaves no personal data in the logs.
"""

import contextvars
import logging
import re

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_REDACTIONS = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.IGNORECASE), "[postcode]"),
    (re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d\s?){9,10}(?!\d)"), "[phone]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class ScrubbingFormatter(logging.Formatter):
    def format(self, record):
        return redact(super().format(record))
