// name: funders
// description: Who funds this actor, directly or through a money trail of up to `depth` hops, with each hop's evidence.
// param: actor: actor             the funded actor (name, alias or id)
// param: depth: hops = 1          how many hops of money to follow back
// example: actorgraph query funders "Civic Voice Party" --param depth=3
MATCH (x:Actor {id: $actor})
MATCH p = (f:Actor)-[:FUNDS*1..6]->(x)
WHERE length(p) <= $depth AND single(n IN nodes(p) WHERE n = x)
  AND all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
WITH f, p, reduce(s = '', n IN nodes(p) | s + CASE WHEN s = '' THEN '' ELSE ' -> ' END + n.name) AS trail
UNWIND relationships(p) AS r
WITH f, trail, length(p) AS hops, collect(DISTINCT r.id) AS claim_ids, collect(DISTINCT r.doc_id) AS docs,
     collect(DISTINCT r.evidence) AS evidence
RETURN f.name AS funder, hops, trail, size(docs) AS sources, evidence, claim_ids
ORDER BY hops, sources DESC, funder, trail
LIMIT $limit
