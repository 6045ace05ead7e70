from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    TRANSITION = "transition", "状态变更"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    # Reads of personal information in bulk: people lists, unmasked exports, documents and files downloaded.
    READ_PERSONAL = "read_personal", "查阅个人信息"
    DOWNLOAD = "download", "下载文件"
    # A signed-in user answered 403, or 404 on an object; a request with a bad API token.
    DENIED = "denied", "拒绝访问"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    PRUNE = "prune", "清理过期记录"


class AuditEvent(models.Model):
    """One append-only row per change; PostgreSQL refuses UPDATE and early DELETE.

    Rows form one hash chain in `seq` order (zhengdun/audit/chain.py): `hash` covers the
    row's content and `prev_hash`, the hash of the row before it.
    """

    # Set by the writer under the chain lock, so time follows `seq`; on PostgreSQL the
    # database refuses a time far from its own clock (guard.py).
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the record still says who it was after an account is gone,
    # and under the name it had then.
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    actor_display = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("动作", max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    # The organization the object hangs on, resolved when the row is written: the
    # trail is scoped through it, so when an organization moves to another township
    # its history moves with it (organizations are never deleted, hence PROTECT).
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The organization's path when the row was written: history, not used for scoping.
    org_path = models.CharField("当时的组织路径", max_length=255, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    client_ip = models.CharField("客户端地址", max_length=64, blank=True)
    seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True)
    prev_hash = models.CharField("前一条哈希", max_length=64, blank=True, db_default="")
    hash = models.CharField("哈希", max_length=64, blank=True, db_default="")

    scope_path = "organization__path"

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        permissions = [("export_auditevent", "导出审计记录")]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)


class AuditChainHead(models.Model):
    """The end of the chain: one row, locked by every writer so the chain stays linear."""

    seq = models.BigIntegerField("最后链序号", default=0)
    hash = models.CharField("最后哈希", max_length=64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"链头 {self.seq}"
