class ServiceError(Exception):
    """A rule refused the request; the message is shown to the user as is."""

    status = 400

    def __init__(self, message: str, *, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class ConflictError(ServiceError):
    """Someone else changed the object first; nothing was written."""

    status = 409


class NotPermitted(ServiceError):
    status = 403
