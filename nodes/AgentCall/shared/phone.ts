/**
 * The one phone-number normaliser. AgentCall wants E.164 everywhere; people paste numbers the way
 * they write them. Everything that takes a phone number goes through `toE164`.
 */

/** Countries offered as "Default Country" for numbers typed without a country code. */
export const COUNTRY_CALLING_CODES: Record<string, string> = {
	AU: '61',
	CA: '1',
	DE: '49',
	ES: '34',
	FR: '33',
	GB: '44',
	IE: '353',
	IN: '91',
	IT: '39',
	MX: '52',
	NL: '31',
	US: '1',
};

export const DEFAULT_COUNTRY = 'US';

export type PhoneParseResult = { ok: true; e164: string } | { ok: false; reason: string };

const SEPARATORS = /[\s\u00a0().\-/]/g;

/** National (NANP) numbers: area code and exchange never start with 0 or 1. */
function isValidNanp(tenDigits: string): boolean {
	return /^[2-9]\d{2}[2-9]\d{6}$/.test(tenDigits);
}

function checkInternational(digits: string): PhoneParseResult {
	if (digits.startsWith('0')) {
		return { ok: false, reason: 'a country code never starts with 0' };
	}
	if (digits.length < 8 || digits.length > 15) {
		return { ok: false, reason: 'an international number has 8 to 15 digits after the +' };
	}
	if (digits.startsWith('1') && !isValidNanp(digits.slice(1))) {
		return {
			ok: false,
			reason: 'a US or Canadian number has 10 digits after +1 and its area code starts with 2-9',
		};
	}
	return { ok: true, e164: `+${digits}` };
}

/**
 * Accepts `+1 (415) 555-1234`, `415.555.1234` (with a default country), `0044 20 7946 0958`,
 * `011 44 …` from North America and `tel:` URIs. Rejects letters and extensions rather than
 * guessing, because a wrong guess texts or calls a stranger.
 */
export function toE164(input: unknown, defaultCountry: string = DEFAULT_COUNTRY): PhoneParseResult {
	if (typeof input !== 'string' && typeof input !== 'number') {
		return { ok: false, reason: 'it is empty' };
	}
	let text = String(input).trim().replace(/^tel:/i, '');
	if (text === '') {
		return { ok: false, reason: 'it is empty' };
	}
	if (/[a-z]/i.test(text)) {
		return { ok: false, reason: 'it contains letters (extensions are not supported)' };
	}
	text = text.replace(SEPARATORS, '');
	if (!/^\+?\d+$/.test(text)) {
		return { ok: false, reason: 'it contains characters other than digits, spaces, ( ) . - and a leading +' };
	}
	if (text.startsWith('+')) {
		return checkInternational(text.slice(1));
	}
	if (text.startsWith('00')) {
		return checkInternational(text.slice(2));
	}

	const country = (defaultCountry || DEFAULT_COUNTRY).toUpperCase();
	const callingCode = COUNTRY_CALLING_CODES[country];
	if (!callingCode) {
		return { ok: false, reason: `the default country "${defaultCountry}" is not supported` };
	}
	if (callingCode === '1') {
		if (text.startsWith('011')) {
			return checkInternational(text.slice(3));
		}
		const national = text.length === 11 && text.startsWith('1') ? text.slice(1) : text;
		if (national.length !== 10 || !isValidNanp(national)) {
			return {
				ok: false,
				reason: 'a US or Canadian number has 10 digits and its area code starts with 2-9',
			};
		}
		return { ok: true, e164: `+1${national}` };
	}
	// Elsewhere a national number drops its trunk prefix 0 once the country code is added.
	return checkInternational(callingCode + text.replace(/^0/, ''));
}
