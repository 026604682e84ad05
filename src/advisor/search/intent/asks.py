"""What a question asks for beyond a ranking: preferred attributes, a comparison table, a study path, and the words
that carry its topic (the passage kinds it asks for are in `passage_kinds.py`)."""

from __future__ import annotations

import datetime
import re

from .background import LITTLE_MATHS
from .constraints import CANT_BUY, said_languages
from .before import _PREREQ
from .cues import _GRADUATE_LEVEL, keeps_rigour

# --- resource attributes a question prefers ----------------------------------------------------
# Words in a question that say what kind of resource the learner wants (not what topic).
# no wish for proofs, said after them: "proofs don't interest me", "theory bores me"
_NOT_INTERESTED_AFTER = (r"\b(proofs?|theory|theorems?|derivations?|math|maths|rigou?r) (don'?t|do not|doesn'?t|does not) "
                         r"(really )?(interest|appeal to|matter to) me\b|"
                         # "the math can come later", "keep the maths light please"
                         r"\b(proofs?|theory|math|maths) (can|will|could) (come |be done )?(later|wait)\b|"
                         r"\b(keep|keeping|kept) (the )?(proofs?|theory|math|maths|formulas) (light|minimal|simple|low|"
                         r"to a minimum)\b|"
                         # "the maths in most Bayesian books scares me off"
                         r"\b(proofs?|theory|derivations?|math|maths)"
                         r"(\s+(?!(doesn'?t|don'?t|does|do|not|never|won'?t|didn'?t)\b)[\w'-]+){0,5}?"
                         r"\s+(bores?|scares?|puts?|turns?) me( off)?\b")
# a curious layperson: "curious what it actually does", "a feel for probability", "in plain English"
_LAYPERSON = (r"curious (about|what|how|why)|what (it|they|this|that|[\w-]+) (actually|really) (does|do|is|are|means?)|"
              r"(get|gets|getting|have|want|develop) a (\w+ )?(feel|feeling|sense) for|"
              r"in plain (english|language|words|terms)|eli5|explain(ed)? like i'?m|short explanations?|bite[- ]sized")
# ("distribution-free bounds", "derivative-free methods" name no price)
_PRICE = (r"\b((?<![\w]-)free|open[- ]access|no cost|"
          r"without (paying|spending)|can'?t afford|cannot afford|can'?t pay|cannot pay|"
          # "on a student budget", "I'm broke", "no paywall", "gratis", "an open textbook", "legally downloadable"
          r"(no|zero|tight|small|limited|low|student|shoestring) budget|on a budget|(i'?m|i am|we'?re|we are|totally|"
          r"completely|student and) broke|no money|(can'?t|cannot|won'?t|don'?t want to|do not want to) (spend|pay)|"
          r"paywalls?|gratis|open (textbooks?|licen[cs]ed?|source (books?|textbooks?)|educational)|public domain|"
          r"creative commons|legally (downloadable|available|online)|downloadable pdf|"
          # "I can't buy the book", "no IEEE login at home", "off campus, no journal subscriptions", "on a TA stipend"
          r"(can'?t|cannot|couldn'?t) (buy|purchase)|no (\w+ )?(login|subscriptions?|institutional access)|"
          r"on (a |my )?(\w+ )?stipend)\b")
_PRICE_WORDS = re.compile(_PRICE)
_PREFERENCES: list[tuple[str, str, tuple[str, ...]]] = [
    (_PRICE, "access", ("free", "free-online")),
    # ("I learn best by listening", "better from someone lecturing": a lecture course)
    (r"\b(course|mooc|lectures?|class|videos?|vids?|youtube|yt|playlists?|animated|animations?|watch|screencasts?|"
     r"lecturing|by listening|from listening)\b"
     # "can I audit it?" asks whether a course is open (one audits or enrols in a course, never a book); "I'm enrolled
     # in X, what should I read?" says what the learner does, not what they want
     r"|\b(can|could|may|is it possible to|how (do|can|could)) (i|one|you|we|anyone)? ?(still |legally )?"
     r"(audit|enrol+|sign up)\b", "kind",
     ("course", "video-series")),
    (r"\b(book|textbook|treatise|monograph)\b|(?<!quick )(?<!original )\breference\b(?! (card|sheet))"
     r"(?! (of|for) ([\w-]+ ){0,2}(identities|formulas|formulae|rules|results)\b)", "kind",
     ("book",)),
    # "what written material derives it?": a text, a book or notes
    # ... and "something short, free and written?", "anything written"
    (r"\bwritten (material|materials|text|texts|version|explanations?|resource|resources|notes|treatment)\b|"
     r"\b(something|anything) written\b|(,|\band)\s+written\s*[?.!]*\s*$", "kind",
     ("book", "lecture-notes")),
    # ("a lookup of identities to keep open", "a reference for matrix identities")
    (r"\b(cheat ?sheets?|reference cards?|quick reference|formula (sheet|refresher)|revision sheet|crib sheet|"
     r"(look ?-?ups?|references?) (of|for) ([\w-]+ ){0,2}(identities|formulas|formulae|rules|results))\b", "kind",
     ("cheatsheet",)),
    # a refresher is a short text: a cheatsheet, a review handout or a tutorial
    (r"\brefresh(ers?|es)\b", "kind", ("cheatsheet", "lecture-notes", "tutorial")),
    (r"\b(paper|article|(survey|review) (paper|article)|"
     r"survey(?! (course|class|lectures?|data|responses?|results|design|sampling|methods?|weights?))|"
     r"(thorough|comprehensive|long|single|technical)( (technical|detailed|thorough|rigorous))? review|"
     r"original|seminal|first (proposed|introduced|described|published)|(was|were|is) (introduced|"
     r"proposed|invented)|who (introduced|proposed|invented))\b|^\W*where (does|did|do) [^?]{1,60} come from",
     "kind", ("paper",)),
    # "the first paper that proposed it", "where does X come from originally": the research paper, not a survey of it
    # ("the original VAE paper was too compact" names X; "where was RMSProp first proposed" may be a lecture)
    # ("a text by the people who invented them" asks for their tutorial)
    (r"\b(originally|first paper|paper that (first )?(proposed|introduced|described))\b", "original", (True,)),
    (r"\b(lecture notes|notes)\b", "kind", ("lecture-notes",)),
    (r"\btutorial\b", "kind", ("tutorial",)),
    # "a flight with no wifi", "something I can download and read offline", "print it out": a text to keep
    # (not "offline RL", "offline or batch data"; not "I downloaded the book")
    (r"\b(offline(?! (rl|reinforcement|learning|or|data|policy|evaluation|algorithms?|methods?)\b)|"
     r"no (wifi|wi-fi|internet|connection|signal)|without (wifi|wi-fi|internet)|downloadable|"
     r"(can|to) download|print (it|them|this|that) out|printable|e-?readers?|kindle)\b", "offline", (True,)),
    # "something visual i can click around with": a resource that is interactive, whatever its kind
    (r"\b(interactive(ly)?|click (around|through)|clickable|play around with|explorable|sliders?|simulations? (i|you) can)\b",
     "interactive", (True,)),
    # ("theoretical chemist", "theoretical CS background": a field, its own style of maths; a theoretical physicist
    # derives everything)
    (r"\b(rigou?rous(ly)?|rigou?r|proofs?|proofy|prove[sd]?|proving|theorems|"
     r"theoretical(?! (chemists?|chemistry|cs|computer science|neuroscien\w*|biolog\w*|ecolog\w*|"
     r"economics|economists?))|formal|derivations?|derive[sd]?|"
     r"deriving)\b"
     # ("ties the math to code" asks for code beside the maths, not for more of it)
     r"|\b((?<!follow )(?<!handle )(?<!keep up with )the|actual|the real|more|heavier|deeper) maths?\b"
     r"(?!\s+(to|and|with|in)\s+(the\s+)?(code|coding|practice|implementations?|programs?))"
     r"|\bmath(s|ematics)?[- ](behind|heavy|heavier)\b"
     r"|\bmathematical(ly)?\b|\bnot just (how to )?(apply|use|call)|\btoo (applied|light|hand-?wavy|shallow|easy)\b"
     r"|\b(just|only) (sklearn|api|library) calls?\b",
     "math_depth", ("rigorous", "proof-heavy")),
    (r"\b(intuitive|intuition|visual|visually|pictures|diagrams|gentle|gentler|gently|hands-on|"
     r"without (much |heavy |many |a lot of |lots of )?(math|maths|equations|formulas|formulae|notation)|no proofs|"
     r"not proofs|minimal proofs|no[- ](heavy )?(math|maths|equations?)|not an? (math|maths) person|"
     r"not (really )?interested in (the )?(proofs|theory|math|maths)|(learn|learns|learning) (best )?by doing|"
     r"(zero|no|little) (interest|patience|tolerance) (in|for|with) (the )?(proofs|theory|math|maths)|"
     r"(the )?(theory|math|maths) (later|can wait)|"
     r"(without|no)\b[^.?!,]{0,30}\b(heavy|hard|advanced) (math|maths|mathematics)|"
     r"practical|code[- ]first|"
     r"friendl\w*|approachable|accessible|more explanation|fast tour|lighter|"
     r"runnable code|with code|in code|implement(ing|ation)?|"
     rf"{_LAYPERSON})\b"
     r"|\b(my )?(math|maths|mathematics|background) (is|are) (weak|rusty|shaky|limited|not great|meh|so-so)\b"
     # "dont need proofs", "don't care about the theory"
     r"|\b(don'?t|dont|do not) (really )?(need|want|care about|care for) (the |any |formal )?(proofs?|theorems?|rigou?r)\b"
     r"|\bweak (at|in|on) (math|maths|mathematics)\b"
     # "not heavy on proofs", "light on theory"
     r"|\b((not|isn'?t|nothing) (too |very |overly |that |so |super )?heavy|(?<!too )light) on (the )?(proofs?|theory|math|maths|"
     r"formalism)\b"
     # "not super proofy", "nothing too mathy"
     r"|\b(not|nothing|isn'?t|without being) (too |super |very |overly |that |so )?(proofy|proof-heavy|mathy|math-heavy)\b"
     # "proofs don't interest me", "theory bores me"
     rf"|{_NOT_INTERESTED_AFTER}",
     "math_depth", ("applied", "moderate")),
    (LITTLE_MATHS, "math_depth", ("applied", "moderate")),
    (LITTLE_MATHS, "level", ("intro",)),
    # ("a first-year maths grad student" is at the graduate stage)
    (r"\b(beginners?|introductory|first course|new to|starting out|basics|from scratch|newbie|"
     r"first[- ]year(?![- ]([a-z-]+ )?(grad|graduate|phd|ph\.?d|doctoral|master'?s|ms|msc|postdoc)\b)|freshman|"
     r"novice|entry[- ]level|getting started|just starting|high[- ]school|no (math|maths|mathematical) background|"
     r"non[- ](technical|math|maths|mathematical)|layperson|\w+ 101|"
     # "my 13 yo daughter", "a teenager", "middle school"
     r"(1[0-7]|[7-9])[- ]?(yo|y/o|years?[- ]old)|teen(ager)?s?|middle[- ]school|"
     # "in 10th grade", "my kid is 14", "first time seeing probability", "a total newcomer", "getting my feet wet"
     r"([7-9]|1[0-2])(th)? grade|(ninth|tenth|eleventh|twelfth) grade|((kid|son|daughter|child)( is)?|i'?m|i am|who is) "
     r"(1[0-7]|[7-9])(?! (years|months|weeks|days|hours|minutes|pages|chapters))\b|first time (seeing|learning|studying|"
     r"doing|meeting|touching)|newcomer|(know|knows|knowing) nothing about|feet wet|dip(ping)? (my|a) toe|"
     # (a search-box "first ml textbook, free" drops the article)
     r"(my|his|her|their|(?<!as )a|^|(?<=[,;:] )) ?(very )?first ([\w-]+ ){0,3}(book|course|text|textbook|class|read))\b"
     r"|(\bnot|n't|\b(doesnt|dont|isnt|wont|cant)|\bwithout being)\b[^.?!,]{0,25}\bmathematical(ly)? matur(e|ity)\b",
     "level", ("intro",)),
    (rf"\b(advanced|{_GRADUATE_LEVEL}|research[- ]level|phd|grad (student|school|level|course)|post-?graduate|"
     # (not "I'm a clinical researcher": research in a field far from mathematics)
     r"(as|i'?m|i am) an? (?!(biology|biomedical|medical|cancer|clinical|health|social|marketing|ux|user|policy|"
     r"education|market|legal)\b)(\w+ )?researcher)\b",
     "level", ("advanced",)),
    # "a mid-level course (not intro, not phd)", "between ISLR and ESL"
    (r"\b(intermediate|mid[- ]?level|middle[- ]ground|in[- ]between|between \S+( \S+)? and)\b", "level",
     ("intermediate",)),
]


_PREFER_TO = re.compile(r"\bprefer(?:s|red)? ((?:\w+ ){1,3}?)to\s+(?=(an?\s+|the\s+|watching\s+|reading\s+)?"
                        r"(lecture |video )?(videos?|books?|textbooks?|courses?|lectures?|papers?|notes|cheat ?sheets?)\b)")
# "a course, not a book", "(not videos)", "not a whole course", "reading over watching videos": what is refused is
# not what is asked for, and counts against that kind
_REFUSED = re.compile(r"\b(not|no|instead of|rather than|isn'?t|aren'?t|over|than just|"
                      r"(shorter|lighter|smaller|quicker|briefer|cheaper|less \w+) than|"
                      r"before (i )?(open|read|start|pick up|crack open|tackle|attempt)|"
                      r"(?:don'?t|do not|doesn'?t) (?:really )?"
                      r"(?:like|want|enjoy|give me|send me|recommend|suggest)|hate|"
                      # ("without equations video" refuses the equations: the video is asked for)
                      r"without(?!\s+(equations?|formulas?|formulae|maths?|mathematics|proofs?|calculus|jargon|"
                      r"notation|code|coding)\b))\s+((an?|the|just|only|another|"
                      r"more|by|whole|full|entire|long|watching|reading|read|watch)\s+){0,3}"
                      # "rather than a thick book", "not a 600-page book", "not an ML book": a size or a subject refused,
                      # not the kind (read as neither)
                      r"(?P<size>(?!(lecture|video|cheat|and|or|on|about|for|of|in|with)\b)[\w-]+\s+)?"
                      r"(?P<kind>lecture videos?|lecture courses?|video courses?|books?|textbooks?|videos?|courses?|"
                      r"lectures?|papers?|"
                      r"cheat ?sheets?|notes)\b", re.I)
_REFUSED_KINDS = {"book": ("book",), "textbook": ("book",), "video": ("video-series", "course"),
                  "lecture video": ("video-series", "course"), "lecture course": ("course", "video-series"),
                  "video course": ("course", "video-series"),
                  "course": ("course",), "lecture": ("course", "video-series"), "paper": ("paper",),
                  "cheatsheet": ("cheatsheet",), "cheat sheet": ("cheatsheet",), "notes": ("lecture-notes",)}
_NO_PROOFS = re.compile(r"\b(barely|hardly|rarely|seldom) (derives?|proves?|deriving|proving)\b|"
                        r"\b(no|not|not (looking for|after)|without|zero|minimal|light on|less|fewer|few|"
                        # "without heavy mathematical prerequisites or proofs"
                        r"(without|no) ([\w-]+ ){1,4}(or|nor)|"
                        r"(zero|no|little|limited) (patience|time|tolerance) (for|with)|"
                        r"not (really )?interested in|not into|hate|avoid|"
                        r"(zero|no|little) interest in|allergic to|skip|skipping|(not|n't) (yet )?(ready|up) for|"
                        r"rather than|instead of|more [\w-]+ than|"
                        r"(don'?t|do not) (care (about|for)|need|want)|"
                        # "without wading through proofs"
                        r"without (wading|slogging|ploughing|plowing|grinding|working|getting bogged down) (through|in)|"
                        # "without going fully proof-heavy"
                        r"without (going|getting|being|becoming)( (fully|too|all|super|very|overly|totally))?)"
                        r"\s+((the|any|much|heavy|real|too many|too much|a ton of|tons of|a lot of|lots of|an?)\s+)?"
                        r"((?!(just|only|merely)\b)[a-z-]+\s+)?"
                        r"(proofs?|proofy|proof-heavy|proved|proven|theory|theorems?|"
                        r"rigou?r|derivations?|derived|"
                        # ("not mathematically inclined" says the learner's bent, and asks no rigour)
                        r"maths?|mathematics|mathematically)(-[a-z]+)*\b"  # ("a theorem-proof book")
                        # ... said after: "proofs don't interest me", "theory bores me"
                        rf"|{_NOT_INTERESTED_AFTER}", re.I)
# "barely derives anything", "few derivations", "not derivation-heavy": a wish for light maths (not "X has no regret
# proofs", said of a resource, nor "no measure theory", a subject refused)
_FEW_PROOFS = re.compile(r"\b(few|fewer|minimal|light on|barely any|hardly any|not many|not too many)\s+(\w+\s+)?"
                         r"(proofs?|derivations?|theorems?)\b|\b(barely|hardly|rarely|seldom) (derives?|proves?)\b|"
                         r"\bnot (too |very |overly |that )?(derivation|proof)[- ]heavy\b")
# "I took a course on it", "one intro stats class": a kind in the learner's past is not the kind they ask for
# "doesnt need to be free": any access will do, not a wish for free
NEEDNT_BE_FREE = re.compile(r"\b((doesn'?t|does not|don'?t|do not|needn'?t|need not|no need for it to|not) "
                            r"(need to |have to |necessarily )?be free|free (is )?not (required|needed|necessary|a must)|"
                            r"not necessarily free|no longer (needs? to|has to|must|have to) be free|"
                            r"(price|cost|money) (doesn'?t|does not|won'?t) matter|money is no (object|issue)|"
                            r"(forget|drop|scrap|scratch|ignore|never ?mind) (about )?(the |my )?free( rule| "
                            r"requirement| part| thing| constraint| bit)?)\b", re.I)
# the learner will pay: a "free" said elsewhere is why another was chosen, not a wish
_WILL_PAY = re.compile(r"\b((happy|willing|glad|prepared|ready|ok|okay|fine) to (buy|pay|spend)|"
                       r"(don'?t|do not|wouldn'?t) mind (buying|paying|spending)|i'?ll (happily )?(buy|pay))\b")
_PAST_KIND = re.compile(r"\b((took|taken|did|done|had|finished|completed|attended|sat|never)\s+((an?|the|one|two|some|my|any|"
                        r"a single)\s+)?([\w-]+\s+){0,2}|"
                        r"(one|two|a single|an?) (intro\w*|basic|undergrad\w*|high[- ]school|"
                        r"college|university)\s+([\w-]+\s+)?|"
                        # "Background: one stats course (t-tests)", "only one probability class"
                        r"(^|(?<=[.:;,(]\s)|(?<=\b(only|just|with) )|(?<=\band ))(one|two|a single) ([\w-]+\s+){0,3}?)"
                        r"(class|course|module|lecture)(es|s)?\b"
                        # a transcript: "Probability course (B)", "Courses so far: Signals and Systems (A)"
                        r"|\b(class|course|module)(es|s)?\s*\(\s*[abcd][+-]?\s*[),]"
                        r"|\b(class|course|module)(es|s)? (so far|taken|completed|to date|i'?ve (taken|done|had))\b"
                        # ... nor one that describes another kind: "the first-course textbook"
                        r"|\b[a-z]+-(class|course|lecture)\b"
                        # ... nor one behind them: "Lebesgue integration course done"
                        r"|\b(class|course|module)(es|s)? (done|finished|completed|taken|behind me)\b"
                        # ... nor one of their own: "my last math class was algebra", "for our ML course"
                        r"|\b(my|our|his|her|their)\s+([\w'-]+\s+){0,3}?(class|course|module|lecture)(es|s)?\b", re.I)
# ... nor a text the learner works on or with: "a paper I'm reviewing has a plot", "my thesis", "the papers we read"
_WORKED_ON = re.compile(r"\b(my|our|his|her|their)\s+([\w'-]+\s+){0,2}?(papers?|articles?|manuscripts?|thesis)\b|"
                        r"\b(an?|the|this|that|these|those)\s+([\w-]+\s+)?(papers?|articles?|preprints?)\s+(that\s+)?"
                        r"(i|we|i'?m|we'?re|i am|we are|my (\w+ )?\w+|our \w+)\s+(('?m|am|are|is|was|were|have been|'?ve been|"
                        r"been|keep)\s+)?(reviewing|reading|refereeing|writing|implementing|replicating|reproducing|citing|"
                        r"studying|working on|using|assigned|reviewed|wrote|read|cited|submitted|building on)\b|"
                        r"\bthe papers (keep|kept|all|always|use|say|talk|mention|assume)\b", re.I)
# "it felt like a recipe book": a kind in a likeness says what X was, not what is asked for
_LIKENESS = re.compile(r"\b(felt|feels?|reads?|looked|looks?|seemed|seems?|sounds?|sounded|is|was|more) (just |almost )?"
                       r"like an? ([\w-]+\s+){0,2}?(book|textbook|course|class|lecture|video|paper|cheat ?sheet)s?\b", re.I)
# "the 2015 diffusion paper": a year named is the record's year; "a modern textbook": a recent one
_RECENT = re.compile(r"\b(modern|recent|up[- ]to[- ]date|newer|latest|dated|outdated)\b", re.I)
RECENT_YEARS = 8


# "not intro, not phd", "not a beginner tutorial": a level refused is not a level asked for
_ADVANCED_ASKED = re.compile(r"\b(advanced|graduate[- ]level|research[- ]level|grad[- ]level)\b", re.I)
# "something structured that follows the same book": the book is X, not the kind asked for
_FOLLOWS_BOOK = re.compile(r"\b(follows?|following|based on|built (on|around)|goes with|accompan\w+|companion to|"
                           r"alongside) (the same |that |this |the |his |her |their )?(book|text|textbook)\b", re.I)
_MATH_FIELD = r"(pure )?(math|maths|mathematics|physics|statistics|operator theory|functional analysis|probability)"
_MATURE_WHO = r"(((theoretical|mathematical|particle|condensed[- ]matter|quantum|high[- ]energy) )?physicist|mathematician)"
_MATURE = re.compile(rf"\b(i'?m|i am|as|was|am) (a |an )?(\w+ )?{_MATURE_WHO}\b|\b{_MATURE_WHO}s? (here|by training)\b|"
                     rf"^\W*(\w+ )?{_MATURE_WHO}\b|"
                     rf"\b(phd|ph\.?d\.?|doctorate|postdoc|masters?|degree) (was |is )?(in|on) {_MATH_FIELD}\b|"
                     rf"\b{_MATH_FIELD} (phd|ph\.?d|doctorate|postdoc|professor|lecturer|faculty|degree|major|graduate)\b|"
                     r"\b(strong|solid|good|serious|rigorous) (maths?|mathematics|mathematical) (background|training)\b|"
                     r"\b(i teach|teaching|taught) (real analysis|measure theory|topology|functional analysis|"
                     r"abstract algebra|graduate)\b", re.I)
_MATURE_NEGATED = re.compile(r"\b(not|no|never|nor) (a |an )?(physicist|mathematician|postdoc|math|maths)\b|"
                             r"\bnon[- ]?(physicist|mathematician)", re.I)
_WHERE_TO_START = re.compile(r"\bwhere (do|should|can|would) i (even )?(start|begin)\b", re.I)
_NOT_LEVEL = re.compile(r"\b(not|nor|neither)\s+((an?|the|too|overly|super|very|for)\s+)?[\w-]+", re.I)
# "biology grad student", "a history PhD": a career stage in a field far from mathematics is no level of mathematics
_OTHER_FIELD_STAGE = re.compile(r"\b(biology|bio|biologist|psychology|psych|neuroscience|history|linguistics|medical|"
                                r"medicine|english|sociology|humanities|law|nursing|education|music|business|marketing|"
                                r"ecology|genetics|philosophy|literature|social science|chemistry|chem|economics|econ|"
                                r"finance|political science|geography|anthropology|agriculture|public health|"
                                r"epidemiology|pharmacy|architecture|journalism)\s+(grad(uate)?|phd|masters?|"
                                r"doctoral)(\s+(student|school|candidate))?\b", re.I)


# ... or ruled out after it: "a full semester course is too much right now", "a 1,000-page book is overkill"
_REFUSED_AFTER = re.compile(r"\b(an?|the|any)\s+(([\w,-]+)\s+){0,2}?(?P<kind>lecture videos?|lecture courses?|video courses?|"
                            r"books?|textbooks?|videos?|courses?|lectures?|papers?|cheat ?sheets?|notes)\s+(is|are|would be|"
                            r"feels?|seems?|sounds?)\s+(way |far |just |simply |probably )?(too (much|long|big|heavy|slow)|"
                            r"overkill|out of the question|not an option|off the table|a no-go)\b", re.I)


def attribute_preferences(query: str) -> dict[str, tuple]:
    prefs: dict[str, tuple] = {}
    lowered = _PREFER_TO.sub(r"\1 not ", query.lower())  # "I prefer books to videos": books, not videos
    avoided = tuple(k for m in [*_REFUSED.finditer(lowered), *_REFUSED_AFTER.finditer(lowered)]
                    if not m.groupdict().get("size")
                    for k in _REFUSED_KINDS.get(m.group("kind").rstrip("s"), ()))
    lowered = _REFUSED_AFTER.sub(" ", lowered)
    if avoided:
        prefs["avoid_kind"] = tuple(dict.fromkeys(avoided))
    lowered = _LIKENESS.sub(" ", _WORKED_ON.sub(" ", _PAST_KIND.sub(" ", _REFUSED.sub(" ", NEEDNT_BE_FREE.sub(
        " ", _FOLLOWS_BOOK.sub(" ", lowered))))))
    unproved = _NO_PROOFS.sub(" ", lowered)  # "not interested in proofs" asks for no rigour
    unlevelled = _OTHER_FIELD_STAGE.sub(" ", _NOT_LEVEL.sub(" ", lowered))
    # "I can't buy the book": a price said, and no kind asked for
    unbought = CANT_BUY.sub(" free ", lowered)
    for pattern, attr, values in _PREFERENCES:
        text = unproved if values == ("rigorous", "proof-heavy") else unlevelled if attr == "level" else unbought
        if re.search(pattern, text):
            prefs[attr] = tuple(dict.fromkeys(prefs.get(attr, ()) + values))
    if _WILL_PAY.search(lowered):  # ("I planned on UML since it's free ... happy to buy a book if it's short")
        prefs.pop("access", None)
    if languages := said_languages(lowered):
        prefs["language"] = languages
    if "math_depth" not in prefs and _FEW_PROOFS.search(lowered):
        prefs["math_depth"] = ("applied", "moderate")
    if keeps_rigour(lowered):  # "proof based but gentle", "shorter but still rigorous": proofs all the same
        prefs["math_depth"] = ("rigorous", "proof-heavy")
    # "bio grad student ... without heavy math": a career stage is no level of mathematics when the learner asks
    # for applied maths in so many words
    if prefs.get("level") == ("advanced",) and prefs.get("math_depth") == ("applied", "moderate") \
            and not _ADVANCED_ASKED.search(unlevelled):
        del prefs["level"]
    # a mathematically mature background ("theoretical physicist", "my PhD was in operator theory") needs no
    # introductory text, even where it starts
    if "level" not in prefs and _MATURE.search(unlevelled) and not _MATURE_NEGATED.search(unlevelled):
        prefs["level"] = ("intermediate", "advanced")
    # "where do I start?" asks for an introduction, unless a level is said
    if "level" not in prefs and _WHERE_TO_START.search(unlevelled):
        prefs["level"] = ("intro",)
    if len(prefs.get("kind", ())) > 1 and "access" in prefs:
        free_kinds = _free_kinds(lowered)
        if free_kinds and set(prefs["kind"]) - free_kinds:
            prefs["access_kinds"] = tuple(sorted(free_kinds))
    if _RECENT.search(query):
        now = datetime.date.today().year
        prefs["year"] = tuple(range(now - RECENT_YEARS, now + 1))
    return prefs


# "a clear probability textbook with free lecture videos to go with it": free said of one kind asked, not of all
_FREE_KIND = re.compile(r"(?<![\w-])free\s+(?:[\w-]+\s+){0,2}?(lecture notes|notes|lectures?|videos?|courses?|class|"
                        r"books?|textbooks?)\b")
_KIND_OF_NOUN = {"lecture note": {"lecture-notes"}, "note": {"lecture-notes"}, "book": {"book"}, "textbook": {"book"}}


def _free_kinds(lowered: str) -> set[str]:
    """The kinds "free" is said of, when every "free" in the question (and no other word for a price) is said of a
    kind; else none."""
    said = list(_FREE_KIND.finditer(lowered))
    if not said or len(said) != len(_PRICE_WORDS.findall(lowered)):
        return set()
    return {k for m in said for k in _KIND_OF_NOUN.get(m.group(1).rstrip("s"), {"course", "video-series"})}


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
    r"looking|something|anything|the|for|about|that|this|"
    # how to learn, not what: "builds RKHS from scratch" (a record's "from scratch" is no match for the subject)
    r"from scratch|from the ground up)\b",
    re.I)


def topic_words(question: str, strip_names: bool = False) -> str:
    """The question without its meta words; `strip_names` also drops possessives (the named resource goes)."""
    text = _META.sub(" ", question)
    text = re.sub(r"(?<!\S)[^\w\s]+(?!\S)|[?!.,;:]+(?=\s|$)", " ", text)
    if strip_names:
        text = re.sub(r"\b\w+'s\b", " ", text)
    return " ".join(text.split()) or question


# "linear algebra for ML", "the math behind deep learning", "ML math course": the field the maths serves is its
# purpose, not a subject to learn ("a math for ML course" is no machine learning course)
_PURPOSE = re.compile(r"\b(for|behind|of|in|used in|needed for|underlying)\s+(ml|machine learning|deep learning|dl|ai|"
                      r"data science)\b|\b(ml|machine learning|deep learning|dl)[- ](?=(math|maths|mathematics)\b)|"
                      # "I started a deep learning job": the learner's work is why they ask, not what
                      r"\b(ml|machine learning|deep learning|dl|ai|data science)\s+(job|role|position|internship|team|"
                      r"startup|company|engineer|work)\b", re.I)


# "a review aimed at stats people", "written for CS majors": the readers a resource is for, not its subject
_AUDIENCE = re.compile(r"\b(aimed at|written for|geared (to|toward|towards)|targeted at|meant for)\s+([\w-]+\s+){1,2}"
                       r"(ppl|people|folks|types|majors|students|audiences?|readers|crowd|backgrounds?)\b", re.I)


# "more ml flavoured", "with an ML slant": a flavour of the subject, not a subject
_FLAVOUR = re.compile(r"\b(ml|machine[- ]learning|deep[- ]learning|dl|ai|data[- ]science)[- ]?(flavou?red|flavou?r|oriented|"
                      r"focused|slant(ed)?|angle|bent|perspective|centric)\b|"
                      r"\b(an?|with|from)\s+(ml|machine learning|deep learning|ai|data science)\s+"
                      r"(slant|angle|flavou?r|focus|bent|perspective|lens|twist)\b", re.I)


_MATHS = re.compile(r"\b(math|maths|mathematics|mathematical)\b", re.I)


def subject_topics(text: str, find) -> list[str]:
    """`find(text)`'s topics without what they are for: "info theory for ML" asks information theory. A text left
    with none keeps its field ("a first ML book"), unless it asks maths for it ("an ML math course")."""
    topics = find(without_purpose(text))
    return topics if topics or _MATHS.search(text) else find(text)


def without_flavour(text: str) -> str:
    """The text without the flavour wished of its subject ("smth free and more ml flavoured": no subject of its
    own) or the readers a resource is for."""
    return _FLAVOUR.sub(" ", _AUDIENCE.sub(" ", text))


def without_purpose(text: str) -> str:
    """The text without what its subject is for ("linear algebra for ML", "ML math", "more ml flavoured") and
    without the readers a resource is wished to be for. A text left with no subject of its own keeps them: the
    caller falls back on the whole text."""
    return _PURPOSE.sub(" ", without_flavour(text))

