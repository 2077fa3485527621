// name: paths
// dialect: falkordb
// param: a: actor
// param: b: actor
// param: max_hops: hops = 3
MATCH (a:Actor {id: $a}), (b:Actor {id: $b})
WHERE a.id <> b.id
CALL algo.SPpaths({sourceNode: a, targetNode: b, relTypes: ['FUNDS', 'ACCUSES', 'BANNED_BY', 'WORKS_WITH', 'MEMBER_OF', 'LOBBIES_FOR', 'SUPPORTS', 'OPPOSES', 'LOCATED_IN'],
  relDirection: 'both', maxLen: $max_hops, pathCount: 0}) YIELD path
WITH a, b, path AS p
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
