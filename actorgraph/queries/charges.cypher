// name: charges
// description: Each charge, who is accused of it (and who denies it), in how many sources.
// param: charge: str = ""         only charges whose name contains this text
// example: actorgraph query charges --param charge=fraud
MATCH (p:Actor)-[c:ACCUSED_OF]->(ch:Charge)
WHERE ($charge = '' OR toLower(ch.name) CONTAINS toLower($charge)) AND (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
WITH ch, count(DISTINCT p) AS accused_count, count(DISTINCT c.doc_id) AS sources, collect(c.id) AS claim_ids
ORDER BY accused_count DESC, sources DESC, ch.name
LIMIT $limit
CALL {
  WITH ch
  MATCH (ch)<-[c:ACCUSED_OF]-(p:Actor) WHERE (coalesce(c.review, '') <> 'rejected' OR $include_rejected)
  WITH p, count(DISTINCT c.doc_id) AS says, max(CASE WHEN c.denied THEN 1 ELSE 0 END) AS denies
  ORDER BY says DESC, p.name
  RETURN collect(p.name + CASE WHEN denies = 1 THEN ' (denies)' ELSE '' END)[..100] AS accused
}
RETURN ch.name AS charge, accused_count, accused, sources, claim_ids
ORDER BY accused_count DESC, sources DESC, charge
