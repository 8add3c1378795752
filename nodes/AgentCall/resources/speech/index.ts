import type { INodeProperties } from 'n8n-workflow';

import { speechGenerateDescription } from './generate';

/** Text to speech. Generate runs in code (`customOperations` in the node): its answer is audio bytes. */
export const speechDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['speech'] } },
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate speech from text',
				description: 'Turn text into an MP3 or WAV audio file (binary data) spoken by an AgentCall voice. Pro plan, $0.03 per 1,000 characters.',
			},
		],
		default: 'generate',
	},
	...speechGenerateDescription,
];
