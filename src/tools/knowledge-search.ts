import { readdirSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { defineTool, type Tool } from './define-tool.ts';
import { toFtsQuery } from './to-fts-query.ts';

/** The bundled articles the tool searches by default: one markdown file each, title on the first `# ` line. */
export const KNOWLEDGE_DIRECTORY_URL = new URL('./data/knowledge/', import.meta.url);

// bm25 column weights (id, title, body): a word in the title says more about the article than one in the text.
const RANK = 'bm25(articles, 0.0, 8.0, 1.0)';
// FTS5 counts snippet length in tokens; 32 tokens is about 200 characters of English.
const SNIPPET_TOKENS = 32;

/** Indexes every article in `directory` into an in-memory FTS5 table. */
function loadIndex(directory: URL): DatabaseSync {
  const database = new DatabaseSync(':memory:');
  database.exec("CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body, tokenize = 'porter unicode61')");
  const insert = database.prepare('INSERT INTO articles (id, title, body) VALUES (?, ?, ?)');
  const files = readdirSync(directory).filter((file) => file.endsWith('.md')).sort();
  for (const file of files) {
    const text = readFileSync(new URL(file, directory), 'utf8');
    const id = file.slice(0, -'.md'.length);
    const titleLine = text.split('\n').find((line) => line.startsWith('# '));
    const title = titleLine ? titleLine.slice(2).trim() : id;
    // Markdown emphasis and code marks would only clutter snippets; words are all the index needs.
    const body = text.replace(titleLine ?? '', '').replace(/\*\*|`/g, '').trim();
    insert.run(id, title, body);
  }
  return database;
}

/** Full-text search (SQLite FTS5, BM25 ranking) over a small bundled set of articles; indexed on first call. */
export function createKnowledgeSearchTool(options: { directory?: URL } = {}): Tool {
  let database: DatabaseSync | undefined;
  return defineTool({
    source: 'builtin',
    name: 'knowledge_search',
    description:
      'Searches a small built-in library of short articles and returns the best matches with a snippet. Topics: ' +
      'agentstream itself (what it is, SSE streaming, run events, teams and team modes, resuming and cancelling ' +
      'runs, the demo model), AI agents, multi-agent systems, large language models, RAG, Server-Sent Events, ' +
      'WebSockets vs SSE, vector databases, renewable energy, electric vehicles, quantum computing, climate change, ' +
      'cybersecurity, cloud computing, remote work, space exploration, sales forecasting, landing page design, web ' +
      'accessibility and copywriting. Use it to look up facts before answering; ask in plain words.',
    inputSchema: z.object({
      query: z.string().trim().min(1).max(500).describe('What to look for, in plain words, e.g. "how do I resume a dropped stream".'),
      limit: z.number().int().min(1).max(10).default(3).describe('Maximum number of articles, 1..10. Default 3.'),
    }),
    execute: ({ query, limit }) => {
      const match = toFtsQuery(query);
      if (!match) return { query, results: [] };
      database ??= loadIndex(options.directory ?? KNOWLEDGE_DIRECTORY_URL);
      const rows = database.prepare(
        `SELECT id, title, snippet(articles, 2, '', '', '…', ${SNIPPET_TOKENS}) AS snippet, ${RANK} AS rank
         FROM articles WHERE articles MATCH ? ORDER BY rank LIMIT ?`,
      ).all(match, limit);
      return {
        query,
        results: rows.map((row) => ({
          id: String(row.id),
          title: String(row.title),
          snippet: String(row.snippet).replace(/\s+/g, ' ').trim(),
          // bm25() is lower for better matches; flip it so a higher score reads as more relevant.
          score: Math.round(-Number(row.rank) * 1000) / 1000,
        })),
      };
    },
  });
}

/** The shared instance over the bundled articles; it indexes nothing until its first call. */
export const knowledgeSearchTool: Tool = createKnowledgeSearchTool();
