// name: sources
// description: The documents that mention this actor, with mention and claim counts.
// param: actor: actor             the actor (name, alias or id)
// example: actorgraph query sources "Viktor Halvorsen"
MATCH (x:Actor {id: $actor})-[m:MENTIONED_IN]->(d:Document)
WITH x, d, m
ORDER BY m.count DESC, d.published DESC, d.id
LIMIT $limit
WITH x, collect({doc: d, mentions: coalesce(m.count, 0)}) AS top, collect(d.id) AS ids
CALL {
  WITH x, ids
  OPTIONAL MATCH (x)-[c:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-()
  WHERE c.doc_id IN ids AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
  RETURN collect([c.doc_id, c.id]) AS pairs
}
UNWIND top AS t
WITH t.doc AS d, t.mentions AS mentions, [p IN pairs WHERE p[0] = t.doc.id | p[1]] AS claim_ids
RETURN coalesce(d.sources[0], d.url, d.id) AS source, d.title AS title, d.published AS published,
       mentions, size(claim_ids) AS claims, claim_ids
ORDER BY mentions DESC, published DESC, source
