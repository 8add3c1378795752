import type { INodeProperties } from 'n8n-workflow';

import { defaultCountryOption, guardrailsNotice, phoneNumberLocator, showFor } from '../../shared/fields';

const create = showFor('schedule', ['create']);
const once = { show: { ...create.show, scheduleTiming: ['once'] } };
const recurring = { show: { ...create.show, scheduleTiming: ['recurring'] } };
const withTemplate = { show: { ...create.show, scheduleContent: ['template'] } };

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The number of all three operations: one definition (RoutingNode evaluates a value once per definition of its name). */
export const scheduleNumberField: INodeProperties = phoneNumberLocator({
	name: 'scheduleNumberId',
	displayName: 'Phone Number',
	description: 'Your AgentCall number the scheduled SMS are sent from. It needs inbound AI with AI SMS replies turned on (Pro plan).',
	displayOptions: showFor('schedule', ['create', 'getAll', 'cancel']),
});

export const scheduleCreateDescription: INodeProperties[] = [
	guardrailsNotice(create),
	{
		displayName: 'Contact Phone',
		name: 'scheduleContactPhone',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +14155551234',
		description: 'Phone number that receives the text, in international format. Numbers without a country code use the Default Country under Options.',
		displayOptions: create,
	},
	{
		displayName: 'When',
		name: 'scheduleTiming',
		type: 'options',
		default: 'once',
		options: [
			{ name: 'Once', value: 'once', description: 'Send one text at a set date and time' },
			{ name: 'Repeatedly', value: 'recurring', description: 'Send a text every day or every week at a set time' },
		],
		displayOptions: create,
	},
	{
		displayName: 'Fire At',
		name: 'scheduleFireAt',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'When to send the text. A date and time without a zone is read in the Time Zone below; it must be in the future.',
		displayOptions: once,
	},
	{
		displayName: 'Repeat',
		name: 'scheduleFrequency',
		type: 'options',
		default: 'daily',
		options: [
			{ name: 'Daily', value: 'daily' },
			{ name: 'Weekly', value: 'weekly' },
		],
		displayOptions: recurring,
	},
	{
		displayName: 'Day of Week',
		name: 'scheduleDayOfWeek',
		type: 'options',
		default: 1,
		options: DAYS.map((name, value) => ({ name, value })),
		displayOptions: { show: { ...recurring.show, scheduleFrequency: ['weekly'] } },
	},
	{
		displayName: 'Hour',
		name: 'scheduleHour',
		type: 'number',
		default: 9,
		typeOptions: { minValue: 0, maxValue: 23 },
		description: 'Hour of the day on the 24-hour clock, 0 to 23, in the Time Zone',
		displayOptions: recurring,
	},
	{
		displayName: 'Minute',
		name: 'scheduleMinute',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 59 },
		description: 'Minute of the hour, 0 to 59',
		displayOptions: recurring,
	},
	{
		displayName: 'Time Zone',
		name: 'scheduleTimeZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. America/New_York',
		description: "IANA time zone of the times above, e.g. America/New_York or Europe/London. Empty: the workflow's time zone.",
		displayOptions: create,
	},
	{
		displayName: 'Message',
		name: 'scheduleContent',
		type: 'options',
		default: 'template',
		options: [
			{ name: 'From a Template', value: 'template', description: 'Send this text, with placeholders filled from Payload' },
			{ name: 'Written by the AI', value: 'promptHint', description: "The number's SMS AI writes the text from a hint when it is sent" },
		],
		displayOptions: create,
	},
	{
		displayName: 'Template',
		name: 'scheduleTemplate',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 3 },
		placeholder: 'e.g. Hi {{firstName}}, a reminder of your appointment at {{time}} tomorrow.',
		description: 'The text to send. AgentCall fills each {{placeholder}} from Payload when it sends.',
		hint: "Keep this field Fixed: in an expression n8n would try to fill {{placeholders}} itself. Map item data into Payload instead.",
		displayOptions: withTemplate,
	},
	{
		displayName: 'Payload',
		name: 'schedulePayload',
		type: 'json',
		default: '{}',
		description: 'Values for the placeholders of the template, as a JSON object, e.g. { "firstName": "Ana", "time": "3 pm" }',
		displayOptions: withTemplate,
	},
	{
		displayName: 'Prompt Hint',
		name: 'schedulePromptHint',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 3 },
		placeholder: "e.g. Remind them of tomorrow's appointment and ask them to reply YES to confirm",
		description: "What the text should achieve; the number's SMS AI writes it when it is sent, using what it knows about the contact",
		displayOptions: { show: { ...create.show, scheduleContent: ['promptHint'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: create,
		options: [
			{
				displayName: 'Dedupe Key',
				name: 'dedupeKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. appointment-10452-reminder',
				description: 'A key AgentCall keeps per number: a second schedule with the same key is refused, so a re-run never schedules twice',
			},
			defaultCountryOption,
			{
				displayName: 'Kind',
				name: 'kind',
				type: 'string',
				default: 'reminder',
				description: 'A label for the kind of message, e.g. reminder or follow-up',
			},
		],
	},
];

export const scheduleGetManyFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	displayOptions: showFor('schedule', ['getAll']),
	options: [
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'pending',
			description: 'Only schedules with this status',
			options: [
				{ name: 'Pending', value: 'pending', description: 'Waiting to send (recurring schedules stay pending)' },
				{ name: 'Sent', value: 'sent', description: 'One-off schedules that have sent their text' },
				{ name: 'Failed', value: 'failed', description: 'Schedules whose text could not be sent' },
			],
			routing: { send: { type: 'query', property: 'status' } },
		},
	],
};

export const scheduleIdField: INodeProperties = {
	displayName: 'Schedule ID',
	name: 'scheduleId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. cmq7frsx3005dpe01xdmdleaj',
	description: 'ID of the schedule, as returned by Create or Get Many',
	displayOptions: showFor('schedule', ['cancel']),
};
