"""The copy-detection index (derived from the texts, rebuilt at each
submission) and the result of the check stored at submission."""

from __future__ import annotations

from django.db import models


class Fingerprint(models.Model):
    """A plan's (or shipped sample's) hashed shingles, as of its last
    submission, and the text they came from, for the side-by-side page."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # Shipped sample plans (the seeds) are indexed too, under a name instead of a plan.
    sample = models.CharField(max_length=50, blank=True)
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Sorted unique 32-bit hashes, little-endian: scored against without parsing.
    hashes = models.BinaryField()
    text = models.TextField()

    def __str__(self) -> str:
        return f"fingerprint of {self.plan_id or self.sample}"


class Band(models.Model):
    """Locality-sensitive hash bands of each section of a text, for finding
    near copies with one indexed query instead of comparing against every plan."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    sample = models.CharField(max_length=50, blank=True)
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The band's number (2 hex digits) and its four MinHash values (32).
    bucket = models.CharField(max_length=34, db_index=True)

    def __str__(self) -> str:
        return f"{self.plan_id or self.sample} bucket {self.bucket}"


class SubmissionCheck(models.Model):
    """What the check found when the plan was last submitted: the plan or
    sample it is most like, the score and which sections were copied."""

    plan = models.OneToOneField("plans.Plan", verbose_name="方案", on_delete=models.CASCADE, related_name="copy_check")
    score = models.DecimalField("雷同程度", max_digits=4, decimal_places=3)
    source_plan = models.ForeignKey(
        "plans.Plan", verbose_name="雷同来源方案", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_sample = models.CharField("雷同来源范本", max_length=50, blank=True)
    # [{"key": field, "heading": ..., "share": "0.930"}] of the copied sections, in document order.
    sections = models.JSONField("照搬的部分", default=list)
    checked_at = models.DateTimeField("比对时间", auto_now=True)

    scope_path = "plan__case__organization__path"

    class Meta:
        verbose_name = "提交时雷同比对"
        verbose_name_plural = "提交时雷同比对"

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.score}"
