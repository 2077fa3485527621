// name: charges
// description: Each charge, who is accused of it (and who denies it), in how many sources.
// param: charge: str = ""         only charges whose name contains this text
// example: actorgraph query charges --param charge=fraud
MATCH (p:Actor)-[c:ACCUSED_OF]->(ch:Charge)
WHERE $charge = '' OR toLower(ch.name) CONTAINS toLower($charge)
WITH ch, p, collect(c.id) AS ids, collect(DISTINCT c.doc_id) AS docs, max(CASE WHEN c.denied THEN 1 ELSE 0 END) AS denies
ORDER BY size(docs) DESC, p.name
WITH ch, collect(p.name + CASE WHEN denies = 1 THEN ' (denies)' ELSE '' END) AS accused, collect(ids) AS idss,
     collect(docs) AS docss
WITH ch, accused, reduce(acc = [], x IN idss | acc + x) AS claim_ids,
     reduce(acc = [], x IN docss | acc + [d IN x WHERE NOT d IN acc]) AS docs
RETURN ch.name AS charge, size(accused) AS accused_count, accused, size(docs) AS sources, claim_ids
ORDER BY accused_count DESC, sources DESC, charge
LIMIT $limit
