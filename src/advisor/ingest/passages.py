"""Passage kinds (definition, theorem, proof, ...) from a text's own cues, and question intents."""

from __future__ import annotations

import re

from ..types import Chunk

PASSAGE_KINDS = ("definition", "theorem", "proof", "derivation", "example", "exercise", "algorithm", "prose")

_NUM = r"\d+(?:\.\d+)*[A-Za-z]?"
_CUES: dict[str, list[re.Pattern]] = {
    "definition": [
        re.compile(rf"(?im)^\s*(?:{_NUM}\s+)?definitions?\b(?:\s+{_NUM})?\s*[:.(]?"),
        re.compile(r"(?i)\b(is|are) (called|defined (as|to be|by))\b|\bwe (define|call|say that)\b|\bdenoted by\b|:=|≜"),
    ],
    "theorem": [
        re.compile(rf"(?m)^\s*(?:{_NUM}\s+)?(Theorem|Lemma|Corollary|Proposition|Claim)\b(?:\s+{_NUM})?"),
        re.compile(rf"(?im)^\s*{_NUM}\s+[a-z][\w\s,'-]{{2,60}}\b(theorem|lemma|inequality|formula|law|identity)\b"),
    ],
    "proof": [
        re.compile(r"(?m)^\s*Proof\b|\bProof[.:]|\bproof of (Theorem|Lemma|Proposition|Corollary)\b|[□■∎◻❑✷]|⊓⊔|\bQ\.?E\.?D\b"
                   r"|\bthis (completes|concludes) the proof\b|\bwhich proves\b"),
    ],
    "derivation": [
        re.compile(r"(?i)\b(we (obtain|get|have|find)|substituting|plugging|it follows that|taking the (derivative|gradient|log)|"
                   r"differentiat\w+|rearranging|simplif\w+ (to|gives)|derivation|we derive|expanding)\b"),
    ],
    "example": [
        re.compile(rf"(?m)^\s*(?:{_NUM}\s+)?(Example|Examples|EXAMPLE)\b(?:\s+{_NUM})?|^\s*{_NUM}\s+example\b"),
        re.compile(r"(?i)\bfor (example|instance)\b|\bconsider the (following )?example\b"),
    ],
    "exercise": [
        re.compile(rf"(?m)^\s*(Exercises?|Problems?|EXERCISES)\b(\s+{_NUM})?"),
        re.compile(r"(?m)^\s*\d{1,3}\s+(Show|Prove|Find|Suppose|Let|Compute|Verify|Give|Explain|Use|Write|Determine)\b"),
    ],
    "algorithm": [
        re.compile(rf"(?m)^\s*(Algorithm|ALGORITHM)\b(\s+{_NUM})?|\bpseudo-?code\b|^\s*(Input|Output|Require|Ensure)\s*:"
                   r"|\brepeat until\b|\bfor t = 1\b"),
    ],
}
_SECTION_KIND = [
    (re.compile(r"(?i)\bexercises?\b|\bproblems\b|\bproblem set\b"), "exercise"),
    (re.compile(r"(?i)\bproofs?\b"), "proof"),
    (re.compile(r"(?i)\bdefinitions?\b"), "definition"),
    (re.compile(r"(?i)\bexamples?\b"), "example"),
    (re.compile(r"(?i)\balgorithms?\b"), "algorithm"),
]
_EQUATION_LINE = re.compile(r"[=≤≥<>∑∫∂∇]")


def classify(text: str, section: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Kinds a passage shows, strongest cue first; ('prose',) when it shows none."""
    scores: dict[str, float] = {}
    for kind, patterns in _CUES.items():
        for weight, pattern in zip((2.0, 1.0), patterns):
            hits = len(pattern.findall(text))
            if hits:
                scores[kind] = scores.get(kind, 0.0) + weight * min(hits, 3)
    lines = [line for line in text.split("\n") if line.strip()]
    if lines:
        density = sum(1 for line in lines if _EQUATION_LINE.search(line)) / len(lines)
        if density > 0.3 and scores.get("derivation"):
            scores["derivation"] += 2.0
        elif scores.get("derivation", 0) < 2:
            scores.pop("derivation", None)  # a lone "we have" is not a derivation
    for pattern, kind in _SECTION_KIND:
        if section and pattern.search(section[-1]):
            scores[kind] = scores.get(kind, 0.0) + 3.0
    if not scores:
        return ("prose",)
    return tuple(k for k, _ in sorted(scores.items(), key=lambda kv: (-kv[1], PASSAGE_KINDS.index(kv[0]))))


def tag(chunks: list[Chunk]) -> list[Chunk]:
    for c in chunks:
        kinds = classify(c.text, c.section)
        c.passage_kind = ",".join(kinds)
    return chunks


def chunk_kinds(chunk: Chunk) -> tuple[str, ...]:
    return tuple(chunk.passage_kind.split(",")) if chunk.passage_kind else ("prose",)




VERBS = {"proof": "proves", "theorem": "states", "derivation": "derives", "definition": "defines",
         "example": "illustrates", "exercise": "has exercises on", "algorithm": "gives an algorithm for"}


_ENV_LABEL = re.compile(
    rf"(?m)\b(Theorem|Lemma|Corollary|Proposition|Definition|Example|Exercise|Algorithm)\s+({_NUM})\b"
    rf"|^\s*({_NUM})\s+((?:[a-z][\w'-]*\s?){{1,6}}?(?:theorem|lemma|inequality|formula|law|definition|example)\b)"
)


def environment_label(text: str) -> str | None:
    """The first numbered environment a passage shows: 'Theorem 6.7', '7.29 real spectral theorem'."""
    m = _ENV_LABEL.search(text)
    if not m:
        return None
    if m.group(1):
        return f"{m.group(1)} {m.group(2)}"
    return f"{m.group(3)} {m.group(4).strip()}"


def treatment(hits_kinds: list[tuple[tuple[str, ...], str]]) -> str:
    """How a resource treats a topic, from its passages' kinds: 'proves it (p. 73); defines it (p. 70)'."""
    found: dict[str, list[str]] = {}
    for kinds, page in hits_kinds:
        for k in ("proof", "derivation", "definition", "theorem", "example", "exercise"):
            if k in kinds:
                found.setdefault(k, [])
                if page not in found[k]:
                    found[k].append(page)
    parts = []
    for k in ("proof", "derivation", "definition", "theorem", "example", "exercise"):
        if k in found and len(parts) < 3:
            parts.append(f"{VERBS[k]} it ({', '.join(found[k][:3])})")
    if not parts and hits_kinds:
        parts.append(f"mentions it ({', '.join(dict.fromkeys(p for _, p in hits_kinds[:3]))})")
    return "; ".join(parts)
