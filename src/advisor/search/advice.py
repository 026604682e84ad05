"""What the catalog's own descriptions advise about order: "learn the ideas first from Trefethen and Bau", "read
a textbook chapter on MCMC (Bishop ch. 11 or MacKay) first", "take it after Silver's course", "follow with MIT
18.02SC". Read once from the records, as links between them: for "before X" the records X's description
sends the learner to first, for "after X" the ones it sends them to next.
"""

from __future__ import annotations

import re

from ..types import Resource
from .intent import IntentReader
from .intent.cues import pieces

# a cue that the resource named near it comes before the described one ...
# ("Villani's first book" is an author's earlier book, not an order for the learner)
_BEFORE = re.compile(r"\b((?<!'s )(?<!\u2019s )(?<!his )(?<!her )(?<!their )first(?! taste)|beforehand|prerequisites?|assumes?|assuming|requires?|you need|needs|background|"
                     r"gentle start|gentler|easier|on-?ramp|entry point|primer|warm[- ]?up|start with|begin with|"
                     r"(take|read|do|study|use|watch|choose|pick|try) (it|this|them) after|after finishing|refresher|"
                     r"(maths?|mathematics) review)\b", re.I)
# ... or after it
_AFTER = re.compile(r"\b(follow (it |this |them )?(with|by|up with)|followed by|then|next|afterwards|"
                    r"after (it|this|that|them)|follow-?ups?|continue (with|to|on)|go on to|move (on )?to|sequel|for rigou?r|"
                    r"for depth|deeper|more advanced|"
                    # "read MML for the longer treatment"
                    r"for (the |a )?(longer|fuller|full|complete|detailed|more detailed|thorough|more thorough) "
                    r"(treatment|version|account|exposition|story)|when you want more|before moving|(prerequisite|preparation) for|"
                    r"prepares? (you )?for|leads? (in)?to|before (taking|reading|starting|tackling)|"
                    # "shorter and more pedagogical than Old and New": the harder one comes after
                    r"(shorter|gentler|easier|simpler|friendlier|lighter|more (pedagogical|accessible|approachable)) than)\b",
                    re.I)
# ... or in its place: "a strong free alternative to CS229 when you want the same derivations explained more slowly"
# (not "not a substitute for a course")
_INSTEAD = re.compile(r"(?<!not a )\b(alternative (to|for)|instead of|in place of|replacement for|substitute for)\b",
                      re.I)
# ... or beside it: "It follows Sutton and Barto", "The text is Bertsekas and Tsitsiklis's book", "the companion
# lectures": the course's book, the book's lectures
_BESIDE = re.compile(r"\b(it|they|the (course|lectures?|class|videos?)) (follows?|uses?|is based on|are based on)\b|"
                     r"\b(the|its|course) (text|textbook|book) is\b|\bcompanion\b|\baccompan\w*|\bpairs? with\b|"
                     r"\bgoes with\b|\bfollows (the|its) (book|textbook|text)\b", re.I)
# sentences end at ". X", not at "et al. X" or "e.g. X"
_PARTS = re.compile(r"(?<![ (]al\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bch\.)(?<=[.;!?])\s+(?=[A-Z])|;\s*|,\s+(?:and|but)\s+")
INVERSE = 0.5  # "X: read Y first" also says X comes after Y, less directly


class Advice:
    """`before[x]`: records x's catalog text (or theirs) places before x; `after[x]`: after it."""

    def __init__(self, resources: dict[str, Resource], reader: IntentReader):
        self.before: dict[str, dict[str, float]] = {}
        self.after: dict[str, dict[str, float]] = {}
        self.mentioned_by: dict[str, set[str]] = {}  # the records whose text names a record
        self.instead: dict[str, dict[str, float]] = {}  # records a text calls alternatives to each other
        self.beside: dict[str, dict[str, float]] = {}  # a course and its book, either way
        for x in resources.values():
            if not x.from_catalog or not x.description:
                continue
            text = " ".join(x.description.split())
            # once per record: naming is the slow part. Not the record itself: in BBVI's text "Read Blei et al.'s
            # review first" names Blei's review, though Blei wrote BBVI too
            # ... nor its own author's full name: "Andrew Ng's original MOOC" says who made it, not Ng's other course
            # ("read Blei's review first" in BBVI, by Blei too, names his review)
            own = {" ".join(a.lower().split()) for a in x.authors if len(a.split()) >= 2}
            names = [(a, b, rid) for a, b, rid in reader.names_in(text, frozenset({x.id}))
                     if re.sub(r"['\u2019]s$", "", " ".join(text[a:b].lower().split())) not in own]
            for _, _, rid in names:
                if rid != x.id:
                    self.mentioned_by.setdefault(rid, set()).add(x.id)
            for start, end, _ in pieces(_PARTS, text):
                inside = [(a - start, b - start, rid) for a, b, rid in names if a >= start and b <= end]
                if _INSTEAD.search(text[start:end]):
                    # ("CS229" names the course and its notes: a course's alternative is the course)
                    others = [rid for _, _, rid in inside if rid != x.id and rid in resources]
                    for rid in [o for o in others if resources[o].kind == x.kind] or others:
                        _link(self.instead, x.id, rid, 1.0)
                        _link(self.instead, rid, x.id, 1.0)
                if _BESIDE.search(text[start:end]):
                    for rid in {rid for _, _, rid in inside if rid != x.id and rid in resources}:
                        _link(self.beside, x.id, rid, 1.0)
                        _link(self.beside, rid, x.id, 1.0)
                for rid, side in _sides(text[start:end], inside):
                    if rid == x.id or rid not in resources:
                        continue
                    near, far = (self.before, self.after) if side == "before" else (self.after, self.before)
                    _link(near, x.id, rid, 1.0)
                    _link(far, rid, x.id, INVERSE)

    def next_to(self, named: list[Resource], side: str) -> dict[str, float]:
        """The records placed on `side` of the named ones: "before", "after", "instead", or "beside"."""
        links = {"before": self.before, "after": self.after, "instead": self.instead, "beside": self.beside}[side]
        out: dict[str, float] = {}
        for x in named:
            for rid, w in links.get(x.id, {}).items():
                out[rid] = max(out.get(rid, 0.0), w)
        return out


def _sides(part: str, names: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Each name in a sentence with the side of the nearest order cue, if the sentence has one."""
    cues = [(m.start(), m.end(), "before") for m in _BEFORE.finditer(part)] + \
           [(m.start(), m.end(), "after") for m in _AFTER.finditer(part)]
    if not cues:
        return []
    out = []
    for a, b, rid in names:
        def distance(cue):
            return a - cue[1] if cue[1] <= a else cue[0] - b if cue[0] >= b else 0
        near = min(cues, key=lambda c: (distance(c), c[2]))
        # "the vocabulary CS229 and Bishop assume": a name that assumes this record comes after it
        if near[2] == "before" and near[0] >= b and _ASSUMING.match(part, near[0]) \
                and _SUBJECT_GAP.fullmatch(part[b:near[0]]):
            near = (*near[:2], "after")
        out.append((rid, near[2]))
    return out


_ASSUMING = re.compile(r"(assumes?|requires?|needs)\b", re.I)
# between a name and its verb: nothing, or more names ("CS229 and Bishop assume")
_SUBJECT_GAP = re.compile(r"(\s*(,|and|&|or)\s+[\w'.-]+(\s+[\w'.-]+)?)*\s*")


def _link(links: dict[str, dict[str, float]], x: str, rid: str, w: float) -> None:
    own = links.setdefault(x, {})
    own[rid] = max(own.get(rid, 0.0), w)
