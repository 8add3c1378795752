import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { PartiesPrefix } from '../../shared/fields';
import { defaultCountryOption, fromAndToBody, fromAndToFields, guardrailsNotice, showFor } from '../../shared/fields';
import { guardrailPreSend } from '../../shared/guardrailEnforcer';

/** From and To: the same for a plain call (`callFrom`, `callTo`) and an AI call (`aiCallFrom`, `aiCallTo`). */
export function callPartiesFields(prefix: PartiesPrefix, displayOptions: IDisplayOptions): INodeProperties[] {
	return fromAndToFields({
		prefix,
		displayOptions,
		fromDescription:
			'Your AgentCall number the call comes from. Pick it from the list, enter its ID, or enter the number in E.164 format.',
		toDescription:
			'Phone number to call, in international format. Other formats such as (415) 555-1234 are read with the Default Country under Options.',
	});
}

const displayOptions = showFor('call', ['make']);

/** On the operation rather than the fields, so From and To are read once per item (see `fromAndToFields`). */
export const callMakeRouting: INodePropertyOptions['routing'] = {
	request: { method: 'POST', url: '/v1/calls/initiate' },
	send: { preSend: [fromAndToBody('call'), guardrailPreSend('call')] },
};

export const callMakeDescription: INodeProperties[] = [
	guardrailsNotice(displayOptions),
	...callPartiesFields('call', displayOptions),
	{
		displayName: 'Record',
		name: 'record',
		type: 'boolean',
		default: false,
		description:
			'Whether to record the call. Needs the Pro plan with a card on file and adds $0.01/min. Get the audio afterwards with Get Recording.',
		displayOptions,
		// The last preSend of Make: the guardrails see the normalised To.
		routing: { send: { type: 'body', property: 'record', preSend: [guardrailPreSend('call')] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [defaultCountryOption],
	},
];
