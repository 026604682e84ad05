"""The names a clause asks for outright: "I want Strang's book", "the 1986 letter in Nature by Rumelhart", "advisor
says baby rudin. which book?", "Kingma & Welling wrote something longer", "Villani's book - the shorter one"."""

from __future__ import annotations

import re

from .before import _PREREQ
from .cues import SENTENCE_BREAK

# "advisor says baby rudin. which book?": a bare "which one?" after a name someone advised asks which that is
# ("can you confirm which resource that is?": the same, asked indirectly)
_WHICH_ONE = re.compile(r"^\W*((so|ok|okay|and|but|um|uh)\W+)?((can|could) you (please )?(confirm|tell me|check) )?"
                        r"(which|what)( (one|book|textbook|course|class|text|paper|series|notes|lectures?|resource|"
                        r"article|tutorial))?( (is|was) (it|that|this|he|she|they)( talking about| referring to| "
                        r"meaning)?| (it|that|this) (is|was)| (does|did) (he|she|they) mean)?\W*$", re.I)
# what someone else advises: "my advisor says", "reddit keeps saying", "my labmate recommended"
_ADVICE_VERBS = r"says|said|told (me|us)|tells (me|us)|telling (me|us)|recommend\w*|suggest\w*|advis\w*"
_HEARD = re.compile(rf"\b(say|saying|{_ADVICE_VERBS}|swears? by|mention\w*)\b[^.?!]{{0,30}}$", re.I)
_ADVISED_TO = re.compile(rf"\b({_ADVICE_VERBS})\b[^.?!]{{0,60}}"
                         r"\b(read|use|take|try|get|go with|switch to|start with|work through)\s+$", re.I)
# "Can I use Kolter's review instead of a whole course?": whether X will do is asked of X
_USE_NAMED = re.compile(r"^\W*((so|and|but|ok|okay)\W+)?(can|could|should|may) (i|we) (just |really |simply |still )?"
                        r"(use|read|do|take|watch|skim|rely on|get away with|start with)\s+((the|a|an)\s+)?$", re.I)


# A work of the person named, described by what follows: "Kingma & Welling wrote something longer after the VAE
# paper", "Strang did a course around 2018 on matrix methods". The description picks among their records; it is no
# move away from them ("longer", "the sequel to his lectures" describe the work asked for).
_MADE_BY = re.compile(r"^('s|\u2019s)?\s*(also |once |later |recently |then |actually )?((wrote|did|gave|taught|published|"
                      r"recorded|released|put out|made|co-?wrote|co-?authored)"
                      # a work as the object ("gave me duality", "did a great job on SVD" tell what X did for them)
                      r"(?=\s+(a|an|some|something|another|one|the|these|those|lectures?|notes|courses?|books?|talks?|"
                      r"tutorials?|videos?)\b)(?!\s+(a|an|the)\s+([\w-]+\s+)?(job|number|lot)\b)|"
                      r"has (a|an|another|some) (newer |later |shorter |longer |other )?(book|course|series|set of notes|"
                      r"lectures|tutorial|survey|monograph)\b)", re.I)
# "Villani's book - the shorter one based on a graduate course", "Weinberger's lectures - the ones on YouTube where
# he ...": a definite description after a name picks one of the records it names
_THE_ONE = re.compile(r"^\W*the\s+([\w-]+\s+){0,2}?(one|ones|version)\b(?!\s+(i|you|we)\b)", re.I)
# "I want Strang's book", "I'm looking for Villani's shorter book": the name is the object of the wish
# ("After Ng's Coursera course I want CS229 proper": what was done first is no move away from what is wanted)
# ("Need Sheldon Axler's MIRA, NOT LADR": the subject dropped)
_WANT_NAMED = re.compile(r"^\W*((so|ok|okay|and|but)\W+)?((after|having (done|finished|read|taken)|now that i'?ve "
                         r"(done|finished|read|taken)) [^,.;:?!]{1,50}?[,\s]+)?(now\s+)?"
                         r"(i\s*((just|only|really|simply|still)\s+)?(?='|would|want|need|am)|(?=(need|want|looking for)\b))"
                         r"('d like|would like|want|need|am looking for|'m looking for|looking for|am after|'m after|"
                         r"am trying to find|'m trying to find)\s+(to (find|get hold of|buy|download|track down)\s+)?"
                         r"((the|a copy of|a|his|her|their)\s+)?$", re.I)

# "I'm after the illustrated deep learning cheat sheets by Amidi", "I'd like to read the short 1986 letter in Nature by
# Rumelhart": the wish is for a work described and then named by its makers
_WANT_MADE_BY = re.compile(r"^\W*((so|ok|okay|and|but)\W+)?(now\s+)?(i\s*((just|only|really|simply|still)\s+)?"
                           r"('d like|would like|want|need|am looking for|'m looking for|am after|'m after|am trying to "
                           r"find|'m trying to find)|looking for)\s+(to (read|find|get|watch|see|buy|download|get hold of|"
                           r"track down)\s+)?(the|that|this|a copy of the)\s+(?P<gap>([\w'.-]+\s+){0,8}?)"
                           r"(book|textbook|text|course|class|lectures?|notes|paper|article|letter|tutorial|survey|review|"
                           r"monograph|series|videos?|playlist|cheat ?sheets?|primer|handout|volume|report|specialization|"
                           r"slides)\s+(?P<gap2>([\w'.-]+\s+){0,3}?)(by|from)\s+([A-Z][\w'-]+\s+((and|&)\s+)?)?$", re.I)
# ... not a wish for another beside the makers' ("the gentler book by Bishop's student", "another course by Ng")
_NOT_MADE_BY = re.compile(r"\b(than|like|before|after|instead|other|another|similar|rather|besides|beyond|but|more|less|"
                          r"for|on|about|covering|that|which|\w+er)\b", re.I)


def _wants_made_by(lead: str, question: str) -> bool:
    """Whether a clause opening with `lead` wishes for the work of the makers named next, unless the question asks
    what comes before it ("I want to read the GAN paper by Goodfellow ... what first?")."""
    match = _WANT_MADE_BY.match(lead)
    return bool(match) and not _NOT_MADE_BY.search(match.group("gap") + " " + match.group("gap2")) \
        and not _PREREQ.search(question)


def _named_outright(question: str, start: int, end: int, mark: str, inside: list, before: list,
                    persons: frozenset) -> list:
    """The names a clause (question[start:end]) asks for outright: "which book?" after a name someone advised, the
    one advised in place of another, a work of a person described, "I want X", "the one ..." after X."""
    clause = question[start:end]
    # (not after sentences on other things: "A chatbot recommended X ... that's far too elementary. ... Which book?")
    if not inside and before and mark.strip().startswith("?") and _WHICH_ONE.match(clause) \
            and _HEARD.search(question[:before[-1][0]]) \
            and len(SENTENCE_BREAK.findall(question[before[-1][1]:start])) <= 1:
        return before[-1:]
    # "my advisor said skip Bishop and read Murphy's book instead": the one advised in place of another is asked
    # about ("my prof suggested I use ISLR. Something more rigorous?" moves away from it)
    advised = [s for s in inside if _ADVISED_TO.search(question[start:s[0]])
               and re.search(r"\b(instead|rather than|skip|drop|ditch)\b", clause, re.I)]
    made = [s for s in inside if (s[0], s[1]) in persons and _MADE_BY.match(question[s[1]:end])]
    wanted = [s for s in inside if _WANT_NAMED.match(question[start:s[0]]) or _USE_NAMED.match(question[start:s[0]])
              or _wants_made_by(question[start:s[0]], question)]
    if not inside and before and _THE_ONE.match(clause):
        return [s for s in before if s[:2] == before[-1][:2]]
    return advised or made or wanted
