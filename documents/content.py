"""What an upload really is, read from its first bytes (``filetype``), never from its name or the browser's word."""

from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# The real type → what people call it and the extension it is stored and downloaded with.
ACCEPTED = {
    "application/pdf": ("PDF", "pdf"),
    "image/jpeg": ("JPEG image", "jpg"),
    "image/png": ("PNG image", "png"),
    "image/heic": ("HEIC image (iPhone photo)", "heic"),
    "application/msword": ("Word document", "doc"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word document", "docx"),
    "application/vnd.oasis.opendocument.text": ("OpenDocument text", "odt"),
}
ACCEPTED_DESCRIPTION = "a PDF, a photo or scan (JPEG, PNG or HEIC) or a Word document (.doc, .docx or .odt)"


@dataclass(frozen=True)
class RealType:
    content_type: str
    label: str
    extension: str


def real_type(upload, *, max_bytes: int) -> RealType:
    """The accepted type of ``upload`` or a ``ValidationError`` saying why it is refused."""
    if not upload.size:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"The file must be smaller than {filesizeformat(max_bytes)} (this one is {filesizeformat(upload.size)})",
            code="too_big",
        )
    upload.seek(0)
    guess = filetype.guess(upload.read(8192))
    upload.seek(0)
    if guess is None or guess.mime not in ACCEPTED:
        found = f" (it is really {guess.mime}, whatever its name says)" if guess else ""
        raise ValidationError(f"The file must be {ACCEPTED_DESCRIPTION}{found}", code="wrong_type")
    label, extension = ACCEPTED[guess.mime]
    return RealType(guess.mime, label, extension)
