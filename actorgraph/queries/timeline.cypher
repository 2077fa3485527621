// name: timeline
// description: This actor's claims in order of their source's publication date (undated sources last).
// param: actor: actor             the actor (name, alias or id)
// example: actorgraph query timeline "Viktor Halvorsen"
MATCH (x:Actor {id: $actor})-[c:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(o)
WHERE (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
OPTIONAL MATCH (d:Document {id: c.doc_id})
RETURN d.published AS published, startNode(c).name AS subject, type(c) AS predicate, endNode(c).name AS object,
       coalesce(c.denied, false) AS denied, c.evidence AS evidence, coalesce(d.sources[0], d.url, c.doc_id) AS source,
       [c.id] AS claim_ids
ORDER BY published IS NULL, published, source, c.start
LIMIT $limit
