// The exports' reads (actorgraph/export/walk.py walks the graph with them; viz draws with the last three).
//
// The walk's reads end `RETURN {...} AS row` and go through GraphStore.read_maps: one map per row. Every string
// value in such a map is written toString(x), and a list of strings [x IN coalesce(xs, []) | toString(x)]; a
// backend that moves a whole page as one JSON string (FalkorDB) escapes exactly those. Keyset pages filter on
// `> $after`, sort on the map's `key` and end `LIMIT $limit`.

// --- actor_heads
// Every actor id, a page at a time, with how many claims and mentions it has: the walk batches actors by that.
MATCH (a:Actor) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $limit
RETURN {key: toString(a.id),
        claims: size([(a)-[c]->() WHERE type(c) IN $predicates | 1]),
        mentions: size([(a)-[:MENTIONED_IN]->() | 1])} AS row

// --- actor_batch
// These actors with their outgoing claims (rejected ones only with $include_rejected) and their mentions.
UNWIND $ids AS id MATCH (a:Actor {id: id}) WITH a
RETURN {key: toString(a.id), labels: labels(a), type: toString(a.type), name: toString(a.name),
        aliases: [x IN coalesce(a.aliases, []) | toString(x)],
        manual_aliases: [x IN coalesce(a.manual_aliases, []) | toString(x)],
        merged_from: [x IN coalesce(a.merged_from, []) | toString(x)],
        mention_count: a.mention_count, doc_count: a.doc_count,
        claims: [(a)-[c]->(o) WHERE type(c) IN $predicates AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected) |
                 {predicate: type(c), object: toString(o.id), object_labels: labels(o), object_name: toString(o.name),
                  id: toString(c.id), doc_id: toString(c.doc_id), evidence: toString(c.evidence), start: c.start,
                  end: c.end, confidence: c.confidence, rule: toString(c.rule), denied: c.denied, stage: toString(c.stage),
                  subject_key: toString(c.subject_key), object_key: toString(c.object_key), review: toString(c.review)}],
        mentions: [(a)-[m:MENTIONED_IN]->(d:Document) |
                   {doc: toString(d.id), count: m.count, forms: [x IN coalesce(m.forms, []) | toString(x)],
                    actor_key: toString(m.actor_key), name: toString(m.name)}]} AS row

// --- actor_fields
// These actors' own fields: a big actor, whose claims and mentions come in pages of their own.
UNWIND $ids AS id MATCH (a:Actor {id: id}) WITH a
RETURN {key: toString(a.id), labels: labels(a), type: toString(a.type), name: toString(a.name),
        aliases: [x IN coalesce(a.aliases, []) | toString(x)],
        manual_aliases: [x IN coalesce(a.manual_aliases, []) | toString(x)],
        merged_from: [x IN coalesce(a.merged_from, []) | toString(x)],
        mention_count: a.mention_count, doc_count: a.doc_count} AS row

// --- actor_claims
// The claims of one big actor, a page at a time in claim id order.
MATCH (a:Actor {id: $node})-[c]->(o) WHERE type(c) IN $predicates AND c.id > $after AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
WITH c, o ORDER BY c.id LIMIT $limit
RETURN {key: toString(c.id),
        predicate: type(c), object: toString(o.id), object_labels: labels(o), object_name: toString(o.name),
        id: toString(c.id), doc_id: toString(c.doc_id), evidence: toString(c.evidence), start: c.start,
        end: c.end, confidence: c.confidence, rule: toString(c.rule), denied: c.denied, stage: toString(c.stage),
        subject_key: toString(c.subject_key), object_key: toString(c.object_key), review: toString(c.review)} AS row

// --- charge_heads
// Every charge id, a page at a time, with how many mentions it has.
MATCH (a:Charge) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $limit
RETURN {key: toString(a.id), claims: 0, mentions: size([(a)-[:MENTIONED_IN]->() | 1])} AS row

// --- charge_batch
// These charges with their mentions.
UNWIND $ids AS id MATCH (a:Charge {id: id}) WITH a
RETURN {key: toString(a.id), name: toString(a.name), mention_count: a.mention_count, doc_count: a.doc_count,
        mentions: [(a)-[m:MENTIONED_IN]->(d:Document) |
                   {doc: toString(d.id), count: m.count, forms: [x IN coalesce(m.forms, []) | toString(x)],
                    actor_key: toString(m.actor_key), name: toString(m.name)}]} AS row

// --- charge_fields
// These charges' own fields (a big charge, or the charges of a subgraph).
UNWIND $ids AS id MATCH (a:Charge {id: id}) WITH a
RETURN {key: toString(a.id), name: toString(a.name), mention_count: a.mention_count, doc_count: a.doc_count} AS row

// --- mention_page
// The mentions of one big actor or charge, a page at a time, keyed by document and document-level id.
MATCH (a:{{entity_label}} {id: $node})-[m:MENTIONED_IN]->(d:Document)
WITH m, d, d.id + ' ' + coalesce(m.actor_key, '') AS k WHERE k > $after
WITH m, d, k ORDER BY k LIMIT $limit
RETURN {key: toString(k), doc: toString(d.id), count: m.count, forms: [x IN coalesce(m.forms, []) | toString(x)],
        actor_key: toString(m.actor_key), name: toString(m.name)} AS row

// --- document_ids
// Every document id, a page at a time (document_batch then reads a few of them at a time, with their text).
MATCH (d:Document) WHERE d.id > $after WITH d ORDER BY d.id LIMIT $limit
RETURN {key: toString(d.id)} AS row

// --- document_batch
// These documents with their text.
UNWIND $ids AS id MATCH (d:Document {id: id}) WITH d
RETURN {key: toString(d.id), text: toString(d.text), sources: [x IN coalesce(d.sources, []) | toString(x)],
        title: toString(d.title), author: toString(d.author), published: toString(d.published),
        url: toString(d.url), ingested_at: toString(d.ingested_at), complete: d.complete} AS row

// --- redirects
// Every id merged away by resolution, and the actor it joined.
MATCH (r:Redirect) WHERE r.id > $after WITH r ORDER BY r.id LIMIT $limit
RETURN {key: toString(r.id), target: toString(r.target)} AS row

// --- decisions
// Every stored resolution decision.
MATCH (x:Decision) WHERE x.id > $after WITH x ORDER BY x.id LIMIT $limit
RETURN {key: toString(x.id), kind: toString(x.kind), a: toString(x.a), b: toString(x.b), name: toString(x.name),
        at: toString(x.at), by: toString(x.by), rule: toString(x.rule)} AS row

// --- claim_ends
// A subgraph (`export rdf --query`): the claims with these ids, in one scan of the claims, and what they touch.
MATCH (s:Actor)-[c]->(o) WHERE type(c) IN $predicates AND c.id IN $ids AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
RETURN c.id AS id, s.id AS subject, o.id AS object, labels(o) AS object_labels, c.doc_id AS doc_id

// --- subgraph_actors
// A subgraph's actors with those of their outgoing claims that are in it (no mentions).
UNWIND $ids AS id MATCH (a:Actor {id: id}) WITH a
RETURN {key: toString(a.id), labels: labels(a), type: toString(a.type), name: toString(a.name),
        aliases: [x IN coalesce(a.aliases, []) | toString(x)],
        manual_aliases: [x IN coalesce(a.manual_aliases, []) | toString(x)],
        merged_from: [x IN coalesce(a.merged_from, []) | toString(x)],
        mention_count: a.mention_count, doc_count: a.doc_count,
        claims: [(a)-[c]->(o) WHERE type(c) IN $predicates AND c.id IN $claim_ids AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected) |
                 {predicate: type(c), object: toString(o.id), object_labels: labels(o), object_name: toString(o.name),
                  id: toString(c.id), doc_id: toString(c.doc_id), evidence: toString(c.evidence), start: c.start,
                  end: c.end, confidence: c.confidence, rule: toString(c.rule), denied: c.denied, stage: toString(c.stage),
                  subject_key: toString(c.subject_key), object_key: toString(c.object_key), review: toString(c.review)}]} AS row

// --- document_times
// When each of these documents was ingested: its claims' prov:generatedAtTime.
UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, d.ingested_at AS at

// --- labels
// The labels in use: the copy walk scans each label that no other label covers.
CALL db.labels() YIELD label RETURN label

// --- node_page
// Every node of one label with all its properties, a page at a time in id order (the copy walk).
MATCH (n:{{label}}) WHERE n.id > $after
RETURN n.id AS key, labels(n) AS labels, properties(n) AS props ORDER BY n.id LIMIT $limit

// --- outgoing
// Every relationship out of these nodes of one label, with all its properties (the copy walk).
MATCH (a:{{label}})-[r]->(b) WHERE a.id IN $ids
RETURN a.id AS source, type(r) AS type, b.id AS target, labels(b) AS target_labels, properties(r) AS props

// --- viz_all_claims
// `viz` of the whole graph: the claims among the most-mentioned actors first, when there are too many to draw.
MATCH (a:Actor)-[c]->(b) WHERE c.id IS NOT NULL AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
WITH a, c, b ORDER BY coalesce(a.mention_count, 0) + coalesce(b.mention_count, 0) DESC, c.id LIMIT $limit
RETURN c.id AS id, type(c) AS predicate, c.evidence AS evidence, c.doc_id AS doc_id,
       coalesce(c.denied, false) AS denied, c.confidence AS confidence, c.review AS review,
       a.id AS source, a.name AS source_name, a.type AS source_type, coalesce(a.mention_count, 0) AS source_mentions,
       coalesce(a.aliases, []) AS source_aliases, b.id AS target, b.name AS target_name,
       coalesce(b.type, 'CHARGE') AS target_type, coalesce(b.mention_count, 0) AS target_mentions,
       coalesce(b.aliases, []) AS target_aliases

// --- viz_claims_by_id
// `viz` of a selection: the claims with these ids, with their ends (the columns of viz_all_claims).
MATCH (a:Actor)-[c]->(b) WHERE c.id IN $ids AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
RETURN c.id AS id, type(c) AS predicate, c.evidence AS evidence, c.doc_id AS doc_id,
       coalesce(c.denied, false) AS denied, c.confidence AS confidence, c.review AS review,
       a.id AS source, a.name AS source_name, a.type AS source_type, coalesce(a.mention_count, 0) AS source_mentions,
       coalesce(a.aliases, []) AS source_aliases, b.id AS target, b.name AS target_name,
       coalesce(b.type, 'CHARGE') AS target_type, coalesce(b.mention_count, 0) AS target_mentions,
       coalesce(b.aliases, []) AS target_aliases

// --- viz_documents
// The documents `viz` cites: title and source of each evidence sentence.
MATCH (d:Document) WHERE d.id IN $ids
RETURN d.id AS id, d.title AS title, d.sources AS sources, d.url AS url, d.published AS published

// --- reviews
// Every review, a page at a time: RDF carries them as PROV (who, when, why) on the claims it exports.
MATCH (r:Review) WHERE r.id > $after WITH r ORDER BY r.id LIMIT $limit
RETURN {key: toString(r.id), claim: toString(r.claim), claim_id: toString(r.claim_id), verdict: toString(r.verdict),
        status: toString(r.status), why: toString(r.why), by: toString(r.by), at: toString(r.at),
        content_key: toString(r.key)} AS row
