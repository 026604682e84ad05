from pathlib import Path

import pytest

from advisor.library.catalog import Topic
from advisor.search.guide import best_resource_for, prerequisite_order
from advisor.search.intent import question_intent, wants_comparison, wants_path
from advisor.search.intent import IntentReader, acronym
from advisor.store.keywords import keyword_tokens
from advisor.ingest.passages import classify, environment_label, treatment
from advisor.types import Chapter, Resource


@pytest.mark.parametrize("text, kind", [
    ("Theorem 6.7 Every self-adjoint operator has an orthonormal basis of eigenvectors.", "theorem"),
    ("Proof. Let v be an eigenvector. Then the claim follows. □", "proof"),
    ("so V(X + Y) = V(X) + V(Y), as was to be proved. ✷\nThe variance of a sum is the sum.", "proof"),
    ("Definition 2.1 A vector space is a set V with an addition.", "definition"),
    ("3.34 definition: matrix addition\nThe sum of two matrices is the matrix of sums.", "definition"),
    ("Example 4.2 Suppose we roll two dice and count the sum.", "example"),
    ("Exercises 8A\n1 Prove that the identity is nilpotent.\n2 Show that T is invertible.", "exercise"),
    ("Algorithm 1 Gradient descent\nInput: step size\nrepeat until convergence", "algorithm"),
    ("Taking the derivative and setting it to zero we obtain\nw = (X^T X)^-1 X^T y\n"
     "Substituting back, we get\nL = y^T y - y^T X w", "derivation"),
    ("The history of the subject goes back to the eighteenth century.", "prose"),
])
def test_passage_kinds_from_the_texts_own_cues(text, kind):
    assert classify(text)[0] == kind


def test_section_title_marks_exercises():
    assert classify("12 A symphony orchestra has 30 Haydn symphonies in its repertoire.", ("Chapter 3", "Exercises"))[0] == "exercise"


@pytest.mark.parametrize("question, wanted", [
    ("where is the spectral theorem proved?", ("proof", "theorem")),
    ("derive the ELBO step by step", ("derivation",)),
    ("what is the definition of a Markov chain?", ("definition",)),
    ("practice problems on eigenvalues", ("exercise",)),
    ("intuition for SVD", ()),
])
def test_question_intent(question, wanted):
    assert question_intent(question) == wanted


def test_environment_labels_and_treatment_summary():
    assert environment_label("as shown in Theorem 11.15 For an ergodic chain") == "Theorem 11.15"
    assert environment_label("intro\n7.29 real spectral theorem\nSuppose F = R") == "7.29 real spectral theorem"
    assert environment_label("no numbered environment") is None
    told = treatment([(("definition",), "p. 3"), (("proof", "theorem"), "p. 5"), (("prose",), "p. 9")])
    assert told == "proves it (p. 5); defines it (p. 3); states it (p. 5)"
    assert treatment([(("prose",), "p. 9")]) == "mentions it (p. 9)"


def test_symbols_and_their_names_match_in_keyword_search():
    assert "theta" in keyword_tokens("θ = argmax")
    assert set(keyword_tokens("the gradient ∇f")) >= {"gradient"}
    terms = lambda text: [t for t in keyword_tokens(text) if "~" not in t]  # noqa: E731  (formula pairs aside)
    assert terms("𝑉1 ⊕ 𝑉2") == terms("v1 direct sum v2")


TOPICS = {
    "wgan": Topic("wgan", "Wasserstein GAN", [], ["wasserstein", "gan"]),
    "wasserstein": Topic("wasserstein", "Wasserstein distance", [], ["optimal-transport"]),
    "optimal-transport": Topic("optimal-transport", "Optimal transport", [], ["probability"]),
    "gan": Topic("gan", "GANs", [], ["probability", "neural-networks"]),
    "probability": Topic("probability", "Probability", [], []),
    "neural-networks": Topic("neural-networks", "Neural networks", [], []),
}


def test_prerequisite_order_puts_foundations_first():
    order = prerequisite_order(["wgan"], TOPICS)
    assert order[-1] == "wgan"
    for tid in order:
        for pre in TOPICS[tid].prerequisites:
            assert order.index(pre) < order.index(tid)
    assert set(order) == set(TOPICS)


def test_best_resource_prefers_a_chapter_free_gentle_then_indexed():
    a = Resource("a", "A", access="paid", level="intro", topics=["probability"])
    b = Resource("b", "B", access="free", level="advanced", chapters=[Chapter("Ch 1 Probability", ["probability"])])
    c = Resource("c", "C", access="free", level="intro", chapters=[Chapter("Basics", ["probability"])])
    d = Resource("d", "D", access="free", level="intro", chapters=[Chapter("Ch 2 Probability", ["probability"])])
    # a step on the way is taken at the learner's level: the gentler free text beats an indexed advanced one
    r, chapter = best_resource_for("probability", {"a": a, "b": b, "c": c}, indexed={"b"})
    assert (r.id, chapter) == ("c", "Basics")
    # between equals, the one whose text is indexed (a passage can be cited) comes first
    r, chapter = best_resource_for("probability", {"a": a, "c": c, "d": d}, indexed={"d"})
    assert (r.id, chapter) == ("d", "Ch 2 Probability")


def test_question_shapes():
    assert wants_path("what should I learn before the Wasserstein GAN paper?")
    assert wants_path("what maths do I need for the Wasserstein distance in WGANs?")
    assert not wants_path("where is the KKT theorem proved?")
    assert wants_comparison("compare how the SVD is treated in my books")
    assert not wants_comparison("what is the SVD?")


def test_named_resources_by_title_acronym_and_authors():
    rs = {
        "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie", "Robert Tibshirani"], kind="book"),
        "sb": Resource("sb", "Reinforcement Learning: An Introduction", ["Richard S. Sutton", "Andrew G. Barto"], kind="book"),
        "cs": Resource("cs", "CS229: Machine Learning (Stanford)", kind="course"),
    }
    assert acronym("The Elements of Statistical Learning") == "ESL"
    reader = IntentReader(rs)
    i = reader.read("prereqs for ESL? I bounced off chapter 3")
    assert i.mentioned == ["esl"] and i.wants_prerequisites
    assert reader.read("what background do I need for Sutton and Barto").mentioned == ["sb"]
    assert reader.read("is cs229 more rigorous than ESL?").mentioned == ["cs", "esl"]
    assert reader.read("the elements of style").mentioned == []
    assert reader.read("esl teacher jobs").mentioned == []  # acronyms match in capitals only


def test_comparison_table_and_study_path_in_answers(advisor):
    answer = advisor.ask("compare how the VC dimension is treated in my books")
    assert answer.comparison and "| resource | defines | proves |" in answer.text
    row = next(r for r in answer.comparison if r.resource.id == "learning-notes")
    assert row.pages
    path_answer = advisor.ask("what should I learn before KKT conditions?")
    names = [s.topic for s in path_answer.study_path]
    assert names == ["convex-optimization", "kkt-conditions"]
    assert path_answer.study_path[-1].resource.id == "convex-book"
    assert "Study path" in path_answer.text


def test_a_study_paths_topic_passages_are_searched_once_per_index_and_filters(advisor, corpus):
    from advisor.types import Filters

    first = advisor.study_path("what should I learn before KKT conditions?")
    searched = []
    retriever = advisor.retriever
    search = retriever.search
    retriever.search = lambda *a, **k: searched.append(a[0]) or search(*a, **k)
    try:
        again = advisor.study_path("what should I learn before KKT conditions?")
        assert searched == []  # each step's passage was kept from the first path
        assert [(s.topic, s.passage and s.passage.chunk.path) for s in again] == \
            [(s.topic, s.passage and s.passage.chunk.path) for s in first]
        advisor.study_path("what should I learn before KKT conditions?", Filters(free_only=True))
        assert sorted(searched) == sorted(s.name for s in first)  # other filters: searched again, once each
    finally:
        del retriever.search
    (corpus / "texts" / "misc").mkdir(parents=True, exist_ok=True)
    (corpus / "texts" / "misc" / "kkt.md").write_text("# KKT\n\nThe KKT conditions of convex optimization.\n")
    advisor.index()  # a new index, a new retriever: nothing kept from the old one
    assert advisor.retriever is not retriever and advisor.retriever._topic_passages == {}


def test_citations_show_passage_kinds(advisor):
    answer = advisor.ask("where is the VC bound proved?")
    assert any(("proof" in line or "Theorem 2.3" in line) for line in answer.text.splitlines() if "notes.pdf" in line)


def test_cross_encoder_reranker_hook_with_a_tiny_local_model(tmp_path, advisor, settings, embedder):
    transformers = pytest.importorskip("transformers")
    from advisor.search.rerank import CrossEncoderReranker
    from advisor.service import Advisor

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(
        {w for w in "kkt conditions vc dimension proof bound the a of is".split()})
    (tmp_path / "vocab.txt").write_text("\n".join(vocab))
    tok = transformers.BertTokenizerFast(str(tmp_path / "vocab.txt"))
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=8, num_hidden_layers=1, num_attention_heads=1,
                                     intermediate_size=16, num_labels=1)
    model_dir = tmp_path / "tiny-ce"
    transformers.BertForSequenceClassification(config).save_pretrained(model_dir)
    tok.save_pretrained(model_dir)
    rr = CrossEncoderReranker(str(model_dir))
    hits = advisor.search("KKT conditions", 5)
    reranked = rr("KKT conditions", list(hits))
    assert sorted(h.chunk.id for h in reranked) == sorted(h.chunk.id for h in hits)
    adv = Advisor(type(settings)(**{**settings.__dict__, "reranker": str(model_dir)}), embedder=embedder)
    assert adv.retriever.reranker is not None and adv.search("KKT conditions", 3)


def test_missing_reranker_is_a_clear_error(tmp_path):
    from advisor.errors import ModelError
    from advisor.search.rerank import load_reranker

    with pytest.raises(ModelError, match="not a local model directory"):
        load_reranker(str(tmp_path / "nope"))


def test_quotes_never_start_or_end_inside_a_formula():
    from advisor.search.answer import best_quote, math_spans

    formula = "$\\mathbb{E}[X] = \\sum_x x. p(x) \\geq 0. \\text{Then} y$"
    filler = " ".join(f"Sentence {i} about other things." for i in range(40))
    text = f"{filler} The mean is {formula} which we prove. The variance follows. {filler}"
    quote = best_quote(text, "mean sum expectation prove", limit=200)
    assert formula in quote
    assert quote.count("$") == 2
    spans = math_spans(text)
    assert [text[a:b] for a, b in spans] == [formula]


def test_quotes_tell_display_from_inline_double_dollars_by_their_lines():
    from advisor.search.answer import best_quote

    text = "If $$X$$ and $$Y_i$$ are independent, then\n$$\nVar[X + Y] = Var[X] + Var[Y]\n$$\nholds."
    assert best_quote(text, "variance") == (
        "If $X$ and $Y_i$ are independent, then \\[ Var[X + Y] = Var[X] + Var[Y] \\] holds.")


def test_section_titles_lose_markdown_emphasis():
    from advisor.search.answer import section_title
    from advisor.types import Chunk

    chunk = Chunk(id="x", path="a.md", text="t", page_start=1, page_end=1, section=("Review", "**Properties**:"))
    assert section_title(chunk) == "Properties"
    assert section_title(Chunk(id="y", path="a.md", text="t", page_start=1, page_end=1, section=())) == ""
