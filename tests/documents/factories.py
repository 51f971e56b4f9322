"""Files whose first bytes say what they really are, and a document on a family's record."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import document_add

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
# A Windows program (the "MZ" header and its PE signature): what a lying ".pdf" might really be.
EXE = b"MZ" + b"\x90\x00" * 30 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 256


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def upload(name="consent.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def document_on(family, actor, *, name="consent.pdf", content=PDF, kind="consent", description="Consent to share"):
    return document_add(family=family, actor=actor, upload=upload(name, content), kind=kind, description=description)
