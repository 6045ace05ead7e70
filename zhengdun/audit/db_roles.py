"""PostgreSQL roles: migrations run as the owner of the tables, the application as a
separate role that can neither alter, disable or drop the audit triggers (only an
owner or a superuser can) nor truncate or update the audit table.

`manage.py grant_app_role ROLE`, run as the owner after every migrate, gives ROLE what
the application needs; `manage.py check_db_roles`, run with the application's
DATABASE_URL, says what is wrong with the role it connects as.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from zhengdun.audit.guard import AUDIT_TABLE

SUPERUSER = "数据库账号 {user} 是超级用户：它能停用或删除审计表的触发器；应用应以单独的普通账号连接（README“PostgreSQL 账号”）"
OWNER = "数据库账号 {user} 是审计表 {table} 的所有者或属于所有者角色 {owner}：它能修改、停用或删除审计表的触发器"
PRIVILEGE = "数据库账号 {user} 对审计表 {table} 有 {privilege} 权限（{meaning}）：应只有 SELECT 和 INSERT"
NO_TABLE = "数据库中没有审计表 {table}：先以所有者账号运行 manage.py migrate"
PRIVILEGES = {
    "TRUNCATE": "能清空审计表",
    "UPDATE": "能改写审计记录",
    "TRIGGER": "能在审计表上建触发器",
    "REFERENCES": "能引用审计表",
}
ROLE_MISSING = "数据库中没有角色 {role}：先以 CREATE ROLE {role} LOGIN PASSWORD '…' 建立"


def problems(connection: BaseDatabaseWrapper) -> list[str]:
    """What the role of `connection` can do to the audit trail that it should not (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, r.rolsuper, t.tableowner FROM pg_roles r"
            " LEFT JOIN pg_tables t ON t.tablename = %s AND t.schemaname = current_schema()"
            " WHERE r.rolname = current_user",
            [AUDIT_TABLE],
        )
        user, superuser, owner = cursor.fetchone()
        if owner is None:
            return [NO_TABLE.format(table=AUDIT_TABLE)]
        if superuser:
            return [SUPERUSER.format(user=user)]
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [owner])
        found = [OWNER.format(user=user, table=AUDIT_TABLE, owner=owner)] if cursor.fetchone()[0] else []
        for privilege, meaning in PRIVILEGES.items():
            cursor.execute("SELECT has_table_privilege(current_user, %s, %s)", [AUDIT_TABLE, privilege])
            if cursor.fetchone()[0]:
                found.append(PRIVILEGE.format(user=user, table=AUDIT_TABLE, privilege=privilege, meaning=meaning))
    return found


def grant_app_role(connection: BaseDatabaseWrapper, role: str) -> None:
    """Run as the owner: `role` may read and write every table, but only read and append the audit trail."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise ValueError(ROLE_MISSING.format(role=role))
        name, table = connection.ops.quote_name(role), connection.ops.quote_name(AUDIT_TABLE)
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {name}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name}",
            f"REVOKE ALL ON {table} FROM {name}",
            f"GRANT SELECT, INSERT ON {table} TO {name}",
        ):
            cursor.execute(statement)
