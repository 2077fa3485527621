// Claim review (actorgraph/review.py): (:Review) nodes apart from the claims, and the `review` mark each
// reconciled review leaves on its current claim, so queries and exports filter without a join.

// --- claim_by_id
// One claim by id, with its ends and its document's first source (`claim show`; one scan of the claims).
MATCH (s:Actor)-[c]->(o) WHERE type(c) IN $predicates AND c.id = $id
OPTIONAL MATCH (d:Document {id: c.doc_id})
RETURN c.id AS id, type(c) AS predicate, c.doc_id AS doc_id, c.evidence AS evidence, c.start AS start,
       c.end AS end, c.confidence AS confidence, c.rule AS rule, coalesce(c.denied, false) AS denied,
       c.stage AS stage, c.subject_key AS subject_key, c.object_key AS object_key, c.review AS review,
       s.id AS subject, s.name AS subject_name, o.id AS object, o.name AS object_name,
       coalesce(d.sources[0], d.url, c.doc_id) AS source
LIMIT 1

// --- doc_claims
// Every claim of these documents (found through the actors each document mentions), with its ends.
UNWIND $docs AS doc
MATCH (d:Document {id: doc})<-[:MENTIONED_IN]-(s:Actor)-[c]->(o)
WHERE type(c) IN $predicates AND c.doc_id = doc
WITH DISTINCT d, s, c, o
RETURN c.id AS id, type(c) AS predicate, c.doc_id AS doc_id, c.evidence AS evidence, c.start AS start,
       c.end AS end, c.confidence AS confidence, c.rule AS rule, coalesce(c.denied, false) AS denied,
       c.stage AS stage, c.subject_key AS subject_key, c.object_key AS object_key, c.review AS review,
       s.id AS subject, s.name AS subject_name, o.id AS object, o.name AS object_name,
       coalesce(d.sources[0], d.url, c.doc_id) AS source

// --- doc_forms
// The surface forms each document-level entity has in these documents (a claim's ends, as the text names them).
UNWIND $docs AS doc
MATCH (:Document {id: doc})<-[m:MENTIONED_IN]-()
RETURN doc, m.actor_key AS key, coalesce(m.forms, []) AS forms, m.name AS name

// --- docs_by_source
// The documents now read from these sources (a reviewed document whose text was edited is a new document).
UNWIND $sources AS source
MATCH (d:Document) WHERE source IN d.sources OR d.url = source
RETURN source, d.id AS doc

// --- unreviewed
// Claims no review marks, in document and offset order (`claims --status unreviewed`).
MATCH (s:Actor)-[c]->(o) WHERE type(c) IN $predicates AND c.review IS NULL
WITH s, c, o ORDER BY c.doc_id, c.start, c.id LIMIT $limit
OPTIONAL MATCH (d:Document {id: c.doc_id})
RETURN c.id AS id, type(c) AS predicate, c.doc_id AS doc_id, c.evidence AS evidence, c.start AS start,
       c.end AS end, c.confidence AS confidence, c.rule AS rule, coalesce(c.denied, false) AS denied,
       c.stage AS stage, c.subject_key AS subject_key, c.object_key AS object_key, c.review AS review,
       s.id AS subject, s.name AS subject_name, o.id AS object, o.name AS object_name,
       coalesce(d.sources[0], d.url, c.doc_id) AS source

// --- unreviewed_of_actor
// The unreviewed claims in and out of one actor (`claims --status unreviewed --actor X`).
MATCH (x:Actor {id: $actor})-[c]-(o) WHERE type(c) IN $predicates AND c.review IS NULL
WITH startNode(c) AS s, c, endNode(c) AS o ORDER BY c.doc_id, c.start, c.id LIMIT $limit
OPTIONAL MATCH (d:Document {id: c.doc_id})
RETURN c.id AS id, type(c) AS predicate, c.doc_id AS doc_id, c.evidence AS evidence, c.start AS start,
       c.end AS end, c.confidence AS confidence, c.rule AS rule, coalesce(c.denied, false) AS denied,
       c.stage AS stage, c.subject_key AS subject_key, c.object_key AS object_key, c.review AS review,
       s.id AS subject, s.name AS subject_name, o.id AS object, o.name AS object_name,
       coalesce(d.sources[0], d.url, c.doc_id) AS source

// --- reviews
// Every stored review, oldest first (reconcile replays them in that order, so a later one wins a claim).
MATCH (r:Review)
WITH r ORDER BY r.at, r.id
RETURN properties(r) AS review

// --- count_reviews
// How many reviews the graph holds (none: nothing to reconcile).
MATCH (r:Review) RETURN count(r) AS n

// --- save_review
// Create or update one review (its verdict, why, by, at, and the content that finds its claim again).
MERGE (r:Review {id: $id})
SET r += $props

// --- review_state
// Record which claim each review now judges and its document (null: orphaned), and its status.
UNWIND $rows AS row
MATCH (r:Review {id: row.id})
SET r.claim = row.claim, r.claim_doc = row.doc, r.status = row.status

// --- mark_claims
// Set (or clear, with a null verdict) the review mark of claims, each found through its document.
UNWIND $rows AS row
MATCH (:Document {id: row.doc})<-[:MENTIONED_IN]-(:Actor)-[c]->()
WHERE c.doc_id = row.doc AND c.id = row.id
SET c.review = row.verdict
