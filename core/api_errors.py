from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, PermissionDenied


def exception_handler(exc, context):
    """Domain errors become 400 (403 for refusals) with their Chinese message; model validation errors 400."""
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, DomainError):
        exc = exceptions.ValidationError({"detail": str(exc)})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    return drf_exception_handler(exc, context)
