"""Which resource to use: every catalog record scored as a whole, fields weighted, preferences soft.

A record is scored from seven signals, each scaled to [0, 1] over the catalog for one question:
- `named`: the question names it (title, short title, alias, acronym, course code, author);
- `fields`: BM25 over its fields (search/fields.py), title/aliases/authors weighted far above topics and
  chapters, and those above the description (the learner's words that carry no topic are left out first);
- `dense`: cosine of the question to the record's text;
- `topics`: the vocabulary topics the question names that the record covers, rare topics counting more;
- `evidence`: how relevant its best passage is (by relevance, never by how many passages it has);
- `related`: for "before X", "after X", "X was too hard", the record is linked to X in the catalog (`related`,
  either way): the curated neighbours of X, those on the asked side favoured by the axis factor (a tie-breaker);
- `advised`: for the same questions, X's own text (or the record's) sends the learner to it first or next
  (search/advice.py).
An `authority` prior (how often the catalog points to a record) lifts the standard texts a little.
The weights (`WEIGHTS`, search/signals.py) were chosen by cross-validation on the development questions
(bench/tune_resources.py); preferences (free, kind, level, maths depth) multiply the sum as soft factors.
By default the best 30 by this score are then re-ordered by a model trained on the development questions
(search/learned.py), which weighs the same signals by the kind of question and record.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Callable, Iterable

from ..library.topics import Topic, TopicMatcher
from ..types import Filters, Hit, Resource, ResourceMatch
from .advice import Advice
from .asked import beyond_known
from .evidence import about_topic, topic_terms
from .fields import FieldIndex, everyday_weights, prerequisite_targets, without_topics
from .intent import Intent, IntentReader, attribute_preferences, keeps_rigour, part_clauses, topic_words
from .learned import LearnedOrder, asked_features
from .preferences import (AXIS_TOPICS, DEPTHS, LEVELS, axis_factor, beyond_reach, closest, in_wished_form, makers,
                          own_summaries, preference_counts, rank_on, relative_depth, resource_topics, same_course,
                          teaches, title_words, varied, within_reach, within_subject)
from .signals import ABOUT_NAMED, NEEDS_BESIDE_ASKED, PERIPHERAL, WEIGHTS, Signals, scaled
from .spelling import everyday_words


class ResourceRanker:
    def __init__(self, resources: dict[str, Resource], topics: dict[str, Topic], matcher: TopicMatcher,
                 evidence_floor: float = 0.45, reader: IntentReader | None = None, learned: LearnedOrder | None = None):
        self.resources = resources
        self.learned = learned  # None: the weighted order (the records' scores), with a kind varied in the top 3
        self.advice = Advice(resources, reader or IntentReader(resources))
        # Authority: how many records list a record among their neighbours or name it in their text. The
        # catalog's authors point to the standard texts (UML, PRML) again and again, and to a niche monograph
        # rarely: between two records that fit a question as well, the standard one is the safer first pick.
        pointed = Counter(o for r in resources.values() if r.from_catalog for o in set(r.related) if o != r.id)
        pointed.update({rid: len(by) for rid, by in self.advice.mentioned_by.items()})
        top = math.log1p(max(pointed.values(), default=0))
        self.authority = {rid: math.log1p(n) / top for rid, n in pointed.items()} if top else {}
        self.topics = topics
        self.matcher = matcher
        self.fields = FieldIndex(resources, topics)
        self.evidence_floor = evidence_floor
        catalog = [r for r in resources.values() if r.from_catalog]
        n = max(len(catalog), 1)
        df = Counter(t for r in catalog for t in resource_topics(r))
        self.topic_idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.mean_topics = max(sum(len(resource_topics(r)) for r in catalog) / n, 1.0)
        # a topic's level: the median level of the records about it (measure-theoretic probability is
        # taught at an advanced level, multivariable calculus at an introductory one)
        # the topics each record is about: among its first topics, or a chapter's
        self.central = {r.id: set(r.topics[:AXIS_TOPICS]) | {t for c in r.chapters for t in c.topics} for r in catalog}
        about: dict[str, list[int]] = {}
        for r in catalog:
            for t in self.central[r.id]:
                about.setdefault(t, []).append(rank_on(r.level, LEVELS))
        self.topic_level = {t: sorted(v)[len(v) // 2] for t, v in about.items()}
        # `related` read both ways: a record's own list (ISL -> ESL) counts fully, being listed by another half
        self.linked: dict[str, dict[str, float]] = {r.id: {} for r in catalog}
        for r in catalog:
            for other in r.related:
                if other in resources and other != r.id:
                    self.linked[r.id][other] = 1.0
                    back = self.linked.setdefault(other, {})
                    back[r.id] = max(back.get(r.id, 0.0), 0.5)

    def signals(self, query: str, intent: Intent, similarities: Callable[[str], dict[str, float]],
                passages: list[Hit]) -> Signals:
        """`similarities(text)` gives each record's cosine to a text (the question, or what it leads to)."""
        intent, named_records = self._named_records(query, intent)
        # moving away from X, what is asked is read without X's name ("the DDPM paper" asks for no paper)
        away = bool(named_records) and (intent.wants_prerequisites or intent.moves_away) and bool(intent.rest)
        # "A or B for X?": both are named; what decides between them is the rest of the question
        choosing = intent.compares and len(intent.mentioned) >= 2 and bool(topic_words(intent.rest).strip())
        asking = intent.rest if (away or choosing) else query
        query, asking, (topics, gaps, known, unwanted, buried) = beyond_known(query, asking, intent, named_records,
                                                                              self.matcher)
        sig = Signals(topics=topics)
        # "it is all about regret. I don't know that framework": a gap said without its topic is the question's topics
        lacked = gaps or (sig.topics if intent.lacks else [])
        axis_topics, sig.excluded = self._axis(intent, sig.topics, named_records, lacked, known)
        sig.excluded |= set(intent.refused)
        attributes = attribute_preferences(asking)  # once per question: _preferences reads them too
        sig.excluded -= own_summaries(intent, named_records, attributes) - set(intent.refused)
        sig.excluded |= same_course(intent, named_records, attributes, self.resources, self.linked)
        sig.values["named"] = named = self._named(intent, sig.excluded, gaps, attributes.get("kind", ()))
        sig.choice = set(intent.mentioned) if intent.compares else set()
        plain = topic_words(query)
        text = topic_words(asking if choosing else query, strip_names=bool(sig.excluded) or choosing)
        gap = None  # before X, the foundations the learner names as missing, when they name some
        if axis_topics is not None:  # "before X", "X was too applied": X's prerequisites or topics, not X's name
            top = max(axis_topics.values(), default=0.0)  # the ones the learner asks for, when they name some
            names = [self.topics[t].name for t, w in axis_topics.items() if t in self.topics and w == top]
            # (all of them, when what X needs beside them is known: "probability is fine, but duality I lack")
            if intent.wants_prerequisites and lacked \
                    and (min(axis_topics.values()) < top or set(axis_topics) <= set(lacked)):
                gap = {t for t, w in axis_topics.items() if w == top}
                if not named_records:  # "before normalizing flows? jacobians lose me": flows is not what to read
                    text = without_topics(text, self.matcher, set(axis_topics) if intent.beneath else gap)
            text = ", ".join(names[:6] + [text])
        meant = text
        if gaps and topics and not set(topics) & set(gaps) and not named_records and not intent.wants_prerequisites:
            # "never took linear algebra. want a hands-on ML course": the gap says the learner's level, so the search
            # by meaning leaves its words out (the keyword fields keep them: a record reviewing the gap is no miss)
            meant = without_topics(text, self.matcher, set(topics))
        sig.values["fields"] = scaled(self.fields.scores(text, everyday_weights(text, self.matcher, everyday_words())))
        dense = {rid: max(0.0, s) for rid, s in similarities(query if meant == plain else meant).items()}
        low = min(dense.values(), default=0.0)
        sig.values["dense"] = scaled({rid: s - low for rid, s in dense.items()})
        wanted = axis_topics if axis_topics is not None else dict.fromkeys(sig.topics, 1.0)
        foundations = intent.wants_prerequisites and axis_topics is not None
        sig.values["topics"] = scaled(self._topic_overlap(wanted, foundations))
        # a passage is evidence for its resource as it is for the answer: when the question names a topic,
        # only a passage that names it ("VC dimension proofs" is not a linear algebra book's pages on dimension)
        named_terms = topic_terms([self.topics[t].terms for t in sig.topics if t in self.topics])
        sig.values["evidence"] = scaled(self._evidence(about_topic(passages, named_terms)))
        # "X says nothing about SGD": X's neighbours share what X covers, and count only when they teach what it lacks
        lacking_in_x = set(sig.topics) if intent.sideways and not foundations and sig.topics else None
        sig.values["related"] = self._neighbours(named_records, sig.excluded,
                                                 gap or (wanted if foundations else lacking_in_x))
        prefs = self._preferences(attributes, intent, named_records, sig.topics, unwanted, buried, known)
        # "a first book on it, A or B?" asks for the gentler of the two as "which is friendlier?" does
        gentle = intent.direction == "easier" or prefs.get("level") == ("intro",)
        sig.values["advised"] = self._advised(intent, named_records, sig.excluded, gentle, query)
        if prefs.get("kind"):
            sig.values["advised"] = in_wished_form(sig.values["advised"], self.resources, set(prefs["kind"]),
                                                   self.linked)
        if gap:  # what X's text sends the learner to first counts when it teaches the gap they name (most of it:
            # UML's convex-optimization chapter is no way into "duality, KKT and convex formulations")
            sig.values["advised"] = {rid: w for rid, w in sig.values["advised"].items() if rid in self.resources
                                     and 2 * sum(teaches(self.resources[rid], [t]) for t in gap) >= len(gap)}
        sig.unasked = self._unasked(intent, named_records, prefs, named)
        sig.authority = self.authority
        if "access" not in prefs:  # other things equal, a learner can open a free text today
            sig.free = {rid for rid, r in self.resources.items() if r.is_free}
        self._soft_factors(sig, intent, named_records, prefs, wanted if foundations else {})
        sig.asked = asked_features(intent, prefs, named_records, bool(lacked), bool(known))
        if len(sig.choice) >= 2:
            sig.axis.update(closest(prefs, [self.resources[rid] for rid in sig.choice if rid in self.resources]))
        return sig

    def _named_records(self, query: str, intent: Intent) -> tuple[Intent, list[Resource]]:
        """The intent as the records named bear on it (within or beyond the learner's reach, no step past a rigorous
        X), and the named records a move leads from."""
        intent = within_reach(beyond_reach(intent, self.resources, self.matcher), query, self.resources, self.matcher)
        named_records = [self.resources[rid] for rid in intent.mentioned if rid in self.resources]
        if intent.deeper and not intent.deeper_than and named_records \
                and all(rank_on(x.math_depth, DEPTHS) >= DEPTHS.index("rigorous") for x in named_records):
            intent = replace(intent, deeper=False)  # "a rigorous book" after a rigorous X is no step past X
        if intent.wants_prerequisites:
            # "the math4ml notes before CS 189": a named record teaching another's prerequisites is an answer
            named_records = prerequisite_targets(named_records, intent.presupposing)
        return intent, named_records

    def _preferences(self, attributes: dict[str, tuple], intent: Intent, named: list[Resource], topics: list[str],
                     unwanted: set, buried: set, known: set = frozenset()) -> dict[str, tuple]:
        """What the question prefers of a record (`attributes`: attribute_preferences of what it asks), years,
        the topics and words it refuses, and what it builds on."""
        prefs = self._within_subject(relative_depth(attributes, intent, named), topics, intent, named)
        if intent.years:
            prefs["year"] = intent.years
        elif intent.about and not intent.moves_away:
            prefs.pop("year", None)  # "is X still worth it or too outdated?" asks X's age, it wants no other book
        if unwanted:
            prefs["avoid_topic"] = tuple(sorted(unwanted))
        # "not the computational ML stuff": a refused way of treating the subject that titles carry ("Computational
        # Optimal Transport"); a refused subject is a topic ("no measure theory"), and before X a gap
        if intent.unwanted and not self.matcher.find(intent.unwanted) \
                and not (intent.wants_prerequisites and intent.mentioned):
            prefs["avoid_title"] = title_words(intent.unwanted, self.resources.values())
        if buried:
            prefs["buried_topic"] = tuple(sorted(buried))
        # "I've done Lebesgue integration": what the learner knows beyond the basics, a fitting record presupposes
        strengths = tuple(sorted(t for t in known if self.topic_level.get(t, 0) >= LEVELS.index("advanced")))
        if strengths and not intent.mentioned:
            prefs["builds_on"] = strengths
        return prefs

    def _unasked(self, intent: Intent, named_records: list[Resource], prefs: dict[str, tuple],
                 named: dict[str, float]) -> set[str]:
        """The papers the question does not ask for: a learner coming from a paper may be pointed to the next paper;
        one preparing for it needs texts that teach (a survey or tutorial paper teaches, moving on or asked for)."""
        if "paper" in prefs.get("kind", ()) or any(r.kind == "paper" for r in named_records) \
                and not intent.wants_prerequisites:
            return set()
        teaching = intent.wants_next_step and bool(named_records) or "tutorial" in prefs.get("kind", ())
        return {rid for rid, r in self.resources.items() if r.kind == "paper" and rid not in named
                and not (teaching and r.is_expository)}

    def _named(self, intent: Intent, excluded: set[str], gaps: list[str], kinds: tuple = ()) -> dict[str, float]:
        """The weight of each resource the question names and does not leave out."""
        # every resource the question names counts the same: "UML or Mohri?" is decided by what else it asks
        # ... except in a question about some of them: "I found ESL too hard. Is ISLR better?" is about ISLR
        named = {rid: 1.0 if not intent.about else ABOUT_NAMED if rid in intent.about else 0.5
                 for rid in intent.mentioned if rid not in excluded}
        if intent.wants_prerequisites and gaps:
            # "the SVM dual in the CS229 notes ... never seen KKT": CS229's linear algebra review is named too, but
            # a foundation named beside X counts only when it teaches the gap the learner names
            # ... and is of the kind asked for ("a free textbook before CS229": not CS229's probability handout)
            named = {rid: w for rid, w in named.items() if rid in self.resources and teaches(self.resources[rid], gaps)
                     and (not kinds or self.resources[rid].kind in kinds)}
        return named

    def _within_subject(self, prefs: dict[str, tuple], topics: list[str], intent: Intent,
                        named: list[Resource]) -> dict[str, tuple]:
        """preferences.within_subject over the records about the asked topics (not on a move away from X: there
        the depth is X's, relative_depth)."""
        if not topics or (named and (intent.moves_away or intent.wants_prerequisites)):
            return prefs
        return within_subject(prefs, [r for rid, r in self.resources.items()
                                      if rid in self.central and self.central[rid] & set(topics)])

    def _soft_factors(self, sig: Signals, intent: Intent, named: list[Resource], prefs: dict[str, tuple],
                      needed: dict[str, float]) -> None:
        """Each record's preferences met and contradicted, and its factor along the axis of a move; `needed`: the
        foundations asked for, in a prerequisite question."""
        # X's own record sending the learner to Y on the asked side ("Vershynin is the friendlier entry point")
        # is finer than the level and depth labels the two share: Y is not held back by them
        vouched = {rid for rid, w in sig.values["advised"].items() if w >= 1.0}
        placed = {k: v for k, v in prefs.items() if k not in ("math_depth", "level")}
        # a record that lists every foundation the learner asks for teaches them, whatever the level of the books
        # centred on it (the calculus course that ends with Lagrange multipliers is not "too far below" them)
        top = max(needed.values(), default=0.0)
        asked = {t for t, w in needed.items() if w == top}
        needed_level = self._needed_level(needed) if needed else 0
        source = makers(named) if intent.same_source else set()
        # "the textbook that goes with the lectures": what X's text (or theirs) calls X's book or lectures
        beside = set(self.advice.next_to(named, "beside")) if intent.same_source else set()
        for rid, r in self.resources.items():
            sig.prefs[rid] = preference_counts(r, placed if rid in vouched else prefs)
            if (source & makers([r]) or rid in beside) and all(rid != x.id for x in named):  # "by the same authors"
                met, contradicted = sig.prefs[rid]
                sig.prefs[rid] = (met + 1, contradicted)
            if rid in intent.about and not intent.moves_away:  # "is ESL too hard for a beginner?" asks whether ESL fits
                sig.prefs[rid] = (sig.prefs[rid][0], 0)
            covers_asked = bool(asked) and asked <= resource_topics(r)
            sig.axis[rid] = 1.0 if rid in vouched or rid in beside else axis_factor(
                intent, named, r, needed, 0 if covers_asked else needed_level,
                gap_taught=covers_asked and min(needed.values(), default=top) < top)

    def _neighbours(self, named: list[Resource], excluded: set[str],
                    needed: Iterable[str] | None) -> dict[str, float]:
        """X's catalog neighbours when moving away from X; when `needed` is given (X's foundations, the gap the
        learner names, or what X lacks), only those that teach one of those topics."""
        if not excluded:
            return {}
        out: dict[str, float] = {}
        for x in named:
            for rid, w in self.linked.get(x.id, {}).items():
                if rid not in excluded and (needed is None or teaches(self.resources[rid], needed)):
                    out[rid] = max(out.get(rid, 0.0), w)
        return out

    def _advised(self, intent: Intent, named: list[Resource], excluded: set[str],
                 gentle: bool = False, query: str = "") -> dict[str, float]:
        """What X's catalog text sends the learner to before X (or for a gentler start), or after it; in "A or B,
        which is friendlier?", the one A's text calls the way in before A."""
        if intent.compares and len(named) >= 2 and (gentle or intent.deeper):
            side = "before" if gentle else "after"
            ids = {r.id for r in named}
            return {rid: w for rid, w in self.advice.next_to(named, side).items() if rid in ids and w >= 1.0}
        if not named or not (intent.wants_prerequisites or intent.moves_away):
            return {}
        side = "before" if intent.wants_prerequisites or intent.direction in ("easier", "earlier") else "after"
        out = self.advice.next_to(named, side)
        # X too hard or too fast: what the catalog calls an alternative to X ("the same derivations explained more
        # slowly")
        if not intent.wants_prerequisites and intent.direction == "easier":
            for rid, w in self.advice.next_to(named, "instead").items():
                out[rid] = max(out.get(rid, 0.0), w)
        # "something gentler that still proves everything": X's gentler computational neighbours prove nothing
        floor = DEPTHS.index("rigorous") if intent.direction == "easier" and keeps_rigour(query) else 0
        return {rid: w for rid, w in out.items() if rid not in excluded
                and rank_on(self.resources[rid].math_depth, DEPTHS) >= floor}

    def _evidence(self, passages: list[Hit]) -> dict[str, float]:
        best: dict[str, float] = {}
        for h in passages:
            rel = (h.dense or 0.0) - self.evidence_floor
            if rel > 0 and rel > best.get(h.resource_id, 0.0):
                best[h.resource_id] = rel
        return best

    def rank(self, sig: Signals, k: int, filters: Filters | None, passages: list[Hit],
             weights: dict[str, float] = WEIGHTS) -> list[ResourceMatch]:
        matches = self.scored(sig, filters, passages, weights)
        if self.learned is not None:
            return self.learned.order(sig, matches)[:k]
        return varied(matches)[:k]

    def scored(self, sig: Signals, filters: Filters | None, passages: list[Hit],
               weights: dict[str, float] = WEIGHTS) -> list[ResourceMatch]:
        """Every record the filters allow, by the weighted score ("A or B?": A and B first)."""
        candidates = set().union(*(v.keys() for v in sig.values.values()))
        by_resource: dict[str, list[Hit]] = {}
        for h in passages:
            by_resource.setdefault(h.resource_id, []).append(h)
        matches = []
        for rid in candidates:
            r = self.resources.get(rid)
            if r is None or rid in sig.excluded or (filters is not None and not filters.allows(r)):
                continue
            score = sig.score(rid, weights)
            if score <= 0:
                continue
            own = resource_topics(r)
            matches.append(ResourceMatch(resource=r, score=score, hits=by_resource.get(rid, [])[:3],
                                         matched_topics=[t for t in sig.topics if t in own]))
        matches.sort(key=lambda m: (m.resource.id not in sig.choice, -m.score, m.resource.id))
        return matches

    # --- "before X", "X was too applied": leave X out, move along the prerequisite or depth axis --------
    def _axis(self, intent: Intent, topics: list[str], named: list[Resource], lacked: list[str] = (),
              known: set[str] = frozenset()) -> tuple[dict[str, float] | None, set[str]]:
        """The topics a move away is scored on (topic -> weight), and the resources it leaves out; `lacked`:
        the topics the learner says they lack, asked for even when X itself covers them."""
        if intent.wants_prerequisites:
            own = {t for r in named for t in resource_topics(r)}
            needed = {t for r in named for t in r.prerequisites}
            # "a probability book before PML": the prerequisite the learner names, not all of them
            # ... and when they say what they lack, the rest is what X is read for ("Boyd for the SVM stuff")
            # ... and with no X named, the gap the learner names ("before flows? I keep seeing jacobians")
            asked = [t for t in topics if t in needed or t in lacked or (t not in own and not lacked)] if named \
                else [t for t in topics if t in lacked]
            # ... else a part of X the learner names ("the Adam paper's convergence part talks about regret in online
            # convex optimization"), not what X is about
            if not asked and named and not lacked:
                about = {t for r in named for t in r.topics[:AXIS_TOPICS]}
                part = set(self.matcher.find(part_clauses(intent.rest))) - about
                asked = [t for t in topics if t in part]
            # ... and the gap the learner names is the one to fill, not the rest of what X needs
            asked = [t for t in asked if t in lacked] or asked
            # "what probability background before X?": X's needs that build on the asked topic are asked too
            asked += [t for t in needed if t not in asked and t not in known and t in self.topics
                      and any(a in self.topics[t].prerequisites for a in asked)]
            needs = [t for r in named for t in r.prerequisites] if named else \
                [p for t in topics if t in self.topics for p in self.topics[t].prerequisites]
            needs = [t for t in needs if t not in known]  # "I know linear algebra": not a foundation to teach
            wanted = {**dict.fromkeys(needs, NEEDS_BESIDE_ASKED if asked else 1.0), **dict.fromkeys(asked, 1.0)}
            if intent.beneath and not named and needs:  # "stuck on BPTT, what math am I missing?": what it builds on
                wanted = {**dict.fromkeys(asked, NEEDS_BESIDE_ASKED), **dict.fromkeys(needs, 1.0)}
            return (wanted or None), {r.id for r in named}
        if named and intent.moves_away:
            # what the learner says they want next; what X is about (its first topics, then the rest) is
            # the subject only when they name none, else a tie-breaker
            asked = dict.fromkeys(topics, 1.0)
            about: dict[str, float] = {}
            # ("X says nothing about SGD": what X covers is no tie-breaker, the learner is leaving it for what it lacks)
            for r in named if not (intent.sideways and asked) else ():
                for i, t in enumerate(r.topics):
                    w = (1.0 if i < AXIS_TOPICS else 0.25) * (0.25 if asked else 1.0)
                    about[t] = max(about.get(t, 0.0), w)
            return {**about, **asked}, {r.id for r in named}
        return None, set()

    def _needed_level(self, needed: dict[str, float]) -> int:
        """The level of the hardest foundation asked for (of those the learner names, else of all)."""
        top = max(needed.values(), default=0.0)
        return max((self.topic_level.get(t, 0) for t, w in needed.items() if w == top), default=0)

    def _topic_overlap(self, wanted: dict[str, float], foundations: bool = False) -> dict[str, float]:
        """IDF-weighted overlap with the wanted topics; for foundations, a topic a record presupposes
        (lists among its prerequisites) is not one it teaches."""
        if not wanted:
            return {}
        scores: dict[str, float] = {}
        for r in self.resources.values():
            if not r.from_catalog:
                continue
            own = resource_topics(r) - (set(r.prerequisites) if foundations else set())
            central = self.central[r.id]
            # a topic the record is about (among its first topics, or a chapter on it) counts fully, one it
            # only lists counts less
            # foundations are common because they are foundational: covering them counts, not their rarity
            s = sum(w * (1.0 if foundations else self.topic_idf.get(t, 0.0)) * (1.0 if t in central else PERIPHERAL)
                    for t, w in wanted.items() if t in own)
            if s:
                # naming the topic among its own topics (not only in a chapter) means it treats it centrally
                s += 0.1 * sum(1 for t in wanted if t in r.topics)
                # for one topic, a record listing forty touches it less than one listing five (a BM25-like
                # length norm), unless a chapter of it is on the topic; for several (the foundations before X)
                # covering them all is the point
                if len(wanted) == 1 and not any(t in c.topics for c in r.chapters for t in wanted):
                    s /= 0.5 + 0.5 * len(own) / self.mean_topics
                scores[r.id] = s
        return scores
