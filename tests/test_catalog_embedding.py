"""The catalog records' embedding job: batches of about one length, vectors back in the records' order."""

from types import SimpleNamespace

import numpy as np

from advisor.ingest.chunking import embedding_text
from advisor.store.embeddings import FakeEmbedder
from advisor.store.pipeline import CatalogEmbedding


class RecordingEmbedder(FakeEmbedder):
    def __init__(self):
        super().__init__(dimension=32, max_tokens=512)
        self.batches: list[list[str]] = []

    def encode(self, texts, batch_size=32, progress=False):
        self.batches.append(list(texts))
        return super().encode(texts, batch_size, progress)


def _job(embedder, n_records: int = 9):
    # lengths deliberately out of order: short, long, medium, ...
    words = [3 + (7 * i) % 40 for i in range(n_records)]
    docs = {f"r{i}": " ".join(f"word{i}x{j}" for j in range(n)) for i, n in enumerate(words)}
    catalog = SimpleNamespace(resources={rid: SimpleNamespace(title=f"Record {rid}") for rid in docs})
    fingerprint = SimpleNamespace(dimension=embedder.dimension, chunk_tokens=500, overlap_tokens=0)
    return CatalogEmbedding(catalog, docs, list(docs), None, embedder, fingerprint, batch_size=2)


def test_each_record_gets_its_own_vector_whatever_order_it_is_embedded_in():
    embedder = RecordingEmbedder()
    chunks, matrix = _job(embedder).finish()
    assert len(chunks) == matrix.shape[0] == 9
    expected = FakeEmbedder(dimension=32).encode([embedding_text(c) for c in chunks])
    np.testing.assert_allclose(matrix, expected, atol=1e-6)


def test_records_are_embedded_longest_first_so_a_batch_holds_one_length():
    embedder = RecordingEmbedder()
    job = _job(embedder)
    while job.step():
        pass
    lengths = [len(t) for batch in embedder.batches for t in batch]
    assert len(embedder.batches) == 5  # 9 records, 2 per batch
    assert lengths == sorted(lengths, reverse=True)


def test_a_record_description_is_also_embedded_alone_under_its_title():
    from advisor.store.pipeline import record_chunks

    embedder = FakeEmbedder(dimension=32, max_tokens=512)
    record = SimpleNamespace(title="A Broad Book", description="Proves the fundamental theorem of PAC learning.")
    fingerprint = SimpleNamespace(dimension=32, chunk_tokens=500, overlap_tokens=0)
    text = "A Broad Book\nTopics: " + ", ".join(f"topic {i}" for i in range(20)) + "\n" + record.description
    chunks = record_chunks("broad", record, text, embedder, fingerprint)
    assert [c.text for c in chunks] == [text, record.description]
    assert len({c.id for c in chunks}) == 2 and all(c.path == "catalog/broad.md" for c in chunks)
    assert embedding_text(chunks[1]).startswith("A Broad Book")  # the title heads the prose
    # a record without a description has its whole text only
    bare = SimpleNamespace(title="Bare")
    assert len(record_chunks("bare", bare, "Bare", embedder, fingerprint)) == 1
