// n8n-core logs every failed node run to the console; the tests assert on those errors themselves.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
