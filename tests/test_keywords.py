import numpy as np

from advisor.store.keywords import formula_bigrams, keyword_tokens


def _pairs(text: str) -> list[str]:
    return [t for t in keyword_tokens(text) if "~" in t]


def test_a_formula_gives_the_same_pairs_whatever_its_spacing():
    assert _pairs("V(X + Y) = V(X) + V(Y)") == _pairs("V (X + Y ) = V (X) + V (Y )")
    assert _pairs("V(X+Y)") == ["v~x", "x~y"]
    assert _pairs("E[T] = 1/p") == ["e~t", "t~1", "1~p"]


def test_symbol_names_and_indexed_variables_count_as_symbols():
    assert _pairs("σ/√n") == ["sigma~√", "√~n"]
    assert _pairs("∑_i α_i y_i") == _pairs("∑ i α i y i") != []
    assert _pairs("dim(V1 + V2)") == ["v1~v2"]


def test_prose_gives_no_formula_pairs():
    assert _pairs("A vector space over the field F is a set with an addition") == []
    assert _pairs("the variance of a sum of independent random variables") == []
    assert _pairs("the sum of a product") == [] and formula_bigrams("x and y") == []


def test_a_passage_with_the_asked_formula_outranks_one_with_its_letters_scattered():
    import bm25s

    docs = [
        "Theorem 6.8 Let X and Y be independent. Then V (X + Y ) = V (X) + V (Y ) as shown.",
        "Let Y be a variable and X a set; the value V of the game depends on X, Y and V.",
    ]
    index = bm25s.BM25()
    index.index([keyword_tokens(d) for d in docs], show_progress=False)
    query = [t for t in keyword_tokens("Prove V(X + Y) = V(X) + V(Y)") if t in index.vocab_dict]
    scores = index.get_scores_from_ids([index.vocab_dict[t] for t in query])
    assert np.argmax(scores) == 0 and scores[0] > scores[1] > 0 or scores[1] == 0
