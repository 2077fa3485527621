// The one actor lookup (actorgraph/queries/lookup.py): a name, alias or id typed by a user, to one actor.

// --- actor_by_id
// One actor by id.
MATCH (a:Actor {id: $id})
RETURN a.id AS id, a.name AS name, a.type AS type, coalesce(a.aliases, []) AS aliases,
       coalesce(a.mention_count, 0) AS mentions, coalesce(a.doc_count, 0) AS documents

// --- actor_by_redirect
// The live actor a merged-away id redirects to (resolve keeps redirects one hop long).
MATCH (r:Redirect {id: $id})
MATCH (a:Actor {id: r.target})
RETURN a.id AS id, a.name AS name, a.type AS type, coalesce(a.aliases, []) AS aliases,
       coalesce(a.mention_count, 0) AS mentions, coalesce(a.doc_count, 0) AS documents

// --- actors_by_key
// Actors with any of these lookup keys: one index seek per key (FalkorDB indexes each member of a list).
UNWIND $keys AS k
MATCH (a:Actor) WHERE k IN a.keys
WITH DISTINCT a
RETURN a.id AS id, a.name AS name, a.type AS type, coalesce(a.aliases, []) AS aliases,
       coalesce(a.mention_count, 0) AS mentions, coalesce(a.doc_count, 0) AS documents
ORDER BY mentions DESC, id LIMIT 50

// --- actor_names
// Every actor's names, a page at a time: "did you mean", and actors written without `keys` (error path only).
MATCH (a:Actor) WHERE a.id > $after
RETURN a.id AS key, a.name AS name, a.type AS type, coalesce(a.aliases, []) AS aliases,
       coalesce(a.mention_count, 0) AS mentions, coalesce(a.doc_count, 0) AS documents,
       a.keys IS NULL AS unkeyed
ORDER BY key LIMIT $limit

// --- all_actor_ids
// Every actor id, a page at a time: what `refresh_actor_keys` does when given no ids.
MATCH (a:Actor) WHERE a.id > $after RETURN a.id AS key ORDER BY key LIMIT $limit

// --- actor_key_sources
// What `keys` is computed from, for a batch of actors.
UNWIND $ids AS id
MATCH (a:Actor {id: id})
RETURN a.id AS id, a.name AS name, coalesce(a.aliases, []) AS aliases

// --- set_actor_keys
// Write `keys` for a batch of actors.
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
SET a.keys = row.keys
RETURN count(a) AS n

// --- actor_claims
// How many claims each of these actors is the subject or object of: the lookup ranks candidates by evidence.
UNWIND $ids AS id
MATCH (a:Actor {id: id})
OPTIONAL MATCH (a)-[c]-() WHERE type(c) <> 'MENTIONED_IN'
RETURN a.id AS id, count(c) AS claims
