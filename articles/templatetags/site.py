import functools
import json

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from articles.content import addresses
from articles.publish import metadata

register = template.Library()

# As Django's json_script does: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def site_name(site=None):
    """The clinic's name where one is set, else the site's neutral name (also where a template gets no context)."""
    return metadata.site_name(site)


@register.simple_tag
def address(name, *args):
    """Django's {% url %}, remembered (addresses.reverse): a page names some ten addresses, the
    same on every page of its guide, and working each out again took a fifth of its rendering."""
    return addresses.reverse(name, args)


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
    return _nav_link(url, type(url), label, type(label), css_class, url == context.get("current_url"))


@functools.lru_cache(maxsize=4096)
def _nav_link(url, url_type, label, label_type, css_class, current):
    """What format_html made, remembered: a page of a large library has some thirty of these,
    the same on every page of its guide but one. The types keep a string marked safe apart
    from an equal one that must be escaped."""
    class_attr = f' class="{conditional_escape(css_class)}"' if css_class else ""
    if current:
        return mark_safe(f'<span{class_attr} aria-current="page">{conditional_escape(label)}</span>')
    return mark_safe(f'<a{class_attr} href="{conditional_escape(url)}">{conditional_escape(label)}</a>')
