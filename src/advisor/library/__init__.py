"""The library: catalog records, the topic vocabulary, the files on disk, adding and fetching resources."""
