from django.urls import path

from zhengdun.accounts import views
from zhengdun.accounts.second_factor import views as second_factor_views
from zhengdun.accounts.security import urls as security_urls

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="list"),
    path("users/new/", views.user_add, name="add"),
    path("users/<int:pk>/", views.user_edit, name="edit"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="unlock"),
    path("users/<int:pk>/second-factor/reset/", second_factor_views.reset, name="second_factor_reset"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
urlpatterns += security_urls.urlpatterns
