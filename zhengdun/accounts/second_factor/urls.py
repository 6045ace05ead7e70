from django.urls import path

from zhengdun.accounts.second_factor import passkey_views, views

app_name = "second_factor"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("remove/", views.remove, name="remove"),
    path("passkeys/register/options/", passkey_views.register_options, name="passkey_register_options"),
    path("passkeys/register/", passkey_views.register, name="passkey_register"),
    path("passkeys/login/options/", passkey_views.login_options, name="passkey_login_options"),
    path("passkeys/login/", passkey_views.login, name="passkey_login"),
    path("passkeys/<int:pk>/remove/", passkey_views.remove, name="passkey_remove"),
]
