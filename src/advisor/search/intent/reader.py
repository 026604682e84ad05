"""The resources a question names, and the Intent it reads: named, before X, after X, a choice, a lookup."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from ...types import Resource
# the package's wording cues (cues.py, background.py), shared by its modules
from .asides import set_aside, without_marked_asides
from .background import _LACK, lack_clauses, own_gap, zero_wished
from .known import known_clauses, without_known
from .before import FIRST_SHOWN_IN, ORIGIN, asks_before, first_of_two
from .cues import (CAME_BEFORE, _ANAPHORA, _AS_LEVEL, _AWAY, _BACK_TO_NAME, _BEFORE_NAME, _BENEATH, _BETWEEN,
                   _BRACKET_AFTER_NAME, _CHOOSING, _CLAUSES, _COMPARATIVE, _DEEPER_THAN, _DESCRIBED_AFTER_NAME, _EARLIER,
                   _EASIER, _ELLIPTIC_REQUEST, _FIND_IT, _GOAL_BEFORE_NAME, _KIND_AFTER_NAME, _LACKED_IN_X, _LOOKUP,
                   _NEXT, _NOT_THIS, _OR_ELSE, _OTHERS_CHOICE, _REQUEST, _REQUIRES, _REVISES_NAME, _RULED_OUT_AFTER,
                   _SAME_SOURCE, _SIDEWAYS, _SUBJECT, _WANTS_RESOURCE, _WISH, _YARDSTICK, said_years, unnamed_clauses)
from .lookup import heard_beside, heard_options, lookup_targets
from .choices import alike_in_choice, compares_named
from .moves import easier_way_in, said_used, wants_depth
from .plans import presupposing, read_plan, untried
from .refusals import buried_parts, unwanted_parts
from .names import (COINED, _INSTITUTION_WORDS, _KIND_NOUNS, _NOUN_AFTER, _PLATFORMS, _as_subject, _before_name,
                    _behind, _content_words, _near, _subject_words, _title_pattern, acronym, acronym_as_subject,
                    author_initials, dated, kind_in_sentence, place_subject_names,
                    quoted_titles,
                    refused_in_list, resource_names, said_in_sentence, squashed, surname)
from .record import Intent


_A_YEAR = re.compile(r"\b(19|20)\d\d\b")


class IntentReader:
    def __init__(self, resources: dict[str, Resource], topic_terms: Iterable[str] = (),
                 topic_names: dict[str, list[str]] | None = None):
        """`topic_names`: each topic's terms, by topic id ("MIT's probability lectures" names the MIT course
        whose subject is probability)."""
        self.patterns: list[tuple[re.Pattern, str, str]] = []  # with the name's first word, lowercased
        self.derived: set[tuple[str, str]] = set()  # (name, id): an acronym made from a title, not a given name
        self.titles: list[tuple[str, str]] = []  # squashed full titles, for titles typed without punctuation
        self.title_words: dict[str, set[str]] = {}
        self.kinds = {rid: r.kind for rid, r in resources.items()}
        self.years = {rid: r.year for rid, r in resources.items()}
        self.squashed_names = {rid: [squashed(n) for n in (r.title, *r.aliases)] for rid, r in resources.items()}
        # "Boyd's Convex Optimization": a title said after its author's possessive is part of the name
        self.short_titles = {rid: re.sub(r"^(the|an?)\s+", "", re.split(r"[:(]", r.title)[0].strip().lower())
                             for rid, r in resources.items()}
        # words the catalog itself writes in lowercase ("cover", "long"): as surnames they count only capitalised
        prose = " ".join(r.description for r in resources.values())
        # (a record id the prose cites, "grinstead-snell-probability", is no use of "grinstead" as a word)
        cited = "|".join(re.escape(rid) for rid in sorted(resources, key=len, reverse=True) if "-" in rid)
        prose = re.sub(rf"(?<![\w-])({cited})(?![\w-])", " ", prose) if cited else prose
        self.common_words = frozenset(re.findall(r"\b[a-z]{3,}\b", prose))
        # a short title the catalog writes in lowercase again and again is a topic ("linear algebra")
        shorts = {re.split(r"[:(]", r.title)[0].strip().lower() for r in resources.values()}
        self.common_phrases = frozenset(t for t in shorts if len(t) > 3 and prose.count(t) >= 3)
        # a name that is also a topic ("Concentration Inequalities") stays in what is asked beyond the names
        self.topic_terms = frozenset(" ".join(t.lower().split()) for t in topic_terms)
        self.numbers = {r.id: set(re.findall(r"(?<![\w.])[1-3](?![\w.])", " ".join([r.title, *r.aliases])))
                        for r in resources.values()}
        self._add_places(resources)
        self.own_surnames = {r.id: {surname(a).lower() for a in r.authors if a.split()} for r in resources.values()}
        self.surnames = surnames = frozenset(s for own in self.own_surnames.values() for s in own)
        coined = Counter(w.lower() for r in resources.values() if r.from_catalog for w in set(COINED.findall(r.title)))
        once = frozenset(w for w, n in coined.items() if n == 1)
        for r in resources.values():
            if not r.from_catalog:
                continue
            # (an alias with a year, "Kingma and Welling 2019", is a name for when the year is said: its words are
            # no evidence for the record when the bare names are)
            self.title_words[r.id] = _content_words(" ".join([r.title, *(a for a in r.aliases if not _A_YEAR.search(a))]))
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
            self.derived.update((surname(a).lower(), r.id) for a in r.authors if a.split() if surname(a) not in r.aliases)
            for name, case in resource_names(r, self.common_words, self.common_phrases, surnames, once):
                # ("Columbia's edX course" says the alias "Columbia edX" with a possessive inside it)
                # ... and a space typed as a hyphen ("the gradient-penalty paper")
                body = r"(?:'s|\u2019s)?[\s-]+".join(re.escape(w) for w in name.split())
                body = re.sub(r"(?<=\d)\\\.(?=\d)", r"[.\\s]?", body)  # "6.036" typed "6 036" or "6036"
                body = re.sub(r"(?<=[A-Za-z])\\-(?=[A-Za-z])", r"[-\\s]?", body)  # "Ben-David" typed "Ben David"
                body = re.sub(r"(?<=[A-Z])(?=\d)", r"\\s?", body)  # "CS189" typed "cs 189"
                # a hyphen may join names ("Bartlett-Mendelson"), so only letters and digits bound a name
                self.patterns.append((re.compile(rf"(?<!\w){body}(?!\w)", 0 if case else re.I), r.id,
                                      re.split(r"\.(?=\d)|-(?=[A-Za-z])", name.split()[0])[0].lower()))
        self.patterns.extend(place_subject_names(resources, topic_names or {}) + author_initials(resources, prose))
        self.whole_titles = {rid: whole for whole, rid in self.titles}
        self.comma_titles = {rid for rid, r in resources.items() if "," in r.title}

    def _named_spans(self, question: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
        """The resources a question names, each with the words that name it (longest names first)."""
        spans: list[tuple[int, int, str]] = []
        lowered = question.lower()
        for pattern, rid, first in self.patterns:
            # a substring test first: a catalog description is scanned for 1,400 names
            for m in pattern.finditer(question) if first in lowered and rid not in skip else ():
                if not _subject_words(question, m.start(), m.end()):
                    spans.append((m.start(), m.end(), rid))
        spans, quoted = quoted_titles(question, self.whole_titles, spans + self._kind_said_after(question, spans, skip),
                                      skip, self.topic_terms)
        flat = squashed(question)
        typed = {rid for whole, rid in self.titles if whole in flat and rid not in skip  # whole titles typed, punctuation or not
                 and not _as_subject(question, whole) and self._in_one_clause(question, rid)}
        # a title typed without punctuation has no place of its own: only for records named no other way
        found = {rid for _, _, rid in spans}
        # "Improved Training of Wasserstein GANs" holds "Wasserstein GAN": a title inside a longer one typed is that one
        whole = self.whole_titles
        typed = {rid for rid in typed if not any(o != rid and whole[rid] in whole[o] and len(whole[o]) > len(whole[rid])
                                                 for o in typed | quoted)}
        spans += [(0, len(question), rid) for rid in typed if rid not in found]
        # Words that name several resources ("Andrew Ng", "Goodfellow") name the one more of whose title is
        # there: "Andrew Ng's Coursera course" is his Coursera course, not CS229; and "the X book" names
        # the book called X, not the course of the same name.
        asked = _content_words(question)
        # a whole title typed out ("autoencoding variational bayes") outweighs the authors' names it shares with
        # their other records
        numbers = set(re.findall(r"(?<![\w.])[1-3](?![\w.])", question))  # "probabilistic ML book 1" is PML1
        strength: dict[str, float] = {}
        for a, b, rid in spans:
            # the title's words said next to the name ("the CS229 linear algebra handout"), not anywhere in the
            # question ("the linear algebra ... CS229 expects" names the course)
            near = _content_words(_near(question, a, b)) if (a, b) != (0, len(question)) else asked
            near |= _PLATFORMS if "mooc" in near else set()
            # ... but the name's own words only break a tie: "Shalev-Shwartz" is in UML's alias "Shalev-Shwartz and
            # Ben-David", and "Shalev-Shwartz's online learning survey" is his survey
            own = _content_words(question[a:b]) if (a, b) != (0, len(question)) else set()
            title = self.title_words.get(rid, set())
            strength[rid] = max(strength.get(rid, 0), len(title & (near - own))
                                + self._kind_named(question, b, rid) + 3 * (rid in typed)
                                + bool(numbers & self.numbers.get(rid, set()))
                                + 0.5 * kind_in_sentence(question, a, b, self.kinds.get(rid)))
        # "PML" given as PML1's name beats "PML" as the initials of PML2's title, and "Bishop" given as
        # PRML's name beats the surname of the Bishops' 2024 book (unless the question says more of that one)
        derived = {(a, b, rid) for a, b, rid in spans if (question[a:b].lower(), rid) in self.derived}
        given = {}
        for a, b, rid in spans:
            if (a, b, rid) not in derived:
                given[(a, b)] = max(given.get((a, b), -1), strength[rid])
        spans = [(a, b, rid) for a, b, rid in spans
                 if (a, b, rid) not in derived or strength[rid] > given.get((a, b), -1)]
        # a surname naming several of the author's records, as strongly, names the one whose title the sentence
        # says ("proofs through linear algebra before I try Axler" is Linear Algebra Done Right)
        rank = {(a, b, rid): (strength[rid], said_in_sentence(question, a, b, self.title_words.get(rid, set()))
                              if (question[a:b].lower(), rid) in self.derived else 0) for a, b, rid in spans}
        longest = sorted(spans, key=lambda s: (-(s[1] - s[0]), -strength[s[2]], -rank[s][1]))
        taken: list[tuple[int, int, tuple]] = []  # span and the strength of what it named
        named: list[tuple[int, int, str]] = []
        for a, b, rid in longest:
            overlap = [t for t in taken if a < t[1] and t[0] < b]
            # the same words already name another resource: keep this one only for an identical, as strong match
            if overlap and not any((a, b) == t[:2] and rank[(a, b, rid)] >= t[2] for t in overlap):
                continue
            taken.append((a, b, rank[(a, b, rid)]))
            named.append((a, b, rid))
        # words naming several resources go with the one the question also names otherwise: "Murphy's PML" is
        # PML1 (Murphy wrote two), "the VAE paper (Kingma, Welling)" the paper, not their later tutorial
        spans_of: dict[str, set] = {}
        for a, b, rid in named:
            spans_of.setdefault(rid, set()).add((a, b))
        shared = {(a, b): {rid for x, y, rid in named if (x, y) == (a, b)} for a, b, _ in named}
        # ... unless the kind said after the words is this one's ("the Abu-Mostafa book that goes with his Caltech
        # lectures" names the book and the course)
        kinded = {(a, b) for a, b, rid in named if len(shared[(a, b)]) > 1 and self._kind_named(question, b, rid)}
        return [(a, b, rid) for a, b, rid in named
                if (self._kind_named(question, b, rid) if (a, b) in kinded
                    else len(shared[(a, b)]) == 1 or len(spans_of[rid]) > 1
                    or not any(len(spans_of[o]) > 1 for o in shared[(a, b)] if o != rid))]

    def _kind_said_after(self, question: str, spans, skip) -> list[tuple[int, int, str]]:
        """"The Stat 110 probability cheatsheet" names the cheatsheet whose title holds "Stat 110", not the
        course called Stat 110: a kind said just after a name, that the named record is not, names the one record
        of that kind carrying the name (the span grows to the noun, so it outranks the bare name)."""
        out = []
        for a, b, rid in spans:
            m = _NOUN_AFTER.match(question[b:])
            kind = _KIND_NOUNS.get(" ".join(m.group(4).lower().split())) if m else None
            if kind is None or self.kinds.get(rid) == kind:
                continue
            name = squashed(question[a:b])
            # an author's name between is that record's ("the Kingma and Welling paper" is not Kingma and Ba's)
            between = _content_words(m.group(2)) & self.surnames
            others = [o for o, names in self.squashed_names.items() if self.kinds.get(o) == kind and o not in skip
                      and any(name in n for n in names) and between <= self.own_surnames.get(o, set())]
            if len(others) == 1:
                out.append((a, b + m.end(), others[0]))
        return out

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

    def _names_subject(self, text: str) -> bool:
        """Whether the text names a topic, or maths or background in general (without a topic vocabulary to
        tell, any text does)."""
        if not self.topic_terms:
            return True
        words = " ".join(re.findall(r"[a-z0-9'-]+", text.lower()))
        return bool(_SUBJECT.search(words)) or any(re.search(rf"\b{re.escape(t)}\b", words) for t in self.topic_terms
                                                   if t.split()[0] in words)

    def names_in(self, text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
        """The resources a text names, where it names them (never those in `skip`)."""
        return sorted({s for s in self._named_spans(text, skip) if (s[0], s[1]) != (0, len(text))})

    def _kind_named(self, question: str, end: int, rid: str) -> int:
        """1 when the kind noun right after a name ("the Learning From Data book") is that record's kind."""
        m = _KIND_AFTER_NAME.match(question[end:])
        if not m:
            return 0
        return int(self.kinds.get(rid) == _KIND_NOUNS.get(m.group(2).lower()))

    def _in_one_clause(self, question: str, rid: str) -> bool:
        """Whether a title typed without its punctuation is typed within one clause: "NTK and deep learning theory,
        lecture notes fine" does not type "Deep Learning Theory Lecture Notes"."""
        whole = self.whole_titles[rid]
        breaks = "" if rid in self.comma_titles else ","
        return bool(re.search(f"[^a-z0-9{breaks};?!]*".join(whole), question.lower()))

    def without_asides(self, question: str) -> str:
        """The question without the remarks it marks as beside it and the options the learner weighed and set aside
        (asides.without_marked_asides, asides.set_aside)."""
        return set_aside(without_marked_asides(question), lambda text: bool(self._named_spans(text)))

    def _read_names(self, question: str) -> tuple[list, list, frozenset[str]]:
        """The names a question says (and all it says, refused ones included), and the records it refuses."""
        # "the ideas of numerical linear algebra" asks a topic: a title that is a topic's name, typed in lower case,
        # is the topic
        # ... but a possessive is a person's ("nesterov's lectures" are Nesterov's, not the momentum topic)
        spans = named_anyhow = [s for s in self._named_spans(question)
                                if not (question[s[0]:s[1]].islower() and not question.startswith("'s", s[1])
                                        and " ".join(question[s[0]:s[1]].split()) in self.topic_terms
                                        # ("pre-ddpm", "before ddpm": a point in time is a paper, not the topic)
                                        and not _BEFORE_NAME.search(question[:s[0]])
                                        # ... and "the wgan paper" is the paper its kind noun says
                                        and not (re.search(r"\bthe\s+$", question[:s[0]], re.I)
                                                 and self._kind_named(question, s[1], s[2])))
                                and not _LACKED_IN_X.search(question[max(0, s[0] - 60):s[0]])
                                and not acronym_as_subject(question, s[0], s[1], self.kinds.get(s[2]))]
        # "the survey, not the book with Ben-David": a name said after "not the" is one the learner does not mean
        # ... and so is one said as the learner's level ("ML basics at roughly cs229 level", "stat 110 level
        # probability"): behind them, not an answer
        levels = {(a, b) for a, b, _ in spans if _AS_LEVEL.match(question[b:])}
        # ... unless it is what X requires ("X wants linear algebra at the 18.06 level"): no step behind, no X either
        required = {(a, b) for a, b in levels if _REQUIRES.search(question[max(0, a - 60):a])}
        said_not = refused_in_list(question, spans, {(a, b) for a, b, _ in spans if _NOT_THIS.search(
            question[max(0, a - 40):a]) or _RULED_OUT_AFTER.match(question[b:])})
        refused = frozenset(rid for a, b, rid in spans if (a, b) in said_not or (a, b) in levels - required)
        # "not Bishop" refuses each of his books in turn, but one whose title follows the name only that one
        titled = {b for _, b, rid in spans if self.title_words.get(rid, set()) & _content_words(question[b:b + 60])}
        while refused:  # the words it shared with another record name that one (but a level or a refusal names none)
            rescan = self._named_spans(question, refused)
            more = {rid for a, b, rid in rescan if (a, b) in said_not and b not in titled} - refused
            refused |= more
            if not more:
                spans = [s for s in rescan if not any(s[0] < b and a < s[1] for a, b in levels | said_not)]
                break
        spans = [s for s in spans if (s[0], s[1]) not in required]
        spans = dated(question, spans, self.years, self.derived)
        # "is CASI derivation-heavy like ESL?": beside another name, one said as a yardstick is not asked about
        if len({rid for _, _, rid in spans}) >= 2:
            spans = [s for s in spans if not _YARDSTICK.search(question[max(0, s[0] - 20):s[0]])] or spans
        return spans, named_anyhow, refused

    def _without_names(self, question: str, spans: list) -> str:
        """The question without the names (and "X's book", "the X paper"): what it asks beyond X."""
        rest, cut = question, len(question) + 1
        titled = {}
        for a, b, rid in spans:
            title = self.short_titles.get(rid, "")
            m = re.match(rf"'s\s+{_title_pattern(title)}\b", question[b:], re.I) if len(title) > 3 else None
            titled[(a, b)] = max(titled.get((a, b), 0), m.end() if m else 0)
        for a, b in sorted({(a, b) for a, b, _ in spans if (a, b) != (0, len(question))
                            and (" ".join(question[a:b].lower().split()) not in self.topic_terms
                                 or question.startswith("'s", b))}, reverse=True):
            if b <= cut:  # each stretch of words once, from the end, so earlier offsets hold
                b = b + titled[(a, b)] if b + titled.get((a, b), 0) <= cut else b
                after = _BRACKET_AFTER_NAME.sub(" ", _DESCRIBED_AFTER_NAME.sub(" ", rest[b:], count=1), count=1)
                rest, cut = rest[:a] + " " + _KIND_AFTER_NAME.sub(" ", after, count=1), a
        if spans:  # "the book barely touched it" says more of X, and asks for no book
            rest = _ANAPHORA.sub(" ", rest)
        return rest

    def _earlier(self, said: str, mentioned: list[str], before_name: bool) -> bool:
        """Whether what is asked lies back in time from X ("the first diffusion paper, before DDPM"); "I want the
        original short paper" said of a named paper (Kingma & Welling 2013) is that paper."""
        papers = bool(mentioned) and all(self.kinds.get(r) == "paper" for r in mentioned)
        return any(not (m.group("original") and papers and not before_name) for m in _EARLIER.finditer(said))

    def _choice(self, question: str) -> tuple:
        """The names a question says and those it refuses, the plan around them (plans.read_plan), the ones behind
        the learner, and whether two of them are compared."""
        spans, named_anyhow, refused = self._read_names(question)
        if refused and not spans and _COMPARATIVE.search(question):  # "not Bishop's PRML, something lighter?": from it
            spans = [s for s in named_anyhow if s[2] in refused]  # (the others "Bishop" names stay refused)
        if asks_before(question, spans):
            heard = heard_beside(question, spans)
            spans = [s for s in spans if s[2] not in heard]
        plan = read_plan(question, spans)  # "week 1: X; week 2: ?; week 3: Y": X and Y are the plan around the answer
        behind = _behind(question, spans)
        mentioned = list(dict.fromkeys(rid for _, _, rid in spans))
        # two names compared: not "is X good or is there something friendlier?", nor "CS229" (one name, many records)
        compares = len({(a, b) for a, b, _ in spans}) >= 2 and len(mentioned) >= 2 \
            and compares_named(_OR_ELSE.sub(lambda m: " " * len(m.group()), question), spans)
        if compares:
            spans = alike_in_choice(spans, self.kinds)
        return spans, named_anyhow, refused, plan, behind, compares

    def _asks_else(self, question: str, tail: str, later: list[str], mentioned: list[str]) -> bool:
        """Whether a clause after the last name asks for another resource ("X was great but ..., what free book
        covers Y?"), not for X ("which book is that?", "the place where the minimax objective first appeared": a
        paper, a course or a video named is where it first appeared, a book is not)."""
        origin = bool(mentioned) and all(self.kinds.get(r) in FIRST_SHOWN_IN for r in mentioned)
        return (any((_WISH.search(c) or _REQUEST.search(c) and _WANTS_RESOURCE.search(c)) and not _LOOKUP.search(c)
                    for c in later) and not (origin and ORIGIN.search(tail))
                and not _BACK_TO_NAME.search(tail) and not _CHOOSING.search(question))

    def read(self, question: str) -> Intent:
        spans, named_anyhow, refused, plan, behind, compares = self._choice(question)
        done = behind | plan.placed
        mentioned = list(dict.fromkeys(rid for _, _, rid in spans))
        before_name = _before_name(question, spans)
        rest = self._without_names(question, spans)
        # what the learner says about X is read without X's name ("Linear Algebra Done Right" finished nothing)
        said = rest if spans else question
        tail = question[max((b for a, b, _ in spans if (a, b) != (0, len(question))), default=len(question)):]
        later = _CLAUSES.split(tail)[1:]  # the clauses after the one that names X
        asks_else = self._asks_else(question, tail, later, mentioned)
        # ("X skipped the derivations, where can I find them?" asks where what X leaves out is)
        found_elsewhere = bool(_SIDEWAYS.search(said) and _FIND_IT.search(question))
        about = [] if compares or found_elsewhere else lookup_targets(question, spans, self.own_surnames)
        own = unnamed_clauses(question, named_anyhow)  # "not DDPM" names DDPM, though to refuse it
        lacks = lack_clauses(rest)
        # "X uses Hahn-Banach and I have no functional analysis. what to read?": a gap, then a request, asks for
        # what comes before X, as does "I want to read X but I've never seen optimal transport", without a request
        goal = any(_GOAL_BEFORE_NAME.search(question[max(0, a - 40):a]) for a, _, _ in spans)
        # after a gap, "free book that covers them gently?", "what covers that": a resource asked for (the pronoun
        # points to the gap, not back to X)
        # ... a short clause read with the next ("Is there a free, shortish monograph that builds FTRL first?")
        requested = any((_ELLIPTIC_REQUEST.match(c) or _REQUEST.search(c) and _WANTS_RESOURCE.search(c))
                        and not _LOOKUP.search(c)
                        for c in [*later, *(a + ", " + b for a, b in zip(later, later[1:]) if len(a.split()) <= 4)])
        # (not in a choice: "A has proofs, B has animations. I ONLY want the picture, no derivations yet. which?")
        lacking = bool(mentioned) and (asks_else or goal or requested) and not compares \
            and own_gap(said, lacks, question, self._names_subject)
        # a gap named is what comes first
        gentler_first = bool(mentioned) and easier_way_in(said, question) and not about and not compares and not lacking
        earlier = self._earlier(said, mentioned, before_name)
        used = said_used(question, spans, bool(behind), tail)
        beside = " ".join(rest.split())  # what is asked beside the names, as Intent.rest keeps it
        mine = _OTHERS_CHOICE.sub(" ", said)
        known = known_clauses(rest)
        if about:
            mentioned = list(dict.fromkeys(about + mentioned))
            done = behind | (plan.placed - set(about))  # ("week 1, Kolter's handout ... where is the week-1 one?")
        between = len(mentioned) >= 2 and bool(_BETWEEN.search(said))
        return Intent(
            mentioned=mentioned,
            # "the first diffusion paper, before DDPM" asks for what came before X in time, not what X builds on
            # (nor do "a course in between?" two named ones and "which paper came before it?")
            wants_prerequisites=not about and not gentler_first and not between
            and not (earlier and CAME_BEFORE.search(said))
            and (asks_before(first_of_two(question) if compares else question, spans)
                 or before_name and not earlier or lacking or plan.before_placed and not compares
                 # "Axler's MIRA assumes real analysis, and I've never done analysis": what comes before the step
                 # (not "I tried Vershynin's book and it assumed more analysis than I have": one at their level)
                 or bool(lacks) and not compares and untried(question, spans, presupposing(question, spans))),
            wants_next_step=not about and bool(_NEXT.search(mine)),
            compares=compares,
            moves_away=bool(mentioned) and not compares and not about
            and bool(_NEXT.search(mine) or _AWAY.search(mine) or _SIDEWAYS.search(said) or asks_else or gentler_first
                     or used or before_name and earlier or plan.after_placed) and not _REVISES_NAME.search(said)
            and not heard_options(question, spans, done),
            direction="earlier" if earlier else "easier" if _EASIER.search(said) or gentler_first else "harder",
            deeper=wants_depth(without_known(said, known)),
            deeper_than=bool(_DEEPER_THAN.search(said)),
            sideways=bool(_SIDEWAYS.search(said)),
            rest=beside,
            compares_depth=bool(_COMPARATIVE.search(beside)),
            lacks=lacks,
            knows=known,
            about=about,
            refused=sorted((refused - set(mentioned)) | done),
            years=said_years([question] if about else own),  # ("Strang did a course around 2018": the one asked)
            unwanted=" ".join(u for c in own if (not _LACK.search(c) or zero_wished(c)) and c.strip() not in lacks
                              for u in unwanted_parts(c)),
            buried=" ".join(u for c in own for u in buried_parts(c)),
            same_source=bool(mentioned) and bool(_SAME_SOURCE.search(question)),
            between=between,
            beneath=not mentioned and bool(lacks) and bool(_BENEATH.search(question)),
            presupposing=presupposing(question, spans),
        )

