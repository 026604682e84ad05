"""How a learner names a catalog record: its short title, course codes, aliases, acronym, authors' surnames; and
the small text helpers the reader of names uses to place a name in a question."""

from __future__ import annotations

import re
import unicodedata

from ...types import Resource
from .known import known_clauses
from .cues import (_BEFORE_NAME, _MAKES_SENSE, _NAME_EXPECTS, _SENTENCE_END, _SMALL, _SO_THAT,
                   _USED_BEFORE_NAME, REFUSED_VERB)


def surname(author: str) -> str:
    """An author's surname: the last word, not a generational suffix ("Hal Daumé III" is Daumé)."""
    words = author.split()
    kept = [w for w in words if not re.fullmatch(r"(I{1,3}|IV|Jr\.?|Sr\.?)", w)]
    return (kept or words or [""])[-1]


def folded(text: str) -> str:
    """The text without accents, as learners type names: "Daumé" -> "Daume", "Schölkopf" -> "Scholkopf"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def acronym(title: str) -> str | None:
    head = re.split(r"[:(]", title)[0]
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", head) if w.lower() not in _SMALL]
    letters = "".join(w[0].upper() for w in words)
    return letters if 3 <= len(letters) <= 6 else None


# two-letter words a sentence may open with, which short surnames ("Do", "Li", "Ma") can spell
_FUNCTION_WORDS = frozenset({"do", "so", "no", "go", "be", "he", "we", "me", "us", "it", "is", "if", "in", "on", "or", "of",
                             "to", "an", "as", "at", "by", "my", "up", "oh", "ok"})


# a word a title coins, capitals inside it: "StatQuest", "ColumbiaX"
COINED = re.compile(r"(?<![\w.])[A-Za-z]*[a-z][A-Z][A-Za-z]*(?![\w.])")


def resource_names(r: Resource, common_words: frozenset[str] = frozenset(),
                   common_phrases: frozenset[str] = frozenset(),
                   authors_surnames: frozenset[str] = frozenset(),
                   coined: frozenset[str] = frozenset()) -> list[tuple[str, bool]]:
    """Ways a learner names a resource: (text, case_sensitive). `authors_surnames`: every catalog author's,
    lowercased; `coined`: the coined words (COINED) of one title only, lowercased."""
    names: list[tuple[str, bool]] = []
    short = re.split(r"[:(]", r.title)[0].strip()
    if (len(short.split()) >= 2 and short.lower() not in common_phrases) or re.search(r"\d", short):
        names.append((short, False))  # not "Linear Algebra" or "Deep Learning": those name a topic
        # ... typed without its article too ("people keep saying Elements of Statistical Learning")
        bare = re.sub(r"^(the|an?)\s+", "", short, flags=re.I)
        if bare != short and len(bare.split()) >= 2 and bare.lower() not in common_phrases:
            names.append((bare, False))
    # "I outgrew StatQuest": a word only this title coins names it, however it is typed
    names.extend((w, False) for w in COINED.findall(r.title) if len(w) >= 5 and w.lower() in coined)
    # CS229, CS 156, EE364a (not "MIT 18" out of "MIT 18.06")
    code = re.findall(r"\b([A-Z]{2,}\s?\d{2,4}[A-Za-z]?)(?!\w|\.\w)", r.title)
    names.extend((c, False) for c in code)
    names.extend((c.replace(" ", ""), False) for c in code if " " in c)
    names.extend((c, False) for c in re.findall(r"(?<![\w.])(\d{1,2}\.[A-Z]?\d{2,4})(?![\w])", r.title))  # 18.06, 6.036
    for alias in r.aliases:
        # an acronym typed in lowercase still names the record ("islr", "prml"), unless its letters spell a word
        # the catalog's prose uses ("POT" is not "pot"); "d2l", "Bishop's book" are never case-sensitive
        acronymic = bool(re.fullmatch(r"[A-Z]{2,6}", alias))
        names.append((alias, acronymic and (len(alias) < 3 or alias.lower() in common_words)))
    ac = acronym(r.title)
    if ac and r.kind in ("book", "paper", "lecture-notes"):
        names.append((ac, True))
    people = [a for a in r.authors if a.split()]
    surnames = [surname(a) for a in people]
    if len(surnames) >= 2:
        names.append((f"{surnames[0]} and {surnames[1]}", False))
        names.append((f"{surnames[0]} & {surnames[1]}", False))
        names.append((f"{surnames[0]}/{surnames[1]}", False))  # "the gallier/quaintance book"
    if surnames:  # "Ho et al.", however short the first author's surname
        names.extend((f"{surnames[0]} et al{dot}", len(surnames[0]) < 4) for dot in (".", ""))
    # "Kilian's lectures": a lecturer's first name, said as a possessive; not one that is another author's surname
    # ("Sutton's book" is Sutton and Barto's, not Robbins and Sutton Monro's paper)
    names.extend((f"{a.split()[0]}'s", True) for a in people[:2] if len(a.split()) >= 2 and len(a.split()[0]) >= 4
                 and a.split()[0].lower() not in common_words and a.split()[0].lower() not in authors_surnames)
    for sur in surnames[:3]:
        if len(sur) >= 4:  # "Bishop's book", "hinton's lectures"; a surname that is also a word only capitalised
            names.append((sur, sur.lower() in common_words))
        if len(sur) >= 5 and sur.lower() not in common_words and not sur.endswith("s"):
            names.append((sur + "s", False))  # a possessive typed without its apostrophe: "karpathys videos"
        if 2 <= len(sur) < 4 and sur.isalpha() and not sur.isupper() and sur.lower() not in common_words:
            # a short surname ("Ng", "Ho") names a record as typed: lowercase it could be a fragment ("lin alg",
            # "ma thesis"), unless no word is spelled like it ("ng coursera": no vowel); one that is a function word
            # opens sentences ("Do you have it?"), so only its possessive names ("Do's review")
            if sur.lower() in _FUNCTION_WORDS:
                names.append((sur + "'s", True))
            else:
                names.append((sur, bool(re.search(r"[aeiouy]", sur, re.I))))
    names.extend((a, False) for a in people[:2] if len(a.split()) >= 2)  # "Andrew Ng"
    # ... and each typed without its accents ("daume's book")
    return names + [(folded(n), case) for n, case in names if folded(n) != n and len(folded(n)) >= 3]


_FILLER = {"a", "an", "the", "of", "for", "and", "to", "in", "on", "with", "from", "its", "book", "course", "note",
           "paper", "lectures", "lecture", "introduction", "machine", "learning", "edition", "2nd", "3rd", "4th",
           "serie", "series", "video", "videos", "what", "is", "but"}


def _content_words(text: str) -> set[str]:
    """Title words, singular ("cheatsheet" names the "cheatsheets")."""
    words = (w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in re.findall(r"[a-z0-9]+", text.lower()))
    return {w for w in words if w not in _FILLER and len(w) > 1}


_NAME_VERBS = re.compile(r"(assumes?|requires?|expects?|needs|uses|covers|says|is|was|has|had|does|did|goes|went|"
                         r"moves|felt|feels|seems|teaches|leans|skips|lost|loses|presupposes|takes)", re.I)


def _near(text: str, a: int, b: int, words: int = 3) -> str:
    """The name at text[a:b] with up to `words` words on each side, within its sentence."""
    left = re.split(r"[.;!?]\s", text[:a])[-1].split()[-words:]
    # ("Blei et al.'s VI review": "et al." is part of the name, and no sentence ends there)
    # ... nor is a possessive a word of its own ("Blei's variational inference review" says three words of the title)
    after = re.sub(r"^('s|\u2019s)?\s+et\.?\s+al\b\.?('s)?|^('s|\u2019s)", "", text[b:], flags=re.I)
    right = re.split(r"[.;!?](\s|$)", after)[0].split()
    # ("CS229 assumes probability I don't have": what the resource does is no part of its name)
    verb = next((i for i, w in enumerate(right) if _NAME_VERBS.fullmatch(w)), len(right))
    right = right[:verb]
    # ("Strang's OCW course on matrix methods": a subject said after "on" is still the name's)
    said_on = next((i for i, w in enumerate(right[:words]) if w.lower() in ("on", "about", "covering")), None)
    right = right[:words if said_on is None else said_on + 1 + words]
    return " ".join([*left, text[a:b], *right])


def dated(question: str, spans: list, years: dict[str, int | None], derived: set[tuple[str, str]]) -> list:
    """A year said right after the words naming a record ("the bishop book from 2024"), or right before them ("the
    2015 Sohl-Dickstein paper"), picks, of the records those words name (`derived`: names made from titles and
    authors), the one of that year."""
    out = []
    for a, b, rid in dict.fromkeys(spans):
        said = _YEAR_AFTER_NAME.match(question[b:])
        before = _YEAR_BEFORE_NAME.search(question[:a])  # "the 2015 Sohl-Dickstein paper"
        year = int(said.group(2)) if said else int(before.group(1)) if before else None
        if year is None or years.get(rid) == year:
            out.append((a, b, rid))
            continue
        # the same words name the author's other records too ("Bishop" is given to PRML)
        words = " ".join(question[a:b].lower().split())
        # ("Kingma & Welling 2013": the surnames name the paper of that year, though an alias gave the words to
        # their 2019 tutorial)
        shared = {r for x, y, r in spans if (x, y) == (a, b)} | {r for name, r in derived
                                                                 if name == words or name in words.split()}
        out += [(a, b, r) for r in sorted(shared) if years.get(r) == year] or [(a, b, rid)]
    return list(dict.fromkeys(out))


def said_in_sentence(question: str, a: int, b: int, title: set[str]) -> int:
    """How many of a record's title words (`title`) the sentence naming it at question[a:b] says, beside the name:
    two at least ("computational matrix skills first (Strang ...)" says no title of Strang's)."""
    start = max(question.rfind(c, 0, a) for c in ".?!;") + 1
    ends = [i for i in (question.find(c, b) for c in ".?!;") if i >= 0]
    sentence = question[start:min(ends, default=len(question))]
    said = len(title & (_content_words(sentence) - _content_words(question[a:b])))
    return said if said >= 2 else 0


def _as_subject(question: str, whole: str) -> bool:
    """A title typed in lowercase as what a resource is on ("a book on high-dimensional statistics") names a subject,
    not the book of that title."""
    m = re.search("[^a-z0-9]*".join(whole), question.lower())
    return bool(m) and _subject_words(question, m.start(), m.end())


# "where does the phrase 'internal covariate shift' come from?": words said as a term, not a resource's name
_AS_TERM = re.compile(r"\b(the )?(phrase|term|word|expression|buzzword|jargon)\s*[\"'\u2018\u201c]?\s*$", re.I)


def _subject_words(question: str, a: int, b: int) -> bool:
    if _AS_TERM.search(question[:a]):
        return True
    words = question[a:b]
    # ("the serious reference on Bayesian data analysis": a proper adjective first is still a subject's case)
    first, _, others = words.partition(" ")
    cased = words.islower() or others.islower() and first[:1].isupper() and first[1:].islower()
    # ("the graduate text on non-asymptotic high-dimensional statistics": a word or two may qualify it)
    return cased and bool(re.search(r"[\s-]", words)) \
        and bool(re.search(r"\b(on|about|covering|learning|learn|studying|study|into)\s+([a-z][\w-]*\s+){0,2}$"
                           # "applies all this to high-dimensional statistics" (not "back to the adam paper")
                           r"|\bto\s+$"
                           # "the next book for high-dimensional statistics": what a resource asked for is for
                           r"|\b(books?|textbooks?|texts?|courses?|class(es)?|resources?|references?|notes|something|"
                           r"anything|reads?|reading)\s+for\s+$", question[:a], re.I))


_COURSE_AFTER = re.compile(r"^[\s-]+(module|course|class|unit|elective|seminar|sequence|track|lectures?|exam)\b", re.I)


def acronym_as_subject(question: str, a: int, b: int, kind: str | None) -> bool:
    """"a PGM module", "an RL course": an acronym said as the subject of a course or module names no book."""
    return question[a:b].isupper() and kind != "course" and bool(re.search(r"\b(an?|one)\s+$", question[:a], re.I)) \
        and bool(_COURSE_AFTER.match(question[b:]))


def squashed(text: str) -> str:
    """Letters and digits only: "Auto-Encoding Variational Bayes" and "autoencoding variational bayes" agree."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


# a year right after a name: "Bishop (2024)", "the bishop book from 2024", "Ho et al. 2020"
_YEAR_AFTER_NAME = re.compile(r"^('s)?[\s(,]*(?:[\w-]+\s+){0,2}?(?:from |in |of )?\(?((?:19|20)\d\d)\b", re.I)
_YEAR_BEFORE_NAME = re.compile(r"\b(?:the|a|that|this|his|her|their) ((?:19|20)\d\d) $", re.I)


# the record kind a noun after a name asks for ("the Learning From Data book")
_KIND_NOUNS = {"book": "book", "textbook": "book", "paper": "paper", "course": "course", "class": "course",
               "lecture": "course", "lectures": "course", "specialization": "course", "notes": "lecture-notes",
               "lecture notes": "lecture-notes", "video": "video-series", "videos": "video-series",
               "tutorial": "tutorial", "books": "book", "textbooks": "book", "papers": "paper", "courses": "course",
               "cheatsheet": "cheatsheet", "cheatsheets": "cheatsheet", "cheat sheet": "cheatsheet",
               "cheat sheets": "cheatsheet"}


def kind_in_sentence(question: str, a: int, b: int, kind: str | None) -> bool:
    """Whether the question naming a record at question[a:b] asks for its kind elsewhere: "the reparameterization
    trick came from Kingma & Welling, which paper was it?" is their paper, not their later tutorial (a kind said
    right after the name, or in a sentence that asks nothing, is not this)."""
    start = max((m.end() for m in _SENTENCE_END.finditer(question, 0, a) if m.end() <= a), default=0)
    end = next((m for m in _SENTENCE_END.finditer(question, b)), None)
    if end is None or end.group() != "?" or _NOUN_AFTER.match(question[b:]):
        return False
    # the kind asked for, after a determiner ("which paper was it?"), not a word of a title ("'Introductory Lectures'")
    words = re.findall(r"\b(?:which|what|the|a|an|that|this)\s+([a-z]+)\b", question[start:a] + " " + question[b:end.start()])
    return kind in {_KIND_NOUNS[w] for w in words if w in _KIND_NOUNS}


# a kind noun up to two words after a name ("Stat 110 probability cheatsheet")
_NOUN_AFTER = re.compile(r"^('s)?\s+(([\w-]+\s+){0,2}?)(%s)\b" % "|".join(sorted(_KIND_NOUNS, key=len, reverse=True)),
                         re.I)

# the platforms a MOOC is on: "Andrew Ng's MOOC" is his Coursera course
_PLATFORMS = frozenset({"coursera", "edx", "udacity"})

# words of a publisher's or school's name that are not names by themselves ("Athena Scientific", "Imperial College
# London", "Khan Academy", "OCW Scholar")
_INSTITUTION_WORDS = {"scientific", "academy", "scholar", "london", "college", "university", "institute", "press",
                      "school", "online", "open"}


def _behind(question: str, spans: list) -> frozenset[str]:
    """Beside the resource asked about, one the learner says they have done ("before Vershynin? analysis is fine, I
    did Rudin") is behind them: not an answer."""
    clauses = [_with_bracket(question, question.find(k), question.find(k) + len(k))
               for k in known_clauses(question) if k in question]
    done = {rid for a, b, rid in spans if any(x <= a and b <= y for x, y in clauses)
            # ... or said as read in a sentence of its own ("I've read the original GAN paper and ...")
            or _USED_BEFORE_NAME.match(_SENTENCE_START.split(question[:a])[-1])
            and _SENTENCE_END.search(question, a).group() != "?"}
    # ("I finished ISLR, what next?" moves on from ISLR, which the reading of a move leaves out already)
    return frozenset(done) if done and not all(rid in done for _, _, rid in spans) else frozenset()


_SENTENCE_START = re.compile(r"(?<!\d)[.?!;\n]\s*|[.?!;\n](?!\d)\s*")


def _with_bracket(question: str, start: int, end: int) -> tuple[int, int]:
    """A known part and the bracket right after it, which says how it was learnt: "I've done linear algebra
    (worked through Strang)", "I only know LA computationally (18.06 style)"."""
    m = re.match(r"\s*\([^()]*\)", question[end:])
    return start, end + (m.end() if m else 0)


_TITLE_SHORTHANDS = (("machine learning", "ml"), ("deep learning", "dl"), ("reinforcement learning", "rl"))


def _title_pattern(title: str) -> str:
    """A title as typed after its author's possessive: "Mohri's Foundations of ML" shortens what titles spell out."""
    pattern = re.escape(title)
    for words, short in _TITLE_SHORTHANDS:
        pattern = pattern.replace(re.escape(words), f"(?:{re.escape(words)}|{short})")
    return pattern



# Schools and platforms a learner names a course by: "MIT's probability lectures", "Stanford's convex optimization
# course", "Berkeley's deep RL class". Said with the subject and a kind noun, they name the one record of that
# place whose first topics are that subject.
_PLACES = ("MIT", "Stanford", "Harvard", "Berkeley", "Caltech", "Columbia", "Cornell", "CMU", "UCL", "Imperial",
           "Princeton", "Toronto", "Oxford", "Cambridge", "NYU", "Coursera", "edX", "Udacity", "Khan Academy")
_PLACE_KINDS = {"course": r"courses?|class(es)?|lectures?|videos?|mooc|series|playlist|specialization",
                "video-series": r"courses?|class(es)?|lectures?|videos?|series|playlist",
                "lecture-notes": r"notes|lecture notes|handouts?|reviews?|refreshers?"}
_PLACE_FILLER = r"(?:(?:free|online|old|famous|classic|intro(?:ductory)?|undergrad(?:uate)?|grad(?:uate)?|first|big)\s+)*"
PLACE_TOPICS = 3  # a record's first topics are what it is about


def place_subject_names(resources: dict[str, Resource],
                        topic_names: dict[str, list[str]]) -> list[tuple[re.Pattern, str, str]]:
    """(pattern, record id, the place lowercased) for each place + subject + kind that names exactly one record."""
    found: dict[tuple[str, str, str], set[str]] = {}
    for r in resources.values():
        if not r.from_catalog or r.kind not in _PLACE_KINDS:
            continue
        said = " ".join([r.title, *r.aliases])
        places = [p for p in _PLACES if re.search(rf"\b{re.escape(p)}", said)]
        for place in places:
            for tid in r.topics[:PLACE_TOPICS]:
                for term in {t.lower() for t in topic_names.get(tid, [tid.replace("-", " ")]) if len(t) >= 2}:
                    found.setdefault((place, term, r.kind), set()).add(r.id)
    out = []
    for (place, term, kind), rids in found.items():
        if len(rids) != 1:
            continue  # two MIT probability courses: the place and the subject name neither
        subject = r"[\s-]+".join(re.escape(w) for w in term.split())
        pattern = re.compile(rf"(?<!\w){re.escape(place)}(?:'s|s'|\u2019s)?\s+{_PLACE_FILLER}{subject}s?\s+"
                             rf"(?:{_PLACE_KINDS[kind]})(?!\w)", re.I)
        out.append((pattern, next(iter(rids)), place.split()[0].lower()))
    return out


def author_initials(resources: dict[str, Resource], prose: str) -> list[tuple[re.Pattern, str, str]]:
    """Patterns for a record's authors' initials, as learners shorten two to four surnames ("C&B" for Casella and
    Berger, "HTF"): only initials that one record has, that no record gives as a name of its own (the catalog's "B&V"
    is Boyd and Vandenberghe's convex book, not VMLS) and that the catalog's prose does not use as a word."""
    given = {squashed(a) for r in resources.values() for a in r.aliases}
    found: dict[str, set[str]] = {}
    for rid, r in resources.items():
        surnames = [surname(a) for a in r.authors if a.split()]
        if not (r.from_catalog and all(s[:1].isalpha() for s in surnames)):
            continue
        letters = [s[0].upper() for s in surnames]
        # two authors are shortened "K&F" in a book, paper or notes; three or four "HTF", "MRT" in a book only (as
        # course codes and a colour model, such letters name other things: "RGB")
        if len(letters) == 2 and r.kind in ("book", "paper", "lecture-notes"):
            found.setdefault("&".join(letters), set()).add(rid)
        elif 3 <= len(letters) <= 4 and r.kind == "book":
            found.setdefault("".join(letters), set()).add(rid)
    out = []
    for initials, ids in found.items():
        if len(ids) == 1 and squashed(initials) not in given and not re.search(rf"\b{initials}\b", prose):
            body = r"\s?&\s?".join(initials.split("&")) if "&" in initials else initials
            out.append((re.compile(rf"(?<![\w&]){body}(?![\w&])"), ids.pop(), initials[0].lower()))
    return out


# a quoted stretch ("the title was 'understanding deep learning requires rethinking ...'") is a title half
# remembered: the one record whose title holds it is named there, not the records its words name on their own
_QUOTED = re.compile(r"(?<!\w)['\"\u201c\u2018]([^'\"\u201d\u2019\n]{12,160}?)['\"\u201d\u2019](?!\w)")


def quoted_titles(question: str, titles: dict[str, str], spans: list, skip: frozenset[str],
                  terms: frozenset[str] = frozenset()) -> tuple[list, set[str]]:
    """`spans` with each quoted part of exactly one record's title (`titles`: squashed) naming that record, and
    the records so named (a title typed inside the quote is part of theirs); a topic's own name quoted (`terms`:
    "the docs mention 'reproducing kernel Hilbert spaces'") is the term, not the primer whose title holds it."""
    quoted = set()
    for m in _QUOTED.finditer(question):
        said = squashed(m.group(1))
        if len(m.group(1).split()) < 3 or len(said) < 12 or _AS_TERM.search(question[:m.start(1)]) \
                or " ".join(m.group(1).lower().split()) in terms:
            continue
        holders = [rid for rid, whole in titles.items() if said in whole and rid not in skip]
        if len(holders) != 1:
            continue
        a, b = m.span(1)
        spans = [s for s in spans if not (a <= s[0] and s[1] <= b)] + [(a, b, holders[0])]
        quoted.add(holders[0])
    return spans, quoted


def person_spans(question: str, spans: list, own_surnames: dict[str, set[str]]) -> frozenset[tuple[int, int]]:
    """The spans that say a person's name (an author of the record they name)."""
    return frozenset((a, b) for a, b, rid in spans
                     if set(re.findall(r"[\w-]+", question[a:b].lower())) & own_surnames.get(rid, set()))


# "not ESL, Bishop or Murphy", "not re-watching 18.06 or reading Axler": a name listed after a refused one is refused
_LISTED_AFTER = re.compile(rf"^(('s|\u2019s)(\s+[\w-]+){{0,2}})?\s*(,|/|or|nor|and)\s*((or|nor|and)\s+)?({REFUSED_VERB}\s+)?"
                           r"((the|an?|his|her|their)\s+)?$", re.I)


def refused_in_list(question: str, spans: list, refused: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """`refused` (the spans said after "not") and the names listed after one of them."""
    out, last = set(refused), None
    for a, b in sorted({(a, b) for a, b, _ in spans}):
        if last is not None and last[1] <= a and _LISTED_AFTER.match(question[last[1]:a]):
            out.add((a, b))
        last = (a, b) if (a, b) in out else None
    return out


def _before_name(question: str, spans) -> bool:
    """"Before X", "X expects ...", "so that X makes sense": what comes before X is asked."""
    return any(_BEFORE_NAME.search(question[:a]) or _NAME_EXPECTS.match(question[b:])
               or _SO_THAT.search(question[:a]) and _MAKES_SENSE.match(question[b:]) for a, b, _ in spans)
