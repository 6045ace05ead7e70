from django.urls import path

from zhengdun.accounts import token_views

urlpatterns: list = [
    path("", token_views.tokens, name="tokens"),
    path("<int:token_id>/revoke/", token_views.token_revoke_view, name="token_revoke"),
]
