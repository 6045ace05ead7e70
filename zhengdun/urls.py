from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhengdun.api.urls import api
from zhengdun.core import views as core_views
from zhengdun.notices import urls as notice_urls

urlpatterns = [
    path("", include("zhengdun.dashboard.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", include("zhengdun.accounts.second_factor.urls")),
    path("accounts/", include("zhengdun.accounts.urls")),
    path("orgs/import/", include("zhengdun.roster.urls")),
    path("orgs/", include("zhengdun.support.urls")),
    path("orgs/", include("zhengdun.organizations.urls")),
    path("campaigns/", include("zhengdun.campaigns.urls")),
    path("cases/", include("zhengdun.identification.urls")),
    path("cases/", include("zhengdun.cases.urls")),
    path("screening/", include("zhengdun.screening.urls")),
    path("plans/", include("zhengdun.plans.urls")),
    path("plans/", include("zhengdun.rectification.urls")),
    path("plans/", include("zhengdun.notices.urls")),
    path("plans/", include("zhengdun.copycheck.urls")),
    path("p/", include((notice_urls.public_urlpatterns, "public"))),
    path("audit/", include("zhengdun.audit.urls")),
    path("ledger/", include("zhengdun.ledger.urls")),
    path("jobs/", include("zhengdun.core.jobs.urls")),
    path("api/v1/", api.urls),
]
