// name: actor
// description: Who is this actor: type, aliases, documents, and every relation in and out with its number of sources.
// param: actor: actor             the actor (name, alias or id)
// example: actorgraph query actor "Viktor Halvorsen"
MATCH (a:Actor {id: $actor})
WITH a, [(a)-[:MENTIONED_IN]->(d:Document) | coalesce(d.title, d.sources[0], d.id)][..10] AS documents
OPTIONAL MATCH (a)-[c:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(o)
WHERE (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
WITH a, documents, c, o, CASE WHEN c IS NULL THEN null WHEN startNode(c) = a THEN 'out' ELSE 'in' END AS direction
WITH a, documents, direction, o, CASE WHEN c IS NULL THEN null ELSE type(c) END AS predicate,
     count(DISTINCT c.doc_id) AS sources, collect(c.id) AS claim_ids
RETURN a.name AS actor, a.type AS type, coalesce(a.aliases, []) AS aliases, coalesce(a.mention_count, 0) AS mentions,
       coalesce(a.doc_count, 0) AS documents, documents AS some_documents,
       direction, predicate, o.name AS counterparty, sources, claim_ids
ORDER BY sources DESC, predicate, counterparty
LIMIT $limit
