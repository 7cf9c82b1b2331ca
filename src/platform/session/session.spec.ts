import { AppError } from '../errors/app-error';
import { requireSessionKind, type Session, type SessionKind } from './session';

function refusal(kind: SessionKind, on: SessionKind): AppError | undefined {
  const session: Session = { kind, subjectId: '1', expiresAt: new Date(Date.now() + 60_000) };
  try {
    requireSessionKind(session, on, 'call these APIs');
    return undefined;
  } catch (err) {
    return err as AppError;
  }
}

describe('requireSessionKind', () => {
  it('lets a session of the kind through', () => {
    expect(refusal('agent', 'agent')).toBeUndefined();
  });

  it('names the refused session in plain English in the developer message', () => {
    expect([refusal('agent', 'administrator')?.kind, refusal('agent', 'administrator')?.message]).toEqual(['NotAdministratorSession', 'an agent session cannot call these APIs']);
    expect(refusal('administrator', 'agent')?.message).toBe('an administrator session cannot call these APIs');
    expect(refusal('client_application', 'agent')?.message).toBe('a client application session cannot call these APIs');
  });
});
