from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Patient guides"

    def ready(self):
        from articles import system_checks  # noqa: F401  (registers the content checks)
