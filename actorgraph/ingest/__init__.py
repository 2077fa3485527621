"""Reading documents and extracting actors, aliases and evidence-backed relations from them."""
