from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhengdun.api.urls import api
from zhengdun.core import views as core_views

urlpatterns = [
    path("", include("zhengdun.dashboard.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("zhengdun.accounts.urls")),
    path("orgs/", include("zhengdun.organizations.urls")),
    path("campaigns/", include("zhengdun.campaigns.urls")),
    path("cases/", include("zhengdun.cases.urls")),
    path("screening/", include("zhengdun.screening.urls")),
    path("plans/", include("zhengdun.plans.urls")),
    path("p/", include("zhengdun.plans.public_urls")),
    path("audit/", include("zhengdun.audit.urls")),
    path("ledger/", include("zhengdun.ledger.urls")),
    path("api/v1/", api.urls),
]
