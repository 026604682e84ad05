from advisor.catalog import Topic
from advisor.retrieval import Filters, TopicMatcher, attribute_preferences, rrf


def test_rrf_rewards_agreement_between_rankings():
    fused = rrf([[1, 2, 3], [3, 1, 4]], k=60)
    assert max(fused, key=fused.get) == 1
    assert fused[3] > fused[2] and fused[3] > fused[4]


def test_topic_matcher_finds_aliases_and_respects_case_of_abbreviations():
    m = TopicMatcher({
        "kkt": Topic("kkt", "KKT conditions", ["KKT", "Karush–Kuhn–Tucker"]),
        "map": Topic("map", "MAP estimation", ["MAP", "maximum a posteriori"]),
    })
    assert m.find("where are the Karush-Kuhn-Tucker conditions proved") == ["kkt"]
    assert m.find("why is KKT necessary") == ["kkt"]
    assert m.find("draw a map of the world") == []
    assert m.find("MAP estimate vs MLE") == ["map"]
    assert "KKT conditions" in m.expansion("why is KKT necessary")
    assert "KKT" in m.expansion("the Karush-Kuhn-Tucker conditions")


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


def test_question_outside_the_corpus_is_not_answered(advisor, settings):
    advisor.settings.min_similarity = 0.5
    answer = advisor.ask("sourdough bread baking hydration")
    assert not answer.covered and answer.resources == [] and answer.passages == []
    assert "Nothing in the indexed corpus covers this" in answer.text
