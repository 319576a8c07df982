/** What policies:explain cannot answer as asked: said with the usage, exit 2. */
export class ExplainError extends Error {}
