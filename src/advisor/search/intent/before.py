"""The cues that a question asks what comes before a resource or a topic: "what do I need before X?", "prep for
X", "it assumes calculus", "to the point where I can read Bishop". Regular expressions, and the two small readings
made of them alone; `reader.py` decides."""

from __future__ import annotations

import re

# "so I can read X": a goal the learner prepares for
# ("... something short, so I can read it on a long flight" says where the resource asked for is read)
_GOAL_CLAUSE = re.compile(r"(so (that )?i can|to be able to|before i can|in order to) (eventually |finally |one day |later )?"
                          r"(read|follow|understand|tackle|take|get through|start)(?!\s+(it|them)\s+(on|in|offline|during|"
                          r"while|at|over|anywhere|without)\b)", re.I)
_PREREQ = re.compile(r"\b(prereq\w*|pre-?requisites?|before (reading|starting|taking|tackling|diving|attempting|"
                     r"i (attempt|tackle|take|try|start|read|dive|begin|study|jump|work|get|go|move|open|pick up|"
                     # ("... before I reread the paper", "before I retry the assignment")
                     r"crack open|watch|re-?read|re-?try|re-?attempt|revisit|return to|go back to))|"
                     # "what do I need to know to read ESL?", "which maths do I need for the attention paper?", "what's
                     # needed to follow X?", "the background I need for X", "gearing up for X", "the groundwork for X"
                     r"(what|which)( \w+)? (do|would|will|should) i need( to (know|have|learn))? (to|for|in order to) "
                     r"(read|follow|understand|tackle|take|start|do|get through|the|a|an|this|that|\w+'s)\b|"
                     r"what('?s| is| are) (needed|required|necessary|assumed) (to|for|by|in)\b|"
                     r"background (i|you|one) (need|needs|require|requires|should have)\b|"
                     r"(gear|gearing|geared|get|getting|gets) (up|ready) (for|to)\b|ground ?work\b|"
                     r"what (should|must|do) i (need to )?have (done|learned|learnt|read|studied|covered)\b|road ?map\b|"
                     r"(learn|study|know|read|cover|master|take|need|do|review|brush up|refresh|revise|go over)\b.{0,40}"
                     r"\bbefore\b|"
                     r"background (do i need|needed|for|reading|material)|fill (that|this|it)\b|"
                     # "which free textbook chapter should come first?"
                     r"\b(should|would|must|to|that|which) come first\b|"
                     # "Quick intuition first?": a short request, after a gap
                     r"(^|[.?!:]\s+|(?<=\n))(\w+\s+){1,3}first\s*\?|"
                     r"(^|(?<=[.?!:\n])|(?<=[.?!:\n] ))what (to \w+ )?first\s*([?,.!;]|$)|"
                     # ("being left to fill in gaps is fine" describes a terse book)
                     r"(?<!left to )(?<!leaves you to )(?<!leave you to )(?<!have to )fill(s|ing)? (the|my|in)( the)? "
                     r"(gap|hole)s?\b|need to know (for|before)|prepare for|"
                     r"(?<!not )(?<!n't )ready for|"
                     # "get to the level where I could start something like CS229"
                     # ("one book that takes me from vectors to the point where I can read Bishop")
                     r"(get|gets|getting|bring|brings|take|takes|taking)( me| myself| us)?\b[^.?!]{0,60}?\b(up )?to (the|a) "
                     r"(level|point|stage) where (i|one|you|we)"
                     r"( can| could|'d be able to| am able to| would be able to)? (start|take|read|follow|tackle|do|handle)\b|"
                     r"what (math|maths|mathematics) do i need|beforehand|how (do|should|can) i prep(are)?|"
                     # ("which chapters should I skip on a first read?" reads X itself)
                     r"(should|do|must|would|can) i\b[^.?!]{0,40}(?<!\ba )\b(first|beforehand)\b|"
                     r"\bi (should|must|need to|ought to|have to)\b[^.?!]{0,25}(?<!\ba )\b(first|beforehand)\b|"
                     # "the course says I should have taken the undergrad ML course first"
                     r"\bi (should|must|ought to) have (taken|done|read|learned|learnt|studied|had|watched)\b[^.?!]{0,60}"
                     r"\b(first|beforehand)\b|"
                     # "Before it I want an applied course": the resource just named comes later
                     r"(^|(?<=[.?!:\n])\s*)before (it|that|this|them),? (i|we) (want|need|'d like|would like)\b|"
                     # "it takes SGD and momentum for granted"
                     r"\b(it|they|the (book|course|class|paper|author|lecture|notes)s?) (takes?|took) [^.?!]{1,40} for granted\b|"
                     # "I want to read Bishop, but first I need all the math in one book"
                     r"\bbut first,? (i|we) (need|want|have to|should|must|'d like|would like)\b|"
                     r"(read|study|learn|get|know|need|take|watch|binge|bridge|cover)\b[^.?!]{0,60}\b(first|beforehand)\s*[?.!]|"
                     # "a short check that I still have the vocab before lecture 1", "before the course starts"
                     r"\bbefore (the )?(lecture|class|week|session|lesson) (1|one)\b|"
                     r"\bbefore (the )?(first|1st) (lecture|class|session|lesson|week)\b|"
                     r"\bbefore (the |my |our )?(course|class|term|semester|module|program(me)?) (starts|begins|kicks off)\b|"
                     # "one book that gets my linalg / probability up to that level first?"
                     r"\b(get|gets|getting|bring|brings|bringing)\b[^.?!]{0,60}\bup to (that|this|the|its|his|her) "
                     r"(level|standard|speed)\b|"
                     # ("which course first?" asks; "which chapter first?" reads X)
                     r"\b(what|where|which(?!\s+(chapters?|sections?|parts?|pages?|lectures?|videos?)\b))\b[^.?!]{0,40}"
                     r"(?<!my )(?<!a )(?<!the )(?<!your )\b(first|beforehand)\s*[?.!]?\s*$|"
                     r"(read|study|learn|know)\b[^.?!]{0,25}\bto (follow|understand|read|get through|tackle) "
                     r"(it|this|that|them)\b|"
                     r"(brush|shore)(ing)? up|(come|go|read|do)\b[^.?!]{0,10}\bbefore (it|that|this|them)\b|"
                     # "what should I watch before?"
                     r"\b(read|watch|study|learn|take|do|know|look at)\s+(first\s+)?before\s*[?.!]*\s*$|"
                     r"pre-?reading|(needs?|has|have) to be (solid|strong|good|fluent)|"
                     r"(it|they|the (book|course|author)) (says|say|said|wants?|assumes?|requires?|expects?)\b[^.?!]{0,40}\bfirst\b|"
                     # "I'd like to take 18.650 but it assumes a probability course"
                     r"\b(it|they|which|the (book|course|class|paper)) (assumes?|requires?|presupposes?|expects?) "
                     r"((you|i|one|students) (to )?(have )?)?((taken|done|had|completed) )?"
                     r"(a|an|some|basic|prior|solid)\s+"
                     r"([\w-]+\s+){0,3}(course|class|background|knowledge|semester|exposure)\b|"
                     # "I want to read X, but it assumes calculus"
                     r"\b(it|they) (assumes?|requires?|presupposes?|expects?) (knowledge of |familiarity with )?"
                     r"(basic |some )?(calculus|calc|linear algebra|probability|statistics|stats|measure theory|"
                     r"(real |functional )?analysis|multivariable|matrix calculus|information theory|maths?|mathematics)"
                     r"\b|"
                     # ("a book with its own maths review" describes the book wanted)
                     r"(?<!\bown )(?<!\bits )(?<!\bwith )(?<!\bwith a )(?<!\bhas a )"
                     r"(maths?|mathematics) (review|refresher)(?! (at|in) (the )?(start|beginning|front)| up front|"
                     r" chapters?| parts?| sections?)|"
                     r"(get|getting|be|up) to (where|the point where|a level where) i can "
                     r"(read|follow|understand|tackle)|(?<!\bone )before (it|that|this|them)\s*[?.!]?\s*$|"
                     r"(then|and) (come|go|get) back to (it|this|that|them)\b|"
                     r"what'?s the gap|what (is|are) the gaps?|(background|foundations?|basics)\b[^.?!]{0,20}\bmissing|"
                     r"missing (background|foundations?|prerequisites?)|"
                     rf"{_GOAL_CLAUSE.pattern}|"
                     # "prep?", "need something to prep", "what's the foundation?"
                     r"(?<!interview )(?<!exam )(?<!test )\bprep\s*[?.!]*\s*$|\b(something|anything) to prep\b|"
                     r"what('?s| is| are) the foundations?\s*[?.!]*\s*$|"
                     # "what am I missing?", "what's the missing piece?": the learner's gap, asked for
                     r"what ((math|maths|mathematics|background|theory|prereq\w*) )?am i missing(\s*[?.!]*\s*$|\s*[/;]|\s+here\b)|what('?s| is) missing\s*[?.!]*\s*$|\bthe missing piece\b)", re.I)
# Beside a named X, its foundations reviewed: "a compact review PDF that covers LA + calculus + probability", "rather
# than redo three courses I want a compact review" (with nothing named, a review of a subject is that subject)
FOUNDATIONS_REVIEWED = re.compile(r"\b(review|refresher|recap)s?\b[^.?!]{0,30}\b(covers?|covering|of|on|for)\b"
                                  r"[^.?!]{0,12}\b(LA|linear algebra|lin ?alg|calc(ulus)?|probability|prob|maths?|"
                                  r"mathematics)\b|"
                                  r"\b(rather than|instead of|without) (re-?do(ing)?|re-?tak(e|ing)|re-?learn(ing)?|"
                                  r"repeat(ing)?) (\w+ ){0,3}(courses|classes|subjects|semesters)\b", re.I)
# "I do have the maths prerequisites": said of the learner, no request for them
# ... nor "without heavy mathematical prerequisites", a wish about the resource
_HAS_PREREQUISITES = re.compile(r"\b(i|we|he|she|they)\s+(do\s+|already\s+|now\s+)?(have|meet|satisfy|know|covered|got)\s+"
                                r"(all\s+)?(the\s+|my\s+)?([\w-]+\s+)?(pre-?requisites?|prereqs?)\b|"
                                r"\b(without|no|few|minimal|not many)\s+([\w-]+\s+){0,2}(pre-?requisites?|prereqs?)\b",
                                re.I)


# where something was first shown: the paper, the course or the lecture series named, never a book written after it
ORIGIN = re.compile(r"\b(first|originally) (appeared|introduced|proposed|published|defined|showed up|presented)\b", re.I)
FIRST_SHOWN_IN = ("paper", "course", "video-series")

# "choosing between Hazan and Cesa-Bianchi & Lugosi ... which one first?": which of the two to start with
_WHICH_FIRST = re.compile(r"\b(which|what) (one|of (them|the two|these|those|both)|book|course)( should i (read|take|do|"
                          r"start with|pick))? first\b", re.I)


def first_of_two(question: str) -> str:
    """The question without its "which one first?", asked in a choice of two named resources."""
    return _WHICH_FIRST.sub(" ", question)


def asks_before(question: str, spans) -> bool:
    """Whether the question asks what comes before something: not "baby Rudin so I can read ML theory papers later?",
    where the named resource is the step proposed before an unnamed goal."""
    end = max((b for _, b, _ in spans), default=-1)
    return any(not (spans and m.start() >= end and _GOAL_CLAUSE.match(question, m.start()))
               for m in _PREREQ.finditer(_HAS_PREREQUISITES.sub(" ", question))) \
        or bool(spans) and bool(FOUNDATIONS_REVIEWED.search(question))
