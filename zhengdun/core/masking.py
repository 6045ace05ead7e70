"""Personal information is shown masked unless the user holds the right."""

from zhengdun.core.scoping import Viewer

PERSONAL_INFO_PERM = "accounts.view_personal_info"


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) > 8:
        return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
    return "*" * len(value)


def can_see_personal_info(user: Viewer) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERSONAL_INFO_PERM))


def phone_for(user: Viewer, phone: str | None) -> str:
    return (phone or "") if can_see_personal_info(user) else mask_phone(phone)


def id_number_for(user: Viewer, value: str | None) -> str:
    return (value or "") if can_see_personal_info(user) else mask_id_number(value)
