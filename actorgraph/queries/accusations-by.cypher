// name: accusations-by
// description: Whom this actor accuses, and of what (charges read from the same sentence), with the evidence.
// param: actor: actor             the accuser (name, alias or id)
// example: actorgraph query accusations-by "Blue Harbor Foundation"
MATCH (x:Actor {id: $actor})-[a:ACCUSES]->(t:Actor) WHERE (coalesce(a.review, '') <> 'rejected' OR $include_rejected)
OPTIONAL MATCH (t)-[c:ACCUSED_OF]->(ch:Charge) WHERE c.doc_id = a.doc_id AND c.start = a.start AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
WITH t, a, collect(ch.name) AS charges, collect(c.id) AS charge_claims
OPTIONAL MATCH (d:Document {id: a.doc_id})
RETURN t.name AS accused, charges, coalesce(a.denied, false) AS denied, a.evidence AS evidence,
       coalesce(d.sources[0], d.url, a.doc_id) AS source, d.published AS published, [a.id] + charge_claims AS claim_ids
ORDER BY accused, published, source, evidence
LIMIT $limit
