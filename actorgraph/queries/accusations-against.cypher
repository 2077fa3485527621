// name: accusations-against
// description: What this actor is accused of, by whom, how far it has gone (stage), in which sources, with the evidence and whether the actor denies it.
// param: actor: actor             the accused (name, alias or id)
// example: actorgraph query accusations-against "Viktor Halvorsen"
MATCH (x:Actor {id: $actor})
CALL {
  WITH x
  MATCH (x)-[c:ACCUSED_OF]->(ch:Charge) WHERE (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
  OPTIONAL MATCH (acc:Actor)-[a:ACCUSES]->(x) WHERE a.doc_id = c.doc_id AND a.start = c.start AND (coalesce(a.review, '') <> 'rejected' OR $include_rejected)
  RETURN ch.name AS charge, c.id AS claim, c.doc_id AS doc_id, c.stage AS stage, c.denied AS denied, c.evidence AS evidence,
         collect(acc.name) AS accusers, collect(a.id) AS accuser_claims
  UNION ALL
  WITH x
  MATCH (acc:Actor)-[a:ACCUSES]->(x) WHERE (coalesce(a.review, '') <> 'rejected' OR $include_rejected)
  OPTIONAL MATCH (x)-[c:ACCUSED_OF]->(:Charge) WHERE c.doc_id = a.doc_id AND c.start = a.start AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
  WITH acc, a, c WHERE c IS NULL
  RETURN null AS charge, a.id AS claim, a.doc_id AS doc_id, a.stage AS stage, a.denied AS denied, a.evidence AS evidence,
         [acc.name] AS accusers, [] AS accuser_claims
}
WITH charge, claim, doc_id, stage, denied, evidence, accusers, accuser_claims
OPTIONAL MATCH (d:Document {id: doc_id})
RETURN charge, accusers AS accused_by, stage, coalesce(denied, false) AS denied, evidence,
       coalesce(d.sources[0], d.url, doc_id) AS source, d.published AS published, [claim] + accuser_claims AS claim_ids
ORDER BY charge, published, source, evidence
LIMIT $limit
