"""Whether a question asks about the resources it names ("X - is it free?", "is X too hard for me?", "what does X
cover?"), or names them on the way to asking for another ("X is too terse, what should I use instead?")."""

from __future__ import annotations

import re
from collections import Counter

from .before import _PREREQ
from .cues import (_ANY_AS_QUESTION, _DEEPER, _EASIER, _KIND_AFTER_NAME, _KIND_WORDS, _LOOKUP, _OF_NO_RESOURCE,
                   _REQUEST, _SAME_SOURCE, _SENTENCE_END, _WANTS_RESOURCE, _WISH, pieces, sentence_start)
from .names import person_spans
from .outright import _ADVICE_VERBS, _WHICH_ONE, _named_outright

_EASIER_OR_DEEPER = re.compile(f"{_EASIER.pattern}|{_DEEPER.pattern}", re.I)

# A question about the named resource itself keeps it first: "X - is it free?", "is X too hard for me?", "X, what do
# they cover and do I need probability first?", "is that meant to be taken after Y?". A yes/no question (or one
# about "it", "they", "the book") asks about X; a request for another resource ("is there something gentler?",
# "what should I read before X?") still moves away from X.
_PRONOUN_SUBJECT = (r"(it|they|that|this|those|these|he|she|the (book|textbook|course|class|lectures?|notes|paper|"
                    r"series|videos?|text|specialization))")
_AUX = r"is|are|was|were|does|would|will|should|could|can|has|have|isn'?t|aren'?t|doesn'?t"
_ABOUT_PRONOUN = re.compile(
    rf"^\W*((and|so|also|but|or)\s+)?({_AUX}|do|did)\s+"
    rf"{_PRONOUN_SUBJECT}\b|"
    # "X: can I audit it for free?", "should I buy them?": X is what is done, so the question is about X
    rf"\b(can|could|should|do|would|will)\s+(i|we)\s+(still\s+|really\s+|legally\s+|just\s+)?(audit|buy|get|find|"
    rf"download|take|watch|access|afford|skip|trust|enrol+|sign up for|read|borrow|start|"
    rf"keep (going|pushing|reading|working|plugging)( on)?( through| with| at)?|stick with|push through|power through|persist with|continue with|keep at|finish)"
    rf"\s+(it|them)\b|"
    # "... is too hard, but I'd like to try it anyway": X itself, whatever was said of it
    rf"\b(i'?d like|i would like|i want|i'?m going|i am going|i plan) to (try|read|do|tackle|attempt|take) (it|them) "
    rf"(anyway|regardless|all the same|nonetheless)\b|"
    rf"\b(what|which|how|where|when)\b[^.?!]{{0,25}}\b(does|do|did|is|are|was)\s+"
    rf"{_PRONOUN_SUBJECT}\b", re.I)
# ("did X, loved it" says the learner did X: "do" and "did" ask only with a subject of their own)
_POLAR = re.compile(rf"^\W*((and|so|also|or|but)\s+)?(({_AUX})\b|(do|did)\s+(i|you|we|they|it|he|she)\b)", re.I)
# X's own copy or edition ("is there a free pdf?"), or a question without its verb ("X - too hard for me?", "any good?")
_OWN_COPY = re.compile(r"\b(is|are) there (an? |any )?(free |legal |legit |legitimate |online |official |digital |"
                       r"electronic |cheaper |open |html |web |e-?book |epub |kindle |printed |print |paperback |"
                       r"latest |newer |updated |revised )*(pdf|copy|version online|e-?version|"
                       r"online version|version|edition|solutions?( manual)?|errata)\b|"
                       # "is there an official Python edition of the book?", "an official answer book I can share?"
                       r"\b(is|are) there (an? |any )?(official|legit|legal|authori[sz]ed)( [\w-]+){0,2} (pdf|copy|"
                       r"version|edition|solutions?( manual)?|answer (book|key)|answers|errata|translation)\b|"
                       # "a written or interactive version of that series", "a self-study version of that course"
                       r"\b(versions?|editions?|recordings?|transcripts?) of (that|this|the|his|her|their) (same )?"
                       r"(series|book|course|class|lectures?|videos?|text|textbook|notes|playlist)\b|"
                       # "is there a video from that guy, Josh Starmer, on ridge?": a part of the named resource
                       r"\b(is|are) there (an? |any )?([\w-]+ ){0,2}(videos?|lectures?|episodes?|chapters?|sections?|"
                       r"parts?) (from|by|of|in)\b|"
                       # "are the slides posted somewhere ... and is there like an assignment I can do": X's own parts
                       r"\b(is|are) (the |its |his |her |their )?(slides|lecture notes|videos|recordings|exercises|"
                       r"solutions|problem sets|homeworks?|assignments?|transcripts?) (posted|available|online|up|"
                       r"published|free)\b|"
                       r"\bis there (like |also |maybe )?an? (assignment|problem set|homework|exercise sheet|quiz)\b",
                       re.I)
_ELLIPTIC = re.compile(r"(^|:\s+|\s[-\u2014]\s+)\W*((and|so|also|but|or)\s+)?(too \w+|more or less \w+|worth (it|\w+ing)|"
                       r"any good|"
                       # ("free and shorter?" asks for another: a comparative is no question about X)
                       r"free(?!\s*(and|or|&|,|\+|plus)\s*((a )?(bit|little|lot) )?(\w+er|more|less)\b)(?!\s+(\w+\s+)?(books?|textbooks?|courses?|notes|lectures?|"
                       r"videos?|resources?|alternatives?|options?|texts?|surveys?|tutorials?|intros?|introductions?|"
                       r"primers?|treatments?|guides?|material|reading|one|version|ways?|route|path)\b)|still (available|offered|"
                       r"running|online)|good (for|enough|if (i|you|we|someone|one)\b)|"
                       r"ok for|suitable|(a )?(bad|good|terrible|smart) (idea|choice|"
                       r"pick|fit|start)|overkill|realistic|doable|feasible|"
                       # "ITILA for a ML person?", "BDA3 for self-study?": X's fit, asked after its name
                       r"for (a|an|someone|somebody|me|beginners?|self[- ]study|newbies?|novices?))\b[^.!]*\?"
                       # "X - still good for a first course or too dated", question mark or not
                       r"|(^|:\s+|\s[-\u2014]\s+)\W*still (good|relevant|worth \w+|useful|current|up to date)\b[^.!?]*(\?|$)",
                       re.I)
# a later request cancels a question about X only when it asks in so many words for another resource
# ("Too much? I'd prefer a short book that ...": a preference is for another)
_ASKS = re.compile(rf"\b(what|which|where|any{_ANY_AS_QUESTION}|recommend\w*|suggest\w*|point me|another|other|others|alternatives?|"
                   rf"prefer\w*|else|instead{_OF_NO_RESOURCE}|different|similar|"
                   r"like (it|this|that|them|this one|that one)|"
                   r"(harder|easier|gentler|simpler|lighter|deeper|newer|shorter|better|more \w+) ones?)\b", re.I)
# what a yes/no question asks for when it asks for another resource ("is there a gentler book?"); a resource noun
# in one that names X is X ("is ESL a good book for beginners?")
_OTHER = r"there|something|anything|another|other|others|alternatives?|else|instead|recommend\w*|suggest\w*|you"
_OTHER_RESOURCE = re.compile(rf"\b({_OTHER}|books?|textbooks?|courses?|lectures|videos?|notes|papers?|resources?)\b",
                             re.I)
_OTHER_THAN_NAMED = re.compile(rf"\b({_OTHER})\b", re.I)
_READY = re.compile(r"\b(am i|if i'?m|if i am|whether i'?m|whether i am) (really |even )?ready (for|to (read|start|take))\b",
                    re.I)
# a word that says something beside a name ("the", "book", "'s" say nothing)
_CONTENT = re.compile(rf"\b(?!(the|a|an|{_KIND_WORDS})\b)[a-z]{{2,}}", re.I)
# ... and without a question mark, only with a subject after the verb ("is it free" asks; "have undergrad calc" tells)
_POLAR_SUBJECT = re.compile(r"^\W*\w+\s+(it|they|you|i|this|that|these|those|the|there|he|she|we)\b", re.I)
_ADVISES = re.compile(r"\b(recommend\w*|suggest\w*|advis\w*|point to|send you to)\b", re.I)
_QUESTIONS = re.compile(r"[.?!;]+\s*|:\s+|,\s+|\s+[-\u2014]\s+|\s*\u2014\s*|\s+but\s+", re.I)
# ("what covers SVMs more gently than ESL?" asks for another)
_OTHER_THAN = re.compile(r"\b(than|instead|rather|better)\b", re.I)
# a request for the very resource named: "can you point me to Thomas's notes?", "that's the one I want", "where do I get
# that one?", "find me that series again"
# ("what book would you point me to?" asks for another: nothing follows the verb)
# ("people point me to UML, but I'd rather ..." reports what others advise)
_POINTS_AT_NAMED = re.compile(r"(?<!people )(?<!everyone )(?<!everybody )(?<!they )(?<!folks )(?<!keep )(?<!always )"
                              r"\b(point me (to|at)(?!\s*[?.!]*\s*$)|link me to|find me|dig up|track down)\b|"
                              r"\b(that'?s|that is|it'?s) the one\b|"
                              # "I want the course itself", "I'd still like the book itself"
                              # (not "what should I read before the paper itself?")
                              r"(?<!before )(?<!after )\b(the|that|this) (course|book|textbook|text|paper|lectures?|class|"
                              r"notes|series) itself\b|"
                              r"\b(get|find|locate|download|access|watch|read|buy|order|take|(i'?d|i would) like|"
                              r"i want|i need)\s+(that|this) (one|book|course|series|text|"
                              r"class|set of notes|playlist)\b", re.I)
_REPORTED = re.compile(r"\b(recommended|suggested|advised|mentioned|swears by|swore by|raved about)\b", re.I)
_OTHER_WORDS = re.compile(r"\b(another|other|others|alternatives?|else|instead|similar|like)\b", re.I)


def _points_at_named(text: str) -> bool:
    return bool(_POINTS_AT_NAMED.search(text)) \
        and not _OTHER_WORDS.search(re.sub(r"\b(i'?d|i would|would) like\b", " ", text, flags=re.I))


# "which chapters of ESL should I skip?", "what parts of CS229 are worth watching?": X's own parts, asked about
_PARTS_OF = re.compile(r"\b(which|what) (chapters?|sections?|parts?|lectures?|episodes?|videos?|appendi(x|ces)) "
                       r"(of|in|from)\s+$", re.I)
_WHAT_IT_COVERS = re.compile(r"\bwhat\s+('s\s+)?(does\s+|do\s+)?\s*(covers?|teach(es)?|is about|contains?|includes?|goes into)\b",
                             re.I)


# "where can i watch cs 229", "where are Stat110's practice problems", "mohri 2nd ed free pdf?": X's own copy or
# parts, asked for in the clause that names X
_WHERE_IS = re.compile(r"\b(where|how) (can|do|could|would|should|might) (i|we|one|you|my \w+) (\w+ ){0,2}?"
                       r"(watch|find|get|download|buy|read|access|see|stream|get hold of|track down)\s+"
                       r"((the|a|an|all( of)?( the)?)\s+)?$|"
                       r"\bwhere (is|are|'s|do i find|can i find)\s+((the|a|an|all( of)?( the)?)\s+)?$", re.I)
_OWN_COPY_AFTER = re.compile(r"^('s)?[^.?!]{0,30}\b(free|legal|official|online|open|cheap(er)?)\s+(pdf|copy|version|"
                             r"edition|download)s?\b[^.!]*\?|^('s)?\s+(pdf|link|arxiv link)\s*\?", re.I)


# "X. Where are the SVM chapters?", "Stat110 - where are the practice problems?": parts of the one named before
_WHERE_PARTS = re.compile(r"^\W*((and|but|so|also)\s+)?(where('s| are| is| can i find| do i find| would i find|"
                          r" do i get| can i get| can i download| do i download)( the| its| their| his| her)?\b[^.?!]{0,60}?"
                          r"\b(chapters?|sections?|lectures?|videos?|exercises|solutions?|problems?( sets?)?|slides|"
                          r"notes|appendi(x|ces)|recitations?|copy|pdf|answers|answer book|volumes?)\b|"
                          # "Which other chapters are worth it for ML people?"
                          r"(which|what) (other |more |further )?(chapters?|sections?|parts?|lectures?) (are|is|should|"
                          r"do|would|to)\b)", re.I)


_IT_IS = re.compile(r"^\W*(it|they)('s|'re| is| are| was| were)\b", re.I)


_WHAT_FIRST = re.compile(r"\W*((so|and|but|ok|okay)\W+)?(what|which)\b[^.?!,;]{0,30}\b(first|beforehand)\b", re.I)


def _referred(clause: str, before: list) -> list:
    """The names said before that a clause refers back to: "Is it good?" after two names is about the one said last
    ("After struggling with Bishop, my friend recommended Murphy's book. Is it good?"); "are they free?" is about all."""
    if before and re.search(r"\b(it|this|that)\b", clause, re.I) \
            and not re.search(r"\b(they|them|those|these|both|either)\b", clause, re.I):
        return [s for s in before if s[:2] == before[-1][:2]]
    return before


# "What was the series called?", "what's the exact name?", "give me the proper title": the learner describes a
# resource and asks which it is, so the resources named in the description are the answer
_NAME_ASKED = re.compile(r"\bwhat('s| is| was| were| are)? (it|they|that|this|the \w+|th(at|is) \w+) (is |was )?called\b|"
                         r"\b(exact|proper|real|full|actual|correct|official|right) (name|title)s?\b|"
                         r"\bwhat('s| is| was) (the|its|their) (name|title)\b|\b(name|title) of (it|that|this|the (book|"
                         r"course|paper|series|notes|text|class))\b|\b(remind|tell) me (of )?(the|its) (name|title)\b", re.I)
# "I half remember a huge MIT Press book by Koller and Friedmann", "by Gallier and Quintance I think", "by Cybenkov or
# similar": a resource half-remembered is the one the learner is trying to find
_RECALLED = re.compile(r"\b(i (half[- ]|vaguely |only |kind of |sort of )?(remember|recall)|if i (remember|recall)|"
                       r"i (think|believe|guess)|or (something|somebody|someone) like that|or similar|or so|"
                       r"(if )?i'?m not mistaken|(can'?t|cannot|don'?t|do not) (quite )?(remember|recall)|"
                       r"forg[eo]t (the|its|his|her|their) (name|title|author|year)|whatever (it'?s|it is|it was) called|"
                       r"(or|and) was it|not sure (of|about) the (name|title|author|year|spelling)|(maybe|circa|c\.)"
                       r" (19|20)\d\d)\b|\(\s*\?\s*\)", re.I)
_RECALLED_DOING = re.compile(r"\b(remember|recall) (liking|loving|hating|reading|doing|taking|watching|struggling|"
                             r"finding)\b", re.I)
# what a recollection may not carry: a move to another ("something like Bishop but shorter", "I think Bishop is too
# hard, anything gentler")
_MOVES_FROM = re.compile(r"\b(another|other|others|alternatives?|else|instead|rather|than)\b", re.I)


def _recalled(question: str, start: int, end: int, inside: list) -> list:
    """The names inside a sentence that says them as half-remembered ("I recall a free review by Thomas or
    similar", "the 2016 (?) paper by Sohl-Dickstein"), unless what the learner recalls is what they did ("I remember
    the chain rule", "I remember liking Strang") or the sentence moves on from them."""
    sentence = question[start:end]
    if not inside or not _RECALLED.search(sentence) or _RECALLED_DOING.search(sentence):
        return []
    bare = _RECALLED.sub(" ", sentence)
    # ("the SVI paper by Hoffmann et al. (2014, JMLR I think) ... what should I read first?" recalls the goal)
    moves = _MOVES_FROM.search(bare) or _EASIER_OR_DEEPER.search(bare) or _PREREQ.search(question)
    return [] if moves else inside


def _wished_unnamed(question: str, start: int, spans: list) -> bool:
    """Whether the sentence before question[start] wishes for a resource it describes without a name, by what it
    does ("I want the theory paper that explains why the gradients die")."""
    before = question[:start].rstrip()
    begin = sentence_start(before[:-1], len(before) - 1)
    wish = _WISH.search(before, begin)
    return bool(wish) and not any(wish.start() <= a < start for a, _, _ in spans) \
        and bool(_DESCRIBED.search(before, wish.end()))


# a resource described by what it does: "the theory paper that explains why", "the book which proves"
_DESCRIBED = re.compile(r"\b(paper|book|text|textbook|course|notes|lectures?|survey|tutorial|article|monograph|one)"
                        r"\s+(that|which|where|who)\s", re.I)


def lookup_targets(question: str, spans: list[tuple[int, int, str]],
                   own_surnames: dict[str, set[str]] | None = None) -> list[str]:
    """The named resources a question asks about (kept first), when no part of it asks for another resource.
    `own_surnames`: each record's authors' surnames (a work of a person named may be asked by what they made)."""
    persons = person_spans(question, spans, own_surnames or {})
    if not (spans := sorted({s for s in spans if (s[0], s[1]) != (0, len(question))})):
        return []
    targets: list[tuple[int, int, str]] = []
    requested = False  # a request for another resource was made: only a clause naming X or pointing at it
    for start, end, mark in pieces(_QUESTIONS, _masked(question, spans)):
        clause = question[start:end]
        inside = [s for s in spans if s[0] >= start and s[1] <= end]
        before = [s for s in spans if s[1] <= start]
        bare = _bare(clause, start, inside)
        asked = clause + mark  # with its question mark
        if requested and not inside and not _points_at_named(bare) and not _NAME_ASKED.search(clause):
            continue  # ("Bishop is too dense. Can you recommend a gentler book? Is it free?": "it" is the other)
        outright = _named_outright(question, start, end, mark, inside, before, persons) \
            or _recalled(question, start, _SENTENCE_END.search(question, start).start(), inside)
        if outright:
            targets += outright
            continue
        # "what foundation do they recommend first?" asks for what X sends the learner to before it, not about X
        # ("what do they cover, and do I need probability first?" asks about X)
        # "golub van loan - something to read cover to cover, or a reference?": a name alone, then a question on it
        # ("cybenko's paper: ... the proof loses me. what do i need first?" asks what comes before it)
        if start == 0 and inside and not _CONTENT.search(bare) and mark.strip() in (":", "-", "\u2014") \
                and "?" in question[end:] and not _PREREQ.search(question[end:]):
            targets += inside
        elif _NAME_ASKED.search(clause) and (inside or before):  # "Karpathy's series ... what was it called?"
            # ... not the one named when what is described is another of its makers' ("their companion set")
            if inside or not _SAME_SOURCE.search(question[before[-1][1]:start]):
                targets += inside or before
        elif _READY.search(clause) and (inside or before):  # "how do I tell if I'm ready for X?" asks what X presumes
            targets += inside or before  # ... as does "X - how do I know if I'm ready for it?"
        elif inside and _WHAT_IT_COVERS.search(bare) and not _OTHER_THAN.search(bare):  # "tell me what X covers?"
            targets += inside
        elif any(_PARTS_OF.search(question[start:a]) or _WHERE_IS.search(question[start:a])
                 or _OWN_COPY_AFTER.match(question[b:end + 1]) for a, b, _ in inside):
            targets += inside
        elif _IT_IS.match(clause) and mark.strip().startswith("?") and (inside or before) \
                and not _OTHER_RESOURCE.search(bare):  # "It is free on arXiv?"
            targets += inside or before
        elif _WHERE_PARTS.match(question[start:_SENTENCE_END.search(question, start).start()]) and (inside or before):
            targets += inside or before
        elif _points_at_named(bare) and (inside or before):
            targets += inside or before[-1:]  # the name said last ("find me that series again")
        elif not inside and _WHAT_FIRST.match(clause):
            requested = True  # ("what first, free if poss?": the wish qualifies what comes first, not X)
        elif (_ABOUT_PRONOUN.search(clause) and not (_PREREQ.search(clause) and _ADVISES.search(clause))) \
                or _OWN_COPY.search(clause) \
                or _ELLIPTIC.search(asked) or inside and _ELLIPTIC.search(bare + mark):  # "BDA3 too advanced for me?"
            # "is it free?", "what do they cover": about the name said before; "is there a video from that guy,
            # Josh Starmer, ...?": the name said next in the sentence
            stop = _SENTENCE_END.search(question, end).start()
            # ("is there a free online version of the new Bishop book?": the one named in the clause)
            own = inside if inside and _OWN_COPY.search(clause) else []
            if not inside and _WHICH_ONE.match(clause) and _wished_unnamed(question, start, spans):
                continue  # ("... I want the theory paper that explains why. Which one is that?": the one described)
            targets += own or _referred(clause, before) or inside \
                or [s for s in spans if end <= s[0] and s[1] <= stop][:1]
        # ("... my Gaussian algebra - conditionals - is rusty." ends a statement, not a question)
        elif _POLAR.match(clause) and (_SENTENCE_END.search(question, start).group() == "?"
                                       or not question[end:].strip() and (inside or _POLAR_SUBJECT.match(clause))) \
                and not (_OTHER_THAN_NAMED if inside else _OTHER_RESOURCE).search(bare):
            targets += inside or before  # "is X too hard for me?", "do I need probability first?"
        elif ((_WISH.search(bare) or _REQUEST.search(bare)) and _WANTS_RESOURCE.search(bare)
              and _ASKS.search(bare)
              and not _LOOKUP.search(bare)
              # ("my friend recommended Murphy's intro book" reports advice on X: no request)
              and not (inside and _REPORTED.search(bare))
              and not _points_at_named(question[end:])):  # ("... That's the one I want." settles it)
            # a request for another resource ("want something i can self study from" qualifies X), unless a later
            # clause names X again or points at it ("... That's the one I want.")
            targets, requested = [], True
    # "Strang's 18.065" is about 18.065, though "Strang" names 18.06 too: words naming several records yield to
    # words naming one
    sharing = Counter((a, b) for a, b, _ in targets)
    alone = [rid for a, b, rid in targets if sharing[(a, b)] == 1]
    return list(dict.fromkeys(alone or [rid for _, _, rid in targets]))


def _masked(question: str, spans: list) -> str:
    """The question with the punctuation inside names masked: "is Prediction, Learning, and Games too hard for me?"
    is one clause."""
    masked = list(question)
    for a, b, _ in spans:
        masked[a:b] = re.sub(r"[^\w\s]", "x", question[a:b])
    return "".join(masked)


def _bare(clause: str, start: int, inside: list) -> str:
    """A clause without the names inside it (and the kind noun after each: "the X book")."""
    for a, b, _ in sorted(inside, reverse=True):
        clause = clause[:a - start] + " " + _KIND_AFTER_NAME.sub(" ", clause[b - start:], count=1)
    return clause


# "I've heard Billingsley, Williams, Durrett", "people mention Villani and Peyre": names heard of, options to weigh
_HEARD_OF = re.compile(rf"\b(i'?ve heard|i heard|i have heard|people ({_ADVICE_VERBS}|mention\w*)|(the )?(options|"
                       r"candidates) (are|include)|(were|was|got) recommended to me)\b[^.?!]*$", re.I)


def heard_options(question: str, spans: list, done: frozenset[str]) -> bool:
    """"finished MIRA. Now I want a graduate probability text. I've heard Billingsley, Williams, Durrett": the move
    is from what is behind the learner (`done`), and every other name is one heard of, an option to weigh."""
    others = [a for a, _, rid in spans if rid not in done]
    # ... or one asked about in a yes-no question ("Baydin's survey - readable with just calculus? I built micrograd
    # following Karpathy and now want ...")
    return bool(done) and bool(others) and all(_HEARD_OF.search(question[:a]) or _yes_no_about(question, a)
                                               for a in others)


def _yes_no_about(question: str, at: int) -> bool:
    """Whether the sentence around question[at] is a yes-no question ("X - readable with just calculus?")."""
    start = sentence_start(question, at)
    end = question.find("?", at)
    sentence = question[start:end + 1] if end != -1 and not re.search(r"[.!]\s", question[at:end]) else ""
    return bool(sentence) and not re.search(r"\b(what|which|where|who|how|why|when|anything|something|recommend\w*|"
                                            r"suggest\w*|alternatives?|instead)\b", sentence, re.I)


def heard_beside(question: str, spans: list) -> set[str]:
    """"before the WGAN paper? people mention Villani and Peyre & Cuturi": beside the resource a question is about,
    the names heard of are options for the answer, not X."""
    heard = {rid for a, _, rid in spans if _HEARD_OF.search(question[:a])}
    return heard if any(rid not in heard for _, _, rid in spans) else set()
