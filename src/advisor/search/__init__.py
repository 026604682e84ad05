"""Search: read the question, retrieve and rank passages and resources, compose the answer."""
