/** The merchant's consent screen (HTML), plus Shopify-style OAuth error pages. */

export interface ConsentView {
  shop: string;
  appName: string;
  apiKey: string;
  scopes: string[];
  redirectUri: string;
  state: string;
  grantOptions: string;
  /** Path the form posts to. */
  action: string;
}

const ACTIONS: Record<string, string> = { read: 'View', write: 'View and edit' };

export function describeScope(scope: string): string {
  const [verb = '', ...rest] = scope.split('_');
  const resource = rest.join(' ');
  return `${ACTIONS[verb] ?? verb} ${resource}`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

export function renderConsentPage(view: ConsentView): string {
  const items = view.scopes
    .map((s) => `<li><code>${escapeHtml(s)}</code> — ${escapeHtml(describeScope(s))}</li>`)
    .join('\n        ');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Install ${escapeHtml(view.appName)}</title>
  <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}
  button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}.approve{background:#008060;color:#fff;border:0}</style></head>
  <body>
    <h1>Install ${escapeHtml(view.appName)}</h1>
    <p><strong>${escapeHtml(view.appName)}</strong> wants to access <strong>${escapeHtml(view.shop)}</strong>.</p>
    <h2>This app will be able to:</h2>
    <ul id="scopes">
        ${items || '<li>No data access requested</li>'}
    </ul>
    <form method="post" action="${escapeHtml(view.action)}">
      ${hidden('client_id', view.apiKey)}
      ${hidden('scope', view.scopes.join(','))}
      ${hidden('redirect_uri', view.redirectUri)}
      ${hidden('state', view.state)}
      ${hidden('grant_options[]', view.grantOptions)}
      <button class="approve" type="submit" name="decision" value="approve">Install app</button>
      <button type="submit" name="decision" value="cancel">Cancel</button>
    </form>
  </body>
</html>
`;
}

export function renderOauthError(kind: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Oauth error ${escapeHtml(kind)}</title></head>
<body><h1>Oauth error ${escapeHtml(kind)}: ${escapeHtml(message)}</h1></body></html>
`;
}
