"""Evidence (证据): typed by the statutory kinds, files checked by their content and size, frozen once the
case is decided. A correction is a new record citing the one it corrects."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from enforcement import policies
from enforcement.models import DECIDED_STATES, Case, Evidence, EvidenceKind
from enforcement.services.common import check, event, locked, require_text, today

# (content type, extension) by the file's first bytes; the name the uploader gave is never trusted.
SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"ftyp", 4, "video/mp4", ".mp4"),
    (b"ID3", 0, "audio/mpeg", ".mp3"),
    (b"RIFF", 0, "audio/wav", ".wav"),
    (b"PK\x03\x04", 0, "application/zip", ".zip"),
)
IMAGE_TYPES = {"image/jpeg", "image/png"}


def evidence_max_bytes() -> int:
    from constance import config

    return int(getattr(config, "EVIDENCE_MAX_MB", 20)) * 1024 * 1024


def sniff(data: bytes) -> tuple[str, str] | None:
    """The content type and extension of ``data`` from its magic bytes (images verified by Pillow)."""
    for signature, offset, content_type, extension in SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            if content_type in IMAGE_TYPES:
                from PIL import Image, UnidentifiedImageError

                try:
                    with Image.open(io.BytesIO(data)) as image:
                        image.verify()
                except (UnidentifiedImageError, OSError, SyntaxError):
                    return None
            if content_type == "audio/wav" and data[8:12] != b"WAVE":
                return None
            return content_type, extension
    return None


@transaction.atomic
def evidence_add(
    *,
    user,
    case: Case,
    kind: str,
    title: str,
    collected_on: dt.date,
    description: str = "",
    collected_at: str = "",
    upload=None,
    corrects: Evidence | None = None,
    correction_reason: str = "",
) -> Evidence:
    """登记证据 (with its file); refused once the case is decided (evidence is frozen then)."""
    case = locked(case)
    if case.status in DECIDED_STATES or case.decided_on:
        raise DomainError(_("案件已作出决定，证据已固定，不能再登记或更正证据。"))
    check(policies.can_add_evidence(user, case), _("您无权为该案件登记证据。"))
    if kind not in EvidenceKind.values:
        raise DomainError(_("证据种类：请选择法定的证据种类。"))
    title = require_text(title, _("证据名称"))
    if collected_on > today():
        raise DomainError(_("收集日期：不能晚于今天。"))
    if corrects is not None:
        if corrects.case_id != case.pk:
            raise DomainError(_("更正的证据：不属于本案。"))
        correction_reason = require_text(correction_reason, _("更正理由"))
    evidence = Evidence(
        case=case,
        kind=kind,
        title=title,
        description=description.strip(),
        collected_by=user,
        collected_on=collected_on,
        collected_at=collected_at.strip(),
        corrects=corrects,
        correction_reason=correction_reason if corrects else "",
    )
    if upload is not None:
        data = upload.read()
        if len(data) > evidence_max_bytes():
            raise DomainError(_("文件：大小超过上限 %(mb)d MB。") % {"mb": evidence_max_bytes() // (1024 * 1024)})
        if not data:
            raise DomainError(_("文件：文件为空。"))
        found = sniff(data)
        if found is None:
            raise DomainError(_("文件：只接受 PDF、JPEG、PNG、MP4、MP3、WAV 或 ZIP 文件（按文件内容识别）。"))
        evidence.content_type, evidence.extension = found
        evidence.file_token = secrets.token_hex(16)
        evidence.original_name = (getattr(upload, "name", "") or "")[:255]
        evidence.size = len(data)
        evidence.sha256 = hashlib.sha256(data).hexdigest()
        evidence.file.save(f"{evidence.file_token}{evidence.extension}", ContentFile(data), save=False)
    evidence.save()
    text = _("登记证据（%(kind)s）：%(title)s") % {"kind": evidence.get_kind_display(), "title": title}
    if corrects is not None:
        text = _("更正证据“%(old)s”：%(reason)s") % {"old": corrects.title, "reason": correction_reason}
    event(case, "evidence", text, user=user, on=collected_on)
    return evidence
