"""What the learner says they already know ("I know linear algebra", "Linear Algebra (A-)", "Probability, linear
algebra and proofs are fine") and what they need it for: neither is asked for."""

from __future__ import annotations

import re

from .background import _ASSUMES, _FORGOT, _KNOW, _LACK, _LISTED, _MORE_KNOWN, _WISH_LEAD

# ("I keep seeing jacobians and I only did single variable calc": what they know starts at the second "I")
# ("has done calculus at school and wants to read Nielsen": what she wants is no background)
_KNOW_PARTS = re.compile(r"(?:[?!;,:()\n]|(?<!\d)\.|\.(?!\d))+\s*|\s+but\s+|\s+-\s+|\s+\u2014\s+|"
                         # "is X worth reading if I already did 18.06?": what they did starts at "I"
                         r"\s+(?:if|since|as|because|now that)\s+(?=(?:i|i'?ve|i'?m)\s)|"
                         r"\s+and\s+(?=(?:i|i'm|i've|wants?|needs?|would|hopes?|plans?|is planning|is trying)\b)|"
                         # "first ml textbook knowing only calculus"
                         r"\s+(?=knowing (?:only|just)\b)", re.I)


# "for my stats masters", "for our ML class": what the learner needs it for, not what they ask to learn
_PURPOSE = re.compile(r"\bfor (my|our) ([\w'-]+ ){0,3}?(masters?|master's|ms|msc|phd|thesis|dissertation|class|"
                      r"course|degree|job|research|project|exams?|interviews?|program(me)?|lab|team|startup|company|"
                      r"work)\b", re.I)


# (not "so probability is fine": a consequence)
_SO_THAT = re.compile(r"\b(so( that)?|until|in order for)\b"
                      r"(?!\s+([\w-]+\s+){1,5}(is|are)\s+(very |quite )?(fine|ok|okay|solid|covered|no problem|"
                      r"comfortable|familiar)\b).*$", re.I)


# "paid is fine", "(paid fine)": what the learner will pay, not what they know
_PRICE_SAID = re.compile(r"\W*(paid|paying|price|cost|money|budget)\b", re.I)


# "narrowing down: just normalizing flows": the subject narrowed to, not all the learner knows
_NARROWING = re.compile(r"\b(narrow\w*( it| things)? down|specifically|focus\w*( on)?|zoom\w*( in)?|drill\w* down)\W*$",
                        re.I)


def known_clauses(text: str) -> list[str]:
    """The parts where the learner says what they know, and what they need it for (neither is asked for)."""
    out, listing, heads = [m.group(0) for m in _PURPOSE.finditer(text)], False, []
    pieces = re.split(f"({_KNOW_PARTS.pattern})", text, flags=re.I)
    parts, before = pieces[::2], ["", *pieces[1::2]]  # each part, and the separator before it
    for i, (p, sep, after, prior) in enumerate(zip(parts, before, [*parts[1:], ""], ["", *parts[:-1]])):
        # "had calc, a bit of probability and some linear algebra": a list goes on from what the learner has had
        # ("which paper before X so that their complaint makes sense": what it is for is no background)
        # ... inside a bracket too: "I can follow the maths (undergrad linear algebra, probability, calculus)"
        goes_on = listing and bool(_MORE_KNOWN.match(p) or sep.strip(" )") in (",", ":", "(") and _LISTED.match(p))
        # a transcript: "Linear Algebra (A-)", "B+ in Calc II", "My background: engineering degree, the calc sequence"
        graded = bool(_GRADE_AFTER.match(after)) and before[i + 1:i + 2] == ["("] or bool(_GRADE_IN.match(p)) \
            or sep.strip() == ":" and bool(_BACKGROUND_LABEL.search(prior)) and not _WISH_LEAD.match(p)
        said = _SO_THAT.sub(" ", p)
        known = bool(p) and (bool(m := _KNOW.search(said)) and not _wished_can(text, p, said, m) or goes_on
                             or graded) \
            and not _LACK.search(p) and not _ASSUMES.search(p) and not _PRICE_SAID.match(p) and not _DATA_HAD.search(p) \
            and not _TIME_HAD.search(p) \
            and not (_NARROWING.search(prior) and re.match(r"\s*(only|just)\b", p, re.I))
        # ... but "did linear algebra in the 80s, remember nothing" is a gap
        if known and not re.match(r"\W*(but |and )?(i )?" + _FORGOT, after or "", re.I):
            # "Probability, linear algebra and proof-writing are fine": the list heads the verdict said at its end
            out += heads if _LIST_VERDICT.search(p) and sep.strip() == "," else []
            out.append(p)
        heads = ([*heads, p] if sep.strip() == "," else [p]) \
            if not known and 0 < len(p.split()) <= 3 and not _WISH_LEAD.match(p) else []
        # ("Kernels I'm fine with (I ship SVMs at work), linear algebra too": an aside leaves the list going on)
        listing = known or listing and sep.strip() == "("
    return out


_BACKGROUND_LABEL = re.compile(r"\b(background|transcript|courses( so far| taken)?|coursework|what i'?ve (done|taken|had)"
                               r"( so far)?)\s*$", re.I)
_LIST_VERDICT = re.compile(r"\b(are|'re) (all )?(fine|ok|okay|solid|good|strong|no problem)\b", re.I)
# a letter grade, as a transcript gives it (in capitals: "(a" opens "(a good book)")
_GRADE_AFTER = re.compile(r"(?-i:\s*(grade:?\s*)?[ABCD][+-]?\s*$)")
_GRADE_IN = re.compile(r"(?-i:^\W*((got|earned|with) )?(an? )?[ABCD][+-]? (in|for) [A-Za-z])")


# "I need a concise, practical intro to optimal transport I can use straight away": what the resource wished for
# lets the learner do, not what they can do
_WISHED_FOR = re.compile(r"\b(want|need|would like|'d like|looking for|am after|'m after)\s+(a|an|some|something|"
                         r"anything|one)\b[^.?!;:]*$", re.I)


def _wished_can(text: str, part: str, said: str, m: re.Match) -> bool:
    """Whether `part` (`said`: without its "so that"; `m`: what it says the learner knows) says what the learner
    can do only inside the description of a resource they wish for."""
    at = text.find(part)
    return re.match(r"i (can|could)\b", m.group(0), re.I) is not None and at >= 0 \
        and bool(_WISHED_FOR.search(text[:at] + said[:m.start()]))


def without_known(text: str, known: list[str]) -> str:
    """The text without the parts where the learner says what they know."""
    for part in known:
        text = text.replace(part, " ")
    return text


# the time the learner has, not a subject they know: "I've got maybe three weeks before a project"
_TIME_HAD = re.compile(r"\b(i|we)\s*('ve|\u2019ve| have)?\s+(got|have)\s+(maybe |about |around |only |just |roughly )?"
                       r"(\d+|a|one|two|three|four|five|six|a few|a couple( of)?)\s+(weeks?|days?|months?|hours?|"
                       r"evenings?|weekends?|semesters?)\b", re.I)


# the data of the learner's problem, not a subject they know: "I have bird counts from 60 sites", "I've got sensor
# readings", "we have a dataset of 20k images"
_DATA_HAD = re.compile(r"\b(i|we)\s+(have|had|'ve got|have got|got|collect|collected)\s+(\w+\s+){0,4}?(data ?sets?|data|"
                       r"measurements|readings|counts|samples|records|logs|images|photos|time series|observations|"
                       r"spreadsheets?|a table)\b", re.I)
