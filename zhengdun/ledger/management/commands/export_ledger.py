"""python manage.py export_ledger --campaign ID --org CODE --out FILE.xlsx [--as USERNAME] [--all]"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from zhengdun.accounts.models import User
from zhengdun.campaigns.models import Campaign
from zhengdun.core import context
from zhengdun.core.errors import ServiceError
from zhengdun.core.scoping import get_object_or_404
from zhengdun.core.system import SYSTEM
from zhengdun.ledger.selectors import Listing
from zhengdun.ledger.services import ledger_export
from zhengdun.organizations.models import Organization

ERR_CAMPAIGN = "找不到编号为 {id} 的整顿工作（或不在该账号的管辖范围内）"
ERR_ORG = "找不到编码为“{code}”的组织（或不在该账号的管辖范围内）"
ERR_USER = "找不到可用的账号“{username}”"
ERR_WRITE = "无法写入文件 {path}：{reason}"
ERR_SUFFIX = "输出文件名应以 .xlsx 结尾：{path}"
DONE = "已导出台账：{path}（{rows} 个组织）"


class Command(BaseCommand):
    help = "导出后进基层党组织情况汇总表（台账，.xlsx）；导出记入审计日志。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, required=True, help="整顿工作编号")
        parser.add_argument("--org", required=True, help="填表单位的组织编码：导出该组织及其下级")
        parser.add_argument("--out", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--as", dest="username", help="以该账号的身份和管辖范围导出；不填则以系统身份导出")
        parser.add_argument("--all", action="store_true", help="包括已销号、巩固提升的组织（默认只导出当前在册的）")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(ERR_SUFFIX.format(path=out))
        actor = self._actor(options["username"])
        try:
            campaign = get_object_or_404(Campaign.objects.select_related("scope"), actor, pk=options["campaign"])
        except Http404:
            raise CommandError(ERR_CAMPAIGN.format(id=options["campaign"])) from None
        try:
            org = get_object_or_404(Organization.objects.all(), actor, code=options["org"])
        except Http404:
            raise CommandError(ERR_ORG.format(code=options["org"])) from None
        listing = Listing.ALL if options["all"] else Listing.CURRENT
        # Refuse an unwritable path before the export is built and audited.
        self._check_writable(out)
        try:
            with context.acting_as(user=actor if isinstance(actor, User) else None):
                export = ledger_export(actor=actor, campaign=campaign, under=org, listing=listing)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        try:
            out.write_bytes(export.data)
        except OSError as exc:
            raise CommandError(ERR_WRITE.format(path=out, reason=exc.strerror or exc)) from None
        self.stdout.write(DONE.format(path=out, rows=len(export.ledger.rows)))

    def _actor(self, username: str | None) -> Any:
        if not username:
            return SYSTEM
        user = User.objects.filter(username=username, is_active=True).select_related("organization").first()
        if user is None:
            raise CommandError(ERR_USER.format(username=username))
        return user

    def _check_writable(self, out: Path) -> None:
        parent = out.parent if str(out.parent) else Path(".")
        if not parent.is_dir():
            raise CommandError(ERR_WRITE.format(path=out, reason="目录不存在"))
        if out.is_dir():
            raise CommandError(ERR_WRITE.format(path=out, reason="该路径是一个目录"))
        if not os.access(out if out.exists() else parent, os.W_OK):
            raise CommandError(ERR_WRITE.format(path=out, reason="没有写入权限"))
