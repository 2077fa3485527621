// Ingest's Cypher: the batched write of documents (composed by actorgraph.ingest.writer.write_documents_query),
// source bookkeeping, forgetting, derived node fields, and the counts of `stats`. docs/graph-model.md explains
// the model; every value travels as a parameter, only labels and relationship types are filled in.

// --- write_head (fragment)
// The batch's documents: created when new, metadata kept where already known, new sources appended.
UNWIND $docs AS d
MERGE (doc:Document {id: d.id})
ON CREATE SET doc.text = d.text, doc.ingested_at = d.ingested_at, doc.sources = []
SET doc.title = coalesce(doc.title, d.title), doc.author = coalesce(doc.author, d.author), doc.published = coalesce(doc.published, d.published), doc.url = coalesce(doc.url, d.url), doc.sources = coalesce(doc.sources, []) + [s IN d.sources WHERE NOT s IN coalesce(doc.sources, [])]
WITH collect(doc) AS written

// --- create_actor_nodes (fragment)
// Create the batch's actors of one label that do not exist yet. Found by the one-label id index and created with
// both labels: MERGE (n:Actor:Person {id}) checks the second label on every row. On FalkorDB a query runs alone;
// on Neo4j a concurrent creator trips the unique constraint and the batch is retried (writer.with_retry).
CALL { UNWIND $nodes_{{actor_label}} AS a
  OPTIONAL MATCH (found:Actor {id: a.id}) WITH a, found WHERE found IS NULL
  CREATE (n:Actor:{{actor_label}} {id: a.id, name: a.name, type: a.type, aliases: [], mention_count: 0, doc_count: 0})
  RETURN count(*) AS nodes_{{actor_label}} }

// --- create_charge_nodes (fragment)
// Create the batch's charges that do not exist yet (as create_actor_nodes).
CALL { UNWIND $nodes_Charge AS a
  OPTIONAL MATCH (found:Charge {id: a.id}) WITH a, found WHERE found IS NULL
  CREATE (n:Charge {id: a.id, name: a.name, mention_count: 0, doc_count: 0})
  RETURN count(*) AS nodes_Charge }

// --- mention_step (fragment)
// MERGE the MENTIONED_IN edges of nodes the steps before made or found, never in the step that makes a node:
// FalkorDB 4.x, MERGEing a node and then an edge from it in one step, attached some edges to another node.
// A mention row is [id, count, forms, name] (writer.MENTION_COLUMNS), grouped under its document id.
CALL { WITH written UNWIND written AS doc UNWIND coalesce($mentions_{{entity_label}}[doc.id], []) AS a
  MATCH (n:{{entity_label}} {id: a[0]})
  MERGE (n)-[m:MENTIONED_IN]->(doc)
  SET m.count = a[1], m.forms = a[2], m.actor_key = a[0], m.name = a[3]
  RETURN count(*) AS mentions_{{entity_label}} }

// --- actor_claim_step (fragment)
// The batch's claims of one type between actors. A claim row is [id, subject_key, object_key, evidence, start,
// end, confidence, rule, denied, stage] (writer.CLAIM_COLUMNS), grouped as [document id, rows]; `stage` is null
// except on ACCUSES and ACCUSED_OF claims.
CALL { UNWIND $claims_{{rel}} AS g UNWIND g[1] AS c
  MATCH (s:Actor {id: c[1]}) MATCH (o:Actor {id: c[2]})
  MERGE (s)-[r:{{rel}} {id: c[0]}]->(o)
  SET r.doc_id = g[0], r.subject_key = c[1], r.object_key = c[2], r.evidence = c[3], r.start = c[4], r.end = c[5], r.confidence = c[6], r.rule = c[7], r.denied = c[8], r.stage = c[9]
  RETURN count(*) AS claims_{{rel}} }

// --- charge_claim_step (fragment)
// The batch's ACCUSED_OF claims: an actor accused of a charge (rows as actor_claim_step).
CALL { UNWIND $claims_ACCUSED_OF AS g UNWIND g[1] AS c
  MATCH (s:Actor {id: c[1]}) MATCH (o:Charge {id: c[2]})
  MERGE (s)-[r:ACCUSED_OF {id: c[0]}]->(o)
  SET r.doc_id = g[0], r.subject_key = c[1], r.object_key = c[2], r.evidence = c[3], r.start = c[4], r.end = c[5], r.confidence = c[6], r.rule = c[7], r.denied = c[8], r.stage = c[9]
  RETURN count(*) AS claims_ACCUSED_OF }

// --- write_tail (fragment)
// The batch is complete; its nodes' derived fields are still to be recomputed (pending).
UNWIND written AS doc SET doc.complete = true, doc.pending = true
RETURN count(doc) AS documents

// --- complete_documents
// Which of these document ids are already complete (one read per batch, so a re-run skips them).
UNWIND $ids AS id MATCH (d:Document {id: id}) WHERE d.complete = true
RETURN d.id AS id, d.sources AS sources

// --- add_sources
// Add sources to complete documents (a duplicate text read from another path).
UNWIND $rows AS row MATCH (d:Document {id: row.id})
SET d.sources = coalesce(d.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(d.sources, [])]
RETURN count(d) AS n

// --- take_sources
// A source now holds another text: the other documents lose it; returns how many sources each has left.
UNWIND $rows AS row UNWIND row.sources AS s
MATCH (old:Document) WHERE s IN old.sources AND old.id <> row.id
WITH old, collect(DISTINCT s) AS gone
SET old.sources = [x IN old.sources WHERE NOT x IN gone]
RETURN old.id AS id, size(old.sources) AS left

// --- abandoned_documents
// Documents left half-forgotten (a crash inside `forget`) or with no source: `heal` finishes forgetting them.
MATCH (d:Document) WHERE d.complete = false OR size(coalesce(d.sources, [])) = 0 RETURN d.id AS id

// --- pending_documents
// Documents written whose nodes' derived fields were not recomputed yet (ingest settles them after refresh).
MATCH (d:Document) WHERE d.pending = true OPTIONAL MATCH (n)-[:MENTIONED_IN]->(d)
RETURN d.id AS id, collect(n.id) AS named

// --- settle_documents
// The derived fields of these documents' nodes are up to date.
UNWIND $ids AS id MATCH (d:Document {id: id}) SET d.pending = null RETURN count(d) AS n

// --- dirty_nodes
// Nodes whose derived fields a crash may have left stale (merge, split, alias add mark them).
MATCH (a:{{entity_label}}) WHERE a.dirty = true RETURN a.id AS id

// --- forget_mark
// forget, step 1: the document is not complete any more and the nodes it names are dirty, in one atomic write, so
// whatever a crash interrupts later is finished by running forget again (or by `heal` at the next ingest).
MATCH (doc:Document {id: $id}) SET doc.complete = false
WITH doc OPTIONAL MATCH (n)-[:MENTIONED_IN]->(doc)
WITH doc, collect(DISTINCT n) AS named
FOREACH (x IN named | SET x.dirty = true)
RETURN doc.id AS id, [x IN named | x.id] AS named

// --- forget_claims
// forget, step 2: the document's claims (every claim's subject is an actor the document mentions).
MATCH (doc:Document {id: $id})<-[:MENTIONED_IN]-(:Actor)-[r]->() WHERE r.doc_id = $id
DELETE r RETURN count(r) AS claims

// --- forget_mentions
// forget, step 3: the document's MENTIONED_IN edges; the document itself stays until its nodes are refreshed.
MATCH (doc:Document {id: $id})<-[m:MENTIONED_IN]-()
DELETE m RETURN count(m) AS mentions

// --- forget_document
// forget, last step: the document node, once its claims and mentions are gone and its nodes refreshed.
MATCH (doc:Document {id: $id}) DETACH DELETE doc RETURN count(*) AS n

// --- documents_by_source
// Find a document by a source path or URL.
MATCH (d:Document) WHERE $source IN d.sources RETURN d.id AS id

// --- document_by_id
// Find a document by its id.
MATCH (d:Document {id: $id}) RETURN d.id AS id

// --- read_derived
// What a node's derived fields are computed from: its MENTIONED_IN edges, manual aliases and chosen name.
UNWIND $ids AS id MATCH (a:{{entity_label}} {id: id})
OPTIONAL MATCH (a)-[m:MENTIONED_IN]->(d:Document)
RETURN a.id AS id, coalesce(a.rev, 0) AS rev, a.name AS name, coalesce(a.manual_aliases, []) AS manual, a.manual_name AS manual_name, collect(m.name) AS names, collect(m.forms) AS forms, sum(coalesce(m.count, 0)) AS mentions, count(DISTINCT d) AS docs, count(m) AS edges

// --- write_derived_actors
// Write actors' derived fields, only where nothing changed the node since it was read: `rev` (bumped by resolve)
// and its MENTIONED_IN edges (added by ingest, which does not touch the node in its write query).
UNWIND $rows AS row MATCH (a:Actor {id: row.id})
WHERE coalesce(a.rev, 0) = row.rev
OPTIONAL MATCH (a)-[m:MENTIONED_IN]->()
WITH a, row, count(m) AS edges, sum(coalesce(m.count, 0)) AS mentions
WHERE edges = row.edges AND mentions = row.mention_count
SET a.name = row.name, a.aliases = row.aliases, a.keys = row.keys, a.mention_count = row.mention_count, a.doc_count = row.doc_count, a.dirty = false
RETURN a.id AS id

// --- write_derived_charges
// Write charges' derived fields, with the same checks as write_derived_actors.
UNWIND $rows AS row MATCH (a:Charge {id: row.id})
WHERE coalesce(a.rev, 0) = row.rev
OPTIONAL MATCH (a)-[m:MENTIONED_IN]->()
WITH a, row, count(m) AS edges, sum(coalesce(m.count, 0)) AS mentions
WHERE edges = row.edges AND mentions = row.mention_count
SET a.name = row.name, a.mention_count = row.mention_count, a.doc_count = row.doc_count, a.dirty = false
RETURN a.id AS id

// --- delete_orphans
// Delete actors / charges left with no claim and no mention (same `rev` check); returns the deleted ids.
UNWIND $rows AS row MATCH (a:{{entity_label}} {id: row.id})
WHERE coalesce(a.rev, 0) = row.rev
OPTIONAL MATCH (a)-[r]-() WITH a, row, count(r) AS degree WHERE degree = 0
DELETE a RETURN row.id AS id

// --- count_labels
// stats: nodes per label (the model-version node is not the user's data).
MATCH (n) WHERE NOT n:ActorgraphModel UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label

// --- count_types
// stats: relationships per type.
MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type

// --- count_sources
// stats: documents and the sources they were read from.
MATCH (d:Document) RETURN count(d) AS documents, sum(size(coalesce(d.sources, []))) AS sources

// --- top_actors
// stats: the actors with most claims.
MATCH (a:Actor)-[r]-() WHERE type(r) <> 'MENTIONED_IN'
RETURN a.id AS id, a.name AS name, a.type AS type, count(r) AS claims, count(DISTINCT r.doc_id) AS documents, coalesce(a.mention_count, 0) AS mentions
ORDER BY claims DESC, name LIMIT $limit

// --- count_claims_of
// Claims of one type: FalkorDB answers a typed count from its matrix, where an untyped scan reads every edge.
MATCH ()-[r:{{rel}}]->() RETURN count(r) AS n
