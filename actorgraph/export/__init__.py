"""Ways out of the graph: RDF and FollowTheMoney, a Cypher script, GraphML/GEXF, an offline HTML view, Neo4j push."""
