import { useEngineSuite } from '../harness/setup';

describe('AgentCall node under AgentCall rate limits', () => {
	const suite = useEngineSuite();

	it('sends every item of a bulk send through a rate limit, refused about once a window', async () => {
		const [from, to] = [
			(await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0],
			(await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0],
		];
		suite.sandbox.setLimits({ windowMs: 1000, global: 10 });
		suite.sandbox.clearRequestLog();

		const items = Array.from({ length: 50 }, (_, index) => ({ text: `Reminder ${index + 1}` }));
		const started = Date.now();
		const result = await suite.engine.runNode(
			{
				resource: 'sms',
				operation: 'send',
				smsFrom: { __rl: true, mode: 'id', value: from.id },
				smsTo: to.number,
				message: '={{ $json.text }}',
			},
			{ items },
		);
		const elapsedWindows = (Date.now() - started) / 1000;

		expect(result.error).toBeUndefined();
		expect(result.json().map((message) => message.body)).toEqual(items.map((item) => item.text));
		const log = suite.sandbox.requestLog().filter((entry) => entry.path === '/v1/sms/send');
		expect(log.filter((entry) => entry.status === 200)).toHaveLength(50);
		// All 50 start at once, so the first window refuses 40; after that one request a window learns it is closed.
		const refused = log.filter((entry) => entry.status === 429).length;
		expect(refused).toBeLessThanOrEqual(40 + Math.ceil(elapsedWindows) + 2);
		// 50 sends at 10 a second cannot take less than 4 s; a scattered retry would take far longer.
		expect(elapsedWindows).toBeGreaterThanOrEqual(4);
		expect(elapsedWindows).toBeLessThan(15);
	}, 30000);
});
