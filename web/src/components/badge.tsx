export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'critical';

export function Badge({ tone, children }: { tone: Tone; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
