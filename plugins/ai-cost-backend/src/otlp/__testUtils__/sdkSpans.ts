import { Attributes, Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Start and end time of the spans below: 2026-11-18T10:00:00Z. */
export const SPAN_START = Date.parse('2026-11-18T10:00:00Z');

export interface SpanSpec {
  name: string;
  attributes: Attributes;
  /** Milliseconds after SPAN_START at which the span ends. Default: 1500. */
  durationMillis?: number;
}

/**
 * Records spans with the OpenTelemetry SDK under one resource and returns
 * them as ReadableSpans, the input of the official OTLP serializers.
 */
export async function recordSpans(
  specs: SpanSpec[],
  resourceAttributes: Attributes = { 'service.name': 'support-assistant' },
): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer: Tracer = provider.getTracer('ai-cost-test', '1.2.3');

  for (const spec of specs) {
    const span = tracer.startSpan(spec.name, {
      attributes: spec.attributes,
      startTime: SPAN_START,
    });
    span.end(SPAN_START + (spec.durationMillis ?? 1500));
  }

  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}
