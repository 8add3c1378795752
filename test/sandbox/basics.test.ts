/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test code runs in Node, not in n8n */
import { spawn } from 'child_process';
import * as path from 'path';
import { boot, client, provision, type Booted } from './helpers';
import { startSandbox } from './index';

let t: Booted;
beforeAll(async () => {
	t = await boot();
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

describe('public routes', () => {
	test('GET / describes the API', async () => {
		const r = await t.anon.get('/');
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ version: '1.0', baseUrl: t.sb.url, auth: { type: 'bearer', header: 'Authorization', keyPrefix: 'ac_live_' } });
		expect(r.data.endpoints).toEqual(expect.arrayContaining([{ method: 'POST', path: '/v1/calls/ai', auth: true }]));
		expect(r.data.endpoints).toEqual(expect.arrayContaining([{ method: 'GET', path: '/v1/calls/voices', auth: false }]));
	});

	test('llms.txt and docs/json', async () => {
		const l = await t.anon.get('/llms.txt');
		expect(l.status).toBe(200);
		expect(l.headers['content-type']).toMatch(/^text\/plain/);
		expect(l.data).toContain('POST /v1/sms/send');
		const d = await t.anon.get('/docs/json');
		expect(d.data.openapi).toBe('3.0.3');
		expect(Object.keys(d.data.paths['/v1/calls/{id}'])).toEqual(expect.arrayContaining(['get']));
	});

	test('voice catalogue, premium voices and prompt templates need no key', async () => {
		const v = await t.anon.get('/v1/calls/voices');
		expect(v.status).toBe(200);
		expect(v.data.defaultVoice).toBe('shimmer');
		expect(v.data.voices.map((x: { id: string }) => x.id)).toEqual(['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'marin', 'sage', 'shimmer', 'verse']);
		expect(v.data.voices[0]).toEqual(expect.objectContaining({ name: 'Alloy', trait: expect.any(String), description: expect.any(String), bestFor: expect.any(String) }));
		const sample = await t.anon.get(v.data.voices[0].sampleUrl.replace(t.sb.url, ''), { responseType: 'arraybuffer' });
		expect(sample.headers['content-type']).toBe('audio/wav');
		expect(Buffer.from(sample.data).subarray(0, 4).toString()).toBe('RIFF');
		const p = await t.anon.get('/v1/calls/premium-voices');
		expect(p.data.pricing).toEqual({ premiumVoice: '$0.59/minute' });
		expect(p.data.voices[0]).toEqual(expect.objectContaining({ gender: expect.any(String), accent: expect.any(String), sampleUrl: expect.any(String) }));
		const inbound = await t.anon.get('/v1/calls/prompt-templates');
		expect(inbound.data.templates.map((x: { id: string }) => x.id)).toEqual(['receptionist', 'lead-qualifier', 'appointment-booker', 'customer-support', 'call-screener']);
		const outbound = await t.anon.get('/v1/calls/prompt-templates?direction=outbound');
		expect(outbound.data.templates.map((x: { id: string }) => x.id)).toEqual([
			'outbound-appointment-booker',
			'outbound-info-request',
			'outbound-callback-confirmation',
		]);
		expect(outbound.data.templates[0]).toEqual(
			expect.objectContaining({ title: expect.any(String), recommendedVoice: 'sage', maxDurationSecs: 600, firstMessage: expect.stringContaining('['), systemPrompt: expect.any(String) }),
		);
	});
});

describe('auth', () => {
	test('missing, malformed and wrong keys get 401 unauthorized', async () => {
		const missing = await t.anon.get('/v1/numbers');
		expect(missing.status).toBe(401);
		expect(missing.data).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/missing/i) } });
		const wrong = await client(t.sb.url, 'ac_live_wrong').get('/v1/numbers');
		expect(wrong.status).toBe(401);
		expect(wrong.data.error).toEqual({ code: 'unauthorized', message: 'Invalid API key' });
		const basic = await t.anon.get('/v1/numbers', { headers: { Authorization: `Basic ${t.sb.apiKey}` } });
		expect(basic.status).toBe(401);
		expect((await t.api.get('/v1/numbers')).status).toBe(200);
	});

	test('extra keys from config.apiKeys are accepted; a custom main key replaces the default', async () => {
		t.sb.setConfig({ apiKeys: ['ac_live_second'] });
		expect((await client(t.sb.url, 'ac_live_second').get('/v1/calls')).status).toBe(200);
		const other = await startSandbox({ port: 0, apiKey: 'ac_live_custom' });
		try {
			expect(other.apiKey).toBe('ac_live_custom');
			expect((await client(other.url, 'ac_live_custom').get('/v1/calls')).status).toBe(200);
			expect((await client(other.url, 'ac_live_sandbox_demo_key').get('/v1/calls')).status).toBe(401);
		} finally {
			await other.close();
		}
	});

	test('default key is ac_live_sandbox_demo_key', () => {
		expect(t.sb.apiKey).toBe('ac_live_sandbox_demo_key');
	});
});

describe('routing and errors', () => {
	test('trailing slashes are tolerated', async () => {
		expect((await t.api.get('/v1/webhooks/')).status).toBe(200);
		expect((await t.api.get('/v1/usage/?period=2026-01')).data.period).toBe('2026-01');
		expect((await t.api.get('/v1/calls/?limit=25')).data).toEqual({ data: [] });
		const n = (await t.api.post('/v1/numbers/provision/', { type: 'local' })).data;
		expect((await t.api.get(`/v1/numbers/${n.id}/`)).data.id).toBe(n.id);
	});

	test('unknown routes and resources give 404 not_found naming them', async () => {
		const r = await t.api.get('/v1/nothing');
		expect(r.status).toBe(404);
		expect(r.data.error).toEqual({ code: 'not_found', message: 'Route GET /v1/nothing not found' });
		const n = await t.api.get('/v1/numbers/num_missing');
		expect(n.data.error).toEqual({ code: 'not_found', message: "Number 'num_missing' not found" });
		expect((await t.api.get('/v1/calls/nope')).data.error.message).toBe("Call 'nope' not found");
		expect((await t.api.get('/v1/sms/nope')).data.error.message).toBe("Message 'nope' not found");
		expect((await t.api.delete('/v1/webhooks/nope')).data.error.message).toBe("Webhook 'nope' not found");
	});

	test('malformed JSON is 400 invalid_json; a non-object body is a validation error', async () => {
		const bad = await t.api.post('/v1/sms/send', '{"from": ', {
			headers: { 'Content-Type': 'application/json' },
			transformRequest: [(d: unknown) => d],
		});
		expect(bad.status).toBe(400);
		expect(bad.data.error.code).toBe('invalid_json');
		expect(bad.data.error.message).toMatch(/not valid JSON/);
		const arr = await t.api.post('/v1/sms/send', [1, 2]);
		expect(arr.status).toBe(422);
		expect(arr.data.error.details).toEqual([{ field: '(body)', message: 'must be a JSON object' }]);
	});

	test('validation errors list every field (422) and follow the error-shape settings', async () => {
		const r = await t.api.post('/v1/sms/send', { to: '555', body: '' });
		expect(r.status).toBe(422);
		expect(r.data.error.code).toBe('validation_error');
		expect(r.data.error.details).toEqual([
			{ field: 'from', message: 'is required' },
			{ field: 'to', message: 'must be an E.164 phone number like +14155551234' },
			{ field: 'body', message: 'must not be empty' },
		]);
		t.sb.setConfig({ validationStatus: 400, validationDetails: 'map', errorMessage: false });
		const m = await t.api.post('/v1/sms/send', { to: '555', body: 'x' });
		expect(m.status).toBe(400);
		expect(m.data).toEqual({ error: { code: 'validation_error', details: { from: 'is required', to: expect.any(String) } } });
		t.sb.setConfig({ validationDetails: 'none' });
		expect((await t.api.post('/v1/sms/send', {})).data).toEqual({ error: { code: 'validation_error' } });
	});

	test('request log keeps method, path, query, status and auth validity, never the key', async () => {
		await t.api.get('/v1/calls?limit=5');
		await t.anon.get('/v1/calls');
		await client(t.sb.url, 'ac_live_bad').get('/v1/calls/');
		await t.anon.get('/v1/calls/voices');
		await t.api.post('/v1/sms/send', { from: 'x', to: '+14155550000', body: 'hi' });
		const log = t.sb.requestLog();
		expect(log.map((e) => [e.method, e.path, e.status, e.auth])).toEqual([
			['GET', '/v1/calls', 200, 'valid'],
			['GET', '/v1/calls', 401, 'missing'],
			['GET', '/v1/calls', 401, 'invalid'],
			['GET', '/v1/calls/voices', 200, 'public'],
			['POST', '/v1/sms/send', 404, 'valid'],
		]);
		expect(log[0].query).toEqual({ limit: '5' });
		expect(log[4].body).toEqual({ from: 'x', to: '+14155550000', body: 'hi' });
		expect(log[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
		const text = JSON.stringify(log);
		expect(text).not.toContain(t.sb.apiKey);
		expect(text).not.toContain('ac_live_bad');
		expect(text.toLowerCase()).not.toContain('authorization');
		t.sb.clearRequestLog();
		expect(t.sb.requestLog()).toEqual([]);
	});

	test('IDs are 25-char cuid-like by default and prefixed on request', async () => {
		const n = await provision(t.api);
		expect(n.id).toMatch(/^c[0-9a-z]{24}$/);
		t.sb.setConfig({ idFormat: 'prefixed' });
		const p = await provision(t.api, { type: 'mobile' });
		expect(p.id).toMatch(/^num_[0-9a-z]+$/);
		const w = await t.api.post('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['sms.inbound'] });
		expect(w.data.id).toMatch(/^wh_/);
	});

	test('setConfig rejects unknown keys and bad values', () => {
		expect(() => t.sb.setConfig({ timeScale: 0 })).toThrow(/timeScale must be a number > 0/);
		expect(() => t.sb.setConfig({ nope: 1 } as never)).toThrow(/nope is not a sandbox setting/);
		expect(() => t.sb.setConfig({ listWrappers: { calls: 'items' as never } })).toThrow(/calls must be one of/);
		expect(t.sb.config.timeScale).toBe(0.01);
	});
});

describe('cli', () => {
	test('starts, prints URL, key and control URL, stops on SIGTERM', async () => {
		const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), '--port', '0', '--key', 'ac_live_cli', '--prefixed-ids', '--config', '{"timeScale":0.5}']);
		let out = '';
		const url = await new Promise<string>((resolve, reject) => {
			child.stdout.on('data', (c: Buffer) => {
				out += c.toString();
				const m = /base URL:\s+(\S+)/.exec(out);
				if (m && out.includes('control API')) resolve(m[1]);
			});
			child.on('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
		});
		expect(out).toContain('API key:     ac_live_cli');
		expect(out).toContain(`control API: ${url}/_sandbox`);
		const cfg = await client(url).get('/_sandbox/config');
		expect(cfg.data).toMatchObject({ timeScale: 0.5, idFormat: 'prefixed' });
		expect((await client(url, 'ac_live_cli').get('/v1/numbers')).status).toBe(200);
		const code = await new Promise<number | null>((resolve) => {
			child.removeAllListeners('exit');
			child.on('exit', (c) => resolve(c));
			child.kill('SIGTERM');
		});
		expect(code).toBe(0);
	});
});
