from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from treebeard.mp_tree import MP_Node

from zhengdun.core.scoping import PATH_ALPHABET, STEPLEN
from zhengdun.organizations.choices import Domain, Kind, Level, PostRole

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

# Posts that extend a user's scope to the organization they are held on.
LINKING_ROLES = (PostRole.CONTACT_LEADER, PostRole.CONTACT_LEADER_DEPUTY)


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value):
        raise ValidationError("电话号码格式不正确，应为 11 位手机号或带区号的固定电话")


ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
# GB 11643-1999: the 18th character is a check over the first 17 digits (ISO 7064 MOD 11-2).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ERR_ID_NUMBER = "身份证号不正确：应为 18 位（最后一位可为 X），且校验位须符合 GB 11643"


def id_number_valid(value: str) -> bool:
    value = value.strip().upper()
    if not ID_NUMBER_RE.match(value):
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11] == value[17]


def validate_id_number(value: str) -> None:
    if value and not id_number_valid(value):
        raise ValidationError(ERR_ID_NUMBER)


def validate_code(value: str) -> None:
    if not CODE_RE.match(value):
        raise ValidationError("组织编码只能由字母、数字、下划线或连字符组成，最长 32 位")


class Organization(MP_Node):
    """A Party organization. The tree is a materialized path (treebeard MP):
    a subtree is a range of paths (core.scoping.subtree_q), one indexed query at any depth."""

    steplen = STEPLEN
    alphabet = PATH_ALPHABET

    code = models.CharField("组织编码", max_length=32, unique=True, validators=[validate_code])
    # Mirrors the path's parent so lists show "上级组织" with a join; only the
    # services in organizations/services.py write it, together with the path.
    parent = models.ForeignKey(
        "self", verbose_name="上级组织", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField("组织名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=Level.choices, default=Level.VILLAGE)
    kind = models.CharField("组织类型", max_length=20, choices=Kind.choices, default=Kind.BRANCH)
    domain = models.CharField("所属领域", max_length=16, choices=Domain.choices, default=Domain.RURAL)
    member_count = models.PositiveIntegerField("党员数", null=True, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_path = "path"

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        permissions = [
            ("move_organization", "调整组织隶属关系"),
            ("import_organizations", "导入组织名册"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen]


class Person(models.Model):
    """Someone who holds posts: a secretary, a first secretary, a county leader."""

    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    id_number = models.CharField("身份证号", max_length=18, blank=True, validators=[validate_id_number])
    unit = models.CharField("工作单位", max_length=100, blank=True)
    title = models.CharField("职务", max_length=100, blank=True)
    # The organization that keeps this person's record; it decides who may see it.
    organization = models.ForeignKey(Organization, verbose_name="所属组织", on_delete=models.PROTECT, related_name="people")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "organization__path"

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PostQuerySet(models.QuerySet["Post"]):
    def active(self, on: datetime.date | None = None) -> PostQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(started_on__isnull=True) | Q(started_on__lte=on)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


class Post(models.Model):
    """A person holding a role on an organization for a period."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="posts")
    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE, related_name="posts")
    role = models.CharField("岗位", max_length=32, choices=PostRole.choices)
    started_on = models.DateField("任职起始", null=True, blank=True)
    ended_on = models.DateField("任职截止", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = PostQuerySet.as_manager()
    scope_path = "organization__path"

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["organization_id", "role", "-started_on"]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_role_display()} {self.person}"

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "任职截止日期不能早于起始日期"})


class EconomyRecord(models.Model):
    """Collective economy income of one organization in one year (万元)."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE, related_name="economy")
    year = models.PositiveSmallIntegerField("年度")
    income_wan = models.DecimalField("集体经济收入（万元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    scope_path = "organization__path"

    class Meta:
        verbose_name = "集体经济收入"
        verbose_name_plural = "集体经济收入"
        ordering = ["organization_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="economy_one_per_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.income_wan} 万元"


class AnnualFigures(models.Model):
    """Yearly facts about an organization that warning signs are computed from."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE, related_name="annual_figures")
    year = models.PositiveSmallIntegerField("年度")
    new_members = models.PositiveIntegerField("当年发展党员数", null=True, blank=True)
    star_rating = models.PositiveSmallIntegerField(
        "星级评定", null=True, blank=True, validators=[MinValueValidator(0)], help_text="村级组织“星级化”考评星级（0—5）"
    )
    petitions = models.PositiveIntegerField("信访件数", null=True, blank=True)

    scope_path = "organization__path"

    class Meta:
        verbose_name = "年度情况"
        verbose_name_plural = "年度情况"
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="figures_one_per_year"),
            models.CheckConstraint(condition=models.Q(star_rating__lte=5), name="figures_star_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"
