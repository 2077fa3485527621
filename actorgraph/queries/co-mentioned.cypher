// name: co-mentioned
// description: Actors that appear in the same documents as this actor, ranked by shared documents.
// param: actor: actor             the actor (name, alias or id)
// example: actorgraph query co-mentioned "Viktor Halvorsen"
MATCH (x:Actor {id: $actor})-[:MENTIONED_IN]->(d:Document)<-[:MENTIONED_IN]-(o:Actor)
WHERE o <> x
WITH x, o, count(DISTINCT d) AS documents
ORDER BY documents DESC, o.name
LIMIT $limit
RETURN o.name AS actor, o.type AS type, documents,
       [(x)-[c:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(o) WHERE (coalesce(c.review, '') <> 'rejected' OR $include_rejected) | c.id] AS claim_ids
