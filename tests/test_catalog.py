from pathlib import Path

import pytest

from advisor.library.catalog import claims, find_cycle, load_catalog, parse_record, validate
from advisor.errors import CatalogError

REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"

GOOD = """---
id: x
title: "X: a book"
authors: [A]
kind: book
access: free
level: intro
math_depth: applied
topics: [t1]
files: ["texts/x-files/**"]
---
Body.
"""


def test_parse_record_reads_fields_and_body():
    r = parse_record(GOOD, "catalog/x.md")
    assert r.title == "X: a book" and r.topics == ["t1"] and r.description == "Body."
    assert claims(r, "texts/x-files/a/b.pdf") and claims(r, "texts/x/y.pdf") and not claims(r, "texts/y/z.pdf")


@pytest.mark.parametrize("text, reason", [
    ("no front matter", "no YAML front matter"),
    ("---\ntitle: [unclosed\n---\n", "malformed YAML"),
    (GOOD.replace("kind: book\n", ""), "missing required field(s): kind"),
    (GOOD.replace("year", "yeer").replace("authors: [A]", "authors: [A]\nyeer: 1"), "unknown field(s): yeer"),
    (GOOD.replace("authors: [A]", "authors: [A]\nyear: soon"), "year must be a number"),
])
def test_malformed_records_name_the_file_and_reason(text, reason):
    with pytest.raises(CatalogError) as err:
        parse_record(text, "catalog/x.md")
    assert str(err.value).startswith("catalog/x.md: ") and reason in str(err.value)


def test_duplicate_ids_and_bad_records_are_reported_not_fatal(tmp_path):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "x.md").write_text(GOOD)
    (tmp_path / "catalog" / "y.md").write_text(GOOD)
    (tmp_path / "catalog" / "z.md").write_text("---\n: : bad\n---\n")
    catalog = load_catalog(tmp_path)
    assert list(catalog.resources) == ["x"]
    assert any("duplicate resource id 'x'" in p for p in catalog.problems)
    assert any(p.startswith("catalog/z.md") for p in catalog.problems)


def test_validate_flags_enums_urls_topics_and_cycles(tmp_path):
    (tmp_path / "catalog").mkdir()
    bad = GOOD.replace("access: free", "access: gratis").replace("Body.", "Body.").replace(
        "files:", "url: htp:/broken\nfiles:")
    (tmp_path / "catalog" / "x.md").write_text(bad)
    (tmp_path / "topics.yaml").write_text("topics:\n  t2: {name: T2, prerequisites: [t3]}\n  t3: {name: T3, prerequisites: [t2]}\n")
    problems = validate(load_catalog(tmp_path))
    text = "\n".join(problems)
    assert "access 'gratis'" in text and "not a well-formed" in text
    assert "topic 't1' is not in topics.yaml" in text and "prerequisite cycle" in text


def test_find_cycle():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    assert find_cycle({"a": ["b"], "b": ["a"]}) in (["a", "b", "a"], ["b", "a", "b"])


# --- the shipped catalog -----------------------------------------------------------------------

SEED = [
    "Learning From Data", "CS 156", "CS229", "Machine Learning (Coursera, Andrew Ng)", "Intro to Machine Learning (Udacity",
    "Elements of Statistical Learning", "Convex Optimization", "cheatsheet", "Probabilistic Graphical Models: Principles",
    "Probabilistic Graphical Models Specialization", "Neural Networks for Machine Learning", "ColumbiaX", "Understanding Machine Learning",
]


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(REPO_CORPUS)


def test_shipped_catalog_validates(shipped):
    assert validate(shipped) == []
    assert len(shipped.resources) >= 60


@pytest.mark.parametrize("title", SEED)
def test_seed_resources_are_present(shipped, title):
    assert any(title.lower() in r.title.lower() for r in shipped.resources.values()), title


def test_every_shipped_text_folder_has_its_record(shipped):
    folders = [p.name for p in (REPO_CORPUS / "texts").iterdir() if p.is_dir()]
    assert folders
    for folder in folders:
        assert folder in shipped.resources, folder
        assert (REPO_CORPUS / "texts" / folder).glob("LICENSE*"), folder


def test_applied_courses_are_marked_applied(shipped):
    for rid in ("coursera-ml-andrew-ng", "udacity-intro-to-ml"):
        assert shipped.resources[rid].math_depth == "applied"


from hypothesis import given, settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@hsettings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_crashes_on_arbitrary_text(text):
    try:
        parse_record(text, "catalog/f.md")
    except CatalogError as err:
        assert str(err).startswith("catalog/f.md: ") and "\n" not in str(err)


@hsettings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "title", "kind", "access", "level", "math_depth", "topics", "authors",
                                        "year", "chapters", "files", "url"]), _yaml_values, max_size=10))
def test_parser_never_crashes_on_arbitrary_fields(fields):
    import yaml

    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\nbody\n"
    try:
        record = parse_record(text, "catalog/f.md")
    except CatalogError as err:
        assert str(err).startswith("catalog/f.md: ")
    else:
        assert record.title and isinstance(record.topics, list)


@pytest.mark.parametrize("question, topic", [
    ("I want to understand why learning generalizes at all", "generalization-bounds"),
    ("a lecture on generalization for a beginner", "generalization-bounds"),
    ("a structured course on neural nets with the math", "neural-networks"),
    ("the 2015 thermodynamics diffusion paper", "diffusion-models"),
    ("a net with one hidden layer can approximate any continuous function", "universal-approximation"),
    ("what is the wasserstein thing in WGAN", "wasserstein-distance"),
    ("cybenko's proof uses hahn-banach and I'm lost", "functional-analysis"),  # a named theorem names its subject
    ("where is Brenier's theorem proved?", "optimal-transport"),
    ("the theory of SGD: variance reduction, step sizes", "sgd"),
    ("first ml textbook, free", "machine-learning"),  # typed all in lower case, an abbreviation is too
    ("kkt proof book", "kkt-conditions"),
    ("lin alg refresher", "linear-algebra"),
])
def test_the_shipped_vocabulary_reads_everyday_forms_of_its_topics(shipped, question, topic):
    from advisor.library.topics import TopicMatcher

    assert topic in TopicMatcher(shipped.topics).find(question)


@pytest.mark.parametrize("question, topic", [
    ("Which book derives the MAP estimate? map the ideas", "map-estimation"),
    ("first ML textbook", "machine-learning"),
])
def test_an_abbreviation_in_lower_case_names_its_topic_only_in_a_question_typed_in_lower_case(shipped, question, topic):
    from advisor.library.topics import TopicMatcher

    matcher = TopicMatcher(shipped.topics)
    assert topic in matcher.find(question)
    assert matcher.find("Where is the ml of water measured?") == []  # cased text: "ml" is no abbreviation here
    # everyday words stay words in lower case: "map", "hmm", "em"
    assert not {"map-estimation", "hmm", "em-algorithm"} & set(matcher.find("hmm, read em all and map it out"))


@pytest.mark.parametrize("question, topic", [
    ("where is the spectral thm proved", "spectral-theorem"),
    ("convex opt book, free", "convex-optimization"),
    ("eigen + svd, not super proofy", "eigenvalues"),
    ("prob & stats refresher", "probability"),
])
def test_chat_forms_of_topic_words_name_their_topic(shipped, question, topic):
    from advisor.library.topics import TopicMatcher

    assert topic in TopicMatcher(shipped.topics).find(question)
    assert TopicMatcher(shipped.topics).find("prob set due friday") == []  # a problem set is no probability


def test_prob_for_ml_is_probability(shipped):
    from advisor.library.topics import TopicMatcher

    assert "probability" in TopicMatcher(shipped.topics).find("prob for ml, i'm rusty")
