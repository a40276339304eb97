class DomainError(Exception):
    """A business rule refused an action; the message is shown to the user (Chinese by gettext)."""


class PermissionDenied(DomainError):
    pass
