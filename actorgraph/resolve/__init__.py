"""Cross-document resolution: which actor nodes are one real actor, and the user's merge / split / alias decisions."""
