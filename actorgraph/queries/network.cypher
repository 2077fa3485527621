// name: network
// description: This actor's neighbourhood to `depth` hops: every claim on the way, nearest first, optionally only some predicates.
// param: actor: actor             the centre (name, alias or id)
// param: depth: hops = 2          how many hops out
// param: predicates: predicates = ""  only walk these predicates (comma-separated)
// example: actorgraph query network "Northwind Holdings" --param depth=2 --param predicates=FUNDS,MEMBER_OF
MATCH (x:Actor {id: $actor})
CALL {
  WITH x
  MATCH (x)-[c:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(n)
  WHERE (size($predicates) = 0 OR type(c) IN $predicates) AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
  RETURN c, 1 AS distance
  LIMIT $limit
  UNION ALL
  WITH x
  WITH x WHERE $depth >= 2
  MATCH p = (x)-[:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN*2..6]-(n)
  WHERE length(p) <= $depth AND (size($predicates) = 0 OR all(r IN relationships(p) WHERE type(r) IN $predicates))
    AND all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
  RETURN last(relationships(p)) AS c, length(p) AS distance
  LIMIT $limit
}
WITH c, min(distance) AS distance
ORDER BY distance, c.id
LIMIT $limit
OPTIONAL MATCH (d:Document {id: c.doc_id})
RETURN distance, startNode(c).name AS subject, type(c) AS predicate, endNode(c).name AS object,
       coalesce(c.denied, false) AS denied, c.evidence AS evidence, coalesce(d.sources[0], d.url, c.doc_id) AS source,
       [c.id] AS claim_ids
