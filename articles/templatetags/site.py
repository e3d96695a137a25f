import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.publish import metadata

register = template.Library()

# As Django's json_script does: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def site_name(site=None):
    """The clinic's name where one is set, else the site's neutral name (also where a template gets no context)."""
    return metadata.site_name(site)


@register.filter
def ld_json(data):
    """A schema.org JSON-LD block. Data, not script: the CSP does not apply to it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def nav_link(context, url, label, css_class=""):
    """A link, or on the page it points to, the same words marked as the current page.

    A link to the page you are on only reloads it: patients read it as broken.
    """
    class_attr = format_html(' class="{}"', css_class) if css_class else ""
    if url == context.get("current_url"):
        return format_html('<span{} aria-current="page">{}</span>', class_attr, label)
    return format_html('<a{} href="{}">{}</a>', class_attr, url, label)
