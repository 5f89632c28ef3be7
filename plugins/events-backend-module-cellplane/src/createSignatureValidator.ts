import { RequestDetails, RequestValidationContext, RequestValidator } from '@backstage/plugin-events-node';
import { WebhookSource, secretKey } from './webhookSources';

/**
 * Rejects a webhook whose sender cannot show it holds the secret: 401 when the proof header is
 * missing, 403 when it does not match. The body follows Backstage's error response shape so
 * clients read `error.message` as for any other route; the event is not published.
 */
export function createSignatureValidator(source: WebhookSource, secret: string): RequestValidator {
  return async (request: RequestDetails, context: RequestValidationContext) => {
    const value = request.headers[source.header.toLowerCase()];
    // Node joins a repeated header into one value, which then matches nothing.
    const proof = Array.isArray(value) ? value.join(', ') : value;
    if (!proof) {
      reject(
        context,
        401,
        'AuthenticationError',
        `${source.topic} needs the ${source.header} header: this webhook is verified with ${secretKey(source)}`,
      );
      return;
    }
    if (!source.verify(secret, request.raw.body, proof)) {
      reject(
        context,
        403,
        'NotAllowedError',
        `${source.header} does not match: the webhook's secret differs from ${secretKey(source)}, or the body was changed`,
      );
    }
  };
}

function reject(context: RequestValidationContext, statusCode: number, name: string, message: string) {
  context.reject({ status: statusCode, payload: { error: { name, message }, response: { statusCode } } });
}
