import { toE164 } from '../../nodes/AgentCall/shared/phone';

describe('toE164, the one phone-number normaliser', () => {
	it.each([
		['+14155551234', 'US', '+14155551234'],
		['+1 (415) 555-1234', 'US', '+14155551234'],
		['415.555.1234', 'US', '+14155551234'],
		['(415) 555 1234', 'CA', '+14155551234'],
		['1-415-555-1234', 'US', '+14155551234'],
		['tel:+1-415-555-1234', 'US', '+14155551234'],
		['0044 20 7946 0958', 'US', '+442079460958'],
		['011 44 20 7946 0958', 'US', '+442079460958'],
		['020 7946 0958', 'GB', '+442079460958'],
		['+49 30 901820', 'US', '+4930901820'],
		[14155551234, 'US', '+14155551234'],
	])('turns %p (default %s) into %s', (input, country, expected) => {
		expect(toE164(input, country)).toEqual({ ok: true, e164: expected });
	});

	it.each([
		['', /empty/],
		['12', /10 digits/],
		['+1 555 ABC 1234', /letters/],
		['415-555-1234 x12', /letters/],
		['+1 (015) 555-1234', /area code/],
		['+0 123 456 789', /never starts with 0/],
		['+12345', /8 to 15 digits/],
		['+1234567890123456', /8 to 15 digits/],
		['415#555', /characters other than digits/],
	])('rejects %p and says why', (input, reason) => {
		const result = toE164(input, 'US');
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(reason);
	});

	it('refuses a national number when the default country is unknown', () => {
		expect(toE164('4155551234', 'ZZ')).toEqual({ ok: false, reason: expect.stringMatching(/not supported/) });
	});
});
