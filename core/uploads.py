"""Uploaded files: checked by content, stored under generated names, served only to those who may see the record.

Every upload path calls ``check_image`` (photos: re-encoded, so nothing but pixels is kept) or ``check_document``
(PDF, xlsx, csv by their magic bytes). Files are named ``<uuid>.<detected extension>``: the uploader's name and
extension are never used. Apps say who may see the files of a model with ``register_protected_files`` from their
``AppConfig.ready()``; ``serve_protected_file`` checks that before sending, through the web server
(``X-Accel-Redirect`` / ``X-Sendfile``, setting ``PROTECTED_FILES_SERVER``) or by streaming it itself.
"""

from __future__ import annotations

import io
import mimetypes
import uuid
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from core.errors import DomainError

# Decoded images larger than this are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
# Magic bytes of the documents the platform accepts.
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
SAFE_EXTENSIONS = {"jpg", "png", "pdf", "xlsx", "csv"}


def _limit_bytes(max_mb: int | None) -> int:
    return int(max_mb if max_mb is not None else getattr(settings, "UPLOAD_MAX_MB", 20)) * 1024 * 1024


def _label(upload) -> str:
    return PurePosixPath(getattr(upload, "name", "") or "").name or _("文件")


def _read(upload, limit: int, what: str) -> bytes:
    names = {"what": what, "name": _label(upload), "mb": limit // (1024 * 1024)}
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > limit:
        raise DomainError(_("%(what)s“%(name)s”：文件超过 %(mb)d MB 上限。") % names)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_("%(what)s“%(name)s”：文件超过 %(mb)d MB 上限。") % names)
    if not data:
        raise DomainError(_("%(what)s“%(name)s”：文件是空的。") % names)
    return data


def generated_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    extension: str
    content_type: str


def check_image(
    upload, *, max_mb: int | None = None, formats: Iterable[str] = ("JPEG", "PNG"), what: str = ""
) -> CheckedFile:
    """A JPEG or PNG photo, detected by its content and re-encoded (no trailing data, no metadata, upright).

    Refuses anything else with a Chinese message naming the file: other types whatever their extension, images whose
    declared size is beyond ``MAX_IMAGE_PIXELS``, truncated or broken images and empty files."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    label = _label(upload)
    what = what or _("图片")
    data = _read(upload, _limit_bytes(max_mb), what)
    allowed = set(formats)
    refused = DomainError(_("%(what)s“%(name)s”：只接受 JPEG 或 PNG 图片。") % {"what": what, "name": label})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in allowed or image.format not in IMAGE_FORMATS:
                    raise refused
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise DomainError(
                        _("%(what)s“%(name)s”：图片尺寸 %(w)d×%(h)d 过大，请缩小后上传。")
                        % {"what": what, "name": label, "w": width, "h": height}
                    )
                image_format = image.format
                image.load()
                image = ImageOps.exif_transpose(image)
                if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                if image_format == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                    image = image.convert("RGBA")
                out = io.BytesIO()
                if image_format == "JPEG":
                    image.save(out, format="JPEG", quality=90)
                else:
                    image.save(out, format="PNG")
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise refused from exc
    extension, content_type = IMAGE_FORMATS[image_format]
    return CheckedFile(ContentFile(out.getvalue(), name=generated_name(extension)), extension, content_type)


def check_document(
    upload, *, kinds: Iterable[str] = ("pdf",), max_mb: int | None = None, what: str = ""
) -> CheckedFile:
    """A document whose content is one of ``kinds`` (pdf, xlsx, csv), stored under a generated name."""
    label = _label(upload)
    what = what or _("文件")
    data = _read(upload, _limit_bytes(max_mb), what)
    wanted = list(kinds)
    for kind in wanted:
        if kind == "csv":
            if b"\x00" not in data[:65536] and not data.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8")):
                return CheckedFile(ContentFile(data, name=generated_name("csv")), "csv", "text/csv")
            continue
        signature, content_type = DOCUMENT_SIGNATURES[kind]
        if data.startswith(signature):
            return CheckedFile(ContentFile(data, name=generated_name(kind)), kind, content_type)
    raise DomainError(
        _("%(what)s“%(name)s”：文件内容不是允许的类型（%(kinds)s）。")
        % {"what": what, "name": label, "kinds": "、".join(wanted).upper()}
    )


@deconstructible
class UploadTo:
    """``upload_to`` that files under ``prefix/YYYY/MM/`` with a generated name; only the extension of a checked file
    (one of SAFE_EXTENSIONS) is kept, anything else becomes ``.bin``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower().lstrip(".")
        if extension == "jpeg":
            extension = "jpg"
        if extension not in SAFE_EXTENSIONS:
            extension = "bin"
        return f"{self.prefix}/{timezone.localdate():%Y/%m}/{generated_name(extension)}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadTo) and other.prefix == self.prefix


# --- Who may see the files of a model -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedFiles:
    model_label: str
    fields: tuple[str, ...]
    can_view: Callable  # (user, obj) -> bool
    inline: bool = True


_REGISTRY: dict[str, ProtectedFiles] = {}


def register_protected_files(model_label: str, *, fields: Iterable[str], can_view: Callable, inline: bool = True):
    """Called from an app's ready(): files of ``model_label`` ("app.model") are served to users ``can_view`` allows."""
    _REGISTRY[model_label.lower()] = ProtectedFiles(model_label.lower(), tuple(fields), can_view, inline)


def protected_url(obj, field: str) -> str:
    return reverse("core:protected_file", args=[obj._meta.label_lower, obj.pk, field])


def _file_response(file_field, *, inline: bool) -> HttpResponse:
    name = file_field.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = "inline" if inline and content_type.startswith("image/") else "attachment"
    server = getattr(settings, "PROTECTED_FILES_SERVER", "")
    if server == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PROTECTED_FILES_INTERNAL_URL.rstrip("/") + "/" + name
    elif server in ("apache", "sendfile"):
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = file_field.path
    else:
        try:
            handle = file_field.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404(_("文件不存在。")) from exc
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{PurePosixPath(name).name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def serve_protected_file(request, label: str, pk: int, field: str):
    """One uploaded file, for users who may see the record it belongs to (404 otherwise, as for the record)."""
    entry = _REGISTRY.get(label.lower())
    if entry is None or field not in entry.fields:
        raise Http404(_("没有这个文件。"))
    model = apps.get_model(entry.model_label)
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or not entry.can_view(request.user, obj):
        raise Http404(_("没有这个文件。"))
    file_field = getattr(obj, field)
    if not file_field:
        raise Http404(_("没有这个文件。"))
    return _file_response(file_field, inline=entry.inline)
