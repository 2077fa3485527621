// Cross-document resolution (actorgraph/resolve/): reading the atoms and decisions, moving edges, recording.

// --- load_actors
// Every actor with the atoms it holds (its MENTIONED_IN edges grouped by atom: names, documents, the forms
// they recorded, each once) and how many claims touch it, one page of ids after $after (read as maps: the
// page's rows come back as one JSON string on FalkorDB).
MATCH (a:Actor) WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $limit
OPTIONAL MATCH (a)-[m:MENTIONED_IN]->(d:Document)
WITH a, m.actor_key AS key, collect(DISTINCT m.name) AS names, collect(d.id) AS docs, collect(m.forms) AS forms
WITH a, collect(CASE WHEN size(docs) = 0 THEN null
                ELSE {key: key, names: names, docs: docs,
                      forms: reduce(seen = [], fs IN forms | seen + [f IN fs WHERE NOT f IN seen])} END) AS atoms
OPTIONAL MATCH (a)-[r]-() WHERE type(r) <> 'MENTIONED_IN'
WITH a, atoms, count(r) AS claims
RETURN {key: toString(a.id), type: toString(a.type), labels: labels(a), name: toString(a.name),
        aliases: [x IN coalesce(a.aliases, []) | toString(x)],
        merged_from: [x IN coalesce(a.merged_from, []) | toString(x)],
        manual: [x IN coalesce(a.manual_aliases, []) | toString(x)], manual_name: toString(a.manual_name),
        atoms: [m IN atoms | {key: toString(m.key), names: [n IN m.names | toString(n)],
                              docs: [x IN m.docs | toString(x)], forms: [f IN m.forms | toString(f)]}],
        claims: claims} AS row

// --- load_redirects
// Every Redirect (merged-away id -> surviving actor), a page at a time.
MATCH (r:Redirect) WHERE r.id > $after
RETURN r.id AS key, r.target AS target
ORDER BY key LIMIT $limit

// --- load_decisions
// Every Decision, a page at a time.
MATCH (d:Decision) WHERE d.id > $after
RETURN d.id AS key, d.kind AS kind, d.a AS a, d.b AS b, d.name AS name, d.at AS at, d.by AS by,
       d.superseded AS superseded
ORDER BY key LIMIT $limit

// --- merged_atoms
// The atoms merged into these actors (mention keys other than the actor's own id): what `split NAME` means.
UNWIND $ids AS id
MATCH (a:Actor {id: id})-[m:MENTIONED_IN]->(:Document) WHERE m.actor_key <> a.id
RETURN m.actor_key AS id, collect(DISTINCT m.name) AS names, a.type AS type, a.id AS into,
       sum(coalesce(m.count, 0)) AS mentions
ORDER BY id

// --- count_actors
// How many actors there are (the report's before / after).
MATCH (a:Actor) RETURN count(a) AS n

// --- create_target
// Create the node atoms move to (a split re-creates the atom's own node), under its actor label; a replay finds
// it made and leaves `rev` alone.
UNWIND $rows AS row
MERGE (a:Actor:{{actor_label}} {id: row.id})
ON CREATE SET a.name = row.name, a.type = row.type, a.aliases = [], a.mention_count = 0, a.doc_count = 0, a.rev = 1
SET a.dirty = true
RETURN count(a) AS n

// --- move_out
// Move claims whose subject is one of `mv.keys` (or all, `mv.all`) from node `mv.src` to `mv.dst`.
UNWIND $rows AS mv
MATCH (a:Actor {id: mv.src})-[r:{{rel}}]->(o)
WHERE mv.all OR r.subject_key IN mv.keys
MATCH (b:Actor {id: mv.dst})
MERGE (b)-[r2:{{rel}} {id: r.id}]->(o)
SET r2 += properties(r), a.dirty = true, a.rev = coalesce(a.rev, 0) + 1,
    b.dirty = true, b.rev = coalesce(b.rev, 0) + 1
DELETE r
RETURN count(*) AS moved

// --- move_in
// Move claims whose object is one of `mv.keys` (or all) from node `mv.src` to `mv.dst`.
UNWIND $rows AS mv
MATCH (s)-[r:{{rel}}]->(a:Actor {id: mv.src})
WHERE mv.all OR r.object_key IN mv.keys
MATCH (b:Actor {id: mv.dst})
MERGE (s)-[r2:{{rel}} {id: r.id}]->(b)
SET r2 += properties(r), a.dirty = true, a.rev = coalesce(a.rev, 0) + 1,
    b.dirty = true, b.rev = coalesce(b.rev, 0) + 1
DELETE r
RETURN count(*) AS moved

// --- move_mentions
// Move the MENTIONED_IN edges of atoms `mv.keys` (or all) from `mv.src` to `mv.dst`, after their claims.
// An atom is found where its mentions are, so a crash between claims and mentions leaves it visible where
// claims remain. One edge per (atom, document), keyed by the atom, so a split can move it back.
UNWIND $rows AS mv
MATCH (a:Actor {id: mv.src})-[r:MENTIONED_IN]->(o)
WHERE mv.all OR r.actor_key IN mv.keys
MATCH (b:Actor {id: mv.dst})
MERGE (b)-[r2:MENTIONED_IN {actor_key: coalesce(r.actor_key, a.id)}]->(o)
SET r2 += properties(r), a.dirty = true, a.rev = coalesce(a.rev, 0) + 1,
    b.dirty = true, b.rev = coalesce(b.rev, 0) + 1
DELETE r
RETURN count(*) AS moved

// --- write_redirects
// Point merged-away ids at their surviving actor.
UNWIND $rows AS row
MERGE (r:Redirect {id: row.id})
SET r.target = row.target
RETURN count(r) AS n

// --- delete_redirects
// Drop Redirects of ids that are live again or gone.
UNWIND $ids AS id
MATCH (r:Redirect {id: id})
DELETE r
RETURN count(*) AS n

// --- delete_empty_actors
// Delete merged-away actors, only once nothing points at them any more.
UNWIND $ids AS id
MATCH (a:Actor {id: id})
OPTIONAL MATCH (a)-[r]-()
WITH a, count(r) AS degree WHERE degree = 0
DELETE a
RETURN count(*) AS n

// --- write_resolved
// The resolution fields of surviving actors; absent when empty, so a merged-then-split actor looks untouched.
// Only where they differ, so a replay changes nothing (an absent manual_name compares as the id, never a name).
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
WHERE coalesce(a.merged_from, []) <> row.merged_from OR coalesce(a.manual_aliases, []) <> row.manual_aliases
   OR coalesce(a.manual_name, a.id) <> coalesce(row.manual_name, row.id)
SET a.merged_from = CASE WHEN size(row.merged_from) = 0 THEN null ELSE row.merged_from END,
    a.manual_aliases = CASE WHEN size(row.manual_aliases) = 0 THEN null ELSE row.manual_aliases END,
    a.manual_name = row.manual_name,
    a.dirty = true, a.rev = coalesce(a.rev, 0) + 1
RETURN count(a) AS n

// --- write_decisions
// Record automatic decisions (the log of resolve's merges); recording one again keeps its first time.
UNWIND $rows AS row
MERGE (d:Decision {id: row.id})
ON CREATE SET d.kind = row.kind, d.a = row.a, d.b = row.b, d.name = row.name, d.at = row.at, d.by = row.by
SET d.rule = row.rule
RETURN count(d) AS n

// --- delete_decisions
// Drop automatic decisions the current partition no longer holds.
UNWIND $ids AS id
MATCH (d:Decision {id: id})
DELETE d
RETURN count(*) AS n

// --- record_decision
// A user judgement, the changes it makes (`pending`, JSON) and the judgements it overrides (kept as the log, no
// longer applied), in one atomic write before any of those changes: whatever a crash interrupts is finished from
// it. Recording one again makes it the latest on its pair, and in force again.
CALL { UNWIND $supersede AS sid MATCH (o:Decision {id: sid}) SET o.superseded = $at RETURN count(o) AS overridden }
MERGE (d:Decision {id: $id})
ON CREATE SET d.kind = $kind, d.a = $a, d.b = $b, d.name = $name, d.by = $by
SET d.at = $at, d.superseded = null, d.rule = $by, d.pending = $pending
RETURN d.id AS id, overridden

// --- pending_decisions
// User judgements whose changes a crash left unfinished, oldest first (none but after a crash).
MATCH (d:Decision) WHERE d.pending IS NOT NULL
RETURN d.id AS id, d.pending AS pending
ORDER BY d.at, d.id

// --- settle_decision
// Every change of this judgement is in the graph: it is no longer pending.
MATCH (d:Decision {id: $id})
SET d.pending = null
RETURN d.id AS id

// --- decision_in_force
// This user judgement is recorded, finished and not overridden (a re-run of its command has nothing to do).
MATCH (d:Decision {id: $id}) WHERE d.superseded IS NULL AND d.pending IS NULL
RETURN d.id AS id

// --- split_in_force
// Which of these ids a user split in force keeps apart (a re-run of that split has nothing to do).
UNWIND $ids AS id
MATCH (d:Decision) WHERE d.kind = $kind AND d.by = $by AND d.b = id AND d.superseded IS NULL
RETURN DISTINCT d.b AS id

// --- manual_aliases
// The names the user added to an actor (a re-run of `alias add` has nothing to do).
MATCH (a:Actor {id: $id})
RETURN coalesce(a.manual_aliases, []) AS manual
