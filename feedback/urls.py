from django.urls import path, re_path

from feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.receive, name="receive"),
    path("thanks/<path:page>", views.thanks, name="thanks"),
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),  # [\s\S]: a line break in the address too
]
