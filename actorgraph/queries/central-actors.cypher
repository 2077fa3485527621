// name: central-actors
// description: Actors ranked by how many distinct counterparties they have claims with, then by sources.
// param: type: type = ""          only actors of this type (PERSON, ORG, GPE)
// example: actorgraph query central-actors --param type=ORG --limit 10
MATCH (a:Actor)-[c:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(o:Actor)
WHERE $type = '' OR a.type = $type
WITH a, count(DISTINCT o) AS counterparties, count(DISTINCT c.doc_id) AS sources, collect(c.id) AS claim_ids
RETURN a.name AS actor, a.type AS type, counterparties, sources, size(claim_ids) AS claims, claim_ids
ORDER BY counterparties DESC, sources DESC, actor
LIMIT $limit
