import { boot, provision, type Booted } from './helpers';

/** The fault modes that stand for answers that are not AgentCall's JSON, and for dropped connections. */

let t: Booted;
beforeAll(async () => {
	t = await boot();
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const EXTERNAL = '+12125550111';
const asText = { responseType: 'text' as const, transformResponse: (data: string) => data };

describe('reply faults: a 200 that is not the route answer', () => {
	test('html: a web page, without running the handler; message replaces its text', async () => {
		const n = await provision(t.api);
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reply: 'html', message: 'Sign in to continue', times: 1 });
		const r = await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' }, asText);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(r.data).toMatch(/^<!DOCTYPE html>\n<html lang="en">.*<h1>Sign in to continue<\/h1>/s);
		expect(t.sb.snapshot().messages).toHaveLength(0);
		expect((await t.api.get('/v1/numbers')).data.numbers).toHaveLength(1);
	});

	test('text and object: plain text, or JSON that is not the answer', async () => {
		t.sb.addFault({ method: 'GET', path: '/v1/numbers', reply: 'text', times: 1 });
		const text = await t.api.get('/v1/numbers', asText);
		expect([text.status, text.headers['content-type'], text.data]).toEqual([200, 'text/plain; charset=utf-8', 'OK']);
		t.sb.addFault({ method: 'GET', path: '/v1/numbers', reply: 'object', times: 1 });
		const object = await t.api.get('/v1/numbers');
		expect([object.status, object.data]).toEqual([200, { status: 'ok', service: 'gateway' }]);
	});

	test('truncated: the handler runs, its JSON arrives cut in half with a matching length', async () => {
		const n = await provision(t.api);
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reply: 'truncated', times: 1 });
		const r = await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' }, asText);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/^application\/json/);
		expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.data));
		expect(r.data.startsWith('{"id":"')).toBe(true);
		expect(() => JSON.parse(r.data)).toThrow();
		expect(t.sb.snapshot().messages).toHaveLength(1);
	});
});

describe('reset faults: the connection drops with no answer', () => {
	test('before: nothing happened; the log shows status 0', async () => {
		const n = await provision(t.api);
		t.sb.clearRequestLog();
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reset: 'before', times: 1 });
		await expect(t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' })).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(t.sb.snapshot().messages).toHaveLength(0);
		expect(t.sb.requestLog().map((entry) => [entry.route, entry.status])).toEqual([['POST /v1/sms/send', 0]]);
		expect((await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' })).status).toBe(200);
	});

	test('after: the action happened, its answer is lost', async () => {
		const n = await provision(t.api);
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reset: 'after', times: 1 });
		await expect(t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' })).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(t.sb.snapshot().messages).toHaveLength(1);
	});

	test('fault definitions are validated', () => {
		expect(() => t.sb.addFault({ path: '/v1/x', reply: 'xml' as never })).toThrow(/reply must be one of html, text, object, truncated/);
		expect(() => t.sb.addFault({ path: '/v1/x', reset: 'during' as never })).toThrow(/reset must be one of before, after/);
		expect(t.sb.addFault({ path: '/v1/x', reset: 'before' })).toHaveLength(1);
	});
});
