"""Separation of duties on extensions: whoever asked for one does not decide it."""

import datetime

import pytest

from tests.rectification.support import approved_plan, make_task
from zhengdun.core.errors import NotPermitted
from zhengdun.rectification import services as tasks
from zhengdun.rectification.models import ExtensionStatus
from zhengdun.rectification.transitions import ERR_DECIDE_OWN, EXTENSION_WORKFLOW


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_requester_of_an_extension_cannot_approve_it(world, campaign, county, town1):
    task = make_task(approved_plan(campaign, world.village_e), days_left=5)
    extension = tasks.extension_request(
        task=task, actor=county, new_deadline=task.deadline + datetime.timedelta(days=30), reason="雨季无法施工"
    )
    offers = {o.action: o.blocked for o in EXTENSION_WORKFLOW.offers(extension, county)}
    assert offers == {"approve": ERR_DECIDE_OWN, "refuse": ERR_DECIDE_OWN}
    with pytest.raises(NotPermitted, match=ERR_DECIDE_OWN):
        tasks.extension_decide(request=extension, actor=county, approve=True)
    extension.refresh_from_db()
    task.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING and extension.new_deadline != task.deadline
