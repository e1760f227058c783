import type { DeliverySender } from '../../src/webhooks/delivery-types.ts';

export interface CapturedRequest {
  uri: string;
  headers: Record<string, string>;
  body: string;
}

/** A sender that records requests and answers with the status `respond` picks. */
export function captureSender(respond: (req: CapturedRequest) => number = () => 200): {
  sender: DeliverySender;
  requests: CapturedRequest[];
} {
  const requests: CapturedRequest[] = [];
  const sender: DeliverySender = (uri, headers, body) => {
    const req = { uri, headers, body };
    requests.push(req);
    return Promise.resolve(respond(req));
  };
  return { sender, requests };
}
