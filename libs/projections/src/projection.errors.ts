/** Stable codes of a read the views cannot answer as asked; the api answers each as a 400 naming `parameter`. */
export type ProjectionQueryErrorCode = 'INVALID_CURSOR' | 'INVALID_FILTER' | 'INVALID_AS_OF';

export class ProjectionQueryError extends Error {
  override readonly name = 'ProjectionQueryError';

  constructor(
    readonly code: ProjectionQueryErrorCode,
    /** The read's parameter at fault (`cursor`, `limit`, `status`, `updatedSince`, `asOf`). */
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}
