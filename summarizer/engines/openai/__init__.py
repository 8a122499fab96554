"""The openai engine and what only it uses: the client and its retries, the strict
schema, the prompts, token estimates, prices and batch files."""
