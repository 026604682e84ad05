"""The topic vocabulary (corpus/topics.yaml) and finding its topics in free text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import CatalogError
from ..textnorm import normalize

@dataclass
class Topic:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        return [self.name, *self.aliases]


def load_topics(path: Path) -> dict[str, Topic]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise CatalogError(str(path), "malformed YAML") from None
    raw = data.get("topics", data) if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        raise CatalogError(str(path), "expected a mapping 'topics: {id: {name, aliases, prerequisites}}'")
    topics = {}
    for tid, spec in raw.items():
        spec = spec or {}
        if not isinstance(spec, dict):
            raise CatalogError(str(path), f"topic '{tid}' must be a mapping")
        topics[str(tid)] = Topic(
            id=str(tid),
            name=str(spec.get("name") or str(tid).replace("-", " ")),
            aliases=[str(a) for a in spec.get("aliases") or []],
            prerequisites=[str(p) for p in spec.get("prerequisites") or []],
        )
    return topics


def topics_as_dict(topics: dict[str, Topic]) -> dict[str, dict]:
    """The vocabulary as plain data, as an index records the one it was built with."""
    return {t.id: {"name": t.name, "aliases": list(t.aliases), "prerequisites": list(t.prerequisites)}
            for t in topics.values()}


def topics_from_dict(data: dict[str, dict]) -> dict[str, Topic]:
    return {tid: Topic(tid, spec["name"], list(spec.get("aliases", [])), list(spec.get("prerequisites", [])))
            for tid, spec in data.items()}


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


# "analysis" alone is real analysis, but "error analysis", "regret analysis", "data analysis" are other subjects
_QUALIFIED_HEADS = {"analysis": frozenset(
    "error regret data convergence stability matrix convex systems complexity sensitivity numerical asymptotic "
    "harmonic fourier spectral causal survival risk statistical bayesian component factor cluster discriminant "
    "perturbation variance power regression performance algorithm algorithms worst-case average-case "
    "time-series series backward forward dimensional "
    # ... and "the full analysis", "a careful analysis" are an argument, not the subject
    "full complete careful detailed thorough theoretical in-depth deeper whole "
    "original same".split())}


def _compound(text: str, m: re.Match) -> bool:
    """Whether a one-word match is the head of a compound that names something else ("error analysis")."""
    qualifiers = _QUALIFIED_HEADS.get(m.group(0).lower())
    if not qualifiers:
        return False
    before = re.search(r"([\w-]+)\W{0,2}$", text[:m.start()])
    return bool(before) and before.group(1).lower() in qualifiers


# abbreviations that are everyday words, or page numbers, in lower case ("map", "la", "'em", "vi")
_WORDLIKE = frozenset("map la em made nuts sac cart als vi nfl gap mad hmm erm".split())


# what learners type for a topic's words in a chat; a question is read with the words spelt out
_CHAT_FORMS = [(re.compile(r"\bthm(s?)\b", re.I), r"theorem\1"),
               (re.compile(r"\b(convex|numerical|nonconvex|stochastic) opt\b", re.I), r"\1 optimization"),
               (re.compile(r"\beigen(?=\s*[+&,/]|\s+(and|or)\b)", re.I), "eigenvalues"),
               (re.compile(r"\bprob(?=\s*(&|and|n|\+)\s*stats?\b|\s+theory\b|\s+for\s+(ml|dl|ai|machine|deep|data)\b)",
                           re.I), "probability")]


def spell_out(text: str) -> str:
    """The text with chat forms of topic words spelt out ("spectral thm", "convex opt", "eigen + svd")."""
    for short, full in _CHAT_FORMS:
        text = short.sub(full, text)
    return text


def _plural(body: str) -> str:
    """A term's pattern with its plural ("Poisson processes", "concentration inequalities")."""
    if re.search(r"(s|x|z|ch|sh)$", body):
        return body + "(?:es)?"
    if re.search(r"[^aeiou]y$", body):
        return body[:-1] + "(?:y|ies)"
    return body + "s?"


class TopicMatcher:
    """Finds vocabulary topics named in a text by their name or any alias, on word boundaries."""

    def __init__(self, topics: dict[str, Topic]):
        self.topics = topics
        self._below: dict[str, frozenset[str]] = {}
        self.patterns: list[tuple[re.Pattern, str, str]] = []  # (pattern, topic id, its first word lowered)
        # a question typed all in lower case ("first ml book", "pca vs svd") writes abbreviations in lower case too
        self.loose: dict[re.Pattern, re.Pattern] = {}
        for t in topics.values():
            for term in t.terms:
                norm = _norm_term(term)
                if len(norm) < 2:
                    continue
                # short all-caps abbreviations must match case-sensitively ("MAP" is not "map")
                flags = 0 if (term.isupper() and len(term) <= 4) else re.I
                source = term if flags == 0 else norm
                body = r"[\s\-]+".join(re.escape(w) for w in source.split())
                first = re.split(r"[\s\-]+", norm)[0]
                pattern = re.compile(rf"(?<!\w){_plural(body)}(?!\w)", flags)
                self.patterns.append((pattern, t.id, first))
                if flags == 0 and norm not in _WORDLIKE:
                    self.loose[pattern] = re.compile(pattern.pattern, re.I)

    def find(self, text: str) -> list[str]:
        """Topics named in the text; a match inside a longer one ("dimension" in "VC dimension") is dropped."""
        return [tid for tid, _ in self.find_spans(text)]

    def find_spans(self, text: str) -> list[tuple[str, str]]:
        """(topic id, the words that named it) for each topic named in the text."""
        plain, located = self._located(text)
        return [(tid, plain[a:b]) for a, b, tid in located]

    def _located(self, text: str) -> tuple[str, list[tuple[int, int, str]]]:
        """The text as read, and where each topic is first named in it."""
        plain = spell_out(normalize(text))
        lowered = _norm_term(plain)
        uncased = plain == plain.lower()
        spans: list[tuple[int, int, str]] = []
        for pattern, tid, first in self.patterns:
            if first not in lowered:
                continue  # cheap literal pre-check: most of the ~1,400 patterns cannot match
            target = plain if pattern.flags & re.I == 0 else lowered
            pattern = self.loose.get(pattern, pattern) if uncased else pattern
            for m in pattern.finditer(target):
                if not _compound(target, m):
                    spans.append((m.start(), m.end(), tid))
        located: dict[str, tuple[int, int, str]] = {}
        for a, b, tid in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            nested = any(a2 <= a and b <= b2 and (b2 - a2) > (b - a) and t2 != tid for a2, b2, t2 in spans)
            if not nested and tid not in located:
                located[tid] = (a, b, tid)
        return plain, list(located.values())

    def aspects(self, text: str) -> set[str]:
        """Topics said as a part of a topic they lead to, not as subjects of their own: "conditioning a
        multivariate Gaussian", "the multivariate normal (conditioning, covariance matrices)"."""
        plain, located = self._located(text)
        out = set()
        for a, b, tid in located:
            for a2, b2, head in located:
                if head == tid or tid not in self.below(head):
                    continue
                # said before it with an article between ("conditioning a multivariate Gaussian"), not listed
                # ("probability and statistics" names two subjects), compounded ("deep learning optimization" is
                # optimization) or its object ("the gradient of the softmax" is the gradient)
                close = b <= a2 and bool(re.fullmatch(r"\s+(an?|the)\s+", plain[b:a2], re.I))
                aside = a > b2 and re.fullmatch(r"\s*\([^()]*", plain[b2:a]) and ")" in plain[b:]
                if close or aside:
                    out.add(tid)
        return out

    def below(self, tid: str) -> frozenset[str]:
        """The topics `tid` builds on, directly or not."""
        if tid not in self._below:
            self._below[tid] = frozenset()  # a cycle in the vocabulary ends here rather than recursing
            seen: set[str] = set()
            for p in self.topics[tid].prerequisites if tid in self.topics else []:
                seen |= {p} | self.below(p)
            self._below[tid] = frozenset(seen)
        return self._below[tid]

    def counts(self, text: str) -> dict[str, int]:
        """How often each topic is named in a (long) text, e.g. to guess a document's topics."""
        plain = normalize(text)
        lowered = _norm_term(plain)
        counts: dict[str, int] = {}
        for pattern, tid, first in self.patterns:
            if first not in lowered:
                continue
            target = plain if pattern.flags & re.I == 0 else lowered
            n = sum(1 for m in pattern.finditer(target) if not _compound(target, m))
            if n:
                counts[tid] = counts.get(tid, 0) + n
        return counts

    def expansion(self, text: str) -> str:
        """The other spelling of an acronym the text uses or spells out: KKT <-> Karush-Kuhn-Tucker.

        Only an acronym and the phrase whose initials it is are exchanged: a topic's looser aliases
        ("convolution" for CNNs, "mean" for expectation) would send a keyword query elsewhere.
        """
        said_words = set(_norm_term(text).split())
        extra: dict[str, str] = {}
        for tid, said in self.find_spans(text):
            topic = self.topics[tid]
            if _is_abbreviation(said):
                phrases = [t for t in topic.terms if not _is_abbreviation(t) and _spells_out(t, said)]
                others = phrases[:1] or [topic.name]  # one spelling: the name comes first
            elif len(_words(said)) > 1:
                others = [a for a in topic.terms if _is_abbreviation(a) and _spells_out(said, a)]
            else:
                continue
            for other in others:
                if not set(_norm_term(other).split()) <= said_words:
                    extra.setdefault(_norm_term(other), other)
        return " ".join(extra.values())


def _words(term: str) -> list[str]:
    return _norm_term(term).split()


def _spells_out(phrase: str, acronym: str) -> bool:
    """Whether the phrase's initials and the acronym's letters agree (one may stop early: ELBO, KL)."""
    initials = "".join(w[0] for w in _words(phrase))
    letters = re.sub(r"[^a-z]", "", acronym.lower()).removesuffix("s") or acronym.lower()
    return len(initials) > 1 and len(letters) > 1 and (initials.startswith(letters) or letters.startswith(initials))


def _is_abbreviation(term: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", term)
    return 2 <= len(letters) <= 6 and letters.isupper()


def _norm_term(text: str) -> str:
    return re.sub(r"[\u2010-\u2015\-]", " ", normalize(text).lower())


# Expansion terms count half: they bridge an acronym and its spelling, they are not what was asked
# (at full weight they cost 0.007 passage MRR and 0.013 resource MRR; docs/evaluation.md).
