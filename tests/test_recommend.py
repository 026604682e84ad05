"""Which resource to use: named lookups, moving away from a named resource, evidence precision, study paths."""

from advisor.library.topics import Topic
from advisor.search.evidence import on_topic, topic_terms
from advisor.search.guide import best_resource_for, prerequisite_order
from advisor.search.intent import IntentReader, topic_words
from advisor.types import Chapter, Chunk, Hit, Resource

BOOKS = {
    "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie", "Robert Tibshirani"],
                    kind="book", aliases=["ESL", "HTF"]),
    "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher M. Bishop"], kind="book",
                     aliases=["PRML"]),
    "hinton": Resource("hinton", "Neural Networks for Machine Learning (Coursera)", ["Geoffrey Hinton"], kind="course"),
    "vae": Resource("vae", "Auto-Encoding Variational Bayes", ["Diederik P. Kingma", "Max Welling"], kind="paper"),
    "la": Resource("la", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course"),
    "la2": Resource("la2", "MIT 18.065 Matrix Methods", ["Gilbert Strang"], kind="course"),
    "cvx": Resource("cvx", "EE364a: Convex Optimization I (Stanford)", ["Stephen Boyd"], kind="course"),
    "edx": Resource("edx", "Machine Learning (ColumbiaX CSMM.102x, edX)", ["John Paisley"], kind="course",
                    aliases=["Columbia edX"]),
}


def test_a_resource_is_found_by_alias_possessive_author_course_code_and_title_without_punctuation():
    reader = IntentReader(BOOKS)
    assert reader.read("is ESL too hard for me?").mentioned == ["esl"]
    assert reader.read("Bishop's book on graphical models").mentioned == ["prml"]
    assert reader.read("Hinton's neural networks lectures").mentioned[0] == "hinton"
    assert reader.read("kingma and wellings autoencoding variational bayes").mentioned == ["vae"]
    assert reader.read("notes for 18.06").mentioned == ["la"]  # not 18.065
    assert reader.read("is ee364a worth it").mentioned == ["cvx"]
    assert reader.read("the archived Columbia edX course").mentioned == ["edx"]
    assert reader.read("which book covers VC dimension proofs?").mentioned == []


def test_before_instead_of_and_too_applied_move_away_from_the_named_resource():
    reader = IntentReader(BOOKS)
    before = reader.read("what should I learn before ESL?")
    assert before.mentioned == ["esl"] and before.wants_prerequisites
    instead = reader.read("something instead of PRML")
    assert instead.moves_away and instead.direction == "harder"
    easier = reader.read("ESL was too hard, anything gentler?")
    assert easier.moves_away and easier.direction == "easier"
    assert not reader.read("tell me about ESL").moves_away


def test_topic_words_leave_out_the_asking():
    assert topic_words("which book covers VC dimension proofs?") == "VC dimension"
    assert topic_words("Where is the KKT theorem proved?") == "KKT theorem"
    assert topic_words("which book?") == "which book?"  # nothing left: the question itself


def _hit(text: str, dense: float, path: str = "a.pdf", page: int = 1) -> Hit:
    return Hit(Chunk(f"{path}-{page}", path, text, page, page), score=dense, resource_id=path, dense=dense)


def test_cited_passages_are_on_topic_close_to_the_best_and_not_repeated():
    vc = Topic("vc-dimension", "VC dimension", ["Vapnik-Chervonenkis dimension", "shattering"])
    terms = topic_terms([vc.terms])
    text = "The VC dimension of a class is the size of the largest set it shatters, as the bound shows."
    hits = [
        _hit(text, 0.70, "cheat.pdf", 2),
        _hit(text + " ", 0.69, "cheat.pdf", 5),  # the same text on another page
        _hit("Halmos's building had a dimension problem, as this book recalls.", 0.60, "ladr.pdf"),
        _hit("Shattering a set of points: every labelling is realised.", 0.62, "uml.pdf"),
        _hit("VC dimension in passing.", 0.40, "far.pdf"),  # below the relative floor
    ]
    kept = on_topic(hits, terms)
    assert [h.chunk.path for h in kept] == ["cheat.pdf", "uml.pdf"]


def test_a_passage_is_evidence_for_its_resource_only_when_it_names_the_asked_topic():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    vc = Topic("vc-dimension", "VC dimension", ["Vapnik-Chervonenkis dimension", "shattering"])
    books = {"uml.pdf": Resource("uml.pdf", "Learning Theory Book", ["A Author"], topics=["vc-dimension"]),
             "ladr.pdf": Resource("ladr.pdf", "Linear Algebra Book", ["B Author"], topics=["vector-spaces"])}
    ranker = ResourceRanker(books, {"vc-dimension": vc}, TopicMatcher({"vc-dimension": vc}))
    question = "which book covers VC dimension proofs?"
    passages = [_hit("The dimension of a vector space, with proofs.", 0.80, "ladr.pdf"),
                _hit("A class shatters a set; its VC dimension is the largest such set.", 0.70, "uml.pdf")]
    sig = ranker.signals(question, IntentReader(books).read(question), lambda text: {}, passages)
    assert set(sig.values["evidence"]) == {"uml.pdf"}
    # when no passage names the topic, closeness alone decides, as for the cited passages
    sig = ranker.signals(question, IntentReader(books).read(question), lambda text: {}, passages[:1])
    assert set(sig.values["evidence"]) == {"ladr.pdf"}


def test_study_path_puts_foundations_first():
    topics = {
        "vectors": Topic("vectors", "Vectors"),
        "vector-spaces": Topic("vector-spaces", "Vector spaces", prerequisites=["vectors"]),
        "calculus": Topic("calculus", "Calculus"),
        "convex-optimization": Topic("convex-optimization", "Convex optimization", prerequisites=["calculus", "vector-spaces"]),
        "duality": Topic("duality", "Lagrangian duality", prerequisites=["convex-optimization"]),
        "wgan": Topic("wgan", "Wasserstein GANs", prerequisites=["duality", "vector-spaces"]),
    }
    order = prerequisite_order(["wgan"], topics)
    assert order[-1] == "wgan"
    assert order.index("vector-spaces") < order.index("duality")
    assert order.index("calculus") < order.index("convex-optimization") < order.index("duality")
    assert order[:2] == ["vectors", "calculus"]


def test_a_gap_the_question_names_comes_before_the_steps_that_build_on_it():
    """"never took linear algebra; what before ESL?": linear algebra is named, but machine learning builds on it."""
    topics = {
        "linear-algebra": Topic("linear-algebra", "Linear algebra"),
        "probability": Topic("probability", "Probability"),
        "machine-learning": Topic("machine-learning", "Machine learning", prerequisites=["linear-algebra", "probability"]),
        "supervised": Topic("supervised", "Supervised learning", prerequisites=["machine-learning"]),
        "linreg": Topic("linreg", "Linear regression", prerequisites=["supervised", "linear-algebra"]),
        "loop-a": Topic("loop-a", "A", prerequisites=["loop-b"]),
        "loop-b": Topic("loop-b", "B", prerequisites=["loop-a"]),
    }
    order = prerequisite_order(["linear-algebra", "linreg"], topics)
    assert order[0] == "linear-algebra" and order[-1] == "linreg"
    assert order.index("machine-learning") < order.index("supervised")
    assert set(prerequisite_order(["loop-a"], topics)) == {"loop-a", "loop-b"}  # a cycle in the vocabulary ends


def test_a_step_names_a_resource_that_treats_the_topic_centrally():
    video = Resource("video", "Calculus videos", topics=["calculus", "chain-rule", "taylor", "real-analysis"],
                     access="free", level="intro")
    analysis = Resource("analysis", "Understanding Analysis", topics=["real-analysis", "sequences"], access="paid",
                        level="intermediate", chapters=[Chapter("Sequences and Series", ["real-analysis"])])
    r, chapter = best_resource_for("real-analysis", {"video": video, "analysis": analysis}, indexed=set())
    assert (r.id, chapter) == ("analysis", "Sequences and Series")
    assert best_resource_for("topology", {"video": video}, indexed=set()) == (None, None)


def test_a_malformed_topic_vocabulary_stops_the_build_and_is_a_warning_when_asking(advisor, corpus, caplog):
    import pytest

    from advisor.errors import CatalogError

    (corpus / "topics.yaml").write_text("topics: [unclosed\n")
    with pytest.raises(CatalogError, match="topics.yaml"):
        advisor.index(rebuild=True)
    advisor._topics = None
    with caplog.at_level("WARNING", logger="advisor"):
        assert advisor.topics == {}
    assert "topics.yaml" in caplog.text


def test_toasts_escape_what_the_user_typed(advisor, monkeypatch, tmp_path):
    import gradio as gr

    from advisor.web.ui import Handlers

    shown = []
    monkeypatch.setattr(gr, "Info", lambda message, **kw: shown.append(message))
    monkeypatch.setattr(gr, "Warning", lambda message, **kw: shown.append(message))
    upload = tmp_path / "notes.md"
    upload.write_text("# Notes\n\nSome text about kernels.\n")
    Handlers(advisor).add(str(upload), title="<img src=x onerror=alert(1)> Kernels", topics=[])
    Handlers(advisor).add(str(tmp_path / "missing<b>.md"), title="x")
    assert shown and all("<img" not in m and "<b>" not in m for m in shown)
    assert any("&lt;img" in m for m in shown)


def test_a_first_index_serves_resources_from_the_catalog_while_the_texts_are_read(settings, embedder, monkeypatch):
    import threading

    from advisor.ingest import extract
    from advisor.service import Advisor

    advisor = Advisor(settings, embedder=embedder)
    assert not advisor.store.exists()
    gate = threading.Event()
    real_load, real_split = extract.Extractor.load, extract.Extractor.load_pdf_split

    def slow(real):
        def read(self, *args, **kwargs):
            gate.wait(30)  # the full texts take their time
            return real(self, *args, **kwargs)
        return read

    monkeypatch.setattr(extract.Extractor, "load", slow(real_load))
    monkeypatch.setattr(extract.Extractor, "load_pdf_split", slow(real_split))
    assert advisor.rebuild_in_background()
    deadline = __import__("time").time() + 30
    while not advisor.store.exists() and __import__("time").time() < deadline:
        __import__("time").sleep(0.05)
    answer = advisor.ask("which notes cover the VC dimension?")  # served from the catalog stage
    assert advisor.build_status.running and advisor.build_status.stage
    assert any(m.resource.id == "learning-notes" for m in answer.resources)
    assert answer.passages == []
    gate.set()
    status = advisor.wait_for_build(60)
    assert status.error is None and not status.running
    later = advisor.ask("which notes cover the VC dimension?")
    assert later.passages  # the full texts are in


def test_a_recommended_free_book_not_in_the_library_says_how_to_fetch_it(advisor, corpus):
    record = (corpus / "catalog" / "convex-book.md").read_text()
    (corpus / "catalog" / "convex-book.md").write_text(
        record.replace("access: paid", "access: free\npdf_url: https://example.org/convex.pdf"))
    advisor.index()
    answer = advisor.ask("a free book on KKT conditions")
    assert answer.resources[0].resource.id == "convex-book"
    assert any("advisor fetch convex-book" in n for n in answer.notes)
    held = advisor.ask("notes that prove the VC bound")  # its text is indexed: nothing to fetch
    assert not any("advisor fetch learning-notes" in n for n in held.notes)


def test_hyphen_joined_authors_and_need_before_are_read():
    rs = dict(BOOKS, bm=Resource("bm", "Rademacher and Gaussian Complexities", ["Peter L. Bartlett", "Shahar Mendelson"],
                                 kind="paper"))
    intent = IntentReader(rs).read("what do I need before the Bartlett-Mendelson paper")
    assert intent.mentioned == ["bm"] and intent.wants_prerequisites
    assert IntentReader(rs).read("math i need before ESL").wants_prerequisites


# --- moving away from a named resource: the catalog's neighbours, on the asked side of the axis ---------------
def _ranker(resources):
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    topics = {t: Topic(t, t.replace("-", " "), prerequisites=p) for t, p in
              [("probability", []), ("regression", ["probability"]), ("lasso", ["regression"]),
               ("graphical-models", ["probability"]), ("neural-networks", ["probability"])]}
    return ResourceRanker(resources, topics, TopicMatcher(topics)), IntentReader(resources)


def _ranked(ranker, reader, question, weights=None):
    from advisor.search.signals import WEIGHTS

    sig = ranker.signals(question, reader.read(question), lambda text: {}, [])
    return [m.resource.id for m in ranker.rank(sig, 10, None, [], weights or WEIGHTS)]


SHELF = {
    "isl": Resource("isl", "An Introduction to Statistical Learning", ["Gareth James"], aliases=["ISL"], level="intro",
                    math_depth="applied", topics=["regression", "lasso"], prerequisites=["probability"],
                    related=["esl"]),
    "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], aliases=["ESL"],
                    level="advanced", math_depth="rigorous", topics=["regression", "lasso"],
                    prerequisites=["probability", "regression"]),
    "course": Resource("course", "Regression in Practice", ["Ann Other"], kind="course", level="intro",
                       math_depth="applied", topics=["regression", "lasso"]),
    "notes": Resource("notes", "Regression Notes", ["Sam Writer"], kind="lecture-notes", level="intermediate",
                      math_depth="moderate", topics=["regression"], prerequisites=["probability"]),
    "prob": Resource("prob", "A First Look at Chance", ["Pat Teacher"], level="intro", math_depth="moderate",
                     topics=["probability"]),
    "pgm": Resource("pgm", "Graphical Models Treatise", ["Kay Author"], level="advanced", math_depth="rigorous",
                    topics=["graphical-models", "probability"], prerequisites=["probability"]),
    "dl": Resource("dl", "Deep Nets Explained", ["Dee Learner"], level="intermediate", math_depth="moderate",
                   topics=["neural-networks", "probability"], prerequisites=["probability"]),
}


def test_too_applied_moves_to_a_deeper_neighbour_and_leaves_the_named_one_out():
    from advisor.search.signals import WEIGHTS

    # the axis at full strength: this shelf has no similarity to tell the records apart, only the keyword fields,
    # where "Regression in Practice" says ISL's topics in its title (at the chosen strength the axis breaks ties)
    ranker, reader = _ranker(SHELF)
    ranked = _ranked(ranker, reader, "ISL was great but too light on math, what next?", {**WEIGHTS, "axis": 1.0})
    assert "isl" not in ranked and ranked[0] == "esl"  # ISL's own catalog neighbour, above it on the depth axis
    assert ranked.index("esl") < ranked.index("notes") < ranked.index("course")  # an applied course is behind
    gentler = _ranked(ranker, reader, "I struggled with ESL, anything gentler on lasso?")
    assert "esl" not in gentler and gentler[0] == "isl"
    assert "isl" not in _ranked(ranker, reader, "ISL was great but too light on math, what next?")


def test_before_x_ranks_foundations_that_teach_what_x_presupposes():
    ranker, reader = _ranker(SHELF)
    ranked = _ranked(ranker, reader, "what should I learn before the Graphical Models Treatise?")
    assert "pgm" not in ranked and ranked[0] == "prob"
    # a book that itself presupposes probability does not teach it
    assert "dl" not in ranked[:1] and ranked.index("prob") < ranked.index("dl")


def test_moving_away_is_read_from_more_ways_of_saying_it():
    reader = IntentReader(SHELF)
    assert reader.read("before the ESL book, where do I learn regression?").wants_prerequisites
    fun = reader.read("ISL is fun but I want the theory")
    assert fun.moves_away and fun.direction == "harder"
    assert fun.rest == "is fun but I want the theory"
    for q in ("I struggled with ESL", "I couldn't follow ESL", "ESL is beyond me"):
        intent = reader.read(q)
        assert intent.moves_away and intent.direction == "easier", q
    for q in ("I've worked through ISL, where do I go from here?", "ISL lacks proofs", "what comes after ISL"):
        intent = reader.read(q)
        assert intent.moves_away and intent.direction == "harder", q
    assert reader.read("the ESL paper was too hard").rest == "the was too hard"  # the kind noun goes with the name


def test_a_given_name_beats_the_initials_of_another_title():
    rs = {"pml1": Resource("pml1", "Probabilistic Machine Learning: An Introduction", ["Kevin P. Murphy"],
                           aliases=["PML"]),
          "pml2": Resource("pml2", "Probabilistic Machine Learning: Advanced Topics", ["Kevin P. Murphy"])}
    assert IntentReader(rs).read("a probability book before Murphy's PML?").mentioned == ["pml1"]
    assert set(IntentReader(rs).read("Murphy's books").mentioned) == {"pml1", "pml2"}


# --- the ranking's moves, on a small generic catalog (no index, no model) -------------------------------
def _catalog():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    topics = {
        "algebra": Topic("algebra", "Algebra"),
        "widgets": Topic("widgets", "Widgets", prerequisites=["algebra"]),
        "rigorous-widgets": Topic("rigorous-widgets", "Rigorous widget theory", prerequisites=["widgets"]),
    }
    books = {
        "gentle": Resource("gentle", "A Gentle Widget Primer", ["Ann Alpha"], kind="book", level="intro",
                           math_depth="applied", topics=["widgets"], prerequisites=["algebra"], access="free"),
        "middle": Resource("middle", "Widgets in Practice and Theory", ["Bob Beta"], kind="book",
                           level="intermediate", math_depth="rigorous", topics=["widgets"],
                           prerequisites=["algebra"], access="paid"),
        "deep": Resource("deep", "The Rigorous Widget Monograph", ["Cat Gamma"], kind="book", level="advanced",
                         math_depth="proof-heavy", topics=["rigorous-widgets", "widgets"],
                         prerequisites=["widgets", "algebra"], access="paid"),
        "alg": Resource("alg", "Algebra for Everyone", ["Dan Delta"], kind="book", level="intro",
                        math_depth="moderate", topics=["algebra"], access="free"),
    }
    reader = IntentReader(books)
    ranker = ResourceRanker(books, topics, TopicMatcher(topics))

    def ask(question: str) -> list[str]:
        sig = ranker.signals(question, reader.read(question), lambda text: {rid: 0.5 for rid in books}, [])
        return [m.resource.id for m in ranker.rank(sig, 4, None, [])]

    return ask


def test_a_follow_up_leaves_x_out_and_moves_along_the_depth_axis_both_ways():
    ask = _catalog()
    harder = ask("Widgets in Practice and Theory was too applied for me, what next on widgets?")
    assert "middle" not in harder and harder[0] == "deep"
    easier = ask("Widgets in Practice and Theory was too hard, something gentler on widgets?")
    assert "middle" not in easier and easier[0] == "gentle"
    # "done" in a title is not the learner being done with it
    assert IntentReader({"r": Resource("r", "Widgets Done Right", ["Eve Eps"])}).read(
        "is Widgets Done Right good?").moves_away is False


def test_before_x_ranks_what_teaches_x_prerequisites_and_never_x():
    ask = _catalog()
    ranked = ask("what should I learn before The Rigorous Widget Monograph?")
    assert "deep" not in ranked and set(ranked[:3]) == {"alg", "middle", "gentle"}
    assert ranked[0] == "alg"  # a foundation that presupposes nothing the learner may lack comes first
    # the prerequisite the learner names comes first
    assert ask("which widgets book should I read before The Rigorous Widget Monograph?")[0] in ("middle", "gentle")


def test_a_comparison_is_decided_by_the_stated_criterion_relative_to_the_candidates():
    ask = _catalog()
    # neither is "gentle" in absolute terms, but the intermediate one is the gentler of the two
    assert ask("Widgets in Practice and Theory or The Rigorous Widget Monograph, which is friendlier?")[0] == "middle"
    assert ask("Widgets in Practice and Theory or The Rigorous Widget Monograph, which has more proofs?")[0] == "deep"
    assert ask("A Gentle Widget Primer vs The Rigorous Widget Monograph as my very first widgets book")[0] == "gentle"


def test_a_name_given_in_the_catalog_beats_the_same_surname_of_another_record():
    books = {
        "old": Resource("old", "Pattern Things", ["Chris Smith"], kind="book", aliases=["Smith"]),
        "new": Resource("new", "Deep Things", ["Chris Smith", "Hugo Smith"], kind="book"),
    }
    reader = IntentReader(books)
    assert reader.read("Smith's book on patterns").mentioned == ["old"]
    assert reader.read("the Smiths' deep things book").mentioned[0] == "new"


def test_a_named_resource_is_left_out_when_the_learner_asks_for_something_after_it():
    reader = IntentReader(SHELF)
    for q in ("read ISL cover to cover, what should I read next?", "ISL done. next?",
              "ISL was great for regression but it has no proofs. what free book covers the theory?",
              "did ISL, it was basically code. I'd like lecture videos that explain why lasso works",
              "I want to read ESL but my probability is weak. what should I read first?",
              "ESL assumes I know regression. how do I prep?"):
        intent = reader.read(q)
        assert intent.moves_away or intent.wants_prerequisites, q
    # a lookup of the named resource itself, or a choice that includes it, keeps it
    for q in ("ESL chapter 7 keeps getting cited, which book is that?", "ISL videos and labs, where do I get them?",
              "ESL vs the other Hastie book, which one has the lasso path?", "is ESL free?",
              "I'm reading ESL. Which chapter covers the lasso?", "In ESL, what is the difference between ridge and lasso?",
              "Is ESL free, or is there any cost?", "Is ESL next semester's textbook worth it?",
              "do they cover regression first in ESL?"):
        intent = reader.read(q)
        assert not (intent.moves_away or intent.wants_prerequisites), q
    for q in ("is ESL too hard for a beginner?", "ESL - what does it cover and do I need probability first?",
              "is ESL a good book for a first course?", "ESL, is it free?"):
        intent = reader.read(q)
        assert intent.about == ["esl"] and not (intent.moves_away or intent.wants_prerequisites), q


def test_a_yes_no_question_about_a_named_resource_keeps_it_but_a_request_for_another_moves_away():
    reader = IntentReader(SHELF)
    for q in ("ESL was too hard, is there something easier?", "ESL was too hard. Do you know a gentler book?",
              "I found ESL too hard - what should I read instead?", "did ESL, loved it, now want more theory"):
        intent = reader.read(q)
        assert intent.moves_away and not intent.about, q
    # the question is about the one it asks after, though it names the other
    intent = reader.read("I found ESL too hard. Is ISL better?")
    assert intent.about == ["isl"] and intent.mentioned[0] == "isl" and not intent.moves_away


def test_papers_wait_for_a_question_that_asks_for_one_and_free_wins_a_tie():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import WEIGHTS, ResourceRanker

    topics = {"backprop": Topic("backprop", "Backpropagation")}
    shelf = {
        "paper": Resource("paper", "Learning Representations by Error Propagation", ["Ann Alpha"], kind="paper",
                          topics=["backprop"], access="free"),
        "zbook": Resource("zbook", "Neural Nets by Hand", ["Bob Beta"], kind="book", topics=["backprop"],
                          access="free"),
        "abook": Resource("abook", "Neural Nets Handbook", ["Cat Gamma"], kind="book", topics=["backprop"],
                          access="paid"),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, topics, TopicMatcher(topics))

    def ask(question: str, weights=WEIGHTS) -> list[str]:
        sig = ranker.signals(question, reader.read(question), lambda text: {rid: 0.5 for rid in shelf}, [])
        return [m.resource.id for m in ranker.rank(sig, 3, None, [], weights)]

    # teaching texts first; ties go by id ("abook" first) ...
    assert ask("how does backpropagation work?") == ["abook", "zbook", "paper"]
    # ... unless a free prior is weighted in (round 5's cross-validation set it to 1, no prior)
    assert ask("how does backpropagation work?", {**WEIGHTS, "free": 1.1}) == ["zbook", "abook", "paper"]
    for q in ("the original backpropagation paper", "who introduced backpropagation?",
              "where does backpropagation come from?"):
        assert ask(q)[0] == "paper", q
    assert ask("which free book teaches backpropagation?")[0] == "zbook"
    # access said: the preference decides, with no prior on top of it
    q = "which free book teaches backpropagation?"
    assert not ranker.signals(q, reader.read(q), lambda text: {}, []).free


def test_a_choice_between_two_named_resources_is_decided_by_a_stated_need():
    from advisor.search.intent import attribute_preferences
    from advisor.search.recommend import closest

    free = Resource("f", "Free Widgets", ["A B"], kind="book", access="free")
    paid = Resource("p", "Paid Widgets", ["C D"], kind="course", access="paid")
    factors = closest(attribute_preferences("I'd like a free PDF"), [free, paid])
    assert factors["f"] == 1.0 and factors["p"] < 1.0
    factors = closest(attribute_preferences("I want a video course"), [free, paid])
    assert factors["p"] == 1.0 and factors["f"] < 1.0
    ask = _catalog()
    # both cover widgets; only one is free
    assert ask("The Rigorous Widget Monograph or A Gentle Widget Primer? I'd like a free PDF")[0] == "gentle"
    assert ask("A Gentle Widget Primer or Widgets in Practice and Theory? I'd like a free PDF")[0] == "gentle"


def test_a_typed_out_title_beats_the_authors_other_record_and_a_stated_gap_is_a_foundation_to_teach():
    rs = {"paper": Resource("paper", "Auto-Encoding Variational Bayes", ["Diederik P. Kingma", "Max Welling"],
                            kind="paper"),
          "tutorial": Resource("tutorial", "An Introduction to Variational Autoencoders", ["Diederik P. Kingma",
                               "Max Welling"], kind="paper", aliases=["Kingma and Welling VAE tutorial"])}
    reader = IntentReader(rs)
    assert reader.read("Kingma and Welling's autoencoding variational Bayes").mentioned == ["paper"]
    assert reader.read("the Kingma and Welling VAE tutorial").mentioned == ["tutorial"]
    intent = IntentReader(SHELF).read("before ESL, what first? my probability is weak but I know regression")
    assert intent.wants_prerequisites and intent.lacks == "my probability is weak"
    # the topic the learner lacks is asked for even when X covers it too (and is not among X's prerequisites)
    ranker, reader = _ranker(SHELF)
    q = "thinking about the Graphical Models Treatise but I've never done graphical models. what first?"
    intent = reader.read(q)
    wanted, excluded = ranker._axis(intent, ranker.matcher.find(intent.rest), [SHELF["pgm"]],
                                    ranker.matcher.find(intent.lacks))
    assert excluded == {"pgm"} and wanted["graphical-models"] == 1.0 and 0 < wanted["probability"] < 1.0
    wanted, _ = ranker._axis(intent, ranker.matcher.find(intent.rest), [SHELF["pgm"]])
    assert "graphical-models" not in wanted


def test_a_mistyped_topic_word_is_set_right_only_when_no_dictionary_knows_it():
    from advisor.search.spelling import Speller

    english = {"learn", "processes", "from", "scratch", "heard", "invented", "that", "probability"}
    speller = Speller(["Gaussian processes", "Probability", "Inverted index", "Markov chains"], ["Hardt wrote"],
                      english)
    assert speller.fix("learn gausian processes from scratch") == "learn gaussian processes from scratch"
    assert speller.fix("markov chians") == "markov chains"  # a swap
    assert speller.fix("who invented it? I heard thats it") == "who invented it? I heard thats it"
    # without a dictionary nothing changes: only a dictionary says "heard" is a word
    assert Speller(["Gaussian processes"], [], set()).fix("gausian processes") == "gausian processes"
    # two topic words one edit away: no guess
    assert Speller(["ranking", "banking"], [], {"x"}).fix("ganking") == "ganking"
    # exactly one edit: "chuang" and "change" share a deletion ("chang") but are two edits apart; names are known
    speller = Speller(["change point detection", "Hilbert spaces"], [], {"notes", "spaces"},
                      authors=["Isaac Chuang"])
    assert speller.fix("Chuang's notes") == "Chuang's notes"
    assert speller.fix("chaneg point") == "change point"
    assert speller.fix("Hilbrt spaces") == "Hilbert spaces"  # the capital kept
    assert speller.fix("Stéphane") == "Stéphane"  # not a fragment of a word with other letters
    # authors' surnames are set right too: "Trefethan and Bau"
    speller = Speller(["Numerical analysis"], [], {"and", "book"}, authors=["Lloyd N. Trefethen", "David Bau"])
    assert speller.fix("Trefethan and Bau book") == "Trefethen and Bau book"


def test_an_everyday_word_stays_unless_said_as_a_misspelt_authors_name():
    from advisor.search.spelling import Speller, english_dictionary

    speller = Speller(["logit", "hinge loss", "silver"], [], {"is", "this", "the", "josh", "a", "on"},
                      authors=["Josh Starmer", "David Silver"], dictionary=english_dictionary())
    assert speller.fix("is this legit") == "is this legit"  # not "logit"
    assert speller.fix("binge the lectures") == "binge the lectures"  # not "hinge"
    assert speller.fix("a solver on the side") == "a solver on the side"  # not "silver"
    assert speller.fix("Josh Stammer") == "Josh Starmer"  # a name: capitalised, one edit from a surname
    assert speller.fix("a lagit model") == "a logit model"  # no dictionary word: set right as before


def test_the_friendlier_of_two_books_of_one_depth_is_the_lower_level_and_weak_maths_asks_for_gentle():
    from advisor.search.intent import attribute_preferences
    from advisor.search.recommend import closest

    a = Resource("a", "Concentration for Beginners", ["A B"], level="intermediate", math_depth="proof-heavy")
    b = Resource("b", "Concentration Treatise", ["C D"], level="advanced", math_depth="proof-heavy")
    friendly = closest(attribute_preferences("which is friendlier?"), [a, b])
    assert friendly["a"] > friendly["b"]
    rigorous = closest(attribute_preferences("which has more proofs?"), [a, b])
    assert rigorous["a"] == rigorous["b"]  # a wish for proofs says nothing of level
    assert attribute_preferences("my math is weak, which one?")["math_depth"] == ("applied", "moderate")


def test_asking_for_a_textbook_counts_against_a_video_course_but_not_the_other_way():
    from advisor.search.intent import attribute_preferences
    from advisor.search.recommend import preference_counts

    course = Resource("c", "Machine Learning (MOOC)", ["A B"], kind="course")
    book = Resource("b", "Machine Learning: A Textbook", ["C D"], kind="book")
    assert preference_counts(course, attribute_preferences("a gentle first textbook on ML")) == (0, 1)
    assert preference_counts(book, attribute_preferences("a gentle first textbook on ML")) == (1, 0)
    assert preference_counts(book, attribute_preferences("video lectures on ML")) == (0, 0)  # a book may come with lectures
    assert preference_counts(course, attribute_preferences("a book or a course on ML")) == (1, 0)


def test_before_a_paper_the_answer_teaches_rather_than_being_another_paper():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    topics = {"vi": Topic("vi", "Variational inference"), "diffusion": Topic("diffusion", "Diffusion models",
                                                                             prerequisites=["vi"])}
    shelf = {
        "ddpm": Resource("ddpm", "Denoising Diffusion Models", ["A B"], kind="paper", topics=["diffusion"],
                         prerequisites=["vi"]),
        "svi": Resource("svi", "Stochastic Variational Methods", ["C D"], kind="paper", topics=["vi"]),
        "notes": Resource("notes", "Variational Inference Notes", ["E F"], kind="lecture-notes", topics=["vi"]),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, topics, TopicMatcher(topics))
    for q, first in (("what should I read before the Denoising Diffusion Models paper?", "notes"),
                     ("read the Denoising Diffusion Models paper, what next?", None)):
        sig = ranker.signals(q, reader.read(q), lambda text: {rid: 0.5 for rid in shelf}, [])
        assert ("svi" in sig.unasked) == (first is not None), q
        ranked = [m.resource.id for m in ranker.rank(sig, 3, None, [])]
        assert "ddpm" not in ranked and (first is None or ranked[0] == first), q


def test_what_presupposes_x_subject_comes_after_x_and_a_study_step_prefers_a_text_to_a_paper():
    from advisor.search.intent import Intent
    from advisor.search.preferences import axis_factor

    x = Resource("x", "Widgets Explained", ["A B"], level="intermediate", topics=["widgets"], prerequisites=["algebra"])
    follow = Resource("f", "Widget Exercises", ["C D"], level="intro", topics=["algebra"], prerequisites=["widgets"])
    plain = Resource("p", "Algebra Basics", ["E F"], level="intro", topics=["algebra"])
    before = Intent(mentioned=["x"], wants_prerequisites=True)
    assert axis_factor(before, [x], follow, {"algebra": 1.0}) < 0.5
    assert axis_factor(before, [x], plain, {"algebra": 1.0}) == 1.0

    paper = Resource("paper", "Widgets: A New Method", ["G H"], kind="paper", topics=["widgets"], access="free")
    book = Resource("book", "The Widget Book", ["I J"], kind="book", topics=["algebra", "gadgets", "sprockets",
                                                                            "widgets"], access="paid")
    assert best_resource_for("widgets", {"paper": paper, "book": book}, set())[0] is book
    assert best_resource_for("widgets", {"paper": paper}, set())[0] is paper  # nothing else covers it


def test_a_name_after_not_the_is_left_out_and_a_year_counts_only_when_no_resource_is_named_beside_it():
    reader = IntentReader(SHELF)
    intent = reader.read("the Hastie book on statistical learning, not the ESL one")
    assert intent.refused == ["esl"] and "esl" not in intent.mentioned
    assert reader.read("the 2015 paper on regression").years == (2015,)
    assert reader.read("I know ESL is from 2009, what came before it?").years == ()
    assert reader.read("I have not read ESL yet, is it free?").about == ["esl"]


def test_more_ways_of_asking_for_prerequisites_and_of_asking_about_the_named_resource():
    reader = IntentReader(SHELF)
    for q in ("going to read ESL next week, what should I brush up on?", "want to read ESL, what should come before it?",
              "planning on ESL, what's the gap?", "ESL lost me, what background am I missing?"):
        assert reader.read(q).wants_prerequisites, q
    for q in ("ESL - too hard if all I know is regression? and is there a free pdf", "ESL, any good?"):
        intent = reader.read(q)
        assert intent.about == ["esl"] and not (intent.moves_away or intent.wants_prerequisites), q
    for q in ("ESL is 700 pages. Shorter free intro to the lasso?", "ESL feels dated, looking for a modern book",
              "read ESL; where's the Bayesian version of the same models?"):
        assert reader.read(q).moves_away, q


def test_a_refused_kind_and_a_paid_book_when_free_is_asked_count_against_a_resource():
    from advisor.search.intent import attribute_preferences
    from advisor.search.recommend import preference_counts

    prefs = attribute_preferences("a free article on matrix calculus, not a whole course")
    assert "course" in prefs["avoid_kind"] and "course" not in prefs.get("kind", ())
    assert preference_counts(Resource("c", "C", kind="course", access="free"), prefs) == (1, 1)
    assert preference_counts(Resource("b", "B", kind="book", access="paid"), prefs) == (0, 1)
    assert preference_counts(Resource("p", "P", kind="paper", access="free"), prefs) == (2, 0)  # free, an article
    assert attribute_preferences("I prefer reading over watching videos")["avoid_kind"] == ("video-series", "course")
    assert attribute_preferences("cant pay for the book")["access"] == ("free", "free-online")
    assert attribute_preferences("ridge vs lasso with no equations please")["math_depth"] == ("applied", "moderate")
    assert min(attribute_preferences("a modern textbook on deep nets")["year"]) >= 2015


def test_after_a_paper_what_builds_on_it_comes_first_and_earlier_asks_for_its_predecessors():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    topics = {t: Topic(t, t.replace("-", " ")) for t in ("gan", "wgan", "f-divergences")}
    shelf = {
        "wgan": Resource("wgan", "Wasserstein Generative Networks", ["Ann Arjo"], kind="paper", year=2017,
                         level="advanced", math_depth="rigorous", topics=["wgan", "gan"], prerequisites=["gan"]),
        "gp": Resource("gp", "Improved Wasserstein Training", ["Ish Gul"], kind="paper", year=2017, level="advanced",
                       math_depth="rigorous", topics=["wgan", "gan"], prerequisites=["wgan"]),
        "principled": Resource("principled", "Principled Generative Training", ["Leo Bot"], kind="paper", year=2017,
                               level="advanced", math_depth="proof-heavy", topics=["gan", "f-divergences"],
                               prerequisites=["gan"]),
        "gan": Resource("gan", "Generative Adversarial Nets", ["Ian Good"], kind="paper", year=2014,
                        level="advanced", math_depth="rigorous", topics=["gan"]),
    }
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)

    def ranked(q):
        sig = ranker.signals(q, reader.read(q), lambda text: {rid: 0.5 for rid in shelf}, [])
        return [m.resource.id for m in ranker.rank(sig, 4, None, [])]

    assert ranked("finished the Wasserstein Generative Networks paper; what's the next paper on gan?")[0] == "gp"
    assert reader.read("Wasserstein Generative Networks: gans go back further, what was the earlier paper?"
                       ).direction == "earlier"
    q = "Wasserstein Generative Networks: gans go back further, what was the earlier paper?"
    sig = ranker.signals(q, reader.read(q), lambda text: {rid: 0.5 for rid in shelf}, [])
    assert sig.axis["gan"] == 1.0 > sig.axis["gp"]  # older than X is ahead, X's own year level with it


def test_what_the_learner_already_knows_is_not_what_they_ask_for():
    from advisor.search.intent import known_clauses

    assert known_clauses("PhD student, solid on convex optimization and probability. Want a learning theory book") \
        == ["solid on convex optimization and probability"]
    assert known_clauses("gaussians fine, neural nets fine, but the ELBO is new to me") == ["gaussians fine",
                                                                                             "neural nets fine"]
    for said in ("where do I get comfortable with gaussians?", "the book assumes I'm fluent with gaussians",
                 "I know nothing about optimal transport", "I know there was an earlier paper",
                 "I'm not comfortable with proofs"):
        assert known_clauses(said) == [], said
    ranker, reader = _ranker(SHELF)
    # "probability" is known: the learner asks for graphical models, not for the probability book
    ranked = _ranked(ranker, reader, "I am solid on probability. Which book on graphical models?")
    assert ranked[0] == "pgm" and "prob" not in ranked[:2]


def test_what_the_learner_had_once_and_forgot_is_a_gap_not_known():
    from advisor.search.intent import known_clauses
    from advisor.search.intent.background import lack_clauses

    said = "retired engineer, did probability back in the 80s, remember nothing. want a book to relearn it"
    assert known_clauses(said) == []
    assert "probability" in lack_clauses(said)
    assert known_clauses("I took calculus in college but forgot everything") == []
    assert known_clauses("I took calculus in college and remember it well") != []
    ranker, reader = _ranker(SHELF)
    assert _ranked(ranker, reader, said)[0] == "prob"


def test_the_order_a_record_advises_in_its_own_text_links_it_to_the_records_it_names():
    from advisor.search.advice import Advice

    shelf = {
        "gvl": Resource("gvl", "Matrix Computations", ["Gene Golub", "Charles Van Loan"], description=(
            "The reference for matrix algorithms. Learn the ideas first from Trefethen and Bau, and use Horn and "
            "Johnson for matrix theory rather than algorithms.")),
        "tb": Resource("tb", "Numerical Linear Algebra", ["Lloyd Trefethen", "David Bau"], description=(
            "A first course on matrix algorithms. It is the natural preparation for Golub and Van Loan.")),
        "hj": Resource("hj", "Matrix Analysis", ["Roger Horn", "Charles Johnson"], description="Matrix theory."),
        "intro": Resource("intro", "Friendly Matrices", ["Ann Other"], description=(
            "A gentle start. Follow it with Trefethen and Bau when you need algorithms.")),
    }
    advice = Advice(shelf, IntentReader(shelf))
    assert advice.before["gvl"] == {"tb": 1.0}  # Horn and Johnson is named without an order
    assert advice.after["tb"]["gvl"] == 1.0 and advice.after["intro"] == {"tb": 1.0}
    assert advice.before["tb"]["intro"] == 0.5  # said in the other record's text: less direct
    assert advice.next_to([shelf["gvl"], shelf["intro"]], "before") == {"tb": 1.0}


def test_a_gap_then_a_request_asks_for_foundations_and_a_title_used_as_a_phrase_names_nothing_in_lowercase():
    from advisor.search.intent import attribute_preferences

    reader = IntentReader(SHELF)
    intent = reader.read("ESL uses the lasso and I have no background in regression. what to read?")
    assert intent.wants_prerequisites
    assert not reader.read("ESL was great. what to read next on the lasso?").wants_prerequisites
    books = {"cvx": Resource("cvx", "Convex Optimization", ["Stephen Boyd"], description=(
        "For engineers: convex optimization problems, convex optimization duality, convex optimization methods."))}
    assert IntentReader(books).read("a free book on online convex optimization").mentioned == []
    assert IntentReader(books).read("Boyd's Convex Optimization").mentioned == ["cvx"]
    assert attribute_preferences("optimal transport, rigorously")["math_depth"] == ("rigorous", "proof-heavy")
    assert "level" not in attribute_preferences("optimal transport, but not Villani as a first read")
    assert attribute_preferences("a quick refresher")["kind"] == ("cheatsheet", "lecture-notes", "tutorial")


def test_between_two_records_that_fit_as_well_the_one_the_catalog_points_to_more_comes_first():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import WEIGHTS, ResourceRanker

    topics = {"vc": Topic("vc", "VC dimension"), "other": Topic("other", "Other things")}
    shelf = {
        "niche": Resource("niche", "Learning Bounds Monograph", ["Ann Able"], topics=["vc"]),
        "std": Resource("std", "Learning Bounds Textbook", ["Bob Baker"], topics=["vc"]),
        **{f"r{i}": Resource(f"r{i}", f"Other Record {i}", ["Cy Cole"], topics=["other"], related=["std"],
                             description="Read the Learning Bounds Textbook first." if i % 2 else "")
           for i in range(4)},
    }
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)
    assert ranker.authority["std"] == 1.0 and "niche" not in ranker.authority
    q = "a book on VC dimension"
    sig = ranker.signals(q, reader.read(q), lambda text: {"niche": 0.5, "std": 0.5}, [])
    assert [m.resource.id for m in ranker.rank(sig, 2, None, [])] == ["std", "niche"]
    # with no authority weight the tie falls back to the id order: the test above is not won by chance
    assert [m.resource.id for m in ranker.rank(sig, 2, None, [], {**WEIGHTS, "authority": 0.0})] == ["niche", "std"]


def test_a_gentler_way_into_x_before_x_is_a_move_down_and_a_qualified_wish_keeps_a_question_about_x():
    reader = IntentReader(SHELF)
    intent = reader.read("I'd like to read ESL but proofs scare me. Is there a gentler book on the same ideas first?")
    assert intent.moves_away and intent.direction == "easier" and not intent.wants_prerequisites
    assert reader.read("ESL lost me, what background am I missing?").wants_prerequisites  # foundations asked
    for q in ("ESL as a first stats text - bad idea?",
              "does ESL have exercises with solutions? want something i can self study from"):
        assert reader.read(q).about == ["esl"], q
    assert reader.read("is ESL any good? if not, what else should I read?").about == []


def test_a_platform_in_one_title_names_that_record_and_a_volume_number_picks_between_two():
    books = {
        "ud": Resource("ud", "Intro to Machine Learning (Udacity UD120)", ["Sebastian Thrun"], kind="course"),
        "py": Resource("py", "Statistical Learning (with Applications in Python)", ["Gareth James"],
                       description="Labs in Python."),
        "other": Resource("other", "Another Book (Athena Scientific)", ["Dimitri Bert"],
                          description="Python code. Python labs."),
        "third": Resource("third", "A Third Book", ["Ann Other"], description="Exercises in Python."),
        "p1": Resource("p1", "Probabilistic Machine Learning: An Introduction", ["Kevin Murphy"],
                       aliases=["PML book 1"]),
        "p2": Resource("p2", "Probabilistic Machine Learning: Advanced Topics", ["Kevin Murphy"],
                       aliases=["PML book 2"]),
    }
    reader = IntentReader(books)
    assert reader.read("did udacity's course, what next?").mentioned == ["ud"]
    assert reader.read("a python book on statistics").mentioned == []  # a word many records use
    assert reader.read("a scientific computing book").mentioned == []  # a publisher's word, not a name
    assert reader.read("finished murphy's probabilistic ML book 1, what next?").mentioned == ["p1"]
    assert set(reader.read("murphy's probabilistic ML books").mentioned) == {"p1", "p2"}


def test_content_the_learner_does_not_want_counts_against_records_about_it_or_presupposing_it():
    from advisor.search.intent import attribute_preferences, known_clauses
    from advisor.search.recommend import preference_counts

    reader = IntentReader(SHELF)
    assert reader.read("a probability book, calc only, no measure theory please").unwanted.startswith("measure theory")
    # said of X, or a gap the learner states, it is not a wish
    assert reader.read("ESL is hand-wavy, no regret proofs. what next?").unwanted == ""
    assert reader.read("a book on lasso? I have no background in regression").unwanted == ""
    assert reader.read("whats the original lasso paper? not ESL, the first one").unwanted == ""
    measure = Resource("m", "Measure Things", ["A B"], topics=["measure-theory"])
    needs = Resource("n", "Graduate Chance", ["C D"], topics=["probability"], prerequisites=["measure-theory"])
    plain = Resource("p", "Chance", ["E F"], topics=["probability"])
    prefs = {"avoid_topic": ("measure-theory",)}
    assert [preference_counts(r, prefs)[1] for r in (measure, needs, plain)] == [1, 1, 0]
    assert attribute_preferences("not interested in proofs, I learn best by doing")["math_depth"] == ("applied",
                                                                                                     "moderate")
    assert "book" in attribute_preferences("a course with homework rather than just read a book")["avoid_kind"]
    assert reader.read("one free book on the maths so I can eventually read ESL").wants_prerequisites
    assert known_clauses("2nd year undergrad, had probability and a bit of markov chains") == [
        "had probability and a bit of markov chains"]


def test_a_name_that_is_also_a_topic_stays_in_what_is_asked_beyond_the_names():
    books = {"blm": Resource("blm", "Concentration Inequalities: A Nonasymptotic Theory", ["Stéphane Boucheron",
                                                                                            "Gábor Lugosi"])}
    intent = IntentReader(books, ["Concentration inequalities"]).read(
        "Boucheron and Lugosi for concentration inequalities is too hard, anything gentler?")
    assert intent.mentioned == ["blm"] and "concentration inequalities" in intent.rest
    assert "concentration inequalities" not in IntentReader(books).read(
        "Boucheron and Lugosi for concentration inequalities is too hard, anything gentler?").rest


def test_faster_than_i_watch_is_no_move_and_or_is_there_something_is_no_choice():
    reader = IntentReader(SHELF)
    assert not reader.read("ESL videos - are there written notes? I read faster than I watch").moves_away
    assert reader.read("is there anything more rigorous than ISL?").moves_away
    intent = reader.read("finished ISL. Is ESL a good next book or is there something gentler?")
    assert not intent.compares
    assert reader.read("ISL vs ESL or the course, which one?").compares
    for q in ("ESL uses the lasso, which I've never seen. what should I read to follow it?",
              "I've never studied regression at all. ESL keeps coming up, what should come first?"):
        assert reader.read(q).wants_prerequisites, q
    assert reader.read("I have never done regression (no lasso, no ridge). which book?").unwanted == ""


def test_a_question_after_a_colon_is_about_the_name_before_it():
    assert IntentReader(SHELF).read("ESL lectures: free? I want the theory in lecture form").about == ["esl"]


def test_a_move_on_that_asks_no_more_depth_goes_sideways_and_a_lower_record_is_not_pushed_behind():
    ranker, reader = _ranker(SHELF)

    def axis(q):
        return ranker.signals(q, reader.read(q), lambda text: {}, []).axis

    assert axis("finished ESL, it says nothing on neural networks. next book?")["dl"] == 0.6
    assert axis("finished ESL, want something more rigorous on neural networks")["dl"] == 0.3


def test_a_verdict_on_the_named_resource_or_is_there_a_other_moves_away_from_it():
    reader = IntentReader(SHELF)
    terse = reader.read("ESL is super terse, i followed maybe half of it. is there a longer treatment?")
    assert terse.moves_away and terse.direction == "easier"
    assert reader.read("ISL is pretty hand-wavy, no proofs. I need the lasso with guarantees").deeper
    assert reader.read("reading ESL and i dont get the lasso. is there a course-level intro?").moves_away
    assert reader.read("i want to read ESL but is there a tutorial I should do first?").wants_prerequisites
    # a question about X itself stays about X; "dense in C" is maths, not a verdict
    assert not reader.read("is ESL too hard for me?").moves_away
    assert reader.read("ESL says polynomials are dense in C, is it right?").direction == "harder"


def test_what_x_leaves_out_is_a_move_sideways_at_x_level():
    ranker, reader = _ranker(SHELF)
    intent = reader.read("Finished ESL. It says nothing on graphical models, what next?")
    assert intent.sideways and not intent.deeper
    # the graphical-models treatise sits at ESL's level and depth: no step back for being level with it
    assert _ranked(ranker, reader, "Finished ESL. It says nothing on graphical models, what next?")[0] == "pgm"
    sig = ranker.signals("Finished ESL, what next for graphical models?",
                         reader.read("Finished ESL, what next for graphical models?"), lambda text: {}, [])
    assert sig.axis["pgm"] < 1.0  # a plain next step still wants a step past ESL


def test_the_named_resource_said_again_is_no_wish_for_its_kind():
    reader = IntentReader(SHELF)
    intent = reader.read("Worked through ISL (the free one). The book barely touched graphical models. What next?")
    assert "free" not in intent.rest and "book" not in intent.rest.lower()
    assert intent.sideways
    assert "book" in reader.read("Worked through ISL. Which is the book on graphical models to read?").rest


def test_known_and_lacked_by_making_sense():
    from advisor.search.intent import known_clauses

    assert known_clauses("Boyd done, duality finally makes sense. But SGD?") == \
        ["Boyd done", "duality finally makes sense"]
    assert known_clauses("conditional distributions dont really make sense to me") == []
    assert known_clauses("beginner RL resource, I only have basic probability") == ["I only have basic probability"]
    assert known_clauses("never took functional analysis, just real analysis") == ["just real analysis"]
    assert known_clauses("just want to see what backprop does, no heavy maths") == []


def test_the_named_records_own_advice_beats_the_labels_it_shares():
    shelf = {**SHELF, **_treatise_and_its_way_in(),
             "other": Resource("other", "Chance Again", ["Cy Same"], level="advanced", math_depth="proof-heavy",
                               topics=["probability"])}
    ranker, reader = _ranker(shelf)
    question = "Concentration Treatise is way over my head, anything friendlier on probability?"
    sig = ranker.signals(question, reader.read(question), lambda text: {}, [])
    assert sig.values["advised"].get("gentle") == 1.0
    assert sig.axis["gentle"] == 1.0 and sig.axis["other"] < 1.0  # same labels, only one vouched for
    assert sig.prefs["gentle"][1] == 0 and sig.prefs["other"][1] >= 1


def test_a_goal_then_a_gap_asks_for_what_comes_before_the_goal():
    reader = IntentReader(SHELF)
    intent = reader.read("I want to read ESL but I've never seen probability. gentle starting point?")
    assert intent.wants_prerequisites and intent.mentioned == ["esl"]
    assert not reader.read("I read ESL but I've never seen probability used like that").wants_prerequisites


def test_a_foundation_text_listing_every_gap_is_not_too_far_below_it():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    topics = {t: Topic(t, n, prerequisites=p) for t, n, p in
              [("calculus", "calculus", []), ("gradient", "gradients", ["calculus"]),
               ("lagrange", "lagrange multipliers", ["gradient"]), ("optimization", "optimization", ["lagrange"]),
               ("svm", "svm", ["optimization"])]}
    shelf = {
        "opt": Resource("opt", "Optimization Treatise", ["Ann Boyd"], level="advanced", math_depth="rigorous",
                        topics=["optimization", "lagrange"], prerequisites=["calculus"]),
        "opt2": Resource("opt2", "Constrained Problems", ["Bo Other"], level="advanced", math_depth="rigorous",
                         topics=["lagrange", "gradient", "optimization"]),
        "calc": Resource("calc", "Several Variables", ["Cy Teach"], level="intro", math_depth="moderate",
                         topics=["calculus", "svm", "optimization", "gradient", "lagrange"]),
        "short": Resource("short", "Calculus Basics", ["Di Teach"], level="intro", math_depth="moderate",
                          topics=["calculus", "gradient"]),
    }
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    reader = IntentReader(shelf)
    question = ("I want to read the Optimization Treatise for the svm stuff, but I never took calculus. "
                "no idea what lagrange multipliers or gradients really are")
    intent = reader.read(question)
    assert intent.wants_prerequisites
    sig = ranker.signals(question, intent, lambda text: {}, [])
    # the gaps are what is asked, not what the book is read for ("the svm stuff")
    assert sig.axis["calc"] == 1.0 and sig.axis["short"] < 1.0


def test_a_title_after_its_authors_possessive_is_part_of_the_name():
    prose = "convex optimization for learning. convex optimization again. convex optimization methods."
    books = {"cvx": Resource("cvx", "Convex Optimization", ["Stephen Boyd"], description=prose),
             "nw": Resource("nw", "Numerical Optimization", ["Jorge Nocedal", "Stephen Wright"], description=prose)}
    intent = IntentReader(books).read("boyd's convex optimization vs nocedal & wright: which one covers BFGS?")
    assert intent.compares and set(intent.mentioned) == {"cvx", "nw"}
    assert "convex" not in intent.rest.lower() and "BFGS" in intent.rest
    # a topic said after a possessive that is not the book's title stays asked
    assert "convex" in IntentReader(books).read("boyd's chapter on online convex optimization?").rest


def _treatise_and_its_way_in(heavy: str = "heavy", gentle: str = "gentle") -> dict[str, Resource]:
    """Two records with the same labels, the first one's text calling the second the friendlier way in."""
    return {heavy: Resource(heavy, "Concentration Treatise", ["Ann Heavy"], level="advanced", math_depth="proof-heavy",
                            topics=["probability"],
                            description="Too heavy as a first exposure: Gentle Chance is the friendlier entry point."),
            gentle: Resource(gentle, "Gentle Chance", ["Bo Kind"], level="advanced", math_depth="proof-heavy",
                             topics=["probability"])}


def test_which_is_friendlier_between_two_follows_the_catalogs_own_word():
    ranker, reader = _ranker(_treatise_and_its_way_in())
    assert _ranked(ranker, reader, "Concentration Treatise vs Gentle Chance, which is friendlier?")[0] == "gentle"
    assert _ranked(ranker, reader, "Gentle Chance vs Concentration Treatise, which is friendlier?")[0] == "gentle"
    # ids whose order would break a tie the other way
    ranker, reader = _ranker(_treatise_and_its_way_in("a-heavy", "z-gentle"))
    question = "for a first book on probability, Concentration Treatise or Gentle Chance?"
    sig = ranker.signals(question, reader.read(question), lambda text: {}, [])
    assert sig.values["advised"] == {"z-gentle": 1.0}  # "a first book" asks for the way in, as "friendlier" does
    assert _ranked(ranker, reader, question)[0] == "z-gentle"


def test_a_named_theorem_is_a_topic_not_a_wish_for_rigour():
    from advisor.search.intent import attribute_preferences

    assert "math_depth" not in attribute_preferences("play with the central limit theorem in the browser")
    assert "math_depth" not in attribute_preferences("where is the policy gradient theorem worked out?")
    assert attribute_preferences("a book that states the theorems and proves them")["math_depth"] == (
        "rigorous", "proof-heavy")


def test_what_is_not_wanted_counts_in_a_prerequisite_question_that_names_no_resource():
    ranker, reader = _ranker(SHELF)
    question = "Need a probability book for my ML prereqs. Calc background only, no graphical models."
    intent = reader.read(question)
    assert intent.wants_prerequisites and not intent.mentioned
    sig = ranker.signals(question, intent, lambda text: {}, [])
    assert sig.prefs["pgm"][1] >= 1 and sig.prefs["prob"][1] == 0


def test_a_level_refused_is_not_asked_and_a_middle_level_is():
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences("a mid-level ML course (not intro, not phd)")["level"] == ("intermediate",)
    assert attribute_preferences("a textbook between ISLR and ESL")["level"] == ("intermediate",)
    assert attribute_preferences("i am a beginner, not a phd")["level"] == ("intro",)
    assert "level" not in attribute_preferences("not a beginner book please")


def test_the_first_paper_before_x_is_earlier_in_time_not_a_prerequisite():
    papers = {"ddpm": Resource("ddpm", "Denoising Diffusion Probabilistic Models", ["Jonathan Ho"], kind="paper",
                               year=2020, aliases=["DDPM"], topics=["diffusion"]),
              "first": Resource("first", "Deep Unsupervised Learning", ["Jascha Sohl-Dickstein"], kind="paper",
                                year=2015, topics=["diffusion"])}
    intent = IntentReader(papers).read("What was the first diffusion model paper, before DDPM?")
    assert intent.direction == "earlier" and intent.moves_away and not intent.wants_prerequisites
    assert IntentReader(papers).read("what should I learn before DDPM?").wants_prerequisites


def test_a_finished_resource_is_behind_and_a_negated_wish_asks_nothing():
    reader = IntentReader(SHELF)
    done = reader.read("I finished ISL last semester but I've never taken a probability class. I want a course on it.")
    assert done.moves_away and not done.wants_prerequisites
    planned = reader.read("I want to read ESL but I've never taken a probability class. what first?")
    assert planned.wants_prerequisites
    about = reader.read("I'd like to read the ESL book, the part on the lasso. Not looking for heavy theory.")
    assert not about.moves_away


def test_what_a_learner_does_not_care_about_is_unwanted_and_depth_is_relative_only_when_compared():
    from advisor.search.preferences import relative_depth

    reader = IntentReader(SHELF)
    assert "graphical models" in reader.read("a regression book, I don't care about graphical models").unwanted
    named = [SHELF["esl"]]
    plain = reader.read("Finished ESL. I want a mathematical course on graphical models now")
    assert relative_depth({"math_depth": ("rigorous", "proof-heavy")}, plain, named)["math_depth"] == (
        "rigorous", "proof-heavy")
    more = reader.read("Finished ESL. I want something more mathematical now")
    assert relative_depth({"math_depth": ("rigorous", "proof-heavy")}, more, named)["math_depth"] == ("proof-heavy",)


def test_not_caring_about_theory_and_a_past_real_maths_ask_for_no_rigour():
    from advisor.search.intent import attribute_preferences

    prefs = attribute_preferences("last real maths was high school algebra. a linear algebra book, I don't care "
                                  "about eigenvalue theory")
    assert "math_depth" not in prefs
    assert attribute_preferences("i want the real math behind it")["math_depth"] == ("rigorous", "proof-heavy")


def test_kinds_the_learner_does_not_like_are_refused():
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences("I really don't like lecture videos, I'd rather read") == {
        "avoid_kind": ("video-series", "course")}
    assert attribute_preferences("a clear derivation, not another full lecture course")["avoid_kind"] == (
        "course", "video-series")
    assert attribute_preferences("by playing with visualisations, not by reading a textbook")["avoid_kind"] == (
        "book",)
    assert attribute_preferences("I want lecture videos") == {"kind": ("course", "video-series")}
    # a readable book says how it is written, not how much mathematics it has
    assert "math_depth" not in attribute_preferences("best print book on functional analysis that's readable")


def test_a_title_typed_in_full_names_it_not_a_shorter_title_inside_it():
    papers = {"wgan": Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], kind="paper"),
              "gp": Resource("gp", "Improved Training of Wasserstein GANs", ["Ishaan Gulrajani"], kind="paper")}
    reader = IntentReader(papers)
    assert reader.read("is Improved Training of Wasserstein GANs any good?").mentioned == ["gp"]
    assert reader.read("is the wasserstein gan paper any good?").mentioned == ["wgan"]


def test_advice_names_a_co_authors_other_record_and_reads_choose_it_after_and_et_al():
    from advisor.search.advice import Advice

    shelf = {
        "bbvi": Resource("bbvi", "Black Box Variational Inference", ["Rajesh Ranganath", "David Blei"], description=(
            "Score-function gradients for VI. Read Blei et al.'s VI review first; then compare with the VAE paper.")),
        "review": Resource("review", "Variational Inference: A Review for Statisticians", ["David Blei"],
                           aliases=["Blei VI review"], description="The first paper on VI."),
        "vae": Resource("vae", "Auto-Encoding Variational Bayes", ["Diederik Kingma"], aliases=["VAE paper"],
                        description="Amortised inference."),
        "flows": Resource("flows", "Variational Inference with Normalizing Flows", ["Danilo Rezende"], description=(
            "Planar and radial flows. Short; Papamakarios et al. Normalizing flows review is the follow-up.")),
        "nf": Resource("nf", "Normalizing Flows for Probabilistic Modeling", ["George Papamakarios"],
                       description="A long review. Choose it after the Rezende paper."),
    }
    advice = Advice(shelf, IntentReader(shelf))
    # BBVI's own author, Blei, names his other record here, not BBVI itself
    assert advice.before["bbvi"] == {"review": 1.0}
    assert advice.after["bbvi"]["vae"] == 1.0
    assert advice.after["flows"]["nf"] == 1.0  # "et al." does not end the sentence that says "follow-up"
    assert advice.before["nf"]["flows"] == 1.0  # "choose it after X": X comes first


def test_the_same_authors_and_the_same_course_are_wishes_met():
    shelf = dict(SHELF)
    shelf["esl"] = Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie", "Gareth James"],
                            aliases=["ESL"], level="advanced", math_depth="rigorous", topics=["regression"])
    shelf["other"] = Resource("other", "Regression Theory", ["Ann Deeper"], level="advanced",
                              math_depth="rigorous", topics=["regression"])
    ranker, reader = _ranker(shelf)
    question = "ISL was lovely but never derives anything. I'd like the more mathematical book by the same authors."
    assert reader.read(question).same_source
    assert _ranked(ranker, reader, question)[0] == "esl"
    assert not reader.read("ISL was lovely but never derives anything. A more mathematical book?").same_source


def test_what_the_learner_says_before_a_name_reads_a_topic_a_gap_and_a_request_right():
    topics = ["numerical linear algebra", "probability", "variational inference"]
    shelf = {
        "tb": Resource("tb", "Numerical Linear Algebra", ["Lloyd Trefethen"]),
        "gvl": Resource("gvl", "Matrix Computations", ["Gene Golub", "Charles Van Loan"]),
        "tel": Resource("tel", "Deep Learning Theory Lecture Notes", ["Matus Telgarsky"], kind="lecture-notes"),
        "cs": Resource("cs", "CS229 Cheatsheets", ["Afshine Amidi"], kind="cheatsheet"),
        "bbvi": Resource("bbvi", "Black Box Variational Inference", ["Rajesh Ranganath"], kind="paper"),
        "dl": Resource("dl", "Deep Learning", ["Ian Goodfellow"], aliases=["Goodfellow"]),
    }
    reader = IntentReader(shelf, topics)
    # a title that is a topic's name, in lower case, is the topic
    nla = reader.read("I'll need Golub & Van Loan eventually. What should I learn numerical linear algebra from "
                      "before it?")
    assert nla.mentioned == ["gvl"] and nla.wants_prerequisites
    assert reader.read("Is Numerical Linear Algebra a good first book?").mentioned == ["tb"]
    # asking what X recommends first asks for what comes before X, not about X
    first = reader.read("Telgarsky's notes look great, but learning theory is new to me. What foundation do they "
                        "recommend first?")
    assert first.wants_prerequisites and not first.about
    assert reader.read("Telgarsky's notes: what do they cover, and do I need probability first?").about == ["tel"]
    # a lack that names no subject is no gap to fill first
    assert not reader.read("The CS229 Cheatsheets are nice, but I can't learn from formulas with zero derivations. "
                           "I want full written notes.").wants_prerequisites
    assert reader.read("BBVI is next on my list, but I've never met variational inference. What's the "
                       "pre-reading?").wants_prerequisites
    assert reader.read("No calculus since school. I want to get to where I can follow ML textbooks.").wants_prerequisites
    assert reader.read("Taking BBVI next term; the notes say probability needs to be solid. Any maths "
                       "review for it?").wants_prerequisites
    # X judged too hard, then "what first?": a gentler way into X's own subject, not X's foundations
    dense = reader.read("Goodfellow is super dense and I keep bouncing off chapter 3. What do I read first?")
    assert dense.moves_away and dense.direction == "easier" and not dense.wants_prerequisites
    # "Free textbook ... ?" after X asks for another book; "it predates ..." is what X leaves out
    gap = reader.read("Goodfellow gave me foundations, but it predates transformers. Free textbook with good "
                      "figures that picks up where it leaves off?")
    assert gap.moves_away and gap.sideways and not gap.about


def test_words_next_to_a_shared_name_choose_the_record_not_words_elsewhere():
    shelf = {
        "course": Resource("course", "CS229: Machine Learning (Stanford)", ["Andrew Ng"], kind="course",
                           aliases=["CS229"]),
        "review": Resource("review", "Linear Algebra Review and Reference (CS229 section notes)", ["Zico Kolter"],
                           kind="lecture-notes", aliases=["CS229"]),
    }
    reader = IntentReader(shelf)
    assert reader.read("the CS229 linear algebra handout assumes too much").mentioned == ["review"]
    asked = "I want a course that takes me to the linear algebra and calculus that CS229 expects, ending with PCA."
    assert "course" in reader.read(asked).mentioned  # the title words far from the name no longer pick the notes
    assert reader.read("Starting Stanford CS229 next month. Linear algebra is fine, probability is not.").mentioned \
        == ["course"]


def test_a_refused_style_of_maths_and_a_kind_in_the_learners_past_are_not_wishes():
    from advisor.search.intent import attribute_preferences

    computed = attribute_preferences("I want to do the posterior computations step by step in R rather than "
                                     "reading theorems, formulas explained rather than derived")
    assert "math_depth" not in computed
    assert attribute_preferences("the proofs of the theorems, please")["math_depth"] == ("rigorous", "proof-heavy")
    past = attribute_preferences("Background: one intro stats class and I took a course on R. My first book on "
                                 "statistical learning?")
    assert past["kind"] == ("book",)
    assert attribute_preferences("a good class on convex optimization")["kind"] == ("course", "video-series")


def test_a_kind_said_after_a_name_names_the_record_of_that_kind_carrying_the_name():
    shelf = {
        "course": Resource("course", "Statistics 110: Probability (Harvard)", ["Joe Blitzstein"], kind="course",
                           aliases=["Stat 110"]),
        "sheet": Resource("sheet", "Probability Cheatsheet v2.0 (Harvard Stat 110)", ["William Chen"],
                          kind="cheatsheet"),
    }
    reader = IntentReader(shelf)
    assert reader.read("That Stat 110 probability cheatsheet is too condensed for me").mentioned == ["sheet"]
    assert reader.read("Stat 110 lectures were great, what next?").mentioned == ["course"]
    assert reader.read("Stat 110 was great, what next?").mentioned == ["course"]


def test_a_first_year_or_a_learner_not_yet_mathematically_mature_asks_for_the_intro_level():
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences("First-year undergrad, linear algebra textbook with proofs")["level"] == ("intro",)
    assert attribute_preferences("a proof-based book that doesn't assume I'm already mathematically mature"
                                 )["level"] == ("intro",)
    # never having written a proof is a gap, not a level: a graduate may still want a graduate course
    assert "level" not in attribute_preferences("Mech eng grad, never done proofs, I need duality and KKT")


def test_asking_a_rigorous_book_after_a_rigorous_one_is_no_step_past_it():
    shelf = {
        "boyd": Resource("boyd", "Convex Optimization", ["Stephen Boyd"], aliases=["Boyd"], level="advanced",
                         math_depth="rigorous", topics=["regression"]),
        "mid": Resource("mid", "Lasso Algorithms", ["Ann Other"], level="intermediate", math_depth="rigorous",
                        topics=["lasso", "regression"]),
        "peer": Resource("peer", "Sparse Models", ["Kay Author"], level="advanced", math_depth="rigorous",
                         topics=["lasso"]),
    }
    ranker, reader = _ranker(shelf)
    said = "Boyd is mostly modelling, yet I use the lasso day to day. I'd like a rigorous textbook on the lasso."
    intent = reader.read(said)
    assert intent.deeper and not intent.deeper_than
    # rigorous, as asked, on the lasso and more: one level below Boyd is not held back as if more depth were asked
    assert _ranked(ranker, reader, said)[0] == "mid"
    assert reader.read("Boyd was too applied, something more rigorous on the lasso?").deeper_than


def test_a_records_own_maths_review_is_advice_to_read_it_first():
    from advisor.search.advice import Advice

    shelf = {
        "course": Resource("course", "CS 189: Introduction to Machine Learning", ["Jonathan Shewchuk"], kind="course",
                           description="Berkeley's course. Garrett Thomas's math4ml notes were written as its maths "
                                       "review."),
        "notes": Resource("notes", "Mathematics for Machine Learning (CS 189 notes)", ["Garrett Thomas"],
                          aliases=["math4ml"], kind="lecture-notes", description="Notes."),
    }
    assert Advice(shelf, IntentReader(shelf)).before["course"] == {"notes": 1.0}


def test_what_follows_x_and_points_back_to_it_describes_x_not_the_learners_wish():
    shelf = {"dl": Resource("dl", "Deep Learning", ["Ian Goodfellow"], aliases=["Goodfellow"], year=2016)}
    reader = IntentReader(shelf)
    dated = reader.read("The Goodfellow book was great but it's from 2016 - no transformers. The modern equivalent?")
    # its year and what it lacks are X's, not a wish for a 2016 book without transformers; "equivalent" moves on
    assert dated.years == () and dated.unwanted == "" and dated.moves_away
    assert reader.read("Goodfellow was great. No transformers please, anything else?").unwanted.startswith("transformers")
    assert reader.read("The Goodfellow book lost me at the ELBO part").moves_away


def test_a_list_of_what_the_learner_had_is_known_and_a_gentle_first_book_before_x_is_a_gentler_way_in():
    shelf = {"cs229": Resource("cs229", "CS229: Machine Learning", ["Andrew Ng"], aliases=["CS229"], kind="course")}
    reader = IntentReader(shelf)
    intent = reader.read("undergrad. had calc, a bit of probability and some linear algebra. want a gentle first "
                         "ML textbook before I attempt CS229")
    assert intent.knows == ["had calc", "a bit of probability and some linear algebra"]
    assert intent.moves_away and not intent.wants_prerequisites and intent.direction == "easier"
    assert reader.read("what should I study before I tackle CS229?").wants_prerequisites
    assert reader.read("had no idea what CS229 covers, is it free?").knows == []


def test_a_lowercase_title_said_as_what_a_book_is_on_is_the_subject():
    shelf = {"hds": Resource("hds", "High-Dimensional Statistics: A Non-Asymptotic Viewpoint", ["Martin Wainwright"])}
    reader = IntentReader(shelf)
    assert reader.read("want a research-level book on high-dimensional statistics").mentioned == []
    assert reader.read("is High-Dimensional Statistics worth it?").mentioned == ["hds"]
    assert reader.read("high-dimensional statistics by wainwright, is it free?").mentioned == ["hds"]


def test_no_interest_in_proofs_is_applied_and_a_refused_size_is_neither_wanted_nor_refused():
    from advisor.search.intent import attribute_preferences

    applied = attribute_preferences("zero interest in proofs right now, I'll pick up the theory later")
    assert applied["math_depth"] == ("applied", "moderate")
    compact = attribute_preferences("short clean proofs, not a 600-page book")
    assert "kind" not in compact and "avoid_kind" not in compact
    assert attribute_preferences("a course with videos rather than a thick book")["kind"] == ("course", "video-series")
    assert attribute_preferences("something visual before i open a textbook")["avoid_kind"] == ("book",)
    assert attribute_preferences("not an ML book, the reference on Bayesian modelling")["kind"] == ("book",)
    assert "math_depth" not in attribute_preferences("so I can follow the maths in an ML course")
    assert attribute_preferences("a free linear algebra book that doesnt assume i'm 'mathematically mature'"
                                 )["level"] == ("intro",)


def test_a_gap_ending_a_statement_is_no_question_about_x_and_what_x_says_comes_first_is_asked_for():
    shelf = {"gpml": Resource("gpml", "Gaussian Processes for Machine Learning", ["Carl Rasmussen"], aliases=["GPML"]),
             "pte": Resource("pte", "Probability: Theory and Examples", ["Rick Durrett"], aliases=["Durrett"])}
    reader = IntentReader(shelf)
    rusty = reader.read("About to start GPML but my Gaussian algebra - conditionals, marginals - is rusty. "
                        "Where do I brush up?")
    assert rusty.about == [] and rusty.wants_prerequisites
    assert reader.read("I have GPML. is it too hard for me?").about == ["gpml"]
    said = reader.read("Want to read Durrett but it says measure theory first. Which measure theory book?")
    assert said.wants_prerequisites and said.mentioned == ["pte"]
    assert reader.read("GPML is the standard, but it's dense. What should I read before it?").direction == "easier"


def test_a_kind_refused_with_a_subject_or_size_between_is_neither_wanted_nor_refused():
    from advisor.search.intent import attribute_preferences

    whole = attribute_preferences("SVMs derived via the dual, not a whole optimization textbook")
    assert "kind" not in whole and "avoid_kind" not in whole
    assert "avoid_kind" not in attribute_preferences("not an ML book")
    assert attribute_preferences("not a video course")["avoid_kind"] == ("course", "video-series")
    assert attribute_preferences("a course, not a book")["avoid_kind"] == ("book",)


def test_what_x_expects_and_a_stepping_stone_before_something_like_x_ask_for_what_comes_first():
    shelf = {"cs229": Resource("cs229", "CS229: Machine Learning", ["Andrew Ng"], aliases=["CS229"], kind="course"),
             "pgm": Resource("pgm", "Probabilistic Graphical Models Specialization", ["Daphne Koller"],
                             aliases=["PGM specialization"], kind="course")}
    reader = IntentReader(shelf)
    assert reader.read("a course taking me to the linear algebra CS229 expects").wants_prerequisites
    assert reader.read("a free book as a stepping stone before something like CS229").wants_prerequisites
    # a verdict heard of X beside a question about X ("can I audit it?") stays a question about X
    heard = reader.read("the PGM specialization: can I audit it for free? people say it's brutal")
    assert heard.about == ["pgm"] and not heard.moves_away
    assert reader.read("the PGM specialization is brutal, what should I read before it?").moves_away
    assert reader.read("ESL's derivations are killing me. What should I read before it?").direction == "easier"


def test_practice_x_lacks_is_a_move_sideways_and_not_ready_for_proofs_is_no_wish_for_them():
    from advisor.search.intent import attribute_preferences

    shelf = {"3b1b": Resource("3b1b", "Essence of Linear Algebra", ["Grant Sanderson"], aliases=["3blue1brown"])}
    reader = IntentReader(shelf)
    assert reader.read("watched 3blue1brown, loved it, but there were no exercises. what's next").sideways
    assert not reader.read("watched 3blue1brown, loved it. what's next").sideways
    assert not reader.read("I want the statistics behind the models, but I'm not ready for heavy proofs yet"
                           ).wants_prerequisites
    assert "math_depth" not in attribute_preferences("I'm not ready for heavy proofs yet")
    assert reader.read("what do I need to be ready for 3blue1brown?").wants_prerequisites


def test_a_name_alone_then_a_question_and_am_i_ready_for_x_are_about_x():
    shelf = {"gvl": Resource("gvl", "Matrix Computations", ["Gene Golub", "Charles Van Loan"],
                             aliases=["Golub and Van Loan", "golub van loan"]),
             "nla": Resource("nla", "Numerical Linear Algebra", ["Lloyd Trefethen", "David Bau"]),
             "dlt": Resource("dlt", "Deep Learning Theory Lecture Notes", ["Matus Telgarsky"], aliases=["Telgarsky"])}
    reader = IntentReader(shelf)
    ref = reader.read("golub van loan - something you read cover to cover, or a reference? I'm learning numerical "
                      "linear algebra for the first time")
    assert ref.about == ["gvl"] and not ref.moves_away and "nla" not in ref.mentioned
    assert reader.read("how do I tell if I'm ready for Telgarsky's notes? they look terse").about == ["dlt"]
    assert reader.read("golub van loan - too hard. what should I read instead?").about == []
    assert reader.read("is Numerical Linear Algebra free?").mentioned == ["nla"]


def test_a_coined_term_one_record_uses_is_known_but_an_everyday_word_is_not():
    from advisor.search.fields import FieldIndex

    shelf = {"adam": Resource("adam", "Adam: A Method for Stochastic Optimization", ["Diederik Kingma"],
                              description="Also introduces AdaMax, a variant based on the infinity norm. Written "
                                          "in October."),
             "other": Resource("other", "Convex Optimization", ["Stephen Boyd"], description="Duality and KKT.")}
    fields = FieldIndex(shelf, {})
    assert fields.rare_mentions("where does AdaMax come from?") == {"adam"}
    assert fields.rare_mentions("where does adamax come from?") == set()  # only a coinage's own spelling says so
    assert fields.rare_mentions("best national parks in October?") == set()
    # acronyms are in records and in everyday questions alike ("GPU", "UCL"): they do not count
    assert fields.rare_mentions("who wrote the KKT chapter?") == set()


def test_a_gap_said_without_a_subject_or_as_mine_then_a_short_request_asks_for_what_comes_before_x():
    shelf = {"silver": Resource("silver", "UCL Course on Reinforcement Learning", ["David Silver"], kind="course",
                                topics=["markov-decision-processes"]),
             "nesterov": Resource("nesterov", "Lectures on Convex Optimization", ["Yurii Nesterov"]),
             "stat": Resource("stat", "Statistics 110: Probability", ["Joe Blitzstein"], aliases=["Stat 110"])}
    reader = IntentReader(shelf, topic_terms=["markov chains", "nesterov", "real analysis", "conjugate priors"])
    for q in ("david silver's lectures assume you know markov chains. never studied them. free book that covers "
              "them gently?",
              "Silver's course says it's self contained given the basics. mine are weak (conjugate priors?). what "
              "covers that",
              "nesterov's lectures feel impossible, pretty sure bc i never took real analysis. gentle analysis book?"):
        intent = reader.read(q)
        assert intent.wants_prerequisites and intent.mentioned, q
    # what X lacks, or a gap after X is behind the learner, is no gap before X
    assert not reader.read("did Stat 110. fun but zero statistics. book suggestion?").wants_prerequisites
    assert not reader.read("Took Stat 110 last term but zero statistics so far. a course?").wants_prerequisites


def test_chat_spelling_of_you_and_questions_about_x_s_version_or_its_proof_stay_on_x():
    from advisor.search.spelling import Speller

    speller = Speller(["Attention"], [], {"attention", "need", "project", "onto"})
    assert speller.fix("vaswani 2017, attention is all u need") == "vaswani 2017, attention is all you need"
    assert speller.fix("project v onto u, then if u = 3") == "project v onto u, then if u = 3"
    shelf = {"pdlt": Resource("pdlt", "The Principles of Deep Learning Theory", ["Daniel Roberts", "Sho Yaida"],
                              aliases=["Roberts and Yaida"]),
             "gan": Resource("gan", "Generative Adversarial Nets", ["Ian Goodfellow"], kind="paper",
                             aliases=["GAN paper"])}
    reader = IntentReader(shelf)
    free = reader.read("Roberts and Yaida - that physics-flavored book. is there a free version")
    assert free.about == ["pdlt"] and not free.moves_away
    proof = reader.read("the GAN paper, where GANs started - i want the proof that the optimal discriminator is ...")
    assert not proof.moves_away
    assert reader.read("the GAN paper is too hand-wavy, i want the proofs").moves_away


def test_before_x_with_a_named_gap_x_s_neighbours_count_only_when_they_teach_the_gap():
    shelf = {
        "lasso-book": Resource("lasso-book", "Sparse Regression Lectures", ["Yuri Nestor"], aliases=["Nestor"],
                               level="advanced", topics=["lasso"], prerequisites=["regression", "graphical-models"],
                               related=["pgm-book"],
                               description="Read the Graphical Models Primer first if this is too fast."),
        "pgm-book": Resource("pgm-book", "Graphical Models Primer", ["Ann Other"], level="intermediate",
                             topics=["graphical-models"], related=["lasso-book"]),
        "reg-book": Resource("reg-book", "Regression Basics", ["Kay Author"], level="intermediate",
                             topics=["regression"]),
    }
    ranker, reader = _ranker(shelf)
    # the learner names regression as the gap: X's neighbour (and X's own advice) teaching graphical models does
    # not outrank the text on the gap
    ranked = _ranked(ranker, reader, "Nestor's lectures feel impossible, pretty sure bc I never took regression. "
                                     "a book?")
    assert ranked[0] == "reg-book" and "lasso-book" not in ranked
    # with no gap named, X's neighbour teaching one of its prerequisites is still the first answer
    assert _ranked(ranker, reader, "what should I read before Nestor's lectures?")[0] == "pgm-book"


def test_what_x_was_great_for_is_known_and_x_s_neighbours_must_teach_what_x_lacks():
    shelf = {
        "boyd": Resource("boyd", "Convex Optimization Book", ["Stephen Boyd"], aliases=["Boyd"], level="advanced",
                         topics=["regression"], related=["boyd-course", "sgd-book"]),
        "boyd-course": Resource("boyd-course", "Convex Optimization Course", ["Stephen Boyd"], kind="course",
                                level="advanced", topics=["regression"], related=["boyd"]),
        "sgd-book": Resource("sgd-book", "Neural Network Optimization", ["Leon Other"], level="advanced",
                             topics=["neural-networks"], related=["boyd"]),
    }
    ranker, reader = _ranker(shelf)
    said = "Boyd was great for regression but it says nothing about neural networks. where next?"
    intent = reader.read(said)
    assert intent.knows and intent.sideways
    sig = ranker.signals(said, intent, lambda text: {}, [])
    assert "regression" not in sig.topics
    assert sig.values["related"].get("sgd-book") and not sig.values["related"].get("boyd-course")


def test_a_name_said_as_the_learners_level_is_behind_them_and_a_career_stage_yields_to_applied_maths():
    from advisor.search.intent import attribute_preferences

    shelf = {"cs229": Resource("cs229", "CS229: Machine Learning", ["Andrew Ng"], aliases=["CS229"], kind="course"),
             "sheets": Resource("sheets", "CS229 cheatsheets", ["Afshine Amidi"], kind="cheatsheet"),
             "bda": Resource("bda", "Bayesian Data Analysis", ["Andrew Gelman"], aliases=["BDA3"])}
    reader = IntentReader(shelf)
    level = reader.read("i know ML basics at roughly cs229 level and want a short intro to graphical models")
    assert level.mentioned == [] and {"cs229", "sheets"} >= set(level.refused) and "cs229" in level.refused
    gap = reader.read("BDA3 - i did stat 110 level probability but zero statistics. what bridges that?")
    assert gap.wants_prerequisites and gap.mentioned == ["bda"]
    applied = attribute_preferences("bio grad student, bayesian modelling in R without a ton of proofs or heavy math")
    assert applied["math_depth"] == ("applied", "moderate") and "level" not in applied
    assert attribute_preferences("grad student, want a graduate-level text without heavy math")["level"] == ("advanced",)
    assert attribute_preferences("phd student, want a rigorous book")["level"] == ("advanced",)


def test_a_subject_that_is_ok_is_known_and_a_bracketed_aside_is_known_alone():
    reader = IntentReader(SHELF)
    assert reader.read("linear algebra is ok but my probability is weak. what first?").knows == ["linear algebra is ok"]
    assert reader.read("is it ok for a beginner?").knows == []
    aside = reader.read("UAT - I want an actual rigorous proof (Hahn-Banach / functional analysis is fine)")
    assert aside.knows == ["Hahn-Banach / functional analysis is fine"]


def test_more_ways_of_saying_a_first_level_ask_for_the_intro_level():
    from advisor.search.intent import attribute_preferences

    for q in ("novice here, a probability book?", "probability 101 please", "no math background, where to start "
              "with ML?", "high school student who wants to learn calculus for ML", "entry-level linear algebra"):
        assert attribute_preferences(q).get("level") == ("intro",), q
    assert "level" not in attribute_preferences("Ecology postdoc, maths only up to a bit of calculus")


def test_a_name_said_as_what_x_lacks_is_a_subject_and_et_al_ends_no_sentence():
    shelf = {"notes": Resource("notes", "CS236 Notes: Deep Generative Models", ["Stefano Ermon"],
                               aliases=["CS236 notes"], kind="lecture-notes"),
             "wgan": Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], aliases=["WGAN"], kind="paper"),
             "dl": Resource("dl", "Deep Learning", ["Ian Goodfellow"], aliases=["Goodfellow"])}
    reader = IntentReader(shelf)
    lacks = reader.read("The CS236 notes were great, but there's nothing on diffusion models or WGAN. Where next?")
    assert lacks.mentioned == ["notes"] and not lacks.compares and lacks.moves_away
    assert reader.read("where is the WGAN paper?").mentioned == ["wgan"]
    dated = reader.read("Goodfellow et al. feels dated: no transformers, no diffusion models. A modern textbook?")
    assert dated.unwanted == "" and dated.moves_away


def test_a_resource_used_first_is_behind_and_an_authors_own_name_does_not_pick_among_his_records():
    shelf = {"uml": Resource("uml", "Understanding Machine Learning", ["Shai Shalev-Shwartz", "Shai Ben-David"],
                             aliases=["UML", "Shalev-Shwartz and Ben-David"]),
             "survey": Resource("survey", "Online Learning and Online Convex Optimization", ["Shai Shalev-Shwartz"],
                                kind="paper"),
             "gs": Resource("gs", "Introduction to Probability", ["Charles Grinstead", "Laurie Snell"],
                            aliases=["Grinstead and Snell"])}
    reader = IntentReader(shelf)
    assert reader.read("Shalev-Shwartz's online learning survey was good").mentioned == ["survey"]
    used = reader.read("used grinstead and snell for probability, nice book, but it has basically no estimation. "
                       "want a course on statistics")
    assert used.moves_away and used.sideways
    assert not reader.read("I did a PhD in physics. Is UML any good for me?").moves_away
    # a final clause with no question mark asks about X only with a subject: "have undergrad calc" tells
    assert reader.read("finished UML. want something on online learning. have undergrad calc").about == []
    assert reader.read("is UML free").about == ["uml"]
    # a revision of what was used asks for X's own summary, not for what comes after X
    assert not reader.read("took UML last year, need a compact refresher of the whole book before my exam").moves_away
    assert reader.read("took UML last year, need something on online learning next").moves_away


def test_a_review_s_misreadings_stay_fixed():
    from advisor.search.fields import FieldIndex
    from advisor.search.intent import attribute_preferences
    from advisor.search.spelling import Speller

    shelf = {"bh": Resource("bh", "Introduction to Probability", ["Joe Blitzstein", "Jessica Hwang"],
                            aliases=["Blitzstein and Hwang"], description="Probability on a GPU-free budget."),
             "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], aliases=["ESL"])}
    reader = IntentReader(shelf)
    # a lack the learner states of themselves keeps the name they ask about
    assert reader.read("I know nothing about probability, is Blitzstein and Hwang a good start?").mentioned == ["bh"]
    # a question that opens with "Did" asks about X; "I have no time" is no gap in X
    assert not reader.read("Did ESL cover boosting?").moves_away
    assert not reader.read("I have no time; is ESL worth it?").sideways
    # "which chapter covers it?" after a gap is a lookup in X, not a request for what comes before X
    assert not reader.read("I'm reading ESL and I don't know what the lasso is. Which chapter covers it?"
                           ).wants_prerequisites
    assert not reader.read("Does ESL fill in the proofs that others skip?").wants_prerequisites
    speller = Speller(["Attention"], [], {"attention", "need", "is", "an", "eigenvector"})
    assert speller.fix("if u is an eigenvector") == "if u is an eigenvector"
    assert speller.fix("are u and v orthogonal") == "are u and v orthogonal"
    assert "paper" in attribute_preferences("What's the original reference for the reparameterization trick?")["kind"]
    assert "book" not in attribute_preferences("What's the original reference for the reparameterization trick?"
                                               )["kind"]
    assert attribute_preferences("I'm not afraid of heavy math, I want a rigorous book")["math_depth"] == \
        ("rigorous", "proof-heavy")
    assert FieldIndex(shelf, {}).rare_mentions("Best GPU for gaming?") == set()


def test_a_gentler_depth_than_a_subject_has_asks_for_its_gentlest_not_for_records_off_it():
    from advisor.search.preferences import within_subject

    analysis = [Resource("abbott", "Understanding Analysis", [], math_depth="rigorous"),
                Resource("rudin", "Principles of Mathematical Analysis", [], math_depth="proof-heavy")]
    friendly = {"math_depth": ("applied", "moderate"), "kind": ("book",)}
    assert within_subject(friendly, analysis) == {"math_depth": ("rigorous",), "kind": ("book",)}
    # a wish for more than the subject's records have stands, and so does one some record meets
    applied = [Resource("ng", "Machine Learning (Coursera)", [], math_depth="applied")]
    rigorous = {"math_depth": ("rigorous", "proof-heavy")}
    assert within_subject(rigorous, applied * 2) == rigorous
    assert within_subject(friendly, analysis + applied) == friendly


def test_what_the_learner_needs_it_for_is_not_what_they_ask_to_learn():
    from advisor.search.intent import known_clauses

    assert known_clauses("I need linear algebra for my ML class") == ["for my ML class"]
    assert known_clauses("reading ESL for my stats masters, something gentler?") == ["for my stats masters"]
    assert known_clauses("looking for a first reinforcement learning course") == []  # the request itself


def test_more_ways_of_asking_what_comes_first():
    reader = IntentReader(SHELF)
    for q in ("I want to read ESL. Analysis is fine, but conditional expectations are hazy. prep?",
              "I want to read ESL properly. regret is new to me, what's the foundation?",
              "I'd like to read ESL but multi-layer chain rule stuff loses me. Need something to prep."):
        intent = reader.read(q)
        assert intent.mentioned == ["esl"] and intent.wants_prerequisites, q
    assert reader.read("I want to read ESL, the first chapters are new to me").lacks
    # a gentler way into X's own subject is asked for, not X's foundations
    ramp = reader.read("Interested in ESL but it looks brutal. What's the on-ramp?")
    assert ramp.moves_away and ramp.direction == "easier" and not ramp.wants_prerequisites
    # ... and an entry point that is rigorous is no gentler one
    assert reader.read("ESL is very computational. shortest rigorous entry point?").direction == "harder"


def test_what_the_learner_has_and_what_they_would_rather_not_be_buried_in():
    from advisor.search.intent import known_clauses
    from advisor.search.intent.refusals import buried_parts

    assert known_clauses("first ML textbook. I have calculus and a bit of probability. Free please.") \
        == ["I have calculus and a bit of probability"]
    for q in ("I have a question about KKT", "I have to learn probability", "I have no background in it"):
        assert known_clauses(q) == [], q
    assert buried_parts("a book that explains concepts without drowning me in matrix algebra") == ["matrix algebra"]
    assert buried_parts("a first book that won't drown me in matrix algebra") == ["matrix algebra"]


def test_a_resource_the_learner_has_done_is_behind_them():
    from advisor.search.intent import attribute_preferences

    reader = IntentReader(SHELF)
    done = reader.read("I've done ISL, so not a beginner. I want to understand the lasso as a convex problem")
    assert done.mentioned == ["isl"] and done.moves_away
    assert attribute_preferences("need a compact revision sheet before a quant interview")["kind"] == ("cheatsheet",)


def test_everyday_phrasings_that_are_no_prerequisite_question_known_topic_or_refused_kind():
    from advisor.search.intent import attribute_preferences, known_clauses

    reader = IntentReader(SHELF)
    for q in ("what are the foundations of reinforcement learning?", "how to prep for a machine learning interview?",
              "best book for exam prep?"):
        assert not reader.read(q).wants_prerequisites, q
    for q in ("I have gaps in linear algebra, any refresher?", "I have two weeks to learn Bayesian statistics",
              "I have weak probability, what should I read?"):
        assert known_clauses(q) == [], q
    assert known_clauses("I've had linear algebra and calculus") == ["I've had linear algebra and calculus"]
    readable = attribute_preferences("any book on probability that is more readable than a textbook?")
    assert readable == {"kind": ("book",)}


def test_gaps_said_plainly_ask_for_what_comes_before_x_and_access_complaints_move_away():
    from advisor.search.intent.background import lack_clauses

    shelf = {"durrett": Resource("durrett", "Probability: Theory and Examples", ["Rick Durrett"]),
             "nw": Resource("nw", "Numerical Optimization", ["Jorge Nocedal", "Stephen Wright"],
                            aliases=["Nocedal & Wright"]),
             "rm": Resource("rm", "A Stochastic Approximation Method", ["Herbert Robbins", "Sutton Monro"],
                            kind="paper", aliases=["Robbins & Monro"]),
             "lfd": Resource("lfd", "Learning From Data", ["Yaser Abu-Mostafa"]),
             "nesterov": Resource("nesterov", "Lectures on Convex Optimization", ["Yurii Nesterov"])}
    reader = IntentReader(shelf)
    for q in ("I'd like to read Durrett's book. I've done an undergrad real analysis course. what am I missing?",
              "i'm trying to read Robbins & Monro's paper. conditional expectations are fuzzy. what should I review?",
              "I want to work through Nocedal & Wright. calculus is fine, but my linear algebra stops at 2x2 "
              "matrices. where to start?",
              "I'm stuck on Durrett — martingales are unknown to me. what should I take?"):
        assert reader.read(q).wants_prerequisites, q
    # a gap said without a verb, and "measure zero" is maths, not the learner's zero
    assert lack_clauses("I did real analysis in undergrad but never measure theory.") == "never measure theory"
    assert lack_clauses("the supports are manifolds of measure zero.") == ""
    # the same subject, another way in: a complaint about access moves away from X; a question about it does not
    assert reader.read("the Learning From Data book isn't free and I can't afford it. same content?").moves_away
    shorter = reader.read("Nesterov's lectures are too long and cost money. why is GD 1/t? free and shorter?")
    assert shorter.moves_away and shorter.about == []
    assert not reader.read("Robbins & Monro 1951 - is the original paper paywalled? trying to find it").moves_away
    # what X is, then the wish: "I just need", "I care about"; but "worth it if what I care about is Y?" asks about X
    assert reader.read("Durrett is 500 pages of proofs. I just need the ideas I can compute with").moves_away
    assert reader.read("Nocedal & Wright is all line searches. I care about stochastic methods").moves_away
    assert not reader.read("Durrett still worth it if what I mostly care about is martingales?").moves_away
    assert reader.read("Nocedal & Wright is too mathematical for me, I want code").direction == "easier"
    assert reader.read("Learning From Data is too expensive. anything free in the same practical style?").sideways


def test_before_x_the_gap_the_learner_names_is_taught_before_the_rest_of_what_x_needs():
    shelf = {
        "gan-theory": Resource("gan-theory", "Principled GAN Training", ["Ann Other"], kind="paper",
                               level="advanced", topics=["neural-networks", "probability"],
                               prerequisites=["neural-networks", "probability"]),
        "nn-book": Resource("nn-book", "Neural Networks Primer", ["Sam Writer"], level="intermediate",
                            topics=["neural-networks"]),
        "prob-book": Resource("prob-book", "Probability Primer", ["Kay Author"], level="intermediate",
                              topics=["probability"]),
    }
    ranker, reader = _ranker(shelf)
    ranked = _ranked(ranker, reader, "I want to read Principled GAN Training. It is all neural networks and "
                                     "probability; I know neural networks but never probability. what first?")
    assert ranked[0] == "prob-book" and "gan-theory" not in ranked


def test_advice_reads_an_authors_first_book_as_no_order_and_gentler_than_y_as_y_after():
    from advisor.search.advice import Advice

    shelf = {
        "topics": Resource("topics", "Topics in Optimal Transportation", ["Cedric Villani"], description=(
            "Villani's first book on optimal transport. Shorter and more pedagogical than Old and New.")),
        "oldnew": Resource("oldnew", "Optimal Transport: Old and New", ["Cedric Villani"],
                           aliases=["Old and New"]),
    }
    advice = Advice(shelf, IntentReader(shelf))
    assert "oldnew" not in advice.before.get("topics", {})
    assert advice.after["topics"]["oldnew"] == 1.0


def test_a_career_stage_far_from_mathematics_is_no_level_and_where_to_start_asks_for_an_intro():
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences("biology grad student, I mostly use R").get("level") is None
    assert attribute_preferences("stats grad student, want the theory").get("level") == ("advanced",)
    assert attribute_preferences("where do I start learning machine learning?").get("level") == ("intro",)
    assert attribute_preferences("the theory side, but gently").get("math_depth") == ("applied", "moderate")
    assert "math_depth" not in attribute_preferences("zero derivations please")  # no wish for derivations


def test_the_tools_a_learner_uses_daily_are_known():
    from advisor.search.intent import known_clauses

    assert known_clauses("quant here, use Ito calculus and SDEs daily. how do diffusion models work?") == [
        "use Ito calculus and SDEs daily"]
    assert known_clauses("I want to use diffusion models. how do they work?") == []
    # what the learner knows starts at the second "I": "I keep seeing X" is not known
    assert known_clauses("I keep seeing jacobian determinants and I only did single variable calc") == [
        "I only did single variable calc"]


def test_et_al_between_an_authors_name_and_the_title_words_still_picks_that_record():
    shelf = {"review": Resource("review", "Variational Inference: A Review for Statisticians", ["David Blei"]),
             "svi": Resource("svi", "Stochastic Variational Inference", ["Matthew Hoffman", "David Blei"])}
    reader = IntentReader(shelf)
    for q in ("blei et al's VI review done, what next?", "Blei et al.'s review was great. next?"):
        assert reader.read(q).mentioned == ["review"], q


def test_machine_learning_beside_another_topic_is_the_context_and_a_subject_buried_in_is_not_refused():
    from advisor.library.topics import TopicMatcher
    from advisor.search.intent.background import lack_clauses
    from advisor.search.preferences import preference_counts
    from advisor.search.recommend import ResourceRanker

    topics = {t: Topic(t, t.replace("-", " ")) for t in ("machine-learning", "gradient", "linear-algebra")}
    shelf = {"calc": Resource("calc", "Gradients Explained", ["Ann Other"], topics=["gradient"])}
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)
    q = "what should I learn so I can follow the gradient in machine learning papers?"
    assert ranker.signals(q, reader.read(q), lambda text: {}, []).topics == ["gradient"]
    q = "a machine learning book please"
    assert ranker.signals(q, reader.read(q), lambda text: {}, []).topics == ["machine-learning"]
    # "won't drown me in matrix algebra": not asked for, and only a record about it misses the wish
    intent = reader.read("a first ML book that won't drown me in linear algebra")
    assert intent.buried == "linear algebra" and intent.unwanted == ""
    about = Resource("la", "Matrices", ["B"], topics=["linear-algebra"])
    presumes = Resource("ml", "Learning", ["C"], topics=["machine-learning"], prerequisites=["linear-algebra"])
    assert preference_counts(about, {"buried_topic": ("linear-algebra",)}) == (0, 1)
    assert preference_counts(presumes, {"buried_topic": ("linear-algebra",)}) == (0, 0)
    assert preference_counts(presumes, {"avoid_topic": ("linear-algebra",)}) == (0, 1)
    assert lack_clauses("Excel wizard. basically no stats beyond averages.") == "basically no stats beyond averages"


def test_slashed_surnames_a_yardstick_beside_another_name_a_colon_and_where_i_get_lost():
    from advisor.search.intent.background import lack_clauses

    shelf = {"gq": Resource("gq", "Linear Algebra and Optimization", ["Jean Gallier", "Jocelyn Quaintance"]),
             "casi": Resource("casi", "Computer Age Statistical Inference", ["Bradley Efron", "Trevor Hastie"],
                              aliases=["CASI"]),
             "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], aliases=["ESL"])}
    reader = IntentReader(shelf)
    named = reader.read("the gallier/quaintance two-volume thing from upenn: is that meant as a first course?")
    assert named.mentioned == ["gq"] and named.about == ["gq"]  # the question after the colon is about it
    # "like ESL" is the yardstick the learner measures CASI by, not a second candidate
    casi = reader.read("CASI - is it a derivation-heavy thing like ESL or more conceptual?")
    assert casi.mentioned == ["casi"] and not casi.compares
    assert reader.read("ESL or CASI, which is more conceptual?").compares
    assert lack_clauses("The dual problem and the KKT conditions are exactly where I get lost.") \
        == "The dual problem and the KKT conditions are exactly where I get lost"
    assert reader.read("Before I tackle SVMs in CASI, what should I study? The dual problem is where I get lost."
                       ).wants_prerequisites


def test_what_x_covers_is_a_question_about_x_and_i_use_tells_rather_than_asks():
    shelf = {"hmc": Resource("hmc", "A Conceptual Introduction to Hamiltonian Monte Carlo", ["Michael Betancourt"],
                             aliases=["HMC intro"])}
    reader = IntentReader(shelf)
    intent = reader.read("can someone tell me what Betancourt's HMC intro covers? I use Stan at work and have no "
                         "idea what the sampler is doing")
    assert intent.about == ["hmc"] and not intent.wants_prerequisites
    # a request after the name still asks for another resource
    assert reader.read("Betancourt's HMC intro is too terse. what should I use instead?").about == []


def test_a_reviews_findings_on_the_round_11_readings_stay_fixed():
    from advisor.search.advice import Advice
    from advisor.search.intent import attribute_preferences
    from advisor.search.intent import known_clauses
    from advisor.search.intent.before import _PREREQ

    shelf = {"esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], aliases=["ESL"]),
             "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"],
                              aliases=["PRML"]),
             "isl": Resource("isl", "An Introduction to Statistical Learning", ["Gareth James"], aliases=["ISL"])}
    reader = IntentReader(shelf)
    # "I care about", said inside a sentence about X, and "not free?" asked, are no move away
    assert not reader.read("I'm reading PRML and I really care about the Bayesian parts: which chapters?").moves_away
    assert not reader.read("The ESL pdf isn't free anymore?").moves_away
    # what X does not do is no gap of the learner's; "nothing in ISL beyond" is no knowledge
    for q in ("ESL is fine but never gets into boosting theory, anything deeper?",
              "There is nothing in ISL beyond linear models that I haven't seen. What next?"):
        assert not reader.read(q).wants_prerequisites, q
    assert not reader.read("What covers SVMs more gently than ESL?").about  # asks for another
    assert reader.read("I'd like PRML or ESL, which is better for Bayesian methods?").compares  # "like" the verb
    assert known_clauses("I use Stan at work and want to understand HMC.") == ["I use Stan at work"]
    assert known_clauses("I want to understand the Kalman filters we use at work.") == []
    assert attribute_preferences("state-of-the-art PhD level material on diffusion").get("level") == ("advanced",)
    assert attribute_preferences("stats PhD student, where do I start with OT?").get("level") == ("advanced",)
    assert not _PREREQ.search("I read ESL chapter 7, what am I missing about cross-validation?")
    # "the first volume" is still an order; only an author's "first book" is not
    pml2 = {"pml2": Resource("pml2", "Probabilistic Machine Learning: Advanced Topics", ["Kevin Murphy"],
                             description="Read it once you know the first volume or Bishop."),
            "bishop": Resource("bishop", "Pattern Recognition", ["Christopher Bishop"], aliases=["Bishop"])}
    assert Advice(pml2, IntentReader(pml2)).before["pml2"]["bishop"] == 1.0


def test_one_course_name_carried_by_several_records_is_one_name_not_a_comparison():
    shelf = {"course": Resource("course", "CS229: Machine Learning", ["Andrew Ng"], kind="course"),
             "notes": Resource("notes", "CS229 Lecture Notes", ["Andrew Ng"], kind="lecture-notes"),
             "ciml": Resource("ciml", "A Course in Machine Learning", ["Hal Daume"], aliases=["CIML"])}
    reader = IntentReader(shelf)
    intent = reader.read("want a gentle intro ML textbook, more ideas than math, before i attempt cs229")
    assert set(intent.mentioned) == {"course", "notes"} and not intent.compares
    assert reader.read("CS229 or CIML, which has more math than the other?").compares


def test_background_said_without_a_verb_is_known_and_a_request_is_not():
    from advisor.search.intent import known_clauses

    assert known_clauses("self taught, have calculus, a bit of probability. want a first book") == [
        "have calculus", "a bit of probability"]
    assert known_clauses("EE engineer; decent linear algebra and a bit of analysis. Want something on kernels") == [
        "decent linear algebra and a bit of analysis"]
    for asked in ("good linear algebra course for ML?", "solid intro to probability?", "decent book on GANs",
                  "have to learn PCA, any tips?", "have no idea about measure theory"):
        assert known_clauses(asked) == [], asked


def test_a_foundation_named_beside_x_counts_only_when_it_teaches_the_gap_the_learner_names():
    from advisor.search.intent import known_clauses

    shelf = {"notes": Resource("notes", "CS229 Lecture Notes", ["Andrew Ng"], kind="lecture-notes", level="intermediate",
                               topics=["svm", "regression"], prerequisites=["probability", "duality"]),
             "review": Resource("review", "CS229 Probability Review", ["Tom Do"], kind="lecture-notes",
                                level="intro", topics=["probability"]),
             "cvx": Resource("cvx", "Convex Optimization", ["Stephen Boyd"], level="intermediate",
                             topics=["duality", "probability"])}
    topics = {t: Topic(t, t.replace("-", " ")) for t in ("svm", "regression", "probability", "duality")}
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)
    ranked = _ranked(ranker, reader, "the svm in the CS229 notes loses me: I've never seen duality. What should I "
                                     "read first?")
    assert ranked[0] == "cvx" and "notes" not in ranked
    assert known_clauses("Know linear algebra and multivariable calc.") == ["Know linear algebra and multivariable calc"]
    assert known_clauses("know what the best book is?") == []


def test_a_longer_treatment_named_in_a_record_comes_after_it_and_a_companion_stays_at_its_level():
    from advisor.search.advice import Advice

    shelf = {
        "notes": Resource("notes", "Math4ML Notes", ["Garrett Thomas"], kind="lecture-notes", level="intermediate",
                          topics=["probability"], description="A compact review, not a course; read MML for the "
                                                               "longer treatment."),
        "mml": Resource("mml", "Mathematics for Machine Learning", ["Marc Deisenroth"], aliases=["MML"],
                        level="intermediate", topics=["probability"], description="A textbook."),
        "book": Resource("book", "Probability Book", ["Joe Blitzstein"], level="intro", topics=["probability"],
                         description="A book."),
        "videos": Resource("videos", "Probability Lectures", ["Joe Blitzstein"], kind="video-series", level="intro",
                           topics=["probability"], description="Lectures."),
        "grad": Resource("grad", "Graduate Probability Lectures", ["Rick Durrett"], kind="video-series",
                         level="advanced", math_depth="proof-heavy", topics=["probability"], description="Hard."),
    }
    assert Advice(shelf, IntentReader(shelf)).after["notes"] == {"mml": 1.0}
    ranker, reader = _ranker(shelf)
    companion = reader.read("working through Blitzstein's probability book. any lecture videos that go with it?")
    assert companion.moves_away and companion.sideways
    ranked = _ranked(ranker, reader, "working through Blitzstein's probability book. any lecture videos that go "
                                     "with it?")
    assert "book" not in ranked and ranked.index("videos") < ranked.index("grad")


def test_a_compound_that_ends_in_a_generic_word_names_its_own_subject():
    from advisor.library.topics import TopicMatcher

    topics = {"real-analysis": Topic("real-analysis", "Real analysis", aliases=["analysis"]),
              "regret": Topic("regret", "Online learning", aliases=["regret"])}
    matcher = TopicMatcher(topics)
    assert matcher.find("I took analysis last year") == ["real-analysis"]
    for said in ("error analysis and flop counts", "the regret analysis in the Adam paper", "data analysis in R"):
        assert "real-analysis" not in matcher.find(said), said


def test_a_refused_treatment_that_titles_carry_counts_against_them_but_a_gap_before_x_does_not():
    shelf = {
        "comp": Resource("comp", "Computational Optimal Transport", ["Gabriel Peyre"], level="intermediate",
                         topics=["probability"]),
        "pure": Resource("pure", "Topics in Optimal Transportation", ["Cedric Villani"], level="intermediate",
                         topics=["probability"]),
    }
    ranker, reader = _ranker(shelf)
    question = "optimal transport with full proofs, not the computational stuff"
    sig = ranker.signals(question, reader.read(question), lambda text: {}, [])
    assert sig.prefs["comp"][1] == 1 and sig.prefs["pure"][1] == 0


def test_before_x_the_book_that_teaches_the_gap_named_is_not_held_back_for_being_harder_than_x():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    shelf = {"notes": Resource("notes", "CS229 Lecture Notes", ["Andrew Ng"], kind="lecture-notes", level="intermediate",
                               topics=["svm"], prerequisites=["duality", "calculus"]),
             "cvx": Resource("cvx", "Convex Optimization", ["Stephen Boyd"], level="advanced", topics=["duality"]),
             "calc": Resource("calc", "Calculus Videos", ["Grant Sanderson"], level="intro", topics=["calculus"])}
    topics = {t: Topic(t, t) for t in ("svm", "duality", "calculus")}
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)
    question = "I want to read the CS229 notes but I've never seen duality. what should I read first?"
    sig = ranker.signals(question, reader.read(question), lambda text: {}, [])
    assert sig.axis["cvx"] == 1.0
    plain = "what should I read before the CS229 notes?"  # no gap named: a harder book is no foundation
    assert ranker.signals(plain, reader.read(plain), lambda text: {}, []).axis["cvx"] < 1.0


def test_before_a_topic_the_gap_the_learner_names_is_what_to_read_not_the_topic_itself():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker

    shelf = {"flows": Resource("flows", "Normalizing Flows Review", ["George Papamakarios"], kind="paper",
                               level="advanced", topics=["normalizing-flows", "jacobian"], prerequisites=["jacobian"]),
             "calc": Resource("calc", "Multivariable Calculus", ["Gilbert Strang"], kind="course", level="intro",
                              topics=["multivariable-calculus", "jacobian"])}
    topics = {"normalizing-flows": Topic("normalizing-flows", "normalizing flows", prerequisites=["jacobian"]),
              "jacobian": Topic("jacobian", "jacobian", prerequisites=["multivariable-calculus"]),
              "multivariable-calculus": Topic("multivariable-calculus", "multivariable calculus")}
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)
    question = "before normalizing flows, what math do I need? I keep seeing jacobian determinants"
    assert "jacobian" in reader.read(question).lacks
    assert _ranked(ranker, reader, question)[0] == "calc"


def test_a_third_answer_of_the_same_kind_gives_way_to_a_close_runner_up_of_another_kind():
    from advisor.search.preferences import varied as _varied
    from advisor.types import ResourceMatch

    def match(rid, kind, score):
        return ResourceMatch(resource=Resource(rid, rid, ["A"], kind=kind), score=score)

    books = [match("b1", "book", 1.0), match("b2", "book", 0.9), match("b3", "book", 0.8)]
    close = _varied(books + [match("c", "course", 0.75), match("b4", "book", 0.7)])
    assert [m.resource.id for m in close] == ["b1", "b2", "c", "b3", "b4"]
    far = _varied(books + [match("c", "course", 0.5)])  # not close: the order stands
    assert [m.resource.id for m in far] == ["b1", "b2", "b3", "c"]
    mixed = [match("b1", "book", 1.0), match("c", "course", 0.9), match("b2", "book", 0.8), match("v", "video-series", 0.79)]
    assert _varied(mixed) == mixed


def test_a_record_naming_its_own_author_in_full_links_it_to_none_of_that_authors_other_records():
    from advisor.search.advice import Advice

    shelf = {
        "ml": Resource("ml", "Machine Learning (Coursera)", ["Andrew Ng"], kind="course", description=(
            "Andrew Ng's original MOOC, for years the most popular entry point to ML.")),
        "dl": Resource("dl", "Deep Learning Specialization", ["Andrew Ng"], kind="course", description=(
            "Five courses on neural networks. Take it after Ng's machine learning course.")),
    }
    advice = Advice(shelf, IntentReader(shelf))
    assert "dl" not in advice.before.get("ml", {})  # who made it is no order
    assert advice.before["dl"] == {"ml": 1.0}  # ... while "take it after Ng's course" is one


def test_a_cheatsheet_asked_for_beside_the_course_that_shares_its_name_is_that_courses_own():
    shelf = {
        "cs": Resource("cs", "CS999: Regression (Stanford)", ["Ann Teacher"], kind="course", topics=["regression"]),
        "sheet": Resource("sheet", "CS999 Regression cheatsheets", ["Ann Teacher"], kind="cheatsheet",
                          topics=["regression"]),
        "other": Resource("other", "Regression Formula Sheet", ["Sam Writer"], kind="cheatsheet",
                          topics=["regression", "lasso"]),
    }
    ranker, reader = _ranker(shelf)
    question = "doing CS999 this quarter, exams are brutal. is there a cheatsheet with all the formulas?"
    assert _ranked(ranker, reader, question)[0] == "sheet"
    # ... while the next step after CS999 is none of CS999's own records
    assert "cs" not in _ranked(ranker, reader, "CS999 was good, what's the next course on regression?")[:1]


def test_without_topics_drops_a_topic_typed_in_its_chat_form():
    from advisor.library.topics import TopicMatcher
    from advisor.search.fields import without_topics

    topics = {"spectral-theorem": Topic("spectral-theorem", "spectral theorem"), "svd": Topic("svd", "svd")}
    assert without_topics("the spectral thm and the svd", TopicMatcher(topics), {"svd"}) == "the and the svd"


def test_before_a_course_its_own_review_of_what_it_assumes_is_the_refresher_not_its_notes():
    shelf = {
        "cs": Resource("cs", "CS999: Regression (Stanford)", ["Ann Teacher"], kind="course", topics=["regression"],
                       prerequisites=["linear-algebra"]),
        "notes": Resource("notes", "CS999 Regression lecture notes", ["Ann Teacher"], kind="lecture-notes",
                          topics=["regression"], prerequisites=["linear-algebra"]),
        "review": Resource("review", "Linear algebra review (CS999 section notes)", ["Bo Assistant"],
                           kind="lecture-notes", topics=["linear-algebra", "matrices"], aliases=["CS999 linear algebra review"]),
        "book": Resource("book", "Linear Algebra for Everyone", ["Sam Writer"], kind="book",
                         topics=["linear-algebra", "matrices"]),
    }
    ranker, reader = _ranker(shelf)
    question = ("haven't touched matrices in years. CS999 starts next Monday. I need something that refreshes "
                "linear algebra in two evenings, not a whole course")
    assert reader.read(question).wants_prerequisites  # X is ahead: what comes before it is asked
    ranked = _ranked(ranker, reader, question)
    assert ranked[0] == "review" and "notes" not in ranked[:2]


def test_an_advanced_stage_said_while_moving_to_something_easier_than_an_advanced_x_is_no_wish():
    from advisor.search.intent import Intent
    from advisor.search.preferences import relative_depth

    hard = Resource("bda", "Bayesian Data Analysis", ["A. Gelman"], kind="book", level="advanced")
    away = Intent(mentioned=["bda"], moves_away=True, direction="easier")
    assert "level" not in relative_depth({"level": ("advanced",)}, away, [hard])  # "grad student ... too technical"
    assert relative_depth({"level": ("intermediate",)}, away, [hard])["level"] == ("intermediate",)  # "in between"
    harder = Intent(mentioned=["bda"], moves_away=True, direction="harder")
    assert relative_depth({"level": ("advanced",)}, harder, [hard])["level"] == ("advanced",)


def test_a_surname_beats_another_authors_first_name_and_lecture_notes_name_the_notes():
    shelf = {"rl": Resource("rl", "Reinforcement Learning: An Introduction", ["Richard S. Sutton", "Andrew G. Barto"]),
             "sa": Resource("sa", "A Stochastic Approximation Method", ["Herbert Robbins", "Sutton Monro"], kind="paper"),
             "notes": Resource("notes", "CS236 Notes: Deep Generative Models", ["Aditya Grover", "Stefano Ermon"],
                               kind="lecture-notes"),
             "course": Resource("course", "CS236: Deep Generative Models", ["Stefano Ermon", "Aditya Grover"],
                                kind="course")}
    reader = IntentReader(shelf)
    assert reader.read("is Sutton's book any good for a beginner?").mentioned == ["rl"]
    assert reader.read("is Monro's paper readable?").mentioned == ["sa"]
    assert reader.read("are Grover's lecture notes any good?").mentioned == ["notes"]
    assert reader.read("is Grover's course worth it?").mentioned == ["course"]


def test_a_record_id_cited_in_the_catalog_prose_does_not_make_a_surname_an_everyday_word():
    shelf = {"grinstead-snell": Resource("grinstead-snell", "Introduction to Probability",
                                         ["Charles Grinstead", "J. Laurie Snell"]),
             "drills": Resource("drills", "Probability Drills", ["Ann Author"],
                                description="Pairs well with grinstead-snell for the theory.")}
    assert IntentReader(shelf).read("is grinstead's book good for a beginner").mentioned == ["grinstead-snell"]


def test_a_word_only_one_title_coins_names_it_however_it_is_typed():
    shelf = {"sq": Resource("sq", "StatQuest with Josh Starmer", ["Josh Starmer"], kind="video-series"),
             "ocw1": Resource("ocw1", "Probability (MIT OpenCourseWare)", ["A B"], kind="course"),
             "ocw2": Resource("ocw2", "Calculus (MIT OpenCourseWare)", ["C D"], kind="course")}
    reader = IntentReader(shelf)
    assert reader.read("I outgrew StatQuest, what next?").mentioned == ["sq"]
    assert reader.read("is statquest any good for stats?").mentioned == ["sq"]
    assert reader.read("an OpenCourseWare class on something?").mentioned == []  # two titles coin it: neither


def test_an_authors_name_between_a_name_and_a_kind_noun_belongs_to_that_record():
    shelf = {"vae": Resource("vae", "Auto-Encoding Variational Bayes", ["Diederik P. Kingma", "Max Welling"],
                             kind="paper"),
             "tut": Resource("tut", "An Introduction to Variational Autoencoders", ["Diederik P. Kingma", "Max Welling"],
                             kind="tutorial"),
             "adam": Resource("adam", "Adam: A Method for Stochastic Optimization", ["Diederik P. Kingma", "Jimmy Ba"],
                              kind="paper", aliases=["Kingma and Ba"])}
    named = IntentReader(shelf).read("is the Kingma and Welling paper readable?").mentioned
    assert "adam" not in named and "vae" in named


def test_a_record_named_as_what_assumes_this_one_comes_after_it():
    from advisor.search.advice import Advice

    shelf = {
        "review": Resource("review", "Probability Review Notes", ["Ann Other"], kind="lecture-notes", description=(
            "A short review of the vocabulary Stanford CS999 and Bishop assume. Assumes Grinstead and Snell.")),
        "course": Resource("course", "Stanford CS999: Learning", ["Bo Teacher"], kind="course"),
        "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"]),
        "gs": Resource("gs", "Introduction to Probability", ["Charles Grinstead", "Laurie Snell"]),
    }
    advice = Advice(shelf, IntentReader(shelf))
    assert "prml" not in advice.before.get("review", {}) and advice.after["review"]["prml"] == 1.0
    assert advice.before["review"] == {"gs": 1.0}  # "Assumes X." still puts X first


def test_the_axis_strength_makes_a_move_a_tie_breaker_and_keeps_x_out():
    from advisor.search.signals import WEIGHTS, Signals

    # "behind" (0.3): on the wrong side of the move; "ahead": on the asked side, a weaker match; "x": X itself
    sig = Signals(values={"dense": {"behind": 1.0, "ahead": 0.6, "same": 1.0, "x": 1.0}},
                  axis={"behind": 0.3, "ahead": 1.0, "same": 1.0, "x": 0.0})
    full = {**WEIGHTS, "axis": 1.0}
    assert sig.score("behind", full) < sig.score("ahead", full)  # at full strength the move overrules the match
    assert sig.score("behind", WEIGHTS) > sig.score("ahead", WEIGHTS)  # as chosen, the match decides...
    assert sig.score("behind", WEIGHTS) < sig.score("same", WEIGHTS)  # ... and the move breaks a tie
    assert sig.score("x", WEIGHTS) == 0.0  # X is left out at any strength
