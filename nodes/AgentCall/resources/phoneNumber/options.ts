import type { INodePropertyOptions } from 'n8n-workflow';

/** Countries AgentCall sells numbers in. */
export const NUMBER_COUNTRY_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Canada', value: 'CA' },
	{ name: 'United States', value: 'US' },
];

/** Kinds of number, with their monthly fee. */
export const NUMBER_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Local', value: 'local', description: 'A local number ($2/month). The Free plan includes one.' },
	{ name: 'Mobile', value: 'mobile', description: 'A mobile number ($2/month)' },
	{ name: 'SIM', value: 'sim', description: 'A SIM-backed number ($8/month, Pro plan only)' },
	{ name: 'Toll-Free', value: 'tollfree', description: 'A toll-free number ($2.50/month)' },
];
