"""Documents of credit applications: the type is taken from the content (PDF, JPEG, PNG), never from the
name the browser sends; files are stored under generated names, up to the configured size."""

from __future__ import annotations

import hashlib
import uuid

from constance import config
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.uploads import check_image
from credit.models import ApplicationDocument

MAX_FILES = 10
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def check_document(upload) -> tuple[bytes, str, str]:
    """(content, content type, extension) of an acceptable upload; a Chinese error naming the file otherwise."""
    name = getattr(upload, "name", "") or _("未命名文件")
    limit_mb = int(config.CREDIT_DOCUMENT_MAX_MB)
    size = getattr(upload, "size", None)
    if size is not None and size > limit_mb * 1024 * 1024:
        raise DomainError(_("申请材料“%(name)s”：超过 %(mb)s MB 的大小上限。") % {"name": name, "mb": limit_mb})
    content = upload.read()
    if len(content) > limit_mb * 1024 * 1024:
        raise DomainError(_("申请材料“%(name)s”：超过 %(mb)s MB 的大小上限。") % {"name": name, "mb": limit_mb})
    if not content:
        raise DomainError(_("申请材料“%(name)s”：文件为空。") % {"name": name})
    found = sniff(content[:16])
    if found is None:
        raise DomainError(_("申请材料“%(name)s”：只接受 PDF、JPEG 或 PNG 文件（按文件内容判断）。") % {"name": name})
    if found[1] in ("jpg", "png"):
        # Images are decoded and re-encoded by the shared check: a picture with anything appended is not kept as sent.
        checked = check_image(ContentFile(content, name=name), max_mb=limit_mb, what=_("申请材料"))
        return checked.content.read(), checked.content_type, checked.extension
    return content, found[0], found[1]


def attach_documents(*, application, files, user) -> list[ApplicationDocument]:
    """Check every file first, then store them all (nothing is stored when one is refused)."""
    files = list(files)
    if len(files) > MAX_FILES:
        raise DomainError(_("申请材料：一次最多上传 %(n)s 个文件。") % {"n": MAX_FILES})
    checked = [(upload, *check_document(upload)) for upload in files]
    documents = []
    for upload, content, content_type, extension in checked:
        document = ApplicationDocument(
            application=application,
            original_name=(getattr(upload, "name", "") or "")[:255],
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=user,
        )
        document.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        document.save()
        documents.append(document)
    return documents
