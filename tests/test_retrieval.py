import math
from dataclasses import replace

import numpy as np
import pytest

from advisor.library.catalog import Topic
from advisor.errors import UserInputError
from advisor.types import Filters
from advisor.search.intent import attribute_preferences
from advisor.search.retrieval import TopicMatcher, best_positive, convex_fusion, rrf
from advisor.service import Advisor

pytestmark = pytest.mark.both_stores  # each test that builds an index runs on both stores


def test_rrf_rewards_agreement_between_rankings():
    fused = rrf([[1, 2, 3], [3, 1, 4]], k=60)
    assert max(fused, key=fused.get) == 1
    assert fused[3] > fused[2] and fused[3] > fused[4]


def test_score_fusion_keeps_a_strong_dense_match_that_bm25_missed():
    # passage 1 is nearly as close as 0 in meaning but shares no keyword; 2 and 3 are weak on both sides
    dense = {0: 0.80, 1: 0.79, 2: 0.40, 3: 0.41}
    bm25 = {0: 9.0, 1: 0.0, 2: 3.0, 3: 2.5}
    by_rank = rrf([sorted(dense, key=lambda i: -dense[i]), [0, 2, 3]], k=60)
    assert sorted(by_rank, key=lambda i: -by_rank[i])[-1] == 1  # rank fusion puts it last...
    fused = convex_fusion(dense, bm25, alpha=0.7)
    assert sorted(fused, key=lambda i: -fused[i])[:2] == [0, 1]  # ...score fusion does not


def test_score_fusion_weights_and_degenerate_inputs():
    dense = {0: 0.5, 1: 0.6, 2: 0.4}
    bm25 = {0: 5.0, 1: 0.0, 2: 1.0}
    only_dense = convex_fusion(dense, bm25, alpha=1.0)
    assert sorted(only_dense, key=lambda i: -only_dense[i]) == [1, 0, 2]
    only_bm25 = convex_fusion(dense, bm25, alpha=0.0)
    assert sorted(only_bm25, key=lambda i: -only_bm25[i]) == [0, 2, 1]
    flat = convex_fusion(dense, {}, alpha=0.7)  # no keyword matched: dense order, no NaN
    assert sorted(flat, key=lambda i: -flat[i]) == [1, 0, 2] and all(math.isfinite(v) for v in flat.values())
    same = convex_fusion({0: 0.3, 1: 0.3}, {0: 1.0, 1: 1.0})
    assert same == {0: 0.0, 1: 0.0}
    assert convex_fusion({}, {}) == {}


def test_the_best_keyword_scores_are_found_exactly_without_sorting_everything():
    """best_positive (a floor from a sample, then a partition) against a full sort, ties by position."""
    rng = np.random.default_rng(7)

    def by_sorting(scores, n):
        matched = np.flatnonzero(scores > 0)
        return matched[np.lexsort((matched, -scores[matched]))][:n]

    for trial in range(400):
        size = int(rng.integers(0, 5000))
        scores = np.zeros(size, dtype=np.float32)
        hits = rng.choice(size, size=int(rng.integers(0, size + 1)), replace=False) if size else []
        # whole numbers give many ties at the cut; floats almost none
        scores[hits] = rng.integers(1, 5, size=len(hits)) if trial % 2 else rng.random(len(hits)) + 0.01
        n = int(rng.integers(0, 80))
        assert best_positive(scores, n).tolist() == by_sorting(scores, n).tolist(), (size, n)


def test_hybrid_fusion_is_selectable_and_validated(advisor, settings):
    rrf_advisor = Advisor(replace(settings, fusion="rrf"), embedder=advisor.embedder)
    for adv in (advisor, rrf_advisor):
        hits = adv.search("VC dimension shattered set", k=5)
        assert hits[0].chunk.path == "texts/learning-notes/notes.pdf"
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # score fusion gives keyword-only candidates their real cosine, so resource evidence can use it
    assert all(h.dense is not None for h in advisor.search("VC dimension shattered set", k=10))
    rrf_advisor.close()
    with pytest.raises(UserInputError, match="ADVISOR_FUSION"):
        Advisor(replace(settings, fusion="borda"), embedder=advisor.embedder).search("VC dimension", k=3)


def test_topic_matcher_finds_aliases_and_respects_case_of_abbreviations():
    m = TopicMatcher({
        "kkt": Topic("kkt", "KKT conditions", ["KKT", "Karush–Kuhn–Tucker"]),
        "map": Topic("map", "MAP estimation", ["MAP", "maximum a posteriori"]),
    })
    assert m.find("where are the Karush-Kuhn-Tucker conditions proved") == ["kkt"]
    assert m.find("why is KKT necessary") == ["kkt"]
    assert m.find("draw a map of the world") == []
    assert m.find("MAP estimate vs MLE") == ["map"]
    assert m.expansion("why is KKT necessary") == "Karush–Kuhn–Tucker"
    assert m.expansion("the Karush-Kuhn-Tucker conditions") == "KKT"
    assert m.expansion("MAP estimate vs MLE") == "maximum a posteriori"


def test_expansion_exchanges_only_an_acronym_and_the_phrase_it_abbreviates():
    m = TopicMatcher({
        "cnn": Topic("cnn", "Convolutional neural networks", ["CNN", "convolution", "pooling"]),
        "elbo": Topic("elbo", "ELBO", ["evidence lower bound", "variational lower bound"]),
        "kl": Topic("kl", "KL divergence", ["KL", "Kullback-Leibler divergence", "relative entropy"]),
    })
    assert m.expansion("the density of a convolution of two densities") == ""  # a loose alias, not CNN
    assert m.expansion("CNN receptive field") == "Convolutional neural networks"
    assert m.expansion("derive the ELBO") == "evidence lower bound"
    assert m.expansion("the evidence lower bound") == "ELBO"
    assert m.expansion("relative entropy of two Gaussians") == ""
    assert m.expansion("KL(q||p) vs the Kullback-Leibler divergence") == ""  # both spellings already there


def test_expansion_terms_count_half_in_keyword_scores(advisor):
    r = advisor.retriever
    idx = r.index.texts
    asked, extra = r.query_tokens("why are the Karush-Kuhn-Tucker conditions necessary")
    assert "kkt" in extra and "kkt" not in asked
    expected = idx.bm25_scores(asked) + 0.5 * idx.bm25_scores(extra)
    assert np.allclose(r.keyword_scores(idx, "why are the Karush-Kuhn-Tucker conditions necessary"), expected)


def test_keyword_search_matches_exact_math_terms(advisor):
    hits = advisor.search("KKT conditions", k=3, mode="bm25")
    assert hits[0].chunk.path == "texts/opt/lecture.pdf" and hits[0].chunk.page_start <= 2 <= hits[0].chunk.page_end


def test_query_expansion_finds_synonyms(advisor):
    # the text says "KKT"; the question spells the names out
    hits = advisor.search("Karush-Kuhn-Tucker", k=3, mode="bm25")
    assert hits and hits[0].chunk.path == "texts/opt/lecture.pdf"


def test_hybrid_hits_carry_both_scores_and_pages(advisor):
    hits = advisor.search("VC dimension shattered set", k=5)
    top = hits[0]
    assert top.chunk.path == "texts/learning-notes/notes.pdf" and top.chunk.page_start <= 2 <= top.chunk.page_end
    assert top.bm25 is not None and top.dense is not None
    assert top.resource_id == "learning-notes"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_filters_restrict_passages_and_resources(advisor):
    free = advisor.search("KKT conditions optimality", k=5, filters=Filters(free_only=True))
    assert all(advisor.loaded.resources[h.resource_id].is_free for h in free)
    answer = advisor.ask("KKT conditions", filters=Filters(kinds=["book"]))
    assert [m.resource.id for m in answer.resources] == ["convex-book"]


def test_ask_ranks_the_resource_that_covers_the_topic_and_cites_pages(advisor):
    answer = advisor.ask("which notes prove the VC dimension bound?")
    assert answer.covered
    assert answer.resources[0].resource.id == "learning-notes"
    assert any("VC dimension" in r for r in answer.resources[0].reasons)
    assert "PDF page" in answer.text or "p. " in answer.text
    assert "notes.pdf#page=" in answer.text


def test_attribute_preferences_read_what_kind_of_resource_is_wanted():
    prefs = attribute_preferences("a free course with rigorous proofs")
    assert prefs["access"] == ("free", "free-online")
    assert "course" in prefs["kind"]
    assert "proof-heavy" in prefs["math_depth"]
    assert attribute_preferences("what is a kernel") == {}
    # one audits or enrols in a course
    assert "course" in attribute_preferences("can I audit it online?")["kind"]
    assert "course" in attribute_preferences("how do I enroll, and is it self-paced?")["kind"]
    assert "kind" not in attribute_preferences("I am enrolled in it, what should I read first?")


def test_question_outside_the_corpus_is_not_answered(advisor, settings):
    advisor.settings.min_similarity = 0.5
    answer = advisor.ask("sourdough bread baking hydration")
    assert not answer.covered and answer.resources == [] and answer.passages == []
    assert "Nothing in the indexed corpus covers this" in answer.text


def test_a_passage_across_two_pages_links_to_the_page_the_question_is_about(advisor, corpus):
    from pdfgen import make_pdf

    make_pdf(corpus / "texts" / "misc" / "spread.pdf", [
        "Spread Notes\nGradient descent takes a step against the gradient of the loss.",
        "Spread Notes\nThe Polyak momentum method adds a multiple of the previous step.",
    ])
    advisor.index()
    hit = next(h for h in advisor.search("Polyak momentum method", k=5) if h.chunk.path.endswith("spread.pdf"))
    if hit.chunk.page_start == hit.chunk.page_end:
        pytest.skip("the two pages were chunked apart: nothing to choose")
    assert advisor.link_for(hit.chunk, "Polyak momentum method").endswith("#page=2")
    assert advisor.link_for(hit.chunk, "gradient descent step").endswith("#page=1")
    assert advisor.link_for(hit.chunk).endswith(f"#page={hit.chunk.page_start}")
    answer = advisor.ask("where is the Polyak momentum method explained?")
    assert "spread.pdf#page=2" in answer.text and "spread.pdf#page=1" not in answer.text
