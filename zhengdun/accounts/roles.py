"""Roles are Django groups with fixed permission sets, created after migrate."""

from typing import Any

from django.db import models

VIEW = [
    "organizations.view_organization",
    "organizations.view_person",
    "organizations.view_post",
    "campaigns.view_campaign",
    "cases.view_case",
    "plans.view_plan",
    "plans.view_task",
]

PLAN_WORK = [
    "plans.add_plan",
    "plans.change_plan",
    "plans.change_task",
    "rectification.add_evidence",
    "rectification.add_extensionrequest",
]


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", "县级管理员"
    TOWNSHIP_OPERATOR = "township_operator", "乡镇（街道）操作员"
    BRANCH_OPERATOR = "branch_operator", "村（社区）操作员"
    CONTACT_LEADER = "contact_leader", "联系领导"
    INSPECTOR = "inspector", "督导检查员"
    READONLY = "readonly", "只读"
    # 三员分立 (GB/T 22239-2019 level 3): three administrators, none holding another's role.
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# The administrators' roles: an account holding one of them must sign in with a second factor.
ADMIN_ROLES = frozenset({Role.COUNTY_ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles whose rights reach a whole county: granted only to accounts of these levels.
ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.COUNTY_ADMIN: ("province", "city", "county"),
    Role.TOWNSHIP_OPERATOR: ("province", "city", "county", "township"),
}
# At most one of these per account.
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_ADMIN: VIEW
    + [
        "organizations.add_organization",
        "organizations.change_organization",
        "organizations.move_organization",
        "organizations.import_organizations",
        "organizations.add_person",
        "organizations.change_person",
        "organizations.add_post",
        "organizations.change_post",
        "organizations.delete_post",
        "accounts.view_personal_info",
        "campaigns.add_campaign",
        "campaigns.change_campaign",
        "campaigns.reopen_campaign",
        "cases.add_case",
        "cases.propose_case",
        "cases.identify_case",
        "cases.approve_plan",
        "cases.manage_rectification",
        "cases.request_acceptance",
        "cases.decide_acceptance",
        "cases.relist_case",
        "plans.review_plan",
        "notices.publish_plan",
        "notices.answer_comment",
        "rectification.decide_extension",
        "plans.check_four_reviews",
    ]
    + PLAN_WORK,
    Role.TOWNSHIP_OPERATOR: VIEW
    + [
        "organizations.add_organization",
        "organizations.change_organization",
        "organizations.import_organizations",
        "organizations.add_person",
        "organizations.change_person",
        "organizations.add_post",
        "organizations.change_post",
        "organizations.delete_post",
        "accounts.view_personal_info",
        "cases.add_case",
        "cases.propose_case",
        "cases.manage_rectification",
        "cases.request_acceptance",
        "plans.review_plan",
        "notices.publish_plan",
        "notices.answer_comment",
        "rectification.decide_extension",
        # Seed 003: the sub-district's secretary does the 四必审 of its communities.
        "plans.check_four_reviews",
    ]
    + PLAN_WORK,
    Role.BRANCH_OPERATOR: VIEW + PLAN_WORK,
    Role.CONTACT_LEADER: list(VIEW),
    Role.INSPECTOR: VIEW + ["audit.view_auditevent"],
    Role.READONLY: list(VIEW),
    # The three administrators hold their own right and nothing of the business: the county
    # administrator no longer manages accounts nor reads the trail (issue 8, 三员分立).
    Role.SYSTEM_ADMIN: ["organizations.view_organization", "accounts.manage_users"],
    Role.SECURITY_ADMIN: ["accounts.manage_security_policy"],
    Role.AUDIT_ADMIN: ["audit.view_auditevent", "audit.export_auditevent"],
}

# What each separated administrator reads through the scoping chokepoint (app_label.model);
# every other model answers nothing to it, whatever its organization (core.scoping.add_read_limit).
ADMIN_READS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset({"accounts.user", "organizations.organization"}),
    Role.SECURITY_ADMIN: frozenset({"accounts.user"}),
    # The tree's names only, to tell where a row of the trail belongs; no people, no cases.
    Role.AUDIT_ADMIN: frozenset({"audit.auditevent", "organizations.organization"}),
}
# The apps whose pages a separated administrator may open (their views check the right
# itself); the pages of every other app of this project answer 403 (accounts.separation).
ADMIN_APPS = frozenset({"accounts", "audit", "core", "dashboard"})


# The right that only that administrator's role grants: whoever holds it is that
# administrator. Read from the permissions Django caches per request anyway, so telling
# the administrators apart costs no query.
ADMIN_MARKS = {
    Role.SYSTEM_ADMIN: "accounts.manage_users",
    Role.SECURITY_ADMIN: "accounts.manage_security_policy",
    Role.AUDIT_ADMIN: "audit.export_auditevent",
}


def separated_role(user: object) -> str | None:
    """The separated administrator's role `user` holds, if any (a superuser and the system actor hold none)."""
    if getattr(user, "is_superuser", False) or not hasattr(user, "get_all_permissions"):
        return None
    perms = user.get_all_permissions()
    return next((role for role, mark in ADMIN_MARKS.items() if mark in perms), None)


def sync_roles(*args: Any, **kwargs: Any) -> None:
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name: dict[str, Permission] = {}
    for perm in Permission.objects.select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    if not wanted <= set(by_name):
        return  # Not every app is migrated yet; the last post_migrate call completes it.
    for code, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=code)
        group.permissions.set([by_name[p] for p in perms])
