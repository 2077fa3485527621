// name: sources
// description: The documents that mention this actor, with mention and claim counts.
// param: actor: actor             the actor (name, alias or id)
// example: actorgraph query sources "Viktor Halvorsen"
MATCH (x:Actor {id: $actor})-[m:MENTIONED_IN]->(d:Document)
WITH x, d, m
ORDER BY m.count DESC, d.published DESC, d.id
LIMIT $limit
OPTIONAL MATCH (d)<-[:MENTIONED_IN]-(o)
OPTIONAL MATCH (x)-[c:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(o) WHERE c.doc_id = d.id
WITH d, m, collect(DISTINCT c.id) AS claim_ids
RETURN coalesce(d.sources[0], d.url, d.id) AS source, d.title AS title, d.published AS published,
       coalesce(m.count, 0) AS mentions, size(claim_ids) AS claims, claim_ids
ORDER BY mentions DESC, published DESC, source
