import pytest
from django.contrib.auth.models import Permission

from zhengdun.accounts.models import User


@pytest.fixture
def audit_reader():
    """audit_reader(town1): the persona, now allowed to read its subtree's audit trail."""

    def grant(user: User) -> User:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="audit", codename="view_auditevent"))
        return User.objects.get(pk=user.pk)

    return grant
