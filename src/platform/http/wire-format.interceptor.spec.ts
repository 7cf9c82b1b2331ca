import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { type RequestContext, setRequestContext } from './wire-format';
import { WireFormatInterceptor } from './wire-format.interceptor';

/** What the interceptor makes of `data` answered to a request negotiated as `ctx`, and the type it set. */
async function answer(data: unknown, ctx: RequestContext) {
  const req = {};
  setRequestContext(req as never, ctx);
  const res = { type: jest.fn() };
  const context = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext;
  const body = await lastValueFrom(new WireFormatInterceptor().intercept(context, { handle: () => of(data) } as CallHandler));
  return { body, type: res.type.mock.calls.map(([t]) => t as string) };
}

describe('WireFormatInterceptor', () => {
  const conversation = { conversation: { id: 'c-1', entryPoint: { id: '1001' } } };

  it('sends JSON as the controller returned it, leaving its type to Express', async () => {
    await expect(answer(conversation, { format: 'json', language: 'en' })).resolves.toEqual({ body: conversation, type: [] });
  });

  it('names the XML root after the single member of the answer, in the type Accept chose', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?><conversation><id>c-1</id><entryPoint><id>1001</id></entryPoint></conversation>';
    await expect(answer(conversation, { format: 'xml', language: 'en' })).resolves.toEqual({ body: xml, type: ['application/xml'] });
    await expect(answer(conversation, { format: 'xml', answerType: 'text/xml', language: 'en' })).resolves.toEqual({ body: xml, type: ['text/xml'] });
  });

  it('roots an answer of several members at response', async () => {
    const { body } = await answer({ a: '1', b: '2' }, { format: 'xml', language: 'en' });
    expect(body).toBe('<?xml version="1.0" encoding="UTF-8"?><response><a>1</a><b>2</b></response>');
  });

  it('leaves an answer without a body as it is, in XML too', async () => {
    await expect(answer(undefined, { format: 'xml', language: 'en' })).resolves.toEqual({ body: undefined, type: [] });
  });
});
