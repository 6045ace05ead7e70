"""`manage.py demo --seed N`: build the demo county (see zhengdun/demo/)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhengdun.accounts.roles import Role
from zhengdun.core.scoping import subtree_q
from zhengdun.demo.builder import PASSWORD, DemoResult, build_demo
from zhengdun.demo.plan import DEFAULT_TOWNSHIPS, DEFAULT_VILLAGES_PER_TOWNSHIP, DemoError, make_plan
from zhengdun.notices.models import PlanNotice
from zhengdun.organizations.choices import Level
from zhengdun.organizations.models import Organization

ROLE_LABELS = dict(Role.choices)


class Command(BaseCommand):
    help = "生成演示数据：一个县、约 14 个乡镇（街道）、约 220 个村（社区）党组织及演示账号（可重复运行，不会重复创建）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="随机种子，相同种子生成相同数据（默认 1）")
        parser.add_argument("--townships", type=int, default=DEFAULT_TOWNSHIPS, help="乡镇（街道）数，2—18（默认 14）")
        parser.add_argument(
            "--villages-per-township", type=int, default=DEFAULT_VILLAGES_PER_TOWNSHIP, help="每个乡镇平均村（社区）数（默认 16）"
        )
        parser.add_argument("--reset-passwords", action="store_true", help=f"把已存在的演示账号密码重设为 {PASSWORD}")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = make_plan(
                seed=options["seed"],
                today=timezone.localdate(),
                townships=options["townships"],
                villages_per_township=options["villages_per_township"],
            )
            result = build_demo(plan, reset_passwords=options["reset_passwords"])
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self._report(plan.county_code, result, reset=options["reset_passwords"])

    def _report(self, county_code: str, result: DemoResult, *, reset: bool) -> None:
        out = self.stdout
        if result.anything_created:
            out.write(self.style.SUCCESS(f"已生成演示数据：{result.summary()}"))
        else:
            out.write(self.style.WARNING("演示数据已存在，未重复创建"))
        county = Organization.objects.filter(code=county_code).first()
        if county is not None:
            subtree = Organization.objects.filter(subtree_q(county.path))
            towns = subtree.filter(level=Level.TOWNSHIP).count()
            villages = subtree.filter(level=Level.VILLAGE).count()
            out.write(f"{county.name}：乡镇（街道）{towns} 个，村（社区）{villages} 个")
        if result.campaign_name:
            out.write(f"整顿工作：{result.campaign_name}")
        if result.skipped:
            out.write(self.style.WARNING(f"因同名或已被占用而跳过：{'、'.join(result.skipped)}"))
        if county is not None:
            published = PlanNotice.objects.filter(
                subtree_q(county.path, "plan__case__organization__path"), published_at__isnull=False
            )
            sample = published.order_by("plan__case__organization__path").first()
            if sample is not None:
                out.write(f"公示中的整顿方案 {published.count()} 个，例如（无需登录）：/p/{sample.token}/")
        out.write("演示账号：")
        for user in result.users:
            roles = "、".join(ROLE_LABELS.get(code, code) for code in user.groups.values_list("name", flat=True))
            org = user.organization.name if user.organization else "—"
            out.write(f"  {user.username:<11} {user.display_name}（{roles}，{org}）")
        if result.new_users or reset:
            out.write(f"密码均为 {PASSWORD}")
        else:
            out.write("账号已存在，密码未改动（如需重设请加 --reset-passwords）")
        if result.second_factor:
            out.write(
                "管理员账号登录时还需双因素认证：把密钥输入身份验证器（或运行 oathtool --totp -b 密钥），"
                "或使用一个恢复码（每个只能用一次）："
            )
            for username, (secret, codes) in result.second_factor.items():
                out.write(f"  {username:<11} 密钥 {secret}")
                out.write(f"  {'':<11} 恢复码 {' '.join(codes)}")
