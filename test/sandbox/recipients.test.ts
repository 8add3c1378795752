import { sleep } from 'n8n-workflow';

import { provision, useSandboxWithReceiver, waitFor } from './helpers';

/** Scripted recipients (recipients.js): people outside the account who answer texts. */
const ctx = useSandboxWithReceiver();

const PERSON = '+12125550123';
const OTHER = '+12125550124';

test('the scripted person answers each text, after the delay, to the number that texted; deliveries keep the URL query', async () => {
	const { api, sb } = ctx.t;
	const [asking, otherLine] = [await provision(api), await provision(api)];
	const url = `${ctx.rx.url}/exec-1/node-a?signature=tok&agentcallWaitUntil=0`;
	await api.post('/v1/webhooks', { url, events: ['sms.inbound'] });
	const scripted = (await api.post('/_sandbox/recipients', { phone: PERSON, reply: 'YES', afterMs: 150 })).data;
	expect(scripted).toEqual({ phone: PERSON, replies: [{ body: 'YES', afterMs: 150 }], times: null });

	const sentAt = Date.now();
	await api.post('/v1/sms/send', { from: asking.id, to: PERSON, body: 'Approve refund? Reply YES or NO' });
	await api.post('/v1/sms/send', { from: otherLine.id, to: OTHER, body: 'Nobody scripted answers this' });
	await waitFor(() => ctx.rx.events('sms.inbound').length === 1, 3000, 'the reply');
	const [delivery] = ctx.rx.received;
	expect(delivery.at - sentAt).toBeGreaterThanOrEqual(140);
	expect(delivery.json.data).toMatchObject({ numberId: asking.id, from: PERSON, to: asking.number, body: 'YES', direction: 'inbound' });
	// The receiver got the path and query the webhook was registered with.
	const logged = await waitFor(() => (sb.deliveries({ event: 'sms.inbound' }).length ? sb.deliveries({ event: 'sms.inbound' }) : undefined), 3000, 'the log');
	expect(logged.map((d) => [d.url, d.status])).toEqual([[url, 200]]);
	await sleep(300);
	expect(ctx.rx.received).toHaveLength(1);
});

test('several answers per text, a limited number of texts, and reset forgets scripts', async () => {
	const { api, sb } = ctx.t;
	const line = await provision(api);
	sb.scriptRecipient({ phone: PERSON, replies: [{ body: 'maybe', afterMs: 10 }, { body: 'NO', afterMs: 60 }], times: 1 });
	await api.post('/v1/sms/send', { from: line.number, to: PERSON, body: 'Q1' });
	await api.post('/v1/sms/send', { from: line.number, to: PERSON, body: 'Q2' });
	await waitFor(() => sb.snapshot().messages.filter((m: { direction: string }) => m.direction === 'inbound').length === 2, 3000, 'two answers');
	await sleep(150);
	const inbound = sb.snapshot().messages.filter((m: { direction: string }) => m.direction === 'inbound');
	expect(inbound.map((m: { body: string }) => m.body)).toEqual(['maybe', 'NO']);
	expect((await api.post('/_sandbox/recipients', { phone: 'nope', reply: 'x' })).status).toBe(422);
	sb.reset();
	const again = await provision(api);
	await api.post('/v1/sms/send', { from: again.id, to: PERSON, body: 'Q3' });
	await sleep(150);
	expect(sb.snapshot().messages.filter((m: { direction: string }) => m.direction === 'inbound')).toHaveLength(0);
});
