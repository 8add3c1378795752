import type { IDataObject } from 'n8n-workflow';

import type { AgentCallCredentialData } from '../harness/credentials';
import { OPEN_GUARDRAILS } from '../harness/credentials';
import type { NodeRun } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';

/**
 * The credential's guardrails through n8n-core's real engine and the built package, against the
 * sandbox over HTTP: a refusal happens before any request, per item, with an audit record.
 */

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const NEW_YORK = '+12125550142';
const PREMIUM = '+19005550100';
const LONDON = '+442079460958';

/** Minutes after midnight now in `zone`, read independently of the package. */
function minutesNow(zone: string): number {
	const [hour, minute] = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
		.format(new Date())
		.split(':')
		.map(Number);
	return hour * 60 + minute;
}

const clock = (minutes: number) => {
	const wrapped = ((minutes % 1440) + 1440) % 1440;
	return `${String(Math.floor(wrapped / 60)).padStart(2, '0')}:${String(wrapped % 60).padStart(2, '0')}`;
};

/** Quiet hours that contain (or, with `offset`, avoid) this moment in `zone`, whatever the time of day. */
const quietAround = (zone: string, offset = 0) => ({ quietHoursFrom: clock(minutesNow(zone) - 120 + offset), quietHoursUntil: clock(minutesNow(zone) + 120 + offset) });

describe('Guardrails on the credential', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let number: { id: string; number: string };

	/** Credential data as stored by n8n: only what the owner changed; n8n (and the harness) fill in the defaults. */
	const withDefaults = (settings: IDataObject = {}): AgentCallCredentialData => ({ apiKey: suite.sandbox.apiKey, baseUrl: suite.sandbox.url, ...settings });
	const openWith = (settings: IDataObject) => withDefaults({ ...OPEN_GUARDRAILS, ...settings });

	const sends = () => suite.sandbox.requestLog().filter((entry) => entry.route === 'POST /v1/sms/send');
	const sendingRequests = () =>
		suite.sandbox.requestLog().filter((entry) => ['POST /v1/sms/send', 'POST /v1/calls/initiate', 'POST /v1/calls/ai'].includes(String(entry.route)));
	const sms = (to: string | IDataObject[], options: { continueOnFail?: boolean } = {}) =>
		suite.engine.runNode(
			{ resource: 'sms', operation: 'send', smsFrom: byId(number.id), smsTo: Array.isArray(to) ? '={{ $json.to }}' : to, message: 'Your table is ready' },
			{ items: Array.isArray(to) ? to : [{}], ...options },
		);
	const guardrailOf = (run: NodeRun) => (run.error as { context?: IDataObject } | undefined)?.context?.guardrail;

	beforeEach(async () => {
		const created = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		number = created.json()[0] as typeof number;
		suite.sandbox.clearRequestLog();
	});

	describe('destinations', () => {
		it('refuses a premium-rate number with the default settings, before any request, and says why', async () => {
			suite.engine.useCredentials(withDefaults());
			const result = await sms(PREMIUM);
			expect(result.error?.message).toBe(
				"Refused by the AgentCall credential's guardrails - nothing was sent: +19005550100 starts with +1900, a blocked premium-rate or high-cost range. Do not retry this number; ask the user for a different number.",
			);
			expect(result.error?.description).toBe(
				'The credential blocks every number starting with +1900. Only the owner of the AgentCall credential can change this, under "Blocked Prefixes" in the credential. This is guardrail refusal 1 in this execution.',
			);
			expect(guardrailOf(result)).toEqual({ rule: 'blockedPrefix', action: 'sms', to: PREMIUM, setting: 'Blocked Prefixes', refusalsThisExecution: 1 });
			expect(suite.sandbox.requestLog()).toHaveLength(0);
			expect(suite.sandbox.snapshot().messages).toHaveLength(0);
			expect(result.serialized()).not.toContain(suite.sandbox.apiKey);
		});

		it('with Continue On Fail, gives one error item per refused item and sends the others, counting refusals', async () => {
			suite.engine.useCredentials(withDefaults());
			const result = await sms([{ to: '+14155551234' }, { to: LONDON }, { to: '(212) 555-0142' }, { to: PREMIUM }], { continueOnFail: true });
			expect(result.error).toBeUndefined();
			const items = result.items();
			expect(items.map((item) => (item.error ? `refused: ${(item.error.context.guardrail as IDataObject).rule}` : item.json.to))).toEqual([
				'+14155551234',
				'refused: notAllowed',
				NEW_YORK,
				'refused: blockedPrefix',
			]);
			expect(items[1].error?.message).toMatch(/\+442079460958 is outside the allowed destinations \(\+1\)\. Do not retry this number/);
			expect(items[3].error?.context.guardrail).toMatchObject({ refusalsThisExecution: 2 });
			expect(sends().map((entry) => (entry.body as IDataObject).to)).toEqual(['+14155551234', NEW_YORK]);
			expect(result.serialized()).not.toContain(suite.sandbox.apiKey);
		});

		it('lets the owner widen the destinations: the same London number goes through', async () => {
			suite.engine.useCredentials(withDefaults({ allowedDestinations: '+1, +44' }));
			const result = await sms(LONDON);
			expect(result.error).toBeUndefined();
			expect(sends().map((entry) => (entry.body as IDataObject).to)).toEqual([LONDON]);
		});

		it('refuses everything while a setting cannot be read (fails closed)', async () => {
			suite.engine.useCredentials(withDefaults({ allowedDestinations: '+1, Canada' }));
			const result = await sms('+14155551234');
			expect(result.error?.message).toMatch(/guardrail setting "Allowed Destinations" has "Canada", which is not a phone number prefix.*the user must fix the AgentCall credential/);
			expect(guardrailOf(result)).toMatchObject({ rule: 'invalidSetting', setting: 'Allowed Destinations' });
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});
	});

	describe('caps per execution', () => {
		it('stops the SMS after the cap within one execution; the next execution starts fresh', async () => {
			suite.engine.useCredentials(openWith({ maxSmsPerExecution: 2 }));
			const items = [{ to: '+14155551234' }, { to: '+14155551235' }, { to: '+14155551236' }, { to: '+14155551237' }];
			const first = await sms(items, { continueOnFail: true });
			expect(first.items().map((item) => (item.error ? 'refused' : 'sent'))).toEqual(['sent', 'sent', 'refused', 'refused']);
			expect(first.items()[2].error?.message).toMatch(/this run already placed or sent 2 SMS, the most allowed in one run \(2\)\. Do not retry in this run/);
			expect(first.items()[2].error?.context.guardrail).toMatchObject({ rule: 'cap', setting: 'Max SMS per Execution' });
			expect(sends()).toHaveLength(2);

			const second = await sms(items.slice(0, 2));
			expect(second.error).toBeUndefined();
			expect(sends()).toHaveLength(4);
		});

		it('without Continue On Fail, fails the node at the item over the cap', async () => {
			suite.engine.useCredentials(openWith({ maxSmsPerExecution: 1 }));
			const result = await sms([{ to: '+14155551234' }, { to: '+14155551235' }]);
			expect(result.error?.message).toMatch(/^Refused by the AgentCall credential's guardrails/);
			expect(guardrailOf(result)).toMatchObject({ rule: 'cap', to: '+14155551235' });
			expect(sends()).toHaveLength(1);
		});

		it('counts AI-call minutes from Max Duration', async () => {
			suite.engine.useCredentials(openWith({ maxAiCallMinutesPerExecution: 15 }));
			const result = await suite.engine.runNode(
				{ resource: 'aiCall', operation: 'start', aiCallFrom: byId(number.id), aiCallTo: '={{ $json.to }}', systemPrompt: 'Confirm the booking.', additionalFields: { maxDurationSecs: '={{ $json.secs }}' } },
				{ items: [{ to: NEW_YORK, secs: 600 }, { to: '+12125550143', secs: 600 }, { to: '+12125550144', secs: 300 }], continueOnFail: true },
			);
			expect(result.items().map((item) => (item.error ? 'refused' : 'started'))).toEqual(['started', 'refused', 'started']);
			expect(result.items()[1].error?.message).toMatch(/already requested 10 of its 15 AI-call minutes and this call asks for 10\. .*shorter Max Duration/);
			expect(sendingRequests().map((entry) => (entry.body as IDataObject).to)).toEqual([NEW_YORK, '+12125550144']);
		});

		it("counts an AI call without Max Duration as AgentCall's default 10 minutes", async () => {
			suite.engine.useCredentials(openWith({ maxAiCallMinutesPerExecution: 15 }));
			const result = await suite.engine.runNode(
				{ resource: 'aiCall', operation: 'start', aiCallFrom: byId(number.id), aiCallTo: '={{ $json.to }}', systemPrompt: 'Confirm the booking.' },
				{ items: [{ to: NEW_YORK }, { to: '+12125550143' }], continueOnFail: true },
			);
			expect(result.items()[1].error?.message).toMatch(/already requested 10 of its 15 AI-call minutes and this call asks for 10\./);
			expect(sendingRequests()).toHaveLength(1);
		});

		it('forbids calls when Max Calls per Execution is 0', async () => {
			suite.engine.useCredentials(openWith({ maxCallsPerExecution: 0 }));
			const result = await suite.engine.runNode({ resource: 'call', operation: 'make', callFrom: byId(number.id), callTo: NEW_YORK });
			expect(result.error?.message).toMatch(/this credential may not be used for calls/);
			expect(sendingRequests()).toHaveLength(0);
		});
	});

	describe('quiet hours', () => {
		it("refuses a call during quiet hours in the recipient's zone, told by the number", async () => {
			// The fallback zone is half a day away, so only New York's clock can make this quiet.
			suite.engine.useCredentials(openWith({ quietHours: 'calls', quietHoursTimeZone: 'Asia/Kolkata', ...quietAround('America/New_York') }));
			const result = await suite.engine.runNode({ resource: 'call', operation: 'make', callFrom: byId(number.id), callTo: NEW_YORK });
			expect(result.error?.message).toMatch(/for the recipient of \+12125550142 \(America\/New_York\), inside the quiet hours .*Do not retry now; try again after/);
			expect(result.error?.description).toMatch(/^The recipient's time zone America\/New_York comes from the number\./);
			expect(guardrailOf(result)).toMatchObject({ rule: 'quietHours', action: 'call' });
			expect(sendingRequests()).toHaveLength(0);
			expect(suite.sandbox.snapshot().calls).toHaveLength(0);
		});

		it('places the same call outside quiet hours, and never holds back an SMS unless SMS are included', async () => {
			suite.engine.useCredentials(openWith({ quietHours: 'calls', ...quietAround('America/New_York', 360) }));
			const call = await suite.engine.runNode({ resource: 'call', operation: 'make', callFrom: byId(number.id), callTo: NEW_YORK });
			expect(call.error).toBeUndefined();

			suite.engine.useCredentials(openWith({ quietHours: 'calls', ...quietAround('America/New_York') }));
			expect((await sms(NEW_YORK)).error).toBeUndefined();
			suite.engine.useCredentials(openWith({ quietHours: 'all', ...quietAround('America/New_York') }));
			expect(guardrailOf(await sms(NEW_YORK))).toMatchObject({ rule: 'quietHours', action: 'sms' });
			expect(sendingRequests().map((entry) => entry.route)).toEqual(['POST /v1/calls/initiate', 'POST /v1/sms/send']);
		});

		it('uses the Time Zone setting for a number that does not tell its zone, for AI calls too', async () => {
			suite.engine.useCredentials(openWith({ quietHours: 'calls', quietHoursTimeZone: 'Asia/Tokyo', ...quietAround('Asia/Tokyo') }));
			const result = await suite.engine.runNode({ resource: 'aiCall', operation: 'start', aiCallFrom: byId(number.id), aiCallTo: '+18885550100', systemPrompt: 'Hi' });
			expect(result.error?.message).toMatch(/\+18885550100 \(Asia\/Tokyo\), inside the quiet hours/);
			expect(result.error?.description).toMatch(/the credential's Time Zone \(Asia\/Tokyo\) applies/);
			expect(sendingRequests()).toHaveLength(0);
		});
	});
});
