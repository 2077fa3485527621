// name: evidence
// description: Every sentence, with its source, that links two actors (claims in either direction).
// param: a: actor                 one actor (name, alias or id)
// param: b: actor                 the other
// example: actorgraph query evidence "Viktor Halvorsen" "Northwind Holdings"
MATCH (a:Actor {id: $a})-[c:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(b:Actor {id: $b})
WHERE (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
OPTIONAL MATCH (d:Document {id: c.doc_id})
RETURN startNode(c).name AS subject, type(c) AS predicate, endNode(c).name AS object,
       coalesce(c.denied, false) AS denied, c.evidence AS evidence, coalesce(d.sources[0], d.url, c.doc_id) AS source,
       d.title AS title, d.published AS published, [c.id] AS claim_ids
ORDER BY published, source, c.start
LIMIT $limit
