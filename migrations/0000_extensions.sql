-- pgvector powers semantic search; drizzle-kit never emits CREATE EXTENSION, so this custom migration does.
CREATE EXTENSION IF NOT EXISTS vector;
