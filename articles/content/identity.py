"""The clinic's own details, from content/site.yaml: who publishes the guide and how to reach them.

Without the file, a neutral identity that names no clinic and makes no claim.
"""

import re
from dataclasses import dataclass

from articles.content import frontmatter as fm
from articles.content.problems import ContentError, Problem

SITE_FIELDS = {
    "organisation": fm.Field(fm.text, True, "Riverside Dental Clinic"),
    "phone": fm.Field(fm.phone, True, '"020 7946 0000"'),
    # Words beside the number ("option 2", "weekdays 9 to 5"): never part of what is dialled.
    "phone_note": fm.Field(fm.text, False, "option 2"),
    "address": fm.Field(fm.text, False, "1 High Street, Riverside"),
    "website": fm.Field(fm.web_address, False, "https://riverside.example"),
    "emergency_advice": fm.Field(fm.text, True, "In an emergency, call 999 or go to A&E."),
    # The emergency number to call, in the clinic's country: a tap-to-call link in every urgent callout.
    "emergency_phone": fm.Field(fm.emergency_phone, False, '"999"'),
    "privacy_contact": fm.Field(fm.text, True, "privacy@riverside.example"),
    # How long the server's logs are kept, said on the privacy page.
    "log_retention": fm.Field(fm.text, False, "30 days"),
    "logo": fm.Field(fm.text, False, "logo.svg"),
    # Said on the About page; when absent, it says the publisher has not stated them.
    "funding": fm.Field(fm.text, False, "Paid for by Riverside Dental Clinic; no outside funding."),
    "conflicts_of_interest": fm.Field(fm.text, False, "The clinic offers Botox treatment for jaw pain."),
}


# Ends every "urgent" callout when the clinic has not given its own advice.
DEFAULT_EMERGENCY_ADVICE = "Call your local emergency number now."


@dataclass(frozen=True)
class Site:
    organisation: str = ""
    phone: str = ""
    phone_note: str = ""
    address: str = ""
    website: str = ""
    emergency_advice: str = DEFAULT_EMERGENCY_ADVICE
    emergency_phone: str = ""
    privacy_contact: str = ""
    log_retention: str = ""
    logo: str = ""  # sanitised SVG markup
    funding: str = ""
    conflicts_of_interest: str = ""

    @property
    def phone_link(self):
        """The phone number as a tel: address: exactly the digits shown (and a leading +), for a tap to call."""
        return tel_link(self.phone)

    @property
    def named(self):
        """Whether a clinic has set its details (else the site names nobody)."""
        return bool(self.organisation)


def tel_link(number):
    """A phone number as a tel: address (digits and a leading +), for a tap to call. In "+44 (0)20 ...",
    the (0) is what a caller inside the country dials instead of +44: after a country code it is left out."""
    if number.lstrip().startswith("+"):
        number = re.sub(r"\(\s*0\s*\)", "", number)
    return "tel:" + "".join(char for char in number if char.isdigit() or char == "+")


def load_site(path, site=None):
    """The Site described by site.yaml, or ContentError saying what is wrong.

    Called like a page loader (loading.load_files), in a child process with a time limit.
    """
    from articles.content.files import read_bounded

    values, problems = fm.validate(fm.read_mapping(read_bounded(path), path), SITE_FIELDS, path)
    logo_name = values.pop("logo", "")
    if logo_name:
        logo, found = _load_logo(path.parent / logo_name, path)
        problems += found
        values["logo"] = logo
    if problems:
        raise ContentError(problems)
    return Site(**values)


def _load_logo(logo_path, site_path):
    from articles.content.files import read_bounded
    from articles.content.svg import sanitise_svg

    if logo_path.suffix != ".svg" or logo_path.parent != site_path.parent:
        return "", [
            Problem(site_path, "'logo' should name an .svg file beside site.yaml", "e.g. logo: logo.svg", None, "logo")
        ]
    try:
        markup = sanitise_svg(read_bounded(logo_path, 64 * 1024))
    except FileNotFoundError:
        return "", [
            Problem(
                site_path, f"the logo file '{logo_path.name}' does not exist", "put it beside site.yaml", None, "logo"
            )
        ]
    except (ContentError, ValueError) as error:
        return "", [Problem(logo_path, f"cannot be used as a logo ({error})", "save it as a plain SVG drawing")]
    return markup, []
