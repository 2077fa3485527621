// name: paths
// description: The shortest connections between two actors, walked in either direction, up to `max_hops`, each hop with its evidence.
// param: a: actor                 one end (name, alias or id)
// param: b: actor                 the other end; the answer is the same whichever end comes first
// param: max_hops: hops = 3       longest connection to look for
// example: actorgraph query paths "Tomas Reyes" "Northwind Holdings" --param max_hops=3
MATCH (x:Actor {id: $a}), (y:Actor {id: $b})
WHERE x.id <> y.id
WITH CASE WHEN x.id <= y.id THEN x ELSE y END AS a, CASE WHEN x.id <= y.id THEN y ELSE x END AS b
MATCH p = allShortestPaths((a)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN*..6]-(b))
WHERE length(p) <= $max_hops AND all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
WITH a, b, p
LIMIT $limit
WITH a, b, CASE WHEN a.id <= b.id THEN nodes(p) ELSE reverse(nodes(p)) END AS ns,
     CASE WHEN a.id <= b.id THEN relationships(p) ELSE reverse(relationships(p)) END AS rs
WITH ns, rs, [n IN ns | n.id] AS node_ids,
     reduce(s = ns[0].name, i IN range(0, size(rs) - 1) | s +
       CASE WHEN startNode(rs[i]) = ns[i] THEN ' -' + type(rs[i]) + '-> ' ELSE ' <-' + type(rs[i]) + '- ' END
       + ns[i + 1].name) AS route
UNWIND range(0, size(rs) - 1) AS i
WITH route, node_ids, size(rs) AS hops, i, rs[i] AS r
OPTIONAL MATCH (d:Document {id: r.doc_id})
WITH route, node_ids, hops, i, r, coalesce(d.sources[0], d.url, r.doc_id) AS source
ORDER BY i, r.id
WITH route, node_ids, hops, collect(DISTINCT r.id) AS claim_ids,
     collect(DISTINCT toString(i + 1) + '. ' + startNode(r).name + ' ' + type(r) + ' ' + endNode(r).name + ': '
       + r.evidence + ' (' + source + ')') AS evidence
RETURN route AS path, hops, evidence, claim_ids
ORDER BY hops, path
LIMIT $limit
