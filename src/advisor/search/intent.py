"""All question parsing: what a question asks for beyond its topic.

Named resources, prerequisites, a next step, a comparison, a study path, the passage kinds it wants
(a proof, a definition), the resource attributes it prefers (free, video, rigorous) and whether it leans
on the previous turn. Nothing else in the package reads a question's wording.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..types import Resource

_SMALL = {"a", "an", "the", "of", "for", "and", "to", "in", "on", "with", "from", "its", "&"}
_PREREQ = re.compile(r"\b(prereq\w*|pre-?requisites?|before (reading|starting|taking|tackling|diving|attempting|i read|i start)|"
                     r"(learn|study|know|read|cover|master|take|need|do)\b.{0,40}\bbefore\b|"
                     r"background (do i need|needed|for)|need to know (for|before)|prepare for|ready for|"
                     r"what (math|maths|mathematics) do i need|beforehand|how (do|should|can) i prep(are)?|"
                     r"(should|do|must|would|can) i\b[^.?!]{0,40}\b(first|beforehand)\b|"
                     r"(read|study|learn|get|know|need|take|watch)\b[^.?!]{0,30}\b(first|beforehand)\s*[?.!]|"
                     r"\b(what|where)\b[^.?!]{0,12}\b(first|beforehand)\s*[?.!]?\s*$|"
                     r"brush(ing)? up|(come|go|read|do)\b[^.?!]{0,10}\bbefore (it|that|this|them)\b|"
                     r"what'?s the gap|what (is|are) the gaps?|(background|foundations?|basics)\b[^.?!]{0,20}\bmissing|"
                     r"missing (background|foundations?|prerequisites?)|"
                     r"(so (that )?i can|to be able to|before i can|in order to) (eventually |finally |one day |later )?"
                     r"(read|follow|understand|tackle|take|get through|start))", re.I)
_NEXT = re.compile(r"\b(what next|next step|after (finishing|reading|doing)|beyond|next level|finished|done( with)?|"
                   r"too (light|easy|applied|shallow|basic|elementary|simple|superficial|informal|hand-?wavy|"
                   r"computational|practical|high-level|slow)|more (rigorous|mathematical|advanced|depth|theory)|"
                   r"go deeper|deeper than|where (do|should|can) i go|follow[- ]?up|sequel|comes? after|"
                   r"(worked|went|gone|got|made it|read) through|completed|already (know|read|did|done|finished|"
                   r"covered|took|taken)|lacks?|(not|isn'?t|wasn'?t) (rigorous|mathematical|deep|formal|detailed) enough|"
                   r"level up|step up|next(?=\s*[?.!])|(read|study|learn|take|do|watch|use) next|what'?s next|what is next|"
                   r"next (book|course|text|read|resource|step)|follow[- ]on|wanting more|now (i )?(want|need|looking)|"
                   r"instead)\b", re.I)
# A question about something other than the resource it names: leave that one out, move along an axis.
_AWAY = re.compile(r"\b(instead of|rather than|alternatives? (to|for)|other than|replacement for|than|too \w+|"
                   r"shorter|more (compact|concise|modern|recent|up[- ]to[- ]date)|(feels?|is|seems?) (dated|outdated|old)|"
                   r"over my head|(i'?m|got|am|was) (completely |totally )?lost|(is|are|was|were) (just|only|basically|mostly|all)|"
                   r"lighter|gentler|easier|simpler|what next|next step|done( with)?|finished|after|struggl\w*|"
                   r"(couldn'?t|can'?t|could not|cannot|hard to|unable to) (follow|keep up|get through)|beyond me|"
                   r"gave up|bounced off|overwhelm\w*|intimidat\w*|"
                   r"but (i|i'?d|i'?m)( really| now)? (want|need|like|prefer|would like|am looking|looking))\b", re.I)
# the kind noun right after a name belongs to the name: "the DDPM paper", "Bishop's book", "Boyd's course"
_KIND_AFTER_NAME = re.compile(r"^('s)?\s*(book|textbook|paper|course|lectures?|notes|lecture notes|videos?|class|"
                              r"specialization|tutorial)\b", re.I)
# ... and the words describing it between a possessive and that noun: "Durrett's probability book" asks for no
# probability book
_DESCRIBED_AFTER_NAME = re.compile(r"^'s\s+((?!(and|or|but|a|an|the|for|to|on|with|in|of)\b)[\w-]+\s+){1,3}"
                                   r"(book|textbook|paper|course|lectures?|notes|lecture notes|videos?|class|"
                                   r"specialization|tutorial|survey|review|monograph)\b", re.I)
# "before X", "before reading the X book": X's prerequisites are asked for, whatever the verb
_BEFORE_NAME = re.compile(r"\bbefore\s+((reading|starting|taking|tackling|attempting|opening|the|a|an|this|that)\s+){0,2}[\'\"\u201c\u2018]?$", re.I)
_EASIER = re.compile(r"\btoo (hard|difficult|advanced|dense|terse|long|heavy|theoretical|technical|abstract|mathy|math[- ]heavy|"
                     r"rigorous|formal|dry|complex|complicated|steep|fast)\b|\bover my head\b|\blost\b"
                     r"|\bstruggl\w*|\b(couldn'?t|can'?t|could not|cannot|hard to|unable to) (follow|keep up|get through)"
                     r"|\bbeyond me\b|\bgave up\b|\bbounc(ed|ing) off\b|\bdrowning\b|\boverwhelm\w*|\bintimidat\w*|\bfriendlier\b"
                     r"|\bmore (basic|elementary|beginner)|\b(less|fewer) (proofs|maths?|formulas|theory)\b"
                     r"|\b(easier|gentler|simpler|lighter|less (math|mathematical|rigorous|formal|dense))\b"
                     r"|\bmore (accessible|intuitive|applied|practical|gentle|compact|concise)\b|\bshorter\b", re.I)
# After the last name, the learner asks for something else: "X was great but ..., what free book covers Y?",
# "did X, it was basically sklearn calls. I'd like lecture videos that ...". Said about X, these leave X out;
# a lookup of X asks inside the name's own clause ("where can I find the X lectures", "is X free").
_REQUEST = re.compile(r"\b(what|which|where|any|anything|something|recommend\w*|suggest\w*|point me)\b", re.I)
# "I want information theory that connects to ...": a wish said after X is a request in itself
_WISH = re.compile(r"\b(i'?d like|i would like|i (really |now )?(want|need)|looking for)\b", re.I)
# ... for a resource to use, not a fact about X ("I'm reading ESL. Which chapter covers the lasso?")
_WANTS_RESOURCE = re.compile(r"\b(books?|textbooks?|courses?|class|lectures?|videos?|notes|papers?|resources?|"
                             r"something|anything|alternatives?|read|watch|learn|study|use|go|next|else|instead|"
                             r"version|variant|treatment|sequel|successor|extension)\b",
                             re.I)
_LOOKUP = re.compile(r"\b(chapters?|sections?|pages?|parts?|volumes?|exercises? in|cost|price|worth)\b", re.I)
_CLAUSES = re.compile(r"[.;,!?\u2014-]\s")
# ... unless the request points back at X: "which book is that?", "where do I get them?"
_BACK_TO_NAME = re.compile(r"\bthe (original|actual) (paper|article|publication)\b|"
                           r"\b(it|them|that|this|those|these)\s*[?.!]*\s*$|\b(is|get|find|buy|watch|taught|covers?|"
                           r"about) (it|them|that|this|those|these|they)\b", re.I)
# What the learner says they lack: the topic to start from, before X ("never seen markov chains", "my
# probability is weak", "jacobians are fuzzy for me", "I don't know what an exponential family is").
# A question about the named resource itself keeps it first: "X - is it free?", "is X too hard for me?", "X, what do
# they cover and do I need probability first?", "is that meant to be taken after Y?". A yes/no question (or one
# about "it", "they", "the book") asks about X; a request for another resource ("is there something gentler?",
# "what should I read before X?") still moves away from X.
_PRONOUN_SUBJECT = (r"(it|they|that|this|those|these|he|she|the (book|textbook|course|class|lectures?|notes|paper|"
                    r"series|videos?|text|specialization))")
_ABOUT_PRONOUN = re.compile(
    rf"^\W*(is|are|was|were|does|do|did|would|will|should|could|can|has|have|isn'?t|aren'?t|doesn'?t)\s+"
    rf"{_PRONOUN_SUBJECT}\b|\b(what|which|how|where|when)\b[^.?!]{{0,25}}\b(does|do|did|is|are|was)\s+"
    rf"{_PRONOUN_SUBJECT}\b", re.I)
# ("did X, loved it" says the learner did X: "do" and "did" ask only with a subject of their own)
_POLAR = re.compile(r"^\W*((and|so|also|or|but)\s+)?((is|are|was|were|does|would|will|should|could|can|has|have|isn'?t|"
                    r"aren'?t|doesn'?t)\b|(do|did)\s+(i|you|we|they|it|he|she)\b)", re.I)
# X's own copy or edition ("is there a free pdf?"), or a question without its verb ("X - too hard for me?", "any good?")
_OWN_COPY = re.compile(r"\b(is|are) there (an? |any )?(free |legal |online |official )*(pdf|copy|version online|"
                       r"online version|edition|solutions?( manual)?|errata)\b", re.I)
_ELLIPTIC = re.compile(r"^\W*((and|so|also|but)\s+)?(too \w+|worth (it|\w+ing)|any good|free|still (available|offered|"
                       r"running|online)|good (for|enough)|ok for|suitable|(a )?(bad|good|terrible|smart) (idea|choice|"
                       r"pick|fit|start)|overkill|realistic|doable|feasible)\b[^.!]*\?", re.I)
# a later request cancels a question about X only when it asks in so many words for another resource
_ASKS = re.compile(r"\b(what|which|where|any|recommend\w*|suggest\w*|point me|another|other|others|alternatives?|"
                   r"else|instead|different)\b", re.I)
# what a yes/no question asks for when it asks for another resource ("is there a gentler book?"); a resource noun
# in one that names X is X ("is ESL a good book for beginners?")
_OTHER = r"there|something|anything|another|other|others|alternatives?|else|instead|recommend\w*|suggest\w*|you"
_OTHER_RESOURCE = re.compile(rf"\b({_OTHER}|books?|textbooks?|courses?|lectures|videos?|notes|papers?|resources?)\b",
                             re.I)
_OTHER_THAN_NAMED = re.compile(rf"\b({_OTHER})\b", re.I)
_QUESTIONS = re.compile(r"[.?!;]+\s*|,\s+|\s+[-\u2014]\s+|\s*\u2014\s*|\s+but\s+", re.I)

# "diffusion models go back further", "the earlier paper", "what came before X": back in time from X
_EARLIER = re.compile(r"\b(go(es)? back (further|earlier)|earlier|predecessors?|preceded|came before|"
                      r"(the )?(first|original) (paper|one|idea))\b", re.I)
# "calc background only, no measure theory", "without heavy proofs": content the learner does not want
_UNWANTED = re.compile(r"\b(no|without|not)\s+((much|any|heavy|real|formal|too much)\s+)?([a-z][\w-]*(\s+[a-z][\w-]*)?)",
                       re.I)
# asking for a gentler way in, rather than for what X builds on ("what background am I missing?")
_GENTLER = re.compile(r"\b(gentler|lighter|easier|friendlier|simpler|softer|more (accessible|approachable|gentle|"
                      r"beginner[- ]friendly)|start instead|(the )?same (ideas|material|topics))\b", re.I)
_NOT_THIS = re.compile(r"\bnot\s+((the|an?)\s+([\w-]+\s+){0,3})?$", re.I)
_LACK = re.compile(r"\b(never (done|seen|studied|learned|learnt|taken|took|had|used|heard of|touched|written)|zero|"
                   r"(is|are) new to me|(know|knew) (nothing|little|very little)|i have no|"
                   r"(don'?t|do not|didn'?t|did not) (know|understand|get|remember)|no (background|idea|experience)|"
                   r"(is|are|am|'?s|'?re) (very |really |pretty |a bit |kind of )?(weak|rusty|shaky|fuzzy|lacking)|"
                   r"weak (in|on|at)|lost me|lose me|(not|never) (comfortable|familiar) with|unfamiliar with)\b", re.I)
_SENTENCES = re.compile(r"[.?!;]+\s*|,?\s+but\s+|\s+-\s+|\s+\u2014\s+")


def lack_clauses(text: str) -> str:
    return " ".join(p for p in _SENTENCES.split(text) if p and _LACK.search(p))


# What the learner says they already know is not what they ask for: "solid on convex optimization and probability",
# "I know linear algebra but ...", "gaussians fine, neural nets fine, but the ELBO is new to me"
_KNOW = re.compile(r"(?<!get )(?<!getting )(?<!become )(?<!feel )(?<!be )\b((solid|comfortable|fine|good|strong|"
                   r"confident|ok|okay|at home|fluent)\s+(on|with|in|at)|"
                   r"(i|i'?ve|i have|i'?m)\s+(already\s+|also\s+)?(know|knew|done|did|took|taken|studied|learned|learnt|"
                   r"covered|finished|completed|seen)(?!\s+(that|there|it|this|what|how|why|nothing|little|you)\b)|"
                   r"familiar with|(background|degree|phd|masters?) in)\b|\bfine\s*$"
                   r"|^\s*(already )?(had|took|taken|did|done|studied|covered|finished)\b", re.I)
# ... and not what a resource assumes of them ("assumes I'm fluent with Gaussians")
_ASSUMES = re.compile(r"\b(assumes?|assuming|expects?|requires?|presupposes?|wants me)\b", re.I)
_KNOW_PARTS = re.compile(r"[.?!;,:]+\s*|\s+but\s+|\s+-\s+|\s+\u2014\s+", re.I)


def known_clauses(text: str) -> list[str]:
    return [p for p in _KNOW_PARTS.split(text) if p and _KNOW.search(p) and not _LACK.search(p)
            and not _ASSUMES.search(p)]


# "X vs the other one, which one ...?": a choice that includes X, even when the other is not recognised
_CHOOSING = re.compile(r"\b(vs\.?|versus|which one|which of)\b", re.I)
_COMPARE = re.compile(r"\b(vs\.?|versus|compared? (to|with)|or|than)\b", re.I)


def acronym(title: str) -> str | None:
    head = re.split(r"[:(]", title)[0]
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", head) if w.lower() not in _SMALL]
    letters = "".join(w[0].upper() for w in words)
    return letters if 3 <= len(letters) <= 6 else None


def resource_names(r: Resource, common_words: frozenset[str] = frozenset(),
                   common_phrases: frozenset[str] = frozenset()) -> list[tuple[str, bool]]:
    """Ways a learner names a resource: (text, case_sensitive)."""
    names: list[tuple[str, bool]] = []
    short = re.split(r"[:(]", r.title)[0].strip()
    if (len(short.split()) >= 2 and short.lower() not in common_phrases) or re.search(r"\d", short):
        names.append((short, False))  # not "Linear Algebra" or "Deep Learning": those name a topic
    code = re.findall(r"\b([A-Z]{2,}\s?\d{2,4}[A-Za-z]?)(?![\w])", r.title)  # CS229, CS 156, EE364a
    names.extend((c, False) for c in code)
    names.extend((c.replace(" ", ""), False) for c in code if " " in c)
    names.extend((c, False) for c in re.findall(r"(?<![\w.])(\d{1,2}\.[A-Z]?\d{2,4})(?![\w])", r.title))  # 18.06, 6.036
    for alias in r.aliases:
        names.append((alias, bool(re.fullmatch(r"[A-Z]{2,6}", alias))))  # "ESL" is case-sensitive; "d2l", "Bishop's book" not
    ac = acronym(r.title)
    if ac and r.kind in ("book", "paper", "lecture-notes"):
        names.append((ac, True))
    people = [a for a in r.authors if a.split()]
    surnames = [a.split()[-1] for a in people]
    if len(surnames) >= 2:
        names.append((f"{surnames[0]} and {surnames[1]}", False))
        names.append((f"{surnames[0]} & {surnames[1]}", False))
    for surname in surnames[:3]:
        if len(surname) >= 4:  # "Bishop's book", "hinton's lectures"; a surname that is also a word only capitalised
            names.append((surname, surname.lower() in common_words))
    names.extend((a, False) for a in people[:2] if len(a.split()) >= 2)  # "Andrew Ng"
    return names


_FILLER = {"a", "an", "the", "of", "for", "and", "to", "in", "on", "with", "from", "its", "book", "course", "note",
           "paper", "lectures", "lecture", "introduction", "machine", "learning", "edition", "2nd", "3rd", "4th"}


def _content_words(text: str) -> set[str]:
    """Title words, singular ("cheatsheet" names the "cheatsheets")."""
    words = (w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in re.findall(r"[a-z0-9]+", text.lower()))
    return {w for w in words if w not in _FILLER and len(w) > 1}


def squashed(text: str) -> str:
    """Letters and digits only: "Auto-Encoding Variational Bayes" and "autoencoding variational bayes" agree."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass
class Intent:
    mentioned: list[str] = field(default_factory=list)  # resource ids named in the question
    wants_prerequisites: bool = False
    wants_next_step: bool = False
    compares: bool = False
    moves_away: bool = False  # "instead of X", "X was too applied", "after X": X is not the answer
    direction: str = "harder"  # or "easier" along the depth axis, or "earlier" in time (X's predecessors)
    rest: str = ""  # the question without the words that name resources ("the X paper" goes whole)
    lacks: str = ""  # the sentences where the learner says what they lack ("I've never done learning theory")
    knows: list[str] = field(default_factory=list)  # the parts where they say what they know ("solid on probability")
    about: list[str] = field(default_factory=list)  # a question about these named resources themselves
    refused: list[str] = field(default_factory=list)  # "not the book with Ben-David": named to be left out
    years: tuple[int, ...] = ()  # "the 2015 diffusion paper" (not "DDPM is 2020": a fact about a named one)
    unwanted: str = ""  # what the learner does not want ("no measure theory", "without proofs"), not a gap they state


# the record kind a noun after a name asks for ("the Learning From Data book")
_KIND_NOUNS = {"book": "book", "textbook": "book", "paper": "paper", "course": "course", "class": "course",
               "lecture": "course", "lectures": "course", "specialization": "course", "notes": "lecture-notes",
               "lecture notes": "lecture-notes", "video": "video-series", "videos": "video-series",
               "tutorial": "tutorial"}


# words of a publisher's or school's name that are not names by themselves ("Athena Scientific", "Imperial College
# London", "Khan Academy", "OCW Scholar")
_INSTITUTION_WORDS = {"scientific", "academy", "scholar", "london", "college", "university", "institute", "press",
                      "school", "online", "open"}


class IntentReader:
    def __init__(self, resources: dict[str, Resource], topic_terms: Iterable[str] = ()):
        self.patterns: list[tuple[re.Pattern, str, str]] = []  # with the name's first word, lowercased
        self.derived: set[tuple[str, str]] = set()  # (name, id): an acronym made from a title, not a given name
        self.titles: list[tuple[str, str]] = []  # squashed full titles, for titles typed without punctuation
        self.title_words: dict[str, set[str]] = {}
        self.kinds = {rid: r.kind for rid, r in resources.items()}
        # words the catalog itself writes in lowercase ("cover", "long"): as surnames they count only capitalised
        prose = " ".join(r.description for r in resources.values())
        self.common_words = frozenset(re.findall(r"\b[a-z]{4,}\b", prose))
        # a short title the catalog writes in lowercase again and again is a topic ("linear algebra")
        shorts = {re.split(r"[:(]", r.title)[0].strip().lower() for r in resources.values()}
        self.common_phrases = frozenset(t for t in shorts if len(t) > 3 and prose.count(t) >= 3)
        # a name that is also a topic ("Concentration Inequalities") stays in what is asked beyond the names
        self.topic_terms = frozenset(" ".join(t.lower().split()) for t in topic_terms)
        self.numbers = {r.id: set(re.findall(r"(?<![\w.])[1-3](?![\w.])", " ".join([r.title, *r.aliases])))
                        for r in resources.values()}
        self._add_places(resources)
        for r in resources.values():
            if not r.from_catalog:
                continue
            self.title_words[r.id] = _content_words(" ".join([r.title, *r.aliases]))
            whole = squashed(r.title)
            # "online convex optimization" does not name the book called "Convex Optimization": a title the
            # catalog's prose uses as a phrase is a topic when typed in lowercase
            if len(whole) >= 14 and r.title.lower() not in self.common_phrases:
                self.titles.append((whole, r.id))
            ac = acronym(r.title)
            if ac and ac not in r.aliases:
                self.derived.add((ac.lower(), r.id))
            # an author's surname names each of their records; a name the catalog gives one of them beats it
            # ("Bishop" given to PRML: "Bishop's book" is PRML, not the Bishops' 2024 book)
            self.derived.update((a.split()[-1].lower(), r.id) for a in r.authors if a.split()
                                if a.split()[-1] not in r.aliases)
            for name, case in resource_names(r, self.common_words, self.common_phrases):
                body = r"\s+".join(re.escape(w) for w in name.split())
                # a hyphen may join names ("Bartlett-Mendelson"), so only letters and digits bound a name
                self.patterns.append((re.compile(rf"(?<!\w){body}(?!\w)", 0 if case else re.I), r.id,
                                      name.split()[0].lower()))

    def _named_spans(self, question: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
        """The resources a question names, each with the words that name it (longest names first)."""
        spans: list[tuple[int, int, str]] = []
        lowered = question.lower()
        for pattern, rid, first in self.patterns:
            # a substring test first: a catalog description is scanned for 1,400 names
            for m in pattern.finditer(question) if first in lowered and rid not in skip else ():
                spans.append((m.start(), m.end(), rid))
        flat = squashed(question)
        typed = {rid for whole, rid in self.titles if whole in flat and rid not in skip}  # whole titles typed, punctuation or not
        # a title typed without punctuation has no place of its own: only for records named no other way
        found = {rid for _, _, rid in spans}
        spans += [(0, len(question), rid) for rid in typed if rid not in found]
        # Words that name several resources ("Andrew Ng", "Goodfellow") name the one more of whose title is
        # there: "Andrew Ng's Coursera course" is his Coursera course, not CS229; and "the X book" names
        # the book called X, not the course of the same name.
        asked = _content_words(question)
        # a whole title typed out ("autoencoding variational bayes") outweighs the authors' names it shares with
        # their other records
        numbers = set(re.findall(r"(?<![\w.])[1-3](?![\w.])", question))  # "probabilistic ML book 1" is PML1
        strength = {rid: len(self.title_words.get(rid, set()) & asked) + self._kind_named(question, b, rid)
                    + 3 * (rid in typed) + bool(numbers & self.numbers.get(rid, set())) for _, b, rid in spans}
        # "PML" given as PML1's name beats "PML" as the initials of PML2's title, and "Bishop" given as
        # PRML's name beats the surname of the Bishops' 2024 book (unless the question says more of that one)
        derived = {(a, b, rid) for a, b, rid in spans if (question[a:b].lower(), rid) in self.derived}
        given = {}
        for a, b, rid in spans:
            if (a, b, rid) not in derived:
                given[(a, b)] = max(given.get((a, b), -1), strength[rid])
        spans = [(a, b, rid) for a, b, rid in spans
                 if (a, b, rid) not in derived or strength[rid] > given.get((a, b), -1)]
        longest = sorted(spans, key=lambda s: (-(s[1] - s[0]), -strength[s[2]]))
        taken: list[tuple[int, int, int]] = []  # span and the strength of what it named
        named: list[tuple[int, int, str]] = []
        for a, b, rid in longest:
            overlap = [t for t in taken if a < t[1] and t[0] < b]
            # the same words already name another resource: keep this one only for an identical, as strong match
            if overlap and not any((a, b) == t[:2] and strength[rid] >= t[2] for t in overlap):
                continue
            taken.append((a, b, strength[rid]))
            named.append((a, b, rid))
        # words naming several resources go with the one the question also names otherwise: "Murphy's PML" is
        # PML1 (Murphy wrote two), "the VAE paper (Kingma, Welling)" the paper, not their later tutorial
        spans_of: dict[str, set] = {}
        for a, b, rid in named:
            spans_of.setdefault(rid, set()).add((a, b))
        shared = {(a, b): {rid for x, y, rid in named if (x, y) == (a, b)} for a, b, _ in named}
        return [(a, b, rid) for a, b, rid in named
                if len(shared[(a, b)]) == 1 or len(spans_of[rid]) > 1
                or not any(len(spans_of[o]) > 1 for o in shared[(a, b)] if o != rid)]

    def _add_places(self, resources: dict[str, Resource]) -> None:
        """A platform or school said in one title's brackets names that record ("Udacity's intro to ML",
        "the Caltech course"); not a word the catalog writes in lowercase, and not a person's first name."""
        first_names = {a.split()[0].lower() for r in resources.values() for a in r.authors if len(a.split()) > 1}
        found: dict[str, set[str]] = {}
        for r in resources.values():
            if r.from_catalog:
                for bracket in re.findall(r"\(([^)]*)\)", r.title):
                    for w in re.findall(r"\b[A-Z][A-Za-z]{3,}\b", bracket):
                        found.setdefault(w, set()).add(r.id)
        texts = [r.description.lower() for r in resources.values()]
        for w, rids in found.items():
            # "Python" (ISLR's edition) is in many records' prose: a word, not a place
            used = sum(1 for t in texts if re.search(rf"\b{re.escape(w.lower())}\b", t))
            if (len(rids) == 1 and used <= 2 and w.lower() not in self.common_words | _INSTITUTION_WORDS
                    and w.lower() not in first_names):
                rid = next(iter(rids))
                self.derived.add((w.lower(), rid))
                self.patterns.append((re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", re.I), rid, w.lower()))

    def names_in(self, text: str) -> list[tuple[int, int, str]]:
        """The resources a text names, where it names them."""
        return sorted({s for s in self._named_spans(text) if (s[0], s[1]) != (0, len(text))})

    def _kind_named(self, question: str, end: int, rid: str) -> int:
        """1 when the kind noun right after a name ("the Learning From Data book") is that record's kind."""
        m = _KIND_AFTER_NAME.match(question[end:])
        if not m:
            return 0
        return int(self.kinds.get(rid) == _KIND_NOUNS.get(m.group(2).lower()))

    def read(self, question: str) -> Intent:
        spans = named_anyhow = self._named_spans(question)
        # "the survey, not the book with Ben-David": a name said after "not the" is one the learner does not mean
        refused = frozenset(rid for a, _, rid in spans if _NOT_THIS.search(question[max(0, a - 40):a]))
        if refused:  # the words it shared with another record name that one
            spans = self._named_spans(question, refused)
        mentioned = list(dict.fromkeys(rid for _, _, rid in spans))
        compares = len(mentioned) >= 2 and bool(_COMPARE.search(question))
        before_name = any(_BEFORE_NAME.search(question[:a]) for a, _, _ in spans)
        # the question without the names (and "X's book", "the X paper"): what it asks beyond X
        rest, cut = question, len(question) + 1
        for a, b in sorted({(a, b) for a, b, _ in spans if (a, b) != (0, len(question))
                            and " ".join(question[a:b].lower().split()) not in self.topic_terms}, reverse=True):
            if b <= cut:  # each stretch of words once, from the end, so earlier offsets hold
                after = _DESCRIBED_AFTER_NAME.sub(" ", rest[b:], count=1)
                rest, cut = rest[:a] + " " + _KIND_AFTER_NAME.sub(" ", after, count=1), a
        # what the learner says about X is read without X's name ("Linear Algebra Done Right" finished nothing)
        said = rest if spans else question
        tail = question[max((b for a, b, _ in spans if (a, b) != (0, len(question))), default=len(question)):]
        later = _CLAUSES.split(tail)[1:]  # the clauses after the one that names X
        asks_else = (any((_WISH.search(c) or _REQUEST.search(c) and _WANTS_RESOURCE.search(c)) and not _LOOKUP.search(c)
                         for c in later)
                     and not _BACK_TO_NAME.search(tail) and not _CHOOSING.search(question))
        about = [] if compares else lookup_targets(question, spans)
        own = unnamed_clauses(question, named_anyhow)  # "not DDPM" names DDPM, though to refuse it
        # "X uses Hahn-Banach and I have no functional analysis. what to read?": a gap, then a request, asks for
        # what comes before X
        lacking = (bool(mentioned) and asks_else and not _EASIER.search(said)  # the learner's gap, not X's ("zero math")
                   and bool(re.search(r"\b(i|i'?m|i'?ve|my|me)\b", lack_clauses(rest), re.I)))
        # "a gentler book on the same ideas to read first", "anything lighter to read beforehand": before X, an
        # easier way into X's own subject, not X's foundations
        gentler_first = bool(mentioned) and bool(_GENTLER.search(said)) and not about and not compares
        if about:
            mentioned = list(dict.fromkeys(about + mentioned))
        return Intent(
            mentioned=mentioned,
            wants_prerequisites=not about and not gentler_first
            and (bool(_PREREQ.search(question)) or before_name or lacking),
            wants_next_step=not about and bool(_NEXT.search(said)),
            compares=compares,
            moves_away=bool(mentioned) and not compares and not about
            and bool(_NEXT.search(said) or _AWAY.search(said) or asks_else or gentler_first),
            direction="earlier" if _EARLIER.search(said) else "easier" if _EASIER.search(said) else "harder",
            rest=" ".join(rest.split()),
            lacks=lack_clauses(rest),
            knows=known_clauses(rest),
            about=about,
            refused=sorted(refused - set(mentioned)),
            years=tuple(int(y) for c in own for y in _YEAR.findall(c)),
            unwanted=" ".join(m.group(4) for c in own for m in _UNWANTED.finditer(c) if not _LACK.search(m.group(0))),
        )


def unnamed_clauses(question: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """The sentences that name no resource: what the learner says of their own wish, not of X ("X is hand-wavy,
    no regret proofs" says what X lacks)."""
    out: list[str] = []
    start = 0
    for m in [*_SENTENCES.finditer(question), None]:
        end = m.start() if m else len(question)
        if not any(start <= a < end for a, _, _ in spans):
            out.append(question[start:end])
        start = m.end() if m else len(question)
    return out


def lookup_targets(question: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """The named resources a question asks about (kept first), when no part of it asks for another resource."""
    spans = sorted({s for s in spans if (s[0], s[1]) != (0, len(question))})
    if not spans:
        return []
    targets: list[tuple[int, int, str]] = []
    start = 0
    for m in [*_QUESTIONS.finditer(question), None]:
        end = m.start() if m else len(question)
        clause = question[start:end]
        inside = [s for s in spans if s[0] >= start and s[1] <= end]
        before = [s for s in spans if s[1] <= start]
        bare = clause
        for a, b, _ in sorted(inside, reverse=True):
            bare = bare[:a - start] + " " + _KIND_AFTER_NAME.sub(" ", bare[b - start:], count=1)
        asked = clause + (m.group() if m else "")  # with its question mark
        if _ABOUT_PRONOUN.search(clause) or _OWN_COPY.search(clause) or _ELLIPTIC.match(asked):
            targets += before or inside  # "is it free?", "what do they cover": about the name said before
        elif _POLAR.match(clause) and not (_OTHER_THAN_NAMED if inside else _OTHER_RESOURCE).search(bare):
            targets += inside or before  # "is X too hard for me?", "do I need probability first?"
        elif ((_WISH.search(bare) or _REQUEST.search(bare)) and _WANTS_RESOURCE.search(bare)
              and _ASKS.search(bare)
              and not _LOOKUP.search(bare)):
            return []  # a request for another resource ("want something i can self study from" qualifies X)
        start = m.end() if m else len(question)
    # "Strang's 18.065" is about 18.065, though "Strang" names 18.06 too: words naming several records yield to
    # words naming one
    sharing = Counter((a, b) for a, b, _ in targets)
    alone = [rid for a, b, rid in targets if sharing[(a, b)] == 1]
    return list(dict.fromkeys(alone or [rid for _, _, rid in targets]))


# --- passage kinds a question asks for ------------------------------------------------------
_INTENTS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"(?i)\b(prove[sd]?|proofs?|proving|show that|why is .* true|rigorous(ly)? (argument|justification))\b"),
     ("proof", "theorem")),
    (re.compile(r"(?i)\b(deriv(e|es|ed|ation|ing)|work(ed)? out|step[- ]by[- ]step|how (do|does|is) .* (obtained|computed|come from))\b"),
     ("derivation",)),
    (re.compile(r"(?i)\b(defin(e|ed|ition|itions)|formal definition)\b"), ("definition",)),
    (re.compile(r"(?i)\b(theorem|lemma|corollary|statement of)\b"), ("theorem",)),
    (re.compile(r"(?i)\b(examples?|worked example|illustrat\w+|for instance)\b"), ("example",)),
    (re.compile(r"(?i)\b(exercises?|practice problems?|problem sets?|homework|problems to (solve|practice))\b"), ("exercise",)),
    (re.compile(r"(?i)\b(algorithm|pseudo-?code|procedure|steps of)\b"), ("algorithm",)),
]


def question_intent(question: str) -> tuple[str, ...]:
    """Passage kinds the question asks for, e.g. 'where is X proved' -> ('proof', 'theorem')."""
    wanted: list[str] = []
    for pattern, kinds in _INTENTS:
        if pattern.search(question):
            wanted.extend(k for k in kinds if k not in wanted)
    return tuple(wanted)


# --- resource attributes a question prefers ----------------------------------------------------
# Words in a question that say what kind of resource the learner wants (not what topic).
_PREFERENCES: list[tuple[str, str, tuple[str, ...]]] = [
    (r"\b(free|open[- ]access|no cost|without paying|can'?t afford|cannot afford|can'?t pay|cannot pay|no budget)\b",
     "access", ("free", "free-online")),
    (r"\b(course|mooc|lectures?|class|videos?|watch)\b", "kind", ("course", "video-series")),
    (r"\b(book|textbook)\b", "kind", ("book",)),
    (r"\b(cheat ?sheets?|reference cards?|quick reference|formula sheet)\b", "kind", ("cheatsheet",)),
    # a refresher is a short text: a cheatsheet, a review handout or a tutorial
    (r"\brefreshers?\b", "kind", ("cheatsheet", "lecture-notes", "tutorial")),
    (r"\b(paper|article|original|seminal|first (proposed|introduced|described|published)|(was|were|is) (introduced|"
     r"proposed|invented)|who (introduced|proposed|invented))\b|^\W*where (does|did|do) [^?]{1,60} come from",
     "kind", ("paper",)),
    (r"\b(lecture notes|notes)\b", "kind", ("lecture-notes",)),
    (r"\btutorial\b", "kind", ("tutorial",)),
    (r"\b(rigou?rous(ly)?|rigou?r|proofs?|prove[sd]?|proving|theorems?|theoretical|formal|derivations?|derive[sd]?|deriving)\b"
     r"|\b(the|actual|real|more|heavier|deeper) maths?\b|\bmath(s|ematics)?[- ](behind|heavy|heavier)\b"
     r"|\bmathematical(ly)?\b|\bnot just (how to )?(apply|use|call)|\btoo (applied|light|hand-?wavy|shallow|easy)\b"
     r"|\b(just|only) (sklearn|api|library) calls?\b",
     "math_depth", ("rigorous", "proof-heavy")),
    (r"\b(intuitive|intuition|visual|gentle|gentler|hands-on|without (much |heavy )?(math|maths|equations)|no proofs|"
     r"not proofs|minimal proofs|no[- ](heavy )?(math|maths|equations?)|not an? (math|maths) person|"
     r"not (really )?interested in (the )?(proofs|theory|math|maths)|(learn|learns|learning) (best )?by doing|"
     r"friendl\w*|approachable|accessible|readable|more explanation|fast tour|shorter|lighter|concise|"
     r"runnable code|with code|in code|implement(ing|ation)?)\b"
     r"|\b(my )?(math|maths|mathematics|background) (is|are) (weak|rusty|shaky|limited|not great)\b"
     r"|\bweak (at|in|on) (math|maths|mathematics)\b",
     "math_depth", ("applied", "moderate")),
    (r"\b(beginners?|introductory|first course|new to|starting out|basics|from scratch|newbie|"
     r"(my|(?<!as )a) (very )?first ([\w-]+ ){0,3}(book|course|text|textbook|class|read)|never (seen|done|taken|took|studied))\b",
     "level", ("intro",)),
    (r"\b(advanced|graduate|research[- ]level|phd|grad (student|school|level|course))\b",
     "level", ("advanced",)),
]


# "a course, not a book", "(not videos)", "not a whole course", "reading over watching videos": what is refused is
# not what is asked for, and counts against that kind
_REFUSED = re.compile(r"\b(not|no|instead of|rather than|without|isn'?t|aren'?t|over|than just)\s+((an?|the|just|only|"
                      r"whole|full|entire|watching|reading|read|watch)\s+){0,2}(books?|textbooks?|videos?|courses?|"
                      r"lectures?|papers?|"
                      r"cheat ?sheets?|notes)\b", re.I)
_REFUSED_KINDS = {"book": ("book",), "textbook": ("book",), "video": ("video-series", "course"),
                  "course": ("course",), "lecture": ("course", "video-series"), "paper": ("paper",),
                  "cheatsheet": ("cheatsheet",), "cheat sheet": ("cheatsheet",), "notes": ("lecture-notes",)}
_NO_PROOFS = re.compile(r"\b(no|not|without|minimal|light on|less|fewer|not (really )?interested in|not into|hate|avoid)"
                        r"\s+((the|any|much|heavy|real|too many)\s+)?(proofs?|theory|theorems?|rigou?r|derivations?|"
                        r"maths?|mathematics)\b", re.I)
# "the 2015 diffusion paper": a year named is the record's year; "a modern textbook": a recent one
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_RECENT = re.compile(r"\b(modern|recent|up[- ]to[- ]date|newer|latest|dated|outdated)\b", re.I)
RECENT_YEARS = 8


def attribute_preferences(query: str) -> dict[str, tuple]:
    prefs: dict[str, tuple] = {}
    lowered = query.lower()
    avoided = tuple(k for m in _REFUSED.finditer(lowered) for k in _REFUSED_KINDS.get(m.group(4).rstrip("s"), ()))
    if avoided:
        prefs["avoid_kind"] = tuple(dict.fromkeys(avoided))
    lowered = _REFUSED.sub(" ", lowered)
    unproved = _NO_PROOFS.sub(" ", lowered)  # "not interested in proofs" asks for no rigour
    for pattern, attr, values in _PREFERENCES:
        if re.search(pattern, unproved if values == ("rigorous", "proof-heavy") else lowered):
            prefs[attr] = tuple(dict.fromkeys(prefs.get(attr, ()) + values))
    if _RECENT.search(query):
        now = datetime.date.today().year
        prefs["year"] = tuple(range(now - RECENT_YEARS, now + 1))
    return prefs


# --- answers beyond a ranking: a comparison table, a study path ----------------------------------
_COMPARE_TABLE = re.compile(r"(?i)\bcompare\b.*\b(treat|cover|present|explain|handle)\w*|\bhow do (my|the) (books|resources|texts)\b"
                      r"|\bcompare\b.*\b(in|across) (my|the) (books|library|resources|texts)\b")
_PATH = re.compile(r"(?i)\b(study|learning) (path|plan|roadmap|order)\b|\broadmap\b|\bwhat (should|do) i (learn|study|read|know) "
                   r"(first|before)\b|\b(learn|study|know) (first )?before\b|\bwhat (math|maths|mathematics) do i need\b"
                   r"|\bprerequisites? (for|of|to)\b|\bprereqs?\b")


def wants_comparison(question: str) -> bool:
    return bool(_COMPARE_TABLE.search(question))


def wants_path(question: str) -> bool:
    return bool(_PATH.search(question) or _PREREQ.search(question))


# A follow-up that leans on an earlier turn ("which of those is free?") is searched with it.
_ANAPHORA = re.compile(r"\b(those|these|them|it|its|that one|this one|the proof|the first|the second|which one|same)\b", re.I)


def condense(question: str, history: list[str]) -> str:
    """A follow-up that leans on earlier turns ("which of those is free?") is searched with them."""
    if not history:
        return question
    if _ANAPHORA.search(question):
        return f"{history[-1]} {question}"
    return question


# "which of those is free?", "any of them for beginners?", "is it free?", "which one has proofs?"
_REFERS_BACK = re.compile(
    r"\b(of|among|from|between)\s+(those|these|them|the above|the ones|your (?:suggestions|recommendations))\b"
    r"|\b(those|these)\b"
    r"|\b(which|what|any|is|are|does|do)\b[^?]*\b(them|ones|one of them)\b"
    r"|^\s*(?:and\s+|so\s+)?(?:which|what)\s+one\b"
    r"|^\s*(?:and\s+|so\s+)?(?:is|are|does|do)\s+(?:it|that one|this one)\b",
    re.I,
)


def refers_to_previous(question: str) -> bool:
    """Whether a follow-up asks about the resources of the previous answer."""
    return bool(_REFERS_BACK.search(question))


# --- the words of a question that carry its topic ---------------------------------------------
# Words about the resource wanted, the asking or the learner, not about the topic: alone they must never
# pull a passage or a record ("book" and "dimension" finding an anecdote about a building).
_META = re.compile(
    r"(?<![\w.])(which|what|where|who|whose|how|when|why|is|are|was|were|does|do|did|can|could|should|would|"
    r"books?|textbooks?|texts?|courses?|class(es)?|lectures?|lecture notes|notes|videos?|series|playlists?|"
    r"papers?|articles?|cheat ?sheets?|refreshers?|references?|resources?|materials?|pdfs?|mooc|online|"
    r"free|cheap|paid|recommend(ed|ations?)?|suggest(ions?)?|good|best|great|nice|decent|"
    r"covers?|covering|covered|treats?|teach(es)?|explains?|discuss(es)?|proofs?|prove[sd]?|rigorous(ly)?|"
    r"intro(ductory|duction)?|beginners?|advanced|gentle|easy|hard|first|read(ing)?|learn|study|want|need|"
    r"looking|something|anything|the|for|about|that|this)\b",
    re.I)


def topic_words(question: str, strip_names: bool = False) -> str:
    """The question without its meta words; `strip_names` also drops possessives (the named resource goes)."""
    text = _META.sub(" ", question)
    text = re.sub(r"(?<!\S)[^\w\s]+(?!\S)|[?!.,;:]+(?=\s|$)", " ", text)
    if strip_names:
        text = re.sub(r"\b\w+'s\b", " ", text)
    return " ".join(text.split()) or question
