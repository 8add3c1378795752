import type { IDataObject } from 'n8n-workflow';

import type { GuardrailCounters, GuardrailPolicy } from '../../nodes/AgentCall/shared/guardrails';
import {
	checkCap,
	checkDestination,
	checkQuietHours,
	decide,
	DEFAULT_BLOCKED_PREFIXES,
	GuardrailSettingError,
	parsePrefixList,
	readGuardrailPolicy,
} from '../../nodes/AgentCall/shared/guardrails';
import { isKnownTimeZone, localMinutes, recipientTimeZone, ZONE_BY_PREFIX } from '../../nodes/AgentCall/shared/timeZones';

const counters = (overrides: Partial<GuardrailCounters> = {}): GuardrailCounters => ({ sms: 0, call: 0, aiCall: 0, refusals: 0, ...overrides });

/** The policy of a credential with these settings over the defaults. */
const policy = (settings: IDataObject = {}, workflowZone = 'Europe/Berlin'): GuardrailPolicy => readGuardrailPolicy(settings, workflowZone);

const at = (iso: string) => new Date(iso);

describe('guardrail policy', () => {
	describe('reading the credential', () => {
		it('gives a credential without guardrail fields the cautious defaults', () => {
			const read = policy({ apiKey: 'ac_live_x', baseUrl: 'http://x' });
			expect(read).toEqual({
				allowed: ['1'],
				blocked: parsePrefixList('Blocked Prefixes', DEFAULT_BLOCKED_PREFIXES),
				caps: { sms: 20, call: 5, aiCall: 30 },
				quietHours: 'calls',
				quietFrom: 21 * 60,
				quietUntil: 8 * 60,
				fallbackZone: 'Europe/Berlin',
			});
			expect(read.blocked).toEqual(expect.arrayContaining(['1900', '449', '881', '882', '883', '870', '979', '1876']));
		});

		it('reads lists split by commas, semicolons and new lines, with spaces and dashes inside an entry', () => {
			expect(parsePrefixList('Allowed Destinations', '+1, +44 20 ;\n 49-151, 353')).toEqual(['1', '4420', '49151', '353']);
			expect(parsePrefixList('Allowed Destinations', '  ')).toEqual([]);
		});

		it.each([
			[{ allowedDestinations: '+1, UK' }, 'Allowed Destinations', /"UK"/],
			[{ blockedPrefixes: '+1900, +44 (0)9x' }, 'Blocked Prefixes', /not a phone number prefix/],
			[{ maxSmsPerExecution: -1 }, 'Max SMS per Execution', /0 or a positive number/],
			[{ maxCallsPerExecution: 'many' }, 'Max Calls per Execution', /0 or a positive number/],
			[{ quietHoursFrom: '9pm' }, 'Quiet From', /24-hour time/],
			[{ quietHoursUntil: '24:00' }, 'Quiet Until', /24-hour time/],
			[{ quietHoursFrom: '08:00', quietHoursUntil: '8:00' }, 'Quiet Until', /set Quiet Hours to Off/],
			[{ quietHoursTimeZone: 'Mars/Olympus' }, 'Time Zone', /not an IANA time zone/],
			[{ quietHours: 'sometimes' }, 'Quiet Hours', /choose Off/],
		])('refuses to read %j (fails closed, naming the setting)', (settings, setting, problem) => {
			let caught: unknown;
			try {
				policy(settings);
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(GuardrailSettingError);
			expect((caught as GuardrailSettingError).setting).toBe(setting);
			expect((caught as GuardrailSettingError).message).toMatch(problem);
		});

		it('ignores quiet-hour times and zone when quiet hours are off', () => {
			expect(policy({ quietHours: 'off', quietHoursFrom: 'x', quietHoursTimeZone: 'nowhere' }).quietHours).toBe('off');
		});

		it('uses the configured time zone, else the workflow one', () => {
			expect(policy({ quietHoursTimeZone: ' America/Denver ' }).fallbackZone).toBe('America/Denver');
			expect(policy({ quietHoursTimeZone: '' }, 'Asia/Tokyo').fallbackZone).toBe('Asia/Tokyo');
		});
	});

	describe('destinations', () => {
		it('allows country codes, prefixes and exact numbers', () => {
			const open = policy({ allowedDestinations: '+44, +1415, +12125550199', blockedPrefixes: '' });
			expect(checkDestination(open, '+442079460958')).toBeUndefined();
			expect(checkDestination(open, '+14155551234')).toBeUndefined();
			expect(checkDestination(open, '+12125550199')).toBeUndefined();
			expect(checkDestination(open, '+12125550198')).toMatchObject({ rule: 'notAllowed', setting: 'Allowed Destinations' });
			expect(checkDestination(open, '+33142278186')?.message).toBe(
				'+33142278186 is outside the allowed destinations (+44, +1415, +12125550199). Do not retry this number; ask the user for a number that starts with one of them.',
			);
		});

		it('allows everything not blocked when Allowed Destinations is empty', () => {
			const open = policy({ allowedDestinations: '' });
			expect(checkDestination(open, '+33142278186')).toBeUndefined();
			expect(checkDestination(open, '+8816123456789')).toMatchObject({ rule: 'blockedPrefix' });
		});

		it('lets a blocked prefix win over any allowed entry, however specific', () => {
			const mixed = policy({ allowedDestinations: '+1, +19005550100', blockedPrefixes: '+1900' });
			expect(checkDestination(mixed, '+19005550100')).toMatchObject({ rule: 'blockedPrefix', setting: 'Blocked Prefixes' });
			expect(checkDestination(mixed, '+19005550100')?.message).toMatch(/^\+19005550100 starts with \+1900, a blocked premium-rate or high-cost range/);
		});

		it.each([
			['+19005551234', 'NANP 900'],
			['+18765551234', 'Jamaica'],
			['+18095551234', 'Dominican Republic'],
			['+449012345678', 'UK premium rate'],
			['+447012345678', 'UK personal numbering'],
			['+448712345678', 'UK 0871'],
			['+881612345678', 'Iridium'],
			['+870773111111', 'Inmarsat'],
			['+97912345678', 'IPRS'],
		])('blocks %s (%s) by default even with every destination allowed', (number) => {
			expect(checkDestination(policy({ allowedDestinations: '' }), number)).toMatchObject({ rule: 'blockedPrefix' });
		});

		it.each(['+14155551234', '+12125550199', '+16135550123'])('lets %s through by default', (number) => {
			expect(checkDestination(policy(), number)).toBeUndefined();
		});

		it('refuses international numbers by default (only +1 is allowed)', () => {
			expect(checkDestination(policy(), '+442079460958')).toMatchObject({ rule: 'notAllowed' });
		});
	});

	describe('caps', () => {
		it('lets the cap through and refuses the next one', () => {
			const capped = policy({ maxSmsPerExecution: 2 });
			const used = counters();
			const sms = { action: 'sms' as const, to: '+14155551234' };
			const noon = at('2026-06-01T19:00:00Z');
			expect(decide(capped, sms, used, noon)).toBeUndefined();
			expect(decide(capped, sms, used, noon)).toBeUndefined();
			const refused = decide(capped, sms, used, noon);
			expect(refused).toMatchObject({ rule: 'cap', setting: 'Max SMS per Execution' });
			expect(refused?.message).toBe(
				'this run already placed or sent 2 SMS, the most allowed in one run (2). Do not retry in this run; tell the user the limit was reached.',
			);
			expect(used).toEqual({ sms: 2, call: 0, aiCall: 0, refusals: 1 });
		});

		it('counts AI calls in minutes and suggests a shorter call while minutes remain', () => {
			const capped = policy({ maxAiCallMinutesPerExecution: 15 });
			expect(checkCap(capped, { action: 'aiCall', to: '+14155551234', aiMinutes: 10 }, counters({ aiCall: 0 }))).toBeUndefined();
			const refused = checkCap(capped, { action: 'aiCall', to: '+14155551234', aiMinutes: 10 }, counters({ aiCall: 10 }));
			expect(refused?.message).toMatch(/already requested 10 of its 15 AI-call minutes and this call asks for 10\. .*or use a shorter Max Duration\.$/);
			expect(checkCap(capped, { action: 'aiCall', to: '+14155551234', aiMinutes: 5 }, counters({ aiCall: 10 }))).toBeUndefined();
		});

		it('forbids an action whose cap is 0', () => {
			const refused = checkCap(policy({ maxCallsPerExecution: 0 }), { action: 'call', to: '+14155551234' }, counters());
			expect(refused?.message).toBe('this credential may not be used for calls. Do not retry; tell the user.');
		});

		it('does not count refused requests against the cap', () => {
			const used = counters();
			decide(policy({ maxSmsPerExecution: 1 }), { action: 'sms', to: '+19005551234' }, used, new Date());
			expect(used).toEqual({ sms: 0, call: 0, aiCall: 0, refusals: 1 });
			expect(decide(policy({ maxSmsPerExecution: 1 }), { action: 'sms', to: '+14155551234' }, used, at('2026-06-01T19:00:00Z'))).toBeUndefined();
		});
	});

	describe('quiet hours', () => {
		const quiet = policy({ quietHours: 'calls', quietHoursFrom: '21:00', quietHoursUntil: '08:00' }, 'Asia/Tokyo');
		const newYork = '+12125550199';

		it.each([
			['2026-01-15T01:59:00Z', true, '20:59 in New York (EST)'],
			['2026-01-15T02:00:00Z', false, '21:00'],
			['2026-01-15T07:00:00Z', false, '02:00, across midnight'],
			['2026-01-15T12:59:00Z', false, '07:59'],
			['2026-01-15T13:00:00Z', true, '08:00'],
		])('at %s a call to New York is allowed=%s (%s)', (iso, allowed) => {
			expect(checkQuietHours(quiet, 'call', newYork, at(iso)) === undefined).toBe(allowed);
		});

		it('follows daylight saving time: 01:30 UTC is 21:30 in New York in July (EDT) but 20:30 in January (EST)', () => {
			expect(checkQuietHours(quiet, 'call', newYork, at('2026-07-15T00:30:00Z'))).toBeUndefined();
			expect(checkQuietHours(quiet, 'call', newYork, at('2026-07-15T01:30:00Z'))).toMatchObject({ rule: 'quietHours' });
			// The same instant in January (EST) is 20:30: allowed.
			expect(checkQuietHours(quiet, 'call', newYork, at('2026-01-15T01:30:00Z'))).toBeUndefined();
		});

		it('uses the zone of each number: one instant is afternoon in New York and night in London', () => {
			const anywhere = policy({ allowedDestinations: '' }, 'Asia/Tokyo');
			const instant = at('2026-01-15T22:00:00Z');
			expect(checkQuietHours(anywhere, 'call', newYork, instant)).toBeUndefined();
			expect(checkQuietHours(anywhere, 'call', '+442079460958', instant)?.message).toBe(
				'it is 22:00 for the recipient of +442079460958 (Europe/London), inside the quiet hours 21:00-08:00. Do not retry now; try again after 08:00 Europe/London time, or tell the user when it can be sent.',
			);
		});

		it('falls back to the configured zone for a number that does not tell it (toll-free)', () => {
			const refusal = checkQuietHours(quiet, 'aiCall', '+18005551234', at('2026-01-15T13:00:00Z'));
			expect(refusal).toMatchObject({ rule: 'quietHours' });
			expect(refusal?.detail).toBe("The number does not tell its time zone, so the credential's Time Zone (Asia/Tokyo) applies.");
		});

		it('applies to SMS only when set to Calls, AI Calls and SMS', () => {
			const night = at('2026-01-15T06:00:00Z');
			expect(checkQuietHours(quiet, 'sms', newYork, night)).toBeUndefined();
			expect(checkQuietHours(quiet, 'call', newYork, night)).toBeDefined();
			expect(checkQuietHours(policy({ quietHours: 'all' }), 'sms', newYork, night)).toMatchObject({ rule: 'quietHours' });
			expect(checkQuietHours(policy({ quietHours: 'off' }), 'call', newYork, night)).toBeUndefined();
		});

		it('handles a window that does not cross midnight', () => {
			const lunch = policy({ quietHoursFrom: '12:00', quietHoursUntil: '13:30' });
			expect(checkQuietHours(lunch, 'call', newYork, at('2026-01-15T17:15:00Z'))).toBeDefined();
			expect(checkQuietHours(lunch, 'call', newYork, at('2026-01-15T18:30:00Z'))).toBeUndefined();
		});
	});
});

describe('recipient time zones', () => {
	it.each([
		['+14155551234', 'America/Los_Angeles'],
		['+12125550199', 'America/New_York'],
		['+13125550100', 'America/Chicago'],
		['+13035550100', 'America/Denver'],
		['+16025550100', 'America/Phoenix'],
		['+19075550100', 'America/Anchorage'],
		['+18085550100', 'Pacific/Honolulu'],
		['+14165550100', 'America/Toronto'],
		['+16045550100', 'America/Vancouver'],
		['+15065550100', 'America/Halifax'],
		['+17095550100', 'America/St_Johns'],
		['+17875550100', 'America/Puerto_Rico'],
		['+442079460958', 'Europe/London'],
		['+34912345678', 'Europe/Madrid'],
		['+34922123456', 'Atlantic/Canary'],
		['+351296123456', 'Atlantic/Azores'],
		['+819012345678', 'Asia/Tokyo'],
	])('%s is in %s', (number, zone) => {
		expect(recipientTimeZone(number)).toBe(zone);
	});

	it.each([
		['+18005551234', 'toll-free'],
		['+61212345678', 'Australia: several zones'],
		['+5511912345678', 'Brazil: several zones'],
		['+74951234567', 'Russia: several zones'],
		['+525512345678', 'Mexico: several zones'],
		['+6281234567890', 'Indonesia: several zones'],
	])('does not guess for %s (%s)', (number) => {
		expect(recipientTimeZone(number)).toBeUndefined();
	});

	it('names only zones this Node.js knows, for area codes of three digits', () => {
		for (const [prefix, zone] of ZONE_BY_PREFIX) {
			expect(isKnownTimeZone(zone) ? zone : `${prefix}: unknown zone ${zone}`).toBe(zone);
			if (prefix.startsWith('1')) expect(prefix).toMatch(/^1[2-9]\d\d$/);
		}
		expect(ZONE_BY_PREFIX.size).toBeGreaterThan(400);
	});

	it('reads local minutes through Intl, DST included', () => {
		expect(localMinutes(at('2026-03-08T06:59:00Z'), 'America/New_York')).toBe(1 * 60 + 59);
		expect(localMinutes(at('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(3 * 60);
	});
});
