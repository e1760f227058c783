import type { DeliverySender } from './delivery-types.ts';

/** Real HTTP sender: POST with a hard timeout; only the status matters. */
export const httpSender: DeliverySender = async (uri, headers, body, timeoutMs) => {
  const response = await fetch(uri, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return response.status;
};
