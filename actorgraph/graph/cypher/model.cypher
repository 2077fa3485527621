// The graph's model version (actorgraph.graph.model): one node that says which model the graph was written in,
// so a newer actorgraph migrates an older graph and an older one refuses a newer graph instead of misreading it.

// --- read_version
// The model version the graph records (no row: a graph never stamped, i.e. empty or written before versions).
MATCH (m:ActorgraphModel {id: 'model'}) RETURN m.version AS version, m.written_by AS written_by

// --- stamp_version
// Record the model version of a graph that has none yet (its first write); an existing stamp is kept.
MERGE (m:ActorgraphModel {id: 'model'})
ON CREATE SET m.version = $version, m.written_by = $written_by
RETURN m.version AS version

// --- set_version
// A migration step finished: the graph is now at this version.
MERGE (m:ActorgraphModel {id: 'model'})
SET m.version = $version, m.written_by = $written_by
RETURN m.version AS version
