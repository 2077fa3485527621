// name: central-actors
// description: Actors ranked by distinct counterparties, then sources; each row's claims link it to the other ranked actors.
// param: type: type = ""          only actors of this type (PERSON, ORG, GPE)
// example: actorgraph query central-actors --param type=ORG --limit 10
MATCH (a:Actor)-[c:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(o)
WHERE ($type = '' OR a.type = $type) AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
WITH a, count(DISTINCT o) AS counterparties, count(DISTINCT c.doc_id) AS sources, count(c) AS claims
ORDER BY counterparties DESC, sources DESC, a.name
LIMIT $limit
WITH collect({actor: a, counterparties: counterparties, sources: sources, claims: claims}) AS ranked
WITH ranked, [r IN ranked | r.actor] AS top
UNWIND ranked AS r
CALL {
  WITH r, top
  WITH r.actor AS a, top
  UNWIND top AS b
  WITH a, b
  WHERE a <> b
  MATCH (a)-[c:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(b)
  WHERE (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
  RETURN collect(DISTINCT c.id) AS claim_ids
}
WITH r.actor AS a, r, claim_ids
RETURN a.name AS actor, a.type AS type, r.counterparties AS counterparties, r.sources AS sources,
       r.claims AS claims, claim_ids
ORDER BY counterparties DESC, sources DESC, actor
