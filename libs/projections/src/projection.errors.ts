/** Stable codes of a read the views cannot answer as asked; the api answers them with 400. */
export type ProjectionQueryErrorCode = 'INVALID_CURSOR' | 'INVALID_FILTER' | 'INVALID_AS_OF';

export class ProjectionQueryError extends Error {
  override readonly name = 'ProjectionQueryError';

  constructor(
    readonly code: ProjectionQueryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
