from django.urls import path

from zhengdun.accounts.security import views

# Part of the accounts namespace (accounts/urls.py adds them).
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/end/", views.session_end, name="session_end"),
    path("security/policy/", views.security_policy, name="security_policy"),
]
