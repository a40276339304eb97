"""Shared pieces of the recall services: numbers, photo checks, the group key of reports."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from constance import config
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.errors import DomainError
from core.uploads import check_image
from recalls.models import RecallSequence

PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_PHOTOS = 5
# Images bigger than this many pixels are refused before decoding (decompression bombs).
MAX_PIXELS = 40_000_000


def next_number(prefix: str, year: int, width: int) -> str:
    """The next number of a series (e.g. RC2026000123), taken under a row lock; call inside a transaction."""
    sequence, _created = RecallSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}{year}{sequence.last:0{width}d}"


def group_key(brand: str, model: str) -> str:
    """Brand and model without case, spaces and punctuation: "Ｘ牌 AB-12" and "x牌ab12" fall together."""

    def clean(text: str) -> str:
        import unicodedata

        text = unicodedata.normalize("NFKC", text or "").upper()
        return re.sub(r"[\W_]+", "", text)

    return f"{clean(brand)}|{clean(model)}"[:140]


def checked_photo(upload: UploadedFile, index: int) -> tuple[str, str, int, bytes]:
    """(generated name, content type, size, content to store) of a photo checked by its content, or a DomainError.
    JPEG and PNG are re-encoded by ``core.uploads.check_image`` (nothing appended to an image is kept)."""
    label = _("照片 %(n)d") % {"n": index}
    limit_mb = int(config.PHOTO_MAX_MB)
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("%(label)s：文件为空。") % {"label": label})
    if size > limit_mb * 1024 * 1024:
        raise DomainError(_("%(label)s：文件超过 %(mb)d MB 上限。") % {"label": label, "mb": limit_mb})
    image_format = None
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(_("%(label)s：图片尺寸过大。") % {"label": label})
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise DomainError(
            _("%(label)s：只接受 JPEG、PNG 或 WebP 图片（按文件内容判断，不看扩展名）。") % {"label": label}
        )
    content_type, extension = PHOTO_FORMATS[image_format]
    if image_format in ("JPEG", "PNG"):
        checked = check_image(upload, max_mb=limit_mb, what=label)
        upload.seek(0)
        data = checked.content.read()
        return checked.content.name, checked.content_type, len(data), data
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return f"{uuid.uuid4().hex}.{extension}", content_type, size, data


def check_photos(photos) -> list[tuple]:
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("照片：最多上传 %(n)d 张。") % {"n": MAX_PHOTOS})
    return [(photo, *checked_photo(photo, i)) for i, photo in enumerate(photos, start=1)]


def require_text(value: str, label: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("%(field)s：不能为空。") % {"field": label})
    if max_length and len(value) > max_length:
        raise DomainError(_("%(field)s：不能超过 %(n)d 个字。") % {"field": label, "n": max_length})
    return value


def not_future(day: dt.date | None, label: str, today: dt.date) -> None:
    if day and day > today:
        raise DomainError(_("%(field)s：不能晚于今天。") % {"field": label})
