"""The cues a question's wording gives, and the readers of its clauses: what it asks beyond its topic.

Regular expressions only, and the functions that read a question clause by clause (what it asks about a named
resource). What the learner lacks and knows is in `background.py`, what they refuse in `refusals.py`, the reader
of names in `reader.py`, the preferences in `asks.py`.
"""

from __future__ import annotations

import re

_SMALL = {"a", "an", "the", "of", "for", "and", "to", "in", "on", "with", "from", "its", "&"}
# "the derivative as a linear operator instead of index formulas" says how X teaches, not that the learner leaves X
# (the name read out, "instead of CS229" leaves nothing, "'s notes", a pronoun or a kind after "of")
_OF_NO_RESOURCE = (r"(?! of\s+(?!(the|a|an|that|this|those|these|it|them|his|her|their|its|my|our|your|one|ones|books?|"
                   r"textbooks?|texts?|courses?|class(es)?|lectures?|videos?|notes|papers?|series)\b)[a-z])")
_NEXT = re.compile(r"\b(what next|next step|after (finishing|reading|doing)|beyond|next level|finished|"
                   # ("has done single-variable calculus" is background; "done with X" is a step on)
                   r"(?<!\bhas )(?<!\bhave )(?<!'ve )(?<!\bhad )(?<!\bnever )done( with)?|"
                   r"too (light|easy|applied|shallow|basic|elementary|simple|superficial|informal|hand-?wavy|"
                   r"computational|practical|high-level|slow)|more (rigorous|mathematical|advanced|depth|theory)|"
                   r"go deeper|deeper than|where (do|should|can) i go|follow[- ]?up|sequel|comes? after|"
                   r"(worked|went|gone|got|made it|read) (through|thru)|completed|already (know|read|did|done|finished|"
                   r"covered|took|taken)|lacks?|(not|isn'?t|wasn'?t) (rigorous|mathematical|deep|formal|detailed) enough|"
                   r"(don'?t|doesn'?t|didn'?t|do not|does not|did not) go (deep|far|into enough detail)( enough)?|"
                   r"level up|step up|next(?=\s*[?.!])|(read|study|learn|take|do|watch|use) next|what'?s next|what is next|"
                   r"next (book|course|text|read|resource|step|paper|article|reading)s?|follow[- ]on|wanting more|"
                   r"now (i )?(want|need|looking)|"
                   # ("notes I can read instead of rewatching": the same course in another form, not a step on)
                   rf"instead(?! of (re)?\w+ing\b){_OF_NO_RESOURCE})\b", re.I)
# a move on from X that says it wants more depth ("too applied", "more rigorous", "the next level"); without one,
# "B&V says nothing on SGD, next book?" moves sideways, to other topics at any depth
# the words that put a wish for depth relative to the resource moved away from ("gentler than UML", "more rigorous")
# ("been using StatQuest vids too", "more generally", "rather than a chapter" compare nothing)
_COMPARATIVE = re.compile(r"\b((?<!\bno )(?<!\bnot )(?<!\bany )more(?! (generally|specifically|broadly|precisely|"
                          r"importantly|recently|or less)\b)|less|too(?!\s*([.,;:!?)]|$))|(?<!rather )(?<!other )than|"
                          r"gentler|easier|"
                          r"harder|deeper|lighter|heavier|simpler|friendlier|"
                          r"rigorous enough|instead|step up|next level|level up)\b", re.I)
# ... of which these only compare with X: "rigorous" or "proofs" alone is a wish X itself may already meet
_DEEPER_THAN = re.compile(r"\btoo (light|easy|applied|shallow|basic|elementary|simple|superficial|informal|hand-?wavy|"
                          r"computational|practical|high-level|slow)\b|\bmore (rigorous|mathematical|advanced|depth|"
                          r"theory|theoretical|formal|math|maths)\b|\b(go deeper|deeper|next level|level up|step up|"
                          r"harder|hand-?wavy|informal|shallow|superficial|outgr[eo]wn?|"
                          r"left (me|him|her|us|them) (wanting|hungry|craving))\b", re.I)
# ("a mechanical engineering graduate" is a person with a degree, not graduate-level maths; "grad probability" is)
_GRADUATE_LEVEL = (r"(graduate|grad)(?=[- ](level|course|class|texts?|textbooks?|books?|school|students?|programs?|seminars?|"
                   r"studies|probability|statistics|analysis|math|maths|treatment))")
_DEEPER = re.compile(_DEEPER_THAN.pattern + rf"|\b(proofs?|prove|rigou?r\w*|{_GRADUATE_LEVEL}|advanced|derivations?|derive|"
                                            r"guarantees?)\b", re.I)
# what a learner says a resource is ("is super terse", "was pretty hand-wavy"): a verdict on it, not a request for it
_INTENSIFIER = r"((pretty|super|very|really|way|kind of|kinda|a bit|quite|so|rather|extremely|incredibly|fairly|too)\s+)?"
_JUDGED = (rf"(is|are|was|were|it'?s|feels?|felt|seems?|seemed|gets?|got)\s+{_INTENSIFIER}")
# what X leaves out ("says nothing on SGD", "barely touched estimation"): a move sideways, to that topic at X's level
_SIDEWAYS = re.compile(r"\b((says?|said|has|had|there'?s|there is|there was|with) (nothing|little|almost nothing) (on|about|of)|"
                       r"(is|was|are|were|it'?s) (completely |totally |mostly |entirely )?silent (on|about)|"
                       r"(doesn'?t|does not|didn'?t|did not|never) (really )?(cover|treat|discuss|mention|touch|get (in)?to|go into)|"
                       r"barely (touch\w*|cover\w*|mention\w*|discuss\w*)|skips?|skipped|omits?|omitted|leaves? out|left out|"
                       r"no (coverage|mention|treatment|discussion) of|predates?|stops? (before|short of)|"
                       # "more graph-centric and slower, with lots of worked examples": X's subject at X's level, paced
                       r"slower|more slowly|(lots|more|plenty|tons) of worked examples|"
                       # "there were no exercises": practice X leaves out, at X's level
                       r"(there (are|were|was|is)|it has|it had|has|had|with) (no|zero|hardly any) (exercises|problems|"
                       r"problem sets|practice|worked examples|homework)|"
                       r"(same|similar) ([\w-]+ )?(spirit|style|level|vein|flavou?r)|picks? up where|"
                       # "a treatment dedicated to HMMs rather than a chapter in a broad textbook": X's topic, focused
                       r"(rather|more) than (just )?(a|one|the) (single )?(chapter|section)|"
                       # "lecture videos that go with it": X is what the learner has, the same at its level is asked
                       r"companion|to accompany|(go|goes|going) (along )?with (it|this|that|the book|the text)|"
                       # ... "what book goes with MIT's lectures?", read with the name taken out
                       r"(go|goes|going) (along )?with(?=\s*([?.!,;]|$))|"
                       r"that follows? (it|the book|the text|along)|(are|is|was|were) (built|based) (on|around)(?=\s*([?.!,;]|$))|(follow|follows|following) (that|this|the same) (book|text)|"
                       r"(?<!\bi )(has|had|have) (basically |almost |pretty much |practically )?no|(?<!know )nothing (on|about)|"
                       # "nothing in the book talks about stochastic gradients"
                       # (the book's name, or "the book" after it, is read out before this is read)
                       r"nothing in\s+((it|there|the (book|course|text|notes|lectures?|paper))\s+)?(talks|says|covers|"
                       r"mentions|touches|goes|deals))\b", re.I)
# A question about something other than the resource it names: leave that one out, move along an axis.
# "not so heavy like CS229", "not as dense as ESL": a resource asked for below X's depth (not "not as hard as I feared")
_NOT_AS_HARD = (r"\bnot (so|as|that|too) (heavy|hard|difficult|dense|advanced|mathy|math-heavy|theoretical|technical|"
                r"rigorous|formal|abstract|proof-heavy)( as| like)\b(?!\s+(i|we|you|it|people|expected|feared|thought)\b)")
# "My roommate did CS229 instead (but I like Kilian's style)": another's choice, no move of the learner's own
_OTHERS_CHOICE = re.compile(r"\b(my|a|our) (room-?mate|friend|classmate|lab-?mate|colleague|co-?worker|brother|sister|"
                            r"partner|cousin|team-?mate)s?\b[^.?!;]{0,80}\binstead\b"
                            r"(,?\s*but (i|i'?d|i'?m)( really)? (like|prefer|want)\b[^.?!;]*)?", re.I)
_AWAY = re.compile(_NOT_AS_HARD + rf"|\b{_JUDGED}(terse|dense(?!\s+in\b)|hand-?wavy|informal|shallow|dry|hard|difficult|abstract|heavy|light|"
                   r"superficial|sparse|thin|advanced|theoretical|technical|applied|practical|mathy|math-heavy|"
                   r"short|brief)\b|"
                   # "the flows section of X was great but short"
                   rf"\bbut {_INTENSIFIER}(short|brief|thin|sketchy)\b|"
                   rf"\b(instead of{_OF_NO_RESOURCE}|rather than|"
                   r"(i'?d|i would|would) (much )?rather|alternatives? (to|for)|other than|replacement for|"
                   r"than(?!\s+(i|we|you|he|she|they|it|my|a|an)\b)|too \w+|"
                   r"shorter|(anything|something) newer|more (compact|concise|modern|recent|up[- ]to[- ]date)|"
                   r"(feels?|is|seems?) (dated|outdated|old)|"
                   r"over my head|(i'?m|got|am|was) (completely |totally )?lost|lost me|loses me|"
                   r"equivalent|counterpart|successor|(is|are|was|were|it'?s) (just|only|basically|mostly|all)|"
                   r"lighter|gentler|easier|simpler|what next|next step|done( with)?|finished|after|struggl\w*|"
                   r"(couldn'?t|can'?t|could not|cannot|hard to|unable to) (follow|keep up|get through)|beyond me|"
                   r"(killing|kills|killed) me|brutal|painful|heavy going|tough going|"
                   r"gave up|bounced off|overwhelm\w*|intimidat\w*|"
                   # "I outgrew X", "X left me wanting the maths", "X made my head spin"
                   r"outgr[eo]wn?|left (me|him|her|us|them) (wanting|hungry|craving)|(made|makes|make) (my|his|her) "
                   r"head (spin|hurt)|"
                   # "X isn't free and I can't afford it": the same subject, another way in
                   r"(isn'?t|is not|wasn'?t|not) free(?![^.!?]*\?)|(can'?t|cannot|could not|couldn'?t) afford"
                   r"(?! (to buy )?(any )?(books|textbooks|paid|anything|much)\b)|too (expensive|pricey)|"
                   r"costs? (money|too much|a lot)|"
                   r"but (i|i'?d|i'?m)( really| now)? (want|need|like|prefer|would like|am looking|looking)|"
                   # "X is 1000 pages of proofs. I just need OT I can compute with": what X is not, then the wish
                   # ("worth it if what I mostly care about is neural nets?" asks about X)
                   # ... said as a sentence of its own ("I'm reading PRML and I care about ...: which chapters?" is no move)
                   r"(?:(?<=^)|(?<=[.!?;]\s)|(?<=[.!?;]))\s*(i (just|only|mostly|really) (need|want|care about)|"
                   r"i care (more |mostly |only )?about)|"
                   r"(?<!if )all i (need|want))\b",
    re.I)
# ("lecture notes" before "lecture": the longer noun is the kind said)
_KIND_WORDS = r"lecture notes|book|textbook|paper|course|lectures?|notes|videos?|class|specialization|tutorial|monograph"
# the kind noun right after a name belongs to the name: "the DDPM paper", "Bishop's book", "Boyd's course"
# ("the 'rethinking generalization' paper": after a closing quote too)
_KIND_AFTER_NAME = re.compile(rf"^('s|[\"'\u2019\u201d])?\s*({_KIND_WORDS})\b", re.I)
# ... and the words describing it between a possessive and that noun: "Durrett's probability book" asks for no
# probability book
_DESCRIBED_AFTER_NAME = re.compile(rf"^'s\s+((?!(and|or|but|a|an|the|for|to|on|with|in|of)\b)[\w-]+\s+){{1,3}}"
                                   rf"({_KIND_WORDS}|survey|review)\b", re.I)
# ... and what is said of it in brackets right after ("Grinstead and Snell (the free one)")
_BRACKET_AFTER_NAME = re.compile(r"^\s*\([^()]{0,60}\)")
# "the book barely touched it", "the course was too slow": the named resource again, not a wish for a book
_ANAPHORA = re.compile(rf"\b(the|this|that|its|his|her|their) ({_KIND_WORDS})\b"
                       r"(?!\s+(on|about|for|that|which|to|with|covering|i|you|where|in|by)\b)(?=\s+[a-z]+)", re.I)
# "I finished X", "worked through X": X is behind the learner, so a gap they name comes after X, not before it
_DONE = re.compile(r"\b(finished|done with|completed|(worked|went|got|read) (through|thru))\b|"
                   r"^\W*(did|took|done)\b", re.I)
# "read X, ...", "used X for ...", "built micrograd along with X": X, said first, is behind the learner
_USED_BEFORE_NAME = re.compile(r"^\W*((i\s+|i'?ve\s+|i have\s+)?(already\s+)?(read|used|watched|tried|did|done|took|taken|"
                               r"built|(went|worked) (through|thru)|finished|completed)|"
                               # "After reading the original GAN paper: ...", "having finished X"
                               r"(after|having|now that i'?ve|now that i have)\s+(already\s+)?(read|reading|watched|"
                               r"watching|finished|finishing|completed|completing|done|doing|taken|taking|"
                               r"(gone|going|worked|working) (through|thru)))\b[^.?!]{0,40}$", re.I)
# "I want to read X" (then a gap: "but I've never seen optimal transport"): X is the goal, the gap comes first
_GOAL_BEFORE_NAME = re.compile(r"\b(want|wanna|would like|'d like|plan|planning|going|hope|hoping|trying|try|about|"
                               r"need|have|meant|supposed) to (read|take|start|study|work through|get through|tackle|"
                               r"follow|understand|do|go through|present|teach|implement|reimplement|reproduce|replicate|"
                               r"referee|review)\s+((the|a|an)\s+)?[\'\"\u201c\u2018]?$|"
                               # a form's label: "Goal: understand the AdaGrad paper", "Long-term goal: X"
                               r"\b(goal|target|aim)\s*:\s*((to )?(read|understand|follow|take|study|work through|"
                               r"get through|tackle)\s+)?((the|a|an)\s+)?[\'\"\u201c\u2018]?$|"
                               # "our reading group picked X", "my advisor assigned X"
                               r"\b(picked|chose|chosen|assigned|selected|is reading|are reading|presenting)\s+"
                               r"((the|a|an)\s+)?[\'\"\u201c\u2018]?$|"
                               # "Starting Bishop's PRML next month", "I'm about to begin X", "taking CS189 next term"
                               r"(^\W*|\b(i'?m|i am|i'?ll be|we'?re)\s+)(starting|beginning|taking|enrolled in|signed up for|"
                               r"registered for)\s+((the|a|an|on)\s+)?$|"
                               # "I'm stuck on X": X is the goal the gap stands in front of
                               r"\b(stuck|struggling) (on|with|in|through)\s+((the|a|an)\s+)?([\w-]+\s+(book|paper|course|notes)\s+by\s+)?"
                               r"[\'\"\u201c\u2018]?$", re.I)
# "before X", "before reading the X book": X's prerequisites are asked for, whatever the verb
_BEFORE_NAME = re.compile(r"(\bbefore\s+((reading|starting|taking|tackling|attempting|opening|the|a|an|this|that|"
                          r"something like|anything like|stuff like|(i|we) (move|go|get|jump|turn) (on )?to)\s+){0,2}"
                          r"|\bpre-)[\'\"\u201c\u2018]?$", re.I)
# "what should she read so that the Belkin et al. paper makes sense?": X is the goal, what comes before it is asked
_SO_THAT = re.compile(r"\bso( that)?\s+((the|this|that|a|an|his|her|their)\s+)?$", re.I)
_MAKES_SENSE = re.compile(r"^('s)?\s+([\w.-]+\s+){0,3}(makes?|will make|would make|starts? to make) (more )?sense\b", re.I)
# "the linear algebra CS229 expects": what X presupposes is asked for
_NAME_EXPECTS = re.compile(r"^('s)?\s+(expects?|assumes?|presupposes?|requires?)\b|"
                           # "CS229 starts next Monday": X is ahead, what to do before it is asked
                           r"^\s+(starts|begins|kicks off|is starting|is coming up|comes up)\s+(next|on|in|soon|tomorrow|"
                           r"this|after|at)\b", re.I)
_EASIER = re.compile(rf"(?:\b{_JUDGED}(hard|difficult|dense(?!\s+in\b)|terse|abstract|heavy|advanced|theoretical|"
                     r"technical|mathy|math-heavy)\b|"
                     # "Casella looks enormous", "Too much?"
                     r"\b(looks?|looked|seems?|seemed|is|feels?)\s+(so |really |pretty |quite )?(enormous|huge|massive|insane|"
                     r"brutal|terrifying|scary|intimidating)\b|"
                     r"(^|[.?!:]\s+)(is it |is that |it'?s |that'?s )?too much\s*\?|"
                     r"\btoo ([\w-]+ (and|&) )?(hard|difficult|advanced|dense|terse|long|heavy|theoretical|technical|"
                     r"abstract|mathy|math[- ]heavy|mathematical|"
                     r"rigorous|formal|dry|complex|complicated|steep|fast)\b|\bover my head\b|\blost\b"
                     r"|\bstruggl\w*|\b(couldn'?t|can'?t|could not|cannot|hard to|unable to) (follow|keep up|get through)"
                     r"|\bbeyond me\b|\btoo much (for (me|us|him|her|them)|to (handle|take in|digest))\b"
                     r"|\b(killing|kills|killed) me\b|\b(brutal|painful|heavy going|tough going)\b"
                     r"|\bgave up\b|\bbounc(ed|ing) off\b|\bdrowning\b|\boverwhelm\w*|\bintimidat\w*|\bfriendlier\b"
                     # "hit a wall of notation", "it rushes MDPs in one lecture", "I'm losing motivation fast"
                     r"|\b(hit|hitting|hits) a (brick )?wall\b|\bwall of (notation|symbols|maths?|equations|formulas|proofs)\b"
                     r"|\b(it|they|he|she|the (book|course|class|lectures?|notes|author|text)) (just )?(rush|rushes|rushed)\b"
                     r"|\b(losing|lost|lose) (my |all )?motivation\b"
                     r"|\bmore (basic|elementary|beginner)|\b(less|fewer) (proofs|maths?|formulas|theory)\b"
                     r"|\b(easier|gentler|simpler|lighter|less (math|mathematical|rigorous|formal|dense))\b"
                     r"|\bmore (accessible|intuitive|applied|practical|gentle|compact|concise)\b|\bshorter\b"
                     r"|\b(made|makes|make) (my|his|her) head (spin|hurt)\b|" + _NOT_AS_HARD
                     # ("heavy going is ok" welcomes it)
                     + r")(?!\s+(?:is|are|'s)\s+(?:ok|okay|fine|no problem|welcome)\b)", re.I)
# After the last name, the learner asks for something else: "X was great but ..., what free book covers Y?",
# "did X, it was basically sklearn calls. I'd like lecture videos that ...". Said about X, these leave X out;
# a lookup of X asks inside the name's own clause ("where can I find the X lectures", "is X free").
# ("any problem printing them?" asks no resource)
_ANY_AS_QUESTION = r"(?!\s+(problems?|issues?|trouble|chance|difference|reason|point|harm|risk|catch|downsides?|drawbacks?|" \
                   r"idea)\b)"
_REQUEST = re.compile(rf"\b(what|which|where|any{_ANY_AS_QUESTION}|anything|something|recommend\w*|suggest\w*|"
                      r"point me|(is|are) there (a|an|any|some))\b", re.I)
# "ml-flavored intro?", "free book that covers them gently?": a resource asked for in a few words
_ELLIPTIC_REQUEST = re.compile(r"^\W*([\w'/-]+\s+){0,4}(intro|introduction|book|textbook|course|primer|notes|tutorial|"
                               r"videos?|resource|refresher|crash course)s?\b[^.?!]{0,40}\?", re.I)
# "never studied them": the gap is the topic named before
_POINTS_BACK_TO_TOPIC = re.compile(r"\b(them|it|those|these|that)\b", re.I)
# "I want information theory that connects to ...": a wish said after X is a request in itself
_WISH = re.compile(r"\b(i'?d like|i would like|(i|we) (really |now |just |only |simply )?(want|need)|(?<!not )(?<!n't )looking for)\b|"
                   # "I like short videos", "I learn best from lectures": the form wished for, in the present
                   r"\bi('?d| would)? (really |much )?(like|prefer|learn (best|better) (from|with|through))\s+(\w+\s+){0,2}?"
                   r"(books?|textbooks?|videos?|lectures?|courses?|notes|exercises|problems)\b|"
                   r"^\W*(really |now |just )?(want|need|would like)\b", re.I)  # the subject dropped: "want the full version"
# ... for a resource to use, not a fact about X ("I'm reading ESL. Which chapter covers the lasso?")
_WANTS_RESOURCE = re.compile(r"\b(books?|textbooks?|courses?|class|lectures?|videos?|notes|papers?|resources?|"
                             # ("I use Stan at work" tells what the learner does, it asks for nothing)
                             r"something|anything|alternatives?|read|watch|learn|study|(?<!\bi )use|go|next|else|"
                             rf"instead{_OF_NO_RESOURCE}|"
                             r"version|variant|treatment|sequel|successor|extension|intro|introductions?|tutorials?|"
                             r"primers?|overviews?|surveys?|monographs?|references?|covers?|explains?|teaches?|bridges?|fills?|"
                             r"write-?ups?|articles?|explainers?|guides?|materials?|texts?|shows?|derives?|"
                             # "what's the entry point?"
                             r"entry[- ]points?|on-?ramps?|starting[- ]points?|way in|"
                             # "I want the harder one by the same people"
                             r"(harder|easier|gentler|simpler|lighter|deeper|newer|shorter|longer|better|other|next|"
                             r"different|more \w+) ones?)\b",
                             re.I)
_LOOKUP = re.compile(r"\b(chapters?|sections?|pages?|parts?|volumes?|exercises? in|cost|price|worth|"
                     r"(lecture|episode|video|week|module|unit)s? \d+\w?(?!\s*[\u2013-]\s*\d)|"  # (a plan's "weeks 1-5": no part)
                     r"the (proof|derivation) (that|of|in))\b", re.I)
_CLAUSES = re.compile(r"[.;,!?\u2014-]\s")
# ... unless the request points back at X: "which book is that?", "where do I get them?"
_BACK_TO_NAME = re.compile(r"\b(the|that|this) (original|actual)( [\w-]+){0,2} (paper|article|publication)\b|"
                           # "I want the free pdf version of that one", "that paper, mainly for its argument" (not "the
                           # notes of that same course": another resource of X's course)
                           r"\b(that|this) (same )?one\b|(?<!of )(?<!from )(?<!for )\b(that|this) (same )?(paper|book|course|"
                           r"text|monograph|survey)\b(?!\s+(on|about|for|that|which|covering)\b)|"
                           r"\b(it|them|that|this|those|these)\s*[?.!]*\s*$|\b(is|get|find|buy|watch|taught|covers?|"
                           r"about) (it|them|that|this|those|these|they)\b|"
                           # "I want the course itself, not just his textbook"
                           r"(?<!before )(?<!after )\bthe (course|book|class|lectures?|notes|videos?|series|text(book)?|paper) "
                           r"itself\b|"
                           # "'do Strang' ... I want his recorded class": the person named, their own course
                           r"\b(want|prefer|need|get|watch) (his|her|their) (own |actual |recorded |filmed |video(ed)? )?"
                           r"(class|course|lectures?|videos?|book|notes)\b|"
                           # "a course page for Poggio and Rosasco's class? I'd like their slides"
                           r"\b(want|like|prefer|need|get|see) (his|her|their) (own )?(slides|handouts|problem sets|psets|"
                           r"exercises|lecture notes|recordings|syllabus|readings)\b|"
                           # "which version has the recitation videos?", "I want to do the whole course on my own"
                           r"\bwhich (version|edition|offering|semester|year'?s?|run)\b|"
                           # "matrix cookbook latest version? need d log det(X)/dX again"
                           r"\b(latest|newest|current|most recent|updated) (version|edition|revision|release|pdf|copy)\b|"
                           r"\bthe (whole|entire|full) (course|book|class|series|playlist|thing)\b", re.I)
# "took X last year ... need a formula refresher of the whole course": a revision of X itself, not a step past X
_REVISES_NAME = re.compile(r"\b(refresher|review|recap|summary|revision|cheat ?sheet)s? (of|for|on) (the|that|this) "
                           r"(whole |entire )?(course|class|book|lectures?|text)\b", re.I)
# where a sentence ends: "?", "." or "!" (not the period inside "18.06"), or the end of the text
_SENTENCE_END = re.compile(r"[?!]|(?<!\d)\.|\.(?!\d)|$")
# where one sentence ends and the next begins: "?", "!", a new line, or ". " (not "ch. 13", "fast.ai", "et al. ",
# "e.g. ")
SENTENCE_BREAK = re.compile(r"[?!]+\s*|\n|(?<!\bch)(?<!\bal)(?<!\bvs)(?<!\bcf)(?<!\bpp)(?<!\bno)(?<!\bvol)(?<!\be\.g)"
                            r"(?<!\bi\.e)(?<!\b[a-z])\.\s+", re.I)


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding text[at] begins."""
    return max((m.end() for m in SENTENCE_BREAK.finditer(text, 0, at)), default=0)

# "diffusion models go back further", "the earlier paper", "what came before X": back in time from X
# "which paper came before it?": what came first in time, not what to learn first
# ("maybe 2016, well before DDPM": a time, in both)
_LONG_BEFORE = r"(well|long|years|decades|way) before"
CAME_BEFORE = re.compile(r"\b(came|comes|come|published|written|appeared) (right |just |out )?before\b|\bpreceded\b|"
                         rf"\b{_LONG_BEFORE}\b|"
                         r"\bpredecessors?\b", re.I)
_EARLIER = re.compile(r"\b(go(es)? back (further|earlier)|earlier|predecessors?|preceded|came before|"
                      rf"{_LONG_BEFORE}|(the )?one (right |just )?before (it|that|this|them)\b|"
                      # "the theory from before WGAN" (not "it's from before NUTS": a fact about X)
                      r"(?<!'s )(?<!\bis )(?<!\bwas )(?<!\bare )(?<!\bwere )from (just )?before|"
                      r"(?P<original>(the )?(first|original|earliest) ([\w-]+ ){0,3}(paper|one|idea|work|article)))\b",
                      re.I)
# "something gentler that still proves everything", "proof based but gentle": gentler, and rigorous all the same
# (not "still proves perceptron convergence": one result proved, in a book light on maths)
_STILL_RIGOROUS = re.compile(r"\b(still|but|yet) ((proves?|proving) (everything|it all|all|the (main )?(theorems|results))|"
                             r"rigorous|proof[- ]based|does (the )?proofs|has (the )?proofs|with (full |real )?proofs)\b|"
                             r"\bproof[- ]based,? (but|yet|and) (gentle|friendly|approachable|slow|easy)|"
                             r"\b(gentle|gentler|friendly|friendlier|approachable|easier),? (but|yet|and) (still )?"
                             r"(proof[- ]based|rigorous|proves)\b", re.I)


def keeps_rigour(question: str) -> bool:
    """Whether a wish for something gentler keeps the proofs ("gentler, but still proves everything")."""
    return bool(_STILL_RIGOROUS.search(question))


# asking for a gentler way in, rather than for what X builds on ("what background am I missing?")
# "they felt pretty gentle": a verdict that X was easy (so more is wished), not a wish for gentleness
_GENTLE_VERDICT = re.compile(rf"\b{_JUDGED}(gentle|light|easy|simple|soft|basic)\b", re.I)
# "a book on the same ideas to read first": gentler, unless more depth is asked ("the same material with the derivations")
_SAME_IDEAS = re.compile(r"\b(the )?same (ideas|material|topics)\b", re.I)
_GENTLER = re.compile(r"\b(gentler|gentle|lighter|easier|friendlier|simpler|softer|chill(er)? version|more (accessible|approachable|gentle|"
                      r"beginner[- ]friendly)|start instead|on-?ramp|"
                      # "a free first ML textbook that's about ideas, before I try CS229"
                      r"(a|an)( free| good| short)? first ([\w-]+ ){0,2}(textbook|book|text|course|class)|"
                      r"(something|anything) in between)\b", re.I)
# "stuck on the BPTT derivation, what math am I missing?": what a gap builds on, not the gap itself (not "before
# flows, what math do I need? jacobians lose me", where the gap named is the maths asked for)
_BENEATH = re.compile(r"\b(what|which) (math|maths|mathematics|background|foundations?) am i missing\b|"
                      r"\bmissing (math|maths|mathematics|foundations?)\b", re.I)
_FOUNDATIONS = re.compile(r"\b(background|foundations?|basics|prereq\w*|pre-?requisites?|(math|maths|mathematics) "
                          r"do i need)\b", re.I)
# the learner wants a record from the people or the course that made X
# "anything in between?", "a middle ground": between the resources named
_BETWEEN = re.compile(r"\b(in[- ]between|somewhere between|middle ground|halfway (house|point))\b", re.I)
_SAME_SOURCE = re.compile(r"\b(by|from|of) (\(?mostly\)? )?(the|that|this|those|these) (very )?same\b|"
                          r"\bsame (authors?|people|group|team|source|course|class|lecturers?|professors?|instructors?)\b|"
                          # "the textbook that goes with them", "the book they follow", "its companion book"
                          r"\b(text|textbook|book|lectures?|videos?|course|class) (that |which )?(goes|go|pairs?|belongs?) "
                          r"with\b|\b(text|textbook|book) (that )?(they|it|he|she|the (lectures?|course|class)) "
                          r"(follows?|uses?|used|followed|(is|are|was|were) based on)\b|\bcompanion (text|textbook|book|"
                          r"lectures?|videos?|course|set|sheets?|cheat ?sheets?|series|volume|notes|paper)\b|"
                          # "their companion set for the deep learning course", "his earlier, shorter book"
                          r"\b(their|his|her) ([\w-]+,? ){0,2}?(other|newer|later|earlier|next|second|sister|follow-up) "
                          r"([\w-]+,? ){0,2}?(book|set|course|series|notes|paper|sheets?|cheat ?sheets?|text|textbook|volume|"
                          r"monograph)\b|"
                          # "a compact review written for this course"
                          r"\b(written|made|prepared|produced) (specifically |just |especially )?(for|to accompany) "
                          r"(the|that|this|its) (very )?(course|class|book|lectures?)\b|"
                          # "official written notes for the course"
                          r"\b(official|own) ([\w-]+ )?(notes|text|textbook|book|handouts?) (for|of|from) (the|that|this|its) "
                          r"(course|class|lectures?)\b", re.I)
# what a gap is in when it names no topic: maths, or background in general
_SUBJECT = re.compile(r"\b(math|maths|mathematics|background|foundations?|basics|prerequisites?|theory|proofs?|"
                      r"calc|calculus|multivariable|stats|statistics|probability|algebra|analysis)\b")
# "there's nothing on diffusion models or WGAN": a name said as what X lacks is a subject, not a resource
_LACKED_IN_X = re.compile(r"\b((nothing|little|almost nothing|no (coverage|mention|treatment|discussion)) (on|about|of)|"
                          r"(doesn'?t|does not|didn'?t|did not|never) (really )?(cover|treat|discuss|mention)|"
                          # ("Seeing Theory didn't cover the ML part and ISLR was too much": a new clause names ISLR)
                          r"barely (touch\w*|cover\w*|mention\w*))\b((?!\s(and|but|while|whereas)\s)[^.?!;,]){0,40}$", re.I)
_AS_LEVEL = re.compile(r"[\s-]+level\b(?!\s+(course|book|text|textbook|class|notes))", re.I)
# a level said as what a resource requires: "it wants linear algebra at the 18.06 level"
_REQUIRES = re.compile(r"\b(wants|requires|required|assumes|assumed|expects|expected|needs|presupposes|asks for|"
                       r"demands|prerequisites?( are| is)?)\b[^.?!;]{0,40}$", re.I)
# "not re-watching 18.06", "or reading Axler": the verb a refusal of a resource may carry (names.refused_in_list too)
REFUSED_VERB = r"(re-?)?(reading|watching|doing|taking|using|buying|redoing|going back to|going through)"
# ... or "I don't want the ~1000-page Old and New"
_NOT_THIS = re.compile(rf"\b(not|nor|(don'?t|do not|doesn'?t|does not) (want|need|mean))\s+({REFUSED_VERB}\s+)?"
                       r"((the|an?|his|her|their)\s+([\w~-]+\s+){0,3})?$", re.I)
# ... or ruled out after it: "Villani's 1000 pages is not happening", "Bishop is out of the question"
_RULED_OUT_AFTER = re.compile(r"^('s|\u2019s)?(\s+[\w~-]+){0,3}\s+(is|are|was)\s+(not happening|out of the question|off the table|"
                              r"a no-go|not an option|out)\b(?!\s+of\s+(print|date|reach))", re.I)
# a year said in a question ("the 2015 diffusion paper")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NOT_YEAR = re.compile(r"\bnot\s+([\w'-]+\s+){0,2}$", re.I)


def said_years(clauses: list[str]) -> tuple[int, ...]:
    """The years the learner's own clauses say, not one refused ("not their 2019 tutorial")."""
    return tuple(int(m.group()) for c in clauses for m in _YEAR.finditer(c) if not _NOT_YEAR.search(c[:m.start()]))
# a clause that opens by pointing back to the resource just named ("it's from 2016", "its proofs are terse")
_POINTS_BACK = re.compile(r"\W*(it|it'?s|its|they|they'?re|their|this one|that one|the (book|course|paper|notes)|"
                          # "X taught me backprop. But no transformers, no diffusion": what X lacks
                          r"but no\b|"
                          # "X is solid on theory but has no code at all": the subject dropped is still X
                          r"(has|had|have|lacks?|is|was|does|doesn'?t|did|didn'?t|skips?|skipped|covers?|uses?|"
                          r"spends?|gives?|never)\b(?! (i|you|we)\b))", re.I)
_SENTENCES = re.compile(r"(?<!et al)[.?!;]+\s*|,?\s+but\s+|\s+-\s+|\s+\u2014\s+|\s*\n\s*")  # (a title line too)


# "X vs the other one, which one ...?": a choice that includes X, even when the other is not recognised
_CHOOSING = re.compile(r"\b(vs\.?|versus|which one|which of)\b", re.I)
_COMPARE = re.compile(r"\b(vs\.?|versus|compared? (to|with)|or|than|candidates|"
                      # ("something in between ISLR and ESL" is a third book, not a choice between them)
                      # ("choosing a first probability book between A, B and C")
                      r"(choos\w*|decid\w*|pick\w*|torn|stuck|split|hesitat\w*)( [\w-]+){0,5} between|"
                      r"which (one |of (them|the two|these|those) )?(should|do|would|to) (i |we )?(pick|choose|go with|get|"
                      r"take|start with))\b|"
                      # "between the Goodfellow book and D2L, which should a coder read?", "comparing UML and Mohri"
                      r"(?<!in )\bbetween\b[^.?!]{1,80}?\band\b[^.?!]{1,80}?\bwhich\b|\bcomparing\b[^.?!]{1,80}?\band\b|"
                      # "I'm now weighing D2L against Prince's book"
                      r"\bweigh(ing|s)?\b[^.?!]{1,80}?\b(against|and)\b|"
                      # "Villani wrote two books, X and Y ... which?"
                      r"\bwhich( one)?\s*\?\s*$", re.I)


def pieces(separator: re.Pattern, text: str) -> list[tuple[int, int, str]]:
    """The stretches of text between separators: (start, end, the separator after it, "" at the end)."""
    out: list[tuple[int, int, str]] = []
    start = 0
    for m in [*separator.finditer(text), None]:
        out.append((start, m.start() if m else len(text), m.group() if m else ""))
        start = m.end() if m else len(text)
    return out


def unnamed_clauses(question: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """The sentences that name no resource: what the learner says of their own wish, not of X ("X is hand-wavy,
    no regret proofs" says what X lacks)."""
    out, about_x, joined = [], False, False
    for start, end, separator in pieces(_SENTENCES, question):
        clause = question[start:end]
        # "X was great but it's from 2016 - no transformers": what follows X's clause and opens by pointing back
        # to X, and what a dash joins to that, still describes X (its year, what it lacks), not the learner's wish
        about_x = any(start <= a < end for a, _, _ in spans) \
            or about_x and (bool(_POINTS_BACK.match(clause)) or joined)
        joined = about_x and separator.strip() in ("-", "\u2014")
        if not about_x:
            out.append(clause)
    return out


# "the convergence part talks about regret", "the regret analysis in the Adam paper": a part of X the learner names
_PART = re.compile(r"\b(part|section|chapter|proof|analysis|appendix|derivation|bit)s?\b|"
                   r"\b(talks? about|uses|relies on|builds on|refers to|keeps referring to)\b", re.I)


def part_clauses(text: str) -> str:
    """The clauses of a question that name a part of a resource ("the convergence proof in it uses regret")."""
    return " ".join(c for c in _CLAUSES.split(text) if _PART.search(c))


# "is CASI derivation-heavy like ESL?": a name said as a yardstick
_YARDSTICK = re.compile(r"\b((?<!\bi )(?<!'d )(?<!would )(?<!\bi'd )like|similar to|comparable to|in the style of)\s+"
                        r"(the\s+)?$", re.I)
_OR_ELSE = re.compile(r"\bor (is|are) there\b|\bor (something|anything|another|other)\b|"
                      r"\bor (skip|drop|leave|ignore) (it|them|that)\b|\bor not\b", re.I)  # "ISLR first or skip it?"
_FIND_IT = re.compile(r"\b(find|get|learn|see|read)\s+(it|them|those|these)\b", re.I)
