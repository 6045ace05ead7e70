"""Supporting departments (联建部门). The people assigned (联系领导, 第一书记, …)
are organizations.Post rows with one of organizations.choices.ASSIGNMENT_ROLES."""

from __future__ import annotations

from django.db import models

from zhengdun.organizations.models import Organization, Person


class SupportUnit(models.Model):
    """A department paired with an organization to help it (联建部门)."""

    organization = models.ForeignKey(
        Organization, verbose_name="帮扶对象", on_delete=models.CASCADE, related_name="support_units"
    )
    unit_name = models.CharField("联建部门", max_length=100)
    head = models.ForeignKey(
        Person, verbose_name="部门主要领导", null=True, blank=True, on_delete=models.PROTECT, related_name="led_support_units"
    )
    started_on = models.DateField("联建起始", null=True, blank=True)
    ended_on = models.DateField("联建截止", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_path = "organization__path"

    class Meta:
        verbose_name = "联建部门"
        verbose_name_plural = "联建部门"
        ordering = ["organization_id", "-started_on"]

    def __str__(self) -> str:
        return f"{self.unit_name} → {self.organization}"
