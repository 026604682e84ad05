"""A question written as a form ("Background: ...", "Goal: ...", "Cost: free") read as the sentences it stands for.

Learners paste templates from forums and course pages: a line per field, the field's name before a colon. The
readers understand "I know ...", "I want ...", "I finished X", "... is where I get lost", "which of A, B or C?";
a field's name says which of those its value is, so each field becomes that sentence and the rest of the reading
is unchanged. Two fields or more make a form: one label-like lead-in ("Before the RealNVP paper: ...") is prose.
"""

from __future__ import annotations

import re

# a field: at the start of a line (or after " | " or a sentence end), a name of one to four words, a colon
_FIELD = re.compile(r"(?:^|\n|\s\|\s|(?<=[.!?;])\s+)[ \t]*(?:[-*\u2022>]\s*)?"
                    r"(?P<label>[A-Za-z][A-Za-z'&/ ]{0,28}?[A-Za-z])[ \t]*:[ \t]*(?=\S)", re.M)
_EMPTY = re.compile(r"^\W*(n/?a|none|nothing|-+|\?+|tbd|no idea|not sure|nil)?\W*$", re.I)

# the field names, in the order tried (the first whose pattern matches the whole name, less "my", "now", ...); each
# gives the sentence its value stands for
_KINDS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(rf"(?:{names})", re.I)) for kind, names in (
    ("choice", r"options?|candidates?|choices?|considering|shortlist|contenders?|alternatives|(choosing|deciding) "
               r"between|which one|torn between"),
    ("refuse", r"not looking for|(please )?(avoid|no|not|don'?t want|do not want|not interested in|dislikes?|hate)"),
    ("done", r"(already )?(tried|completed|finished|done|did|read|used|taken|watched|studied|covered)( so far)?|"
             r"past (courses?|reading)|previous( (courses?|reading|attempts?))?|history|"
             r"what i('ve| have) (tried|done|read)|(already )?have done"),
    ("felt", r"felt|verdict|impression|outcome|what went wrong|why (it )?(didn'?t|did not) work|problem with it"),
    ("gap", r"gaps?|weak( spots?| points?| areas?)?|weakness(es)?|missing|struggl\w*( with)?|lacking|shaky( on)?|"
            r"stuck( on)?|don'?t know|blockers?|pain points?"),
    ("plan", r"plan|target|(about|going|want) to read|reading|upcoming|paper to read"),
    ("topic", r"topics?|subject|area|field of study"),
    ("want", r"goals?|wants?|wanted|needs?|looking for|request|resource( i want)?|asks?|question|aims?|objective|"
             r"purpose|wish(es)?|ideal|hoping for|what i want|what i need"),
    ("prefer", r"prefer(ence|ences|red)?|nice to have|bonus|ideally"),
    ("level", r"(current )?level"),
    ("background", r"background|experience|about me|me|profile|knowledge|i know|known|prior|skills|"
                   r"education|degree|math background|who i am|strengths?|comfortable with|know already"),
    ("price", r"cost|budget|price|money|pay(ing)?|access|free\??"),
    ("format", r"format|kind|type|medium|media|style|form"),
    ("depth", r"depth|rigou?r|math level|level of (math|rigou?r)|mathiness|proofs?|theory"),
    ("time", r"time|timeline|deadline|hours|schedule|availability|duration|pace"),
    ("language", r"(programming )?languages?|code|stack|tools?"),
    ("plain", r"why|context|reason|situation|use( case)?|project|job|work|role|field|domain|notes?|other|extra|misc|"
              r"p\.?s|problem|issue|math|maths|details?|story|course|paper|book|resource"),
))
_LABEL_EXTRA = re.compile(r"^(my|the|current|next|main)\s+|\s+(now|next|here|please|pls|so far|\(.*\))$", re.I)
# a value that already reads as the learner's own sentence ("calc done", "never written a proof")
_OWN = re.compile(r"^\W*(i|i'?m|i'?ve|i'?d|my|me|we|our|never|no|not|none|zero|only|just|did|done|took|taken|have|has|"
                  r"had|can|can'?t|know|knew|finished|completed|some|little|basic|solid|strong|weak|rusty|comfortable)\b",
                  re.I)
# a value that starts with what the learner wants to do ("understand why ...", "bridge from ... to proofs")
_VERB = re.compile(r"^\W*(to\s+)?(learn|understand|read|get|see|know|build|implement|prove|find|bridge|master|review|"
                   r"refresh|study|prepare|pass|follow|work|go|move|fill|catch|brush|start|become|derive|use|apply|"
                   r"write|train|fit|do|make|take|pick|choose|compare|decide)\b", re.I)
_PRICE_ANY = re.compile(r"\b(doesn'?t|does not|don'?t|do not) matter|\bany\b|no (limit|budget limit)|whatever|"
                        r"happy to (pay|buy)|can (pay|buy)|paid (is )?(ok|fine)|fine to (pay|buy)|not an issue", re.I)


def _kind(label: str) -> str | None:
    label = label.strip().lower()
    bare = _LABEL_EXTRA.sub("", label).strip()
    return next((kind for kind, names in _KINDS if names.fullmatch(label) or names.fullmatch(bare)), None)


def _sentence(kind: str | None, label: str, value: str) -> str:
    """The sentence a field of this kind stands for, its value kept as written."""
    v = value.strip().rstrip(".;,")
    if kind is None or kind == "plain" or _QUESTION.search(v):
        # a field of no known kind keeps its name; a value that is itself a question is asked as written
        return f"{label}: {v}." if kind in (None, "plain") else f"{v}" + ("" if v.endswith("?") else ".")
    if kind == "felt" and re.match(r"^\W*(too|way|much|far|very|really|quite|pretty|rather|a bit|kinda)\b", v, re.I):
        return f"It was {v}."
    if kind in ("background", "felt", "level") and (_OWN.match(v) or re.match(r"^\W*(it|they|that|this)\b", v, re.I)):
        return f"{v}."
    if kind == "price":
        if _NOTHING.search(v):
            return "It must be free."
        return "Price does not matter." if _PRICE_ANY.search(v) and "free" not in v.lower() else f"Price: {v}."
    if kind in ("want", "plan"):
        verb = _VERB.match(v)
        lead = "I want" if kind == "want" else "I plan to" + ("" if verb else " read")
        return f"{lead} {'to ' if kind == 'want' and verb and not v.lower().startswith('to ') else ''}{v}."
    if kind == "format" and re.fullmatch(r"[a-z]+", v, re.I):  # "Format: paper"
        return f"I want a {v}."
    if kind == "depth":
        return f"I want it {v}." if re.fullmatch(r"depth|math level|level of \w+|mathiness", label, re.I) \
            else f"{label.capitalize()} {v}."
    return _SAYS[kind].format(v=v)


_SAYS = {"choice": "I'm choosing between {v}.", "refuse": "I don't want {v}.", "done": "I already finished {v}.",
         "felt": "It felt {v}.", "gap": "{v}: that is where I get lost.", "topic": "I want to learn {v}.",
         "prefer": "I would prefer {v}.", "level": "My level: {v}.", "background": "My background: {v}.",
         "format": "I want {v}.", "time": "Time I have: {v}.", "language": "I work in {v}."}
_QUESTION = re.compile(r"\?\s*$|^\W*(what|which|where|how|why|is|are|should|can|could|do|does)\b.*\?", re.I)
_NOTHING = re.compile(r"^\W*(\$\s*0|0\s*\$|zero|nothing|none|no money|free only|only free|must be free)\b|"
                      r"can'?t (pay|afford)|\bbroke\b", re.I)


def as_prose(text: str) -> str:
    """The question with each form field written as the sentence it stands for; a question with fewer than two
    fields of a known kind is returned as it is."""
    fields = list(_FIELD.finditer(text))
    if sum(1 for m in fields if _kind(m.group("label")) not in (None, "plain")) < 2:
        return text
    parts = [text[:fields[0].start()].strip()]
    for m, nxt in zip(fields, fields[1:] + [None]):
        value = text[m.end():nxt.start() if nxt else len(text)].strip().strip("|").strip()
        if value and not _EMPTY.match(value):
            label = m.group("label").strip()
            parts.append(_sentence(_kind(label), label, value))
    return "\n".join(p for p in parts if p)
