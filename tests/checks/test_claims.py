"""Every fact the guide adds to the source article names where it comes from.

The seed article's own facts are checked by test_facts.py. Each claim below was
added from an authoritative public page: the test finds the claim on the rendered
page (as a patient reads it) and that page's address in the page's Sources section.
Reword a claim here when you reword it on the page; never drop one without
dropping it from the page too.
"""

import re

import pytest

from articles.checks.readability import sentences
from tests.site_pages import GUIDE_PAGES

GUIDE = "/botox-jaw-pain/"

MACHADO = "https://doi.org/10.1016/j.jpain.2019.08.011"
UKTIS_LICENSED = "https://uktis.org/monographs/exposure-to-botulinum-toxin-in-pregnancy/"
UKTIS_BRANDS = "https://www.medicinesinpregnancy.org/Medicine--pregnancy/Botulinum-toxin/"
UKTIS_PREGNANCY = "https://www.medicinesinpregnancy.org/leaflets-a-z/botox-botulinum-toxin/"
NIDCR = "https://nidcr.nih.gov/health-info/tmd/summary-treatment-temporomandibular-disorders-tmds-text-alternative"
NHS_TMD = "https://www.nhs.uk/conditions/temporomandibular-disorder-tmd/"
NHS_GRINDING = "https://www.nhs.uk/conditions/teeth-grinding/"
NHS_BOTOX = "https://www.nhs.uk/conditions/cosmetic-procedures/botox-injections/"
NHS_REFERRAL = "https://remedy.bnssg.icb.nhs.uk/adults/max-fax-and-dental/temporomandibular-joint-disorders"
MEDLINEPLUS = "https://medlineplus.gov/druginfo/meds/a608013.html"

# (what the page says, as a regex on its lowercased text; the page; the source it comes from)
CLAIMS = [
    # Overview
    (r"it is not approved for jaw pain", "", UKTIS_LICENSED),
    (r'using it for jaw pain is called "off-label" use', "", UKTIS_LICENSED),
    (r"studies show a small benefit, and the proof is weak", "", MACHADO),
    # How it works
    (r"botox is one brand of botulinum toxin type a\b", "how-it-works/", UKTIS_BRANDS),
    (r"botulinum toxin type a\b", "how-it-works/", UKTIS_LICENSED),
    (r"there are other brands", "how-it-works/", UKTIS_BRANDS),
    # Is it right for me?
    (
        r"approved for other health problems, such as migraine, some muscle spasms, "
        r"bladder problems and heavy sweating\. jaw pain is not one of them",
        "is-it-right-for-me/",
        UKTIS_LICENSED,
    ),
    (r'"off-label" use: it was not tested and approved for this', "is-it-right-for-me/", UKTIS_LICENSED),
    (
        r"botox eased pain only a little more than a dummy injection \(placebo\), after one month",
        "is-it-right-for-me/",
        MACHADO,
    ),
    (r"it did not cause more side effects than the dummy", "is-it-right-for-me/", MACHADO),
    (r"the proof was weak, so we cannot be sure", "is-it-right-for-me/", MACHADO),
    (r"us experts agree there is no clear proof", "is-it-right-for-me/", NIDCR),
    (r"start with the simplest treatments", "is-it-right-for-me/", NIDCR),
    (r"leave treatments that change your bite or jaw for good until last", "is-it-right-for-me/", NIDCR),
    (r"not usually serious\. it often gets better on its own", "is-it-right-for-me/", NHS_TMD),
    (r"eat soft food, and take paracetamol or ibuprofen", "is-it-right-for-me/", NHS_TMD),
    (r"hold a wrapped ice pack or heat pack to your jaw", "is-it-right-for-me/", NHS_TMD),
    (r"rub \(massage\) the sore muscles, and find ways to relax", "is-it-right-for-me/", NHS_TMD),
    (r"do not chew gum, bite your nails or clench your teeth", "is-it-right-for-me/", NHS_TMD),
    (r"a mouth guard or splint from a dentist, if you grind your teeth", "is-it-right-for-me/", NHS_GRINDING),
    (r"jaw exercises and massage from a physiotherapist", "is-it-right-for-me/", NHS_TMD),
    (r"help with stress from a psychologist", "is-it-right-for-me/", NHS_TMD),
    (r"stronger painkillers from your doctor", "is-it-right-for-me/", NHS_TMD),
    # Benefits
    (r"studies show the benefit is small", "benefits/", MACHADO),
    # How long it lasts
    (
        r"if your muscles feel weak or your sight is blurred, do not drive or use machines",
        "how-long-it-lasts/",
        MEDLINEPLUS,
    ),
    # Side effects and safety
    (r"they can start hours to weeks after the injection", "side-effects/", MEDLINEPLUS),
    (r"blurred or double vision, or drooping eyelids", "side-effects/", MEDLINEPLUS),
    (r"the medicine may have spread", "side-effects/", MEDLINEPLUS),
    (r"not advised if you have a skin infection where the needle would go, or are unwell", "side-effects/", NHS_BOTOX),
    (r"a nerve and muscle condition, such as myasthenia gravis", "side-effects/", NHS_BOTOX),
    (r"only about 250 pregnant women who had botox have been studied", "side-effects/", UKTIS_PREGNANCY),
    (r"as a precaution, experts advise against botox for looks in pregnancy", "side-effects/", UKTIS_PREGNANCY),
    (r"any allergy to, or recent injection of, botox or a similar medicine", "side-effects/", MEDLINEPLUS),
    (r"some antibiotics, muscle relaxants, and allergy, cold or sleep medicines", "side-effects/", MEDLINEPLUS),
    (r"nerve or muscle conditions, or trouble breathing or swallowing", "side-effects/", MEDLINEPLUS),
    (r"if you are pregnant, may be pregnant, or breastfeed", "side-effects/", MEDLINEPLUS),
    # Talk to a professional
    (r"a dentist, if you grind your teeth", "talk-to-a-professional/", NHS_TMD),
    (r"a doctor \(gp\)", "talk-to-a-professional/", NHS_TMD),
    (r"a physiotherapist, for jaw exercises", "talk-to-a-professional/", NHS_TMD),
    (
        r"an oral and maxillofacial surgeon \(a jaw and face specialist\), if it does not get better",
        "talk-to-a-professional/",
        NHS_REFERRAL,
    ),
    (
        r"see a doctor or dentist if you cannot eat or drink, or if the pain keeps coming back "
        r"or affects your sleep or daily life",
        "talk-to-a-professional/",
        NHS_TMD,
    ),
    (r"which product will you use\? is it licensed\?", "talk-to-a-professional/", NHS_BOTOX),
    (r"what side effects could i have\?", "talk-to-a-professional/", NHS_BOTOX),
    (r"what should i do if something goes wrong\?", "talk-to-a-professional/", NHS_BOTOX),
    (r"ask about their training and experience", "talk-to-a-professional/", NHS_BOTOX),
]

_PROSE = re.compile(
    r'<div class="prose" id="page-text">(.*?)</div>\s*(?:<section class="sources"|<p class="review-dates")', re.S
)
_SOURCES = re.compile(r'<section class="sources"[^>]*>(.*?)</section>', re.S)
_HREF = re.compile(r'href="([^"]+)"')


def rendered(client, path):
    """(the page's text as a patient reads it, lowercased; the addresses its Sources section lists)."""
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.text
    prose = _PROSE.search(html)
    assert prose, f"{path}: no page body found"
    text = re.sub(r"\s+", " ", " ".join(sentences(prose.group(1)))).lower()
    section = _SOURCES.search(html)
    listed = _HREF.findall(section.group(1)) if section else []
    return text, listed


def _claim_id(claim):
    pattern, page, _ = claim
    return f"{page or 'overview'}: {pattern[:40]}"


@pytest.mark.parametrize("claim", CLAIMS, ids=[_claim_id(claim) for claim in CLAIMS])
def test_each_added_claim_is_on_its_page_and_its_source_is_listed(client, claim):
    pattern, page, source = claim
    text, listed = rendered(client, GUIDE + page)
    assert re.search(pattern, text), f"{GUIDE + page} no longer says /{pattern}/: update the claim or the page"
    assert source in listed, f"{GUIDE + page} says /{pattern}/ but does not list its source {source}"


def test_every_source_of_a_claim_is_a_public_authority():
    """National health services and libraries, a teratology service, a systematic review."""
    hosts = {re.match(r"https://([^/]+)/", source)[1] for _, _, source in CLAIMS}
    assert hosts <= {
        "doi.org",
        "uktis.org",
        "www.medicinesinpregnancy.org",
        "nidcr.nih.gov",
        "www.nhs.uk",
        "remedy.bnssg.icb.nhs.uk",
        "medlineplus.gov",
    }


@pytest.mark.parametrize("path", GUIDE_PAGES)
def test_every_guide_page_lists_at_least_one_source(client, path):
    _, listed = rendered(client, path)
    assert listed, f"{path} lists no sources"
    assert all(url.startswith("https://") for url in listed), listed
