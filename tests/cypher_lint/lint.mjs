// Reads [{"name": ..., "query": ...}, ...] as JSON on stdin; prints [{"name", "diagnostics": [...]}] as JSON.
// Every $parameter a query uses is declared in dbSchema.parameters, so only real problems are reported.
// Severity 1 = error (syntax), 2 = warning (deprecations, cartesian products).
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = items.map(({ name, query }) => {
  const parameters = {};
  for (const m of query.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) parameters[m[1]] = null;
  const { diagnostics } = lintCypherQuery(query, { parameters });
  return {
    name,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
