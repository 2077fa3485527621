// Writing a graph that comes from elsewhere: `push` and `export cypher` (the rows of another graph, MERGEd on
// ids, so a second run changes nothing) and `import rdf` (the rows read back from an RDF export).
//
// push's statements are one line each: `export cypher` writes them into its script, one statement per line,
// with `UNWIND $rows AS row` replaced by the rows as literals. actorgraph.export.push composes them
// (merge_nodes_query, merge_rels_query).

// --- merge_node
// Copy nodes of one label: MERGE on the id, then every property.
UNWIND $rows AS row MERGE (n:{{label}} {id: row.id}) SET n += row.props

// --- add_label (fragment)
// Follows merge_node once per further label of the nodes (an Actor is also a Person, an Organization or a Place).
SET n:{{label}}

// --- rel_start (fragment)
// Copy relationships: the start node, by its primary label and id.
UNWIND $rows AS row MATCH (a:{{label}} {id: row.source})

// --- rel_end (fragment)
// The end node, by its primary label and id.
MATCH (b:{{label}} {id: row.target})

// --- merge_keyed (fragment)
// A relationship with an id (a claim): MERGE on the id, then every property.
MERGE (a)-[r:{{any_rel}} {id: row.id}]->(b) SET r += row.props

// --- merge_pair (fragment)
// A relationship without an id (MENTIONED_IN): one per (start, type, end) in the graph model.
MERGE (a)-[r:{{any_rel}}]->(b) SET r += row.props

// --- import_documents
// import rdf: the documents.
UNWIND $rows AS row MERGE (d:Document {id: row.id})
SET d.text = row.text, d.sources = row.sources, d.title = row.title, d.author = row.author,
    d.published = row.published, d.url = row.url, d.ingested_at = row.ingested_at, d.complete = row.complete
RETURN count(d) AS n

// --- import_actors
// import rdf: the actors of one schema.org class.
UNWIND $rows AS row MERGE (a:Actor {id: row.id}) SET a:{{actor_label}}
SET a.name = row.name, a.type = row.type, a.aliases = row.aliases, a.manual_aliases = row.manual_aliases,
    a.merged_from = row.merged_from, a.mention_count = row.mention_count, a.doc_count = row.doc_count
RETURN count(a) AS n

// --- import_charges
// import rdf: the charges.
UNWIND $rows AS row MERGE (c:Charge {id: row.id})
SET c.name = row.name, c.mention_count = row.mention_count, c.doc_count = row.doc_count
RETURN count(c) AS n

// --- import_mentions
// import rdf: MENTIONED_IN edges of actors or of charges.
UNWIND $rows AS row MATCH (a:{{entity_label}} {id: row.node}) MATCH (d:Document {id: row.doc})
MERGE (a)-[m:MENTIONED_IN {actor_key: row.key}]->(d)
SET m.count = row.count, m.forms = row.forms, m.name = row.name
RETURN count(m) AS n

// --- import_claims
// import rdf: claims of one predicate whose objects are actors, or charges.
UNWIND $rows AS row MATCH (s:Actor {id: row.s}) MATCH (o:{{entity_label}} {id: row.o})
MERGE (s)-[c:{{rel}} {id: row.id}]->(o)
SET c.doc_id = row.doc_id, c.evidence = row.evidence, c.start = row.start, c.end = row.end,
    c.confidence = row.confidence, c.rule = row.rule, c.denied = row.denied, c.stage = row.stage,
    c.subject_key = row.subject_key, c.object_key = row.object_key
RETURN count(c) AS n

// --- import_redirects
// import rdf: the ids merged away by resolution.
UNWIND $rows AS row MERGE (r:Redirect {id: row.id}) SET r.target = row.target RETURN count(r) AS n

// --- import_decisions
// import rdf: the resolution decisions.
UNWIND $rows AS row MERGE (x:Decision {id: row.id})
SET x.kind = row.kind, x.a = row.a, x.b = row.b, x.name = row.name, x.at = row.at, x.by = row.by, x.rule = row.rule
RETURN count(x) AS n
