"""Text → `Extraction`: reading documents, the NLP pipeline, actors, aliases, coreference, relations, charges."""
