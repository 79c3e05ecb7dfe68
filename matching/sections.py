"""What part of a vacancy a phrase sits in: the requirements, the offer, or anything else.

Vacancy texts separate what is asked ("Wat vragen wij?", "Jouw profiel", "Requirements") from
what is offered ("Wat bieden wij?", "Arbeidsvoorwaarden", "What we offer") and from the job
itself ("Wat ga je doen?"). This module holds the heading phrases and the sentence cues the
extractor uses; everything here works on *folded* text (see ``matching.taxonomy.fold``:
lowercase ASCII, "pré" → "pre").

* A heading is one of :data:`HEADINGS` at the start of a line (or after a sentence end), with at
  most a few words after it and then the end of the line, ``?``, ``:`` or ``!``.
* Units for cues are sentences: text between line breaks and ``.``/``!``/``;`` followed by
  white space (not the dots of :data:`ABBREVIATIONS` such as "n.a.v."). ``?`` and ``:`` do not
  end a unit, so "Heb je ook BHV? Dan is dat een pré" and "Pré: BHV" keep the cue and the skill
  together.
* :data:`NICE_TO_HAVE` and :data:`NICE_TO_HAVE_FORWARD` mark the skills they are about as
  wanted, not required. :data:`NOT_REQUIRED` ("geen ervaring nodig") leaves a skill out.
  :data:`OFFER_CUES` ("wij betalen je", "op kosten van de zaak") move a skill to the offer,
  unless the sentence also asks for it. In text outside any heading, :data:`REQUIREMENT_CUES`
  ("je hebt", "ervaring met", "vereist") make a sentence a requirement, :data:`JOB_CUES` ("je
  bent verantwoordelijk voor") a job description.
"""

from __future__ import annotations

REQUIREMENT = "requirement"
OFFER = "offer"
OTHER = "other"
SECTIONS = (REQUIREMENT, OFFER, OTHER)

# Heading phrases, folded. The heading kind "job" and "other" both give section "other"; they
# are kept apart so that a later change can treat the job description differently.
_REQUIREMENT_HEADINGS = """
wat vragen wij|wat vragen we|wij vragen|we vragen|wat wij vragen|wat we vragen|dit vragen wij|
dit vragen we|wat wij van je vragen|wat wij van jou vragen|wat we van je vragen|
wat we van jou vragen|wat vragen wij van jou|wat vragen wij van je|wat vragen we van jou|
wie ben jij|wie ben je|wie zoeken wij|wie zoeken we|wie wij zoeken|wie we zoeken|
wat zoeken wij|wat zoeken we|wat wij zoeken|wat we zoeken|
jouw profiel|je profiel|profiel|het profiel|functieprofiel|kandidaatprofiel|gevraagd profiel|
ons ideale profiel|jouw kwalificaties|kwalificaties|jouw vaardigheden|competenties|
wat neem je mee|wat neem jij mee|wat breng je mee|wat breng jij mee|dit neem je mee|
dit breng je mee|wat je meeneemt|wat je meebrengt|wat jij meeneemt|wat jij meebrengt|
functie-eisen|functie eisen|functievereisten|functie-vereisten|vereisten|eisen|gevraagd|
wat heb je nodig|wat heb jij nodig|wat verwachten wij|wat verwachten we|wat wij verwachten|
wat we verwachten|wij verwachten|we verwachten|wat wij van jou verwachten|
wat wij van je verwachten|wat we van jou verwachten|wat we van je verwachten|jij herkent jezelf|
herken jij jezelf|jouw kennis en ervaring|kennis en ervaring|opleiding en ervaring|
ervaring en opleiding|wat heb je in huis|wat heb jij in huis|
herken je jezelf|jij bent|jij hebt|over jou|de ideale kandidaat|ideale kandidaat|
requirements|job requirements|what you bring|what do you bring|what we ask|what we expect|
what we are looking for|what we're looking for|who we are looking for|who are you|
who you are|your profile|profile|qualifications|your qualifications|about you|
what you need|must haves|must-haves|skills|your skills
"""
_OFFER_HEADINGS = """
wat bieden wij|wat bieden we|wij bieden|we bieden|wat wij bieden|wat we bieden|dit bieden wij|
dit bieden we|wat bieden wij jou|wat bieden wij je|wat wij je bieden|wat we je bieden|
wat hebben wij te bieden|wat hebben we te bieden|wat krijg je|wat krijg jij|wat je krijgt|
dit krijg je|wat krijg je van ons|dit krijg je ervoor terug|wat krijg je ervoor terug|
arbeidsvoorwaarden|onze arbeidsvoorwaarden|secundaire arbeidsvoorwaarden|ons aanbod|
het aanbod|aanbod|wat mag je verwachten|wat mag jij verwachten|wat mag je van ons verwachten|
wat mag jij van ons verwachten|wat staat er tegenover|wat staat hier tegenover|
wat levert het je op|wat levert het jou op|salaris|beloning|salaris en voorwaarden|
what we offer|what do we offer|what's in it for you|whats in it for you|our offer|
what you get|what do you get|benefits|perks|compensation|we offer
"""
_JOB_HEADINGS = """
wat ga je doen|wat ga jij doen|wat ga je zoal doen|wat je gaat doen|wat jij gaat doen|
dit ga je doen|jouw werkzaamheden|je werkzaamheden|werkzaamheden|jouw taken|je taken|taken|
jouw functie|de functie|over de functie|functie|functieomschrijving|functie omschrijving|
wat houdt de functie in|de baan|over de baan|jouw rol|de rol|jouw uitdaging|de uitdaging|
over de vacature|de vacature|wat doe je|your role|the role|what you will do|what you'll do|
job description|responsibilities|your responsibilities|tasks|about the job|about the role
"""
_OTHER_HEADINGS = """
over ons|wie zijn wij|wie zijn we|over de organisatie|over het bedrijf|de organisatie|
het bedrijf|ons bedrijf|over de werkgever|waar ga je werken|waar kom je te werken|
jouw werkplek|je werkplek|het team|jouw team|ons team|de afdeling|interesse|solliciteren|
sollicitatie|procedure|sollicitatieprocedure|contact|meer informatie|vragen|about us|
who we are|about the company|the team|our team|interested|how to apply|apply
"""


def _phrases(block: str) -> list[str]:
    return [p.strip() for p in block.replace("\n", "").split("|") if p.strip()]


HEADINGS: dict[str, str] = {
    **{p: "job" for p in _phrases(_JOB_HEADINGS)},
    **{p: OTHER for p in _phrases(_OTHER_HEADINGS)},
    **{p: REQUIREMENT for p in _phrases(_REQUIREMENT_HEADINGS)},
    **{p: OFFER for p in _phrases(_OFFER_HEADINGS)},
}
"""Folded heading phrase → heading kind (requirement, offer, job, other)."""

HEADING_SECTION = {REQUIREMENT: REQUIREMENT, OFFER: OFFER, "job": OTHER, OTHER: OTHER}

# Sentence cues, folded. Like skills, a cue only counts at word boundaries.
NICE_TO_HAVE = (
    "pre",
    "is een pre",
    "pluspunt",
    "pluspunten",
    "bij voorkeur",
    "strekt tot aanbeveling",
    "tot aanbeveling",
    "is a plus",
    "a plus",
    "een plus",
    "is een plus",
    "also welcome",
    "onze voorkeur",
    "een pluspunt",
    "is een pluspunt",
    "een groot pluspunt",
    "een pre",
    "nice to have",
    "nice-to-have",
    "wenselijk",
    "gewenst",
    "mooi meegenomen",
    "een voordeel",
    "bonuspunt",
    "bonuspunten",
    "is handig",
    "zien wij als een grote plus",
    "heeft onze voorkeur",
    "an advantage",
    "is a bonus",
    "preferably",
    "preferred",
    "would be nice",
    "an asset",
    "is welcome",
    "is helpful",
)
"""The skill(s) before the cue in its clause are wanted, not required ("Rijbewijs B, Duits is
handig": only Duits; "VCA en BHV zijn een pré": both)."""

NICE_TO_HAVE_FORWARD = (
    "bij voorkeur",
    "nice to have",
    "nice-to-have",
    "preferably",
    "bonuspunten voor",
    "liefst",
    "het liefst",
)
"""Cues that make the skills after them in the sentence nice-to-have ("Bij voorkeur VCA en
BHV"); a cue followed by a colon does too ("Pré: BHV")."""

NOT_REQUIRED = (
    "geen ervaring nodig",
    "geen ervaring vereist",
    "geen werkervaring nodig",
    "geen werkervaring vereist",
    "niet vereist",
    "niet nodig",
    "niet noodzakelijk",
    "niet verplicht",
    "geen vereiste",
    "geen must",
    "zonder ervaring",
    "zonder werkervaring",
    "hoeft niet",
    "hoef je niet",
    "hoeft geen",
    "hoef je geen",
    "nog niet met",
    "no experience required",
    "no experience needed",
    "no experience necessary",
    "not required",
    "not necessary",
    "not needed",
)
"""The sentence says the skill is not needed ("Ervaring met Exact is niet vereist"): the skill is
left out (unless the sentence also offers it, or also calls it nice-to-have)."""

NEGATION_BEFORE = ("geen", "no")
NEGATION_AFTER = (
    "nodig",
    "vereist",
    "noodzakelijk",
    "verplicht",
    "required",
    "needed",
    "necessary",
)
""""Geen <skill> nodig", "No <skill> required": a negation before the skill and one of these
after it, in the same sentence."""

OFFER_CUES = (
    "wij betalen",
    "we betalen",
    "betalen wij",
    "betalen we",
    "wij vergoeden",
    "we vergoeden",
    "vergoeden wij",
    "vergoeden we",
    "volledig vergoed",
    "wordt vergoed",
    "worden vergoed",
    "op kosten van",
    "wij leiden je op",
    "we leiden je op",
    "leiden wij je op",
    "leiden we je op",
    "wij leiden jou op",
    "we leiden jou op",
    "leiden je op",
    "je volgt bij ons",
    "volg je bij ons",
    "via onze academy",
    "bij ons te behalen",
    "je haalt bij ons",
    "haal je bij ons",
    "wij bieden",
    "we bieden",
    "bieden wij",
    "bieden we",
    "opleidingstraject",
    "opleidingsbudget",
    "opleidingsmogelijkheden",
    "interne training",
    "je krijgt een cursus",
    "je krijgt een training",
    "je krijgt een opleiding",
    "je krijgt van ons",
    "je krijgt bij ons",
    "krijg je van ons",
    "krijg je bij ons",
    "ontvang je een",
    "je ontvangt een",
    "leiden je zelf op",
    "leiden we je zelf op",
    "dat leer je bij ons",
    "bij ons halen",
    "bij ons haal je",
    "bij ons behalen",
    "behaal je die bij ons",
    "kun je bij ons",
    "leren we je",
    "leren wij je",
    "wij leren het je",
    "we leren het je",
    "wij begeleiden je bij",
    "leer je bij ons",
    "via ons behalen",
    "via ons te behalen",
    "halen we samen",
    "volg je dit traject bij ons",
    "wij zorgen voor je",
    "we offer",
    "we provide",
    "we pay",
    "paid training",
    "you will receive",
    "you'll receive",
)
"""The sentence offers the skill (training, a paid certificate): never a requirement."""

REQUIREMENT_CUES = (
    "je hebt",
    "jij hebt",
    "heb je",
    "heb jij",
    "je beschikt",
    "jij beschikt",
    "beschik je",
    "in het bezit van",
    "in bezit van",
    "ervaring met",
    "ervaring in",
    "ervaring als",
    "kennis van",
    "kennis op het gebied",
    "je beheerst",
    "jij beheerst",
    "beheersing van",
    "beheers je",
    "vereist",
    "vereiste",
    "noodzakelijk",
    "verplicht",
    "een must",
    "must",
    "je kunt",
    "jij kunt",
    "je spreekt",
    "je schrijft",
    "je bent",
    "jij bent",
    "ben je",
    "ben jij",
    "bent",
    "hebt",
    "beschikt",
    "beheerst",
    "spreekt",
    "kunt",
    "bereid",
    "wij vragen",
    "we vragen",
    "wij zoeken iemand",
    "we zoeken iemand",
    "zoeken wij iemand",
    "gevraagd",
    "je weet",
    "aantoonbare",
    "minimaal",
    "affiniteit met",
    "bekend met",
    "vaardig in",
    "you have",
    "you are",
    "you speak",
    "you communicate",
    "you bring",
    "experience with",
    "experience in",
    "knowledge of",
    "proficient",
    "required",
    "familiar with",
    "fluent",
    "you hold",
    "we are looking for",
    "we're looking for",
    "must have",
    "must-have",
)
"""Outside any heading, the sentence asks something of the candidate."""

BOILERPLATE = (
    "acquisitie naar aanleiding",
    "acquisitie n.a.v.",
    "acquisitie nav",
    "acquisitie wordt niet op prijs gesteld",
    "acquisitie wordt niet gewaardeerd",
    "acquisitie niet gewenst",
    "acquisitie is niet gewenst",
    "acquisitie wordt niet gewenst",
    "acquisitie op deze vacature",
    "acquisitie op basis van deze vacature",
    "acquisitie naar deze vacature",
    "geen acquisitie",
    "zonder acquisitie",
    "niet op prijs gesteld",
    "stellen wij niet op prijs",
    "stellen we niet op prijs",
    "niet gewaardeerd",
    "no agencies",
    "enthousiast geworden",
    "nieuwsgierig geworden",
    "geinteresseerd geraakt",
    "interesse gewekt",
    "herken jij jezelf in dit profiel",
    "herken je jezelf in dit profiel",
)
"""Closing formulas whose words happen to be skills ("Acquisitie naar aanleiding van deze
vacature wordt niet op prijs gesteld", "Acquisitie n.a.v. deze vacature is niet gewenst",
"Enthousiast geworden?"): the sentence holds no skill. The agency disclaimer comes in many
wordings: "acquisitie" with a refusal, or with "n.a.v."/"naar aanleiding" of the vacancy, marks
it, so "acquisitie" the sales skill is only taken where no such phrase stands in its sentence.
Words for agencies alone do not ("je werkt met intermediairs" is a requirement)."""

NOT_SKILLS = (
    "flexibele werktijden",
    "flexibele werkuren",
    "flexibele uren",
    "flexibele arbeidsvoorwaarden",
    "flexibel rooster",
    "flexible hours",
    "flexible working hours",
    "flexibel contract",
    "flexibele contracten",
    "coaching on the job",
    "training on the job",
    "on the job training",
)
"""Phrases that hold a skill's form but name no skill ("Flexibele werktijden" is a benefit, not
the skill flexibel); the scan takes them as a whole, so the skill inside does not match."""

JOB_CUES = (
    "verantwoordelijk voor",
    "you are responsible",
    "you will be responsible",
    "ben je de spil",
    "ben jij de spil",
    "je bent de spil",
    "jij bent de spil",
)
"""The sentence describes the job, even if it reads "je bent": "Je bent verantwoordelijk voor de
planning" asks nothing of the candidate."""

ABBREVIATIONS = (
    "n.a.v.",
    "o.a.",
    "i.v.m.",
    "m.b.t.",
    "t.a.v.",
    "t.b.v.",
    "o.b.v.",
    "m.u.v.",
    "i.p.v.",
    "d.w.z.",
    "bijv.",
    "evt.",
    "incl.",
    "excl.",
    "ca.",
    "z.s.m.",
    "e.g.",
    "i.e.",
    "o.l.v.",
)
"""Abbreviations whose dot does not end the sentence: "Acquisitie n.a.v. deze vacature wordt
niet op prijs gesteld" and "Ervaring met o.a. Excel is een pré" stay one unit for the cues."""

CUES: dict[str, int] = {}
"""Folded cue phrase → bit flags (see the ``CUE_*`` constants)."""
CUE_NICE = 1
CUE_NOT_REQUIRED = 2
CUE_OFFER = 4
CUE_REQUIREMENT = 8
CUE_NEG_BEFORE = 16
CUE_NEG_AFTER = 32
CUE_BOILERPLATE = 64
CUE_NOT_SKILL = 128
CUE_NICE_FORWARD = 256
CUE_JOB = 512
CUE_ABBREVIATION = 1024
for _phrases_, _flag in (
    (NICE_TO_HAVE, CUE_NICE | CUE_REQUIREMENT),
    (NICE_TO_HAVE_FORWARD, CUE_NICE | CUE_NICE_FORWARD | CUE_REQUIREMENT),
    (NOT_REQUIRED, CUE_NOT_REQUIRED | CUE_REQUIREMENT),
    (OFFER_CUES, CUE_OFFER),
    (REQUIREMENT_CUES, CUE_REQUIREMENT),
    (NEGATION_BEFORE, CUE_NEG_BEFORE),
    (NEGATION_AFTER, CUE_NEG_AFTER | CUE_REQUIREMENT),
    (BOILERPLATE, CUE_BOILERPLATE),
    (NOT_SKILLS, CUE_NOT_SKILL),
    (JOB_CUES, CUE_JOB),
    (ABBREVIATIONS, CUE_ABBREVIATION),
):
    for _phrase in _phrases_:
        CUES[_phrase] = CUES.get(_phrase, 0) | _flag

UNIT_ENDS = ("\n", ". ", "! ", "; ", ".\t", "!\t", ";\t", ".\r", "!\r", ";\r")
"""Where a sentence (a unit for cues) ends. ``?`` and ``:`` do not end one."""

# Heading validation (Rust regular expressions over folded text, for Polars).
HEADING_BEFORE = r"(?:\n|[.!?]\s)[ \t*#>_]*$"
"""What may stand between the previous line (or sentence) and a heading."""
HEADING_AT_START = r"^[ \t*#>_]*$"
HEADING_AFTER = r"^[^\n.!?:;]{0,40}?[ \t*_]*(?:[?:!]|\r?\n|$)"
"""A heading ends its line within a few words, or is followed by ``?``, ``:`` or ``!``."""
