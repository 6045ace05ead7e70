from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from zhengdun.api.auth import BrowserSession, TokenAuth
from zhengdun.core.errors import ServiceError

api = NinjaAPI(
    title="整顿提升工作管理系统 API",
    version="1",
    description="所有数据按账号的管辖范围过滤：范围之外的对象一律返回 404。",
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "errors": exc.errors}, status=exc.status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "不存在或无权访问"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或访问令牌无效"}, status=401)
