"""Every message the ledger shows, in one place; tests assert on them."""

# Choosing what to export.
ERR_OUTSIDE_CAMPAIGN = "组织“{org}”不在整顿工作“{campaign}”的范围内"
ERR_NOT_PERMITTED_VIEW = "您没有查看整顿对象台账的权限"
ERR_NOT_PERMITTED_UPLOAD = "您没有上传台账的权限"

# The uploaded file as a whole. Its size and repeated or missing columns are
# worded as for every upload, in core/xlsx_reading.py.
ERR_NOT_XLSX = "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可先下载台账，在其中填写）"
ERR_NO_HEADER = "找不到表头：第一张工作表的前 {rows} 行中应有“后进基层党组织名称”“上级党组织名称”“主要问题”“整改措施”等列"
ERR_NO_ROWS = "台账中没有数据行"
ERR_TOO_MANY_ROWS = "一次最多上传 {limit} 行，请分批上传"
ERR_OTHER_CAMPAIGN = "该台账下载自另一项整顿工作（“{other}”），与所选整顿工作不一致，未写入任何数据"
ERR_REJECTED = "台账中有 {n} 处问题（{detail}），未写入任何数据，请按行号修改后重新上传"
ERR_EXPIRED = "上传的台账已过期或不存在，请重新上传"
ERR_CHANGED_SINCE_PREVIEW = "预览之后，“{org}”的台账信息已被他人修改，未写入任何数据，请重新上传"

# One row: not matched to a listed organization.
ERR_NAME_REQUIRED = "后进基层党组织名称不能为空"
ERR_NOT_FOUND = "在您的管辖范围内找不到上级党组织为“{parent}”的“{name}”"
ERR_NOT_FOUND_NO_PARENT = "在您的管辖范围内找不到“{name}”"
ERR_NOT_LISTED = "“{name}”未被认定为本次整顿工作的整顿对象"
ERR_NOT_CURRENT = "“{name}”在本次整顿工作中的状态为“{state}”，不在当前台账中"

# One row: matched, but in conflict.
ERR_AMBIGUOUS = "“{name}”对应多个组织，请填写准确的上级党组织名称"
ERR_REPEATED = "与第 {other} 行是同一个党组织"
ERR_SECRETARY = "党组织书记姓名“{sheet}”与系统记录“{system}”不一致"
ERR_STALE = "下载台账之后，该组织的台账信息已被他人修改，请重新下载台账后再填写"
ERR_TOO_LONG = "{label}不能超过 {limit} 个字"
ERR_FORMULA = "“{label}”是公式或公式错误值，请改为文字（如需以 = 开头，请在前面加英文单引号 '）"

# Summaries.
SUMMARY = "修改 {changed} 个，未变 {unchanged} 个"
DONE = "台账已更新：" + SUMMARY
NOTHING_TO_DO = "台账与系统中的数据一致，无需更新"
NOTE_IMPORT = "上传台账“{file}”（{campaign}）：" + SUMMARY
NOTE_EXPORT = "导出台账（{campaign}，{unit}，{rows} 个组织，{phones}，{fmt}）"
PHONES_UNMASKED = "含完整电话号码"
PHONES_MASKED = "电话号码已脱敏"

# The export as a background job (more rows than EXPORT_JOB_ROWS).
JOB_LABEL = "导出台账：{campaign}，{unit}"
JOB_DONE = "已导出 {rows} 个组织（{phones}）"
JOB_STARTED = "台账共 {rows} 个组织，正在后台生成，完成后可在本页下载"
ERR_JOB_OWNER = "发起导出的账号已停用或已删除，导出未进行"
ERR_JOB_SCOPE = "整顿工作或组织已不在发起人的管辖范围内，导出未进行"
