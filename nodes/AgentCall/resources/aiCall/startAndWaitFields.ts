import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { aiCallStartDescription } from './startFields';

/**
 * AgentCall Wait > AI Call > Start and Wait: the fields of AgentCall > AI Call > Start (same names,
 * same meaning, one definition), shown for this operation, always waiting: Wait for Completion and
 * Poll Interval do not apply, Max Wait is the park's limit.
 */

const LEFT_OUT = new Set(['waitForCompletion', 'pollIntervalSeconds']);

function retarget(displayOptions: IDisplayOptions | undefined): IDisplayOptions | undefined {
	if (!displayOptions?.show) return displayOptions;
	const show = { ...displayOptions.show };
	delete show.waitForCompletion;
	delete show['/waitForCompletion'];
	if (Array.isArray(show.operation) && show.operation.includes('start')) show.operation = ['startAndWait'];
	return Object.keys(show).length ? { ...displayOptions, show } : undefined;
}

function adapt(property: INodeProperties): INodeProperties {
	const adapted: INodeProperties = { ...property, displayOptions: retarget(property.displayOptions) };
	if (!adapted.displayOptions) delete adapted.displayOptions;
	if (property.name === 'maxWaitMinutes') {
		adapted.description =
			'How long to wait for the call to end. Past it n8n continues with the node\'s input item unchanged (no call item); the call itself goes on until it ends or reaches its Max Duration.';
	}
	if (Array.isArray(property.options) && property.type === 'collection') {
		adapted.options = (property.options as INodeProperties[]).filter((option) => !LEFT_OUT.has(option.name)).map(adapt);
	}
	return adapted;
}

export const aiCallStartAndWaitDescription: INodeProperties[] = aiCallStartDescription
	.filter((property) => !LEFT_OUT.has(property.name))
	.map(adapt);
