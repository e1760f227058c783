import { ApiError } from '../api.ts';

interface Issue {
  path?: string;
  message?: string;
}

function issuesOf(details: unknown): Issue[] {
  if (typeof details !== 'object' || details === null || !('issues' in details)) return [];
  const issues = (details as { issues: unknown }).issues;
  return Array.isArray(issues) ? (issues as Issue[]) : [];
}

export const sentence = (s: string): string => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** An API (or other) error as a clear, announced message: the server's message, its code and any field issues. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const issues = issuesOf(api?.details);
  return (
    <div className="alert alert-error" role="alert">
      {title ? <strong className="alert-title">{title}</strong> : null}
      <span className="alert-message">{sentence(message)}</span>
      {issues.length > 0 ? (
        <ul className="alert-issues">
          {issues.map((i, n) => (
            <li key={n}>
              {i.path ? <code>{i.path}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {api && api.code !== 'network_error' ? <span className="alert-code">{api.code}</span> : null}
    </div>
  );
}
