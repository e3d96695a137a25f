from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Patient guides"

    def ready(self):
        from . import checks  # noqa: F401  (registers the content checks)
