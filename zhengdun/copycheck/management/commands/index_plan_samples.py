"""python manage.py index_plan_samples [--plans]

Indexes the shipped sample plans (copycheck/seed_texts/*.txt) for copy detection.
Copy detection also does this by itself the first time it finds no sample in
the index, so the command is for after the sample files or the text
normalisation change. The index is derived data: nothing is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhengdun.copycheck.index import index_plan, index_shipped_samples
from zhengdun.copycheck.models import Fingerprint
from zhengdun.plans.models import Plan

DONE_SAMPLES = "已建立范本索引：{names}"
DONE_PLANS = "已重建 {count} 份方案的索引"


class Command(BaseCommand):
    help = "为方案雷同比对建立系统范本的索引；--plans 同时重建已建索引的方案。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plans", action="store_true", help="同时按现有文本重建所有已建索引方案的索引")

    def handle(self, *args: Any, **options: Any) -> None:
        names = index_shipped_samples()
        self.stdout.write(DONE_SAMPLES.format(names="、".join(names) or "无"))
        if options["plans"]:
            plans = Plan.objects.filter(pk__in=Fingerprint.objects.filter(plan__isnull=False).values("plan_id")).select_related(
                "case__organization__parent"
            )
            count = 0
            for plan in plans.iterator(chunk_size=500):
                index_plan(plan)
                count += 1
            self.stdout.write(DONE_PLANS.format(count=count))
