from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from zhengdun.api import assignments, campaigns, cases, ledger, organizations, people, screening, tasks
from zhengdun.api.auth import BrowserSession, TokenAuth
from zhengdun.core.errors import ServiceError

api = NinjaAPI(
    title="整顿提升工作管理系统 API",
    version="1",
    description=(
        "所有数据按账号的管辖范围过滤：范围之外的对象一律返回 404。"
        "认证：在请求头中携带 `Authorization: Bearer <访问令牌>`（用 `manage.py create_token` 或“访问令牌”页面生成）。"
        "列表接口用 `limit`/`offset` 分页，每页最多 200 条。"
    ),
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
)
api.add_router("/", organizations.router)
api.add_router("/", people.router)
api.add_router("/", campaigns.router)
api.add_router("/", cases.router)
api.add_router("/", ledger.router)
api.add_router("/", assignments.router)
api.add_router("/", screening.router)
api.add_router("/", tasks.router)
api.add_router("/", "zhengdun.api.similarity.router")
api.add_router("/", "zhengdun.api.public.router")
api.add_router("/", "zhengdun.api.plans.router")
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


def _field_error(error: dict[str, Any]) -> str:
    # ("body", "payload", "name") -> "name": the caller knows its own body.
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload"))
    return f"{where}: {error.get('msg', '')}" if where else str(error.get("msg", ""))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Same body shape as a refused service call, so clients read one "detail".
    return api.create_response(
        request, {"detail": "请求数据不完整或格式不正确", "errors": [_field_error(e) for e in exc.errors]}, status=422
    )
