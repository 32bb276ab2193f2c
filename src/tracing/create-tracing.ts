import type { TracerProvider } from '@opentelemetry/api';

export type Tracing = { provider: TracerProvider; shutdown(): Promise<void> };

/**
 * OTLP trace export when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set; otherwise undefined and
 * nothing is loaded: no SDK, no observer, no cost. The exporter reads the standard OTEL_* variables itself
 * (headers, timeout); `OTEL_SERVICE_NAME` names the service (default `agentstream`).
 */
export async function createTracing(env: Record<string, string | undefined>): Promise<Tracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/exporter-trace-otlp-proto'), import('@opentelemetry/resources'),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'agentstream' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  return { provider, shutdown: () => provider.shutdown() };
}
