from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from advisor.ingest.chunking import chunk_document, embedding_text, windows
from advisor.store.embeddings import FakeEmbedder
from advisor.types import Block, Document

EMB = FakeEmbedder(max_tokens=40)


def doc_of(*blocks):
    return Document("x.pdf", "X", list(blocks))


def test_chunks_fit_the_token_budget_including_the_section_header():
    text = " ".join(f"word{i}" for i in range(500))
    chunks = chunk_document(doc_of(Block(text, page=1, section=("Chapter", "Sec"))), EMB.token_spans, 40, 5)
    assert len(chunks) > 5
    assert all(EMB.count_tokens(embedding_text(c)) <= 40 for c in chunks)


def test_chunks_never_split_words_and_cover_every_word():
    words = [f"alpha{i}beta" for i in range(300)]
    chunks = chunk_document(doc_of(Block(" ".join(words), page=1)), EMB.token_spans, 30, 4)
    seen = set()
    for c in chunks:
        for w in c.text.split():
            assert w in words  # a cut inside a word would produce a fragment
            seen.add(w)
    assert seen == set(words)


def test_page_spans_follow_the_pages_a_chunk_covers():
    blocks = [Block(" ".join(f"p{p}w{i}" for i in range(15)), page=p, page_label=str(p + 10), section=("S",))
              for p in (3, 4, 5)]
    chunks = chunk_document(doc_of(*blocks), EMB.token_spans, 40, 0)
    for c in chunks:
        pages_in_text = {int(w[1:w.index("w")]) for w in c.text.split()}
        assert c.page_start == min(pages_in_text) and c.page_end == max(pages_in_text)
        assert c.label_start == str(c.page_start + 10)


def test_page_breaks_say_where_each_later_page_starts_in_a_passage():
    blocks = [Block(" ".join(f"p{p}w{i}" for i in range(15)), page=p, section=("S",)) for p in (3, 4, 7)]
    chunks = chunk_document(doc_of(*blocks), EMB.token_spans, 40, 0)
    assert any(c.page_breaks for c in chunks)
    for c in chunks:
        bounds = [(0, c.page_start), *c.page_breaks, (len(c.text), None)]
        for (a, page), (b, _) in zip(bounds, bounds[1:]):
            pages_in_part = {int(w[1:w.index("w")]) for w in c.text[a:b].split()}
            assert pages_in_part == {page}  # page 7 follows 4 directly: breaks carry their page, not a count
        assert (c.page_breaks[-1][1] if c.page_breaks else c.page_start) == c.page_end
    assert any(c.page_start != c.page_end for c in chunks)


def test_sections_are_not_mixed_in_one_chunk():
    blocks = [Block("alpha " * 60, page=1, section=("A",)), Block("beta " * 60, page=1, section=("B",))]
    chunks = chunk_document(doc_of(*blocks), EMB.token_spans, 40, 5)
    for c in chunks:
        assert not ("alpha" in c.text and "beta" in c.text)
        assert c.section == (("A",) if "alpha" in c.text else ("B",))


def test_overlap_repeats_words_between_neighbours():
    text = " ".join(f"w{i}" for i in range(200))
    chunks = chunk_document(doc_of(Block(text, page=1)), EMB.token_spans, 30, 6)
    a, b = chunks[0].text.split(), chunks[1].text.split()
    assert set(a) & set(b)


def test_a_word_longer_than_the_budget_is_cut_between_tokens_not_dropped():
    text = "start " + "x" * 5 + "+" * 80 + " end"
    spans = EMB.token_spans(text)
    parts = windows(text, spans, 20, 2)
    covered = "".join(text[a:b] for a, b in parts)
    assert "start" in covered and "end" in covered
    assert all(len(EMB.token_spans(text[a:b])) <= 20 for a, b in parts)


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300),
                min_size=1, max_size=5),
       st.integers(min_value=8, max_value=60), st.integers(min_value=0, max_value=10))
def test_every_non_space_character_lands_in_some_chunk_and_chunks_fit(texts, budget, overlap):
    blocks = [Block(t, page=i + 1) for i, t in enumerate(texts)]
    chunks = chunk_document(doc_of(*blocks), EMB.token_spans, budget, overlap)
    joined = "".join(c.text for c in chunks)
    for t in texts:
        for ch in t.strip():
            if not ch.isspace():
                assert ch in joined
    assert all(EMB.count_tokens(embedding_text(c)) <= budget for c in chunks)
