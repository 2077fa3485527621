// name: bans
// description: Who was banned by whom, and as what (charges in the same sentence), with the sources.
// param: actor: actor = ""        only bans this actor is part of (either side)
// example: actorgraph query bans
MATCH (s:Actor)-[b:BANNED_BY]->(o)
WHERE $actor = '' OR s.id = $actor OR o.id = $actor
OPTIONAL MATCH (s)-[c:ACCUSED_OF]->(ch:Charge) WHERE c.doc_id = b.doc_id AND c.start = b.start
WITH s, o, b, collect(DISTINCT ch.name) AS charges, collect(c.id) AS charge_claims
OPTIONAL MATCH (d:Document {id: b.doc_id})
WITH s, o, collect(DISTINCT coalesce(d.sources[0], d.url, b.doc_id)) AS sources, collect(charges) AS chargess,
     collect(b.evidence) AS evidence, collect(b.id) AS ban_claims, collect(charge_claims) AS charge_claimss
RETURN s.name AS banned, o.name AS banned_by,
       reduce(acc = [], x IN chargess | acc + [c IN x WHERE NOT c IN acc]) AS as_what,
       size(sources) AS source_count, sources, evidence,
       ban_claims + reduce(acc = [], x IN charge_claimss | acc + x) AS claim_ids
ORDER BY banned, banned_by
LIMIT $limit
