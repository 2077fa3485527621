// name: paths
// dialect: falkordb
// param: a: actor
// param: b: actor
// param: max_hops: hops = 3
// FalkorDB's undirected algo.SPpaths and its allShortestPaths spend seconds enumerating hub neighbourhoods
// (bench/query_speed.py), so connections of up to 3 hops meet in the middle: the neighbours of each end are
// collected once, and a 3-hop connection is a link between the two sets (no hub is expanded); longer ones
// fall back to allShortestPaths. The ends go in id order, so either order gives the same answer.
MATCH (x:Actor {id: $a}), (y:Actor {id: $b})
WHERE x.id <> y.id
WITH CASE WHEN x.id <= y.id THEN x ELSE y END AS a, CASE WHEN x.id <= y.id THEN y ELSE x END AS b
OPTIONAL MATCH (a)-[c1:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(m1:Actor) WHERE coalesce(c1.review, '') <> 'rejected' OR $include_rejected
WITH a, b, collect(DISTINCT m1) AS near_a
OPTIONAL MATCH (b)-[c2:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(m2:Actor) WHERE coalesce(c2.review, '') <> 'rejected' OR $include_rejected
WITH a, b, near_a, collect(DISTINCT m2) AS near_b
WITH a, b, near_a, near_b,
     CASE WHEN b IN near_a THEN 1 WHEN any(m IN near_a WHERE m IN near_b) THEN 2 ELSE 3 END AS shortest
CALL {
  WITH near_a, near_b, shortest
  UNWIND CASE WHEN shortest = 3 AND $max_hops >= 3 THEN near_a ELSE [] END AS m1
  UNWIND near_b AS m2
  MATCH (m1)-[c3:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(m2) WHERE coalesce(c3.review, '') <> 'rejected' OR $include_rejected
  RETURN collect(DISTINCT [m1, m2]) AS links
}
WITH a, b, links, CASE WHEN shortest < 3 OR size(links) > 0 THEN shortest ELSE 4 END AS shortest
CALL {
  WITH a, b, shortest
  WITH a, b, shortest WHERE shortest = 1
  MATCH p = (a)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(b)
  WITH p WHERE all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
  RETURN p
  UNION ALL
  WITH a, b, shortest
  WITH a, b, shortest WHERE shortest = 2 AND $max_hops >= 2
  MATCH p = (a)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(:Actor)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(b)
  WITH p WHERE all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
  RETURN p
  UNION ALL
  WITH a, b, links
  UNWIND links AS link
  WITH a, b, link[0] AS m1, link[1] AS m2
  MATCH p = (a)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(m1)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(m2)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN]-(b)
  WITH p WHERE all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
  RETURN p
  UNION ALL
  WITH a, b, shortest
  WITH a, b, shortest WHERE shortest = 4 AND $max_hops >= 4
  MATCH p = allShortestPaths((a)-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|LOCATED_IN*..6]-(b))
  WHERE length(p) <= $max_hops
  WITH p WHERE all(r IN relationships(p) WHERE coalesce(r.review, '') <> 'rejected' OR $include_rejected)
  RETURN p
}
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
