"""Every message the roster import shows, in one place; tests assert on them."""

from zhengdun.organizations.services import ERR_CODE_UNAVAILABLE, ERR_DUPLICATE_NAME, ERR_NAME_INVISIBLE
from zhengdun.organizations.services import ERR_OWN_ROOT as ERR_OWN_ROOT  # a township renames not its own root

# The file as a whole. Its size and repeated or missing columns are worded as
# for every upload, in core/xlsx_reading.py.
ERR_NOT_XLSX = "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可下载导入模板填写）"
ERR_NO_HEADER = "找不到表头：第一张工作表的前 {rows} 行中应有“组织编码”“组织名称”“上级组织”等列"
ERR_NO_ROWS = "文件中没有要导入的数据行"
ERR_TOO_MANY_ROWS = "一次最多导入 {limit} 行，请分批导入"
ERR_YEAR = "年度应在 {low} 至 {high} 之间"
ERR_NOT_PERMITTED = "您没有导入组织名册的权限"
ERR_REJECTED = "名册中有 {n} 处错误，未导入任何数据，请修改后重新导入"

# One row.
ERR_CODE_REQUIRED = "组织编码不能为空"
ERR_CODE_FORMAT = "组织编码“{code}”格式不正确：只能由字母、数字、下划线或连字符组成，最长 32 位"
ERR_CODE_REPEATED = "组织编码“{code}”与第 {other} 行重复"
ERR_NAME_REQUIRED = "组织名称不能为空"
ERR_NAME_TOO_LONG = "组织名称不能超过 {limit} 个字"
ERR_NAME_HIDDEN_CHARACTERS = ERR_NAME_INVISIBLE
ERR_NAME_REPEATED = "上级组织“{parent}”下的组织名称“{name}”与第 {other} 行重复"
ERR_NAME_TAKEN = ERR_DUPLICATE_NAME
ERR_PARENT_REQUIRED = "上级组织不能为空"
ERR_PARENT_UNKNOWN = "找不到上级组织“{parent}”：请填写已有组织或本表中组织的编码或全称"
ERR_PARENT_AMBIGUOUS = "上级组织名称“{parent}”对应多个组织，请改填组织编码"
ERR_PARENT_SELF = "上级组织不能是它自己"
ERR_PARENT_OUT_OF_SCOPE = "上级组织“{parent}”不在您的管辖范围内"
ERR_CYCLE = "上级组织关系形成循环：{chain}"
# A code or parent outside the importer's subtree is answered as if it did not exist there:
# the import must not confirm what the rest of the tree holds.
ERR_CODE_TAKEN_ELSEWHERE = ERR_CODE_UNAVAILABLE
ERR_MOVE = "组织“{name}”现属“{current}”，导入不调整隶属关系；如需调整，请在组织页面使用“调整隶属”功能"
ERR_KIND_UNKNOWN = "组织类型“{value}”无效，可选：{choices}"
ERR_DOMAIN_UNKNOWN = "所属领域“{value}”无效，可选：{choices}"
ERR_COUNT_NOT_INT = "{label}应为整数，现为“{value}”"
ERR_COUNT_NEGATIVE = "{label}不能为负数"
ERR_INCOME_NOT_NUMBER = "集体经济收入应为以万元计的数字，现为“{value}”"
ERR_INCOME_NEGATIVE = "集体经济收入不能为负数"
ERR_INCOME_TOO_LARGE = "集体经济收入数值过大"
ERR_PHONE = "书记电话“{value}”格式不正确，应为 11 位手机号或带区号的固定电话"
ERR_PHONE_WITHOUT_NAME = "填写了书记电话，但没有填写书记姓名"
ERR_SECRETARY_NAME_TOO_LONG = "书记姓名不能超过 {limit} 个字"

# Summaries.
SUMMARY = "新建 {created} 个，修改 {updated} 个，未变 {unchanged} 个"
DONE = "导入完成：" + SUMMARY
DRY_RUN = "试导入，未写入任何数据：" + SUMMARY
ROWS_LEFT_OUT = "另有 {n} 行变更未在此列出；确认导入将写入全部变更（可用 manage.py import_orgs --dry-run 列出每一行）"
ERRORS_LEFT_OUT = "另有 {n} 处错误未在此列出，请先修改以上错误后重新上传"
NOTHING_TO_DO = "名册与系统中的数据一致，无需导入"
NOTE_IMPORT = "导入组织名册“{file}”（{year} 年度集体经济收入）：" + SUMMARY
