import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';
import { sleep } from '../sandbox/helpers';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/**
 * The rate-limit budget per credential (nodes/AgentCall/shared/rateLimit.ts, rateBudget.ts) through
 * the real engine against the sandbox's enforced limits. Each test runs on a credential ID of its
 * own: the budget keeps what it learned per credential and base URL, so every test starts from
 * AgentCall's documented limits, as a fresh n8n process would. Speed is measured in
 * test/bench/2-rate-limit.bench.ts, not here: these tests count requests.
 */
describe('AgentCall node under AgentCall rate limits', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let credentialRound = 0;
	const settings = () => ({ credentials: { agentCallApi: { id: `cred-budget-${++credentialRound}`, name: 'AgentCall sandbox' } } });

	async function numbers() {
		const provision = async () =>
			(await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as { id: string; number: string };
		return [await provision(), await provision()];
	}

	async function bulkSend(count: number, limits: { windowMs: number; global: number; headers?: boolean }) {
		const [from, to] = await numbers();
		suite.sandbox.setLimits({ retryAfter: true, headers: false, ...limits });
		suite.sandbox.clearRequestLog();
		const items = Array.from({ length: count }, (_, index) => ({ text: `Reminder ${index + 1}` }));
		const result = await suite.engine.runNode(
			{ resource: 'sms', operation: 'send', smsFrom: byId(from.id), smsTo: to.number, message: '={{ $json.text }}' },
			{ items, settings: settings() },
		);
		const log = suite.sandbox.requestLog().filter((entry) => entry.path === '/v1/sms/send');
		return { result, items, log, refused: log.filter((entry) => entry.status === 429).length };
	}

	it('learns a limit lower than the documented one from its first 429s and their Retry-After', async () => {
		const { result, items, log, refused } = await bulkSend(50, { windowMs: 1000, global: 10 });

		expect(result.error).toBeUndefined();
		expect(result.json().map((message) => message.body)).toEqual(items.map((item) => item.text));
		expect(log.filter((entry) => entry.status === 200)).toHaveLength(50);
		// All 50 at once would cost 40 refusals. One at a time, the first window costs the request that
		// finds the limit, the next one (opened by the first request after the wait, so its start is
		// known) the request that confirms it; a window length guessed wrong costs one more at most.
		expect(refused).toBeGreaterThanOrEqual(1);
		expect(refused).toBeLessThanOrEqual(3);
		// Until the limit is known, requests beyond what AgentCall accepted go one at a time.
		const firstRefusal = log.findIndex((entry) => entry.status === 429);
		expect(firstRefusal).toBe(10);
	}, 60000);

	it('reads the limit from X-RateLimit headers and is never refused', async () => {
		const { result, log, refused } = await bulkSend(35, { windowMs: 1000, global: 10, headers: true });

		expect(result.error).toBeUndefined();
		expect(log.filter((entry) => entry.status === 200)).toHaveLength(35);
		expect(refused).toBe(0);
	}, 60000);

	it('counts AI call starts against their own budget, and other requests do not wait for it', async () => {
		const [from] = await numbers();
		suite.sandbox.setLimits({ windowMs: 1000, global: 100, aiCalls: 2, retryAfter: true, headers: false });
		suite.sandbox.clearRequestLog();
		const items: IDataObject[] = Array.from({ length: 6 }, (_, index) => ({ to: `+1415555010${index}` }));
		const credential = settings();
		const starting = suite.engine.runNode(
			{ resource: 'aiCall', operation: 'start', aiCallFrom: byId(from.id), aiCallTo: '={{ $json.to }}', systemPrompt: 'Confirm the appointment.' },
			{ items, settings: credential },
		);
		const listing = suite.engine.runNode({ resource: 'phoneNumber', operation: 'getAll', returnAll: true }, { settings: credential });
		const [started, listed] = await Promise.all([starting, listing]);

		expect(started.error).toBeUndefined();
		expect(started.json()).toHaveLength(6);
		expect(listed.error).toBeUndefined();
		const log = suite.sandbox.requestLog();
		const aiStarts = log.filter((entry) => entry.path === '/v1/calls/ai');
		expect(aiStarts.filter((entry) => entry.status === 200 || entry.status === 201)).toHaveLength(6);
		expect(aiStarts.filter((entry) => entry.status === 429).length).toBeLessThanOrEqual(2);
		// The list request was not queued behind AI calls waiting for their window.
		const list = log.find((entry) => entry.path === '/v1/numbers');
		const lastStart = aiStarts[aiStarts.length - 1];
		expect(Date.parse(list!.time)).toBeLessThan(Date.parse(lastStart.time));
	}, 60000);

	it('does not let a long-poll (Wait for OTP) hold up the other requests of the key', async () => {
		const [number, to] = await numbers();
		suite.sandbox.setLimits({ windowMs: 60000, global: 100, retryAfter: true, headers: false });
		suite.sandbox.clearRequestLog();
		const credential = settings();
		const waiting = suite.engine.runNode({ resource: 'sms', operation: 'waitForOtp', smsNumberId: byId(number.id), timeout: 15 }, { settings: credential });
		const end = Date.now() + 5000;
		while (suite.sandbox.waitingOtpRequests < 1 && Date.now() < end) await sleep(10);
		const sent = await suite.engine.runNode(
			{ resource: 'sms', operation: 'send', smsFrom: byId(number.id), smsTo: to.number, message: '={{ $json.text }}' },
			{ items: [{ text: 'a' }, { text: 'b' }, { text: 'c' }], settings: credential },
		);
		const stillWaiting = suite.sandbox.waitingOtpRequests;
		suite.sandbox.injectSms({ to: number.id, from: '+12125550111', body: 'Your code is 482913' });
		const otp = await waiting;

		expect(sent.error).toBeUndefined();
		expect(sent.json()).toHaveLength(3);
		// The sends finished while the long-poll was still open.
		expect(stillWaiting).toBe(1);
		expect(otp.json()[0]).toMatchObject({ otp: '482913' });
	}, 60000);
});
