import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { apiRequest, describeError } from '../api/api.client';
import type { CompanyReadModel, CompanyStance } from '../api/read-shapes';
import { ErrorNote, LanguageTag, Moment, Quote, TableFrame } from '../layout/display';
import { useSession } from '../session/session';

/** A company's denials and confirmations across every story. */
export function CompanyPage({ companyId }: { companyId: string }): ReactNode {
  const { session } = useSession();
  const [company, setCompany] = useState<CompanyReadModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setCompany(null);
    apiRequest<CompanyReadModel>(`/companies/${encodeURIComponent(companyId)}`, { token: session.token }).then(
      ({ data }) => {
        setCompany(data);
        setError(null);
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [companyId, session.token]);
  return (
    <>
      <h1>{company?.companyName ?? companyId}</h1>
      <ErrorNote message={error} />
      {company === null ? null : (
        <>
          <p className="muted">
            {company.companyId}: {company.denials.length} {company.denials.length === 1 ? 'denial' : 'denials'}, {company.confirmations.length}{' '}
            {company.confirmations.length === 1 ? 'confirmation' : 'confirmations'}
          </p>
          <Stances title="Denials" stances={company.denials} />
          <Stances title="Confirmations" stances={company.confirmations} />
        </>
      )}
    </>
  );
}

function Stances({ title, stances }: { title: string; stances: readonly CompanyStance[] }): ReactNode {
  const id = `${title.toLowerCase()}-heading`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {stances.length === 0 ? (
        <p>None recorded.</p>
      ) : (
        <TableFrame label={`${title} (scrolls sideways)`}>
          <table>
            <caption className="visually-hidden">{title} across stories</caption>
            <thead>
              <tr>
                <th scope="col">Story</th>
                <th scope="col">Claims</th>
                <th scope="col">Statement</th>
                <th scope="col">Said</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {stances.map((stance) => (
                <tr key={`${stance.storyId}-${stance.revision}`} data-story-id={stance.storyId}>
                  <td>
                    <Link href={`/stories/${encodeURIComponent(stance.storyId)}`}>{stance.storyId}</Link>
                  </td>
                  <td>{stance.claimIds.join(', ')}</td>
                  <td>
                    <Quote text={stance.statement} lang={stance.language} /> <LanguageTag tag={stance.language} />
                  </td>
                  <td>
                    <Moment at={stance.at} />
                  </td>
                  <td>
                    <Moment at={stance.recordedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </section>
  );
}
