"""A clinic's SVG logo, reduced to plain drawing: no script, no links, no styles, nothing fetched."""

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
ELEMENTS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "title"}
ATTRIBUTES = {
    "viewBox", "width", "height", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "points",
    "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "fill-rule", "clip-rule", "transform",
    "font-size", "font-weight", "text-anchor", "opacity", "fill-opacity", "stroke-opacity",
}  # fmt: skip


def sanitise_svg(markup):
    """The drawing's allowed elements and attributes, serialised again; ValueError if it is not SVG."""
    if "<!DOCTYPE" in markup or "<!ENTITY" in markup:
        raise ValueError("it declares a DOCTYPE or entities")
    try:
        root = ET.fromstring(markup)
    except ET.ParseError as error:
        raise ValueError(f"it is not valid SVG: {error}") from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ValueError("its outer element is not <svg>")
    cleaned = _clean(root)
    cleaned.set("xmlns", SVG_NS)
    return ET.tostring(cleaned, encoding="unicode")


MAX_DEPTH = 32


def _allowed(key, value):
    """An allowed attribute that refers to nothing outside the drawing (url(#id) only)."""
    if key not in ATTRIBUTES:
        return False
    references = re.findall(r"url\(\s*['\"]?([^)'\"]*)", value, re.IGNORECASE)
    return all(reference.startswith("#") for reference in references) and "\\" not in value


def _clean(element, depth=0):
    """A copy of `element` with only allowed attributes and children, named without the namespace."""
    if depth > MAX_DEPTH:
        raise ValueError(f"it nests shapes more than {MAX_DEPTH} deep")
    name = element.tag.split("}")[1]
    kept = ET.Element(name, {key: value for key, value in element.attrib.items() if _allowed(key, value)})
    if name == "svg":
        kept.set("aria-hidden", "true")
        kept.set("focusable", "false")
    kept.text = element.text
    for child in element:
        if child.tag.startswith(f"{{{SVG_NS}}}") and child.tag.split("}")[1] in ELEMENTS:
            cleaned = _clean(child, depth + 1)
            cleaned.tail = child.tail
            kept.append(cleaned)
    return kept
