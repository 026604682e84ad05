"""Catalog records as fielded documents: BM25 per field (names and authors far above topics and chapters, and
those above the description), summed with the fields' weights. Pure scoring over a few hundred records."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

from ..library.topics import Topic, TopicMatcher, spell_out
from ..store.keywords import keyword_tokens
from ..types import Resource
from .preferences import COURSE_CODE, LEVELS, rank_on, resource_topics, teaches

# Field weights inside the record's BM25: names far above topics and chapters, those above the description.
# A text's title purpose ("Mathematics for Machine Learning") says whom it serves, not what it teaches: it weighs as
# the description does.
FIELD_WEIGHTS = {"names": 3.0, "authors": 3.0, "topics": 1.5, "description": 1.0, "purpose": 1.0}
_PURPOSE = re.compile(r"\s+for\s+(?=[A-Z])")
_K1, _B = 1.2, 0.75
# Function words never name a record: "where does X come from" must not match "Learning From Data" by its title.
STOP_WORDS = frozenset(keyword_tokens(
    "a an the of for and or to in on at by with from into onto about as is are was were be been being it its this "
    "that these those there here i me my we our you your he she they them their what which who whom whose where when "
    "why how do does did doing done can could should would will shall may might must not no nor so than then too very "
    "just only also any all some more most other such own same each both few up down out off over under again further "
    "once if but because until while during before after above below between through come comes came get got go goes "
    "want need like know read use"))


def title_purpose(title: str) -> tuple[str, str]:
    """A title without its purpose, and the purpose: "Mathematics (...)" and "Machine Learning" of "Mathematics for
    Machine Learning (...)"; the whole title and no purpose when it states none."""
    short = re.split(r"[(:]", title)[0]
    m = _PURPOSE.search(short)
    return ((title[:m.start()] + " " + title[len(short):]).strip(), short[m.end():].strip()) if m else (title, "")


class FieldIndex:
    """BM25 per field over the catalog records (a few hundred: built in memory when the index loads)."""

    def __init__(self, resources: dict[str, Resource], topics: dict[str, Topic]):
        self.ids = [rid for rid, r in resources.items() if r.from_catalog]
        # A course code is one word, "CS 189" no match for "a cs sophomore": the catalog's prefixes ("CS", "EE"),
        # typed in any case
        prefixes = {m.group(1) for r in resources.values()
                    for m in COURSE_CODE.finditer(" ".join([r.title, *r.aliases]))}
        self._code = re.compile(rf"\b({'|'.join(sorted(prefixes))})\s?(\d{{2,3}}[A-Za-z]?)\b(?!\.\w)",
                                re.I) if prefixes else None
        self.fields: dict[str, list[Counter]] = {name: [] for name in FIELD_WEIGHTS}
        for rid in self.ids:
            r = resources[rid]
            topic_text = " ".join(" ".join(topics[t].terms) if t in topics else t.replace("-", " ")
                                  for t in sorted(resource_topics(r)))
            # (a paper's title is its content: "Adaptive Subgradient Methods for Online Learning")
            head, purpose = title_purpose(r.title) if r.kind != "paper" else (r.title, "")
            texts = {
                "names": " ".join([head, *r.aliases]),
                "purpose": purpose,
                "authors": " ".join(r.authors),
                "topics": topic_text + " " + " ".join(c.title for c in r.chapters),
                "description": r.description,
            }
            for name, text in texts.items():
                self.fields[name].append(Counter(keyword_tokens(self._codes_joined(text))))
        self.stats = {}
        for name, docs in self.fields.items():
            df: Counter = Counter()
            for d in docs:
                df.update(d.keys())
            avg = (sum(sum(d.values()) for d in docs) / len(docs)) if docs else 1.0
            self.stats[name] = (df, max(avg, 1.0))

    def scores(self, text: str, weights: dict[str, float] | None = None) -> dict[str, float]:
        """BM25F-like: each field's BM25 for the text's words (function words left out), weighted and summed;
        `weights` scales some words' share of the names field (everyday_weights)."""
        tokens = [t for t in keyword_tokens(self._codes_joined(text)) if t not in STOP_WORDS]
        n = max(len(self.ids), 1)
        out: dict[str, float] = {}
        for name, weight in FIELD_WEIGHTS.items():
            df, avg = self.stats[name]
            shares = (weights or {}) if name == "names" else {}
            for i, doc in enumerate(self.fields[name]):
                length = sum(doc.values())
                s = 0.0
                for t in set(tokens):
                    tf = doc.get(t, 0)
                    if tf:
                        idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                        s += shares.get(t, 1.0) * idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / avg))
                if s:
                    out[self.ids[i]] = out.get(self.ids[i], 0.0) + weight * s
        return out

    def _codes_joined(self, text: str) -> str:
        return self._code.sub(r"\1\2", text) if self._code else text

    def holders(self, term: str) -> set[str]:
        """The records that use a keyword term in any field."""
        return {self.ids[i] for docs in self.fields.values() for i, d in enumerate(docs) if term in d}

    def rare_mentions(self, text: str, max_records: int = 2) -> set[str]:
        """Records that use a coined term of the text that few records use ("AdaMax" is named only in the Adam
        paper's record): a sign the catalog knows what is asked, whatever its wording. Only camel-case coinages
        count: an everyday word rare in the catalog ("October") says nothing, and neither does an acronym ("GPU",
        "UCL" are in records, and in questions about gaming or football)."""
        coined = " ".join(re.findall(r"\b[A-Za-z]*[a-z][A-Z][a-z][A-Za-z]*\b", text))
        out: set[str] = set()
        for t in set(keyword_tokens(coined)) - STOP_WORDS:
            holders = self.holders(t)
            if 0 < len(holders) <= max_records:
                out |= holders
        return out


EVERYDAY_WEIGHT = 0.25  # the share of a title match an everyday English word keeps


def everyday_weights(text: str, matcher: TopicMatcher, everyday: frozenset[str]) -> dict[str, float]:
    """EVERYDAY_WEIGHT for the keyword terms of everyday English words that name no topic here: "my new team" is no
    match for the title "Optimal Transport: Old and New", nor "a real textbook" for "Real Analysis" (in a description,
    "short" or "visual" is said of the resource, and counts whole); a word capitalised inside
    a sentence (a title typed as one) and any term also said by a rarer word keep their weight."""
    in_topics = set(keyword_tokens(" ".join(words for _, words in matcher.find_spans(spell_out(text)))))
    plain, rare = set(), set()
    for m in re.finditer(r"[A-Za-z]+", text):
        word = m.group()
        titled = word[0].isupper() and m.start() > 0 and not re.search(r"[.?!]\s*$", text[:m.start()])
        terms = set(keyword_tokens(word))
        (plain if word.lower() in everyday and not titled else rare).update(terms)
    return dict.fromkeys(plain - rare - in_topics, EVERYDAY_WEIGHT)


def prerequisite_targets(named: list[Resource], steps: Iterable[str] = ()) -> list[Resource]:
    """Of the resources a prerequisite question names, those it asks about (not those teaching another's needs);
    `steps`: those said to presuppose something, which are on the way to the goal, never the way in."""
    foundations = {r.id for r in named if r.id not in steps and any(x is not r and teaches(r, x.prerequisites)
                                                                     for x in named)}
    if len(foundations) == len(named) > 1:
        # each teaches something the other needs (the GAN paper and a paper on GAN training both cover divergences):
        # the one at the higher level is the goal, the others lead to it
        top = max(rank_on(r.level, LEVELS) for r in named)
        foundations = {r.id for r in named if rank_on(r.level, LEVELS) < top}
    return [r for r in named if r.id not in foundations] if len(foundations) < len(named) else named


def without_topics(text: str, matcher: TopicMatcher, kept: set[str]) -> str:
    """The text without the words that name topics other than `kept`."""
    text = spell_out(text)  # the words find_spans gives back are spelt out
    for tid, words in matcher.find_spans(text):
        if tid not in kept:
            text = text.replace(words, " ")
    return " ".join(text.split())
