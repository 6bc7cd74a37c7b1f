"""The web app's side of matching: what the engine sees of needs and profiles, the stored
vectors, each process's FAISS indexes kept in step with the database, and ranking services."""
