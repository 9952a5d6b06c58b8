-- pg_trgm backs the trigram GIN index on product names: substring (ILIKE '%q%') and typo-tolerant (similarity) search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
