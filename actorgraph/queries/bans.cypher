// name: bans
// description: Who was banned by whom, and as what (charges in the same sentence), with the sources.
// param: actor: actor = ""        only bans this actor is part of (either side)
// example: actorgraph query bans
MATCH (s:Actor)-[b:BANNED_BY]->(o)
WHERE ($actor = '' OR s.id = $actor OR o.id = $actor) AND (coalesce(b.review, '') <> 'rejected' OR $include_rejected)
WITH s, o, collect(b) AS bans
ORDER BY size(bans) DESC, s.name, o.name
LIMIT $limit
UNWIND bans AS b
CALL {
  WITH s, b
  MATCH (:Document {id: b.doc_id})<-[:MENTIONED_IN]-(ch:Charge)
  WITH s, b, ch
  MATCH (s)-[c:ACCUSED_OF]->(ch)
  WHERE c.doc_id = b.doc_id AND c.start = b.start AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
  RETURN collect(DISTINCT ch.name) AS charges, collect(DISTINCT c.id) AS charge_claims
}
OPTIONAL MATCH (doc:Document {id: b.doc_id})
WITH s, o, b, coalesce(doc.sources[0], doc.url, b.doc_id) AS source, charges, charge_claims
WITH s, o, collect(DISTINCT source) AS sources, collect(charges) AS chargess, collect(b.evidence) AS evidence,
     collect(b.id) AS ban_claims, collect(charge_claims) AS charge_claimss
RETURN s.name AS banned, o.name AS banned_by,
       reduce(acc = [], x IN chargess | acc + [c IN x WHERE NOT c IN acc]) AS as_what,
       size(sources) AS source_count, sources, evidence,
       ban_claims + reduce(acc = [], x IN charge_claimss | acc + x) AS claim_ids
ORDER BY source_count DESC, banned, banned_by
