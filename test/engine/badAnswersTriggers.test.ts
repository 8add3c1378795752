import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { locator, nodeState, pollOnce, restart, triggerNode, WebhookHost } from '../harness/triggers';
import { client, provision } from '../sandbox/helpers';

/**
 * The triggers read the same answers: a poll that got garbage fails and keeps its memory, so the
 * next good poll reports exactly what arrived; a webhook trigger never takes garbage for "no
 * registration" and registers a second time.
 */

const SENDER = '+12125550199';
const HTML = { reply: 'html', times: 1 } as const;

describe('AgentCall triggers: answers that are not AgentCall JSON', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	const api = () => client(suite.sandbox.url, suite.sandbox.apiKey);
	const inject = (to: string, body: string) => suite.sandbox.injectSms({ to, from: SENDER, body });

	function pollTrigger(parameters: INodeParameters) {
		return suite.engine.workflow([triggerNode(NODE_TYPE.pollTrigger, parameters)], {}, { active: true, staticData: {} });
	}
	async function poll(workflow: ReturnType<typeof pollTrigger>) {
		const result = await pollOnce(suite.engine, workflow, 'Trigger');
		return result === null ? null : result[0].map((item) => item.json.body);
	}

	describe('SMS Trigger (polling)', () => {
		it.each([
			['a web page', 'html', 'AgentCall answered with a web page instead of its JSON'],
			['JSON that holds no list', 'object', 'AgentCall answered with JSON that holds no list'],
			['JSON cut short', 'truncated', 'AgentCall answered with something that is not valid JSON'],
		] as const)('fails a poll that got %s and keeps its memory', async (_what, reply, message) => {
			const n = await provision(api());
			inject(n.id, 'old');
			const workflow = pollTrigger({ watch: 'number', numberId: locator(n.id) });
			expect(await poll(workflow)).toBeNull();
			inject(n.id, 'new 1');
			const before = nodeState(workflow);

			suite.sandbox.addFault({ method: 'GET', path: '/v1/sms/inbox/:numberId', reply, times: 1 });
			await expect(poll(workflow)).rejects.toThrow(message);
			expect(nodeState(workflow)).toEqual(before);

			inject(n.id, 'new 2');
			expect(await poll(workflow)).toEqual(['new 1', 'new 2']);
		});

		it('All Numbers: a web page instead of the number list does not forget the numbers', async () => {
			const n = await provision(api());
			inject(n.id, 'old');
			const first = pollTrigger({ watch: 'all' });
			expect(await poll(first)).toBeNull();
			const before = nodeState(first);
			expect((before.numbers as IDataObject[]).map((state) => state.numberId)).toEqual([n.id]);

			// Make the next poll list the numbers again, and get a web page for it.
			const relisting = restart(suite.engine, first, (staticData) => {
				(staticData['node:Trigger'] as IDataObject).listedAt = 0;
			});
			const expected = nodeState(relisting);
			suite.sandbox.addFault({ method: 'GET', path: '/v1/numbers', ...HTML });
			await expect(poll(relisting)).rejects.toThrow('AgentCall answered with a web page instead of its JSON');
			expect(nodeState(relisting)).toEqual(expected);

			inject(n.id, 'new');
			expect(await poll(relisting)).toEqual(['new']);
		});
	});

	describe('AgentCall Trigger (webhooks)', () => {
		const hosts: WebhookHost[] = [];
		afterEach(async () => {
			await Promise.all(hosts.splice(0).map(async (host) => await host.close()));
		});

		it('a web page instead of the registrations fails activation instead of registering twice', async () => {
			const host = new WebhookHost(suite.engine, triggerNode(NODE_TYPE.webhookTrigger, { events: ['sms.inbound'] }));
			hosts.push(host);
			expect(await host.activate()).toEqual({ existed: false });
			const registered = suite.sandbox.snapshot().webhooks.map((hook: { id: string }) => hook.id);
			const state = { ...host.nodeState };

			suite.sandbox.addFault({ method: 'GET', path: '/v1/webhooks', ...HTML });
			await expect(host.activate()).rejects.toThrow('AgentCall answered with a web page instead of its JSON');
			expect(suite.sandbox.snapshot().webhooks.map((hook: { id: string }) => hook.id)).toEqual(registered);
			expect(host.nodeState).toEqual(state);

			expect(await host.activate()).toEqual({ existed: true });
		});
	});
});
