import type { IDataObject } from 'n8n-workflow';

import { isKnownTimeZone } from '../../shared/timeZones';

/**
 * When a schedule fires: Fire At as an instant, and the checks of a recurrence. n8n's Date & Time
 * field gives a wall-clock time without a zone ("2026-12-01T09:30:00"); it is read in the
 * schedule's time zone, as the person who picked it meant it. A value with a zone or offset (from
 * an expression, e.g. `{{ $now.plus(1, 'day') }}`) is taken as that exact instant.
 */

export type TimingProblem = { field: string; why: string; hint: string };

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes `zone` is ahead of UTC at `at` (DST included). */
function offsetMinutes(at: number, zone: string): number {
	let formatter = offsetFormatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		offsetFormatters.set(zone, formatter);
	}
	const parts = Object.fromEntries(formatter.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
	const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock in `zone` shows the given time (the later one in a DST gap). */
function wallClockInstant(fields: number[], zone: string): number {
	const [year, month, day, hour, minute, second, ms] = fields;
	const guess = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	const first = guess - offsetMinutes(guess, zone) * 60_000;
	// Once more with the offset at the first answer, which differs only around a DST change.
	return guess - offsetMinutes(first, zone) * 60_000;
}

/** A Luxon DateTime or a JS Date from an expression, as an ISO string. */
function asText(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return String((value as { toISO: () => string }).toISO());
	}
	return typeof value === 'string' ? value.trim() : '';
}

/** Fire At as an ISO instant in UTC, or the problem with it. */
export function fireAtInstant(value: unknown, zone: string, now: number): { iso: string } | TimingProblem {
	const text = asText(value);
	const hint =
		'Pick a date and time in the future, or map an ISO 8601 date such as 2026-12-01T09:30:00 (read in the Time Zone) or 2026-12-01T14:30:00Z.';
	if (text === '') return { field: 'Fire At', why: 'it is empty', hint };
	let at: number;
	const wall = WALL_CLOCK.exec(text);
	if (wall) {
		const fields = wall.slice(1).map((part, index) => (part === undefined ? 0 : index === 6 ? Number(part.padEnd(3, '0')) : Number(part)));
		at = wallClockInstant(fields, zone);
		// Date.UTC rolls 2026-02-30 over to March: such a date is not a date.
		const [year, month, day] = fields;
		const calendar = new Date(Date.UTC(year, month - 1, day));
		if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) {
			return { field: 'Fire At', why: 'it is not a real date and time', hint };
		}
	} else if (WITH_ZONE.test(text)) {
		at = Date.parse(text);
	} else {
		return { field: 'Fire At', why: 'it is not an ISO 8601 date and time', hint };
	}
	if (!Number.isFinite(at)) return { field: 'Fire At', why: 'it is not a real date and time', hint };
	if (at <= now) {
		return { field: 'Fire At', why: `it is in the past (${new Date(at).toISOString()})`, hint };
	}
	return { iso: new Date(at).toISOString() };
}

/** The IANA zone of the schedule: the field, else the workflow's zone. */
export function scheduleZone(value: unknown, workflowZone: string): { zone: string } | TimingProblem {
	const zone = typeof value === 'string' && value.trim() !== '' ? value.trim() : workflowZone;
	if (!isKnownTimeZone(zone)) {
		return {
			field: 'Time Zone',
			why: 'it is not an IANA time zone',
			hint: 'Use a name such as America/New_York, Europe/London or UTC; leave it empty for the workflow\'s time zone.',
		};
	}
	return { zone };
}

function wholeNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** The recurrence body, or the problem with one of its fields. */
export function recurrenceOf(fields: { frequency: unknown; hour: unknown; minute: unknown; dayOfWeek: unknown }): IDataObject | TimingProblem {
	const frequency = String(fields.frequency ?? '');
	if (frequency !== 'daily' && frequency !== 'weekly') {
		return { field: 'Repeat', why: 'choose Daily or Weekly', hint: 'A recurring schedule repeats every day or every week.' };
	}
	const hour = wholeNumber(fields.hour);
	if (hour === undefined || hour < 0 || hour > 23) {
		return { field: 'Hour', why: 'it must be a whole number from 0 to 23', hint: 'Hours use the 24-hour clock: 0 is midnight, 13 is 1 pm.' };
	}
	const minute = wholeNumber(fields.minute);
	if (minute === undefined || minute < 0 || minute > 59) {
		return { field: 'Minute', why: 'it must be a whole number from 0 to 59', hint: 'For 9:30, set Hour to 9 and Minute to 30.' };
	}
	const recurrence: IDataObject = { frequency, hour, minute };
	if (frequency === 'weekly') {
		const day = wholeNumber(fields.dayOfWeek);
		if (day === undefined || day < 0 || day > 6) {
			return { field: 'Day of Week', why: 'it must be a day from 0 (Sunday) to 6 (Saturday)', hint: 'Pick the day the weekly text goes out.' };
		}
		recurrence.dayOfWeek = day;
	}
	return recurrence;
}

export function isProblem(value: unknown): value is TimingProblem {
	return !!value && typeof value === 'object' && 'why' in value && 'field' in value;
}
