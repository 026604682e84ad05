"""The store: embeddings, the keyword index, vectors, versions and the build that writes them."""
