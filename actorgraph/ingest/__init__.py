"""`Extraction` → graph: the batched writer, the ingest run, forgetting documents, derived node fields."""
