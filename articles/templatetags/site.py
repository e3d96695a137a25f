from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name():
    """The site's name, even where a template gets no context (the 500 page)."""
    return settings.SITE_NAME
