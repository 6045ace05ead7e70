from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from zhengdun.api.auth import BrowserSession, TokenAuth
from zhengdun.campaigns.api import router as campaigns_router
from zhengdun.core.errors import ServiceError
from zhengdun.screening.api import router as screening_router


class Utf8JSONRenderer(JSONRenderer):
    """JSON as UTF-8 text: Chinese is written as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="整顿提升工作管理系统 API",
    version="1",
    description=(
        "所有数据按账号的管辖范围过滤：范围之外的对象一律返回 404。"
        "认证：在请求头中携带 `Authorization: Bearer <访问令牌>`（用 `manage.py create_token` 或“访问令牌”页面生成）。"
        "列表接口用 `limit`/`offset` 分页，每页最多 200 条。"
    ),
    auth=[TokenAuth(), BrowserSession()],
    renderer=Utf8JSONRenderer(),
    urls_namespace="api",
)
api.add_router("/", "zhengdun.organizations.api.router")
api.add_router("/", campaigns_router)
api.add_router("/", "zhengdun.cases.api.router")
api.add_router("/", "zhengdun.identification.api.router")
api.add_router("/", "zhengdun.ledger.api.router")
api.add_router("/", "zhengdun.support.api.router")
api.add_router("/", screening_router)
api.add_router("/", "zhengdun.rectification.api.router")
api.add_router("/", "zhengdun.copycheck.api.router")
api.add_router("/", "zhengdun.notices.api.router")
api.add_router("/", "zhengdun.plans.api.router")
api.add_router("/", "zhengdun.dashboard.api.router")


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    body: dict[str, object] = {"detail": exc.message, "errors": exc.errors}
    if exc.remedy_url:
        body["remedy_url"] = exc.remedy_url
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "不存在或无权访问"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或访问令牌无效"}, status=401)


# pydantic's error types in Chinese; the placeholders are the error's context.
FIELD_MESSAGES: dict[str, str] = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）",
    "decimal_max_places": "小数位数过多（最多 {decimal_places} 位）",
    "decimal_whole_digits": "整数部分位数过多",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "date_parsing": "应为日期（yyyy-mm-dd）",
    "date_from_datetime_parsing": "应为日期（yyyy-mm-dd）",
    "date_from_datetime_inexact": "应为日期（yyyy-mm-dd）",
    "date_type": "应为日期（yyyy-mm-dd）",
    "datetime_parsing": "应为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）",
    "datetime_type": "应为日期时间（ISO 8601）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "value_error": "取值不正确",
}
FIELD_MESSAGE_FALLBACK = "格式不正确"


def _field_message(error: dict[str, Any]) -> str:
    template = FIELD_MESSAGES.get(str(error.get("type", "")), FIELD_MESSAGE_FALLBACK)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split("{", 1)[0].rstrip("：（ ") or FIELD_MESSAGE_FALLBACK


def _field_error(error: dict[str, Any]) -> str:
    # ("body", "payload", "name") -> "name": the caller knows its own body.
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload"))
    message = _field_message(error)
    return f"{where}: {message}" if where else message


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Same body shape as a refused service call, so clients read one "detail".
    return api.create_response(
        request, {"detail": "请求数据不完整或格式不正确", "errors": [_field_error(e) for e in exc.errors]}, status=422
    )
