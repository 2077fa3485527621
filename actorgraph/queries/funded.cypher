// name: funded
// description: Whom this actor funds, directly or through a money trail of up to `depth` hops, with each hop's evidence.
// param: actor: actor             the funder (name, alias or id)
// param: depth: hops = 1          how many hops of money to follow forward
// example: actorgraph query funded "Viktor Halvorsen" --param depth=3
MATCH (x:Actor {id: $actor})
MATCH p = (x)-[:FUNDS*1..6]->(t:Actor)
WHERE length(p) <= $depth AND single(n IN nodes(p) WHERE n = x)
  AND all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
WITH t, p, reduce(s = '', n IN nodes(p) | s + CASE WHEN s = '' THEN '' ELSE ' -> ' END + n.name) AS trail
UNWIND relationships(p) AS r
WITH t, trail, length(p) AS hops, collect(DISTINCT r.id) AS claim_ids, collect(DISTINCT r.doc_id) AS docs,
     collect(DISTINCT r.evidence) AS evidence
RETURN t.name AS funded, hops, trail, size(docs) AS sources, evidence, claim_ids
ORDER BY hops, sources DESC, funded, trail
LIMIT $limit
