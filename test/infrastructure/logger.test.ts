import { expect } from 'chai';
import { NO_METRICS } from '../../src/adapters/http/httpMetrics.js';
import { requestContext } from '../../src/adapters/http/requestContext.js';
import { createLogger } from '../../src/infrastructure/logger.js';
import { captureLogs } from '../support/logCapture.js';

describe('createLogger (production logger)', () => {
  const logListenerByMistake = (log: ReturnType<typeof captureLogs>): Record<string, unknown> => {
    log.logger.warn({ name: 'Budi', profile: { city: 'Solo' }, session: { sessionToken: 'eyJ.secret.sig' }, requestId: 'r-1' }, 'oops');
    return log.lines.at(-1)!;
  };

  it('censors listener details and tokens passed by mistake, keeping the rest of the line', () => {
    const line = logListenerByMistake(captureLogs((destination) => createLogger('info', destination)));

    expect(line).to.include({ name: '[redacted]', profile: '[redacted]', requestId: 'r-1', service: 'livechat-session', msg: 'oops' });
    expect(line.session).to.deep.equal({ sessionToken: '[redacted]' });
  });

  it('still censors after the request middleware made its unredacted access logger from it', () => {
    const log = captureLogs((destination) => createLogger('info', destination));
    requestContext(log.logger, NO_METRICS);

    expect(logListenerByMistake(log)).to.include({ name: '[redacted]', profile: '[redacted]' });
  });
});
