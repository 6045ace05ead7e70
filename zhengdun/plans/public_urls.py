"""Public addresses under /p/: short, because they are printed as QR codes."""

from django.urls import path

from zhengdun.plans import public_views

app_name = "public"
urlpatterns = [
    path("<slug:token>/", public_views.plan_page, name="plan"),
    path("<slug:token>/qr.svg", public_views.qr_code, name="qr"),
]
