"""Every fact of the source article reaches a patient, in plain words.

Each entry pairs a fact of ../shared/seed/botox-jaw-pain-article.txt with the
key phrases the guide uses for it. If an edit drops a fact, this test says which.
"""

import re

import pytest

from articles.checks.readability import sentences
from articles.render.library import load_library

FACTS = {
    "Botox is a well-known cosmetic treatment": ["well-known cosmetic treatment"],
    "it has gained popularity for medical conditions, including jaw pain": [
        "popular for treating some medical problems",
        "jaw pain",
    ],
    "Botox is botulinum toxin (one brand of it)": ["one brand of botulinum toxin type a"],
    "derived from the bacterium Clostridium botulinum": ["bacteria", "clostridium botulinum"],
    "injected into specific muscles": ["injection into chosen muscles"],
    "it temporarily paralyzes the muscle": ["makes the muscle weaker for a while", "temporary paralysis"],
    "preventing excessive movement": ["keeps the muscle from moving too much"],
    "TMJ disorders cause jaw pain": ["temporomandibular joint (tmj)", "tmj disorders"],
    "teeth grinding (bruxism) causes jaw pain": ["grinding your teeth is bruxism"],
    "Botox can provide significant relief (for some people)": ["botox can give a lot of relief"],
    "injected into the muscles responsible for chewing": ["muscles you use to chew"],
    "the masseter and temporalis muscles": ["masseter", "temporalis"],
    "it reduces muscle contractions": ["tighten (contract) less"],
    "less activity alleviates tension and discomfort": ["tension and soreness in your jaw can ease"],
    "patients report a decrease in pain": ["pain goes down"],
    "and improved functionality": ["jaw works better"],
    "non-invasive (no surgery), unlike surgery": ["no surgery", "does not involve surgery"],
    "performed quickly in a clinician's office": ["injections are quick", "doctor's or dentist's office"],
    "minimal downtime": ["very little time to recover"],
    "return to daily activities immediately": ["daily activities straight after"],
    "effects last three to six months": ["last three to six months"],
    "a repeat treatment may be necessary for ongoing relief": ["another treatment", "keeps the relief going"],
    "regular sessions lead to longer-lasting results": ["regular treatments can make the results last longer"],
    "muscles become accustomed to less activity": ["muscles get used to doing less over time"],
    "Botox is generally considered safe": ["generally thought to be safe"],
    "consult a trained healthcare professional": ["talk to a trained healthcare professional"],
    "to determine if it is the right option for your condition": ["right option for your condition"],
    "the doctor conducts a thorough evaluation": ["full evaluation"],
    "discusses your symptoms": ["talk with you about your symptoms"],
    "assesses potential risks or side effects": ["any risks or side effects"],
    "common side effects: mild bruising, swelling, tenderness": ["mild bruising", "swelling", "tenderness"],
    "at the injection site": ["injection site"],
    "serious side effects are rare but may occur": ["serious side effects are rare, but they can happen"],
    "an experienced practitioner minimises risk": ["experienced practitioner", "keep the risks low"],
    "Botox can be effective for jaw pain, particularly TMJ disorders or bruxism": [
        "botox can work well for jaw pain",
        "tmj disorders or teeth grinding",
    ],
    "reducing muscle tension gives comfort and quality of life": ["real comfort and a better quality of life"],
    "always consult a qualified healthcare provider for the best options": [
        "qualified healthcare provider",
        "best options for your needs",
    ],
}

URGENT = [
    "trouble swallowing, speaking or breathing",
    "muscle weakness in a part of your body away from where you had the injection",
]


@pytest.fixture(scope="module")
def guide_text():
    guide = load_library(drafts=False).guide("botox-jaw-pain")
    text = " ".join(" ".join(sentences(page.html)) for page in guide.pages)
    return re.sub(r"\s+", " ", text).lower()


@pytest.mark.parametrize("fact", FACTS)
def test_fact_is_in_the_guide(guide_text, fact):
    missing = [phrase for phrase in FACTS[fact] if phrase not in guide_text]
    assert not missing, f"the fact '{fact}' is missing: no {missing}"


def test_urgent_warning_is_on_the_side_effects_page():
    page = load_library(drafts=False).guide("botox-jaw-pain").page("side-effects")
    text = " ".join(sentences(page.html)).lower()
    for phrase in URGENT:
        assert phrase in text
    assert page.sources, "the urgent warning must name its source"
