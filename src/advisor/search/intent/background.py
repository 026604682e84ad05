"""What the learner says of their own background: what they lack (the topic to start from) and what they know
(not what they ask for). Read clause by clause; `reader.py` and `names.py` use the results.
"""

from __future__ import annotations

import re
from typing import Callable

from .cues import _DONE, _EASIER, _GENTLER, _POINTS_BACK_TO_TOPIC, _SENTENCES

# What the learner says they lack: the topic to start from, before X ("never seen markov chains", "my
# probability is weak", "jacobians are fuzzy for me", "I don't know what an exponential family is").
# ("measure zero", "zero-mean noise" are maths, not the learner's zero; "real analysis but never measure theory" drops
# the verb)
_FORGOT = (r"\b((remember|recall) (nothing|little|very little|almost nothing|none of it|next to nothing)|"
           r"(forgot|forgotten) (it all|all of it|everything|most of it|almost everything|pretty much everything)|"
           r"long forgotten)\b")
# what a learner says they can do: "I can invert a matrix", "can solve LPs by hand" (what they know)
_CAN_VERBS = (r"(follow|handle|do|compute|code|train|derive|solve|invert|implement|use|write|build|fit|multiply|"
              r"differentiate|integrate|prove|calculate|program|diagonali[sz]e|row.reduce)")
# ... and what they can make, said beside a gap: "can do sklearn but no stats"
_CAN_MAKE = r"(do|code|use|run|write|build|train|implement)"
# ... a gap to fill before a topic; beside a named X, what X itself is for ("entropy? I keep seeing it. Cover?")
_KEEP_SEEING = r"\bkeep (seeing|running into|bumping into|hitting|coming across|tripping over|getting stuck on)\b"
_LACK = re.compile(r"\b(never (actually |really |properly |formally |even |once |literally |ever )?(done|did much|seen|"
                   r"studied|learned|learnt|taken|took|had|used|heard of|touched|written|read|proved|proven|did (an?|any)\b)|"
                   # "I haven't done multivariable calc" (not "haven't done much reading on it": a subject follows)
                   r"(haven'?t|have not|hasn'?t|has not) (yet |ever |really )?(done|taken|studied|learned|learnt|had|"
                   r"seen|touched)\s+(?!(much|many|any|it|that|this|them|so|too|in|for|since|anything|a lot|well)\b)"
                   r"(?=[a-z])|"
                   # ("there's zero probability" says it of a resource)
                   # ("step by step, with zero equations" is a wish)
                   r"(?<!measure )(?<!mean )(?<!there's )(?<!there is )(?<!there was )(?<!it has )(?<!it had )(?<!with )"
                   r"zero(?![- ](mean|one|sum|shot|padding|norm|sets?|loss|gradients?|order)\b)"
                   r"(?!\s+[\w-]+(\s+[\w-]+)?\s*,?\s*(please|pls|plz)\b)|"  # ("zero calculus please" is a wish)
                   r"(?:^\s*|(?<=but ))never (?!(mind|again|too|really|been|got|get|was|were|is|did|do)\b)"
                   # ... but "ISL never derives anything" says what X does not do
                   r"(?!\w+s\s+(anything|it|them|the|a|an|how|why|what|any|much)\b)(?!(derives|covers|explains|"
                   r"proves|shows|mentions|discusses|treats|touches|uses|gives|goes|gets|dives|digs|says|talks|"
                   r"spends|includes|has)\b)(?=[a-z])|"
                   r"(is|are|was|were) new to (me|him|her|them|us)|(is|are) (completely |totally )?(unknown|foreign|alien) to (me|him|her|them|us)|"
                   r"no clue|none of (us|them) (has|have) (ever )?(seen|done|studied|learned|learnt|had|taken|met)|"
                   # "eigendecompositions and partitioned inverses, none of which I've met", "..., and I haven't."
                   r"\bnone of (which|these|those|this|that|them) (i'?ve|i have|i had) (ever |yet )?(met|seen|done|studied|"
                   r"learned|learnt|had|touched|taken)\b|\b(and|but) i (haven'?t|have not|never have|never did)\s*([.,;!?]|$)|"
                   # "the Gaussian algebra slows me down", "KKT trips me up"
                   # "stuck on the step in the EM derivation where ...", "can do sklearn but no stats", "lost at the KKT
                   # conditions", "can't follow the BPTT derivation": the subject dropped
                   r"(?:^\W*|(?<=,)|(?<=, ))(i'?m |i am |been |got )?(stuck|hung up|lost) (on|at|with|in|when)\b|"
                   r"(?:^\W*|(?<=,)|(?<=, ))(can'?t|cannot|couldn'?t) (really |quite )?(follow|understand|grasp|get)\b|"
                   rf"\b(can|could) {_CAN_MAKE}\b[^.?!;]{{0,40}}\bbut (no|zero|not much|"
                   r"little|hardly any)\b|"
                   r"\b(slows?|slowed|slowing) (me|him|her|us|them) down\b|\b(trips?|tripped|tripping) (me|him|her|us|them) up\b|"
                   # "the dual problem and KKT are exactly where I get lost": the topics of that clause
                   r"\bwhere (i|i'?m|it) (\w+ )?(get|got|gets|am|was|start|fall|falls|fell|go|went) ?(\w+ )?"
                   r"(lost|stuck|confused|apart|off the rails|wrong)\b|"
                   # "basically no stats beyond averages": what the learner has of it, not what they refuse
                   r"\b(no|zero|little)\s+(?!in\b)([\w-]+\s+){1,2}beyond\b|"
                   r"\bmy\b[^.?!,]{0,40}\bstops? at\b|(know|knows|knew) (nothing|little|very little)|(i|we|they) have no|(he|she) has no|"
                   r"(don'?t|do not|doesn'?t|does not|didn'?t|did not) (even |really |fully )?(know|understand|get|remember)|no (background|idea|experience)|"
                   # "did linear algebra in the 80s, remember nothing": had once, to be learnt again
                   rf"{_FORGOT}|"
                   # "when the notes move to the dual and KKT I'm completely lost"
                   r"\b(i'?m|i am|i get|i got|i was|i'?ve been|(he|she|they|we)('s|'re| is| are| gets?| got| was| were)) (completely |totally |utterly |so |kind of |kinda |a bit )?"
                   r"lost\b|"
                   # "the part with entropic regularization and KL divergence I cannot follow"
                   r"\b(i|we|he|she|they) (just |really |simply |still )?(cannot|can'?t|could not|couldn'?t|am unable to|"
                   r"was unable to) (follow|understand|grasp|wrap my head around)\b|"
                   # "I keep seeing change of variables and jacobian determinants": met, not understood
                   rf"{_KEEP_SEEING}|"
                   # "confused why everyone uses plain SGD": what the learner does not understand
                   r"\b(confused|puzzled|baffled|mystified) (about|by|why|how|what|with)\b|"
                   # "KL divergence I only know by name", "the ELBO is a total black box", "basically words to me"
                   r"\b(only )?know (it |them |of it |of them )?(only )?by name\b|\bblack ?box(es)? (to|for) me\b|"
                   r"\b(is|are) (a |an )?(total |complete |complete and utter |utter )?black ?box(es)?\b|"
                   r"\b(just |basically |only )?(words|jargon|buzzwords) to me\b|"
                   # "the f-divergence side ... I only half know"
                   r"\b(only |just )?half[- ](know|knew|understand|understood|get|got|remember)\b|"
                   # "duality theorems are magic to me", "Jensen is a mystery to me"
                   r"\b(is|are|was|were|feels?|seems?) (still |pure |total |complete |basically |like )?(black )?(magic|a mystery|"
                   r"mysterious|voodoo|gibberish|greek|hieroglyphics) (to|for) (me|us|him|her|them)\b|"
                   # a form's label: "Missing: Jacobians, the vector chain rule"
                   r"(^|(?<=\n))\W*(missing|gaps?|weak (spots?|areas?|points?)|lacking|what i('m| am) missing)(?=\s*(:|$))|"
                   # "no probability yet": not had, not refused
                   r"\bno\s+([\w-]+\s+){1,3}yet\b|"
                   # "No probability course at all", "no formal analysis class": a course not taken (not "no course,
                   # just a book", a wish)
                   r"\bno\s+(formal\s+|real\s+|prior\s+|proper\s+)?(?!(video|online|full|long|whole|university|"
                   r"semester|lecture|mooc|paid|live|in-person)\b)"
                   r"(?!(\w+\s+)?(course|class)\b[,;]?\s+(just|only|please|"
                   r"thanks)\b)[\w-]+(\s+[\w-]+)?\s+(course|class|classes|coursework|training)\b"
                   r"(?!\s*(,\s*)?(please|pls|just|only|needed|required)\b)|"
                   # "my probability is one semester of engineering stats from years ago": as good as gone
                   r"from (many |several |ten |\d+ )?(years|decades|ages|forever|a long time) ago|"
                   # "took linear algebra years ago and only remember bits" (not "learned ML from PRML years ago")
                   r"\bonly (remember|recall) (bits|bits and pieces|fragments|a little|a few things|scraps)\b|"
                   # "last did any maths at school about fifteen years ago"
                   r"\blast (did|took|studied|touched|used|saw|had|learned|learnt)\b[^.?!,;]{1,40}"
                   r"\b(years|decades) ago\b|"
                   r"(is|are|am|'?s|'?re) (very |really |pretty |a bit |kind of |super |quite |\w+ (years?|decades?) )?"
                   r"(weak|rusty|shaky|fuzzy|hazy|lacking|minimal|limited|nonexistent|non-existent|poor)\b|"
                   # "my calculus is mostly gone", "calculus long forgotten"
                   r"\bmy [\w-]+( [\w-]+)? (is|are|'s|'re) (mostly |pretty much |basically |all but |largely |long |"
                   r"all )?(gone|forgotten)\b|"
                   r"\b(mostly|largely|long|half) forgotten\b|"
                   r"(is|are) (all |completely |totally |entirely )?new(?! (edition|version|book|course|paper))\b|"
                   r"weak (in|on|at)|(lost|loses?|losing) me|"
                   # "convex duality, conjugate functions... that's my hole"
                   r"\b(that'?s|that is|thats|is|are) (my|the) (biggest |main |real )?(hole|gap|weak spot|weakness|"
                   r"blind spot)\b|(not|never) (comfortable|familiar) with|unfamiliar with|"
                   r"(don'?t|doesn'?t|do not|does not|didn'?t|did not|never) (really |quite |fully |ever )?(make|made) sense|"
                   r"(hasn'?t|has not|never|didn'?t|did not|doesn'?t|does not) (really |quite |fully )?click(ed)?)\b", re.I)


def lack_clauses(text: str) -> str:
    """The sentences where the learner says what they lack; "I've done real analysis but no functional analysis"
    says a gap after what they know."""
    out, known, last = [], False, ""
    for p in (q for s in _SENTENCES.split(text) for q in _after_lead_in(s)):
        bare = bool(_BARE_VERDICT.match(p))
        if p and (_LACK.search(p) and not zero_wished(p) or known and _NONE_OF.match(p) or bare):
            # "convex duality, conjugate functions... that's my hole": the gap is what "that" points back to
            out += [last, p] if (_POINTS_BACK.match(p) or bare) and last not in out else [p]
        known = bool(p) and bool(_HAD.search(p) or _HAVE.search(p)) and not _LACK.search(p)
        last = p or last
    return " ".join(o for o in out if o)


# "the SVM chapters lean on duality and KKT, which I've never studied": the gap is what X's parts lean on
_LEANS_ON = re.compile(r"\b((leans?|leaning|relies|rely|relying|builds?|depends?|hinges?|rests?) "
                       r"(heavily |a lot |mostly |entirely )?on|assumes?|presupposes?|requires?)\b", re.I)


def gap_words(lacks: str) -> str:
    """Of what the learner says they lack, the words of the gap: after "leans on", when it is said."""
    m = _LEANS_ON.search(lacks)
    return lacks[m.end():] if m else lacks


# "want free, hands-on, a real project, zero calculus": "zero" in a sentence of wishes says what the resource lacks
_WISH_LEAD = re.compile(r"^\W*((and|but|so)\s+)?(i\s+|i'?d\s+)?(want|need|would like|'d like|prefer|am looking for|"
                        r"'m looking for|looking for)\b", re.I)


def zero_wished(sentence: str) -> bool:
    return bool(_WISH_LEAD.match(sentence)) and all(m.group().lower().startswith("zero") for m in _LACK.finditer(sentence))


def _after_lead_in(sentence: str) -> list[str]:
    """A sentence, split after a lead-in that says no gap ("Before the RealNVP paper: never took multivariable
    calculus" names X, not the gap; "I have no stats: the chapters mention p-values" goes on saying it)."""
    head, colon, tail = sentence.partition(": ")
    return [head, tail] if colon and tail and not _LACK.search(head) else [sentence]


# "conditioning a multivariate Gaussian, marginal likelihood algebra... shaky.": a verdict on what came before
_BARE_VERDICT = re.compile(r"\W*(all |very |really |pretty |a bit |super |still )?(weak|rusty|shaky|fuzzy|hazy)\W*$", re.I)
_POINTS_BACK = re.compile(r"\W*(and |but |so )?((that|this|those|these)('s|s| is| are| was| were)|which)\b", re.I)


# what the learner has studied ("rigorous is fine but no measure theory" says a wish, not a gap)
_HAD = re.compile(r"\b(i'?ve|i have|i)\s+(already\s+|also\s+)?(done|did|had|took|taken|studied|learned|learnt|covered|"
                  r"know|knew|seen)\b|^\W*(done|did|had|took|taken|know|studied)\b|"
                  # "i'm a bootcamp grad, can do sklearn (but) no stats"
                  rf"(^|\bi\s+|,\s*)(can|could) {_CAN_MAKE}\b", re.I)


# ("I have measure theory from a physics course but no functional analysis")
_HAVE = re.compile(r"\bi\s+(have|know)\s+(?!(no|not|never|to|been|nothing|little|a look|trouble)\b)[a-z]", re.I)


# ... after what they know: "(I've done X but) no Y", "(but) not Y", "(but) nothing on Y"
_NONE_OF = re.compile(r"^\W*(no|not|nothing (on|about|in)|zero|none of)\s+(?!(proofs?|theory|math|maths|code|videos?|"
                      r"books?|courses?|idea)\b)[a-z]", re.I)


# What the learner says they already know is not what they ask for: "solid on convex optimization and probability",
# "I know linear algebra but ...", "gaussians fine, neural nets fine, but the ELBO is new to me"
# ("the one that's especially good on Rademacher complexity" says it of a book)
_KNOW = re.compile(r"(?<!get )(?<!getting )(?<!become )(?<!feel )(?<!be )(?<!that's )(?<!thats )(?<!which is )"
                   r"(?<!especially )(?<!particularly )(?<!it's )\b((solid|comfortable|fine|good|strong|"
                   r"confident|ok|okay|at home|fluent)\s+(on|with|in|at)|"
                   # ("what should I know before X?" asks)
                   # ("lectures where I can do the problem sets" says what the learner wants of them)
                   r"(?<!should )(?<!must )(?<!do )(?<!would )(?<!could )(?<!need )(?<!where )(?<!so )"
                   rf"(i|i'?ve|i have|i'?m)\s+(already\s+|also\s+)?(can (already |also |easily |comfortably )?{_CAN_VERBS}|"
                   r"know|knew|done|did|took|taken|studied|learned|learnt|"
                   r"covered|finished|completed|seen)(?!\s+(that|there|it|this|what|how|why|nothing|little|you|if|whether|when)\b)|"
                   # "can solve LPs by hand but ...": the subject dropped
                   rf"^\s*can (already |also |easily )?{_CAN_VERBS}\b|"
                   # "Lebesgue integration course done, undergrad probability done"
                   r"(?<!\bnot )(?<!n't )(?<!\bbe )(?<!\bam )(?<!\bi'm )\b(done|under my belt)(?=\s*([,.;!]|$))|"
                   r"familiar with|(background|degree|phd|masters?) in|(makes?|made) (total |perfect |good )?sense|"
                   r"clicked|(i )?(only|just) (ever )?(have|had|know|knew|took|taken|did|done)|knowing (only|just)\b|"
                   # "students are sophomores with calculus": the background of those the learner teaches
                   r"\b(students|pupils|members|attendees|(the|my|our) (team|class|group))\s+(are|have|know|had|all have|"
                   r"have all|all know)\b(?!\s+(no|zero|never|not|trouble|problems?|difficult\w*|weak|gaps?)\b)|"
                   # "linear algebra is ok", "my calculus is fine"
                   r"(?<!\bit )(?<!\bthat )(?<!\bthis )(is|are|'s) (totally |pretty |mostly |very |quite )?"
                   r"(ok|okay|fine|solid|decent|clear|comfortable|familiar)\b"
                   r"(?! for\b(?! me\b))|"
                   # "kkt + duality all good now", chat for "I have those"
                   r"(?<!\bnot )(?<!n't )\ball (good|fine|clear|solid)\b(?! (for|with|to|on)\b)|"
                   # "X was great for duality and KKT": what X taught the learner
                   r"(was|is|were|are) (really |very |super )?(great|good|excellent|perfect|brilliant) (for|on)|"
                   r"(have|had|know) (only |just )?(basic|some|a bit of|a little|intro(ductory)?)|background only|"
                   # "I have calculus and a bit of probability", "I've had linear algebra"
                   r"i(?: have| had|'ve|\u2019ve)(?: had| got| taken| done)? (?!(no|zero|never|not|trouble|problems?|"
                   r"difficult\w*|issues?|gaps?|weak|limited|forgotten|forgot|struggled|exams?|homework|assignments?|"
                   r"wanted|time|been|tried|heard|read|seen|to|a|an|the|this|that|it|its|my|always|just|only|started|"
                   r"become|grown|gotten|come|begun|developed|wondered|"
                   r"nothing|little|any|some trouble|questions?|two|three|few|several|one|\d)\b)(?=[a-z]))\b"
                   r"|^\s*(had|took|taken|did|done|finished|completed)\s+(?!(to|it|that|this|a look|no|nothing|zero)\b)[a-z]"
                   # ("just pictures" says what the learner wants)
                   r"|^\s*(only|just)\s+(?!(want|wanna|need|like|looking|trying|wondering|curious|a|an|the|to|so|for|i|"
                   r"left|came|heard|saw|got|went|walked|tried|started|"
                   r"pictures|videos|visuals|diagrams|intuition|examples|code|please|enough)\b)"
                   r"(undergrad(uate)?\s+|basic\s+|some\s+|intro(ductory)?\s+)?[a-z]|\bfine\s*$"
                   r"|^\s*(already )?(had|took|taken|did|done|studied|covered|finished)\b|^\s*already (know|knew)\b"
                   # "Know linear algebra and multivariable calc.", the subject dropped
                   r"|^\s*(know|knew)\s+(?!(what|how|why|if|whether|nothing|little|that|this|of|about|where|when|which|"
                   r"who|any|anything|a good|some good)\b)[a-z]"
                   # "I had one semester of undergrad real analysis"
                   r"|\b(had|took|taken|did|done|have|finished|completed)\s+(one|a|two|three|an?\s+\w+)\s+"
                   r"(semester|course|class|year|term|module|quarter)s?\s+(of|in|on)\b"
                   # "self taught, have calc 1 and a bit of probability", "EE engineer; decent linear algebra"
                   r"|^\s*(have|got)\s+(?!(no|zero|never|not|to|a|an|the|any|been|trouble|problems?|questions?)\b)[a-z]"
                   r"|^\s*(decent|solid|strong)\s+(?![^.?!;]*\b(book|course|text|textbook|intro|introduction|resource|"
                   r"notes|lectures?|videos?|reference|place|one|first|way|choice|option|paper|tutorial)s?\b)[a-z]"
                   # "Boyd gave me duality and KKT": what a resource taught the learner
                   r"|\b(gave|taught|showed) (me|him|her|us) (?!(a |the |an |some |nothing|headaches?)\b)"
                   # "convexity and norms don't scare me", "vectors don't bother him"
                   r"|\b(don'?t|doesn'?t|do not|does not|won'?t|wouldn'?t) (really )?(bother|scare|faze|intimidate|"
                   r"worry|frighten) (me|him|her|them|us)\b"
                   # the background of someone the question is asked for: "he has calculus", "she's done real
                   # analysis", "we've all done the CS228 material", "my 16 year old has done calculus at school"
                   r"|\b(he|she) (already |also )?(knows|knew|did|took|studied|learned|learnt|covered|finished|completed)\b"
                   r"(?!\s+(that|there|it|this|what|how|why|nothing|little|if|whether|when)\b)"
                   r"|\b(he|she) has (?!(no|zero|never|not|trouble|problems?|difficult\w*|issues?|gaps?|limited|forgotten|"
                   r"struggled|been|to|a|an|the|this|that|it|its|his|her|always|just|only|started|nothing|little|any|"
                   r"questions?|\d)\b)(?=[a-z])"
                   r"|\b((he|she)('s| has)|(we|they)('ve| have)|(son|daughter|kid|child|brother|sister|student|intern|"
                   r"colleague|teen(ager)?|old|partner|friend|members?|everyone|team|group) (has|have|had|'s)) (all |already |"
                   r"also |only )?(done|had|taken|studied|covered|finished|completed|seen|learned|learnt)\b"
                   # "too hard for someone who knows basic calculus": the background of the reader the question
                   # imagines
                   r"|\b(someone|somebody|anyone|a person|people|students?|a learner|learners|readers?|beginners?|"
                   r"an engineer|engineers) (who|that|with) (already |only |just )?(knows?|has|have|did|took|studied|"
                   r"learned|learnt|covered|finished|completed|has done|has had|has taken)\b"
                   r"(?!\s+(nothing|little|no|never|not|that|it|this|what|how|why)\b)"
                   # "I use Ito calculus and SDEs daily": the learner's working tools
                   r"|(^\W*|\bi\s+)(use|used)\b[^.?!,;]{0,40}\b(daily|every ?day|all the time|at work|for work|professionally)\b",
                   re.I)
# ... and not what a resource assumes of them ("assumes I'm fluent with Gaussians")
_ASSUMES = re.compile(r"\b(assumes?|assuming|expects?|requires?|presupposes?|wants me)\b", re.I)
_MORE_KNOWN = re.compile(r"\s*(and\s+)?(a bit of|a little|some|basic|intro|plus|lots of|a lot of|plenty of|tons of)\s+[a-z]",
                         re.I)
# ... and after a comma it goes on naming subjects: "comfortable with linear algebra, inner products and some real
# analysis" (a short part with no verb, question word or wish in it)
_LISTED = re.compile(r"\s*(and\s+)?(?!(?:[\w'-]+\s+){0,5}?(what|which|how|why|where|who|should|could|would|can|will|"
                         r"any|anything|something|recommend|suggest|want|wants|need|needs|looking|like|prefer|hope|help|"
                         r"please|is|are|was|were|has|have|had|do|does|did|not|no|never|but|so|then|i|i'm|i've|me|my|"
                         r"it|this|that|there|they|he|she|we|you|thanks?)\b)[a-z][\w'-]*(\s+[\w'-]+){0,5}\s*$", re.I)
# Little mathematics in the learner's background, said in passing: "I stopped maths after school", "my maths ended at
# GCSE", "equations make my eyes glaze over", "never got past algebra", "maths was never my thing". It asks for an
# introduction with light maths, unless the question asks otherwise in so many words (asks.attribute_preferences).
_M = r"(maths?|mathematics)"
_FEARED = r"(equations?|formulas?|formulae|maths?|mathematics|calculus|notation|symbols|greek letters|integrals?)"
LITTLE_MATHS = (
    rf"\b(stopped|dropped|quit|gave up|finished with) (doing |studying |taking )?{_M}\b"
    rf"|\b(haven'?t|have not|hasn'?t|has not|havent|hasnt|never) (really )?(done|touched|used|studied|had|taken) "
    rf"(any |much )?{_M} (since|after|beyond|past)\b"
    rf"|\b(my|his|her|their) {_M} (ended|stopped|stops|ends|finished|topped out) (at|after|in|with|around)\b"
    rf"|\blast {_M} (class|course|lesson|exam)\b"
    rf"|\b(terrible|bad|awful|hopeless|poor|rubbish|useless) (at|with) ({_M}|numbers)\b"
    rf"|\b{_M} (was|were|has|have|is) never (been )?(my|his|her|their) (strong suit|thing|forte|strength|strong point)\b"
    rf"|\b{_FEARED} (makes?|made|gives?|gave) (my|his|her|their|me|him|them) (eyes glaze|head spin|head hurt|"
    r"brain hurt|panic|nervous|anxious)"
    rf"|\b{_FEARED} (scares?|terrif(y|ies)|frightens?|intimidates?|panics?) (me|him|her|them)\b"
    # "the maths in most Bayesian books scares me off" (not "the maths itself doesn't scare me")
    rf"|\b{_M}(\s+(?!(doesn'?t|don'?t|does|do|not|never|won'?t|didn'?t|no longer)\b)[\w'-]+){{0,5}}?\s+"
    r"(scares?|terrif(y|ies)|frightens?|intimidates?|puts?) (me|him|her|them)\b"
    rf"|\b(scared|terrified|afraid|frightened|intimidated) (of|by) {_FEARED}\b"
    rf"|\b(never|didn'?t|did not|didnt) (get|got|go|went) (past|beyond|further than) (basic |high[- ]school |school )?"
    rf"(algebra|arithmetic|{_M})\b"
    rf"|\b(no|zero|little|minimal|hardly any|basically no|barely any) {_M}( background| training| to speak of| at all)\b"
    r"|\bnot (very |really |particularly |that )?mathematically (inclined|minded)\b"
    rf"|\b(school|high[- ]school|gcse|o[- ]level)[- ]level {_M}\b"
    r"|\bnon[- ]?mathematicians?\b"
    rf"|\b(hate|hated|hates|struggle with|struggled with|struggles with) {_M}\b"
    # ("my maths is basic calculus" says what it is)
    rf"|\b{_M}( skills)? (is|are|'s) (pretty |very |quite |really |super )?(basic|limited|poor|minimal|terrible|bad)\b"
    r"(?=\s*([.,;:!?)]|$|and\b|but\b|so\b))"
    r"|\bonly (know|knows|have|has) (basic )?arithmetic\b"
)


# "want a first book on statistical learning methods", "what first book on machine learning": the subject a resource
# is asked on, said in so many words
_ASKED_ON = re.compile(r"\b(books?|textbooks?|texts?|courses?|intro(duction)?s?|primers?|tutorials?|lectures?|notes|"
                       r"class(es)?)\s+(on|about|in|to|covering)\s+([^.?!;,]+)", re.I)


# ... or before its noun: "a proper university-style intro ML course" (not "my probability course")
_ASKED_BEFORE = re.compile(r"\b(an?|the|one|some)\s+((?:[\w'-]+\s+){1,4}?)(books?|textbooks?|courses?|class|"
                           r"lectures?|notes|primers?|tutorials?)\b", re.I)


def asked_on(text: str) -> str:
    """The subjects a resource is asked on in so many words ("a first book on statistical learning")."""
    return " ".join([m.group(5) for m in _ASKED_ON.finditer(text)] + [m.group(2) for m in _ASKED_BEFORE.finditer(text)]
                    + [m.group("what") for m in _LEARN_SUBJECT.finditer(text)])


# ... or as what the learner wants to learn: "I want to learn probability properly over the summer"
_LEARN_SUBJECT = re.compile(r"\b(want|wanna|would like|'d like|hope|hoping|trying|need|plan|planning) to (properly )?"
                            r"(learn|study|understand|get into|pick up|master|relearn)\s+(?P<what>[^.?!;,]+)", re.I)


def own_gap(said: str, lacks: str, question: str, names_subject: Callable[[str], bool]) -> bool:
    """Whether what the learner lacks is a gap of theirs to fill before X (not X's, and not behind them)."""
    # (X judged hard is no gap of theirs; "KKT is where I get lost" is one)
    # ("way over my head, I have no measure theory": a comma parts the judgement from the gap)
    judged = " ".join(p for p in re.split(rf"{_SENTENCES.pattern}|,", said) if p and not _LACK.search(p))
    if re.search(_KEEP_SEEING, lacks, re.I) and not _LACK.search(re.sub(_KEEP_SEEING, " ", lacks, flags=re.I)):
        return False
    # ... unless the learner says the subject they lack of themselves and asks for nothing gentler ("I never did
    # probability beyond undergrad; their martingale chapters go too fast for me")
    mine = bool(re.match(r"\W*(i|i'?ve|i have|my|never)\b", lacks, re.I)) and names_subject(lacks)
    return ((mine and not _GENTLER.search(said) or not _EASIER.search(judged)) and not _DONE.search(said)
            # the learner's own: said of themselves, or with the subject dropped ("never studied them")
            # ... or a state only a learner is in ("conditional expectations are fuzzy", "no idea what MAP is")
            # (or of the one the question is asked for: "she never learned bias-variance")
            and bool(re.search(r"\b(i|i'?m|i'?ve|my|me|mine|he|she|he'?s|she'?s|his|him|her|we|we'?ve|us|our)\b|"
                               r"^\W*(never|zero|no|nothing)\b|\bno (idea|clue)\b|"
                               r"\b(is|are)\s+((very|really|pretty|a bit|kind of|all|completely|totally)\s+)?"
                               r"(rusty|shaky|fuzzy|hazy|new|unknown|foreign|unfamiliar)\b", lacks, re.I))
            # "I can't learn from formulas with zero derivations" is no gap; "never studied them" points back
            and (names_subject(lacks) or bool(_POINTS_BACK_TO_TOPIC.search(lacks))
                 and names_subject(question)))
