from django.urls import path, register_converter

from articles import views


class PageSlugConverter:
    """Lowercase words joined by hyphens, the only shape a page address has."""

    regex = "[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class QrKindConverter(PageSlugConverter):
    regex = "svg|png"


register_converter(PageSlugConverter, "page")
register_converter(QrKindConverter, "qr")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("card.png", views.card, name="home_card"),
    path("<page:guide_slug>/card.png", views.card, name="guide_card"),
    path("privacy/", views.privacy, name="privacy"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("<page:guide_slug>/", views.guide_page, name="guide"),
    path("<page:guide_slug>/print/", views.handout, name="handout"),
    path("<page:guide_slug>/print/summary/", views.summary_handout, name="summary_handout"),
    path("<page:guide_slug>/print/paper.css", views.paper_css, name="paper_css"),
    path("<page:guide_slug>/qr.<qr:kind>", views.qr, name="guide_qr"),
    path("<page:guide_slug>/<page:page_slug>/", views.guide_page, name="page"),
    path("<page:guide_slug>/<page:page_slug>/qr.<qr:kind>", views.qr, name="page_qr"),
]
