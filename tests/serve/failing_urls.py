"""The site's addresses with one more that fails, under an application path (as the feedback form
or the admin could fail), for the tests of the error page."""

from django.urls import path

from botox_info.urls import handler500, urlpatterns  # noqa: F401 (Django reads handler500 from here)


def fail(request):
    raise RuntimeError("a fault of the application")


urlpatterns = [path("feedback/fail/", fail), *urlpatterns]
