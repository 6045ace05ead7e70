class ServiceError(Exception):
    """A rule refused the request; the message is shown to the user as is.

    Where the refusal has a way forward (e.g. "arrange a contact leader first"),
    `remedy_url` and `remedy_label` say where to go; pages show them as a link
    and the API returns them beside the message.
    """

    status = 400

    def __init__(self, message: str, *, errors: list[str] | None = None, remedy_url: str = "", remedy_label: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.remedy_url = remedy_url
        self.remedy_label = remedy_label


class ConflictError(ServiceError):
    """Someone else changed the object first; nothing was written."""

    status = 409


class NotPermitted(ServiceError):
    status = 403


class NeedsConfirmation(ServiceError):
    """The step is allowed but has consequences the user must confirm (send `confirm`)."""

    status = 400
