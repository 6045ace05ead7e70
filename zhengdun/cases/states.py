from django.db import models


class CaseState(models.TextChoices):
    SCREENED = "screened", "已排查"
    PROPOSED = "proposed", "拟定待认定"
    IDENTIFIED = "identified", "已认定备案"
    PLAN_APPROVED = "plan_approved", "方案已批准"
    RECTIFYING = "rectifying", "整顿中"
    ACCEPTANCE_REQUESTED = "acceptance_requested", "申请验收"
    DELISTED = "delisted", "已销号"
    RE_RECTIFYING = "re_rectifying", "重新整顿"
    CONSOLIDATING = "consolidating", "巩固提升"
    RELISTED = "relisted", "重新列入"
    REMOVAL_REQUESTED = "removal_requested", "申请移出"
    REMOVED = "removed", "已移出"
