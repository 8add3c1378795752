import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const CONTACT = '+14155551234';

describe('AgentCall node: Schedule', () => {
	const suite = useEngineSuite();
	let number: { id: string; number: string };

	const run = async (parameters: IDataObject, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		await suite.engine.runNode({ resource: 'schedule', scheduleNumberId: byId(number.id), ...parameters }, options);

	const create = async (parameters: IDataObject = {}, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		await run(
			{
				operation: 'create',
				scheduleContactPhone: CONTACT,
				scheduleFireAt: '2031-01-15T09:30:00',
				scheduleTimeZone: 'America/New_York',
				scheduleTemplate: 'Hi {{firstName}}, see you at {{time}}.',
				schedulePayload: '{ "firstName": "Ana", "time": "3 pm" }',
				...parameters,
			},
			options,
		);

	const sent = (route: string) =>
		suite.sandbox.requestLog().filter((entry) => entry.route === route) as Array<{ body: IDataObject; status: number; query: IDataObject }>;

	beforeEach(async () => {
		number = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
		suite.sandbox.configureInbound(number.id, { mode: 'ai', systemPrompt: 'You are the front desk.', smsMode: 'ai' });
		suite.sandbox.clearRequestLog();
	});

	describe('Create', () => {
		it('schedules one text from a template: contact phone normalised, Fire At read in the Time Zone', async () => {
			const result = await create({ scheduleContactPhone: '(415) 555-1234', options: { dedupeKey: 'appt-1' } });
			expect(result.error).toBeUndefined();
			expect(sent('POST /v1/numbers/:id/schedules').map((entry) => entry.body)).toEqual([
				{
					kind: 'reminder',
					contactPhone: CONTACT,
					fireAt: '2031-01-15T14:30:00.000Z',
					template: 'Hi {{firstName}}, see you at {{time}}.',
					payload: { firstName: 'Ana', time: '3 pm' },
					dedupeKey: 'appt-1',
				},
			]);
			expect(result.json()[0]).toMatchObject({ id: expect.any(String), numberId: number.id, status: 'pending', fireAt: '2031-01-15T14:30:00.000Z' });
		});

		it.each([
			['summer time', '2031-07-15T09:30:00', 'America/New_York', '2031-07-15T13:30:00.000Z'],
			['an offset', '2031-07-15T09:30:00+02:00', 'America/New_York', '2031-07-15T07:30:00.000Z'],
			['UTC', '2031-07-15T09:30:00Z', 'Asia/Tokyo', '2031-07-15T09:30:00.000Z'],
			['another zone', '2031-07-15 09:30', 'Asia/Tokyo', '2031-07-15T00:30:00.000Z'],
		])('reads Fire At with %s', async (_label, fireAt, zone, instant) => {
			const result = await create({ scheduleFireAt: fireAt, scheduleTimeZone: zone });
			expect(result.error).toBeUndefined();
			expect(sent('POST /v1/numbers/:id/schedules')[0].body.fireAt).toBe(instant);
		});

		it('schedules a weekly text written by the AI, with its hour, minute, day and time zone', async () => {
			const result = await create({
				scheduleTiming: 'recurring',
				scheduleFrequency: 'weekly',
				scheduleDayOfWeek: 5,
				scheduleHour: 18,
				scheduleMinute: 5,
				scheduleTimeZone: 'Europe/Berlin',
				scheduleContent: 'promptHint',
				schedulePromptHint: 'Ask how the week went',
				options: { kind: 'check-in' },
			});
			expect(result.error).toBeUndefined();
			expect(sent('POST /v1/numbers/:id/schedules')[0].body).toEqual({
				kind: 'check-in',
				contactPhone: CONTACT,
				recurrence: { frequency: 'weekly', hour: 18, minute: 5, dayOfWeek: 5 },
				timezone: 'Europe/Berlin',
				promptHint: 'Ask how the week went',
			});
		});

		it('sends a daily recurrence without a day, in the workflow\'s time zone when Time Zone is empty', async () => {
			const result = await create({ scheduleTiming: 'recurring', scheduleTimeZone: '', scheduleHour: 0, scheduleMinute: 59, scheduleDayOfWeek: 3 });
			expect(result.error).toBeUndefined();
			const { body } = sent('POST /v1/numbers/:id/schedules')[0];
			expect(body.recurrence).toEqual({ frequency: 'daily', hour: 0, minute: 59 });
			expect(body.timezone).toEqual(expect.stringMatching(/^[A-Za-z_]+(\/[A-Za-z_]+)*$/));
			expect(body).not.toHaveProperty('fireAt');
		});

		it.each([
			[{ scheduleFireAt: '2020-01-01T09:00:00' }, '"Fire At" is not valid - it is in the past'],
			[{ scheduleFireAt: 'tomorrow at 9' }, '"Fire At" is not valid - it is not an ISO 8601 date and time'],
			[{ scheduleFireAt: '2031-02-30T09:00:00' }, '"Fire At" is not valid - it is not a real date and time'],
			[{ scheduleFireAt: '={{ "" }}' }, '"Fire At" is not valid - it is empty'],
			[{ scheduleTimeZone: 'Mars/Olympus' }, '"Time Zone" is not valid - it is not an IANA time zone'],
			[{ scheduleTiming: 'recurring', scheduleHour: 24 }, '"Hour" is not valid'],
			[{ scheduleTiming: 'recurring', scheduleMinute: -1 }, '"Minute" is not valid'],
			[{ scheduleTiming: 'recurring', scheduleMinute: 7.5 }, '"Minute" is not valid'],
			[{ scheduleTiming: 'recurring', scheduleFrequency: 'weekly', scheduleDayOfWeek: 7 }, '"Day of Week" is not valid'],
			[{ scheduleTemplate: 'Hi {{firstName}}, your code is {{ code }}' }, 'Payload has no value for {{code}}'],
			[{ schedulePayload: '{ firstName: Ana }' }, '"Payload" is not valid - it is not valid JSON'],
			[{ schedulePayload: '[1, 2]' }, '"Payload" is not valid - it must be a JSON object'],
			[{ scheduleTemplate: '  ' }, '"Template" is not valid - it is empty'],
			[{ scheduleContent: 'promptHint', schedulePromptHint: '={{ " " }}' }, '"Prompt Hint" is not valid - it is empty'],
			[{ scheduleContactPhone: 'call me' }, '"Contact Phone" is not valid'],
			[{ scheduleNumberId: byId('num/1') }, '"Phone Number" is not valid'],
		])('rejects %j before any request', async (parameters, message) => {
			const result = await create(parameters);
			expect(result.error?.message).toContain(message);
			expect(suite.sandbox.requestLog()).toEqual([]);
		});

		it('says clearly that a Dedupe Key was used already, and goes on with Continue On Fail', async () => {
			const result = await create(
				{ options: { dedupeKey: '={{ $json.key }}' } },
				{ items: [{ key: 'appt-7' }, { key: 'appt-7' }, { key: 'appt-8' }], continueOnFail: true },
			);
			const items = result.json();
			expect(items[0]).toMatchObject({ dedupeKey: 'appt-7', status: 'pending' });
			expect(items[1].error).toBe('A schedule with this Dedupe Key already exists on this number - nothing new was scheduled');
			expect(items[2]).toMatchObject({ dedupeKey: 'appt-8' });
			expect(sent('POST /v1/numbers/:id/schedules').map((entry) => entry.status)).toEqual([200, 409, 200]);
		});

		it('maps a number without AI SMS and the Free plan', async () => {
			suite.sandbox.configureInbound(number.id, { mode: 'ai', systemPrompt: 'Front desk', smsMode: 'off' });
			const noAi = await create();
			expect(noAi.error?.message).toContain('AgentCall rejected the input');
			expect(noAi.error?.description).toContain('smsMode "ai"');
			suite.sandbox.setPlan('free');
			const free = await create();
			expect(free.error?.message).toBe('Your AgentCall plan does not allow this (plan_limit_schedules)');
			expect(noAi.serialized() + free.serialized()).not.toContain(suite.sandbox.apiKey);
		});

		it('goes through the credential\'s guardrails: destinations, and one SMS per schedule against the cap', async () => {
			suite.engine.useCredentials({ ...suite.credentials, allowedDestinations: '+1', maxSmsPerExecution: 2 });
			const abroad = await create({ scheduleContactPhone: '+442079460958' });
			expect(abroad.error?.message).toContain("Refused by the AgentCall credential's guardrails - nothing was sent");
			expect(sent('POST /v1/numbers/:id/schedules')).toEqual([]);

			const capped = await create({ options: { dedupeKey: '={{ $json.key }}' } }, { items: [{ key: 'a' }, { key: 'b' }, { key: 'c' }], continueOnFail: true });
			expect(capped.json().map((item) => item.error ?? item.dedupeKey)).toEqual(['a', 'b', expect.stringContaining('already placed or sent 2 SMS')]);
			expect(sent('POST /v1/numbers/:id/schedules')).toHaveLength(2);
		});
	});

	describe('Get Many and Cancel', () => {
		it('lists every page with Return All, filters by status, and cancels', async () => {
			suite.sandbox.setConfig({ pagination: 'cursor', listLimitMax: 2 });
			const created = await create({ options: { dedupeKey: '={{ $json.key }}' } }, { items: ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key })) });
			const ids = created.json().map((item) => item.id as string);
			suite.sandbox.clearRequestLog();

			const all = await run({ operation: 'getAll', returnAll: true });
			expect(all.json().map((item) => item.id).sort()).toEqual([...ids].sort());
			expect(sent('GET /v1/numbers/:id/schedules')).toHaveLength(3);

			const limited = await run({ operation: 'getAll', returnAll: false, limit: 3 });
			expect(limited.json()).toHaveLength(3);

			suite.sandbox.clearRequestLog();
			const none = await run({ operation: 'getAll', returnAll: true, filters: { status: 'sent' } });
			expect(none.error).toBeUndefined();
			expect(none.json()).toEqual([]);
			expect(sent('GET /v1/numbers/:id/schedules')[0].query).toMatchObject({ status: 'sent' });

			const cancelled = await run({ operation: 'cancel', scheduleId: ids[0] });
			expect(cancelled.json()).toEqual([{ id: ids[0], cancelled: true }]);
			const left = await run({ operation: 'getAll', returnAll: true, filters: { status: 'pending' } });
			expect(left.json().map((item) => item.id).sort()).toEqual(ids.slice(1).sort());

			const again = await run({ operation: 'cancel', scheduleId: ids[0] });
			expect(again.error?.message).toBe(`The schedule "${ids[0]}" was not found in your AgentCall account`);
		});

		it('checks the Schedule ID before any request', async () => {
			const result = await run({ operation: 'cancel', scheduleId: 'a b' });
			expect(result.error?.message).toContain('"Schedule ID" is not valid');
			expect(suite.sandbox.requestLog()).toEqual([]);
		});
	});
});
