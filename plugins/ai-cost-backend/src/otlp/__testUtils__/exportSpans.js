/*
 * Sends GenAI spans through the OpenTelemetry SDK for Node.js to an OTLP
 * receiver. Runs as its own Node.js process because the OTLP exporters
 * load `http` with a dynamic import(), which Jest's module sandbox
 * rejects unless Node.js runs with --experimental-vm-modules.
 *
 * Usage: node exportSpans.js <url> <json|protobuf> <authorization> <spans>
 * where spans is a JSON array of { name, attributes }. Exits with 1 when the export
 * fails.
 */
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');

async function main() {
  const [url, encoding, authorization, spansJson] = process.argv.slice(2);
  const { OTLPTraceExporter } =
    encoding === 'protobuf'
      ? require('@opentelemetry/exporter-trace-otlp-proto')
      : require('@opentelemetry/exporter-trace-otlp-http');
  const exporter = new OTLPTraceExporter({
    url,
    headers: { Authorization: authorization },
    compression: encoding === 'protobuf' ? 'gzip' : 'none',
  });

  let failure;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-assistant' }),
    spanProcessors: [
      new BatchSpanProcessor({
        export(spans, done) {
          exporter.export(spans, result => {
            if (result.code !== 0) {
              failure = result.error ?? new Error('export failed');
            }
            done(result);
          });
        },
        shutdown: () => exporter.shutdown(),
        forceFlush: () => exporter.forceFlush(),
      }),
    ],
  });
  const tracer = provider.getTracer('support-assistant', '1.0.0');

  for (const { name, attributes } of JSON.parse(spansJson)) {
    tracer.startSpan(name, { attributes }).end();
  }
  await provider.forceFlush();
  await provider.shutdown();

  if (failure) {
    throw failure;
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
